/**
 * An issued document's e-invoice alone (`relance invoice xml`): CII as embedded in its frozen
 * Factur-X PDF, or UBL 2.1, from src/einvoice/ (loaded only here).
 */
import { UsageError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { documentRef, requireInvoice, storedPdf } from '../store/documents.js';
import { pdfData } from './pdf.js';
import { t } from '../i18n/index.js';

export async function documentXml(db: Db, ref: string, syntaxText: string): Promise<{ number: string; syntax: string; xml: string }> {
  const { invoiceXml, SYNTAXES } = await import('../einvoice/export.js');
  const syntax = syntaxText.toLowerCase() as (typeof SYNTAXES)[number];
  if (!SYNTAXES.includes(syntax)) throw new UsageError(t('documents.invoice.xml.badSyntax', { syntax: syntaxText, choices: SYNTAXES.join(', ') }));
  const d = requireInvoice(db, ref);
  if (d.number === null) throw new UsageError(t('documents.invoice.xml.draft', { ref: documentRef(d) }));
  const { xml } = invoiceXml(pdfData(db, d), syntax, storedPdf(db, d.id));
  return { number: d.number, syntax, xml };
}
