import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/money.js';
import { computeLine } from '../../src/core/vat.js';
import { buildDocumentPdf, formatDate, type DocumentPdfData } from '../../src/render/document-pdf.js';
import { pdfBuffer, pdfText as sanitise } from '../../src/render/pdf.js';
import { invoiceData } from '../helpers/document-data.js';
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
  const base: DocumentPdfData = invoiceData(lines, { serviceDate: '2026-02-27', poNumber: 'PO-77', notes: 'Merci !' });

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
