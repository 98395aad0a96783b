/** R125-1 CPCE: the small-claims procedure up to 5 000 EUR in principal AND interest. */
import { describe, expect, it } from 'vitest';
import { isSmallClaim, SMALL_CLAIM_CEILING, smallClaimCheck } from '../../src/core/small-claims.js';

const eur = (balance: number, penalty: number, indemnity = 0) => ({ currency: 'EUR', balance, penalty, indemnity });

describe('small claims (R125-1 CPCE)', () => {
  it('4 980 EUR of principal with 230 EUR of interest is over 5 000 EUR: not eligible', () => {
    expect(smallClaimCheck([eur(498_000, 23_000)])).toEqual({ eligible: false, amount: 521_000, ceiling: SMALL_CLAIM_CEILING });
  });

  it('4 980 EUR with 20 EUR of interest is exactly 5 000 EUR: eligible', () => {
    expect(smallClaimCheck([eur(498_000, 2_000)])).toEqual({ eligible: true, amount: 500_000, ceiling: 500_000 });
  });

  it('one cent of interest over the ceiling is enough to leave it', () => {
    expect(isSmallClaim([eur(498_000, 2_001)])).toBe(false);
    expect(isSmallClaim([eur(499_999, 1)])).toBe(true);
  });

  it('the 40 EUR recovery indemnity is not principal nor interest: not counted', () => {
    expect(isSmallClaim([eur(498_000, 2_000, 4_000)])).toBe(true);
    expect(isSmallClaim([eur(496_100, 0, 12_000)])).toBe(true);
  });

  it('principal alone over the ceiling: not eligible, whatever the interest', () => {
    expect(isSmallClaim([eur(500_001, 0)])).toBe(false);
  });

  it('a part of the claim in another currency: not offered (its euro value is unknown)', () => {
    expect(smallClaimCheck([eur(10_000, 0), { currency: 'USD', balance: 10_000, penalty: 0 }])).toMatchObject({ eligible: false, amount: null });
    // A currency with nothing owed does not count.
    expect(isSmallClaim([eur(10_000, 0), { currency: 'USD', balance: 0, penalty: 0 }])).toBe(true);
  });

  it('nothing owed is no claim', () => {
    expect(isSmallClaim([])).toBe(false);
  });
});
