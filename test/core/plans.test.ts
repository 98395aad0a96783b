import { describe, expect, it } from 'vitest';
import { evenInstalments, explicitInstalments, parseStep, settleInstalments } from '../../src/core/plans.js';

describe('payment plans', () => {
  it('split the balance exactly, the leftover cents on the first instalments', () => {
    const p = evenInstalments(100_001, 3, { months: 1 }, '2026-01-31');
    expect(p.map((i) => [i.dueDate, i.amount])).toEqual([
      ['2026-01-31', 33_334],
      ['2026-02-28', 33_334],
      ['2026-03-31', 33_333],
    ]);
    expect(p.reduce((s, i) => s + i.amount, 0)).toBe(100_001);
  });
  it('step by days', () => {
    expect(evenInstalments(300, 3, parseStep('15d'), '2026-01-01').map((i) => i.dueDate)).toEqual(['2026-01-01', '2026-01-16', '2026-01-31']);
  });
  it('read steps and refuse nonsense', () => {
    expect(parseStep('month')).toEqual({ months: 1 });
    expect(parseStep('30d')).toEqual({ days: 30 });
    expect(() => parseStep('fortnightly')).toThrow(/--every/);
  });
  it('refuse explicit instalments that do not add up', () => {
    expect(() => explicitInstalments(1000, [{ dueDate: '2026-01-01', amount: 400 }, { dueDate: '2026-02-01', amount: 500 }])).toThrow(/does not add up.*missing 1.00/);
    expect(explicitInstalments(900, [{ dueDate: '2026-02-01', amount: 500 }, { dueDate: '2026-01-01', amount: 400 }]).map((i) => i.position + ':' + i.dueDate)).toEqual(['1:2026-01-01', '2:2026-02-01']);
  });
  it('settle instalments in order; a late one is overdue', () => {
    const p = evenInstalments(90_000, 3, { months: 1 }, '2026-01-15');
    const s = settleInstalments(p, 50_000, '2026-02-20');
    expect(s.map((i) => [i.paid, i.remaining, i.late, i.daysLate])).toEqual([
      [30_000, 0, false, 0],
      [10_000, 20_000, true, 5],
      [0, 30_000, false, 0],
    ]);
  });
});
