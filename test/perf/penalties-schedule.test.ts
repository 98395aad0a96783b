/**
 * The shared penalty schedule of overdue (issue 18 §1): the interest of an invoice with no settlement,
 * computed over another invoice's schedule of the same due date and client kind (interestOver), is
 * exactly computePenalties' own; and periodInterest's double-precision path equals the BigInt one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { roundDiv } from '../../src/core/money.js';
import { computePenalties, interestOver, periodInterest, type PenaltyInput } from '../../src/core/penalties.js';
import { mergeTables, shippedTables } from '../../src/core/rates.js';

const rates = shippedTables();
const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2023-01-01', n));

describe('one penalty schedule per due date', () => {
  it('gives every amount the interest computePenalties gives it', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 1, max: 2_000_000_000 }), fc.constantFrom('b2b', 'b2c'), fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), fc.boolean(), (due, late, a, b, kind, notice, contract) => {
        const asOf = addDays(due, late);
        const input = (amountDue: number): PenaltyInput => ({
          amountDue,
          dueDate: due,
          asOf,
          settlements: [],
          clientKind: kind as 'b2b' | 'b2c',
          mode: contract ? { kind: 'contract', rateBp: 1500 } : { kind: 'ecb+10' },
          formalNoticeDate: notice === null ? null : addDays(due, notice),
          rates,
        });
        const template = computePenalties(input(a));
        const own = computePenalties(input(b));
        expect(interestOver(template, b)).toBe(own.interest);
        expect(template.late).toBe(own.late);
        expect(template.indemnity).toBe(own.indemnity);
        expect(template.startsOn).toBe(own.startsOn);
        expect(template.unknown).toEqual(own.unknown);
      }),
      { numRuns: 300 },
    );
  });

  it('serves an invoice settled only on or before its due date, over what was left on it', () => {
    // store/receivables.ts penaltiesOf: a part paid early (or credited, or reversed) leaves one base all
    // through the late days, so the due date's shared schedule gives its interest too.
    const early = fc.record({ before: fc.integer({ min: 0, max: 120 }), amount: fc.integer({ min: -50_000, max: 400_000 }) });
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 900 }), fc.integer({ min: 500_000, max: 2_000_000_000 }), fc.array(early, { minLength: 1, maxLength: 4 }), fc.constantFrom('b2b', 'b2c'), fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), fc.boolean(), (due, late, amountDue, parts, kind, notice, contract) => {
        const asOf = addDays(due, late);
        const settlements = parts.map((p) => ({ date: addDays(due, -p.before), amount: p.amount }));
        const left = amountDue - settlements.reduce((a, x) => a + x.amount, 0);
        fc.pre(left > 0); // settled in full: not an open item, and no penalty (penaltiesOf computes it the long way)
        const input = (amount: number, list: PenaltyInput['settlements']): PenaltyInput => ({
          amountDue: amount,
          dueDate: due,
          asOf,
          settlements: list,
          clientKind: kind as 'b2b' | 'b2c',
          mode: contract ? { kind: 'contract', rateBp: 1500 } : { kind: 'ecb+10' },
          formalNoticeDate: notice === null ? null : addDays(due, notice),
          rates,
        });
        const template = computePenalties(input(1_000_00, []));
        const own = computePenalties(input(amountDue, settlements));
        expect(interestOver(template, left)).toBe(own.interest);
        expect(template.late).toBe(own.late);
        expect(template.indemnity).toBe(own.indemnity);
        expect(template.startsOn).toBe(own.startsOn);
        expect(template.unknown).toEqual(own.unknown);
        expect(template.warnings).toEqual(own.warnings);
      }),
      { numRuns: 300 },
    );
  });

  it('is null when a period\'s rate is unknown, as computePenalties', () => {
    const i: PenaltyInput = { amountDue: 100_00, dueDate: '2019-01-31', asOf: '2019-06-30', settlements: [], clientKind: 'b2b', mode: { kind: 'ecb+10' }, rates: mergeTables([], []) };
    const r = computePenalties(i);
    expect(r.interest).toBeNull();
    expect(computePenalties({ ...i, amountDue: 555_55 }).interest).toBeNull();
    expect(interestOver(r, 555_55)).toBeNull();
  });
});

describe('periodInterest', () => {
  it('rounds half away from zero exactly like the BigInt formula, up to large amounts', () => {
    const big = (base: number, rate: number, days: number) => Number(roundDiv(BigInt(base) * BigInt(rate) * BigInt(days), 3_650_000n));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 366 }), (base, rate, days) => {
        expect(periodInterest(base, rate, days)).toBe(big(base, rate, days));
      }),
      { numRuns: 5_000 },
    );
    // exact halves and the edges of the fast path
    expect(periodInterest(1_825_000, 1, 1)).toBe(big(1_825_000, 1, 1));
    expect(periodInterest(1_824_999, 1, 1)).toBe(0);
    expect(periodInterest(1_825_000, 1, 1)).toBe(1);
    expect(periodInterest(2 ** 40, 4000, 366)).toBe(big(2 ** 40, 4000, 366));
  });
});
