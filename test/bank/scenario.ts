/**
 * The ledger the bank fixtures are written against (fixtures/bank/README.md): three clients and
 * nine EUR invoices issued on 2026-03-01, made once with the real bin/relance and copied per test.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/e2e.js';
import { issueInvoice, ok } from '../e2e/pay-helpers.js';

export const FIXTURES = path.join(ROOT, 'fixtures', 'bank');
export const fixture = (name: string) => path.join(FIXTURES, name);

/** Number -> [client, amount] of the scenario's invoices. */
export const INVOICES: [string, string][] = [
  ['ACME', '1200.00'], // F-2026-0001 exact RF reference
  ['ACME', '500.00'], // F-2026-0002 number with spacing and case typos (then reversed by the bank)
  ['GLOBEX', '300.00'], // F-2026-0003 } two invoices in one transfer (750.00)
  ['GLOBEX', '450.00'], // F-2026-0004 }
  ['MARTIN', '1000.00'], // F-2026-0005 partial payment (400.00)
  ['ACME', '200.00'], // F-2026-0006 overpayment (250.00: 50.00 credit)
  ['GLOBEX', '900.00'], // F-2026-0007 a USD payment names it: never automatic
  ['ACME', '640.00'], // F-2026-0008 probable: ACME's IBAN, no reference, the amount of its balance
  ['MARTIN', '80.00'], // F-2026-0009 probable: a name close to Claire Martin's, the amount of its balance
];

let template: string | null = null;

function build(): string {
  const sb = sandbox('relance-bank-template-');
  expect(sb.init().code).toBe(0);
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']);
  ok(sb, ['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--email', 'ap@globex.example']);
  ok(sb, ['client', 'add', 'MARTIN', '--name', 'Claire Martin', '--b2c', '--email', 'claire@example.fr']);
  INVOICES.forEach(([client, amount], i) => {
    const n = issueInvoice(sb, client, amount, '2026-03-01');
    expect(n).toBe(`F-2026-${String(i + 1).padStart(4, '0')}`);
  });
  return sb.ledger;
}

/** A sandbox whose ledger is a copy of the scenario's. */
export function scenario(): Sandbox {
  template ??= build();
  const sb = sandbox('relance-bank-');
  fs.copyFileSync(template, sb.ledger);
  return sb;
}

/** Rows of a query on the sandbox's ledger file (read-only). */
export function rows<T = Record<string, unknown>>(sb: Sandbox, sql: string, ...params: unknown[]): T[] {
  const db = new Database(sb.ledger, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every invoice's number and balance (amount due - allocations), as the ledger holds them. */
export function balances(sb: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows<{ number: string; balance: number }>(
    sb,
    `SELECT d.number, d.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id), 0) AS balance
     FROM documents d WHERE d.number IS NOT NULL ORDER BY d.number`,
  ))
    out[r.number] = (r.balance / 100).toFixed(2);
  return out;
}

export function credit(sb: Sandbox, client: string): string {
  const [r] = rows<{ c: number }>(
    sb,
    `SELECT COALESCE(SUM(p.amount), 0) - COALESCE((SELECT SUM(a.amount) FROM allocations a JOIN payments q ON q.id = a.payment_id JOIN clients k ON k.id = q.client_id WHERE k.code = ?), 0) AS c
     FROM payments p JOIN clients c ON c.id = p.client_id WHERE c.code = ?`,
    client,
    client,
  );
  return (r!.c / 100).toFixed(2);
}
