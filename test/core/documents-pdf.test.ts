import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/money.js';
import { computeLine, computeTotals } from '../../src/core/vat.js';
import { buildDocumentPdf, formatDate, type DocumentPdfData } from '../../src/render/document-pdf.js';
import { pdfBuffer, pdfText as sanitise } from '../../src/render/pdf.js';
import { pdfText } from '../helpers/pdf.js';

describe('the WinAnsi sanitiser', () => {
  it('keeps what the standard fonts draw and maps the rest', () => {
    expect(sanitise('Désignation à 20 % — « Œuvre » 12 €')).toBe('Désignation à 20 % — « Œuvre » 12 €');
    expect(sanitise(formatMoney(123456, 'EUR', 'fr'))).toBe('1\u00a0234,56\u00a0€');
    expect(sanitise('a\u2011b \u2212 5\u2009%')).toBe('a-b - 5 %');
    expect(sanitise('Łódź ā 漢')).toBe('?ódz a ?');
  });
});

describe('the document PDF', () => {
  const lines = [computeLine({ description: 'Audit', quantityMilli: 2000, unitPrice: 45_000, vatBp: 2000, discountBp: 0, discountAmount: 0 })];
  const base: DocumentPdfData = {
    lang: 'fr',
    kind: 'invoice',
    number: 'F-2026-0042',
    reference: 'F-2026-0042',
    currency: 'EUR',
    issueDate: '2026-03-05',
    serviceDate: '2026-02-27',
    dueDate: '2026-04-04',
    termsText: '30 jours net',
    seller: { name: 'Atelier Dupont', legalForm: 'EI', address: '12 rue des Lilas\n69003 Lyon', siren: '732829320', rcs: null, vatNumber: 'FR44732829320', email: 'a@b.fr', phone: null, iban: 'FR7630006000011234567890189', bic: null },
    buyer: { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris', contactName: null, siren: null, vatNumber: null, kind: 'b2b' },
    poNumber: 'PO-77',
    operation: 'services',
    lines,
    totals: computeTotals(lines),
    deductions: [],
    deductedGross: 0,
    amountDue: 108_000,
    vatExempt: false,
    earlyDiscount: null,
    penalty: { mode: 'ecb+10', rateBp: null },
    paymentLink: null,
    quote: null,
    cancels: null,
    validUntil: null,
    depositBp: null,
    accepted: null,
    notes: 'Merci !',
  };

  it('shows the service date when it differs, the PO number, the net due and the notes', async () => {
    const text = await pdfText(await pdfBuffer(await buildDocumentPdf(base)));
    expect(text).toContain('Date de la prestation / vente : 27/02/2026');
    expect(text).toContain('Bon de commande : PO-77');
    expect(text).toContain("Nature de l'opération : prestation de services");
    expect(text).toContain('Audit 2 450,00 € 20 % 900,00 €');
    expect(text).toContain('Net à payer 1 080,00 €');
    expect(text).toContain('Notes : Merci !');
  });

  it('marks a draft as not valid as an invoice', async () => {
    const text = (await pdfText(await pdfBuffer(await buildDocumentPdf({ ...base, number: null, reference: 'draft-3' })))).replace(/\s+/g, ' ');
    // The mention wraps beside the seller's address: check its words in order.
    expect(text).toMatch(/BROUILLON - sans numéro, non valable comme .*facture/);
    expect(text).not.toContain('F-2026-0042');
  });

  it('formats dates the French or the English way', () => {
    expect(formatDate('2026-03-05', 'fr')).toBe('05/03/2026');
    expect(formatDate('2026-03-05', 'en')).toBe('2026-03-05');
  });
});
