import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDecimal, formatMoney, parseAmount, parsePositiveAmount, roundDiv, splitEvenly, splitProportionally } from '../../src/core/money.js';

describe('parseAmount', () => {
  it.each([
    ['1234.5', 123450],
    ['1234,50', 123450],
    ['1 234,50', 123450],
    ['1\u00a0234,50', 123450],
    ['1\u202f234,50', 123450],
    ['1234.50 EUR', 123450],
    ['€12', 1200],
    ['12 €', 1200],
    ['0,05', 5],
    ['1 000 000', 100000000],
    ['-5', -500],
    ['42', 4200],
    ['1,5', 150],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseAmount(text)).toBe(cents);
  });

  it.each([
    ['1,234', 'thousands separator or decimals'],
    ['12.34.5', 'more than one decimal separator'],
    ['abc', 'not a number'],
    ['', 'empty'],
    ['1.234,5', 'mixes'],
    ['12.345', 'more than two decimals'],
    ['1 23,00', 'groups of three digits'],
    ['12,3,4', 'more than one decimal separator'],
  ])('refuses %j, quoting it (%s)', (text, why) => {
    expect(() => parseAmount(text, '--amount')).toThrowError(new RegExp(`--amount: cannot read "${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}".*${why}`));
  });

  it('refuses zero and negative amounts where a positive one is needed', () => {
    expect(() => parsePositiveAmount('0')).toThrow(/must be more than zero/);
    expect(() => parsePositiveAmount('-3')).toThrow(/must be more than zero/);
  });
});

describe('formatting', () => {
  it('prints French and English forms', () => {
    expect(formatMoney(123456)).toBe('1\u202f234,56\u00a0€');
    expect(formatMoney(-5)).toBe('-0,05\u00a0€');
    expect(formatMoney(123456, 'EUR', 'en')).toBe('€1,234.56');
    expect(formatMoney(100, 'USD', 'en')).toBe('1.00 USD');
    expect(centsToDecimal(-123)).toBe('-1.23');
    expect(centsToDecimal(5)).toBe('0.05');
  });

  it('groups the digits by three as the regular expression it replaced did, for any amount', () => {
    const byRegExp = (cents: number, currency: string, lang: 'fr' | 'en') => {
      const units = String(Math.trunc(Math.abs(cents) / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? '\u202f' : ',');
      const sign = cents < 0 ? '-' : '';
      const dec = String(Math.abs(cents) % 100).padStart(2, '0');
      const sym = currency === 'EUR' ? '€' : currency;
      if (lang === 'fr') return `${sign}${units},${dec}\u00a0${sym}`;
      return currency === 'EUR' ? `${sign}€${units}.${dec}` : `${sign}${units}.${dec} ${sym}`;
    };
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('EUR', 'USD'), fc.constantFrom('fr' as const, 'en' as const), (cents, currency, lang) => {
        expect(formatMoney(cents, currency, lang)).toBe(byRegExp(cents, currency, lang));
      }),
      { numRuns: 2000 },
    );
    for (const c of [0, 99, 100, 99_999, 100_000, 123_456_789, -100_000_000]) expect(formatMoney(c, 'EUR', 'en')).toBe(byRegExp(c, 'EUR', 'en'));
  });
});

describe('rounding and splitting', () => {
  it('rounds halves away from zero', () => {
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(4n, 3n)).toBe(1n);
    expect(roundDiv(2n, 3n)).toBe(1n);
  });

  it('splits evenly with leftover cents first', () => {
    expect(splitEvenly(1000, 3)).toEqual([334, 333, 333]);
    expect(splitEvenly(-1000, 3)).toEqual([-334, -333, -333]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
  });

  it('splits proportionally and exactly', () => {
    const parts = splitProportionally(10000, [1, 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(parts).toEqual([3334, 3333, 3333]);
    expect(splitProportionally(150000, [300000, 200000])).toEqual([90000, 60000]);
  });
});
