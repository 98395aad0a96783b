/** The data of an invoice PDF, for render tests that draw a document without a ledger. */
import type { ComputedLine } from '../../src/core/vat.js';
import { computeTotals } from '../../src/core/vat.js';
import type { DocumentPdfData } from '../../src/render/document-pdf.js';

/** A French invoice from Atelier Dupont to a professional client in Paris; `over` replaces any field. */
export function invoiceData(lines: ComputedLine[], over: Partial<DocumentPdfData> = {}): DocumentPdfData {
  const totals = computeTotals(lines);
  return {
    lang: 'fr',
    kind: 'invoice',
    number: 'F-2026-0042',
    reference: 'F-2026-0042',
    currency: 'EUR',
    issueDate: '2026-03-05',
    serviceDate: null,
    dueDate: '2026-04-04',
    termsText: '30 jours net',
    seller: { name: 'Atelier Dupont', legalForm: 'EI', address: '12 rue des Lilas\n69003 Lyon', siren: '732829320', rcs: null, vatNumber: 'FR44732829320', email: 'a@b.fr', phone: null, iban: 'FR7630006000011234567890189', bic: null },
    buyer: { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris', contactName: null, siren: null, vatNumber: null, kind: 'b2b' },
    poNumber: null,
    operation: 'services',
    lines,
    totals,
    deductions: [],
    deductedGross: 0,
    amountDue: totals.gross,
    vatExempt: false,
    earlyDiscount: null,
    penalty: { mode: 'ecb+10', rateBp: null },
    paymentLink: null,
    quote: null,
    cancels: null,
    validUntil: null,
    depositBp: null,
    accepted: null,
    notes: null,
    ...over,
  };
}
