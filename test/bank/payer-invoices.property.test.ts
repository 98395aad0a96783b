/**
 * Property: what a bank import reads of a payer's open invoices for one line (bank/engine.ts
 * payerInvoices: by id, the ledger's invoices of that balance, its SUBSET_MAX + |touched| oldest due
 * by the kept balance, the planned ones) holds what matchLine reads of the whole list
 * (LedgerView.openInvoices over the import's own balances): the same invoices of the amount, and
 * the same SUBSET_MAX oldest due first, whatever the import paid before (partly or in full, the kept
 * balances left as they were before the import, as while it defers), with ties of due and issue
 * dates, equal balances, invoices issued after the line and one cancelled by a credit note.
 * In process on a fixture ledger, no write: the import's payments are its state alone.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerView, type ImportState } from '../../src/bank/engine.js';
import { SUBSET_MAX } from '../../src/bank/match.js';
import { invoiceFigures } from '../../src/store/bank.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let fx: Fixture | null = null;
afterEach(() => {
  fx?.close();
  fx = null;
});

const BALANCES = [5_000, 7_500, 10_000, 12_500];
const DAYS = ['2026-01-05', '2026-01-06', '2026-01-07'];

describe('bank import: a payer read by id holds what matchLine reads of the whole list', () => {
  it('same invoices of the amount, same oldest due, after any payments of the import', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.constantFrom(...BALANCES), issue: fc.constantFrom(...DAYS, '2026-03-20'), due: fc.option(fc.constantFrom('2026-02-04', '2026-02-05'), { nil: null }) }), { minLength: 13, maxLength: 24 }),
        fc.array(fc.record({ inv: fc.nat(), part: fc.constantFrom(2_500, 5_000, 7_500, 100_000) }), { minLength: 1, maxLength: 16 }),
        fc.boolean(),
        fc.constantFrom(...BALANCES, 2_500),
        (invoices, paid, withCreditNote, amount) => {
          fx?.close();
          const f = (fx = ledgerFixture());
          const client = f.client('ACME');
          const other = f.client('BETA');
          f.invoice({ client: other, number: 'B-1', issue: DAYS[0]!, due: '2026-02-04', amount: BALANCES[0]! }); // another client's, never read
          const ids = invoices.map((o, i) => f.invoice({ client, number: `F-2026-${String(i + 1).padStart(4, '0')}`, issue: o.issue, due: o.due ?? o.issue, amount: o.amount }));
          if (withCreditNote) f.creditNote({ invoice: ids[0]!, number: 'A-1', date: '2026-01-20', amount: 1_000 });
          const state: ImportState = { figures: new Map(), touched: new Map(), planned: new Map(), ibans: new Map() };
          // the import's payments, as applyMatch keeps them: the figures' balance lowered, the invoice noted as touched
          for (const p of paid) {
            const id = ids[p.inv % ids.length]!;
            const fig = state.figures.get(id) ?? invoiceFigures(f.db, [id])[0]!;
            state.figures.set(id, fig);
            const part = Math.min(p.part, fig.balance);
            if (part <= 0) continue;
            fig.balance -= part;
            const key = `${client}|EUR`;
            if (!state.touched.has(key)) state.touched.set(key, new Set());
            state.touched.get(key)!.add(id);
          }
          const view = ledgerView(f.db, [], state);
          const onDate = '2026-03-01';
          const whole = view.openInvoices(client, 'EUR', onDate);
          const parts = view.payerInvoices!(client, 'EUR', onDate, amount);
          const idsOf = (l: readonly { id: number }[]) => l.map((i) => i.id);
          const ofAmount = (l: readonly { id: number; balance: number }[]) => idsOf(l.filter((i) => i.balance === amount)).sort((a, b) => a - b);
          expect(ofAmount(parts.exact())).toEqual(ofAmount(whole));
          expect(idsOf(parts.oldest().slice(0, SUBSET_MAX))).toEqual(idsOf(whole.slice(0, SUBSET_MAX)));
          expect(parts.planned().filter((i) => i.dueInstalments.length > 0)).toEqual(whole.filter((i) => i.dueInstalments.length > 0));
        },
      ),
      { numRuns: 150 },
    );
  });
});
