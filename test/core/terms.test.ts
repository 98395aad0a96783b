import { describe, expect, it } from 'vitest';
import { dueDate, exceedsLegalMax, legalMaxDueDate } from '../../src/core/terms.js';

describe('due dates', () => {
  it('net N days', () => {
    expect(dueDate('2026-01-15', { days: 30, kind: 'net' })).toBe('2026-02-14');
    expect(dueDate('2026-01-15', { days: 0, kind: 'net' })).toBe('2026-01-15');
  });

  it('N days end of month', () => {
    expect(dueDate('2026-01-15', { days: 30, kind: 'eom' })).toBe('2026-02-28');
    expect(dueDate('2026-01-15', { days: 0, kind: 'eom' })).toBe('2026-01-31');
  });

  it('"45 jours fin de mois" in both readings, which differ', () => {
    // Invoice of 15 January 2026.
    // date + 45 days = 1 March, then end of that month = 31 March.
    expect(dueDate('2026-01-15', { days: 45, kind: '45eom-add-then-eom' })).toBe('2026-03-31');
    // end of January = 31 January, then + 45 days = 17 March.
    expect(dueDate('2026-01-15', { days: 45, kind: '45eom-eom-then-add' })).toBe('2026-03-17');
    // Invoice of 31 March 2026: 15 May -> 31 May ; 31 March + 45 = 15 May.
    expect(dueDate('2026-03-31', { days: 45, kind: '45eom-add-then-eom' })).toBe('2026-05-31');
    expect(dueDate('2026-03-31', { days: 45, kind: '45eom-eom-then-add' })).toBe('2026-05-15');
  });
});

describe('the legal maximum between professionals (L441-10)', () => {
  it('allows 60 days net and 45 days end of month, flags more', () => {
    expect(exceedsLegalMax({ days: 60, kind: 'net' })).toBeNull();
    expect(exceedsLegalMax({ days: 61, kind: 'net' })).toMatch(/60 days from the invoice date or 45 days end of month/);
    expect(exceedsLegalMax({ days: 45, kind: '45eom-add-then-eom' })).toBeNull();
    expect(exceedsLegalMax({ days: 45, kind: '45eom-eom-then-add' })).toBeNull();
    expect(exceedsLegalMax({ days: 60, kind: 'eom' })).toMatch(/exceed/);
  });

  it('checks the actual due date when the issue date is known', () => {
    // 15 Jan: 60 days = 16 March; 45 eom readings give 31 March and 17 March: the latest allowed is 31 March.
    expect(legalMaxDueDate('2026-01-15')).toBe('2026-03-31');
    expect(exceedsLegalMax({ days: 75, kind: 'net' }, '2026-01-15')).toBeNull(); // 31 March exactly
    expect(exceedsLegalMax({ days: 76, kind: 'net' }, '2026-01-15')).toMatch(/2026-04-01, after 2026-03-31/);
  });
});
