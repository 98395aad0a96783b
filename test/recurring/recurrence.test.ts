import { describe, expect, it } from 'vitest';
import { defaultOn, describeRecurrence, firstPeriod, isoWeekday, nextPeriod, parseEvery, parseOn, periodsUpTo, type Recurrence } from '../../src/core/recurrence.js';
import { UsageError } from '../../src/core/errors.js';

const r = (o: Partial<Recurrence>): Recurrence => ({ every: 'month', weeks: 1, on: 1, start: '2026-01-01', end: null, ...o });

describe('recurrence: parsing', () => {
  it('reads month, quarter, year and N weeks, in English or French', () => {
    expect(parseEvery('month')).toEqual({ every: 'month', weeks: 1 });
    expect(parseEvery('Monthly')).toEqual({ every: 'month', weeks: 1 });
    expect(parseEvery('trimestre')).toEqual({ every: 'quarter', weeks: 1 });
    expect(parseEvery('year')).toEqual({ every: 'year', weeks: 1 });
    expect(parseEvery('2weeks')).toEqual({ every: 'weeks', weeks: 2 });
    expect(parseEvery('week')).toEqual({ every: 'weeks', weeks: 1 });
    expect(parseEvery('4 semaines')).toEqual({ every: 'weeks', weeks: 4 });
  });
  it('refuses other periods with one line saying what is accepted', () => {
    for (const bad of ['day', '0weeks', '53weeks', 'fortnight', '']) expect(() => parseEvery(bad)).toThrow(UsageError);
    expect(() => parseEvery('daily')).toThrow(/month, quarter, year or Nweeks/);
  });
  it('reads a day of the month, "last", or a weekday for weeks', () => {
    expect(parseOn('5', 'month')).toBe(5);
    expect(parseOn('31', 'quarter')).toBe(31);
    expect(parseOn('last', 'month')).toBe(31);
    expect(parseOn('mon', 'weeks')).toBe(1);
    expect(parseOn('vendredi', 'weeks')).toBe(5);
    expect(parseOn('7', 'weeks')).toBe(7);
    expect(() => parseOn('0', 'month')).toThrow(/1 to 31/);
    expect(() => parseOn('32', 'month')).toThrow(UsageError);
    expect(() => parseOn('mon', 'month')).toThrow(UsageError);
    expect(() => parseOn('8', 'weeks')).toThrow(/weekday/);
  });
  it('defaults --on to the start day or weekday', () => {
    expect(defaultOn('2026-03-17', 'month')).toBe(17);
    expect(isoWeekday('2026-03-16')).toBe(1); // a Monday
    expect(isoWeekday('2026-03-22')).toBe(7);
    expect(defaultOn('2026-03-18', 'weeks')).toBe(3);
  });
});

describe('recurrence: periods', () => {
  it('monthly on the 5th: the first on or after the start, then each month', () => {
    expect(periodsUpTo(r({ on: 5, start: '2026-01-01' }), '2026-04-04')).toEqual(['2026-01-05', '2026-02-05', '2026-03-05']);
    expect(firstPeriod(r({ on: 5, start: '2026-01-06' }))).toBe('2026-02-05');
    expect(firstPeriod(r({ on: 5, start: '2026-01-05' }))).toBe('2026-01-05');
  });
  it('a month without the day takes its last day, and the next month is back on the day', () => {
    expect(periodsUpTo(r({ on: 31, start: '2026-01-01' }), '2026-05-31')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(periodsUpTo(r({ on: 30, start: '2026-02-01' }), '2026-03-31')).toEqual(['2026-02-28', '2026-03-30']);
  });
  it('leap years: February 29 in 2028, 28 otherwise; yearly on Feb 29 falls on the 28th', () => {
    expect(periodsUpTo(r({ on: 31, start: '2028-02-01' }), '2028-02-29')).toEqual(['2028-02-29']);
    expect(periodsUpTo(r({ every: 'year', on: 29, start: '2028-02-29' }), '2033-01-01')).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
  });
  it('quarterly counts three months from the first period, across years', () => {
    expect(periodsUpTo(r({ every: 'quarter', on: 31, start: '2026-11-15' }), '2027-09-01')).toEqual(['2026-11-30', '2027-02-28', '2027-05-31', '2027-08-31']);
    expect(periodsUpTo(r({ every: 'quarter', on: 1, start: '2026-01-01' }), '2026-12-31')).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
  });
  it('every N weeks on a weekday', () => {
    // 2026-03-04 is a Wednesday; Monday = 1: the first Monday after is 2026-03-09.
    expect(periodsUpTo(r({ every: 'weeks', weeks: 2, on: 1, start: '2026-03-04' }), '2026-04-06')).toEqual(['2026-03-09', '2026-03-23', '2026-04-06']);
    expect(periodsUpTo(r({ every: 'weeks', weeks: 1, on: 3, start: '2026-03-04' }), '2026-03-18')).toEqual(['2026-03-04', '2026-03-11', '2026-03-18']);
    expect(periodsUpTo(r({ every: 'weeks', weeks: 1, on: 1, start: '2026-12-28' }), '2027-01-11')).toEqual(['2026-12-28', '2027-01-04', '2027-01-11']);
  });
  it('stops at the end date (inclusive) and says when there is no next period', () => {
    const s = r({ on: 10, start: '2026-01-01', end: '2026-03-10' });
    expect(periodsUpTo(s, '2027-01-01')).toEqual(['2026-01-10', '2026-02-10', '2026-03-10']);
    expect(nextPeriod(s, '2026-02-10')).toBe('2026-03-10');
    expect(nextPeriod(s, '2026-03-10')).toBeNull();
    expect(nextPeriod(r({ on: 10 }), '2026-01-09')).toBe('2026-01-10');
    expect(periodsUpTo(s, '2025-12-31')).toEqual([]);
  });
  it('describes itself for list and show', () => {
    expect(describeRecurrence({ every: 'month', weeks: 1, on: 5 })).toBe('every month on day 5');
    expect(describeRecurrence({ every: 'quarter', weeks: 1, on: 31 })).toBe('every quarter on the last day');
    expect(describeRecurrence({ every: 'weeks', weeks: 2, on: 1 })).toBe('every 2 weeks on Monday');
  });
});

describe('recurrence: properties (fast-check)', () => {
  it('periods are increasing, on or after the start, on the day (or the month end, or the weekday), and a later day only adds periods', async () => {
    const fc = (await import('fast-check')).default;
    const { addDays, daysInMonth, daysBetween } = await import('../../src/core/dates.js');
    const rec = fc.record({
      every: fc.constantFrom('month', 'quarter', 'year', 'weeks') as import('fast-check').Arbitrary<Recurrence['every']>,
      weeks: fc.integer({ min: 1, max: 8 }),
      day: fc.integer({ min: 1, max: 31 }),
      wd: fc.integer({ min: 1, max: 7 }),
      start: fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n)),
      a: fc.integer({ min: 0, max: 1500 }),
      b: fc.integer({ min: 0, max: 1500 }),
    });
    fc.assert(
      fc.property(rec, (x) => {
        const r: Recurrence = { every: x.every, weeks: x.every === 'weeks' ? x.weeks : 1, on: x.every === 'weeks' ? x.wd : x.day, start: x.start, end: null };
        const upA = addDays(x.start, Math.min(x.a, x.b));
        const upB = addDays(x.start, Math.max(x.a, x.b));
        const A = periodsUpTo(r, upA);
        const B = periodsUpTo(r, upB);
        expect(B.slice(0, A.length)).toEqual(A);
        for (let i = 0; i < B.length; i++) {
          const p = B[i]!;
          expect(p >= x.start && p <= upB).toBe(true);
          if (i > 0) expect(p > B[i - 1]!).toBe(true);
          if (r.every === 'weeks') {
            expect(isoWeekday(p)).toBe(r.on);
            if (i > 0) expect(daysBetween(B[i - 1]!, p)).toBe(7 * r.weeks);
          } else {
            const [y, m, d] = p.split('-').map(Number) as [number, number, number];
            expect(d).toBe(Math.min(r.on, daysInMonth(y, m)));
            if (i > 0) {
              const [py, pm] = B[i - 1]!.split('-').map(Number) as [number, number];
              expect(y * 12 + m - (py * 12 + pm)).toBe(r.every === 'month' ? 1 : r.every === 'quarter' ? 3 : 12);
            }
          }
        }
        // The first period is the first matching day on or after the start: nothing matching before it.
        if (B.length) expect(firstPeriod(r)).toBe(B[0]);
        const next = nextPeriod(r, upB);
        expect(next !== null && next > upB).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
