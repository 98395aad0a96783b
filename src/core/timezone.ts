/**
 * The ledger's time zone (setting `timezone`, an IANA name, default Europe/Paris): which calendar
 * day an instant falls on there, the UTC offset it has there, and the instant a wall-clock time
 * typed by the user means there. Pure: instants are passed in (the CLI reads the clock), and the
 * zone rules come from Intl (ICU's tz data), never from the process's TZ.
 */
import type { IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

/** A French business's day is the day in Paris. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The canonical name of a time zone Intl knows ("europe/paris" -> "Europe/Paris"), or null. */
export function canonicalTimeZone(name: string): string | null {
  const s = name.trim();
  if (!s) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Check a time-zone name; throws UsageError naming the fix. Returns the canonical name. */
export function checkTimeZone(name: string, what = 'timezone'): string {
  const tz = canonicalTimeZone(name);
  if (!tz) throw new UsageError(t('common.timezone.bad', { what, name }));
  return tz;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of an instant in a time zone. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar day of an instant in a time zone: what "today" means to the business. */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  const p = zonedParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The UTC offset of a time zone at an instant, in minutes east of UTC (Paris: 60 in winter, 120 in summer). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the time zone reads it, with its UTC offset: "2026-03-02T00:30:00+01:00". */
export function timestampInZone(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(offsetMinutes(instant, timeZone))}`;
}

/**
 * The instant a wall-clock time means in a time zone. A time that happens twice (the night clocks go
 * back) is the first of the two; a time that does not exist (the hour skipped when they go forward)
 * is read with the offset before the change (02:30 on the last Sunday of March in Paris is 03:30 summer time).
 */
export function wallTimeToInstant(w: { date: IsoDate; hour: number; minute: number; second: number }, timeZone: string): Date {
  const [y, mo, d] = w.date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, w.hour, w.minute, w.second);
  const HALF_DAY = 12 * 3_600_000;
  const before = offsetMinutes(new Date(wall - HALF_DAY), timeZone);
  const after = offsetMinutes(new Date(wall + HALF_DAY), timeZone);
  const fits = [...new Set([before, after])]
    .map((off) => wall - off * 60_000)
    .filter((t) => {
      const p = zonedParts(new Date(t), timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === wall;
    });
  return new Date(fits.length > 0 ? Math.min(...fits) : wall - before * 60_000);
}

/** A wall-clock time in a time zone, as stored: with the offset it has there on that day. */
export function wallTimeInZone(w: { date: IsoDate; hour: number; minute: number; second: number }, timeZone: string): string {
  return timestampInZone(wallTimeToInstant(w, timeZone), timeZone);
}
