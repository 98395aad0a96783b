import { describe, expect, it } from 'vitest';
import { invoiceReference } from '../../src/core/payment-reference.js';
import { EXEMPT_REASON, invoiceModel, parseAddress } from '../../src/einvoice/model.js';
import { CASES } from './fixtures.js';

describe('parseAddress', () => {
  it('finds the postcode, the city and a named country; France by default', () => {
    expect(parseAddress('12 rue de la République; 69001 Lyon')).toEqual({ lines: ['12 rue de la République'], postcode: '69001', city: 'Lyon', country: 'FR' });
    expect(parseAddress('Rue Neuve 5\n1000 Bruxelles\nBelgique')).toEqual({ lines: ['Rue Neuve 5'], postcode: '1000', city: 'Bruxelles', country: 'BE' });
    expect(parseAddress('Bât. B; 3 allée X; 33000 Bordeaux CEDEX; FR')).toMatchObject({ lines: ['Bât. B', '3 allée X'], postcode: '33000', country: 'FR' });
    expect(parseAddress(null, 'DE')).toEqual({ lines: [], postcode: null, city: null, country: 'DE' });
  });
});

describe('the e-invoice model', () => {
  it('types each kind: 380, 386 for a deposit, 381 for a credit note that references its invoice', () => {
    expect(invoiceModel(CASES['multi-rate invoice with discounts']!()).typeCode).toBe('380');
    expect(invoiceModel(CASES['deposit']!()).typeCode).toBe('386');
    const credit = invoiceModel(CASES['credit note']!());
    expect(credit.typeCode).toBe('381');
    expect(credit.preceding).toEqual([{ number: 'F-2026-0042', date: '2026-03-05' }]);
    expect(credit.dueDate).toBeNull();
  });

  it('carries a final invoice\'s deposits as prepaid amount and preceding invoices', () => {
    const m = invoiceModel(CASES['final invoice deducting two deposits']!());
    expect(m.totals).toMatchObject({ grand: 621_100, prepaid: 300_000, due: 321_100 });
    expect(m.preceding.map((p) => p.number)).toEqual(['F-2026-0010', 'F-2026-0020']);
    expect(m.businessProcess).toBe('S4');
  });

  it('puts line discounts as line allowances so that quantity x price - allowance = net', () => {
    for (const l of invoiceModel(CASES['multi-rate invoice with discounts']!()).lines) {
      expect(Math.round(Number(l.quantity) * l.unitPrice) - l.allowance).toBe(l.net);
    }
  });

  it('exempt micro-entrepreneur: category E with the art. 293 B reason, SIREN as tax registration', () => {
    const m = invoiceModel(CASES['VAT-exempt micro-entrepreneur']!());
    expect(m.vat).toEqual([{ category: 'E', rateBp: 0, base: 90_000, vat: 0, exemptionReason: EXEMPT_REASON, exemptionCode: 'VATEX-FR-FRANCHISE' }]);
    expect(m.seller.taxId).toBe('123456782');
  });

  it('writes the French notes PMT, PMD, AAB and the BAR treatment', () => {
    const codes = (name: string) => invoiceModel(CASES[name]!()).notes.map((n) => n.code);
    expect(codes('deposit').slice(0, 4)).toEqual(['BAR', 'PMT', 'PMD', 'AAB']);
    expect(invoiceModel(CASES['consumer without SIREN']!()).notes[0]).toEqual({ code: 'BAR', text: 'B2C' });
    expect(invoiceModel(CASES['invoice in USD']!()).notes[0]).toEqual({ code: 'BAR', text: 'B2BINT' });
  });

  it('pays by SEPA credit transfer (58) to the IBAN, with the RF reference as remittance information', () => {
    expect(invoiceModel(CASES['deposit']!()).payment).toEqual({ meansCode: '58', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', accountName: 'Atelier Dupont', reference: invoiceReference('F-2026-0043') });
  });

  it('refuses a quote or a draft', () => {
    expect(() => invoiceModel({ ...CASES['deposit']!(), kind: 'quote' })).toThrow(/issued invoice/);
    expect(() => invoiceModel({ ...CASES['deposit']!(), number: null })).toThrow(/issued invoice/);
  });
});
