import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, endOfMonth, isIsoDate, parseDate } from '../../src/core/dates.js';

describe('dates', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(() => parseDate('2026-02-30', '--date')).toThrow('--date: "2026-02-30" does not exist (month 02 of 2026 has 28 days)');
    expect(() => parseDate('2026-13-01')).toThrow(/has no month 13/);
    expect(() => parseDate('31/12/2026')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('2026-1-5')).toThrow(/YYYY-MM-DD/);
    expect(isIsoDate('2025-02-29')).toBe(false);
  });

  it('computes across months, years and DST changes', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(daysBetween('2018-04-15', '2018-05-15')).toBe(30);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
  });
});
