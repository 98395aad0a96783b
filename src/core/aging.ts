/**
 * Aging of receivables: days late, the buckets of the overdue report, DSO and average days late.
 *
 * DSO (days sales outstanding) by the count-back method (méthode par épuisement du chiffre
 * d'affaires), the one credit managers use because it is not fooled by a young client or a season:
 * the receivables outstanding incl. VAT on date D are matched against the invoicing incl. VAT (credit
 * notes deducted) of D, the day before, and so on back: DSO is the number of days of invoicing they
 * make up, D counting as the first day and the last day needed pro rata. A client invoiced 1 200 € ten
 * days before D, unpaid, has a DSO of 11 days (whatever the terms); one invoiced 1 000 € on the 1st of
 * every month and paying at 30 days has, on the 20th, a DSO of 20. Counted back over the N days up to D (N = 365): 0 when
 * nothing is outstanding, undefined (null, "—") when nothing was invoiced in that window, and null
 * too when the receivables exceed all of it (shown as "> 365": they are older than the window).
 * (The ratio receivables / invoiced over N days x N gave a client invoiced once, ten days ago, 365.)
 *
 * Average days late: over the invoices due in the N days up to D, the mean of, for an invoice settled
 * by D, the days between its due date and the day its balance reached zero (0 when on time), and for
 * an invoice still open, its days late on D. Null when there is no such invoice.
 */
import { daysBetween, type IsoDate } from './dates.js';
import type { Cents } from './money.js';
import { t } from '../i18n/index.js';

export const BUCKETS = ['not_due', '1-30', '31-60', '61-90', '90+'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A bucket's column header, in the interface's language ("not due" / "non échu"). */
export const BUCKET_LABELS: Record<Bucket, string> = {
  get not_due() {
    return t('common.bucket.notDue');
  },
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

/**
 * DSO in days by the count-back method (above), rounded to one decimal. `sales`: net invoicing per
 * issue date inside the window (dates after asOf or not after asOf - windowDays are ignored).
 */
export function dso(outstanding: Cents, sales: ReadonlyMap<IsoDate, Cents>, asOf: IsoDate, windowDays = DSO_WINDOW_DAYS): number | null {
  const days: [number, Cents][] = [];
  let invoiced = 0;
  for (const [date, amount] of sales) {
    const back = daysBack(date, asOf);
    if (back < 0 || back >= windowDays || amount === 0) continue;
    days.push([back, amount]);
    invoiced += amount;
  }
  if (days.length === 0 || invoiced <= 0) return null;
  if (outstanding <= 0) return 0;
  days.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [back, amount] of days) {
    if (amount > 0 && covered + amount >= outstanding) return Math.round((back + (outstanding - covered) / amount) * 10) / 10;
    covered += amount;
  }
  return null;
}

/**
 * Days from a sale's date back to asOf, memoised for the last asOf: a DSO per client and currency
 * asks for the same few hundred dates over and over (37k sales on mix-100k; daysBetween parses both
 * dates each time).
 */
let back: { asOf: IsoDate; days: Map<IsoDate, number> } = { asOf: '', days: new Map() };
function daysBack(date: IsoDate, asOf: IsoDate): number {
  if (back.asOf !== asOf) back = { asOf, days: new Map() };
  let d = back.days.get(date);
  if (d === undefined) back.days.set(date, (d = daysBetween(date, asOf)));
  return d;
}

/** DSO as a table shows it: days, "—" when undefined, "> N" when the receivables are older than the window. */
export function dsoText(value: number | null, outstanding: Cents, windowDays = DSO_WINDOW_DAYS): string {
  if (value !== null) return value.toFixed(1);
  return outstanding > 0 ? `> ${windowDays}` : '—';
}

/** Net invoicing per day, for dso(): add one document's amount (negative for a credit note). */
export function addSale(sales: Map<IsoDate, Cents>, date: IsoDate, amount: Cents): void {
  sales.set(date, (sales.get(date) ?? 0) + amount);
}

/** The definition, in one line, for help texts and JSON. */
export const DSO_DEFINITION =
  'count-back: the days of invoicing incl. VAT (credit notes deducted), counted back from the as-of date, that the receivables outstanding make up; null when nothing was invoiced in the 365 days up to it or the receivables exceed it';

/** One invoice's lateness for the average: settled on `settledOn` (or still open). */
export function lateness(dueDate: IsoDate, settledOn: IsoDate | null, asOf: IsoDate): number {
  return daysLate(dueDate, settledOn ?? asOf);
}

/** Mean of the given days, rounded to one decimal; null for none. */
export function averageDays(days: readonly number[]): number | null {
  if (days.length === 0) return null;
  return Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10;
}
