/**
 * Documents' PDFs: what a PDF shows (read from the ledger), rendering it (pdfkit loaded lazily), and
 * the frozen PDF of an issued invoice (stored when it is issued, so what the client received is what
 * `invoice pdf`, reminders and collection files carry), plus the mandatory mentions still missing.
 */
import type { IsoDate } from '../core/dates.js';
import { quoteValidUntil } from '../core/documents.js';
import { missingMentions as checkMentions, type MissingMention } from '../core/mentions.js';
import { defaultPenaltyRate, halfOf } from '../core/rates.js';
import { describeTerms } from '../core/terms.js';
import { clientById, type Client } from '../store/clients.js';
import { write, type Db } from '../store/db.js';
import { documentById, documentRef, documentWithLines, freezesPdf, paymentLinkFor, storedPdf, storePdf, termsFor, type Document } from '../store/documents.js';
import { rateTables } from '../store/rates.js';
import { getSettings, type Settings } from '../store/settings.js';
import { eurRateOf } from '../store/eur-rates.js';
import { logoOfDocument } from '../store/logos.js';
import { formatEurRate, toEur } from '../core/eur-rate.js';
import type { DocumentPdfData } from '../render/document-pdf.js';
import { parseAddress } from '../einvoice/model.js';
import { businessOf } from '../render/format.js';
import type { IO } from '../render/io.js';
import { warn } from '../render/output.js';
import { t } from '../i18n/index.js';

/** Everything a PDF of this document shows, read from the ledger. */
export function pdfData(db: Db, d: Document, known: { settings?: Settings; client?: Client } = {}): DocumentPdfData {
  const st = known.settings ?? getSettings(db);
  const full = documentWithLines(db, d.id);
  const client = known.client?.id === d.clientId ? known.client : clientById(db, d.clientId);
  const quote = d.quoteId !== null ? documentById(db, d.quoteId) : undefined;
  const cancels = d.cancelsId !== null ? documentById(db, d.cancelsId) : undefined;
  const lang = client.lang;
  const eurRate = d.currency !== 'EUR' ? eurRateOf(db, d) : null; // BR-FR-CO-12: the VAT in EUR (store/eur-rates.ts)
  const terms = d.kind === 'credit_note' ? null : d.termsDays !== null ? { days: d.termsDays, kind: d.termsKind ?? 'net' } : termsFor(db, d, client);
  return {
    lang,
    kind: d.kind,
    number: d.number,
    reference: documentRef(d),
    currency: d.currency,
    issueDate: d.issueDate,
    serviceDate: d.serviceDate,
    dueDate: d.dueDate,
    termsText: terms ? describeTerms(terms, lang) : null,
    seller: { ...businessOf(st), address: st['business.address'], email: st['business.email'] || null },
    buyer: {
      name: client.name,
      address: client.billingAddress ?? client.address,
      contactName: client.contactName,
      siren: client.siren,
      vatNumber: client.vatNumber,
      kind: client.kind,
      email: client.email,
    },
    deliveryAddress: deliveryAddressOf(d, client),
    poNumber: d.poNumber,
    operation: d.operation,
    lines: full.lines,
    totals: full.totals,
    deductions: full.deductions,
    deductedGross: d.deductedGross,
    amountDue: d.amountDue,
    vatExempt: st.vat_exempt,
    vatOnDebits: st['vat.on_debits'] && !st.vat_exempt,
    earlyDiscount: st.early_discount,
    penalty: { mode: st['penalty.mode'], rateBp: st['penalty.rate_bp'], ...penaltyFigure(db, d.issueDate ?? d.createdOn) },
    paymentLink: d.kind === 'quote' || d.kind === 'credit_note' ? null : paymentLinkFor(db, d),
    quote: quote?.number ? { number: quote.number, date: quote.issueDate } : null,
    cancels: cancels?.number ? { number: cancels.number, date: cancels.issueDate } : null,
    validUntil: d.kind === 'quote' && d.issueDate ? quoteValidUntil(d.issueDate, d.validityDays) : null,
    depositBp: d.depositBp,
    accepted: d.acceptedOn ? { on: d.acceptedOn, by: d.acceptedBy } : null,
    notes: d.notes,
    logo: logoOfDocument(db, d),
    ...(eurRate !== null ? { vatInEur: toEur(full.totals.vat, eurRate), eurRate: formatEurRate(eurRate) } : {}),
  };
}

/** The default L441-10 rate (ECB + 10 points) of the half-year of `date`, when the rate table knows it. */
function penaltyFigure(db: Db, date: IsoDate): { currentBp: number | null; half: string } {
  const half = halfOf(date);
  return { currentBp: defaultPenaltyRate(rateTables(db), half) ?? null, half };
}

/** Render a document's PDF now, from what the ledger holds today (pdfkit is loaded here, lazily). */
export async function renderPdfBytes(db: Db, d: Document, known: { settings?: Settings; client?: Client } = {}): Promise<Buffer> {
  const { buildDocumentPdf } = await import('../render/document-pdf.js');
  const { pdfBuffer } = await import('../render/pdf.js');
  return pdfBuffer(await buildDocumentPdf(pdfData(db, d, known)));
}

/**
 * The PDF of a document. An issued invoice (any kind but a quote) is immutable, and so is its PDF:
 * the bytes stored when it was issued, or, for one issued before relance stored them, rendered now
 * and stored for good (`on` is recorded as the date it was frozen). A draft or a quote renders fresh.
 */
export async function documentPdf(db: Db, d: Document, on: IsoDate): Promise<Buffer> {
  if (!freezesPdf(d)) return renderPdfBytes(db, d);
  const stored = storedPdf(db, d.id);
  if (stored) return stored;
  const bytes = await renderPdfBytes(db, d);
  return write(db, () => storePdf(db, d.id, bytes, on));
}

/** Write the PDF of a draft or a quote, rendered now, to a file. */
export async function writeFreshPdf(data: DocumentPdfData, file: string): Promise<void> {
  const { renderDocumentPdf } = await import('../render/document-pdf.js');
  await renderDocumentPdf(data, file);
}

/**
 * Freeze the PDF of a document just issued, from the settings of the moment it was issued. The
 * issue itself is already committed: a failure here only warns, and the PDF is frozen on first need.
 */
export async function freezeIssued(db: Db, io: IO, d: Document): Promise<void> {
  if (!freezesPdf(d)) return;
  try {
    await documentPdf(db, d, d.issueDate!);
  } catch (err) {
    warn(io, t('documents.pdf.notFrozen', { ref: documentRef(d), why: (err as Error).message }));
  }
}

/** The missing mentions of the PDF data of a document (a draft's fixes go through `invoice edit`). */
export function mentionsOf(data: DocumentPdfData, clientCode: string): MissingMention[] {
  return checkMentions({
    kind: data.kind,
    ref: data.reference,
    draft: data.number === null,
    vatExempt: data.vatExempt,
    seller: { siren: data.seller.siren, address: data.seller.address, vatNumber: data.seller.vatNumber },
    buyer: { code: clientCode, kind: data.buyer.kind, siren: data.buyer.siren, vatNumber: data.buyer.vatNumber, address: data.buyer.address, country: parseAddress(data.buyer.address).country },
    operation: data.operation,
  });
}

/** Mentions French law requires on an invoice that the ledger, the client or the document lacks (CODE: the client's code). */
export function missingMentions(d: DocumentPdfData, clientCode = 'CODE'): string[] {
  return mentionsOf(d, clientCode).map((m) => `${m.what} (${m.fix})`);
}

/**
 * Where an invoice's goods or services are delivered: its own address, else the client's delivery
 * address, else (ledgers from before delivery addresses) the client's postal address when invoices go
 * to a separate billing address; null when that is the billing address itself (nothing to print).
 */
export function deliveryAddressOf(d: Pick<Document, 'deliveryAddress'>, client: Pick<Client, 'address' | 'billingAddress' | 'deliveryAddress'>): string | null {
  const billing = (client.billingAddress ?? client.address ?? '').trim();
  const at = d.deliveryAddress ?? client.deliveryAddress ?? (client.billingAddress ? client.address : null);
  return at && at.trim() !== billing ? at : null;
}
