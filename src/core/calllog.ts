/**
 * The call log's rules, pure: when a contact happened (local time with its UTC offset), what a
 * promise to pay is worth as of a date (pending / kept / broken), and what the to-do list asks for
 * (next actions due, broken promises nobody has followed up). No clock, no SQL: the store gathers
 * the facts, these functions decide.
 */
import { addDays, isIsoDate, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import type { Cents } from './money.js';
import { t } from '../i18n/index.js';

export const CHANNELS = ['call', 'email', 'letter', 'visit', 'meeting'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Days a promise keeps holding dunning after its date when the policy does not say. */
export const DEFAULT_PROMISE_GRACE_DAYS = 3;

/** A wall-clock time typed by the user, before the time zone gives it an offset. */
export interface WallTime {
  date: IsoDate;
  hour: number;
  minute: number;
  second: number;
  /** "+01:00", "-05:30" or "Z" when the text carried one; undefined means local time. */
  offset?: string;
}

const AT = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Read --at: "YYYY-MM-DD HH:MM" (local time), also with seconds, a "T", or an explicit offset
 * ("2026-03-02T14:30+01:00"); a date alone means midnight.
 */
export function parseWallTime(text: string, what = '--at'): WallTime {
  const s = text.trim();
  const m = AT.exec(s);
  const fail = (why: string): never => {
    throw new UsageError(t('common.time.bad', { what, text, why }));
  };
  if (!m) return fail(t('common.time.notTime'));
  const [, date, hh, mm, ss, off] = m;
  if (!isIsoDate(date!)) fail(t('common.time.notCalendar'));
  const hour = hh === undefined ? 0 : Number(hh);
  const minute = mm === undefined ? 0 : Number(mm);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23) fail(t('common.time.noHour', { hour }));
  if (minute > 59) fail(t('common.time.noMinute', { minute }));
  if (second > 59) fail(t('common.time.noSecond', { second }));
  let offset: string | undefined;
  if (off !== undefined) {
    if (off === 'Z') offset = 'Z';
    else {
      const o = /^([+-])(\d{2}):?(\d{2})$/.exec(off)!;
      if (Number(o[2]) > 14 || Number(o[3]) > 59) fail(t('common.time.badOffset', { offset: off }));
      offset = `${o[1]}${o[2]}:${o[3]}`;
    }
  }
  return { date: date!, hour, minute, second, offset };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-02T14:30:00+01:00" from a wall time that carries its offset. */
export function formatWallTime(w: WallTime & { offset: string }): string {
  return `${w.date}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${w.offset === 'Z' ? '+00:00' : w.offset}`;
}

/** The calendar day of a stored contact time, in the time zone it was logged in. */
export function contactDay(at: string): IsoDate {
  return at.slice(0, 10);
}

/** "2026-03-02 14:30" for tables. */
export function shortTime(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 16)}`;
}

/** Checks on the dates of a contact, before anything is written. */
export function checkContactDates(at: string, promiseDate: IsoDate | null, nextDate: IsoDate | null): void {
  const day = contactDay(at);
  if (promiseDate !== null && promiseDate < day) {
    throw new UsageError(t('common.calllog.promiseBefore', { date: promiseDate, day }));
  }
  if (nextDate !== null && nextDate < day) {
    throw new UsageError(t('common.calllog.nextBefore', { date: nextDate, day }));
  }
}

export type PromiseStatus = 'pending' | 'kept' | 'broken';

/** What the ledger knows about one promise, gathered by the store. Amounts in cents. */
export interface PromiseFacts {
  promiseDate: IsoDate;
  /** The amount promised; null means "what was owed" (the balance on the day of the call). */
  promiseAmount: Cents | null;
  /** Open balance of the promise's invoices (or of the client, for a promise about everything) on the day of the call. */
  owedAtCall: Cents;
  /** Money received for them from the day of the call up to the as-of date. */
  paidSince: Cents;
  /** Their open balance as of the as-of date. */
  openNow: Cents;
}

export interface PromiseVerdict {
  status: PromiseStatus;
  /** The amount the promise is measured against. */
  target: Cents;
  paid: Cents;
  /** Dunning waits up to and including this day (promise date + grace). */
  holdsUntil: IsoDate;
}

/**
 * A promise is kept once the promised amount (or, without one, what was owed at the call) has
 * been received since the call, or nothing is left to pay. Otherwise it is pending up to its date
 * plus the grace days, and broken after that.
 */
export function promiseStatus(f: PromiseFacts, asOf: IsoDate, graceDays: number): PromiseVerdict {
  const target = f.promiseAmount ?? f.owedAtCall;
  const holdsUntil = addDays(f.promiseDate, graceDays);
  const kept = f.openNow <= 0 || (target > 0 && f.paidSince >= target);
  return { status: kept ? 'kept' : asOf <= holdsUntil ? 'pending' : 'broken', target, paid: f.paidSince, holdsUntil };
}

/** The few fields of a contact the to-do rules look at. */
export interface ContactStamp {
  id: number;
  clientId: number;
  at: string;
}

/** Instants of contacts compare by their real time, whatever offset they were logged with. */
export function instant(at: string): number {
  return Date.parse(at);
}

/**
 * A contact's "next action" is due when its date has come and the client has not been contacted
 * again since (a later contact replaces it, and may set its own next date).
 */
export function nextActionDue(c: ContactStamp & { nextActionDate: IsoDate | null }, all: readonly ContactStamp[], asOf: IsoDate): boolean {
  if (c.nextActionDate === null || c.nextActionDate > asOf) return false;
  return !laterContact(c, all, asOf);
}

/** The first contact with the same client after this one (up to the as-of day), if any. */
export function laterContact<T extends ContactStamp>(c: ContactStamp, all: readonly T[], asOf: IsoDate, after?: IsoDate): T | undefined {
  const t = instant(c.at);
  let best: T | undefined;
  for (const o of all) {
    if (o.id === c.id || o.clientId !== c.clientId) continue;
    if (contactDay(o.at) > asOf) continue;
    if (instant(o.at) <= t && !(instant(o.at) === t && o.id > c.id)) continue;
    if (after !== undefined && contactDay(o.at) <= after) continue;
    if (!best || instant(o.at) < instant(best.at)) best = o;
  }
  return best;
}
