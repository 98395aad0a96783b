/**
 * Test data for the reminder tests: rows inserted with better-sqlite3 into a ledger made by
 * sb.init() (so these tests do not depend on the invoice and payment commands).
 */
import Database from 'better-sqlite3';

export interface Seeder {
  client(code: string, o?: { name?: string; email?: string | null; address?: string | null; kind?: 'b2b' | 'b2c'; lang?: 'fr' | 'en'; pausedUntil?: string; phone?: string }): number;
  invoice(o: { client: number; number: string; issue: string; due: string; amount: number }): number;
  pay(o: { client: number; invoice: number; date: string; amount: number }): void;
  dispute(invoice: number, on: string, until: string | null): void;
  promise(o: { client: number; at: string; date: string; invoices?: number[] }): void;
  setting(key: string, value: unknown): void;
  db: Database.Database;
}

let seq = 0;

export function seed<T>(ledger: string, fn: (s: Seeder) => T): T {
  const db = new Database(ledger);
  db.pragma('foreign_keys = ON');
  const s: Seeder = {
    db,
    client(code, o = {}) {
      return Number(
        db
          .prepare(
            `INSERT INTO clients (code, name, email, address, kind, lang, paused_until, phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00+01:00')`,
          )
          .run(code, o.name ?? `${code} SAS`, o.email === undefined ? `compta@${code.toLowerCase()}.example` : o.email, o.address === undefined ? `1 rue ${code}\n75002 Paris` : o.address, o.kind ?? 'b2b', o.lang ?? 'fr', o.pausedUntil ?? null, o.phone ?? null).lastInsertRowid,
      );
    },
    invoice(o) {
      const vat = Math.round(o.amount / 6);
      return Number(
        db
          .prepare(
            `INSERT INTO documents (kind, number, seq, client_id, currency, created_on, issue_date, due_date, total_net, total_vat, total_gross, amount_due)
             VALUES ('invoice', ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(o.number, ++seq, o.client, o.issue, o.issue, o.due, o.amount - vat, vat, o.amount, o.amount).lastInsertRowid,
      );
    },
    pay(o) {
      const p = db.prepare(`INSERT INTO payments (client_id, date, amount, method, created_at) VALUES (?, ?, ?, 'transfer', '2026-01-01T00:00:00+01:00')`).run(o.client, o.date, o.amount);
      db.prepare('INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)').run(p.lastInsertRowid, o.invoice, o.date, o.amount);
    },
    dispute(invoice, on, until) {
      db.prepare(`UPDATE documents SET disputed_on = ?, disputed_until = ?, disputed_reason = 'quantity' WHERE id = ?`).run(on, until, invoice);
    },
    promise(o) {
      const c = db
        .prepare(`INSERT INTO contacts (client_id, at, channel, with_whom, outcome, promise_date, created_at) VALUES (?, ?, 'call', 'accounts', 'promised to pay', ?, ?)`)
        .run(o.client, o.at, o.date, o.at);
      for (const d of o.invoices ?? []) db.prepare('INSERT INTO contact_documents (contact_id, document_id) VALUES (?, ?)').run(c.lastInsertRowid, d);
    },
    setting(key, value) {
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
    },
  };
  try {
    return fn(s);
  } finally {
    db.close();
  }
}

/** Rows of a ledger (read-only), for assertions. */
export function query<T>(ledger: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(ledger, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every day from `from` to `to`, inclusive. */
export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}
