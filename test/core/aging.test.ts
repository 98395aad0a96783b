import { describe, expect, it } from 'vitest';
import { averageDays, bucketOf, bucketTotals, daysLate, dso } from '../../src/core/aging.js';

describe('aging', () => {
  it('counts days late from the due date, the due date itself on time', () => {
    expect(daysLate('2026-03-31', '2026-03-31')).toBe(0);
    expect(daysLate('2026-03-31', '2026-04-01')).toBe(1);
    expect(daysLate('2026-03-31', '2026-03-01')).toBe(0);
  });
  it('puts days into the five buckets at their edges', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).toEqual(['not_due', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '90+', '90+']);
  });
  it('totals per currency, never adding currencies together', () => {
    const t = bucketTotals([
      { currency: 'EUR', balance: 100, bucket: '1-30' },
      { currency: 'USD', balance: 50, bucket: '1-30' },
      { currency: 'EUR', balance: 25, bucket: '90+' },
    ]);
    expect([...t.keys()]).toEqual(['EUR', 'USD']);
    expect(t.get('EUR')).toMatchObject({ '1-30': 100, '90+': 25, total: 125 });
    expect(t.get('USD')!.total).toBe(50);
  });
  it('computes DSO by the count-back method (test/ux/dso.test.ts has the cases)', () => {
    const sales = new Map([['2026-03-01', 100_000]]);
    expect(dso(25_000, sales, '2026-03-31')).toBe(30.3);
    expect(dso(0, sales, '2026-03-31')).toBe(0);
    expect(dso(100, new Map(), '2026-03-31')).toBeNull();
  });
  it('averages days late', () => {
    expect(averageDays([0, 10, 21])).toBe(10.3);
    expect(averageDays([])).toBeNull();
  });
});
