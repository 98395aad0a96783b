/**
 * How late-payment penalties are computed: THE place (french-rules.md sections 1 and 7).
 *
 * Professional debtors (b2b), Code de commerce L441-10 II and D441-5:
 * - interest runs from the day after the due date printed on the invoice, without any reminder;
 * - default rate: the ECB main refinancing rate in force on 1 January (first half-year) or 1 July
 *   (second half-year), plus 10 points; a contractual rate (ledger setting penalty.mode = contract)
 *   replaces it, with a warning when it is below 3 x the legal interest rate (professionals' column);
 * - simple interest on the unpaid amount incl. VAT: base x rate x days / 365;
 * - a delay that crosses 1 January or 1 July is split, each part at its half-year's rate;
 * - a payment (or credit note) bears interest up to and including the day it arrives: the base drops
 *   by its amount from the next day on; a reversal raises it again from the next day;
 * - each line is rounded to the cent, half away from zero (BigInt, roundDiv); the total is the sum of
 *   the printed lines, so a letter always adds up;
 * - the fixed recovery indemnity is 40 EUR once per late invoice, in full even after a partial payment.
 * Consumer debtors (b2c): no indemnity and no L441-10 penalties; legal interest (professionals'
 * column, because the creditor is a business) from the day after the formal notice (mise en demeure).
 * No VAT on any of it.
 *
 * A period whose rate is not known (the ECB table is not confirmed for that half-year, or the legal
 * rate of that half is missing) gives a line without an amount and an `unknown` entry; callers that
 * claim money (`penalties`, formal notices) must refuse with `unknownRateError`, `overdue` shows it as
 * unknown. Nothing here guesses a rate.
 */
import { addDays, daysBetween, maxDate, minDate, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import { roundDiv, type Cents } from './money.js';
import { formatBp } from './numbers.js';
import { defaultPenaltyRate, halfEnd, halfOf, legalHint, legalHintMsg, legalRate, missingHints, rateHint, type MissingTable, type RateTables } from './rates.js';
import { t } from '../i18n/index.js';
import { msg, type Msg } from '../i18n/msg.js';

/** 40 EUR, in cents. */
export const RECOVERY_INDEMNITY: Cents = 4000;

export type PenaltyMode = { kind: 'ecb+10' } | { kind: 'contract'; rateBp: number };

/** Money that reduced (positive) or raised again (negative, a reversal) what the client owes. */
export interface Settlement {
  date: IsoDate;
  amount: Cents;
}

export interface PenaltyInput {
  /** What the client must pay, incl. VAT (documents.amount_due). */
  amountDue: Cents;
  dueDate: IsoDate;
  asOf: IsoDate;
  /** Payments, credit notes and reversals of this invoice, any order; those after asOf are ignored. */
  settlements: readonly Settlement[];
  clientKind: 'b2b' | 'b2c';
  mode: PenaltyMode;
  /** b2c only: the date of the formal notice (mise en demeure); no interest without one. */
  formalNoticeDate?: IsoDate | null;
  rates: RateTables;
}

export interface PenaltyLine {
  /** First and last day of the period, both included. */
  from: IsoDate;
  to: IsoDate;
  days: number;
  /** Unpaid amount incl. VAT during the period. */
  base: Cents;
  /** Annual rate in basis points, null when not known. */
  rateBp: number | null;
  /** Where the rate comes from. */
  basis: 'ecb+10' | 'contract' | 'legal';
  half: string;
  /** base x rate x days / 365 rounded to the cent; null when the rate is not known. */
  amount: Cents | null;
}

export interface UnknownPeriod {
  half: string;
  from: IsoDate;
  to: IsoDate;
  /** The table that lacks the rate: the ECB rate on 1 January / 1 July, or the legal interest rate. */
  table: MissingTable;
  hint: string;
}

export interface PenaltyResult {
  /** Days from the due date to asOf (0 when not yet due). */
  daysLate: number;
  /** True when some amount stayed unpaid after the due date (up to asOf). */
  late: boolean;
  lines: PenaltyLine[];
  /** Sum of the lines; null when a period's rate is unknown. */
  interest: Cents | null;
  /** 40 EUR for a late invoice of a professional client, 0 otherwise. */
  indemnity: Cents;
  unknown: UnknownPeriod[];
  /** Written when printed: in the interface's language on the terminal, English in --json. */
  warnings: Msg[];
  /** Interest runs from this day (b2b: day after the due date; b2c: day after the formal notice). */
  startsOn: IsoDate | null;
  /** One-line explanation of the rule applied (shown above the lines), written when printed. */
  rule: Msg;
}

const DAYS_IN_YEAR = 365n;

// The overdue report computes tens of thousands of invoices over the same few hundred dates:
// date arithmetic is memoised (pure functions of their argument, bounded by the dates in a ledger).
const dayAfter = new Map<IsoDate, IsoDate>();
const dayBefore = new Map<IsoDate, IsoDate>();
const dayNumber = new Map<IsoDate, number>();
function next(d: IsoDate): IsoDate {
  let r = dayAfter.get(d);
  if (r === undefined) dayAfter.set(d, (r = addDays(d, 1)));
  return r;
}
function prev(d: IsoDate): IsoDate {
  let r = dayBefore.get(d);
  if (r === undefined) dayBefore.set(d, (r = addDays(d, -1)));
  return r;
}
function dayNo(d: IsoDate): number {
  let r = dayNumber.get(d);
  if (r === undefined) dayNumber.set(d, (r = daysBetween('1970-01-01', d)));
  return r;
}
/** Days from a to b, memoised. */
function span(a: IsoDate, b: IsoDate): number {
  return dayNo(b) - dayNo(a);
}

/** Interest of one period: base x rateBp/10000 x days/365, rounded half away from zero. */
export function periodInterest(base: Cents, rateBp: number, days: number): Cents {
  const n = base * rateBp * days;
  // Exact in doubles while the product is an integer below 2^52 (every invoice of a real ledger):
  // the quotient is corrected by its remainder, so no floating rounding reaches the result.
  if (n >= 0 && n <= 4_000_000_000_000_000 && Number.isInteger(n)) {
    let q = Math.floor(n / INTEREST_DEN);
    let r = n - q * INTEREST_DEN;
    if (r < 0) (q -= 1), (r += INTEREST_DEN);
    else if (r >= INTEREST_DEN) (q += 1), (r -= INTEREST_DEN);
    return r * 2 >= INTEREST_DEN ? q + 1 : q;
  }
  return Number(roundDiv(BigInt(base) * BigInt(rateBp) * BigInt(days), 10_000n * DAYS_IN_YEAR));
}
const INTEREST_DEN = 10_000 * 365;

/**
 * The interest of `amountDue` over the schedule of periods of another invoice with the same due
 * date, client kind, formal notice and terms and NO settlement (`template`, from computePenalties):
 * every period's base is then the amount due, so only the amounts change. Equal to
 * computePenalties(...).interest for that amount (test/core/penalties-schedule.test.ts); null when a
 * period's rate is unknown. What lets overdue compute one schedule per due date, not per invoice.
 */
export function interestOver(template: PenaltyResult, amountDue: Cents): Cents | null {
  if (template.unknown.length) return null;
  let sum = 0;
  for (const l of template.lines) sum += periodInterest(amountDue, l.rateBp!, l.days);
  return sum;
}

/**
 * The base (unpaid amount incl. VAT) on each day from `start`: settlements dated before `start`
 * are already deducted; one dated on day D changes the base from D + 1.
 * Returns the base on `start` and the later changes [{from, base}] in date order.
 */
function baseSchedule(amountDue: Cents, start: IsoDate, asOf: IsoDate, settlements: readonly Settlement[]) {
  const byDate = new Map<IsoDate, Cents>();
  for (const s of settlements) {
    if (s.date > asOf) continue;
    byDate.set(s.date, (byDate.get(s.date) ?? 0) + s.amount);
  }
  let base = amountDue;
  const changes: { from: IsoDate; base: Cents }[] = [];
  for (const date of [...byDate.keys()].sort()) {
    base -= byDate.get(date)!;
    const from = next(date);
    if (from <= start) {
      // counted from the start
      continue;
    }
    changes.push({ from, base });
  }
  let initial = amountDue;
  for (const [date, amount] of byDate) if (next(date) <= start) initial -= amount;
  return { initial, changes };
}

/** Compute the interest and indemnity owed on one invoice as of a date. Pure. */
export function computePenalties(input: PenaltyInput): PenaltyResult {
  const { amountDue, dueDate, asOf, clientKind, mode, rates } = input;
  const daysLate = Math.max(0, span(dueDate, asOf));
  const warnings: Msg[] = [];
  const lines: PenaltyLine[] = [];
  const unknown: UnknownPeriod[] = [];

  // Was anything unpaid after the due date? (decides the indemnity, and whether there is anything to do)
  const firstLateDay = next(dueDate);
  const lateSchedule = baseSchedule(amountDue, firstLateDay, asOf, input.settlements);
  const late = firstLateDay <= asOf && (lateSchedule.initial > 0 || lateSchedule.changes.some((c) => c.base > 0 && c.from <= asOf));

  let startsOn: IsoDate | null = firstLateDay;
  let rule: Msg;
  if (clientKind === 'b2c') {
    const notice = input.formalNoticeDate ?? null;
    startsOn = notice ? maxDate(firstLateDay, next(notice)) : null;
    rule = notice ? msg('common.penalties.rule.consumerNotice', { notice }) : msg('common.penalties.rule.consumerNone');
  } else if (mode.kind === 'contract') {
    rule = msg('common.penalties.rule.contract', { rate: { decimal: formatBp(mode.rateBp) }, due: dueDate });
  } else {
    rule = msg('common.penalties.rule.ecb', { due: dueDate });
  }

  if (startsOn !== null && startsOn <= asOf) {
    const { initial, changes } = baseSchedule(amountDue, startsOn, asOf, input.settlements);
    let day = startsOn;
    let base = initial;
    let ci = 0;
    const contractChecked = new Set<string>();
    while (day <= asOf) {
      // The period runs to the earliest of: the day before the next base change, the end of the half-year, asOf.
      const half = halfOf(day);
      let to = minDate(halfEnd(half), asOf);
      while (ci < changes.length && changes[ci]!.from <= day) base = changes[ci++]!.base;
      if (ci < changes.length) to = minDate(to, prev(changes[ci]!.from));
      if (base > 0) {
        const days = span(day, to) + 1;
        let rateBp: number | undefined;
        let basis: PenaltyLine['basis'];
        if (clientKind === 'b2c') {
          basis = 'legal';
          rateBp = legalRate(rates, half, 'pro');
          if (rateBp === undefined) unknown.push({ half, from: day, to, table: 'legal', hint: legalHint(half) });
        } else if (mode.kind === 'contract') {
          basis = 'contract';
          rateBp = mode.rateBp;
          if (!contractChecked.has(half)) {
            contractChecked.add(half);
            const legal = legalRate(rates, half, 'pro');
            if (legal === undefined) {
              warnings.push(msg('common.penalties.warn.cannotCheck', { half, hint: legalHintMsg(half) }));
            } else if (mode.rateBp < 3 * legal) {
              warnings.push(
                msg('common.penalties.warn.belowMinimum', { rate: { decimal: formatBp(mode.rateBp) }, half, legal: { decimal: formatBp(legal) }, minimum: { decimal: formatBp(3 * legal) } }),
              );
            }
          }
        } else {
          basis = 'ecb+10';
          rateBp = defaultPenaltyRate(rates, half);
          if (rateBp === undefined) unknown.push({ half, from: day, to, table: 'ecb', hint: rateHint(half) });
        }
        lines.push({
          from: day,
          to,
          days,
          base,
          rateBp: rateBp ?? null,
          basis,
          half,
          amount: rateBp === undefined ? null : periodInterest(base, rateBp, days),
        });
      }
      day = next(to);
    }
  }

  const interest = unknown.length ? null : lines.reduce((s, l) => s + (l.amount ?? 0), 0);
  const indemnity = clientKind === 'b2b' && late ? RECOVERY_INDEMNITY : 0;
  return { daysLate, late, lines, interest, indemnity, unknown, warnings, startsOn, rule };
}

/** The error a command that claims penalties raises when a period's rate is not known. */
export function unknownRateError(result: PenaltyResult, what = t('common.penalties.what')): UsageError {
  const halves = [...new Set(result.unknown.map((u) => u.half))];
  return new UsageError(
    t('common.penalties.unknownRate', { what, halves: halves.join(', '), hints: missingHints(result.unknown).join(t('common.listSeparator')) }),
  );
}

/** Throw unknownRateError when a period's rate is unknown; return the interest otherwise. */
export function requireKnown(result: PenaltyResult, what?: string): Cents {
  if (result.interest === null) throw unknownRateError(result, what);
  return result.interest;
}

/** Claims up to 5 000 EUR can go the simplified way (recouvrement simplifié, C. proc. civ. exéc. L125-1). */
export const SMALL_CLAIM_CEILING: Cents = 500_000;
