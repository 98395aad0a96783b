/**
 * Rows written straight into a sandbox ledger with better-sqlite3, for the call-log, todo and
 * history tests: invoices, quotes, payments with allocations, reminder messages. The commands
 * that make them belong to other issues; here only their rows matter.
 */
import Database from 'better-sqlite3';

export interface Seed {
  db: Database.Database;
  clientId(code: string): number;
  invoice(o: { client: string; number: string; issue: string; due: string; amount: number; kind?: string }): number;
  quote(o: { client: string; number: string; date: string; amount: number; acceptedOn?: string; acceptedBy?: string }): number;
  payment(o: { client: string; date: string; amount: number; allocations?: [invoiceId: number, cents: number][]; reference?: string }): number;
  message(o: { client: string; level: number; channel: 'email' | 'letter' | 'call' | 'handover'; asOf: string; status?: string; invoices?: number[]; filePath?: string; subject?: string }): number;
  close(): void;
}

export function seed(file: string): Seed {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  let seq = 1000;
  const s: Seed = {
    db,
    clientId(code) {
      return (db.prepare('SELECT id FROM clients WHERE code = ?').get(code) as { id: number }).id;
    },
    invoice(o) {
      const info = db
        .prepare(
          `INSERT INTO documents (kind, number, seq, client_id, created_on, issue_date, due_date, total_net, total_vat, total_gross, amount_due)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(o.kind ?? 'invoice', o.number, seq++, s.clientId(o.client), o.issue, o.issue, o.due, o.amount, o.amount, o.amount);
      return Number(info.lastInsertRowid);
    },
    quote(o) {
      const info = db
        .prepare(
          `INSERT INTO documents (kind, number, seq, client_id, created_on, issue_date, total_gross, accepted_on, accepted_by)
           VALUES ('quote', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(o.number, seq++, s.clientId(o.client), o.date, o.date, o.amount, o.acceptedOn ?? null, o.acceptedBy ?? null);
      return Number(info.lastInsertRowid);
    },
    payment(o) {
      const info = db
        .prepare(`INSERT INTO payments (client_id, date, amount, reference, created_at) VALUES (?, ?, ?, ?, ?)`)
        .run(s.clientId(o.client), o.date, o.amount, o.reference ?? null, `${o.date}T12:00:00+01:00`);
      const id = Number(info.lastInsertRowid);
      for (const [doc, cents] of o.allocations ?? []) db.prepare('INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)').run(id, doc, o.date, cents);
      return id;
    },
    message(o) {
      const info = db
        .prepare(`INSERT INTO messages (client_id, level, channel, status, as_of, subject, file_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(s.clientId(o.client), o.level, o.channel, o.status ?? 'written', o.asOf, o.subject ?? null, o.filePath ?? null, `${o.asOf}T02:00:00+01:00`);
      const id = Number(info.lastInsertRowid);
      for (const d of o.invoices ?? []) db.prepare('INSERT INTO reminders (document_id, level, message_id, date) VALUES (?, ?, ?, ?)').run(d, o.level, id, o.asOf);
      return id;
    },
    close() {
      db.close();
    },
  };
  return s;
}
