/** Documents as JSON: amounts as decimal strings, with the status as of a date (every --json that prints a document). */
import type { IsoDate } from '../core/dates.js';
import { quoteStatus, quoteValidUntil, type DocumentKind } from '../core/documents.js';
import { centsToDecimal } from '../core/money.js';
import { formatBp, formatQuantity } from '../core/numbers.js';
import { clientById } from '../store/clients.js';
import type { Db } from '../store/db.js';
import { closingInvoiceOf, creditNotesOf, depositsOfQuote, documentById, documentRef, documentWithLines, paymentLinkFor, settlementOf, type Document } from '../store/documents.js';

const dec = centsToDecimal;

export const KIND_LABEL: Record<DocumentKind, string> = {
  quote: 'quote',
  invoice: 'invoice',
  deposit: 'deposit',
  final: 'final',
  credit_note: 'credit note',
  penalty: 'penalty',
};

/** A document as JSON: amounts as decimal strings ("1234.50", as every --json prints them), with its status as of the date. */
export function documentJson(db: Db, d: Document, asOf: IsoDate) {
  const full = documentWithLines(db, d.id);
  const client = clientById(db, d.clientId);
  const s = settlementOf(db, d.id, asOf);
  const quote = d.quoteId !== null ? documentById(db, d.quoteId) : undefined;
  const cancels = d.cancelsId !== null ? documentById(db, d.cancelsId) : undefined;
  return {
    ref: documentRef(d),
    id: d.id,
    kind: d.kind,
    number: d.number,
    client: client.code,
    currency: d.currency,
    issueDate: d.issueDate,
    serviceDate: d.serviceDate,
    dueDate: d.dueDate,
    terms: d.termsDays !== null ? { days: d.termsDays, kind: d.termsKind ?? 'net' } : null,
    poNumber: d.poNumber,
    deliveryAddress: d.deliveryAddress,
    operation: d.operation,
    quote: quote?.number ?? null,
    cancels: cancels?.number ?? null,
    lines: full.lines.map((l) => ({
      description: l.description,
      quantity: formatQuantity(l.quantityMilli),
      unitPrice: dec(l.unitPrice),
      vatRate: formatBp(l.vatBp),
      discountPercent: l.discountBp ? formatBp(l.discountBp) : null,
      discountAmount: l.discountAmount ? dec(l.discountAmount) : null,
      net: dec(l.net),
    })),
    vat: full.totals.rates.map((r) => ({ rate: formatBp(r.vatBp), base: dec(r.base), vat: dec(r.vat), gross: dec(r.gross) })),
    totalNet: dec(d.totalNet),
    totalVat: dec(d.totalVat),
    totalGross: dec(d.totalGross),
    deductions: full.deductions.map((x) => ({ deposit: x.depositNumber, date: x.depositDate, rate: formatBp(x.vatBp), base: dec(x.base), vat: dec(x.vat), gross: dec(x.base + x.vat) })),
    deductedGross: dec(d.deductedGross),
    amountDue: dec(d.amountDue),
    paid: dec(s.paid),
    credited: dec(s.credited),
    balance: dec(s.balance),
    status: s.status,
    disputed: s.disputed ? { since: d.disputedOn, reason: d.disputedReason, until: d.disputedUntil } : null,
    creditNotes: d.number ? creditNotesOf(db, d.id).map((c) => c.number) : [],
    paymentLink: d.kind === 'quote' || d.kind === 'credit_note' ? null : paymentLinkFor(db, d),
    notes: d.notes,
  };
}

/** A quote's status as of a date (invoiced once its final invoice exists). */
export function statusOfQuote(db: Db, q: Document, asOf: string) {
  return quoteStatus(
    { issueDate: q.issueDate!, validityDays: q.validityDays, acceptedOn: q.acceptedOn, declinedOn: q.declinedOn, invoiced: Boolean(closingInvoiceOf(db, q.id)?.number) },
    asOf,
  );
}

export function quoteJson(db: Db, q: Document, asOf: string) {
  const { paid: _p, credited: _c, balance: _b, creditNotes: _n, paymentLink: _l, deductions: _d, deductedGross: _g, amountDue: _a, dueDate: _u, ...rest } = documentJson(db, q, asOf);
  return {
    ...rest,
    status: statusOfQuote(db, q, asOf),
    validUntil: quoteValidUntil(q.issueDate!, q.validityDays),
    depositPercent: q.depositBp !== null ? formatBp(q.depositBp) : null,
    acceptedOn: q.acceptedOn,
    acceptedBy: q.acceptedBy,
    declinedOn: q.declinedOn,
    deposits: depositsOfQuote(db, q.id).map((d) => documentRef(d)),
    invoice: closingInvoiceOf(db, q.id) ? documentRef(closingInvoiceOf(db, q.id)!) : null,
  };
}
