/**
 * Property: for every invoice, amount due (total incl. VAT less deposits) = payments + credit notes +
 * balance, over random sequences of payments (to an invoice, to a client oldest-first, from credit),
 * reversals, payment plans and credit notes. Also: the documents module's settlement agrees, client
 * credit is never negative, plan instalments always add up, and every past as-of view is unchanged
 * by what happens later. The kept balance (documents.balance and last_settlement, migration 8) always
 * equals the one computed from every payment and credit note. And the settlement marker (documents.settled_on, kept by triggers) always
 * agrees with the derived balance: set exactly when the balance is zero, to a date from which the
 * balance is zero on every later date, and the open items read through it are those computed from
 * every invoice's balance.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocation.js';
import { addDays } from '../../src/core/dates.js';
import { UsageError } from '../../src/core/errors.js';
import { evenInstalments } from '../../src/core/plans.js';
import { write } from '../../src/store/db.js';
import { settlement } from '../../src/store/documents.js';
import { ALL_TIME, clientCredit, invoiceState, listPayments, payClient, payFromCredit, payInvoice, requireReceivable, reversePayment } from '../../src/store/payments.js';
import { activePlan, cancelPlan, insertPlan } from '../../src/store/plans.js';
import { openItems, penaltiesOf, type OpenItem } from '../../src/store/receivables.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

type Op =
  | { t: 'pay'; inv: number; amount: number | null }
  | { t: 'client'; amount: number }
  | { t: 'reverse'; k: number }
  | { t: 'plan'; inv: number; n: number }
  | { t: 'cancelPlan'; inv: number }
  | { t: 'credit'; inv: number; part: number }
  | { t: 'fromCredit'; inv: number }
  | { t: 'over'; inv: number; extra: number };

const inv = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('pay' as const), inv, amount: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: null }) }),
  fc.record({ t: fc.constant('client' as const), amount: fc.integer({ min: 1, max: 300_000 }) }),
  fc.record({ t: fc.constant('reverse' as const), k: fc.nat(20) }),
  fc.record({ t: fc.constant('plan' as const), inv, n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ t: fc.constant('cancelPlan' as const), inv }),
  fc.record({ t: fc.constant('credit' as const), inv, part: fc.integer({ min: 1, max: 100 }) }),
  { arbitrary: fc.record({ t: fc.constant('fromCredit' as const), inv }), weight: 3 },
  fc.record({ t: fc.constant('over' as const), inv, extra: fc.integer({ min: 1, max: 50_000 }) }),
);

/** An open item but its settlements (compared by their sum and their penalties instead). */
const withoutSettlements = ({ settlements: _, ...rest }: OpenItem) => rest;

let fx: Fixture | undefined;
afterEach(() => {
  fx?.close();
  fx = undefined;
});

describe('total incl. VAT = payments + credit notes + balance', () => {
  it('holds over random sequences of payments, reversals, plans and credit notes', () => {
    const done = new Map<string, number>();
    let early = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 3, maxLength: 3 }), fc.array(op, { maxLength: 30 }), (amounts, ops) => {
        fx?.close();
        const f = (fx = ledgerFixture());
        const db = f.db;
        const client = f.client('ACME');
        const ids = amounts.map((a, i) => f.invoice({ client, number: `F-2026-000${i + 1}`, issue: `2026-01-0${i + 1}`, due: `2026-02-0${i + 1}`, amount: a }));
        const refs = ids.map((_, i) => requireReceivable(db, `F-2026-000${i + 1}`));
        let creditNotes = 0;
        const views: { day: string; items: unknown }[] = [];
        const ts = '2026-01-01T00:00:00+01:00';

        ops.forEach((o, step) => {
          const day = addDays('2026-01-10', step * 3);
          try {
            write(db, () => {
              switch (o.t) {
                case 'pay':
                  payInvoice(db, refs[o.inv]!, { amount: o.amount ?? undefined, date: day, method: 'transfer', reference: null, createdAt: ts });
                  break;
                case 'client':
                  payClient(db, client, { amount: o.amount, currency: 'EUR', date: day, method: 'transfer', reference: null, createdAt: ts }, allocate);
                  break;
                case 'reverse': {
                  const open = listPayments(db).filter((p) => p.reversesId === null && p.reversedById === null);
                  if (open.length) reversePayment(db, open[o.k % open.length]!, day, null, ts);
                  break;
                }
                case 'plan': {
                  const item = invoiceState(db, ids[o.inv]!);
                  if (item.balance >= o.n && item.credited === 0 && !activePlan(db, ids[o.inv]!)) insertPlan(db, ids[o.inv]!, day, evenInstalments(item.balance, o.n, { months: 1 }, addDays(day, 5)));
                  break;
                }
                case 'cancelPlan': {
                  const p = activePlan(db, ids[o.inv]!);
                  if (p) cancelPlan(db, p.id, day);
                  break;
                }
                case 'credit': {
                  // like "invoice cancel": a credit note for (part of) what remains unpaid, once
                  const item = invoiceState(db, ids[o.inv]!);
                  if (item.balance > 0 && item.credited === 0) f.creditNote({ invoice: ids[o.inv]!, number: `A-${++creditNotes}`, date: day, amount: Math.max(1, Math.floor((item.balance * o.part) / 100)) });
                  break;
                }
                case 'fromCredit':
                  payFromCredit(db, refs[o.inv]!, { date: day });
                  break;
                case 'over': {
                  // more than the balance: the rest becomes client credit
                  const item = invoiceState(db, ids[o.inv]!);
                  payInvoice(db, refs[o.inv]!, { amount: Math.max(0, item.balance) + o.extra, date: day, method: 'transfer', reference: null, createdAt: ts });
                  break;
                }
              }
            });
            done.set(o.t, (done.get(o.t) ?? 0) + 1);
          } catch (err) {
            // Refusals (already paid, cancelled, no credit) are part of the game; nothing else is.
            if (!(err instanceof UsageError)) throw err;
          }

          // The invariant, per invoice, from three independent reads.
          const payments = listPayments(db);
          const settled = settlement(db, ids, ALL_TIME);
          ids.forEach((id, i) => {
            const item = invoiceState(db, id);
            // the invoice's total incl. VAT as it was made, not as the module reads it back
            expect(item.amountDue).toBe(amounts[i]);
            const paid = payments.flatMap((p) => p.allocations).filter((a) => a.documentId === id).reduce((s, a) => s + a.amount, 0);
            const credited = (db.prepare(`SELECT COALESCE(SUM(total_gross), 0) AS s FROM documents WHERE kind = 'credit_note' AND cancels_id = ?`).get(id) as { s: number }).s;
            expect(item.amountDue).toBe(paid + credited + item.balance);
            expect(item.paid).toBe(paid);
            expect(item.credited).toBe(credited);
            expect(item.balance).toBeGreaterThanOrEqual(0);
            expect(settled.get(id)!.balance).toBe(item.balance);
            if (item.plan) {
              const total = item.plan.instalments.reduce((s, i) => s + i.amount, 0);
              expect(item.plan.instalments.reduce((s, i) => s + i.paid + i.remaining, 0)).toBe(total);
              expect(item.plan.instalments.reduce((s, i) => s + i.remaining, 0)).toBe(Math.min(total, item.balance));
            }
          });
          // Money received = money allocated + client credit, and credit is never negative.
          const received = payments.reduce((s, p) => s + p.amount, 0);
          const allocated = payments.flatMap((p) => p.allocations).reduce((s, a) => s + a.amount, 0);
          const credit = clientCredit(db, client, 'EUR');
          expect(credit).toBe(received - allocated);
          expect(credit).toBeGreaterThanOrEqual(0);
          views.push({ day, items: openItems(db, { asOf: day, clientId: client, includeSettled: true }) });

          // The kept balance (migration 8) is the balance computed from every payment and credit
          // note, and last_settlement the date of the latest of them.
          ids.forEach((id) => {
            const kept = db.prepare('SELECT balance, last_settlement FROM documents WHERE id = ?').get(id) as { balance: number; last_settlement: string | null };
            expect(kept.balance, 'kept balance').toBe(settlement(db, [id], ALL_TIME).get(id)!.balance);
            expect(kept.balance, 'kept balance').toBe(invoiceState(db, id).balance);
            const last = db
              .prepare(
                `SELECT MAX(d) AS d FROM (SELECT date AS d FROM allocations WHERE document_id = @id
                   UNION ALL SELECT issue_date FROM documents WHERE cancels_id = @id AND kind = 'credit_note' AND number IS NOT NULL)`,
              )
              .get({ id }) as { d: string | null };
            expect(kept.last_settlement, 'last_settlement').toBe(last.d);
          });
          // The settlement marker agrees with the derived balance.
          ids.forEach((id) => {
            const { settled_on: on } = db.prepare('SELECT settled_on FROM documents WHERE id = ?').get(id) as { settled_on: string | null };
            const balance = settlement(db, [id], ALL_TIME).get(id)!.balance;
            expect(on !== null, `settled_on ${on} with a balance of ${balance}`).toBe(balance === 0);
            if (on === null) return;
            const last = db
              .prepare(
                `SELECT MAX(d) AS d FROM (SELECT date AS d FROM allocations WHERE document_id = @id
                   UNION ALL SELECT issue_date FROM documents WHERE cancels_id = @id AND kind = 'credit_note' AND number IS NOT NULL)`,
              )
              .get({ id }) as { d: string | null };
            expect(on).toBe(last.d ?? '2026-01-01');
            for (const d of [on, addDays(on, 1), day, ALL_TIME]) if (d >= on) expect(settlement(db, [id], d).get(id)!.balance, `balance on ${d}`).toBe(0);
          });
          // Open items through the marker = every invoice's balance computed, on every day so far.
          for (const v of views) {
            const all = openItems(db, { asOf: v.day, clientId: client, includeSettled: true }).filter((i) => i.balance !== 0);
            const ofClient = openItems(db, { asOf: v.day, clientId: client });
            const everyone = openItems(db, { asOf: v.day });
            // An invoice settled only on or before its due date and the day carries its payments as
            // one settlement of their sum (itemsSql settledEarly): equal but for that list...
            expect(ofClient.map(withoutSettlements)).toEqual(all.map(withoutSettlements));
            expect(everyone.map(withoutSettlements)).toEqual(all.map(withoutSettlements));
            ofClient.forEach((item, k) => {
              const full = all[k]!;
              const sum = (l: readonly { amount: number }[]) => l.reduce((t, x) => t + x.amount, 0);
              expect(sum(item.settlements)).toBe(sum(full.settlements));
              if (JSON.stringify(item.settlements) === JSON.stringify(full.settlements)) return;
              early++;
              const last = full.settlements.reduce((m, x) => (x.date > m ? x.date : m), '');
              expect(last <= item.dueDate && last <= v.day, `only an invoice settled by its due date (${item.dueDate}) and ${v.day}`).toBe(true);
            });
            // ...and its penalties, on that day and later ones, are those of every payment and credit note.
            for (const d of [v.day, addDays(v.day, 45), addDays(v.day, 400)]) {
              expect(penaltiesOf(db, ofClient, d)).toEqual(penaltiesOf(db, all, d));
              expect(penaltiesOf(db, ofClient, d, { summary: true })).toEqual(penaltiesOf(db, all, d, { summary: true }));
            }
          }
        });

        // Nothing that happened later changes what an earlier day showed.
        for (const v of views) expect(openItems(db, { asOf: v.day, clientId: client, includeSettled: true })).toEqual(v.items);
      }),
      { numRuns: 60 },
    );
    // Every kind of operation really ran (not only refusals).
    for (const t of ['pay', 'client', 'reverse', 'plan', 'cancelPlan', 'credit', 'fromCredit', 'over']) expect(done.get(t) ?? 0, t).toBeGreaterThan(0);
    // The open items of invoices settled only by their due date were read the short way.
    expect(early).toBeGreaterThan(0);
  });
});
