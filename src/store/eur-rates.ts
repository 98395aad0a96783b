/**
 * The EUR rate of invoices not in EUR (core/eur-rate.ts, table document_eur_rates): set when the
 * invoice is issued ("invoice issue --eur-rate"), read by the PDF and the e-invoice. A credit note
 * takes the rate of the invoice it cancels. Writes run inside write().
 */
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Db } from './db.js';
import { documentRef, issueDocument, type Document } from './documents.js';
import { t } from '../i18n/index.js';

export function setEurRate(db: Db, documentId: number, micro: number): void {
  db.prepare('INSERT INTO document_eur_rates (document_id, rate_micro) VALUES (?, ?) ON CONFLICT (document_id) DO UPDATE SET rate_micro = excluded.rate_micro').run(documentId, micro);
}

/** The rate of a document (a credit note: its own, else its invoice's); null when none was given. */
export function eurRateOf(db: Db, d: Pick<Document, 'id' | 'cancelsId'>): number | null {
  const get = (id: number) => (db.prepare('SELECT rate_micro FROM document_eur_rates WHERE document_id = ?').get(id) as { rate_micro: number } | undefined)?.rate_micro ?? null;
  return get(d.id) ?? (d.cancelsId !== null ? get(d.cancelsId) : null);
}

/**
 * Issue a draft (store/documents.ts issueDocument) with its EUR rate when given. A rate on an invoice
 * in EUR is refused; an invoice in another currency without one is issued with a warning (its
 * e-invoice lacks the VAT in EUR that BR-FR-CO-12 asks for).
 */
export function issueWithEurRate(db: Db, d: Document, date: IsoDate, micro: number | null): { document: Document; warnings: string[] } {
  if (micro !== null && d.currency === 'EUR') throw new UsageError(t('documents.issue.eurRateOnEur', { ref: documentRef(d) }));
  if (micro !== null && d.number === null) setEurRate(db, d.id, micro);
  const r = issueDocument(db, d.id, date);
  if (d.currency !== 'EUR' && eurRateOf(db, d) === null) {
    r.warnings.push(t('documents.issue.noEurRate', { number: r.document.number, currency: d.currency }));
  }
  return r;
}
