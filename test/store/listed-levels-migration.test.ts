/**
 * Migration 4 (issue 14 §2): messages written before "never a milder message" listed invoices they
 * carried no reminder for. The upgrade records each of those at the message's level, so the planner
 * never lists them in a milder message afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, planReminders } from '../../src/core/dunning.js';
import { listedLevelsBackfill } from '../../src/store/schema/listed-levels.js';
import { loadClientStates, loadOpenItems, loadReminderStates } from '../../src/store/reminders.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let fx: Fixture | undefined;
afterEach(() => {
  fx?.close();
  fx = undefined;
});

describe('the backfill of listed invoices', () => {
  it('records every invoice and instalment a message listed at its level, except failed messages and copies', () => {
    const f = (fx = ledgerFixture());
    const db = f.db;
    const c = f.client('ACME');
    const a = f.invoice({ client: c, number: 'F/2026/1', issue: '2026-01-01', due: '2026-01-31', amount: 100_000 });
    const b = f.invoice({ client: c, number: 'F/2026/2', issue: '2026-01-30', due: '2026-03-01', amount: 50_000 });
    const p = f.invoice({ client: c, number: 'F/2026/3', issue: '2026-01-01', due: '2026-01-31', amount: 20_000 });
    const msg = (level: number, status: string, invoices: string, copyOf: number | null = null) =>
      Number(
        db
          .prepare(`INSERT INTO messages (client_id, level, channel, status, as_of, invoices, copy_of, created_at) VALUES (?, ?, 'letter', ?, '2026-03-02', ?, ?, '2026-03-02T09:00:00+01:00')`)
          .run(c, level, status, invoices, copyOf).lastInsertRowid,
      );
    const notice = msg(3, 'written', 'F/2026/1, F/2026/2, F/2026/3/2');
    db.prepare(`INSERT INTO reminders (document_id, instalment, level, message_id, date) VALUES (?, 0, 3, ?, '2026-03-02')`).run(a, notice);
    msg(3, 'written', 'F/2026/1, F/2026/2', notice); // the email copy: same list, nothing more to record
    msg(1, 'failed', 'F/2026/2'); // never reached the client
    // The ledger as version 3 had it, with the later migrations' own additions kept (they touch
    // neither messages nor reminders): only migration 4's backfill runs again.
    db.exec(listedLevelsBackfill);
    const rows = db.prepare('SELECT document_id, instalment, level, message_id, date FROM reminders ORDER BY document_id, instalment, level').all();
    expect(rows).toEqual([
      { document_id: a, instalment: 0, level: 3, message_id: notice, date: '2026-03-02' },
      { document_id: b, instalment: 0, level: 3, message_id: notice, date: '2026-03-02' },
      { document_id: p, instalment: 2, level: 3, message_id: notice, date: '2026-03-02' },
    ]);
    // Running it again changes nothing.
    db.exec(listedLevelsBackfill);
    expect(db.prepare('SELECT COUNT(*) AS n FROM reminders').get()).toEqual({ n: 3 });

    // 03-09: B's own level 1 is due, but B was in the formal notice: no milder message.
    const plan = planReminders({ asOf: '2026-03-09', items: loadOpenItems(db, '2026-03-09').items, reminders: loadReminderStates(db), clients: loadClientStates(db, DEFAULT_POLICY), promises: [], policy: DEFAULT_POLICY });
    expect(plan.clients).toEqual([]);
  });
});
