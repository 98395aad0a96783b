/**
 * Every kind of issued invoice as a Factur-X PDF: the CII XML read back from the PDF passes the
 * Factur-X EN 16931 XSD, the EN 16931 Schematron and the French BR-FR Schematron with no fatal
 * failed assert; the PDF has the PDF/A-3b shape (embedded fonts with ToUnicode, XMP with pdfaid and
 * the Factur-X extension schema, the sRGB OutputIntent, the attachment in /AF); its text is still
 * extractable; the EPC QR code decodes to the transfer the invoice asks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEpcPayload } from '../../src/core/epc-qr.js';
import { invoiceReference, printReference } from '../../src/core/payment-reference.js';
import { buildDocumentPdf } from '../../src/render/document-pdf.js';
import { pdfBuffer } from '../../src/render/pdf.js';
import { pdfText } from '../helpers/pdf.js';
import { CASES } from './fixtures.js';
import { attachments, objects, qrCodes, xmp } from './pdf-read.js';
import { fatal, schematron, VALIDATORS, xsdErrors } from './validators.js';

// Heavy checks (Saxon, pdftoppm, spawning bin/relance): seconds each alone, far more on a loaded machine.
const SLOW = 180_000;

const pdfs = new Map<string, Buffer>();
async function pdfOf(name: string): Promise<Buffer> {
  let b = pdfs.get(name);
  if (!b) pdfs.set(name, (b = await pdfBuffer(await buildDocumentPdf(CASES[name]!()))));
  return b;
}

describe('the validator set-up', { timeout: SLOW }, () => {
  it('accepts the European Commission\'s CII example 2 (XSD and EN 16931 rules)', async () => {
    const xml = fs.readFileSync(path.join(VALIDATORS, 'en16931-cii-examples/CII_example2.xml'), 'utf8');
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    // ...and the French rules reject it (no PMT/PMD/AAB notes): they do check something.
    expect(fatal(await schematron('ciiFr', xml)).some((f) => f.startsWith('BR-FR-05'))).toBe(true);
  });
});

describe.each(Object.keys(CASES))('Factur-X: %s', { timeout: SLOW }, (name) => {
  it('carries a factur-x.xml that passes the XSD, EN 16931 and BR-FR', async () => {
    const pdf = await pdfOf(name);
    const files = await attachments(pdf);
    expect(Object.keys(files)).toEqual(['factur-x.xml']);
    const xml = files['factur-x.xml']!;
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
    const d = CASES[name]!();
    // What the PDF says: the number, the reference, the amount due.
    expect(xml).toContain(`<ram:ID>${d.number}</ram:ID>`);
    expect(xml).toContain(`<ram:PaymentReference>${invoiceReference(d.number!)}</ram:PaymentReference>`);
    expect(xml).toContain(`<ram:DuePayableAmount>${((d.kind === 'credit_note' ? d.totals.gross : d.amountDue) / 100).toFixed(2)}</ram:DuePayableAmount>`);
  });
});

describe('the PDF/A-3b shape', { timeout: SLOW }, () => {
  it('embeds its fonts as subsets with ToUnicode maps, and no standard font', async () => {
    const pdf = await pdfOf('multi-rate invoice with discounts');
    const objs = [...objects(pdf).values()];
    const fonts = objs.filter((o) => /\/Type \/Font\b/.test(o) && /\/Subtype \/Type0/.test(o));
    expect(fonts.length).toBe(2); // regular and bold
    for (const f of fonts) {
      expect(f).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
      expect(f).toMatch(/\/ToUnicode \d+ 0 R/);
    }
    expect(objs.filter((o) => /\/FontFile2 \d+ 0 R/.test(o))).toHaveLength(2);
    expect(objs.some((o) => /\/Subtype \/Type1/.test(o))).toBe(false);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('has the XMP identification, the Factur-X properties and their extension schema', async () => {
    const x = xmp(await pdfOf('deposit'));
    expect(x).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(x).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(x).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
    expect(x).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>');
    expect(x).toContain('<fx:Version>1.0</fx:Version>');
    expect(x).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    // The extension schema declares the namespace and every property the shared reference declares.
    const reference = fs.readFileSync(path.join(VALIDATORS, 'factur-x-1.09-en16931/Factur-X_extension_schema.xmp'), 'utf8');
    const ns = /<pdfaSchema:namespaceURI>([^<]+)</.exec(reference)![1]!;
    expect(x).toContain(`<pdfaSchema:namespaceURI>${ns}</pdfaSchema:namespaceURI>`);
    expect(x).toContain(`xmlns:fx="${ns}"`);
    for (const m of reference.matchAll(/<pdfaProperty:name>(\w+)<\/pdfaProperty:name>/g)) expect(x).toContain(`<pdfaProperty:name>${m[1]}</pdfaProperty:name>`);
    // Escaped, also with a "&" or "<" in the business name (pdfkit copies them as they are).
    const odd = await pdfBuffer(await buildDocumentPdf({ ...CASES['deposit']!(), seller: { ...CASES['deposit']!().seller, name: 'Dupont & Fils <Lyon>' } }));
    expect(xmp(odd)).toContain('Dupont &amp; Fils &lt;Lyon&gt;');
  });

  it('declares the sRGB OutputIntent and the attachment as an associated file', async () => {
    const pdf = await pdfOf('credit note');
    const objs = objects(pdf);
    const intent = [...objs.values()].find((o) => /\/Type \/OutputIntent/.test(o))!;
    expect(intent).toMatch(/\/S \/GTS_PDFA1/);
    expect(intent).toMatch(/\/DestOutputProfile \d+ 0 R/);
    const catalog = [...objs.values()].find((o) => /\/Type \/Catalog/.test(o))!;
    expect(catalog).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    expect(catalog).toMatch(/\/Metadata \d+ 0 R/);
    const af = /\/AF \[(\d+) 0 R\]/.exec(catalog);
    expect(af).not.toBeNull();
    const spec = objs.get(Number(af![1]))!;
    expect(spec).toMatch(/\/Type \/Filespec/);
    expect(spec).toMatch(/\/AFRelationship \/Alternative/);
    expect(spec).toMatch(/\/F \(factur-x\.xml\)/);
    expect(spec).toMatch(/\/UF \(factur-x\.xml\)/);
    const file = objs.get(Number(/\/EF <<\s*\/F (\d+) 0 R/.exec(spec)![1]))!;
    expect(file).toMatch(/\/Type \/EmbeddedFile/);
    expect(file).toMatch(/\/Subtype \/text#2Fxml/);
    expect(file).toMatch(/\/ModDate \(D:20260305000000Z\)/);
    expect(pdf.toString('latin1')).toMatch(/trailer\s*<<[\s\S]*\/ID \[/);
  });

  it('keeps its text extractable, with the payment reference, and stays small and reproducible', async () => {
    const pdf = await pdfOf('multi-rate invoice with discounts');
    const text = await pdfText(pdf);
    expect(text).toContain('FACTURE');
    expect(text).toContain('F-2026-0042');
    expect(text).toContain('Conseil');
    expect(text).toContain('Livres techniques');
    expect(text).toContain(`Référence de paiement (à indiquer sur le virement) : ${printReference(invoiceReference('F-2026-0042'))}`);
    expect(pdf.length).toBeLessThanOrEqual(40 * 1024);
    const again = await pdfBuffer(await buildDocumentPdf(CASES['multi-rate invoice with discounts']!()));
    expect(again.equals(pdf)).toBe(true);
  });
});

describe('the EPC QR code on the invoice', { timeout: SLOW }, () => {
  it('decodes to the BIC, name, IBAN, amount due and the structured reference', async () => {
    const d = CASES['final invoice deducting two deposits']!();
    const [code] = await qrCodes(await pdfOf('final invoice deducting two deposits'));
    expect(code).toBeDefined();
    expect(code!.split('\n').slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT']);
    expect(parseEpcPayload(code!)).toEqual({
      bic: 'AGRIFRPP',
      name: 'Atelier Dupont',
      iban: 'FR7630006000011234567890189',
      currency: 'EUR',
      amount: d.amountDue,
      reference: invoiceReference('F-2026-0044'),
      text: null,
    });
  });

  it('is left out where no SEPA transfer in euros is asked: a credit note, an invoice in USD', async () => {
    expect(await qrCodes(await pdfOf('credit note'))).toEqual([]);
    expect(await qrCodes(await pdfOf('invoice in USD'))).toEqual([]);
  });
});
