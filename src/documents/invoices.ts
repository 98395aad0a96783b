/**
 * Invoices beyond their store rows: the final invoice of an accepted quote (its lines less every
 * deposit, per VAT rate), the status filter of `invoice list`, the fields `invoice show` prints, and
 * freezing the PDFs of invoices issued before relance kept them.
 */
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { describeTerms, type Terms } from '../core/terms.js';
import type { ComputedLine } from '../core/vat.js';
import { clientById } from '../store/clients.js';
import { write, type Db } from '../store/db.js';
import {
  closingInvoiceOf,
  deductionsForQuote,
  documentById,
  documentRef,
  documentWithLines,
  documentsWithoutPdf,
  insertDocument,
  replaceDeductions,
  settlementOf,
  storePdf,
  type Document,
  type DocumentFields,
  type Settlement,
} from '../store/documents.js';
import { getSettings } from '../store/settings.js';
import { money } from '../render/format.js';
import { documentJson } from './json.js';
import { invoiceStatusLabel, kindLabel, operationLabel } from './labels.js';
import { language, t } from '../i18n/index.js';
import { renderPdfBytes } from './pdf.js';

/** A quote can be invoiced once, when accepted, in its own currency. */
export function checkQuoteInvoiceable(db: Db, quote: Document, currency: string | undefined): void {
  if (!quote.acceptedOn) throw new UsageError(t('documents.quoteCheck.notAccepted', { number: quote.number }));
  const closing = closingInvoiceOf(db, quote.id);
  if (closing) throw new UsageError(t('documents.quoteCheck.hasInvoice', { number: quote.number, invoice: documentRef(closing) }));
  if (currency !== undefined && currency !== quote.currency) throw new UsageError(t('documents.quoteCheck.currency', { currency: quote.currency }));
}

/** The draft invoice of a quote: its lines (and any extra), a final invoice deducting the deposits when there are some. */
export function invoiceFromQuote(db: Db, quote: Document, common: Partial<DocumentFields> & Pick<DocumentFields, 'createdOn'>, extra: readonly ComputedLine[]): Document {
  const quoteLines = documentWithLines(db, quote.id).lines.map(({ id: _i, documentId: _d, position: _p, ...l }) => l);
  return write(db, () => {
    const deductions = deductionsForQuote(db, quote.id);
    // The client's purchase order: the final invoice's own, else the quote's, else its deposits' (in order).
    const poNumber = common.poNumber ?? quote.poNumber ?? deductions.map((x) => documentById(db, x.depositId)?.poNumber).find((po) => !!po) ?? undefined;
    const doc = insertDocument(
      db,
      { kind: deductions.length > 0 ? 'final' : 'invoice', clientId: quote.clientId, currency: quote.currency, quoteId: quote.id, ...common, operation: common.operation ?? quote.operation ?? undefined, poNumber },
      [...quoteLines, ...extra],
    );
    replaceDeductions(db, doc.id, deductions);
    return documentById(db, doc.id)!;
  });
}

/** `invoice list --status`: disputed, unpaid (open or partially paid), or a status; credit notes only as drafts. */
export function hasStatus(d: Document, s: Settlement, status: string): boolean {
  if (status === 'disputed') return s.disputed;
  if (status === 'unpaid') return d.kind !== 'credit_note' && (s.status === 'open' || s.status === 'partially paid');
  return d.kind !== 'credit_note' || status === 'draft' ? s.status === status : false;
}

/** The rows of `invoice list`: number, kind, client, dates, amounts, status. */
export function invoiceRows(db: Db, docs: readonly Document[], st: Map<number, Settlement>): string[][] {
  const codes = new Map<number, string>();
  const code = (id: number) => codes.get(id) ?? (codes.set(id, clientById(db, id).code), codes.get(id)!);
  return docs.map((d) => {
    const s = st.get(d.id)!;
    const credit = d.kind === 'credit_note';
    return [
      documentRef(d),
      kindLabel(d.kind),
      code(d.clientId),
      d.issueDate ?? '',
      d.dueDate ?? '',
      money(d.totalGross, d.currency),
      credit ? '' : money(d.amountDue, d.currency),
      credit ? '' : money(s.balance, d.currency),
      credit ? (d.number ? t('documents.status.cancels', { number: documentById(db, d.cancelsId!)?.number ?? '' }) : t('documents.status.draft')) : s.disputed ? t('documents.status.disputed', { status: invoiceStatusLabel(s.status) }) : invoiceStatusLabel(s.status),
    ];
  });
}

/** What `invoice show` prints about an invoice, label and value. */
export function invoiceFields(db: Db, d: Document, asOf: IsoDate): [string, string | null][] {
  const j = documentJson(db, d, asOf);
  const st = settlementOf(db, d.id, asOf);
  const m = (c: number) => money(c, d.currency);
  const fields = [
    ['invoice', `${documentRef(d)} (${kindLabel(d.kind)})`],
    ['client', `${j.client} (${clientById(db, d.clientId).name})`],
    ['issued', d.issueDate ?? t('documents.field.notYet')],
    ['serviceDate', d.serviceDate],
    ['due', d.dueDate],
    ['terms', j.terms ? describeTerms(j.terms as Terms, language()) : null],
    ['po', d.poNumber],
    ['operation', operationLabel(d.operation)],
    ['quote', j.quote],
    ['cancels', j.cancels],
    ['net', m(d.totalNet)],
    ['vat', m(d.totalVat)],
    ['gross', m(d.totalGross)],
    ['deductedDeposits', d.deductedGross ? m(d.deductedGross) : null],
    ['amountDue', d.kind === 'credit_note' ? null : m(d.amountDue)],
    ['paid', st.paid ? m(st.paid) : null],
    ['credited', st.credited ? `${m(st.credited)} (${j.creditNotes.join(', ')})` : null],
    ['balance', d.kind === 'credit_note' ? null : m(st.balance)],
    ['status', d.kind === 'credit_note' ? t(d.number ? 'documents.status.issued' : 'documents.status.draft') : asOf ? t('documents.field.statusAsOf', { status: invoiceStatusLabel(j.status), date: asOf }) : invoiceStatusLabel(j.status)],
    ['disputed', j.disputed ? t(j.disputed.until ? 'documents.field.disputedUntil' : 'documents.field.disputedSince', { since: j.disputed.since, reason: j.disputed.reason, until: j.disputed.until }) : null],
    ['paymentLink', j.paymentLink],
    ['notes', d.notes],
  ] as const;
  return fields.map(([k, v]): [string, string | null] => [t(`documents.field.${k}`), v]);
}

/** Store the PDF of every issued invoice that has none (200 at a time: rendered outside any transaction, stored in one). */
export async function freezeMissing(db: Db, on: IsoDate): Promise<number> {
  const settings = getSettings(db);
  let frozen = 0;
  for (let batch = documentsWithoutPdf(db, 200); batch.length > 0; batch = documentsWithoutPdf(db, 200)) {
    const rendered: [Document, Buffer][] = [];
    for (const d of batch) rendered.push([d, await renderPdfBytes(db, d, { settings })]);
    write(db, () => {
      for (const [d, bytes] of rendered) storePdf(db, d.id, bytes, on);
    });
    frozen += rendered.length;
  }
  return frozen;
}
