import { describe, expect, it } from 'vitest';
import { legalHint, missingHints, rateHint, SHIPPED_ECB, SHIPPED_LEGAL, shippedTables, defaultPenaltyRate, legalRate } from '../../src/core/rates.js';

describe('the shipped tables (issue 15 §1)', () => {
  const t = shippedTables();
  it('know the rate in force on 2023-07-01 and every half-year to 2026-H1, with a source each', () => {
    expect(defaultPenaltyRate(t, '2023-H2')).toBe(1400);
    for (const h of ['2023-H2', '2024-H1', '2024-H2', '2025-H1', '2025-H2', '2026-H1']) {
      expect(defaultPenaltyRate(t, h), h).toBeTypeOf('number');
      expect(legalRate(t, h, 'pro'), h).toBeTypeOf('number');
      expect(legalRate(t, h, 'consumer'), h).toBeTypeOf('number');
    }
    expect([legalRate(t, '2024-H1', 'consumer'), legalRate(t, '2024-H1', 'pro')]).toEqual([801, 507]);
    expect(SHIPPED_ECB.every((e) => e.note)).toBe(true);
    expect(SHIPPED_LEGAL.every((e) => /^arrete du /.test(e.note ?? ''))).toBe(true);
  });
  it('ship nothing a primary source does not confirm: 2026-H2 is unknown in both tables', () => {
    expect(defaultPenaltyRate(t, '2026-H2')).toBeUndefined();
    expect(legalRate(t, '2026-H2', 'pro')).toBeUndefined();
  });
});

describe('hints for a missing rate', () => {
  it('say what is missing, where it is published and the command, never "rates confirm"', () => {
    expect(rateHint('2026-H2')).toMatch(/ECB main refinancing rate in force on 2026-07-01 is missing \(.*ECB.*Banque de France.*\); add it with "relance rates add 2026-07-01 RATE"/);
    expect(legalHint('2026-H2')).toMatch(/taux de l'intérêt légal of 2026-H2 is missing \(.*Journal officiel.*\); add it with "relance rates legal 2026-H2 PRO_RATE CONSUMER_RATE"/);
    expect(rateHint('2027-H1')).toContain('2027-01-01');
    for (const h of [rateHint('2026-H2'), legalHint('2026-H2')]) expect(h).not.toContain('confirm');
  });
  it('name each missing table once, the ECB first', () => {
    const hints = missingHints([
      { half: '2026-H2', table: 'legal' },
      { half: '2026-H2', table: 'ecb' },
      { half: '2026-H2', table: 'legal' },
    ]);
    expect(hints).toEqual([rateHint('2026-H2'), legalHint('2026-H2')]);
    expect(missingHints([{ half: '2026-H2', table: 'legal' }])).toEqual([legalHint('2026-H2')]);
  });
});
