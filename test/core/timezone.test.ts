/** The ledger's time zone (issue 14 §3): days, offsets and typed wall times, whatever the process's TZ. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { canonicalTimeZone, checkTimeZone, dateInZone, offsetMinutes, timestampInZone, wallTimeInZone, wallTimeToInstant } from '../../src/core/timezone.js';

const at = (iso: string) => new Date(iso);

describe('the day and the offset of an instant in a zone', () => {
  it('23:30 UTC on 1 March is 2 March in Paris and still 1 March in Los Angeles', () => {
    const t = at('2026-03-01T23:30:00Z');
    expect(dateInZone(t, 'Europe/Paris')).toBe('2026-03-02');
    expect(dateInZone(t, 'America/Los_Angeles')).toBe('2026-03-01');
    expect(dateInZone(t, 'UTC')).toBe('2026-03-01');
    expect(timestampInZone(t, 'Europe/Paris')).toBe('2026-03-02T00:30:00+01:00');
    expect(timestampInZone(t, 'America/Los_Angeles')).toBe('2026-03-01T15:30:00-08:00');
    expect(timestampInZone(t, 'Asia/Kolkata')).toBe('2026-03-02T05:00:00+05:30');
  });

  it('follows summer time', () => {
    expect(offsetMinutes(at('2026-01-15T12:00:00Z'), 'Europe/Paris')).toBe(60);
    expect(offsetMinutes(at('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe(120);
    // Paris changes at 01:00 UTC on the last Sunday of March.
    expect(timestampInZone(at('2026-03-29T00:59:59Z'), 'Europe/Paris')).toBe('2026-03-29T01:59:59+01:00');
    expect(timestampInZone(at('2026-03-29T01:00:00Z'), 'Europe/Paris')).toBe('2026-03-29T03:00:00+02:00');
    // Overseas France: Martinique has no summer time, Réunion is UTC+4.
    expect(timestampInZone(at('2026-07-15T02:00:00Z'), 'America/Martinique')).toBe('2026-07-14T22:00:00-04:00');
    expect(dateInZone(at('2026-12-31T20:30:00Z'), 'Indian/Reunion')).toBe('2027-01-01');
  });
});

describe('a typed wall time means that time in the zone', () => {
  it('14:30 in Paris is +01:00 in winter and +02:00 in summer', () => {
    expect(wallTimeInZone({ date: '2026-03-02', hour: 14, minute: 30, second: 0 }, 'Europe/Paris')).toBe('2026-03-02T14:30:00+01:00');
    expect(wallTimeInZone({ date: '2026-07-14', hour: 14, minute: 30, second: 0 }, 'Europe/Paris')).toBe('2026-07-14T14:30:00+02:00');
    expect(wallTimeToInstant({ date: '2026-03-02', hour: 14, minute: 30, second: 0 }, 'Europe/Paris').toISOString()).toBe('2026-03-02T13:30:00.000Z');
    expect(wallTimeInZone({ date: '2026-03-02', hour: 14, minute: 30, second: 0 }, 'America/Los_Angeles')).toBe('2026-03-02T14:30:00-08:00');
  });

  it('the hour skipped in March reads with the winter offset; the hour repeated in October is the first one', () => {
    expect(wallTimeInZone({ date: '2026-03-29', hour: 2, minute: 30, second: 0 }, 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
    expect(wallTimeInZone({ date: '2026-10-25', hour: 2, minute: 30, second: 0 }, 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
  });

  it('round-trips: every instant reads back as itself from its wall time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 86_399 }), fc.constantFrom('Europe/Paris', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'), (day, sec, tz) => {
        const t = new Date(Date.parse(`${addDays('2024-01-01', day)}T00:00:00Z`) + sec * 1000);
        const s = timestampInZone(t, tz);
        expect(Date.parse(s)).toBe(t.getTime());
        const [date, time] = s.slice(0, 19).split('T') as [string, string];
        const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
        const back = wallTimeToInstant({ date, hour, minute, second }, tz).getTime();
        // Equal, or the first of two instants with the same reading (the repeated hour).
        expect(back <= t.getTime() && timestampInZone(new Date(back), tz).slice(0, 19) === s.slice(0, 19)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checking a zone name', () => {
  it('accepts IANA names (canonical spelling) and refuses the rest with the fix', () => {
    expect(checkTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('')).toBeNull();
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/timezone: "Mars\/Olympus" is not a time zone; use an IANA name such as Europe\/Paris/);
  });
});
