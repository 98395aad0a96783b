import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baseForGross, computeLine, computeTotals, grossOf, lineNet, splitGrossAcrossRates, vatOn, type LineInput } from '../../src/core/vat.js';

const line = (over: Partial<LineInput>): LineInput => ({ description: 'x', quantityMilli: 1000, unitPrice: 0, vatBp: 2000, discountBp: 0, discountAmount: 0, ...over });

describe('line amounts', () => {
  it('multiplies decimal quantities and rounds the net to the cent, half away from zero', () => {
    // 1.5 x 33.33 = 49.995 -> 50.00
    expect(lineNet(line({ quantityMilli: 1500, unitPrice: 3333 }))).toBe(5000);
    // 0.333 x 10.00 = 3.33
    expect(lineNet(line({ quantityMilli: 333, unitPrice: 1000 }))).toBe(333);
    // a rebate line: -1 x 12.345 is not possible (cents), -2.5 x 0.01 = -0.025 -> -0.03
    expect(lineNet(line({ quantityMilli: 2500, unitPrice: -1 }))).toBe(-3);
  });

  it('applies a % discount before the one rounding, and an amount discount on the whole line', () => {
    // 3 x 19.99 = 59.97, less 15 % = 50.9745 -> 50.97
    expect(lineNet(line({ quantityMilli: 3000, unitPrice: 1999, discountBp: 1500 }))).toBe(5097);
    // 2 x 450 = 900, less 50 = 850
    expect(lineNet(line({ quantityMilli: 2000, unitPrice: 45000, discountAmount: 5000 }))).toBe(85000);
  });

  it('refuses a discount larger than the line, and both kinds of discount at once', () => {
    expect(() => lineNet(line({ unitPrice: 1000, discountAmount: 2000 }))).toThrow(/larger than the line/);
    expect(() => lineNet(line({ unitPrice: 1000, discountAmount: 100, discountBp: 100 }))).toThrow(/not both/);
  });
});

describe('VAT per rate (BR-CO-17)', () => {
  it('computes VAT on the sum of each rate\'s nets, not line by line', () => {
    // Three lines at 20 % of 0.13 each: per line 0.026 -> 0.03 x 3 = 0.09; on the sum 0.39 x 20 % = 0.078 -> 0.08.
    const lines = [1, 2, 3].map(() => computeLine(line({ unitPrice: 13 })));
    const t = computeTotals(lines);
    expect(t.rates).toEqual([{ vatBp: 2000, base: 39, vat: 8, gross: 47 }]);
    expect(t).toMatchObject({ net: 39, vat: 8, gross: 47 });
  });

  it('totals two rates, highest first, half away from zero', () => {
    // 5.5 % of 102.00 = 5.61 ; 5.5 % of 0.10 = 0.0055 -> 0.01 ; 20 % of 4 500.00 = 900.00
    const t = computeTotals([
      computeLine(line({ quantityMilli: 4000, unitPrice: 2550, vatBp: 550 })),
      computeLine(line({ quantityMilli: 10000, unitPrice: 45000, vatBp: 2000 })),
    ]);
    expect(t.rates.map((r) => [r.vatBp, r.base, r.vat])).toEqual([
      [2000, 450000, 90000],
      [550, 10200, 561],
    ]);
    expect(t.gross).toBe(450000 + 90000 + 10200 + 561);
    expect(vatOn(10, 550)).toBe(1);
    expect(vatOn(-10, 550)).toBe(-1);
  });

  it('total = net + VAT and VAT = sum of per-rate VAT for any lines (property)', () => {
    const arb = fc.array(
      fc.record({
        quantityMilli: fc.integer({ min: 1, max: 100_000 }),
        unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
        vatBp: fc.constantFrom(2000, 1000, 550, 210, 0),
        discountBp: fc.integer({ min: 0, max: 10_000 }),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, (ls) => {
        const lines = ls.map((l) => computeLine(line(l)));
        const t = computeTotals(lines);
        expect(Number.isInteger(t.gross)).toBe(true);
        expect(t.gross).toBe(t.net + t.vat);
        expect(t.net).toBe(lines.reduce((s, l) => s + l.net, 0));
        for (const r of t.rates) expect(r.vat).toBe(vatOn(r.base, r.vatBp));
      }),
    );
  });
});

describe('splitting an amount incl. VAT across rates', () => {
  it('finds the base whose gross is the amount when one exists', () => {
    expect(baseForGross(150000, 2000)).toBe(125000);
    expect(grossOf(baseForGross(3228, 550), 550)).toBe(3228);
  });

  it('gives back the exact amount across two rates (a 30 % deposit of 6 803.61)', () => {
    const parts = splitGrossAcrossRates(204108, [
      { vatBp: 2000, gross: 669600 },
      { vatBp: 550, gross: 10761 },
    ]);
    expect(parts).toEqual([
      { vatBp: 2000, base: 167400 },
      { vatBp: 550, base: 3060 },
    ]);
    expect(parts.reduce((s, p) => s + grossOf(p.base, p.vatBp), 0)).toBe(204108);
  });

  it('adds up to the amount within a cent for any split (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.array(fc.record({ vatBp: fc.constantFrom(2000, 1000, 550, 210, 0), gross: fc.integer({ min: 1, max: 50_000_000 }) }), { minLength: 1, maxLength: 4 }),
        (amount, weights) => {
          const uniq = [...new Map(weights.map((w) => [w.vatBp, w])).values()];
          const parts = splitGrossAcrossRates(amount, uniq);
          const total = parts.reduce((s, p) => s + grossOf(p.base, p.vatBp), 0);
          expect(Math.abs(total - amount)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
