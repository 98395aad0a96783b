import { describe, expect, it } from 'vitest';
import { computeLine } from '../../src/core/vat.js';
import { buildDocumentPdf, type DocumentPdfData } from '../../src/render/document-pdf.js';
import { pdfBuffer } from '../../src/render/pdf.js';
import { invoiceData } from '../helpers/document-data.js';
import { pdfText } from '../helpers/pdf.js';

const lines = [
  computeLine({ description: 'Audit de la comptabilité fournisseurs, trimestre 1', quantityMilli: 2000, unitPrice: 45_000, vatBp: 2000, discountBp: 0, discountAmount: 0 }),
  computeLine({ description: 'Déplacement', quantityMilli: 1000, unitPrice: 12_000, vatBp: 1000, discountBp: 500, discountAmount: 0 }),
];
const data = (number: string, buyer: string): DocumentPdfData =>
  invoiceData(lines, { number, reference: number, buyer: { name: buyer, address: '1 rue de la Paix\n75002 Paris', contactName: null, siren: null, vatNumber: null, kind: 'b2b' } });

describe('PDFs sharing one parse of the standard fonts', () => {
  it('gives every document the same bytes as the first document of the process, dated by its issue date', async () => {
    // The first document parses the fonts (pdfkit's own font objects); the next ones share them.
    const first = await pdfBuffer(await buildDocumentPdf(data('F-2026-0001', 'ACME SAS')));
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await pdfBuffer(await buildDocumentPdf(data('F-2026-0001', 'ACME SAS'))));
    for (const o of others) expect(o.equals(first)).toBe(true);
    // Every date in the file (the Info dictionary, the embedded factur-x.xml's) is the issue date.
    const dates = first.toString('latin1').match(/\(D:[0-9Z']+\)/g) ?? [];
    expect(dates.length).toBeGreaterThan(0);
    expect(new Set(dates)).toEqual(new Set(['(D:20260305000000Z)']));
  });

  it('keeps each document its own fonts and text', async () => {
    const a = await pdfText(await pdfBuffer(await buildDocumentPdf(data('F-2026-0002', 'Boulangerie Martin'))));
    const b = await pdfText(await pdfBuffer(await buildDocumentPdf(data('F-2026-0003', 'Garage Lefèvre'))));
    expect(a).toContain('F-2026-0002');
    expect(a).toContain('Boulangerie Martin');
    expect(a).not.toContain('Garage');
    expect(b).toContain('Garage Lefèvre');
    expect(b).toContain('Net à payer 1 205,40 €');
    // A quote keeps the standard fonts: regular and bold Helvetica are used, the oblique is not, so only
    // two font dictionaries are written. (An issued invoice is PDF/A and embeds DejaVu: test/einvoice/.)
    const raw = (await pdfBuffer(await buildDocumentPdf({ ...data('D-2026-0004', 'X'), kind: 'quote' }))).toString('latin1');
    expect(raw.match(/\/BaseFont \/Helvetica(-Bold)?\b/g)?.sort()).toEqual(['/BaseFont /Helvetica', '/BaseFont /Helvetica-Bold']);
  });
});
