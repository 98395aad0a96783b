/**
 * relance pay refusals, end to end: exit 2, one line on stderr, nothing on stdout, the ledger
 * unchanged. Split out of pay.test.ts so that each bad input is a test of its own (with its own
 * timeout) and this file runs beside the others. The bad-input cases share one ledger: each proves
 * it leaves the ledger as it was.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, ok, setup } from './pay-helpers.js';

describe('bad invoices, amounts and dates', () => {
  let sb: Sandbox;
  let f = '';
  beforeAll(() => {
    sb = sandbox();
    setup(sb);
    f = issueInvoice(sb, 'ACME', '1000', '2026-01-10');
  });
  afterAll(() => sb?.cleanup());

  // "$F" stands for the invoice issued above (F-2026-0001).
  const cases: [string[], RegExp][] = [
    [['pay', 'F-2099-9999', '10'], /unknown invoice "F-2099-9999"/],
    [['pay', '$F', '0'], /must be more than zero/],
    [['pay', '$F', '-5'], /^relance: amount: "-5" is negative; a payment is more than zero \(to take back a payment, "relance pay undo ID"\)\n$/],
    [['pay', '--client', 'ACME', '-12,50'], /amount: "-12,50" is negative/],
    [['pay', '$F', '10', '--bogus'], /unknown option '--bogus'/],
    [['pay', '$F', '--', '-5'], /must be more than zero/],
    [['pay', '$F', '12.345'], /cannot read "12.345"/],
    [['pay', '$F', '10', '--date', '2026-01-09'], /before F-2026-0001 was issued \(2026-01-10\)/],
    [['pay', '$F', '10', '--date', '2026-02-30'], /--date/],
    [['pay', '$F', '10', '--method', 'bitcoin'], /--method/],
    [['pay', '--client', 'NOPE', '10'], /unknown client "NOPE"/],
    [['pay', '--client', 'ACME', '0'], /must be more than zero/],
  ];
  it.each(cases)('relance %j', (args, message) => {
    expectRefused(sb, args.map((a) => (a === '$F' ? f : a)), message);
  });
});

describe('invoices that cannot take a payment', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox();
    setup(sb);
  });
  afterAll(() => sb?.cleanup());

  it('drafts, cancelled and paid invoices', () => {
    ok(sb, ['invoice', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--as-of', '2026-01-01']);
    expectRefused(sb, ['pay', 'draft-1', '10'], /draft; issue it first/);
    const f = issueInvoice(sb, 'ACME', '100', '2026-01-10');
    ok(sb, ['invoice', 'cancel', f, '--date', '2026-01-12']);
    expectRefused(sb, ['pay', f, '10', '--date', '2026-01-20'], /cancelled by a credit note/);
    const g = issueInvoice(sb, 'ACME', '100', '2026-01-20');
    ok(sb, ['pay', g, '--date', '2026-01-21']);
    expectRefused(sb, ['pay', g, '--date', '2026-01-22'], /already paid/);
  });
});
