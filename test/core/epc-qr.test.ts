import { describe, expect, it } from 'vitest';
import { epcPayload, parseEpcPayload } from '../../src/core/epc-qr.js';
import { invoiceReference } from '../../src/core/payment-reference.js';

const base = { bic: 'AGRIFRPP', name: 'Atelier Dupont', iban: 'FR76 3000 6000 0112 3456 7890 189', amount: 123_456, reference: invoiceReference('F-2026-0042') };

describe('EPC QR payload (EPC069-12 version 002)', () => {
  it('writes the twelve-line SCT layout, structured reference in line 10, trailing empty lines dropped', () => {
    expect(epcPayload(base)!.split('\n')).toEqual(['BCD', '002', '1', 'SCT', 'AGRIFRPP', 'Atelier Dupont', 'FR7630006000011234567890189', 'EUR1234.56', '', invoiceReference('F-2026-0042')]);
  });

  it('puts free text in line 11 only when there is no structured reference, and leaves the BIC and amount empty when unknown', () => {
    const p = epcPayload({ ...base, bic: null, amount: null, reference: null, text: 'F-2026-0001 F-2026-0002' })!;
    expect(p.split('\n')).toEqual(['BCD', '002', '1', 'SCT', '', 'Atelier Dupont', 'FR7630006000011234567890189', '', '', '', 'F-2026-0001 F-2026-0002']);
    expect(parseEpcPayload(p)).toEqual({ bic: null, name: 'Atelier Dupont', iban: 'FR7630006000011234567890189', currency: 'EUR', amount: null, reference: null, text: 'F-2026-0001 F-2026-0002' });
  });

  it('reads back what it writes', () => {
    expect(parseEpcPayload(epcPayload(base)!)).toEqual({ ...base, iban: 'FR7630006000011234567890189', currency: 'EUR', text: null });
    expect(parseEpcPayload('hello')).toBeNull();
  });

  it('makes no code for another currency, an amount out of range, a bad IBAN, or more than 331 bytes', () => {
    expect(epcPayload(base, 'USD')).toBeNull();
    expect(epcPayload({ ...base, amount: 0 })).toBeNull();
    expect(epcPayload({ ...base, amount: 100_000_000_000 })).toBeNull();
    expect(epcPayload({ ...base, iban: 'not an iban' })).toBeNull();
    expect(epcPayload({ ...base, amount: 1 })!.split('\n')[7]).toBe('EUR0.01');
    // Names are clipped to 70 characters, free text to 140; past 331 bytes (UTF-8) there is no code.
    const long = epcPayload({ ...base, name: 'N'.repeat(100), reference: null, text: 't'.repeat(200) })!;
    expect(long.split('\n')[5]).toBe('N'.repeat(70));
    expect(long.split('\n')[10]).toBe('t'.repeat(140));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(331);
    expect(epcPayload({ ...base, name: 'é'.repeat(70), reference: null, text: 'ü'.repeat(140) })).toBeNull();
  });
});
