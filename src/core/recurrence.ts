/**
 * The calendar of a recurring invoice (issue 20 §3): every month, quarter, year or N weeks, on a
 * day of the month (a month without that day takes its last day: the 31st is Feb 28/29, Apr 30) or
 * on a weekday for weeks, from a start date, up to an optional end date (inclusive). Pure: the run
 * (src/recurring/run.ts) asks which periods are due up to its day and issues those not issued yet.
 *
 * The first period is the first such day on or after the start; the next ones are counted from
 * that first period (month + k x step, then clamped), so a schedule on the 31st is on the 31st
 * again after a short month, never drifting to the 28th.
 */
import { addDays, daysInMonth, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import { t, tn, type Lang, type MessageKey } from '../i18n/index.js';

export type Every = 'month' | 'quarter' | 'year' | 'weeks';

export interface Recurrence {
  every: Every;
  /** For 'weeks': every how many weeks (1 to 52); 1 otherwise. */
  weeks: number;
  /** Day of the month (1 to 31) for month/quarter/year; ISO weekday (1 Monday to 7 Sunday) for weeks. */
  on: number;
  start: IsoDate;
  end: IsoDate | null;
}

const WEEKDAYS: Record<string, number> = {
  mon: 1, monday: 1, lun: 1, lundi: 1,
  tue: 2, tuesday: 2, mar: 2, mardi: 2,
  wed: 3, wednesday: 3, mer: 3, mercredi: 3,
  thu: 4, thursday: 4, jeu: 4, jeudi: 4,
  fri: 5, friday: 5, ven: 5, vendredi: 5,
  sat: 6, saturday: 6, sam: 6, samedi: 6,
  sun: 7, sunday: 7, dim: 7, dimanche: 7,
};

/** --every: month | quarter | year | Nweeks (also "monthly", "week", "2w", "mois", "trimestre", "an"). */
export function parseEvery(text: string): { every: Every; weeks: number } {
  const s = text.trim().toLowerCase();
  if (['month', 'months', 'monthly', 'mois', 'mensuel'].includes(s)) return { every: 'month', weeks: 1 };
  if (['quarter', 'quarterly', 'trimestre', 'trimestriel'].includes(s)) return { every: 'quarter', weeks: 1 };
  if (['year', 'yearly', 'annual', 'an', 'année', 'annuel'].includes(s)) return { every: 'year', weeks: 1 };
  const m = /^(\d{1,2})?\s*(w|wk|week|weeks|weekly|semaine|semaines)$/.exec(s);
  if (m) {
    const n = m[1] === undefined ? 1 : Number(m[1]);
    if (n >= 1 && n <= 52) return { every: 'weeks', weeks: n };
  }
  throw new UsageError(t('common.recurrence.every', { text }));
}

/** --on: a day of the month (1-31) for month/quarter/year, a weekday (mon..sun, lundi.., 1-7) for weeks. */
export function parseOn(text: string, every: Every): number {
  const s = text.trim().toLowerCase();
  if (every === 'weeks') {
    if (/^[1-7]$/.test(s)) return Number(s);
    const d = WEEKDAYS[s];
    if (d !== undefined) return d;
    throw new UsageError(t('common.recurrence.weekday', { text }));
  }
  if (s === 'last' || s === 'dernier') return 31;
  if (/^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 31) return Number(s);
  throw new UsageError(t('common.recurrence.day', { text }));
}

/** The default --on: the start's day of the month, or its weekday. */
export function defaultOn(start: IsoDate, every: Every): number {
  return every === 'weeks' ? isoWeekday(start) : Number(start.slice(8, 10));
}

/** ISO weekday of a date: 1 Monday ... 7 Sunday. */
export function isoWeekday(d: IsoDate): number {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

function monthsOf(every: Every): number {
  return every === 'month' ? 1 : every === 'quarter' ? 3 : 12;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The `on` day of the month that is `k` months after (year, month), clamped to that month's last day. */
function dayIn(year: number, month: number, k: number, on: number): IsoDate {
  const total = year * 12 + (month - 1) + k;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(Math.min(on, daysInMonth(y, m)))}`;
}

/** The first period: the first `on` day on or after the start. */
export function firstPeriod(r: Recurrence): IsoDate {
  if (r.every === 'weeks') return addDays(r.start, (r.on - isoWeekday(r.start) + 7) % 7);
  const [y, m] = r.start.split('-').map(Number) as [number, number];
  const same = dayIn(y, m, 0, r.on);
  return same >= r.start ? same : dayIn(y, m, 1, r.on);
}

/** The k-th period (0 is the first), ignoring the end date. */
export function periodAt(r: Recurrence, k: number): IsoDate {
  const first = firstPeriod(r);
  if (r.every === 'weeks') return addDays(first, 7 * r.weeks * k);
  const [y, m] = first.split('-').map(Number) as [number, number];
  return dayIn(y, m, k * monthsOf(r.every), r.on);
}

/** Every period from the first up to `upTo` (inclusive) and the end date, oldest first. */
export function periodsUpTo(r: Recurrence, upTo: IsoDate): IsoDate[] {
  const last = r.end !== null && r.end < upTo ? r.end : upTo;
  const out: IsoDate[] = [];
  for (let k = 0; ; k++) {
    const d = periodAt(r, k);
    if (d > last) return out;
    out.push(d);
  }
}

/** The first period after `after` (strictly), or null when the schedule has ended by then. */
export function nextPeriod(r: Recurrence, after: IsoDate): IsoDate | null {
  for (let k = 0; ; k++) {
    const d = periodAt(r, k);
    if (r.end !== null && d > r.end) return null;
    if (d > after) return d;
  }
}

/**
 * "every month on day 31 (or the month's last day)", "every 2 weeks on Monday"; in English unless
 * `lang` is given (JSON keeps the English text: pass language() for the terminal).
 */
export function describeRecurrence(r: Pick<Recurrence, 'every' | 'weeks' | 'on'>, lang: Lang = 'en'): string {
  if (r.every === 'weeks') return tn('common.recurrence.weeks', r.weeks, { day: t(`common.recurrence.weekday.${r.on}` as MessageKey, undefined, lang) }, lang);
  const day = r.on === 31 ? t('common.recurrence.lastDay', undefined, lang) : r.on > 28 ? t('common.recurrence.dayOrLast', { day: r.on }, lang) : t('common.recurrence.dayN', { day: r.on }, lang);
  return t(`common.recurrence.every.${r.every}` as MessageKey, { day }, lang);
}

/** The label of --every as stored and printed: month, quarter, year, 2weeks. */
export function everyLabel(r: Pick<Recurrence, 'every' | 'weeks'>): string {
  return r.every === 'weeks' ? `${r.weeks}weeks` : r.every;
}

/**
 * `recurring edit --on`: the day of the cycle of `period` (the next period not issued) on the new
 * day: the same month for month/quarter/year (clamped to the month's last day), the same ISO week
 * (Monday to Sunday) for weeks. The calendar restarts there, so a cycle is billed once, never twice
 * nor skipped, when the day moves.
 */
export function movedPeriod(every: Every, period: IsoDate, on: number): IsoDate {
  if (every === 'weeks') return addDays(period, on - isoWeekday(period));
  const [y, m] = period.split('-').map(Number) as [number, number];
  return dayIn(y, m, 0, on);
}
