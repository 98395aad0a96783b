/**
 * Dates are calendar days written YYYY-MM-DD, compared as strings and computed
 * in UTC so that no time zone or DST shift ever moves a due date.
 * Nothing here reads the clock: "today" is passed in (from --as-of or the CLI's clock).
 */
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The earliest year a date may have (Date.UTC reads years 0-99 as 1900-1999). */
export const MIN_YEAR = 1900;

/** Validate a YYYY-MM-DD date that exists on the calendar (2026-02-30 is refused). */
export function parseDate(text: string, what = t('common.date.what')): IsoDate {
  const s = text.trim();
  const m = ISO.exec(s);
  const fail = (why: string): never => {
    throw new UsageError(t('common.date.bad', { what, text, why }));
  };
  if (!m) return fail(t('common.date.notDate'));
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Years 0-99 would turn into 1900-1999 in Date.UTC; no ledger date is that old.
  if (y < MIN_YEAR) fail(t('common.date.tooOld', { year: MIN_YEAR }));
  if (mo < 1 || mo > 12) fail(t('common.date.noMonth', { month: mo }));
  if (d < 1 || d > daysInMonth(y, mo)) fail(t('common.date.noDay', { month: String(mo).padStart(2, '0'), year: y, days: daysInMonth(y, mo) }));
  return s;
}

export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= MIN_YEAR && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DAY_MS = 86_400_000;

function toUtcMs(d: IsoDate): number {
  const m = ISO.exec(d);
  if (!m) throw new RangeError(`not an ISO date: ${d}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromUtcMs(toUtcMs(d) + n * DAY_MS);
}

/** Whole days from a to b (b - a); negative when b is before a. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
}

/** Add calendar months, clamping to the end of the month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: IsoDate, n: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(day, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

export function endOfMonth(d: IsoDate): IsoDate {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** The calendar date of an instant in the local time zone (what "today" means to the user). */
export function localDate(now: Date): IsoDate {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  const d = now.getDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
