import { describe, expect, it } from 'vitest';
import { checkPattern, formatNumber } from '../../src/core/numbering.js';

describe('document numbers', () => {
  it('fills {YYYY} {YY} {MM} and a zero-padded {seq:N}', () => {
    expect(formatNumber('F-{YYYY}-{seq:4}', 7, '2026-03-05')).toBe('F-2026-0007');
    expect(formatNumber('FA{YY}{MM}-{seq:3}', 42, '2026-11-30')).toBe('FA2611-042');
    expect(formatNumber('{seq}', 12345, '2026-01-01')).toBe('12345');
    // Padding never truncates a number that outgrew it.
    expect(formatNumber('F{seq:2}', 123, '2026-01-01')).toBe('F123');
  });

  it('refuses patterns without {seq}, with unknown tokens or file-unsafe characters', () => {
    expect(checkPattern('F-{YYYY}-{seq:4}')).toBe('F-{YYYY}-{seq:4}');
    expect(() => checkPattern('F-{YYYY}')).toThrow(/no \{seq\}/);
    expect(() => checkPattern('F-{DD}-{seq}')).toThrow(/unknown token \{DD\}/);
    expect(() => checkPattern('F/{seq}')).toThrow(/file name/);
  });
});
