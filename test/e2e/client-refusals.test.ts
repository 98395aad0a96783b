/**
 * Malformed client input, end to end: each refusal is one line on stderr naming what was wrong,
 * exit 2, nothing on stdout, no stack trace, and the ledger unchanged. Split out of foundation.test.ts
 * so that each case is a test of its own (with its own timeout) and this file runs beside the others.
 * The cases share one ledger: each proves it leaves the ledger as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused } from '../helpers/expect-run.js';

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
});
afterAll(() => sb?.cleanup());

const cases: [string[], RegExp][] = [
  [['client', 'add', 'ACME', '--name', 'Other'], /a client with code "ACME" already exists/],
  [['client', 'add', 'acme', '--name', 'Other'], /a client with code "acme" already exists/],
  [['client', 'add', 'NEW'], /missing --name for client NEW/],
  [['client', 'add', 'NEW', '--name', 'N', '--email', 'not-an-email'], /--email: "not-an-email" is not valid/],
  [['client', 'add', 'NEW', '--name', 'N', '--siren', '123456789'], /--siren: "123456789" is not valid: the check digit is wrong/],
  [['client', 'add', 'NEW', '--name', 'N', '--siren', '12345'], /a SIREN has 9 digits/],
  [['client', 'add', 'NEW', '--name', 'N', '--lang', 'de'], /--lang: "de" is not valid: fr or en/],
  [['client', 'add', 'NEW', '--name', 'N', '--terms', 'soon'], /--terms: "soon" is not valid/],
  [['client', 'add', 'NEW', '--name', 'N', '--terms', '30.5'], /whole days/],
  [['client', 'add', 'NEW', '--name', 'N', '--b2b', '--b2c'], /contradict/],
  [['client', 'add', 'bad code!', '--name', 'N'], /client code: "bad code!" is not valid/],
  [['client', 'add', 'NEW', '--name', 'N', '--vat-number', '12'], /intra-EU VAT number/],
  [['client', 'edit', 'ACME', '--pause-until', '2026-02-30'], /--pause-until: "2026-02-30" does not exist/],
  [['client', 'edit', 'ACME', '--pause-until', '15/12/2026'], /YYYY-MM-DD/],
  [['client', 'edit', 'NOPE', '--name', 'X'], /unknown client "NOPE"; see the codes with "relance client list"/],
  [['client', 'edit', 'ACME'], /nothing to change for ACME/],
  [['client', 'show', 'NOPE'], /unknown client "NOPE"/],
  [['client', 'add', 'NEW', '--name', 'N', '--bogus'], /unknown option '--bogus'; see "relance client add --help"/],
  [['client', 'frobnicate'], /unknown command 'frobnicate'/],
];

describe('client input refused with one line, exit 2, ledger unchanged', () => {
  it.each(cases)('relance %j', (args, message) => {
    expectRefused(sb, args, message);
  });
});
