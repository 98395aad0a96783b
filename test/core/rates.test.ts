import { describe, expect, it } from 'vitest';
import { confirmedThrough, defaultPenaltyRate, ecbRateOn, halfOf, legalRate, mergeTables, nextHalfStart, shippedTables } from '../../src/core/rates.js';

describe('the shipped rate tables', () => {
  const t = shippedTables();
  it('derive the default penalty rates of french-rules.md', () => {
    expect(['2024-H1', '2024-H2', '2025-H1', '2025-H2', '2026-H1'].map((h) => defaultPenaltyRate(t, h))).toEqual([1450, 1425, 1315, 1215, 1215]);
  });
  it('are confirmed through 2026-04-01 and do not know H2 2026', () => {
    expect(confirmedThrough(t)).toBe('2026-04-01');
    expect(ecbRateOn(t, '2026-04-01')).toBe(215);
    expect(ecbRateOn(t, '2026-04-02')).toBeUndefined();
    expect(defaultPenaltyRate(t, '2026-H2')).toBeUndefined();
  });
  it('know nothing before their first entry (the rate in force on 2023-07-01)', () => {
    expect(ecbRateOn(t, '2023-06-20')).toBeUndefined();
    expect(defaultPenaltyRate(t, '2023-H1')).toBeUndefined();
    expect(defaultPenaltyRate(t, '2023-H2')).toBe(1400);
  });
  it('hold the legal rates by half-year and column', () => {
    expect(legalRate(t, '2025-H2', 'pro')).toBe(276);
    expect(legalRate(t, '2025-H2', 'consumer')).toBe(665);
    expect(legalRate(t, '2026-H2', 'pro')).toBeUndefined();
  });
  it('let ledger entries override shipped ones on the same date', () => {
    const m = mergeTables([{ date: '2025-06-11', rateBp: 200, kind: 'change', source: 'ledger' }], [{ half: '2026-H2', proBp: 250, consumerBp: 600, source: 'ledger' }]);
    expect(ecbRateOn(m, '2025-07-01')).toBe(200);
    expect(legalRate(m, '2026-H2', 'pro')).toBe(250);
  });
  it('name half-years', () => {
    expect([halfOf('2025-06-30'), halfOf('2025-07-01'), nextHalfStart('2025-03-03'), nextHalfStart('2025-12-31')]).toEqual(['2025-H1', '2025-H2', '2025-07-01', '2026-01-01']);
  });
});
