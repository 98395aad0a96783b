/**
 * BR-FR-CO-12 / EN 16931 BR-53 end to end: an invoice in USD issued with bin/relance and
 * `--eur-rate` carries the VAT in EUR (BT-6 = EUR, BT-111) in the factur-x.xml of its frozen PDF and
 * in its UBL, both passing the official rules; the PDF prints the VAT in euros with the rate (CGI
 * art. 242 nonies A); its credit note takes the same rate. Without a rate relance warns, and the
 * French rules indeed reject the XML (the check is real). A rate on a EUR invoice or a bad rate: exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdf.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { attachments, frozenPdf } from './pdf-read.js';
import { fatal, schematron, xsdErrors } from './validators.js';

const SLOW = 180_000;

let sb: Sandbox;
const ok = (args: string[]) => expectOk(sb, args);
const frozen = (number: string): Buffer => frozenPdf(sb.ledger, number);
const draft = (args: string[]) => (JSON.parse(ok(['invoice', 'new', ...args, '--json']).stdout) as { ref: string }).ref;

let issued: { stderr: string };
let bare: { stderr: string };
beforeAll(() => {
  sb = sandbox('relance-eur-rate-');
  expect(sb.init().code).toBe(0);
  ok(['ledger', 'set', 'business.bic', 'AGRIFRPP']);
  ok(['client', 'add', 'GLOBEX', '--name', 'Globex Inc.', '--address', '1 Main Street;Springfield, IL 62701;USA', '--email', 'ap@globex.example', '--lang', 'en']);
  ok(['client', 'add', 'DURAND', '--name', 'Durand SARL', '--address', '3 rue Neuve;69002 Lyon', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'compta@durand.example']);
  // 6000 USD + 20 % = 1200 USD of VAT; 1 EUR = 1.0845 USD -> 1106.50 EUR
  issued = ok(['invoice', 'issue', draft(['GLOBEX', '--currency', 'USD', '--line', 'Consulting | 5 | 1200 | 20', '--operation', 'services']), '--date', '2026-03-05', '--eur-rate', '1,0845']);
  bare = ok(['invoice', 'issue', draft(['GLOBEX', '--currency', 'USD', '--line', 'Support | 1 | 100 | 20']), '--date', '2026-03-06']);
  ok(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-03-10', '--reason', 'Wrong scope']);
}, SLOW);
afterAll(() => sb.cleanup());

describe('an invoice in USD with --eur-rate', { timeout: SLOW }, () => {
  it('has BT-6 EUR and BT-111 in its factur-x.xml, which passes the XSD, EN 16931 and BR-FR', async () => {
    expect(issued.stderr).toBe('');
    const xml = (await attachments(frozen('F-2026-0001')))['factur-x.xml']!;
    expect(xml).toContain('<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode><ram:InvoiceCurrencyCode>USD</ram:InvoiceCurrencyCode>');
    expect(xml).toContain('<ram:TaxTotalAmount currencyID="USD">1200.00</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID="EUR">1106.50</ram:TaxTotalAmount>');
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
  });

  it('has them in UBL too, passing the EN 16931 and BR-FR UBL rules', async () => {
    const xml = ok(['invoice', 'xml', 'F-2026-0001', '--syntax', 'ubl']).stdout;
    expect(xml).toContain('<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>');
    expect(xml).toContain('<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">1106.50</cbc:TaxAmount></cac:TaxTotal>');
    expect(fatal(await schematron('ubl', xml))).toEqual([]);
    expect(fatal(await schematron('ublFr', xml))).toEqual([]);
  });

  it('prints the VAT in euros and the ECB rate on the PDF', async () => {
    const text = (await pdfText(frozen('F-2026-0001'))).replace(/\s+/g, ' ');
    expect(text).toContain('VAT in euros: €1,106.50 (ECB exchange rate: 1 EUR = 1.0845 USD)');
  });

  it('its credit note takes the invoice\'s rate and passes the French rules', async () => {
    const xml = (await attachments(frozen('F-2026-0003')))['factur-x.xml']!;
    expect(xml).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect(xml).toContain('<ram:TaxTotalAmount currencyID="EUR">1106.50</ram:TaxTotalAmount>');
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
  });
});

describe('without a rate, or with a wrong one', { timeout: SLOW }, () => {
  it('issues with a warning naming --eur-rate, and BR-FR-CO-12 indeed fails on its XML', async () => {
    expect(bare.stderr).toMatch(/F-2026-0002 is in USD without its VAT in EUR \(BR-FR-CO-12.*--eur-rate/);
    const xml = (await attachments(frozen('F-2026-0002')))['factur-x.xml']!;
    expect(fatal(await schematron('ciiFr', xml)).join('\n')).toMatch(/BR-FR-CO-12/);
  });

  it('refuses a rate on a EUR invoice and a rate that is no number: exit 2, one line, nothing written', () => {
    const eur = draft(['DURAND', '--line', 'Audit | 1 | 500 | 20']);
    const usd = draft(['GLOBEX', '--currency', 'USD', '--line', 'Audit | 1 | 500 | 20']);
    const before = sb.snapshot();
    for (const [args, msg] of [
      [['invoice', 'issue', eur, '--eur-rate', '1.08'], /--eur-rate: .* is in EUR; a rate is only for invoices in another currency/],
      [['invoice', 'issue', usd, '--eur-rate', 'abc'], /--eur-rate "abc": give how many USD make 1 EUR/],
      [['invoice', 'issue', usd, '--eur-rate', '0'], /--eur-rate "0"/],
    ] as const) {
      const r = sb.run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(sb.snapshot()).toBe(before);
  });
});
