/**
 * Migration 3: documents.settled_on, the date from which an issued invoice's balance is zero for good,
 * kept by triggers in the same transaction as the write that changes it, and back-filled on ledgers
 * that were at version 2. The property test (payments-property.test.ts) checks it over random
 * sequences; here: the migration of an existing ledger, and each writer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { write, migrate, type Db } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrations.js';
import { ALL_TIME, payInvoice, requireReceivable, reversePayment, listPayments } from '../../src/store/payments.js';
import { openItems } from '../../src/store/receivables.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let fx: Fixture | undefined;
afterEach(() => fx?.close());

const ts = '2026-01-01T00:00:00+01:00';
const settledOn = (db: Db, id: number) => (db.prepare('SELECT settled_on AS s FROM documents WHERE id = ?').get(id) as { s: string | null }).s;
const pay = (db: Db, number: string, amount: number, date: string) =>
  write(db, () => payInvoice(db, requireReceivable(db, number), { amount, date, method: 'transfer', reference: null, createdAt: ts }));

describe('settlement marker', () => {
  it('is set by the payment that brings the balance to zero, cleared by its reversal, set by a credit note', () => {
    const f = (fx = ledgerFixture());
    const c = f.client('ACME');
    const a = f.invoice({ client: c, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 12_000 });
    const b = f.invoice({ client: c, number: 'F-2', issue: '2026-01-06', due: '2026-02-05', amount: 5_000 });
    expect(settledOn(f.db, a)).toBeNull();
    pay(f.db, 'F-1', 2_000, '2026-02-10');
    expect(settledOn(f.db, a)).toBeNull();
    pay(f.db, 'F-1', 10_000, '2026-03-01');
    expect(settledOn(f.db, a)).toBe('2026-03-01');
    const last = listPayments(f.db).find((p) => p.amount === 10_000)!;
    write(f.db, () => reversePayment(f.db, last, '2026-03-20', null, ts));
    expect(settledOn(f.db, a)).toBeNull();
    f.creditNote({ invoice: b, number: 'A-1', date: '2026-02-01', amount: 5_000 });
    expect(settledOn(f.db, b)).toBe('2026-02-01');
    // As of a day before the marker, the invoice is still an open item; from it on, it is not.
    expect(openItems(f.db, { asOf: '2026-01-31' }).map((i) => i.number)).toEqual(['F-1', 'F-2']);
    expect(openItems(f.db, { asOf: '2026-02-01' }).map((i) => i.number)).toEqual(['F-1']);
  });

  it('is back-filled when a version-2 ledger is migrated, and the reports read the same', () => {
    const f = (fx = ledgerFixture());
    const c = f.client('ACME');
    const ids = [1, 2, 3, 4].map((i) => f.invoice({ client: c, number: `F-${i}`, issue: `2026-01-0${i}`, due: `2026-02-0${i}`, amount: 1_000 * i }));
    pay(f.db, 'F-1', 1_000, '2026-02-01'); // settled
    pay(f.db, 'F-2', 500, '2026-02-01'); // partly paid
    pay(f.db, 'F-3', 3_000, '2026-12-01'); // settled after the as-of date below
    f.invoice({ client: c, number: 'F-5', issue: '2026-01-05', due: '2026-02-05', amount: 0 }); // nothing to pay
    const expected = ids.map((id) => settledOn(f.db, id));
    expect(expected).toEqual(['2026-02-01', null, '2026-12-01', null]);
    const before = openItems(f.db, { asOf: '2026-06-30' });

    // The ledger as version 2 had it: no column, no triggers, no indices of migration 3.
    const db = f.db;
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${name}`);
    db.exec('DROP INDEX report_documents_settled; DROP INDEX report_documents_window; DROP INDEX report_documents_balance; DROP INDEX report_payments_balance');
    db.exec('DROP TABLE settlement_pending; DROP INDEX bank_documents_owing'); // 16: deferred settlement (its triggers went with the others), and bank_documents_open dropped
    // (11: the kept balance and its index; 14: the kept last reminder, in that index too)
    db.exec('DROP INDEX report_documents_open; ALTER TABLE documents DROP COLUMN balance; ALTER TABLE documents DROP COLUMN last_settlement');
    db.exec('ALTER TABLE documents DROP COLUMN last_reminder_level; ALTER TABLE documents DROP COLUMN last_reminder_date');
    db.exec('ALTER TABLE documents DROP COLUMN settled_on');
    // ...nor what later migrations add (5: imports; 6: clients.archived_on; 7: bank statements).
    db.exec('ALTER TABLE documents DROP COLUMN import_id; ALTER TABLE clients DROP COLUMN import_id; DROP TABLE imports');
    db.exec('ALTER TABLE clients DROP COLUMN archived_on');
    db.exec('DROP TABLE invoice_statuses; DROP TABLE document_eur_rates'); // 8: platform statuses, EUR rates
    db.exec('DROP TABLE recurring_periods; DROP TABLE recurring'); // 13: recurring invoices
    db.exec('DROP TABLE document_logos; DROP TABLE logos'); // 14: the business logo (its triggers dropped above)
    db.exec('ALTER TABLE clients DROP COLUMN delivery_address; ALTER TABLE documents DROP COLUMN delivery_address'); // 12: delivery addresses
    db.exec('DROP INDEX IF EXISTS messages_document_sends'); // 10: documents sent on their own
    db.exec('DROP INDEX bank_documents_key; DROP TABLE client_ibans; DROP TABLE bank_line_payments; DROP TABLE bank_lines; DROP TABLE bank_imports; DROP TABLE bank_accounts');
    db.pragma('user_version = 2');

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(ids.map((id) => settledOn(db, id))).toEqual(expected);
    expect(settledOn(db, requireReceivable(db, 'F-5').id)).toBe('2026-01-05');
    expect(openItems(db, { asOf: '2026-06-30' })).toEqual(before);
    expect(openItems(db, { asOf: ALL_TIME }).map((i) => i.number)).toEqual(['F-2', 'F-4']);
    // Migration 8 back-fills the kept balance and the last settlement's date.
    expect(ids.map((id) => db.prepare('SELECT balance, last_settlement FROM documents WHERE id = ?').get(id))).toEqual([
      { balance: 0, last_settlement: '2026-02-01' },
      { balance: 1_500, last_settlement: '2026-02-01' },
      { balance: 0, last_settlement: '2026-12-01' },
      { balance: 4_000, last_settlement: null },
    ]);
    // The triggers are back: the next payment keeps the marker.
    pay(db, 'F-4', 4_000, '2026-03-01');
    expect(settledOn(db, ids[3]!)).toBe('2026-03-01');
  });
});
