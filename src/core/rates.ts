/**
 * The rate tables behind statutory late-payment interest (french-rules.md section 1):
 * - the ECB main refinancing (MRO) rate, as a list of dated entries. An entry is either a change
 *   (the rate took effect that day) or a confirmation (the rate was checked to still hold that day).
 *   The table is known from its first entry up to its last one ("confirmed through"): past that
 *   date a change may have happened that we have not been told about, so nothing is guessed.
 * - the taux d'interet legal, per half-year, with its two columns (particuliers / professionnels).
 *
 * The shipped tables below are data; the user adds entries with `relance rates add|confirm|legal`
 * (stored in the ledger and merged on top: a user entry on the same date or half wins).
 * Rates are basis points: 2.15 % = 215.
 */
import { addDays, type IsoDate } from './dates.js';

export interface EcbEntry {
  date: IsoDate;
  rateBp: number;
  /** 'change': the rate took effect that day; 'confirmed': checked to still hold that day. */
  kind: 'change' | 'confirmed';
  source: 'shipped' | 'ledger';
  note?: string | null;
}

export interface LegalEntry {
  /** '2026-H1' */
  half: string;
  proBp: number;
  consumerBp: number;
  source: 'shipped' | 'ledger';
}

export interface RateTables {
  ecb: EcbEntry[];
  legal: LegalEntry[];
}

/** ECB MRO rate changes, then the dates it was confirmed to hold (french-rules.md). */
export const SHIPPED_ECB: readonly EcbEntry[] = [
  { date: '2023-09-20', rateBp: 450, kind: 'change', source: 'shipped' },
  { date: '2024-06-12', rateBp: 425, kind: 'change', source: 'shipped' },
  { date: '2024-09-18', rateBp: 365, kind: 'change', source: 'shipped' },
  { date: '2024-10-23', rateBp: 340, kind: 'change', source: 'shipped' },
  { date: '2024-12-18', rateBp: 315, kind: 'change', source: 'shipped' },
  { date: '2025-02-05', rateBp: 290, kind: 'change', source: 'shipped' },
  { date: '2025-03-12', rateBp: 265, kind: 'change', source: 'shipped' },
  { date: '2025-04-23', rateBp: 240, kind: 'change', source: 'shipped' },
  { date: '2025-06-11', rateBp: 215, kind: 'change', source: 'shipped' },
  { date: '2025-12-18', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'held' },
  { date: '2026-02-05', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'held' },
  { date: '2026-04-01', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'EU Official Journal C/2026/01398' },
];

/** Taux d'interet legal by half-year: particuliers / professionnels. */
export const SHIPPED_LEGAL: readonly LegalEntry[] = [
  { half: '2024-H2', consumerBp: 816, proBp: 492, source: 'shipped' },
  { half: '2025-H1', consumerBp: 721, proBp: 371, source: 'shipped' },
  { half: '2025-H2', consumerBp: 665, proBp: 276, source: 'shipped' },
  { half: '2026-H1', consumerBp: 667, proBp: 262, source: 'shipped' },
];

/** ECB rate + 10 points: the default L441-10 penalty rate. */
export const ECB_MARGIN_BP = 1000;

/** Merge ledger entries over the shipped tables (a ledger entry on the same date/half wins), sorted. */
export function mergeTables(ledgerEcb: readonly EcbEntry[], ledgerLegal: readonly LegalEntry[]): RateTables {
  const ecb = new Map<string, EcbEntry>();
  for (const e of SHIPPED_ECB) ecb.set(e.date, e);
  for (const e of ledgerEcb) ecb.set(e.date, e);
  const legal = new Map<string, LegalEntry>();
  for (const e of SHIPPED_LEGAL) legal.set(e.half, e);
  for (const e of ledgerLegal) legal.set(e.half, e);
  return {
    ecb: [...ecb.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    legal: [...legal.values()].sort((a, b) => (a.half < b.half ? -1 : 1)),
  };
}

export const shippedTables = (): RateTables => mergeTables([], []);

/** '2025-07-14' -> '2025-H2' */
export function halfOf(date: IsoDate): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-H${month <= 6 ? 1 : 2}`;
}

export function halfStart(half: string): IsoDate {
  return half.endsWith('H1') ? `${half.slice(0, 4)}-01-01` : `${half.slice(0, 4)}-07-01`;
}

export function halfEnd(half: string): IsoDate {
  return half.endsWith('H1') ? `${half.slice(0, 4)}-06-30` : `${half.slice(0, 4)}-12-31`;
}

/** The first day of the next half-year after `date`. */
export function nextHalfStart(date: IsoDate): IsoDate {
  return addDays(halfEnd(halfOf(date)), 1);
}

export function isHalf(text: string): boolean {
  return /^\d{4}-H[12]$/.test(text);
}

/** The last date the ECB table is known to be right (its last entry), or undefined when empty. */
export function confirmedThrough(t: RateTables): IsoDate | undefined {
  return t.ecb.length ? t.ecb[t.ecb.length - 1]!.date : undefined;
}

/**
 * The ECB rate in force on `date`: the last entry on or before it, provided the table is confirmed
 * on or after `date` and starts on or before it. Undefined when it is not known.
 */
export function ecbRateOn(t: RateTables, date: IsoDate): number | undefined {
  const through = confirmedThrough(t);
  if (through === undefined || date > through) return undefined;
  let found: EcbEntry | undefined;
  for (const e of t.ecb) {
    if (e.date <= date) found = e;
    else break;
  }
  return found?.rateBp;
}

/** Default L441-10 rate of a half-year: the ECB rate in force on 1 January / 1 July, + 10 points. */
export function defaultPenaltyRate(t: RateTables, half: string): number | undefined {
  const ecb = ecbRateOn(t, halfStart(half));
  return ecb === undefined ? undefined : ecb + ECB_MARGIN_BP;
}

export function legalRate(t: RateTables, half: string, column: 'pro' | 'consumer'): number | undefined {
  const e = t.legal.find((l) => l.half === half);
  if (!e) return undefined;
  return column === 'pro' ? e.proBp : e.consumerBp;
}

/** What to run to make a half-year's rate known (used in error and warning messages). */
export function rateHint(half: string): string {
  const start = halfStart(half);
  return `add the ECB rate in force on ${start} with "relance rates add ${start} RATE" or, if it did not change, "relance rates confirm ${start}"`;
}

export function legalHint(half: string): string {
  return `add it with "relance rates legal ${half} PRO_RATE CONSUMER_RATE"`;
}
