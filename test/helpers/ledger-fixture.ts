/**
 * A ledger in a temp folder with rows inserted directly (better-sqlite3), for store tests of
 * payments, plans and receivables that must not depend on the invoice commands.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLedger, type Db } from '../../src/store/db.js';
import { insertClient } from '../../src/store/clients.js';
import { putSetting } from '../../src/store/settings.js';

export interface Fixture {
  db: Db;
  dir: string;
  client(code: string, kind?: 'b2b' | 'b2c'): number;
  /** An issued invoice (or another receivable kind) with its amount due incl. VAT. */
  invoice(o: { client: number; number: string; issue: string; due: string; amount: number; currency?: string; kind?: string }): number;
  /** A draft invoice (no number). */
  draft(o: { client: number; amount: number }): number;
  /** An issued credit note cancelling part or all of an invoice. */
  creditNote(o: { invoice: number; number: string; date: string; amount: number }): number;
  close(): void;
}

export function ledgerFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-store-'));
  const db = createLedger(path.join(dir, 'ledger.db'), (d) => {
    putSetting(d, 'business.name', 'Atelier Dupont');
    putSetting(d, 'business.email', 'compta@dupont.example');
  });
  let seq = 0;
  const insertDoc = db.prepare(`
    INSERT INTO documents (kind, number, seq, client_id, currency, created_on, issue_date, due_date, total_net, total_vat, total_gross, amount_due, cancels_id)
    VALUES (@kind, @number, @seq, @client, @currency, @issue, @issue, @due, @net, @vat, @gross, @amount, @cancels)`);
  return {
    db,
    dir,
    client(code, kind = 'b2b') {
      return insertClient(db, code, { name: `${code} SAS`, kind }, '2025-01-01T00:00:00+01:00').id;
    },
    invoice(o) {
      const vat = Math.round(o.amount / 6);
      return Number(
        insertDoc.run({ kind: o.kind ?? 'invoice', number: o.number, seq: ++seq, client: o.client, currency: o.currency ?? 'EUR', issue: o.issue, due: o.due, net: o.amount - vat, vat, gross: o.amount, amount: o.amount, cancels: null })
          .lastInsertRowid,
      );
    },
    draft(o) {
      return Number(
        db
          .prepare(`INSERT INTO documents (kind, client_id, created_on, total_gross, amount_due) VALUES ('invoice', ?, '2025-01-01', ?, ?)`)
          .run(o.client, o.amount, o.amount).lastInsertRowid,
      );
    },
    creditNote(o) {
      const inv = db.prepare('SELECT client_id, currency FROM documents WHERE id = ?').get(o.invoice) as { client_id: number; currency: string };
      return Number(
        insertDoc.run({ kind: 'credit_note', number: o.number, seq: ++seq, client: inv.client_id, currency: inv.currency, issue: o.date, due: null, net: o.amount, vat: 0, gross: o.amount, amount: o.amount, cancels: o.invoice })
          .lastInsertRowid,
      );
    },
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
