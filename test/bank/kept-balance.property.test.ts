/**
 * Property: a bank import recomputes the kept columns of documents (balance, last_settlement,
 * settled_on) once per invoice at its end (store/payments.ts deferSettlements, migration 16), and
 * after every import they equal the ones computed from every allocation and credit note, whatever
 * the statement: RF references, numbers with typos, two invoices in one transfer, partial payments,
 * overpayments (client credit), payer names only (probable matches, accepted or not), debits, the
 * bank's reversals of earlier credits, lines with and without the bank's reference, the same or an
 * overlapping statement again, and `relance pay` writes between imports (triggers not deferred).
 * In process (bank/engine.ts importStatement inside write()), on a fixture ledger.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { importStatement } from '../../src/bank/engine.js';
import type { Statement, StatementLine } from '../../src/bank/types.js';
import { invoiceReference } from '../../src/core/payment-reference.js';
import { saveAccount } from '../../src/store/bank.js';
import { write } from '../../src/store/db.js';
import { deferSettlements, flushSettlements, insertAllocation, insertPayment, invoiceState, payInvoice, requireReceivable } from '../../src/store/payments.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

const TS = '2026-03-01T09:00:00+01:00';
const CLIENTS = ['ACME', 'BETA', 'GAMMA'];
const N_INVOICES = 6;
const number = (i: number) => `F-2026-${String(i + 1).padStart(4, '0')}`;
const clientOf = (i: number) => i % CLIENTS.length;

type LineSpec =
  | { t: 'rf'; inv: number; amount: number }
  | { t: 'typo'; inv: number; amount: number }
  | { t: 'two'; a: number; b: number; amount: number }
  | { t: 'name'; client: number; amount: number | 'balance' }
  | { t: 'debit'; amount: number }
  | { t: 'reversal'; of: number };

const invIdx = fc.integer({ min: 0, max: N_INVOICES - 1 });
const cents = fc.integer({ min: 1, max: 250_000 });
const lineSpec: fc.Arbitrary<LineSpec> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('rf' as const), inv: invIdx, amount: cents }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('typo' as const), inv: invIdx, amount: cents }), weight: 2 },
  fc.record({ t: fc.constant('two' as const), a: invIdx, b: invIdx, amount: cents }),
  { arbitrary: fc.record({ t: fc.constant('name' as const), client: fc.integer({ min: 0, max: CLIENTS.length - 1 }), amount: fc.oneof(cents, fc.constant('balance' as const)) }), weight: 2 },
  fc.record({ t: fc.constant('debit' as const), amount: cents }),
  { arbitrary: fc.record({ t: fc.constant('reversal' as const), of: fc.nat(40) }), weight: 2 },
);
type Step = { t: 'import'; lines: LineSpec[]; withRefs: boolean; accept: boolean } | { t: 'again'; k: number } | { t: 'pay'; inv: number; amount: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('import' as const), lines: fc.array(lineSpec, { minLength: 1, maxLength: 8 }), withRefs: fc.boolean(), accept: fc.boolean() }), weight: 4 },
  fc.record({ t: fc.constant('again' as const), k: fc.nat(10) }),
  fc.record({ t: fc.constant('pay' as const), inv: invIdx, amount: cents }),
);

let fx: Fixture | undefined;
afterEach(() => {
  fx?.close();
  fx = undefined;
});

interface Computed {
  id: number;
  number: string;
  issue_date: string;
  balance: number;
  last: string | null;
  kept: number | null;
  last_settlement: string | null;
  settled_on: string | null;
}
/** Every issued invoice's balance and last settlement computed from the rows, beside the kept columns. */
const COMPUTED = `
  SELECT d.id, d.number, d.issue_date,
         d.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id), 0)
                      - COALESCE((SELECT SUM(n.total_gross) FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL), 0) AS balance,
         NULLIF(MAX(COALESCE((SELECT MAX(a.date) FROM allocations a WHERE a.document_id = d.id), ''),
                    COALESCE((SELECT MAX(n.issue_date) FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL), '')), '') AS last,
         d.balance AS kept, d.last_settlement, d.settled_on
  FROM documents d WHERE d.kind = 'invoice' AND d.number IS NOT NULL ORDER BY d.id`;

function checkKept(f: Fixture, label: string): Computed[] {
  const rows = f.db.prepare(COMPUTED).all() as Computed[];
  for (const r of rows) {
    expect(r.kept, `${label}: kept balance of ${r.number}`).toBe(r.balance);
    expect(r.kept, `${label}: kept balance of ${r.number} against invoiceState`).toBe(invoiceState(f.db, r.id).balance);
    expect(r.last_settlement, `${label}: last_settlement of ${r.number}`).toBe(r.last);
    expect(r.settled_on, `${label}: settled_on of ${r.number}`).toBe(r.balance === 0 ? (r.last ?? r.issue_date) : null);
    // the bank never allocates more than an invoice owes
    expect(r.balance, `${label}: balance of ${r.number}`).toBeGreaterThanOrEqual(0);
    // a services invoice paid in full is 'cashed' once (store/statuses.ts), from the import's own figures too;
    // a later reversal leaves the status recorded
    const cashed = f.db.prepare(`SELECT date, recorded_at FROM invoice_statuses WHERE document_id = ? AND status = 'cashed'`).all(r.id) as { date: string; recorded_at: string }[];
    expect(cashed.length, `${label}: cashed statuses of ${r.number}`).toBeLessThanOrEqual(1);
    if (r.balance === 0) expect(cashed.length, `${label}: ${r.number} paid in full is cashed`).toBe(1);
    for (const c of cashed) expect(c.date >= r.issue_date && c.recorded_at === TS, `${label}: cashed date of ${r.number}`).toBe(true);
  }
  expect(f.db.prepare('SELECT COUNT(*) AS n FROM settlement_pending').get(), `${label}: nothing left pending`).toEqual({ n: 0 });
  return rows;
}

describe('bank import: the kept balance equals the recomputed one after every import', () => {
  it('holds over random statements, re-imports, reversals and payments between them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_000, max: 200_000 }), { minLength: N_INVOICES, maxLength: N_INVOICES }), fc.boolean(), fc.array(step, { minLength: 1, maxLength: 8 }), (amounts, withCreditNote, steps) => {
        fx?.close();
        const f = (fx = ledgerFixture());
        const db = f.db;
        const clients = CLIENTS.map((c) => f.client(c));
        const ids = amounts.map((amount, i) => f.invoice({ client: clients[clientOf(i)]!, number: number(i), issue: '2026-01-05', due: '2026-02-04', amount }));
        if (withCreditNote) f.creditNote({ invoice: ids[1]!, number: 'A-2026-0001', date: '2026-01-20', amount: Math.floor(amounts[1]! / 2) });
        const account = write(db, () => saveAccount(db, { name: 'main', iban: 'FR7630006000011234567890189', currency: 'EUR', format: null, csv: null }, TS));
        const statements: Statement[] = [];
        const credits: number[] = []; // amounts of the credit lines so far: what a reversal takes back
        let refSeq = 0;
        steps.forEach((s, k) => {
          const day = `2026-03-${String(k + 2).padStart(2, '0')}`;
          let statement: Statement;
          if (s.t === 'pay') {
            write(db, () => {
              const ref = requireReceivable(db, number(s.inv));
              if (invoiceState(db, ref.id).balance > 0 && invoiceState(db, ref.id).credited === 0) payInvoice(db, ref, { amount: s.amount, date: day, method: 'cheque', reference: null, createdAt: TS });
            });
            checkKept(f, `step ${k} (pay)`);
            return;
          }
          if (s.t === 'again') {
            if (statements.length === 0) return;
            statement = statements[s.k % statements.length]!; // the same file again: nothing recorded twice
          } else {
            const lines = s.lines.map((l, n): StatementLine => {
              const base: StatementLine = { position: n + 1, sourceLine: n + 1, bookingDate: day, valueDate: day, amount: 0, currency: 'EUR', bankRef: s.withRefs ? `B${++refSeq}` : null, label: 'VIR SEPA RECU', remittance: [], references: [], payerName: null, payerIban: null, reversal: false };
              switch (l.t) {
                case 'rf':
                  return { ...base, amount: l.amount, references: [invoiceReference(number(l.inv))], payerName: `${CLIENTS[clientOf(l.inv)]} SAS` };
                case 'typo':
                  return { ...base, amount: l.amount, remittance: [`reglement facture ${number(l.inv).toLowerCase().replace(/-/g, ' ')}`] };
                case 'two':
                  return { ...base, amount: l.amount, remittance: [`factures ${number(l.a)} et ${number(l.b)}`] };
                case 'name': {
                  const balance = (db.prepare('SELECT balance FROM documents WHERE id = ?').get(ids[l.client]!) as { balance: number }).balance;
                  return { ...base, amount: l.amount === 'balance' ? Math.max(1, balance) : l.amount, payerName: `${CLIENTS[l.client]} SAS`, label: `VIR SEPA RECU ${CLIENTS[l.client]}` };
                }
                case 'debit':
                  return { ...base, amount: -l.amount, label: 'PRLV SEPA FOURNISSEUR' };
                case 'reversal':
                  return { ...base, amount: -(credits.length ? credits[l.of % credits.length]! : 1), reversal: true, label: 'RETOUR VIREMENT' };
              }
            });
            for (const l of lines) if (l.amount > 0) credits.push(l.amount);
            statement = { format: 'camt053', accountId: null, currency: 'EUR', lines };
            statements.push(statement);
          }
          const accept = s.t === 'import' && s.accept;
          const result = write(db, () => importStatement(db, { account, statement, file: `s${k}.xml`, sha256: `h${k}`, createdAt: TS, accept: () => accept }));
          if (s.t === 'again') expect(result.fresh, `step ${k}: the same statement again`).toBe(0);
          checkKept(f, `step ${k} (${s.t})`);
        });
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('deferSettlements', () => {
  it('recomputes each touched invoice once at the end, flushes on demand, nests, and refuses to run outside a transaction', () => {
    const f = (fx = ledgerFixture());
    const db = f.db;
    const c = f.client('ACME');
    const a = f.invoice({ client: c, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 10_000 });
    const b = f.invoice({ client: c, number: 'F-2', issue: '2026-01-05', due: '2026-02-04', amount: 5_000 });
    const kept = (id: number) => db.prepare('SELECT balance, settled_on FROM documents WHERE id = ?').get(id);
    expect(() => deferSettlements(db, () => 1)).toThrow(/inside write/);
    write(db, () =>
      deferSettlements(db, () => {
        const p = insertPayment(db, { clientId: c, date: '2026-03-01', amount: 15_000, currency: 'EUR', method: 'transfer', reference: null, createdAt: TS });
        insertAllocation(db, p, a, '2026-03-01', 4_000);
        insertAllocation(db, p, a, '2026-03-01', 6_000);
        // deferred: the kept columns wait, the ids are noted once each
        expect(kept(a)).toEqual({ balance: 10_000, settled_on: null });
        expect(db.prepare('SELECT document_id FROM settlement_pending ORDER BY 1').all()).toEqual([{ document_id: 0 }, { document_id: a }]);
        flushSettlements(db);
        expect(kept(a)).toEqual({ balance: 0, settled_on: '2026-03-01' });
        // a deferral inside this one runs in it: nothing flushed when it ends
        deferSettlements(db, () => insertAllocation(db, p, b, '2026-03-02', 5_000));
        expect(kept(b)).toEqual({ balance: 5_000, settled_on: null });
      }),
    );
    expect(kept(b)).toEqual({ balance: 0, settled_on: '2026-03-02' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM settlement_pending').get()).toEqual({ n: 0 });
    // no deferral: the triggers recompute at once, as before
    write(db, () => {
      const r = insertPayment(db, { clientId: c, date: '2026-03-05', amount: -5_000, currency: 'EUR', method: 'reversal', reference: null, createdAt: TS });
      insertAllocation(db, r, b, '2026-03-05', -5_000);
      expect(kept(b)).toEqual({ balance: 5_000, settled_on: null });
    });
  });
});
