/**
 * Payment plans (echeanciers): instalments that add up exactly to the balance, and how the money
 * received since the plan was made settles them, in order.
 */
import { addDays, addMonths, daysBetween, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import { centsToDecimal, splitEvenly, type Cents } from './money.js';
import { t } from '../i18n/index.js';

export type Step = { months: number } | { days: number };

export interface Instalment {
  position: number;
  dueDate: IsoDate;
  amount: Cents;
}

/** "month" -> 1 month, "2month(s)", "30d" -> 30 days, "2w" -> 14 days. */
export function parseStep(text: string): Step {
  const s = text.trim().toLowerCase();
  let m = /^(\d*)\s*(month|months|m)$/.exec(s);
  if (m) {
    const n = m[1] ? Number(m[1]) : 1;
    if (n >= 1 && n <= 12) return { months: n };
  }
  m = /^(\d+)\s*d$/.exec(s);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 365) return { days: Number(m[1]) };
  m = /^(\d*)\s*(week|weeks|w)$/.exec(s);
  if (m) {
    const n = m[1] ? Number(m[1]) : 1;
    if (n >= 1 && n <= 52) return { days: 7 * n };
  }
  throw new UsageError(t('common.plan.every', { text }));
}

/** N instalments of (almost) equal amounts, the leftover cents on the first ones, every step from start. */
export function evenInstalments(balance: Cents, count: number, step: Step, start: IsoDate): Instalment[] {
  if (!Number.isInteger(count) || count < 1 || count > 120) throw new UsageError(t('common.plan.count', { count }));
  if (balance < count) throw new UsageError(t('common.plan.split', { balance: centsToDecimal(balance), count }));
  const amounts = splitEvenly(balance, count);
  return amounts.map((amount, i) => ({
    position: i + 1,
    dueDate: 'months' in step ? addMonths(start, step.months * i) : addDays(start, step.days * i),
    amount,
  }));
}

/** Explicit instalments; they must be in date order, distinct, positive and add up to the balance. */
export function explicitInstalments(balance: Cents, pairs: readonly { dueDate: IsoDate; amount: Cents }[]): Instalment[] {
  if (pairs.length === 0) throw new UsageError(t('common.plan.empty'));
  const sorted = [...pairs].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.dueDate === sorted[i - 1]!.dueDate) throw new UsageError(t('common.plan.sameDay', { date: sorted[i]!.dueDate }));
  }
  for (const p of sorted) if (p.amount <= 0) throw new UsageError(t('common.plan.positive', { date: p.dueDate }));
  const total = sorted.reduce((s, p) => s + p.amount, 0);
  if (total !== balance) {
    const diff = balance - total;
    throw new UsageError(
      t(diff > 0 ? 'common.plan.missing' : 'common.plan.tooMuch', { total: centsToDecimal(total), balance: centsToDecimal(balance), diff: centsToDecimal(Math.abs(diff)) }),
    );
  }
  return sorted.map((p, i) => ({ position: i + 1, dueDate: p.dueDate, amount: p.amount }));
}

/** Parse "2026-05-31=250,00" into a date and an amount. */
export function parseOnPair(text: string, parseDate: (s: string, what: string) => IsoDate, parseAmount: (s: string, what: string) => Cents) {
  const i = text.indexOf('=');
  if (i < 0) throw new UsageError(t('common.plan.pair', { text }));
  return { dueDate: parseDate(text.slice(0, i), t('common.plan.onDate')), amount: parseAmount(text.slice(i + 1), t('common.plan.onAmount')) };
}

export interface InstalmentState extends Instalment {
  paid: Cents;
  remaining: Cents;
  /** Due before asOf and not fully settled. */
  late: boolean;
  daysLate: number;
}

/**
 * Settle the instalments in order with what was received toward the plan (the plan total minus the
 * invoice's balance on asOf, never below zero nor above the total).
 */
export function settleInstalments(instalments: readonly Instalment[], balance: Cents, asOf: IsoDate): InstalmentState[] {
  const total = instalments.reduce((s, i) => s + i.amount, 0);
  let received = Math.min(total, Math.max(0, total - balance));
  return [...instalments]
    .sort((a, b) => a.position - b.position)
    .map((i) => {
      const paid = Math.min(i.amount, received);
      received -= paid;
      const remaining = i.amount - paid;
      const days = remaining > 0 ? Math.max(0, daysBetween(i.dueDate, asOf)) : 0;
      return { ...i, paid, remaining, late: days > 0, daysLate: days };
    });
}
