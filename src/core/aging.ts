/**
 * Aging of receivables: days late, the buckets of the overdue report, DSO and average days late.
 *
 * DSO (days sales outstanding), the "exhaustive" short form used by French bookkeepers:
 *   DSO = receivables outstanding incl. VAT on date D / invoiced incl. VAT over the N days up to D x N
 * with N = 365 by default. Receivables outstanding = the balance of every issued invoice (credit notes
 * and payments dated up to D deducted); invoiced = amount due of the invoices issued in (D - N, D],
 * less the credit notes issued in that window. Undefined (null) when nothing was invoiced in the window.
 *
 * Average days late: over the invoices due in the N days up to D, the mean of, for an invoice settled
 * by D, the days between its due date and the day its balance reached zero (0 when on time), and for
 * an invoice still open, its days late on D. Null when there is no such invoice.
 */
import { daysBetween, type IsoDate } from './dates.js';
import type { Cents } from './money.js';

export const BUCKETS = ['not_due', '1-30', '31-60', '61-90', '90+'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const BUCKET_LABELS: Record<Bucket, string> = {
  not_due: 'not due',
  '1-30': '1-30',
  '31-60': '31-60',
  '61-90': '61-90',
  '90+': '90+',
};

/** Days from the due date to asOf; 0 when not yet late (the due date itself is on time). */
export function daysLate(dueDate: IsoDate, asOf: IsoDate): number {
  return Math.max(0, daysBetween(dueDate, asOf));
}

export function bucketOf(days: number): Bucket {
  if (days <= 0) return 'not_due';
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

export type BucketTotals = Record<Bucket, Cents> & { total: Cents };

export function emptyBuckets(): BucketTotals {
  return { not_due: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0, total: 0 };
}

/** Totals per currency and bucket; currencies are never added together. */
export function bucketTotals(items: readonly { currency: string; balance: Cents; bucket: Bucket }[]): Map<string, BucketTotals> {
  const out = new Map<string, BucketTotals>();
  for (const it of items) {
    let t = out.get(it.currency);
    if (!t) out.set(it.currency, (t = emptyBuckets()));
    t[it.bucket] += it.balance;
    t.total += it.balance;
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const DSO_WINDOW_DAYS = 365;

/** DSO in days, rounded to one decimal; null when nothing was invoiced in the window. */
export function dso(outstanding: Cents, invoicedInWindow: Cents, windowDays = DSO_WINDOW_DAYS): number | null {
  if (invoicedInWindow <= 0) return null;
  return Math.round((outstanding / invoicedInWindow) * windowDays * 10) / 10;
}

/** One invoice's lateness for the average: settled on `settledOn` (or still open). */
export function lateness(dueDate: IsoDate, settledOn: IsoDate | null, asOf: IsoDate): number {
  return daysLate(dueDate, settledOn ?? asOf);
}

/** Mean of the given days, rounded to one decimal; null for none. */
export function averageDays(days: readonly number[]): number | null {
  if (days.length === 0) return null;
  return Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10;
}
