/**
 * Issue 14 §2, property: over random sequences of invoices, payments, promises to pay, payment
 * plans (made and cancelled), on-demand reminders and `remind --due` run dates, with messages that
 * go out, fail (retried by the next run) or stay uncertain (then resolved either way): for every
 * invoice, the levels of the messages that list it (an instalment counts as its invoice) never go
 * down. In-process against the planner and the real store (a temp SQLite ledger): the same reads
 * and exactly-once writes `remind` makes, without rendering or transport.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { planOnDemand, planReminders, type ClientPlan, type Policy } from '../../src/core/dunning.js';
import { UsageError } from '../../src/core/errors.js';
import { evenInstalments } from '../../src/core/plans.js';
import { write, type Db } from '../../src/store/db.js';
import { insertContact } from '../../src/store/contacts.js';
import { invoiceState, payInvoice, requireReceivable } from '../../src/store/payments.js';
import { activePlan, cancelPlan, insertPlan } from '../../src/store/plans.js';
import {
  getPolicy,
  loadClientStates,
  loadOpenItems,
  loadPromises,
  loadReminderStates,
  markDone,
  markFailed,
  markForRetry,
  recordSending,
  sendingMessages,
  setStopWork,
} from '../../src/store/reminders.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

type Fate = 'sent' | 'failed' | 'uncertain';
type Op =
  | { t: 'run'; fates: Fate[] }
  | { t: 'pay'; inv: number; part: number }
  | { t: 'promise'; inv: number | null; days: number }
  | { t: 'plan'; inv: number; n: number }
  | { t: 'cancelPlan'; inv: number }
  | { t: 'demand'; inv: number | null; level: number; fate: Fate }
  | { t: 'resolve'; sent: boolean };

const INVOICES = 4;
const inv = fc.integer({ min: 0, max: INVOICES - 1 });
const fate: fc.Arbitrary<Fate> = fc.oneof({ arbitrary: fc.constant('sent' as const), weight: 8 }, fc.constant('failed' as const), fc.constant('uncertain' as const));
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('run' as const), fates: fc.array(fate, { minLength: 2, maxLength: 2 }) }), weight: 8 },
  { arbitrary: fc.record({ t: fc.constant('pay' as const), inv, part: fc.integer({ min: 10, max: 100 }) }), weight: 2 },
  fc.record({ t: fc.constant('promise' as const), inv: fc.option(inv, { nil: null }), days: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ t: fc.constant('plan' as const), inv, n: fc.integer({ min: 2, max: 4 }) }),
  fc.record({ t: fc.constant('cancelPlan' as const), inv }),
  fc.record({ t: fc.constant('demand' as const), inv: fc.option(inv, { nil: null }), level: fc.integer({ min: 0, max: 4 }), fate }),
  fc.record({ t: fc.constant('resolve' as const), sent: fc.boolean() }),
);

/** One message that may have reached the client: its level and the invoices it listed. */
interface Delivered {
  row: number;
  level: number;
  documents: number[];
  date: string;
  counts: boolean;
}

let fx: Fixture | undefined;
afterEach(() => {
  fx?.close();
  fx = undefined;
});

/** What remind does with a plan, minus rendering: record 'sending' with the reminders, then mark the fate. */
function deliver(db: Db, plan: ClientPlan, asOf: string, f: Fate, log: Delivered[], onDemand: boolean): void {
  const ts = `${asOf}T09:00:00+01:00`;
  const channel = plan.level.channels.includes('letter') ? 'letter' : plan.level.channels.includes('email') ? 'email' : plan.level.channels[0]!;
  const reminders = plan.items.filter((i) => i.newLevel !== null).map((i) => ({ documentId: i.documentId, instalment: i.instalment, level: i.newLevel!, penalty: null, indemnity: null }));
  let id = 0;
  write(db, () => {
    id = recordSending(
      db,
      { clientId: plan.clientId, level: plan.level.level, channel, messageId: null, asOf, subject: 's', text: 't', html: null, recipient: 'r', filePath: null, invoices: plan.items.map((i) => i.number).join(', '), onDemand, reminders },
      ts,
      () => `<${Math.random()}@test>`,
    ).id;
  });
  // A failed message never reached the client; an uncertain one may have: it counts until resolved.
  log.push({ row: id, level: plan.level.level, documents: plan.items.map((i) => i.documentId), date: asOf, counts: f !== 'failed' });
  write(db, () => {
    if (f === 'sent') {
      markDone(db, id, 'sent', ts);
      if (plan.level.channels.includes('handover')) setStopWork(db, plan.clientId);
    } else if (f === 'failed') markFailed(db, id, '550 refused');
  });
}

describe('never a milder message after a stronger one', () => {
  it('for every invoice, the levels of the messages that list it never go down', () => {
    const seen = { runs: 0, messages: 0, raised: 0, joined: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: INVOICES, maxLength: INVOICES }),
        fc.array(fc.tuple(op, fc.integer({ min: 1, max: 9 })), { minLength: 5, maxLength: 28 }),
        fc.boolean(),
        (dues, ops, catchUp) => {
          fx?.close();
          const f = (fx = ledgerFixture());
          const db = f.db;
          const clients = [f.client('ACME'), f.client('GLOBEX')];
          const ids = dues.map((d, i) =>
            f.invoice({ client: clients[i % 2 === 0 || i === 3 ? 0 : 1]!, number: `F-${i + 1}`, issue: addDays('2026-01-01', d - 30), due: addDays('2026-01-01', d), amount: 60_000 + i * 10_000 }),
          );
          if (catchUp) write(db, () => db.prepare(`INSERT INTO settings (key, value) VALUES ('policy', ?)`).run(JSON.stringify({ catchUp: true })));
          const log: Delivered[] = [];
          let day = '2025-12-20';
          for (const [o, step] of ops) {
            day = addDays(day, step);
            const ts = `${day}T10:00:00+01:00`;
            try {
              switch (o.t) {
                case 'run': {
                  seen.runs++;
                  const policy = getPolicy(db);
                  const states = loadClientStates(db, policy);
                  const clientPolicies = new Map<number, Policy>();
                  for (const c of states) if (c.policy) clientPolicies.set(c.id, c.policy);
                  const plan = planReminders({ asOf: day, items: loadOpenItems(db, day).items, reminders: loadReminderStates(db), clients: states, promises: loadPromises(db, day), policy, clientPolicies });
                  plan.clients.forEach((c, k) => {
                    if (c.rule.applied === 'client-level') seen.raised++;
                    seen.joined += c.rule.joined.length;
                    deliver(db, c, day, o.fates[k % o.fates.length]!, log, false);
                  });
                  break;
                }
                case 'pay': {
                  const st = invoiceState(db, ids[o.inv]!);
                  if (st.balance > 0) write(db, () => payInvoice(db, requireReceivable(db, `F-${o.inv + 1}`), { amount: Math.max(1, Math.floor((st.balance * o.part) / 100)), date: day, method: 'transfer', reference: null, createdAt: ts }));
                  break;
                }
                case 'promise': {
                  const clientId = o.inv === null ? clients[0]! : (db.prepare('SELECT client_id FROM documents WHERE id = ?').get(ids[o.inv]!) as { client_id: number }).client_id;
                  write(db, () =>
                    insertContact(db, { clientId, at: ts, channel: 'call', withWhom: null, outcome: 'promised to pay', promiseDate: addDays(day, o.days), promiseAmount: null, nextActionDate: null, disputeReason: null, documentIds: o.inv === null ? [] : [ids[o.inv]!] }, ts),
                  );
                  break;
                }
                case 'plan': {
                  const st = invoiceState(db, ids[o.inv]!);
                  if (st.balance >= o.n && !activePlan(db, ids[o.inv]!)) write(db, () => insertPlan(db, ids[o.inv]!, day, evenInstalments(st.balance, o.n, { months: 1 }, addDays(day, 3))));
                  break;
                }
                case 'cancelPlan': {
                  const p = activePlan(db, ids[o.inv]!);
                  if (p) write(db, () => cancelPlan(db, p.id, day));
                  break;
                }
                case 'demand': {
                  // remind F-n --level N, or remind --client ACME --level N (refusals are part of the game)
                  const documentId = o.inv === null ? undefined : ids[o.inv]!;
                  const clientId = documentId === undefined ? clients[0]! : (db.prepare('SELECT client_id FROM documents WHERE id = ?').get(documentId) as { client_id: number }).client_id;
                  const items = loadOpenItems(db, day, clientId).items;
                  if (documentId !== undefined && !items.some((i) => i.documentId === documentId)) break;
                  const states = loadReminderStates(db);
                  if (states.some((s) => s.uncertainMessageId !== null && items.some((i) => i.documentId === s.documentId))) break;
                  const target = documentId === undefined ? items : items.filter((i) => i.documentId === documentId || i.dueDate < day);
                  const p = planOnDemand(clientId, 'C', target, states, getPolicy(db), o.level, day, documentId);
                  if (p.items.length === 0 || !p.items.some((i) => i.newLevel !== null)) break;
                  deliver(db, p, day, o.fate, log, true);
                  break;
                }
                case 'resolve': {
                  // remind --resolve ID --sent | --retry: a retried message never reached the client.
                  const m = sendingMessages(db)[0];
                  if (!m) break;
                  write(db, () => (o.sent ? markDone(db, m.id, 'sent', ts) : markForRetry(db, m.id, 'checked: not received')));
                  if (!o.sent) for (const d of log) if (d.row === m.id && d.counts && d.date === m.as_of) d.counts = false;
                  break;
                }
              }
            } catch (err) {
              if (!(err instanceof UsageError)) throw err;
            }
          }
          seen.messages += log.length;
          // The property: per invoice, the levels of the messages that may have reached the client never go down.
          for (const id of ids) {
            const levels = log.filter((d) => d.counts && d.documents.includes(id)).map((d) => `${d.date}:${d.level}`);
            for (let k = 1; k < levels.length; k++) {
              const prev = Number(levels[k - 1]!.split(':')[1]);
              const cur = Number(levels[k]!.split(':')[1]);
              if (cur < prev) expect.fail(`invoice ${id}: a level-${cur} message after a level-${prev} one (${levels.join(' ')})`);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    // The generator reaches the cases that matter: messages, raised levels and joining invoices.
    expect(seen.messages).toBeGreaterThan(50);
    expect(seen.raised + seen.joined).toBeGreaterThan(0);
  }, 120_000);
});
