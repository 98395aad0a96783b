import { describe, expect, it } from 'vitest';
import {
  checkDepositFits,
  creditBases,
  depositBases,
  depositDeduction,
  depositGross,
  finalAmounts,
  invoiceStatus,
  isDisputed,
  quoteStatus,
  ratesOf,
} from '../../src/core/documents.js';
import { computeLine, computeTotals, grossOf } from '../../src/core/vat.js';

// The quote of the end-to-end story: 10 days at 450.00 (20 %), 1.5 days of training at 800.00 less
// 10 % (20 %), 4 books at 25.50 (5.5 %).
const quoteLines = [
  computeLine({ description: 'Développement', quantityMilli: 10_000, unitPrice: 45_000, vatBp: 2000, discountBp: 0, discountAmount: 0 }),
  computeLine({ description: 'Formation', quantityMilli: 1500, unitPrice: 80_000, vatBp: 2000, discountBp: 1000, discountAmount: 0 }),
  computeLine({ description: 'Livres', quantityMilli: 4000, unitPrice: 2550, vatBp: 550, discountBp: 0, discountAmount: 0 }),
];
const quote = computeTotals(quoteLines);

describe('the quote', () => {
  it('totals by hand: 4 500 + 1 080 = 5 580 at 20 % (VAT 1 116), 102 at 5.5 % (VAT 5.61)', () => {
    expect(quote.rates).toEqual([
      { vatBp: 2000, base: 558_000, vat: 111_600, gross: 669_600 },
      { vatBp: 550, base: 10_200, vat: 561, gross: 10_761 },
    ]);
    expect(quote.gross).toBe(680_361);
  });
});

describe('deposits', () => {
  it('30 % of 6 803.61 = 2 041.08, split 2 008.80 at 20 % and 32.28 at 5.5 %', () => {
    const gross = depositGross(quote.gross, { percentBp: 3000 });
    expect(gross).toBe(204_108);
    const rates = ratesOf(depositBases(gross, quote.rates));
    // 2 008.80 / 1.2 = 1 674.00 (VAT 334.80); 32.28 / 1.055 = 30.597 -> 30.60 (VAT 1.683 -> 1.68)
    expect(rates).toEqual([
      { vatBp: 2000, base: 167_400, vat: 33_480, gross: 200_880 },
      { vatBp: 550, base: 3060, vat: 168, gross: 3228 },
    ]);
  });

  it('an amount is incl. VAT; refuses zero, over 100 % and deposits beyond the quote', () => {
    expect(depositGross(quote.gross, { amount: 150_000 })).toBe(150_000);
    expect(() => depositGross(quote.gross, { amount: 0 })).toThrow(/more than zero/);
    expect(() => depositGross(quote.gross, { percentBp: 10_001 })).toThrow(/at most 100/);
    expect(() => checkDepositFits(quote.gross, 500_000, 180_362)).toThrow(/at most €1,803.61 can still be asked/);
    expect(() => checkDepositFits(quote.gross, 500_000, 180_361)).not.toThrow();
  });
});

describe('the final invoice', () => {
  it('deducts each deposit per rate; net due = total incl. VAT - deposits incl. VAT', () => {
    const dep = ratesOf(depositBases(204_108, quote.rates));
    const f = finalAmounts(quote.rates, depositDeduction(dep));
    expect(f.deductedGross).toBe(204_108);
    expect(f.amountDue).toBe(680_361 - 204_108); // 4 762.53
    expect(f.rates).toEqual([
      { vatBp: 2000, base: 558_000, vat: 111_600, deductedBase: 167_400, deductedVat: 33_480, dueBase: 390_600, dueVat: 78_120 },
      { vatBp: 550, base: 10_200, vat: 561, deductedBase: 3060, deductedVat: 168, dueBase: 7140, dueVat: 393 },
    ]);
    // VAT is charged once: the VAT left on the final plus the deposit's equals the sale's VAT.
    expect(f.rates.reduce((s, r) => s + r.dueVat + r.deductedVat, 0)).toBe(quote.vat);
  });

  it('a deposit partly taken back by a credit note deducts only the rest; a cancelled one nothing', () => {
    const dep = [{ vatBp: 2000, base: 100_000, vat: 20_000 }];
    expect(depositDeduction(dep, [{ vatBp: 2000, base: 40_000, vat: 8000 }])).toEqual([{ vatBp: 2000, base: 60_000, vat: 12_000 }]);
    expect(depositDeduction(dep, dep)).toEqual([]);
  });

  it('refuses a deposit at a rate the final invoice no longer has', () => {
    expect(() => finalAmounts([{ vatBp: 2000, base: 100, vat: 20, gross: 120 }], [{ vatBp: 550, base: 10, vat: 1 }])).toThrow(/5.5 %/);
  });
});

describe('credit notes', () => {
  it('credit what remains, in proportion to what each rate still asks', () => {
    const parts = creditBases(100_000, [
      { vatBp: 2000, gross: 90_000 },
      { vatBp: 550, gross: 10_000 },
    ]);
    expect(parts.reduce((s, p) => s + grossOf(p.base, p.vatBp), 0)).toBe(100_000);
    expect(creditBases(0, [{ vatBp: 2000, gross: 1 }])).toEqual([]);
  });
});

describe('derived status', () => {
  const issued = { issued: true, amountDue: 10_000, paid: 0, credited: 0 };
  it('draft, open, partially paid, paid, cancelled', () => {
    expect(invoiceStatus({ ...issued, issued: false })).toBe('draft');
    expect(invoiceStatus(issued)).toBe('open');
    expect(invoiceStatus({ ...issued, paid: 4000 })).toBe('partially paid');
    expect(invoiceStatus({ ...issued, paid: 10_000 })).toBe('paid');
    expect(invoiceStatus({ ...issued, paid: 12_000 })).toBe('paid');
    expect(invoiceStatus({ ...issued, paid: 4000, credited: 6000 })).toBe('cancelled');
    expect(invoiceStatus({ ...issued, amountDue: 0 })).toBe('paid');
  });

  it('disputed from its date, up to and including its end date', () => {
    const d = { disputedOn: '2026-03-10', disputedUntil: '2026-03-31' };
    expect(isDisputed(d, '2026-03-09')).toBe(false);
    expect(isDisputed(d, '2026-03-10')).toBe(true);
    expect(isDisputed(d, '2026-03-31')).toBe(true);
    expect(isDisputed(d, '2026-04-01')).toBe(false);
    expect(isDisputed({ disputedOn: '2026-03-10', disputedUntil: null }, '2030-01-01')).toBe(true);
    expect(isDisputed({ disputedOn: null, disputedUntil: null }, '2026-03-10')).toBe(false);
  });

  it('quotes expire after their validity unless accepted, declined or invoiced', () => {
    const q = { issueDate: '2026-03-01', validityDays: 30, acceptedOn: null, declinedOn: null, invoiced: false };
    expect(quoteStatus(q, '2026-03-31')).toBe('open');
    expect(quoteStatus(q, '2026-04-01')).toBe('expired');
    expect(quoteStatus({ ...q, acceptedOn: '2026-03-10' }, '2026-05-01')).toBe('accepted');
    expect(quoteStatus({ ...q, declinedOn: '2026-03-10' }, '2026-05-01')).toBe('declined');
    expect(quoteStatus({ ...q, acceptedOn: '2026-03-10', invoiced: true }, '2026-05-01')).toBe('invoiced');
  });
});
