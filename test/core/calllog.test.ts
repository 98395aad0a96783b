import { describe, expect, it } from 'vitest';
import { checkContactDates, formatWallTime, laterContact, nextActionDue, parseWallTime, promiseStatus } from '../../src/core/calllog.js';

describe('parseWallTime', () => {
  it('reads "YYYY-MM-DD HH:MM", seconds, a T, and explicit offsets', () => {
    expect(parseWallTime('2026-03-02 14:30')).toEqual({ date: '2026-03-02', hour: 14, minute: 30, second: 0, offset: undefined });
    expect(parseWallTime('2026-03-02T09:05:07')).toMatchObject({ hour: 9, minute: 5, second: 7 });
    expect(parseWallTime('2026-03-02 9:05')).toMatchObject({ hour: 9, minute: 5 });
    expect(parseWallTime('2026-03-02T14:30+0100').offset).toBe('+01:00');
    expect(parseWallTime('2026-03-02T14:30:00-05:30').offset).toBe('-05:30');
    expect(parseWallTime('2026-03-02T14:30Z').offset).toBe('Z');
    expect(parseWallTime('2026-03-02')).toMatchObject({ hour: 0, minute: 0 });
  });

  it('refuses what is not a time, naming the flag and the expected form', () => {
    for (const bad of ['2026-03-02 24:00', '2026-03-02 12:60', '2026-02-29 10:00', 'tomorrow', '02/03/2026 10:00', '2026-03-02 10h30', '2026-03-02T10:00+15:00']) {
      expect(() => parseWallTime(bad)).toThrow(/--at: .*"YYYY-MM-DD HH:MM"/);
    }
  });

  it('formats with the offset, Z as +00:00', () => {
    expect(formatWallTime({ date: '2026-03-02', hour: 9, minute: 5, second: 0, offset: 'Z' })).toBe('2026-03-02T09:05:00+00:00');
    expect(formatWallTime({ ...parseWallTime('2026-07-01 18:00'), offset: '+02:00' })).toBe('2026-07-01T18:00:00+02:00');
  });
});

describe('checkContactDates', () => {
  it('accepts a promise on the day of the call and refuses one before it', () => {
    expect(() => checkContactDates('2026-03-02T14:30:00+01:00', '2026-03-02', null)).not.toThrow();
    expect(() => checkContactDates('2026-03-02T14:30:00+01:00', '2026-03-01', null)).toThrow(/--promise 2026-03-01 is before the contact \(2026-03-02\)/);
    expect(() => checkContactDates('2026-03-02T14:30:00+01:00', null, '2026-03-01')).toThrow(/--next 2026-03-01/);
  });
});

describe('promiseStatus', () => {
  const base = { promiseDate: '2026-03-10', promiseAmount: 60000, owedAtCall: 100000, paidSince: 0, openNow: 100000 };
  it('is pending up to the promise date plus grace, broken after', () => {
    expect(promiseStatus(base, '2026-03-02', 3)).toMatchObject({ status: 'pending', holdsUntil: '2026-03-13', target: 60000 });
    expect(promiseStatus(base, '2026-03-13', 3).status).toBe('pending');
    expect(promiseStatus(base, '2026-03-14', 3).status).toBe('broken');
    expect(promiseStatus(base, '2026-03-11', 0).status).toBe('broken');
  });
  it('is kept once the promised amount is received, or nothing is left to pay', () => {
    expect(promiseStatus({ ...base, paidSince: 59999 }, '2026-03-20', 3).status).toBe('broken');
    expect(promiseStatus({ ...base, paidSince: 60000 }, '2026-03-20', 3).status).toBe('kept');
    expect(promiseStatus({ ...base, paidSince: 60000 }, '2026-03-05', 3).status).toBe('kept');
    expect(promiseStatus({ ...base, promiseAmount: null, paidSince: 60000 }, '2026-03-20', 3)).toMatchObject({ status: 'broken', target: 100000 });
    expect(promiseStatus({ ...base, promiseAmount: 200000, openNow: 0 }, '2026-03-20', 3).status).toBe('kept');
  });
});

describe('next actions', () => {
  const c = { id: 1, clientId: 7, at: '2026-03-02T10:00:00+01:00', nextActionDate: '2026-03-05' };
  it('is due from its date until a later contact with the same client', () => {
    expect(nextActionDue(c, [c], '2026-03-04')).toBe(false);
    expect(nextActionDue(c, [c], '2026-03-05')).toBe(true);
    const other = { id: 2, clientId: 8, at: '2026-03-04T10:00:00+01:00' };
    expect(nextActionDue(c, [c, other], '2026-03-06')).toBe(true);
    const later = { id: 3, clientId: 7, at: '2026-03-06T10:00:00+01:00' };
    expect(nextActionDue(c, [c, later], '2026-03-06')).toBe(false);
    expect(nextActionDue(c, [c, later], '2026-03-05')).toBe(true);
  });
  it('compares real instants, whatever offset a contact was logged with', () => {
    const a = { id: 1, clientId: 7, at: '2026-03-02T10:00:00+01:00' };
    const b = { id: 2, clientId: 7, at: '2026-03-02T09:30:00+00:00' }; // 10:30 in Paris: later
    expect(laterContact(a, [a, b], '2026-03-03')?.id).toBe(2);
    expect(laterContact(b, [a, b], '2026-03-03')).toBeUndefined();
  });
});
