/** Shared steps of the payments / overdue / penalties end-to-end tests (real bin/relance). */
import { expect } from 'vitest';
import type { Sandbox } from '../helpers/e2e.js';

export function ok(sb: Sandbox, args: string[]): string {
  const r = sb.run(args);
  expect(r.code, `relance ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

export function json<T = any>(sb: Sandbox, args: string[]): T {
  return JSON.parse(ok(sb, [...args, '--json'])) as T;
}

/**
 * Issue an invoice of `amount` incl. VAT (one line at 0 % VAT, or 20 % when vat is given) on
 * `date` with `terms` days; returns its number.
 */
export function issueInvoice(sb: Sandbox, client: string, amount: string, date: string, o: { terms?: number; currency?: string; vat?: number } = {}): string {
  const created = ok(sb, ['invoice', 'new', client, '--line', `Prestation | 1 | ${amount} | ${o.vat ?? 0}`, '--as-of', date, '--terms', String(o.terms ?? 30), ...(o.currency ? ['--currency', o.currency] : [])]);
  const draft = /(draft-\d+)/.exec(created)![1]!;
  const issued = ok(sb, ['invoice', 'issue', draft, '--date', date]);
  return /Issued (\S+)/.exec(issued)![1]!;
}

export { expectRefused } from '../helpers/expect-run.js';

export function setup(sb: Sandbox): void {
  expect(sb.init().code).toBe(0);
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']);
  ok(sb, ['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--email', 'ap@globex.example']);
  ok(sb, ['client', 'add', 'MARTIN', '--name', 'Claire Martin', '--b2c', '--email', 'claire@example.fr']);
}
