/**
 * The arithmetic and the states of quotes and invoices (french-rules.md sections 3-5):
 * - a deposit (facture d'acompte) asked as a % of the accepted quote's total incl. VAT, or as an
 *   amount incl. VAT, split across the quote's VAT rates in proportion to each rate's amount;
 * - the final invoice (facture de solde) covers the whole sale and deducts each deposit invoice per
 *   VAT rate, so VAT is never charged twice: net due = total incl. VAT - deposits incl. VAT;
 * - cancelling an issued invoice makes a credit note (avoir) for what remains unpaid, split across
 *   the invoice's rates the same way;
 * - status is derived, never stored: draft, open, partially paid, paid, cancelled; plus a disputed
 *   flag (with an optional end date). Quotes: open, accepted, declined, expired, invoiced.
 */
import { addDays, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import { formatMoney, roundDiv, type Cents } from './money.js';
import { formatBp } from './numbers.js';
import { splitGrossAcrossRates, totalsFromBases, type RateTotal } from './vat.js';
import { language, t } from '../i18n/index.js';

export const DOCUMENT_KINDS = ['quote', 'invoice', 'deposit', 'final', 'credit_note', 'penalty'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** Kinds that ask the client for money (everything but quotes and credit notes). */
export const RECEIVABLE_KINDS: readonly DocumentKind[] = ['invoice', 'deposit', 'final', 'penalty'];

export const INVOICE_STATUSES = ['draft', 'open', 'partially paid', 'paid', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const QUOTE_STATUSES = ['open', 'accepted', 'declined', 'expired', 'invoiced'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** A per-rate amount: base excl. VAT and its VAT. */
export interface RateAmount {
  vatBp: number;
  base: Cents;
  vat: Cents;
}

// ---------------------------------------------------------------- deposits

export type DepositRequest = { percentBp: number } | { amount: Cents };

/** The deposit's amount incl. VAT: a % of the quote's total incl. VAT (rounded to the cent), or the amount. */
export function depositGross(quoteGross: Cents, req: DepositRequest): Cents {
  if ('percentBp' in req) {
    if (req.percentBp <= 0 || req.percentBp > 10_000) throw new UsageError(t('common.deposit.percent', { percent: formatBp(req.percentBp) }));
    return Number(roundDiv(BigInt(quoteGross) * BigInt(req.percentBp), 10_000n));
  }
  if (req.amount <= 0) throw new UsageError(t('common.deposit.amount'));
  return req.amount;
}

/**
 * Refuse a deposit that would take the deposits of a quote above its total incl. VAT.
 * `already` is the total incl. VAT of the quote's deposits that still count (not cancelled).
 */
export function checkDepositFits(quoteGross: Cents, already: Cents, gross: Cents, currency = 'EUR'): void {
  if (already + gross > quoteGross) {
    const left = Math.max(0, quoteGross - already);
    throw new UsageError(
      t('common.deposit.tooMuch', { amount: formatMoney(gross, currency, language()), total: formatMoney(already + gross, currency, language()), quote: formatMoney(quoteGross, currency, language()), left: formatMoney(left, currency, language()) }),
    );
  }
}

/** The deposit's bases per VAT rate, in proportion to the quote's amounts incl. VAT per rate. */
export function depositBases(gross: Cents, quoteRates: readonly RateTotal[]): { vatBp: number; base: Cents }[] {
  return splitGrossAcrossRates(gross, quoteRates);
}

// ---------------------------------------------------------------- final invoice

/**
 * What a deposit invoice still deducts per rate: its own per-rate base and VAT, less what credit
 * notes against it took back (a cancelled deposit deducts nothing).
 */
export function depositDeduction(depositRates: readonly RateAmount[], creditedRates: readonly RateAmount[] = []): RateAmount[] {
  const by = new Map<number, RateAmount>();
  for (const r of depositRates) by.set(r.vatBp, { ...r });
  for (const c of creditedRates) {
    const r = by.get(c.vatBp) ?? { vatBp: c.vatBp, base: 0, vat: 0 };
    r.base -= c.base;
    r.vat -= c.vat;
    by.set(c.vatBp, r);
  }
  return [...by.values()].filter((r) => r.base !== 0 || r.vat !== 0).sort((a, b) => b.vatBp - a.vatBp);
}

/** Sum deductions per rate. */
export function sumByRate(parts: readonly RateAmount[]): RateAmount[] {
  const by = new Map<number, RateAmount>();
  for (const p of parts) {
    const r = by.get(p.vatBp) ?? { vatBp: p.vatBp, base: 0, vat: 0 };
    r.base += p.base;
    r.vat += p.vat;
    by.set(p.vatBp, r);
  }
  return [...by.values()].sort((a, b) => b.vatBp - a.vatBp);
}

export interface FinalAmounts {
  /** the deposits deducted, incl. VAT */
  deductedGross: Cents;
  /** total incl. VAT - deposits incl. VAT */
  amountDue: Cents;
  /** per rate: the sale, the deposits, and what is left */
  rates: { vatBp: number; base: Cents; vat: Cents; deductedBase: Cents; deductedVat: Cents; dueBase: Cents; dueVat: Cents }[];
}

/** The final invoice's deductions per rate and its net due. */
export function finalAmounts(saleRates: readonly RateTotal[], deductions: readonly RateAmount[]): FinalAmounts {
  const ded = sumByRate(deductions);
  const rates = new Map<number, FinalAmounts['rates'][number]>();
  for (const r of saleRates) rates.set(r.vatBp, { vatBp: r.vatBp, base: r.base, vat: r.vat, deductedBase: 0, deductedVat: 0, dueBase: r.base, dueVat: r.vat });
  for (const d of ded) {
    const r = rates.get(d.vatBp);
    if (!r) throw new UsageError(t('common.deposit.rate', { rate: formatBp(d.vatBp) }));
    r.deductedBase += d.base;
    r.deductedVat += d.vat;
    r.dueBase -= d.base;
    r.dueVat -= d.vat;
  }
  const list = [...rates.values()].sort((a, b) => b.vatBp - a.vatBp);
  const total = saleRates.reduce((s, r) => s + r.gross, 0);
  const deductedGross = ded.reduce((s, d) => s + d.base + d.vat, 0);
  return { deductedGross, amountDue: total - deductedGross, rates: list };
}

// ---------------------------------------------------------------- credit notes

/**
 * The bases per rate of a credit note for `remaining` (incl. VAT) of an invoice, in proportion to
 * what the invoice asks per rate (its amounts less any deposits it deducts).
 */
export function creditBases(remaining: Cents, dueRates: readonly { vatBp: number; gross: Cents }[]): { vatBp: number; base: Cents }[] {
  if (remaining <= 0) return [];
  return splitGrossAcrossRates(remaining, dueRates.filter((r) => r.gross > 0));
}

/** Per-rate amounts as totals (base, VAT per rate on the base, gross). */
export function ratesOf(bases: readonly { vatBp: number; base: Cents }[]): RateTotal[] {
  return totalsFromBases(bases.map((b) => [b.vatBp, b.base] as [number, Cents])).rates;
}

// ---------------------------------------------------------------- status

export interface SettlementInput {
  issued: boolean;
  amountDue: Cents;
  /** money allocated to it, up to the as-of date */
  paid: Cents;
  /** credit notes issued against it, up to the as-of date */
  credited: Cents;
}

export function invoiceStatus(s: SettlementInput): InvoiceStatus {
  if (!s.issued) return 'draft';
  if (s.credited > 0) return 'cancelled';
  const balance = s.amountDue - s.paid - s.credited;
  if (balance <= 0) return 'paid';
  if (s.paid > 0) return 'partially paid';
  return 'open';
}

export function isDisputed(d: { disputedOn: IsoDate | null; disputedUntil: IsoDate | null }, asOf: IsoDate): boolean {
  if (!d.disputedOn || d.disputedOn > asOf) return false;
  return d.disputedUntil === null || asOf <= d.disputedUntil;
}

/** The last day a quote can be accepted without --force. */
export function quoteValidUntil(issueDate: IsoDate, validityDays: number | null): IsoDate | null {
  return validityDays === null ? null : addDays(issueDate, validityDays);
}

export function quoteStatus(
  q: { issueDate: IsoDate; validityDays: number | null; acceptedOn: IsoDate | null; declinedOn: IsoDate | null; invoiced: boolean },
  asOf: IsoDate,
): QuoteStatus {
  if (q.invoiced) return 'invoiced';
  if (q.acceptedOn && q.acceptedOn <= asOf) return 'accepted';
  if (q.declinedOn && q.declinedOn <= asOf) return 'declined';
  const until = quoteValidUntil(q.issueDate, q.validityDays);
  if (until && asOf > until) return 'expired';
  return 'open';
}

/** A report of an invoice "as of" a day before it existed is refused (it was not issued yet). */
export function requireIssuedBy(doc: { number: string | null; issueDate: string | null }, date: IsoDate, flag = '--as-of'): void {
  if (doc.issueDate && date < doc.issueDate) {
    throw new UsageError(t('common.document.notIssuedYet', { number: doc.number, date, issued: doc.issueDate, flag }));
  }
}

/** A payment link from the ledger's pattern (payment_link.pattern, "{number}" replaced); null without a pattern. */
export function linkFromPattern(pattern: string | null | undefined, number: string): string | null {
  return pattern ? pattern.replace(/\{number\}/g, encodeURIComponent(number)) : null;
}
