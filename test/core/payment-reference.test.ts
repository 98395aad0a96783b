import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditorReference, invoiceReference, isCreditorReference, printedInvoiceReference, printReference, referenceBody } from '../../src/core/payment-reference.js';

/** The mod 97 of ISO 7064 written the long way (letters to their two digits, the digit string by BigInt). */
const slowCheck = (body: string) => {
  const digits = `${body}RF00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return 98 - Number(BigInt(digits) % 97n);
};

describe('ISO 11649 creditor reference', () => {
  it('computes the check digits of the standard example', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isCreditorReference('rf18539007547034')).toBe(true);
  });
  it('refuses a reference with wrong check digits or body', () => {
    expect(isCreditorReference('RF19539007547034')).toBe(false);
    expect(isCreditorReference('RF18')).toBe(false);
    expect(isCreditorReference('RF18' + '1'.repeat(22))).toBe(false);
  });
  it('derives an invoice reference from its number that checks', () => {
    const ref = invoiceReference('F-2026-0042');
    expect(ref).toMatch(/^RF\d\dF20260042$/);
    expect(isCreditorReference(ref)).toBe(true);
    expect(invoiceReference('f 2026 0042')).toBe(ref);
    expect(printReference(ref)).toBe(`${ref.slice(0, 4)} F202 6004 2`);
    const long = invoiceReference('FACTURE-ATELIER-DUPONT-2026-000042');
    expect(long.length).toBe(25);
    expect(long.endsWith('2026000042')).toBe(true);
    expect(isCreditorReference(long)).toBe(true);
  });
  it('agrees with the IBAN-style check for every short body', () => {
    for (const body of ['A', 'Z9', '0', 'ABCDEFGHIJKLMNOPQRSTU']) {
      expect(isCreditorReference(creditorReference(body))).toBe(true);
    }
    expect(() => creditorReference('')).toThrow(RangeError);
  });
  it('printedInvoiceReference is printReference(invoiceReference(number)), with the check digits of the long computation', () => {
    const number = fc.stringMatching(/^[A-Za-z0-9 /_.-]{1,40}$/).filter((n) => /[A-Za-z0-9]/.test(n));
    fc.assert(
      fc.property(number, (n) => {
        const printed = printedInvoiceReference(n);
        expect(printed).toBe(printReference(invoiceReference(n)));
        const clean = printed.replace(/ /g, '');
        expect(Number(clean.slice(2, 4))).toBe(slowCheck(clean.slice(4)));
        expect(isCreditorReference(printed)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(printedInvoiceReference('F-2026-0042')).toBe(printReference(invoiceReference('F-2026-0042')));
    expect(() => printedInvoiceReference('--')).toThrow(RangeError);
  });
  it('referenceBody is the upper case letters and digits of any text (ASCII by char codes, the rest by toUpperCase)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[a-zA-Z0-9ßéı -]{0,30}$/)), (t) => {
      expect(referenceBody(t)).toBe(t.toUpperCase().replace(/[^0-9A-Z]/g, ''));
    }), { numRuns: 1000 });
  });
});
