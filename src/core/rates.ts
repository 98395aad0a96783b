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
import { msg, render, type Msg } from '../i18n/msg.js';
import { t } from '../i18n/index.js';

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
  /** Where the shipped rate comes from (the arrete). */
  note?: string | null;
}

export interface RateTables {
  ecb: EcbEntry[];
  legal: LegalEntry[];
}

/**
 * ECB main refinancing operations (MRO) rate: every change from the one in force on 2023-07-01 on,
 * then the dates it was confirmed to hold. Each entry names its primary source: the ECB press release
 * "Monetary policy decisions" of the Governing Council meeting (ecb.europa.eu/press/pr), the change
 * taking effect on the date given (the start of the next maintenance period / the operation settled
 * that day), or the EU Official Journal's notice of the rate applied on the 1st of a month.
 * Checked 2026-12-01: no ECB press release of a decision after 2026-02-05, nor an Official Journal
 * notice after C/2026/01398 (rate on 2026-04-01), was found; a hike to 2.40 % decided on 2026-06-11 is
 * reported by secondary sources only, so the rate in force on 2026-07-01 is NOT shipped: the user adds
 * it from the ECB's page (or the Banque de France's "taux directeurs") with `relance rates add`.
 */
export const SHIPPED_ECB: readonly EcbEntry[] = [
  // ECB press release 15 June 2023 (Monetary policy decisions): MRO 4.00 % from 21 June 2023.
  { date: '2023-06-21', rateBp: 400, kind: 'change', source: 'shipped', note: 'ECB decision 2023-06-15' },
  // ECB press release 14 September 2023: MRO 4.50 % from 20 September 2023.
  { date: '2023-09-20', rateBp: 450, kind: 'change', source: 'shipped', note: 'ECB decision 2023-09-14' },
  // ECB press release 6 June 2024: MRO 4.25 % from 12 June 2024.
  { date: '2024-06-12', rateBp: 425, kind: 'change', source: 'shipped', note: 'ECB decision 2024-06-06' },
  // ECB press release 12 September 2024 (and the 13 March 2024 operational framework: MRO - DFR spread
  // narrowed to 15 bp): MRO 3.65 % from 18 September 2024.
  { date: '2024-09-18', rateBp: 365, kind: 'change', source: 'shipped', note: 'ECB decision 2024-09-12' },
  // ECB press release 17 October 2024: MRO 3.40 % from 23 October 2024.
  { date: '2024-10-23', rateBp: 340, kind: 'change', source: 'shipped', note: 'ECB decision 2024-10-17' },
  // ECB press release 12 December 2024: MRO 3.15 % from 18 December 2024.
  { date: '2024-12-18', rateBp: 315, kind: 'change', source: 'shipped', note: 'ECB decision 2024-12-12' },
  // ECB press release 30 January 2025: MRO 2.90 % from 5 February 2025.
  { date: '2025-02-05', rateBp: 290, kind: 'change', source: 'shipped', note: 'ECB decision 2025-01-30' },
  // ECB press release 6 March 2025: MRO 2.65 % from 12 March 2025.
  { date: '2025-03-12', rateBp: 265, kind: 'change', source: 'shipped', note: 'ECB decision 2025-03-06' },
  // ECB press release 17 April 2025: MRO 2.40 % from 23 April 2025.
  { date: '2025-04-23', rateBp: 240, kind: 'change', source: 'shipped', note: 'ECB decision 2025-04-17' },
  // ECB press release 5 June 2025: MRO 2.15 % from 11 June 2025.
  { date: '2025-06-11', rateBp: 215, kind: 'change', source: 'shipped', note: 'ECB decision 2025-06-05' },
  // ECB press release 18 December 2025: the three key rates unchanged (MRO 2.15 %).
  { date: '2025-12-18', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'ECB decision 2025-12-18: unchanged' },
  // ECB press release 5 February 2026: "The interest rates on the deposit facility, the main refinancing
  // operations and the marginal lending facility will remain unchanged at 2.00%, 2.15% and 2.40%".
  { date: '2026-02-05', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'ECB decision 2026-02-05: unchanged' },
  // EU Official Journal C/2026/01398: interest rate applied by the ECB to its MRO, 2.15 % on 1 April 2026.
  { date: '2026-04-01', rateBp: 215, kind: 'confirmed', source: 'shipped', note: 'EU Official Journal C/2026/01398' },
];

/**
 * Taux de l'interet legal by half-year, fixed each semester by an arrete of the minister of the
 * economy (Code monetaire et financier L313-2, D313-1-A) published in the Journal officiel; the
 * Banque de France computes it. Particuliers (consumers) / professionnels (all other cases).
 * Checked 2026-12-01: the arrete for the second half of 2026 (normally published in late June) was
 * not found in a primary source, so 2026-H2 is NOT shipped: add it with `relance rates legal 2026-H2`.
 */
export const SHIPPED_LEGAL: readonly LegalEntry[] = [
  // Arrete du 27 juin 2023 (ECOT2317028A, JO du 30 juin 2023): 6.82 % / 4.22 %.
  { half: '2023-H2', consumerBp: 682, proBp: 422, source: 'shipped', note: 'arrete du 27 juin 2023' },
  // Arrete du 21 decembre 2023: 8.01 % / 5.07 %.
  { half: '2024-H1', consumerBp: 801, proBp: 507, source: 'shipped', note: 'arrete du 21 decembre 2023' },
  // Arrete du 26 juin 2024: 8.16 % / 4.92 %.
  { half: '2024-H2', consumerBp: 816, proBp: 492, source: 'shipped', note: 'arrete du 26 juin 2024' },
  // Arrete du 17 decembre 2024: 7.21 % / 3.71 %.
  { half: '2025-H1', consumerBp: 721, proBp: 371, source: 'shipped', note: 'arrete du 17 decembre 2024' },
  // Arrete du 19 juin 2025 (ECOT2516925A, JO du 24 juin 2025): 6.65 % / 2.76 %.
  { half: '2025-H2', consumerBp: 665, proBp: 276, source: 'shipped', note: 'arrete du 19 juin 2025' },
  // Arrete du 15 decembre 2025 (JORF n° 0302 du 26 decembre 2025): 6.67 % / 2.62 %.
  { half: '2026-H1', consumerBp: 667, proBp: 262, source: 'shipped', note: 'arrete du 15 decembre 2025' },
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

/** Which table a half-year's missing rate belongs to. */
export type MissingTable = 'ecb' | 'legal';

export const ECB_WHERE = 'published by the ECB, ecb.europa.eu "Monetary policy decisions", and the Banque de France, banque-france.fr "taux directeurs"';
export const LEGAL_WHERE = 'fixed each half-year by arrêté in the Journal officiel, on legifrance.gouv.fr and banque-france.fr';

/**
 * What to run to make a half-year's default penalty rate known. It never suggests `rates confirm`:
 * confirming a rate nobody checked would print the old rate in a letter (and under-claim after a hike).
 */
export function rateHint(half: string): string {
  const start = halfStart(half);
  return t('common.rates.ecbMissing', { start, where: t('common.rates.ecbWhere') });
}

/** The same for a day that is not the start of a half-year (doctor: the table should reach today). */
export function ecbDateHint(date: IsoDate): string {
  return t('common.rates.ecbDateMissing', { date, where: t('common.rates.ecbWhere') });
}

export function legalHint(half: string): string {
  return render(legalHintMsg(half));
}

/** The same hint kept as a message (penalties' warnings: English in --json). */
export function legalHintMsg(half: string): Msg {
  return msg('common.rates.legalMissing', { half, where: msg('common.rates.legalWhere') });
}

/** One hint per missing rate, ECB first, in half-year order (for overdue's warning line). */
export function missingHints(missing: readonly { half: string; table: MissingTable }[]): string[] {
  const seen = new Set<string>();
  const sorted = [...missing].sort((a, b) => (a.table !== b.table ? (a.table === 'ecb' ? -1 : 1) : a.half < b.half ? -1 : a.half > b.half ? 1 : 0));
  const out: string[] = [];
  for (const m of sorted) {
    const key = `${m.table}:${m.half}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m.table === 'ecb' ? rateHint(m.half) : legalHint(m.half));
  }
  return out;
}
