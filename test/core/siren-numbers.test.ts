import { describe, expect, it } from 'vitest';
import { formatBp, formatQuantity, parsePercent, parseQuantity } from '../../src/core/numbers.js';
import { luhnValid, sirenValid } from '../../src/core/siren.js';

describe('SIREN', () => {
  it('checks 9 digits and the Luhn key', () => {
    expect(sirenValid('732829320')).toBe(true);
    expect(sirenValid('552100554')).toBe(true);
    expect(sirenValid('123456789')).toBe(false);
    expect(sirenValid('73282932')).toBe(false);
    expect(sirenValid('356000000')).toBe(true);
    expect(luhnValid('73282932000074')).toBe(true);
  });
});

describe('percentages and quantities', () => {
  it('reads rates as basis points', () => {
    expect(parsePercent('20')).toBe(2000);
    expect(parsePercent('5,5')).toBe(550);
    expect(parsePercent('12.15 %')).toBe(1215);
    expect(() => parsePercent('12.155')).toThrow(/more than 2 decimals/);
    expect(() => parsePercent('x')).toThrow(/cannot read "x"/);
    expect(formatBp(550)).toBe('5.5');
    expect(formatBp(2000)).toBe('20');
  });

  it('reads quantities as thousandths', () => {
    expect(parseQuantity('1,5')).toBe(1500);
    expect(parseQuantity('3')).toBe(3000);
    expect(() => parseQuantity('0')).toThrow(/more than zero/);
    expect(formatQuantity(1500)).toBe('1.5');
  });
});
