/**
 * Issue 16 §2, every document kind made by bin/relance itself (not from fixtures: the ledger's own
 * data path, where a gap like the missing VAT in EUR hid while the fixtures passed): a deposit, a
 * second deposit, the final invoice deducting both, a multi-rate invoice with discounts, its credit
 * note, a consumer's invoice without SIREN, a penalty invoice, and a VAT-exempt micro-entrepreneur's
 * invoice. Each frozen PDF's factur-x.xml passes the Factur-X XSD, EN 16931 and BR-FR; each
 * `invoice xml --syntax ubl` passes the EN 16931 and BR-FR UBL rules (no fatal failed assert).
 * (The invoice in USD: test/einvoice/eur-rate.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { parseEpcPayload } from '../../src/core/epc-qr.js';
import { invoiceReference } from '../../src/core/payment-reference.js';
import { attachments, frozenPdf, qrCodes } from './pdf-read.js';
import { fatal, schematron, xsdErrors } from './validators.js';

const SLOW = 300_000;

let sb: Sandbox;
let micro: Sandbox;
function ok(box: Sandbox, args: string[]) {
  const r = box.run(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}
const frozen = (box: Sandbox, number: string): Buffer => frozenPdf(box.ledger, number);
const draftRef = (box: Sandbox, args: string[]) => (JSON.parse(ok(box, ['invoice', 'new', ...args, '--json']).stdout) as { ref: string }).ref;

beforeAll(() => {
  sb = sandbox('relance-kinds-');
  expect(sb.init().code).toBe(0);
  ok(sb, ['ledger', 'set', 'business.bic', 'AGRIFRPP']);
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example']);
  ok(sb, ['client', 'add', 'MARTIN', '--name', 'Jeanne Martin', '--address', '4 rue Basse;33000 Bordeaux', '--email', 'j@martin.example', '--b2c']);
  ok(sb, ['quote', 'new', 'ACME', '--line', 'Site web | 1 | 3000 | 20', '--line', 'Livres | 10 | 30 | 5.5', '--deposit', '30', '--date', '2026-02-01']);
  ok(sb, ['quote', 'accept', 'D-2026-0001', '--signed-by', 'M. Acme', '--date', '2026-02-02']);
  ok(sb, ['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-02-03']); // F-2026-0001
  ok(sb, ['deposit', 'D-2026-0001', '--percent', '20', '--issue', '--date', '2026-02-10']); // F-2026-0002
  ok(sb, ['invoice', 'issue', draftRef(sb, ['--from-quote', 'D-2026-0001', '--as-of', '2026-03-01']), '--date', '2026-03-01']); // F-2026-0003
  ok(sb, ['invoice', 'issue', draftRef(sb, ['ACME', '--line', 'Audit | 2 | 450 | 20 | 10%', '--line', 'Livres | 3 | 20 | 5.5', '--line', 'Formation | 1 | 300 | 10 | 5%', '--as-of', '2026-03-02']), '--date', '2026-03-02']); // F-2026-0004
  ok(sb, ['invoice', 'cancel', 'F-2026-0004', '--date', '2026-03-05', '--reason', 'Erreur de périmètre']); // F-2026-0005
  ok(sb, ['invoice', 'issue', draftRef(sb, ['MARTIN', '--line', 'Cours particulier | 2 | 40 | 20', '--as-of', '2026-03-06']), '--date', '2026-03-06']); // F-2026-0006
  ok(sb, ['penalties', 'F-2026-0001', '--bill', '--as-of', '2026-05-31']); // F-2026-0007

  micro = sandbox('relance-kinds-micro-');
  expect(micro.init(['--vat-exempt']).code).toBe(0);
  ok(micro, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example']);
  ok(micro, ['invoice', 'issue', draftRef(micro, ['ACME', '--line', 'Illustrations | 4 | 150 | 0', '--as-of', '2026-03-02']), '--date', '2026-03-02']);
}, SLOW);
afterAll(() => {
  sb?.cleanup();
  micro?.cleanup();
});

const KINDS: [string, () => Sandbox, string, string][] = [
  ['a deposit', () => sb, 'F-2026-0001', '386'],
  ['a second deposit', () => sb, 'F-2026-0002', '386'],
  ['a final invoice deducting two deposits', () => sb, 'F-2026-0003', '380'],
  ['a multi-rate invoice with discounts', () => sb, 'F-2026-0004', '380'],
  ['a credit note', () => sb, 'F-2026-0005', '381'],
  ['a consumer client without SIREN', () => sb, 'F-2026-0006', '380'],
  ['a penalty invoice', () => sb, 'F-2026-0007', '380'],
  ["a VAT-exempt micro-entrepreneur's invoice", () => micro, 'F-2026-0001', '380'],
];

describe.each(KINDS)('%s, made by bin/relance', { timeout: SLOW }, (_name, box, number, typeCode) => {
  it('has a factur-x.xml in its frozen PDF that passes the XSD, EN 16931 and BR-FR', async () => {
    const xml = (await attachments(frozen(box(), number)))['factur-x.xml']!;
    expect(xml).toContain(`<ram:ID>${number}</ram:ID><ram:TypeCode>${typeCode}</ram:TypeCode>`);
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
  });

  it('passes the EN 16931 and BR-FR UBL rules as UBL', async () => {
    const xml = ok(box(), ['invoice', 'xml', number, '--syntax', 'ubl']).stdout;
    expect(xml).toContain(`<cbc:ID>${number}</cbc:ID>`);
    expect(fatal(await schematron('ubl', xml))).toEqual([]);
    expect(fatal(await schematron('ublFr', xml))).toEqual([]);
  });
});

describe('what the kinds carry', { timeout: SLOW }, () => {
  it('the final invoice: both deposits as prepaid, the amount due after them', async () => {
    const xml = (await attachments(frozen(sb, 'F-2026-0003')))['factur-x.xml']!;
    expect(xml).toContain('<ram:TotalPrepaidAmount>1958.25</ram:TotalPrepaidAmount>');
    expect(xml).toContain('<ram:DuePayableAmount>1958.25</ram:DuePayableAmount>');
    expect(xml).toContain('F-2026-0001');
    expect(xml).toContain('F-2026-0002');
  });

  it("the exempt invoice: category E with art. 293 B; the consumer's: no SIREN of the buyer", async () => {
    const exempt = (await attachments(frozen(micro, 'F-2026-0001')))['factur-x.xml']!;
    expect(exempt).toContain('<ram:CategoryCode>E</ram:CategoryCode>');
    expect(exempt).toMatch(/293 B/);
    const b2c = (await attachments(frozen(sb, 'F-2026-0006')))['factur-x.xml']!;
    const buyer = /<ram:BuyerTradeParty>[\s\S]*?<\/ram:BuyerTradeParty>/.exec(b2c)![0];
    expect(buyer).not.toContain('schemeID="0002"');
    expect(b2c).toContain('B2C');
  });

  it("the final invoice's QR code, decoded from the frozen page: BIC, name, IBAN, the amount due after the deposits, its reference", async () => {
    const codes = await qrCodes(frozen(sb, 'F-2026-0003'));
    expect(codes).toHaveLength(1);
    expect(parseEpcPayload(codes[0]!)).toEqual({
      bic: 'AGRIFRPP',
      name: 'Atelier Dupont',
      iban: 'FR7630006000011234567890189',
      currency: 'EUR',
      amount: 195_825,
      reference: invoiceReference('F-2026-0003'),
      text: null,
    });
  });
});
