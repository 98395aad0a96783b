/** The penalty rules of french-rules.md sections 1 and 7, to the cent. */
import { render } from '../../src/i18n/msg.js';
import { describe, expect, it } from 'vitest';
import { computePenalties, periodInterest, requireKnown, RECOVERY_INDEMNITY, type PenaltyInput } from '../../src/core/penalties.js';
import { mergeTables, shippedTables } from '../../src/core/rates.js';

const rates = shippedTables();
const contract = (rateBp: number) => ({ kind: 'contract' as const, rateBp });
const base = (over: Partial<PenaltyInput>): PenaltyInput => ({
  amountDue: 100_000,
  dueDate: '2025-09-30',
  asOf: '2025-11-30',
  settlements: [],
  clientKind: 'b2b',
  mode: { kind: 'ecb+10' },
  rates,
  ...over,
});

describe('the worked examples of french-rules.md', () => {
  it('15 000.00 due 2018-04-15 paid 2018-05-15 at 15 % -> 184.93', () => {
    const r = computePenalties(base({ amountDue: 1_500_000, dueDate: '2018-04-15', asOf: '2018-05-15', mode: contract(1500), settlements: [{ date: '2018-05-15', amount: 1_500_000 }] }));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ from: '2018-04-16', to: '2018-05-15', days: 30, base: 1_500_000, rateBp: 1500, amount: 18_493 });
    expect(r.interest).toBe(18_493);
    expect(r.indemnity).toBe(RECOVERY_INDEMNITY);
  });

  it('3 000.00, 30 days at 14.76 % -> 36.39', () => {
    expect(periodInterest(300_000, 1476, 30)).toBe(3639);
    const r = computePenalties(base({ amountDue: 300_000, dueDate: '2019-03-01', asOf: '2019-03-31', mode: contract(1476) }));
    expect(r.interest).toBe(3639);
  });

  it('1 000.00, 30 days at 14.50 % -> 11.92 (the H1 2024 default rate, ECB 4.50 + 10)', () => {
    const r = computePenalties(base({ amountDue: 100_000, dueDate: '2024-03-01', asOf: '2024-03-31' }));
    expect(r.lines).toEqual([{ from: '2024-03-02', to: '2024-03-31', days: 30, base: 100_000, rateBp: 1450, basis: 'ecb+10', half: '2024-H1', amount: 1192 }]);
    expect(r.interest).toBe(1192);
  });

  it('partial payment: 31 days on 1 000.00 + 30 days on 600.00 at 12.15 % = 16.31, plus 40 EUR', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-10-31', amount: 40_000 }] }));
    expect(r.lines.map((l) => [l.from, l.to, l.days, l.base, l.rateBp, l.amount])).toEqual([
      ['2025-10-01', '2025-10-31', 31, 100_000, 1215, 1032],
      ['2025-11-01', '2025-11-30', 30, 60_000, 1215, 599],
    ]);
    expect(r.interest).toBe(1631);
    expect(r.indemnity).toBe(4000);
  });
});

describe('half-years', () => {
  it('a delay crossing 2025-07-01 is split: 13.15 % then 12.15 %', () => {
    const r = computePenalties(base({ amountDue: 1_000_000, dueDate: '2025-05-31', asOf: '2025-08-31' }));
    expect(r.lines.map((l) => [l.from, l.to, l.days, l.rateBp, l.half])).toEqual([
      ['2025-06-01', '2025-06-30', 30, 1315, '2025-H1'],
      ['2025-07-01', '2025-08-31', 62, 1215, '2025-H2'],
    ]);
    // 10 000 x 13.15 % x 30/365 = 108.082... ; 10 000 x 12.15 % x 62/365 = 206.383...
    expect(r.lines.map((l) => l.amount)).toEqual([10_808, 20_638]);
    expect(r.interest).toBe(31_446);
  });

  it('uses the ECB rate in force on 1 January, not the later changes of the half', () => {
    // H1 2025: ECB 3.15 on 2025-01-01 although it fell to 2.90 on 2025-02-05
    const r = computePenalties(base({ dueDate: '2025-01-31', asOf: '2025-03-31' }));
    expect(r.lines.map((l) => l.rateBp)).toEqual([1315]);
  });

  it('a half-year whose rate is not confirmed is unknown, never guessed', () => {
    const r = computePenalties(base({ dueDate: '2026-05-31', asOf: '2026-07-15' }));
    expect(r.lines.map((l) => [l.half, l.rateBp])).toEqual([
      ['2026-H1', 1215],
      ['2026-H2', null],
    ]);
    expect(r.interest).toBeNull();
    expect(r.unknown).toHaveLength(1);
    expect(() => requireKnown(r)).toThrow(/2026-H2.*relance rates add 2026-07-01 RATE/);
    expect(() => requireKnown(r)).not.toThrow(/rates confirm/);
  });

  it('a confirmation on or after 1 July makes the second half known', () => {
    const t = mergeTables([{ date: '2026-07-01', rateBp: 215, kind: 'confirmed', source: 'ledger' }], []);
    const r = computePenalties(base({ dueDate: '2026-05-31', asOf: '2026-07-15', rates: t }));
    expect(r.lines.map((l) => l.rateBp)).toEqual([1215, 1215]);
    expect(r.interest).not.toBeNull();
  });

  it('a change added after the last confirmation gives the new rate from its half', () => {
    const t = mergeTables([{ date: '2026-06-10', rateBp: 190, kind: 'change', source: 'ledger' }, { date: '2026-07-01', rateBp: 190, kind: 'confirmed', source: 'ledger' }], []);
    const r = computePenalties(base({ dueDate: '2026-05-31', asOf: '2026-07-15', rates: t }));
    expect(r.lines.map((l) => l.rateBp)).toEqual([1215, 1190]);
  });
});

describe('payments, reversals and credit notes', () => {
  it('a payment on the due date or before reduces the base from the start', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-09-30', amount: 30_000 }, { date: '2025-09-01', amount: 10_000 }], asOf: '2025-10-30' }));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]!.base).toBe(60_000);
  });

  it('an invoice paid on time owes nothing, not even the indemnity', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-09-30', amount: 100_000 }] }));
    expect(r.late).toBe(false);
    expect(r.lines).toEqual([]);
    expect(r.interest).toBe(0);
    expect(r.indemnity).toBe(0);
  });

  it('the indemnity is owed in full after a late full payment; interest stops the day after', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-10-05', amount: 100_000 }] }));
    expect(r.lines.map((l) => [l.from, l.to, l.days])).toEqual([['2025-10-01', '2025-10-05', 5]]);
    expect(r.indemnity).toBe(4000);
  });

  it('a reversal raises the base again from the next day', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-10-10', amount: 100_000 }, { date: '2025-10-20', amount: -100_000 }], asOf: '2025-10-31' }));
    expect(r.lines.map((l) => [l.from, l.to, l.base])).toEqual([
      ['2025-10-01', '2025-10-10', 100_000],
      ['2025-10-21', '2025-10-31', 100_000],
    ]);
  });

  it('ignores settlements after asOf', () => {
    const r = computePenalties(base({ settlements: [{ date: '2025-12-15', amount: 100_000 }] }));
    expect(r.lines.map((l) => l.days)).toEqual([61]);
  });

  it('nothing is owed before the due date has passed', () => {
    const r = computePenalties(base({ asOf: '2025-09-30' }));
    expect(r).toMatchObject({ late: false, lines: [], interest: 0, indemnity: 0, daysLate: 0 });
  });
});

describe('contractual rate', () => {
  it('warns when below 3 x the legal interest rate (professionals)', () => {
    const r = computePenalties(base({ mode: contract(800) }));
    expect(r.warnings).toHaveLength(1);
    expect(render(r.warnings[0]!, 'en')).toMatch(/below 3 x the legal interest rate of 2025-H2 \(3 x 2.76 % = 8.28 %\)/);
    expect(r.interest).toBe(periodInterest(100_000, 800, 61));
  });

  it('does not warn at or above it', () => {
    expect(computePenalties(base({ mode: contract(1500) })).warnings).toEqual([]);
  });
});

describe('consumer clients', () => {
  it('owe no indemnity and no interest without a formal notice', () => {
    const r = computePenalties(base({ clientKind: 'b2c' }));
    expect(r).toMatchObject({ late: true, lines: [], interest: 0, indemnity: 0, startsOn: null });
  });

  it('owe legal interest (professionals column) from the day after the formal notice', () => {
    const r = computePenalties(base({ clientKind: 'b2c', formalNoticeDate: '2025-11-10' }));
    expect(r.lines).toEqual([{ from: '2025-11-11', to: '2025-11-30', days: 20, base: 100_000, rateBp: 276, basis: 'legal', half: '2025-H2', amount: periodInterest(100_000, 276, 20) }]);
    expect(r.indemnity).toBe(0);
  });

  it('a half-year without a legal rate is unknown', () => {
    const r = computePenalties(base({ clientKind: 'b2c', dueDate: '2026-05-31', formalNoticeDate: '2026-06-15', asOf: '2026-07-10' }));
    expect(r.interest).toBeNull();
    expect(r.unknown[0]!.hint).toMatch(/relance rates legal 2026-H2/);
  });
});
