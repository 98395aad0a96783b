/**
 * "Option pour le paiement de la taxe d'après les débits": a ledger setting (vat.on_debits), printed
 * on invoices when set, and carried by the e-invoice as the VAT point date code BT-8 (CII
 * DueDateTypeCode 5, UBL InvoicePeriod/DescriptionCode 3: the invoice date), which the official
 * validators accept. Not printed on a VAT-exempt ledger's invoices (there is no VAT to pay).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentPdf } from '../../src/render/document-pdf.js';
import { pdfBuffer } from '../../src/render/pdf.js';
import { invoiceModel } from '../../src/einvoice/model.js';
import { toCii } from '../../src/einvoice/cii.js';
import { toUbl } from '../../src/einvoice/ubl.js';
import { CASES } from '../einvoice/fixtures.js';
import { fatal, schematron, xsdErrors } from '../einvoice/validators.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';

const SLOW = 180_000;
const MENTION = "Option pour le paiement de la taxe d'après les débits";
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('the e-invoice carries the option as BT-8', { timeout: SLOW }, () => {
  const d = { ...CASES['multi-rate invoice with discounts']!(), vatOnDebits: true };
  it('CII: DueDateTypeCode 5 in every VAT breakdown, valid against the XSD, EN 16931 and BR-FR', async () => {
    const xml = toCii(invoiceModel(d));
    expect(xml.match(/<ram:DueDateTypeCode>5<\/ram:DueDateTypeCode>/g)).toHaveLength(d.totals.rates.length);
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
    // the rules do read the code: one outside UNTDID 2475's 5 / 29 / 72 is refused
    expect(fatal(await schematron('cii', xml.replace(/DueDateTypeCode>5</g, 'DueDateTypeCode>99<'))).some((f) => f.includes('DueDateTypeCode'))).toBe(true);
  });
  it('UBL: InvoicePeriod/DescriptionCode 3, valid against EN 16931 and BR-FR', async () => {
    const xml = toUbl(invoiceModel(d));
    expect(xml).toContain('<cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode></cac:InvoicePeriod>');
    expect(fatal(await schematron('ubl', xml))).toEqual([]);
    expect(fatal(await schematron('ublFr', xml))).toEqual([]);
  });
  it('nothing without the option, nor on a VAT-exempt invoice', () => {
    expect(toCii(invoiceModel({ ...d, vatOnDebits: false }))).not.toContain('DueDateTypeCode');
    const exempt = { ...CASES['VAT-exempt micro-entrepreneur']!(), vatOnDebits: true };
    expect(toCii(invoiceModel(exempt))).not.toContain('DueDateTypeCode');
    expect(toUbl(invoiceModel(exempt))).not.toContain('InvoicePeriod');
  });
  it('the PDF prints the mention', async () => {
    expect(flat(await pdfText(await pdfBuffer(await buildDocumentPdf(d))))).toContain(MENTION);
    expect(flat(await pdfText(await pdfBuffer(await buildDocumentPdf({ ...d, vatOnDebits: false }))))).not.toContain(MENTION);
  });
});

describe('ledger set vat.on_debits', { timeout: SLOW }, () => {
  let sb: Sandbox;
  const ok = (args: string[]) => expectOk(sb, args);
  beforeAll(() => {
    sb = sandbox('relance-debits-');
    expect(sb.init().code).toBe(0);
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']);
  });
  afterAll(() => sb.cleanup());
  it('prints the option on the invoices issued once it is set, and in their factur-x.xml', async () => {
    ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--as-of', '2026-03-02']);
    ok(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']);
    ok(['ledger', 'set', 'vat.on_debits', 'true']);
    ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--as-of', '2026-03-03']);
    ok(['invoice', 'issue', 'draft-2', '--as-of', '2026-03-03']);
    const before = path.join(sb.dir, 'f1.pdf');
    const after = path.join(sb.dir, 'f2.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', before]);
    ok(['invoice', 'pdf', 'F-2026-0002', '--out', after]);
    expect(flat(await pdfText(before))).not.toContain(MENTION); // frozen before the option was set
    expect(flat(await pdfText(after))).toContain(MENTION);
    expect(ok(['invoice', 'xml', 'F-2026-0002']).stdout).toContain('<ram:DueDateTypeCode>5</ram:DueDateTypeCode>');
  });
});
