/**
 * openItems() and friends on rows inserted directly: balances as of a date, reminders that count,
 * the call log, disputes, plans, penalties of many invoices in a fixed number of queries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { write, type Db } from '../../src/store/db.js';
import { insertAllocation, insertPayment } from '../../src/store/payments.js';
import { insertPlan } from '../../src/store/plans.js';
import { clientStats, lastContacts, openItems, penaltiesOf, statementEntries } from '../../src/store/receivables.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let f: Fixture;
let db: Db;
let acme: number;
beforeEach(() => {
  f = ledgerFixture();
  db = f.db;
  acme = f.client('ACME');
});
afterEach(() => f.close());

const ts = '2026-01-01T00:00:00+01:00';
function pay(doc: number, date: string, amount: number) {
  write(db, () => {
    const id = insertPayment(db, { clientId: acme, date, amount, currency: 'EUR', method: 'transfer', reference: null, createdAt: ts });
    insertAllocation(db, id, doc, date, amount);
  });
}
function reminder(doc: number, level: number, date: string, status: string | null, channel = 'email') {
  let message: number | null = null;
  if (status) {
    message = Number(
      db.prepare(`INSERT INTO messages (client_id, level, channel, status, as_of, created_at) VALUES (?, ?, ?, ?, ?, ?)`).run(acme, level, channel, status, date, ts).lastInsertRowid,
    );
  }
  db.prepare('INSERT INTO reminders (document_id, level, message_id, date) VALUES (?, ?, ?, ?)').run(doc, level, message, date);
}

describe('openItems', () => {
  it('computes balances as of a date and leaves out settled, draft and future invoices', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    const b = f.invoice({ client: acme, number: 'F-2', issue: '2026-01-10', due: '2026-02-09', amount: 50_000 });
    f.invoice({ client: acme, number: 'F-3', issue: '2026-03-01', due: '2026-03-31', amount: 70_000 });
    f.draft({ client: acme, amount: 999 });
    pay(a, '2026-02-10', 30_000);
    pay(b, '2026-02-15', 50_000);
    f.creditNote({ invoice: a, number: 'A-1', date: '2026-02-20', amount: 10_000 });
    const on = (asOf: string) => openItems(db, { asOf }).map((i) => [i.number, i.paid, i.credited, i.balance, i.daysLate, i.bucket]);
    expect(on('2026-02-12')).toEqual([
      ['F-1', 30_000, 0, 70_000, 8, '1-30'],
      ['F-2', 0, 0, 50_000, 3, '1-30'],
    ]);
    expect(on('2026-03-01')).toEqual([
      ['F-1', 30_000, 10_000, 60_000, 25, '1-30'],
      ['F-3', 0, 0, 70_000, 0, 'not_due'],
    ]);
    expect(openItems(db, { asOf: '2026-03-01', includeSettled: true }).map((i) => i.number)).toEqual(['F-1', 'F-2', 'F-3']);
    expect(openItems(db, { asOf: '2026-03-01', documentId: b, includeSettled: true })[0]).toMatchObject({ number: 'F-2', balance: 0 });
  });

  it('reports the highest reminder level reached by the date, not counting failed or cancelled messages', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    reminder(a, 1, '2026-02-11', 'sent');
    reminder(a, 2, '2026-02-19', 'written');
    reminder(a, 3, '2026-03-06', 'failed');
    expect(openItems(db, { asOf: '2026-02-15' })[0]!.lastReminder).toEqual({ level: 1, date: '2026-02-11' });
    expect(openItems(db, { asOf: '2026-03-10' })[0]!.lastReminder).toEqual({ level: 2, date: '2026-02-19' });
  });

  it('ages a planned invoice by its late instalments', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-04-30', amount: 90_000 });
    write(db, () =>
      insertPlan(db, a, '2026-01-10', [
        { position: 1, dueDate: '2026-02-01', amount: 30_000 },
        { position: 2, dueDate: '2026-03-01', amount: 30_000 },
        { position: 3, dueDate: '2026-04-01', amount: 30_000 },
      ]),
    );
    pay(a, '2026-02-01', 30_000);
    const i = openItems(db, { asOf: '2026-03-11' })[0]!;
    expect(i).toMatchObject({ invoiceDaysLate: 0, daysLate: 10, bucket: '1-30' });
    expect(i.overdueInstalments.map((s) => [s.position, s.remaining])).toEqual([[2, 30_000]]);
    // before the plan existed, the invoice's own (not yet passed) date applied
    expect(openItems(db, { asOf: '2026-01-09' })[0]).toMatchObject({ plan: null, daysLate: 0 });
  });

  it('marks disputes that hold on the date', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    db.prepare(`UPDATE documents SET disputed_on = '2026-02-10', disputed_until = '2026-02-28', disputed_reason = 'wrong quantity' WHERE id = ?`).run(a);
    expect(openItems(db, { asOf: '2026-02-09' })[0]!.disputed).toBe(false);
    expect(openItems(db, { asOf: '2026-02-20' })[0]).toMatchObject({ disputed: true, disputedReason: 'wrong quantity' });
    expect(openItems(db, { asOf: '2026-03-01' })[0]!.disputed).toBe(false);
  });
});

describe('lastContacts', () => {
  it('gives the latest contact and promise up to the date, per invoice then per client, ignoring superseded rows', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    const b = f.invoice({ client: acme, number: 'F-2', issue: '2026-01-06', due: '2026-02-05', amount: 100_000 });
    const add = (at: string, outcome: string, promise: string | null, doc: number | null, supersedes: number | null = null) => {
      const id = Number(
        db.prepare(`INSERT INTO contacts (client_id, at, channel, outcome, promise_date, promise_amount, supersedes_id, created_at) VALUES (?, ?, 'call', ?, ?, ?, ?, ?)`).run(acme, at, outcome, promise, promise ? 50_000 : null, supersedes, ts).lastInsertRowid,
      );
      if (doc) db.prepare('INSERT INTO contact_documents (contact_id, document_id) VALUES (?, ?)').run(id, doc);
      return id;
    };
    const first = add('2026-02-10T10:00:00+01:00', 'will pay', '2026-02-20', a);
    add('2026-02-11T10:00:00+01:00', 'will pay on the 25th', '2026-02-25', a, first);
    add('2026-02-15T09:00:00+01:00', 'voicemail', null, null);
    add('2026-03-01T09:00:00+01:00', 'later', null, a);
    const c = lastContacts(db, '2026-02-16');
    expect(c.of({ id: a, clientId: acme })).toMatchObject({ last: { outcome: 'will pay on the 25th' }, promise: { promiseDate: '2026-02-25', promiseAmount: 50_000 } });
    // F-2 gets its client's last contact, but not the promise about F-1.
    expect(c.of({ id: b, clientId: acme })).toMatchObject({ last: { outcome: 'voicemail' }, promise: null });
    // A later promise about the whole client is the newer word for F-1 too.
    add('2026-02-17T09:00:00+01:00', 'all by March', '2026-03-05', null);
    const d = lastContacts(db, '2026-02-18');
    expect(d.of({ id: a, clientId: acme })).toMatchObject({ last: { outcome: 'will pay on the 25th' }, promise: { promiseDate: '2026-03-05' } });
    expect(d.of({ id: b, clientId: acme })).toMatchObject({ last: { outcome: 'all by March' }, promise: { promiseDate: '2026-03-05' } });
    expect(lastContacts(db, '2026-02-09').of({ id: a, clientId: acme })).toBeNull();
  });

  it('over the whole ledger reads only the contacts it needs, and gives what reading all of them gives', () => {
    // The whole-ledger read leaves out contacts about invoices settled by the date, but for each
    // client's latest (shown on its invoices nobody talked about) and every promise (one about a
    // settled invoice still replaces an earlier one about the whole client).
    const open = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    const settled = f.invoice({ client: acme, number: 'F-2', issue: '2026-01-06', due: '2026-02-05', amount: 100_000 });
    const later = f.invoice({ client: acme, number: 'F-3', issue: '2026-01-07', due: '2026-02-06', amount: 100_000 });
    const other = f.client('BETA');
    const beta = f.invoice({ client: other, number: 'F-4', issue: '2026-01-08', due: '2026-02-07', amount: 100_000 });
    pay(settled, '2026-02-01', 100_000);
    pay(later, '2026-03-10', 100_000); // open on 2026-03-01, settled since
    const add = (client: number, at: string, outcome: string, promise: string | null, doc: number | null) => {
      const id = Number(
        db.prepare(`INSERT INTO contacts (client_id, at, channel, outcome, promise_date, promise_amount, created_at) VALUES (?, ?, 'call', ?, ?, NULL, ?)`).run(client, at, outcome, promise, ts).lastInsertRowid,
      );
      if (doc) db.prepare('INSERT INTO contact_documents (contact_id, document_id) VALUES (?, ?)').run(id, doc);
      return id;
    };
    add(acme, '2026-02-10T10:00:00+01:00', 'all of it by the 20th', '2026-02-20', null);
    add(acme, '2026-02-12T10:00:00+01:00', 'about F-2, paid already', null, settled);
    add(acme, '2026-02-13T10:00:00+01:00', 'F-2 again: will send the remittance', '2026-02-14', settled);
    add(acme, '2026-02-14T10:00:00+01:00', 'about F-3', null, later);
    add(acme, '2026-02-16T10:00:00+01:00', 'last word, about F-2', null, settled);
    add(other, '2026-02-11T10:00:00+01:00', 'about F-4', '2026-02-28', beta);
    // The invoices open on each date (the only ones the report asks about).
    for (const [asOf, shown] of [['2026-03-01', [open, later, beta]], ['2026-03-20', [open, beta]]] as const) {
      const all = lastContacts(db, asOf);
      const byClient = (client: number) => lastContacts(db, asOf, client);
      expect(openItems(db, { asOf }).map((i) => i.id)).toEqual(shown);
      for (const id of shown) {
        const client = id === beta ? other : acme;
        expect(all.of({ id, clientId: client })).toEqual(byClient(client).of({ id, clientId: client }));
      }
      expect(all.promises).toEqual([...byClient(acme).promises, ...byClient(other).promises].sort((x, y) => (x.at < y.at ? -1 : 1)));
    }
    const c = lastContacts(db, '2026-03-01');
    // F-1: nobody talked about it, so its client's latest contact (about the settled F-2) and the
    // client's promise; F-3, still open that day: its own contact.
    expect(c.of({ id: open, clientId: acme })).toMatchObject({ last: { outcome: 'last word, about F-2' }, promise: { promiseDate: '2026-02-20' } });
    expect(c.of({ id: later, clientId: acme })).toMatchObject({ last: { outcome: 'about F-3' }, promise: { promiseDate: '2026-02-20' } });
    expect(c.promises.map((p) => p.promiseDate)).toEqual(['2026-02-20', '2026-02-28', '2026-02-14']);
  });
});

describe('penaltiesOf', () => {
  it('computes many invoices with the same fixed set of queries, and bills nothing on penalty invoices', () => {
    const ids = Array.from({ length: 40 }, (_, i) => f.invoice({ client: acme, number: `F-${i + 1}`, issue: '2025-08-31', due: '2025-09-30', amount: 100_000 }));
    f.invoice({ client: acme, number: 'P-1', issue: '2025-10-05', due: '2025-10-05', amount: 4000, kind: 'penalty' });
    pay(ids[0]!, '2025-10-31', 40_000);
    const items = openItems(db, { asOf: '2025-11-30' });
    // Count the statements run (not prepared: the store prepares its statements once per connection).
    let runs = 0;
    // Other methods (raw(), pluck()) run on the statement itself and hand back the counting proxy.
    const counted = (stmt: object): object => {
      const proxy: object = new Proxy(stmt, {
        get: (t, k) => {
          const v = Reflect.get(t, k) as unknown;
          if (['all', 'get', 'iterate', 'run'].includes(String(k))) return (...a: unknown[]) => (runs++, (v as Function).apply(t, a));
          return typeof v === 'function' ? (...a: unknown[]) => { const out = (v as Function).apply(t, a); return out === t ? proxy : out; } : v;
        },
      });
      return proxy;
    };
    const counting = new Proxy(db, { get: (t, k) => (k === 'prepare' ? (sql: string) => counted(t.prepare(sql)) : Reflect.get(t, k).bind?.(t) ?? Reflect.get(t, k)) });
    const p = penaltiesOf(counting as Db, items, '2025-11-30');
    expect(runs).toBeLessThanOrEqual(8);
    expect(p.get(ids[0]!)).toMatchObject({ interest: 1631, indemnity: 4000 });
    expect(p.get(ids[1]!)!.interest).toBe(2031); // 1 000 x 12.15 % x 61 / 365 = 20.306
    expect(items.find((i) => i.number === 'P-1')).toBeDefined();
    expect(p.has(items.find((i) => i.number === 'P-1')!.id)).toBe(false);
  });
});

describe('clientStats and statementEntries', () => {
  it('DSO and average days late per client and currency', () => {
    const a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
    f.invoice({ client: acme, number: 'F-2', issue: '2026-02-01', due: '2026-03-03', amount: 50_000 });
    f.invoice({ client: acme, number: 'F-3', issue: '2026-02-01', due: '2026-03-03', amount: 10_000, currency: 'USD' });
    pay(a, '2026-02-14', 100_000); // 10 days late
    const s = clientStats(db, '2026-03-13');
    expect(s.map((x) => [x.currency, x.outstanding, x.invoiced, x.dso, x.avgDaysLate])).toEqual([
      // DSO by count-back: the 500 € owed are F-2, invoiced 40 days before 2026-03-13 (day 41).
      ['EUR', 50_000, 150_000, 41, 10], // F-2 is 10 days late on 2026-03-13, F-1 was paid 10 days late
      ['USD', 10_000, 10_000, 41, 10],
    ]);
    expect(statementEntries(db, acme, '2026-02-20').map((e) => [e.kind, e.reference, e.debit, e.credit])).toEqual([
      ['invoice', 'F-1', 100_000, 0],
      ['invoice', 'F-2', 50_000, 0],
      ['invoice', 'F-3', 10_000, 0],
      ['payment', '#1', 0, 100_000],
    ]);
  });

  // The DSO reads the balance of the window's invoices from the settlement marker when it can: each
  // case where it cannot (paid then reversed after the date, overpaid, settled after the date)
  // must give the days late that computing every balance gives.
  it('days late of invoices settled for good, settled after the date, reversed after it, or overpaid', () => {
    const inv = (n: number, amount: number) => f.invoice({ client: acme, number: `F-${n}`, issue: '2026-01-05', due: '2026-02-04', amount });
    const [a, b, c, d] = [inv(1, 1_000), inv(2, 2_000), inv(3, 3_000), inv(4, 4_000)];
    pay(a, '2026-02-14', 1_000); // settled for good 10 days late
    pay(b, '2026-02-24', 2_000); // settled 20 days late, then reversed after the date
    write(db, () => {
      const id = insertPayment(db, { clientId: acme, date: '2026-04-01', amount: -2_000, currency: 'EUR', method: 'reversal', reference: null, createdAt: ts });
      insertAllocation(db, id, b, '2026-04-01', -2_000);
    });
    pay(c, '2026-02-09', 3_500); // overpaid 5 days late
    pay(d, '2026-05-01', 4_000); // settled after the date: 37 days late on 2026-03-13
    const s = clientStats(db, '2026-03-13');
    // (10 + 20 + 5 + 37) / 4; outstanding: F-3 is owed 5.00 back, F-4 40.00
    expect(s.map((x) => [x.outstanding, x.invoicesDue, x.avgDaysLate])).toEqual([[3_500, 4, 18]]);
    expect(clientStats(db, '2026-03-13', { clientId: acme })).toEqual(s);
    expect(clientStats(db, '2026-03-13', { items: openItems(db, { asOf: '2026-03-13' }) })).toEqual(s);
  });
});
