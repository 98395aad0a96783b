/** relance balance end to end: who owes what per client and currency, as of a date, and refusals. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  setup(sb);
});
afterEach(() => sb.cleanup());

/** ACME: 1,000 + 500 + 200 (cancelled by a credit note), 400 paid, 1,300 received (200 left as credit), the 400 reversed. */
function story() {
  const a = issueInvoice(sb, 'ACME', '1000', '2026-01-10');
  issueInvoice(sb, 'ACME', '500', '2026-02-01');
  const c = issueInvoice(sb, 'ACME', '200', '2026-02-05');
  ok(sb, ['pay', a, '400', '--date', '2026-02-10']);
  ok(sb, ['invoice', 'cancel', c, '--date', '2026-02-12']);
  ok(sb, ['pay', '--client', 'ACME', '1300', '--date', '2026-03-01']);
  ok(sb, ['pay', 'undo', '1', '--date', '2026-03-05']);
  issueInvoice(sb, 'GLOBEX', '300', '2026-02-20');
  issueInvoice(sb, 'GLOBEX', '150', '2026-02-21', { currency: 'USD' });
  // MARTIN owes nothing: left out of the list.
}

describe('balance', () => {
  it('prints each client\'s balance per currency and the totals; the same figures as the statement of account', () => {
    story();
    const j = json(sb, ['balance', '--as-of', '2026-03-31']);
    expect(j.asOf).toBe('2026-03-31');
    expect(j.clients.map((c: any) => [c.client, c.currency, c.invoiced, c.credited, c.received, c.balance])).toEqual([
      ['ACME', 'EUR', '1700.00', '200.00', '1300.00', '200.00'], // 400 + 1300 - 400 received; the 200 of credit lowers what it owes
      ['GLOBEX', 'EUR', '300.00', '0.00', '0.00', '300.00'],
      ['GLOBEX', 'USD', '150.00', '0.00', '0.00', '150.00'],
    ]);
    expect(j.totals).toEqual([
      { currency: 'EUR', clients: 2, balance: '500.00' },
      { currency: 'USD', clients: 1, balance: '150.00' },
    ]);
    // The statement of account ends on the same balance.
    expect(json(sb, ['statement', 'ACME', '--as-of', '2026-03-31']).currencies[0].net).toBe('200.00');

    const text = ok(sb, ['balance', '--as-of', '2026-03-31']);
    expect(text).toMatch(/^Balances as of 2026-03-31/);
    expect(text).toMatch(/│ ACME\s+│ ACME SAS\s+│ EUR\s+│\s+€1,700\.00 │\s+€200\.00 │\s+€1,300\.00 │\s+€200\.00 │/);
    expect(text).toMatch(/│ GLOBEX\s+│ Globex Ltd\s+│ USD\s+│/);
    expect(text).not.toMatch(/MARTIN/);
    expect(text).toMatch(/Totals:\n[\s\S]*│ total \(2\)\s+│\s+│ EUR\s+│[^\n]*€500\.00 │/);
    expect(text).toMatch(/│ total \(1\)\s+│\s+│ USD\s+│[^\n]*150\.00 USD │/);
  });

  it('a past --as-of ignores later invoices, credit notes and payments', () => {
    story();
    const early = json(sb, ['balance', '--as-of', '2026-02-11']);
    expect(early.clients.map((c: any) => [c.client, c.currency, c.balance])).toEqual([['ACME', 'EUR', '1300.00']]);
    expect(json(sb, ['balance', '--as-of', '2026-01-09']).clients).toEqual([]);
    expect(ok(sb, ['balance', '--as-of', '2026-01-09'])).toBe('Nobody owes anything as of 2026-01-09.\n');
    // One currency: the total is the table's last line.
    const text = ok(sb, ['balance', '--as-of', '2026-02-11']);
    expect(text).toMatch(/│ total \(1\)\s+│\s+│ EUR\s+│[^\n]*€1,300\.00 │\n└/);
    expect(text).not.toMatch(/Totals:/);
  });

  it('--client shows one client, even when it owes nothing', () => {
    story();
    expect(json(sb, ['balance', '--client', 'GLOBEX', '--as-of', '2026-03-31']).clients.map((c: any) => c.currency)).toEqual(['EUR', 'USD']);
    const martin = issueInvoice(sb, 'MARTIN', '80', '2026-03-02');
    ok(sb, ['pay', martin, '80', '--date', '2026-03-03']);
    expect(json(sb, ['balance', '--client', 'MARTIN', '--as-of', '2026-03-31']).clients).toEqual([
      { client: 'MARTIN', name: 'Claire Martin', currency: 'EUR', invoiced: '80.00', credited: '0.00', received: '80.00', balance: '0.00' },
    ]);
  });

  it('refuses an unknown client or a bad date with one line, exit 2, the ledger unchanged', () => {
    story();
    expectRefused(sb, ['balance', '--client', 'NOPE'], /NOPE/);
    expectRefused(sb, ['balance', '--as-of', '2026-02-30'], /--as-of/);
    expectRefused(sb, ['balance', '--client', ' '], /--client/);
  });

  it('has --help with examples', () => {
    const help = ok(sb, ['balance', '--help']);
    expect(help).toMatch(/Usage: relance balance/);
    expect(help).toMatch(/Examples:\n\s+\$ relance balance\n/);
  });
});
