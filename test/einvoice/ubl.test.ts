/**
 * UBL 2.1 output of every kind of invoice against the EN 16931 UBL rules and the French BR-FR UBL
 * rules (no fatal failed assert), after checking that those rules do reject a broken invoice.
 */
import { describe, expect, it } from 'vitest';
import { invoiceModel } from '../../src/einvoice/model.js';
import { toUbl } from '../../src/einvoice/ubl.js';
import { invoiceReference } from '../../src/core/payment-reference.js';
import { CASES } from './fixtures.js';
import { fatal, schematron } from './validators.js';

// Heavy checks (Saxon, pdftoppm, spawning bin/relance): seconds each alone, far more on a loaded machine.
const SLOW = 180_000;

describe('the UBL validator set-up', { timeout: SLOW }, () => {
  it('rejects an invoice without its seller name, its notes or its totals', async () => {
    const xml = toUbl(invoiceModel(CASES['deposit']!()))
      .replace(/<cac:PartyName><cbc:Name>Atelier Dupont<\/cbc:Name><\/cac:PartyName>/, '')
      .replace(/<cbc:RegistrationName>Atelier Dupont<\/cbc:RegistrationName>/, '')
      .replace(/<cbc:Note>#PMT#[^<]*<\/cbc:Note>/, '')
      .replace(/<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, '');
    const en = fatal(await schematron('ubl', xml));
    expect(en.some((f) => f.includes('BR-06'))).toBe(true);
    expect(en.some((f) => f.includes('BR-15'))).toBe(true);
    expect(fatal(await schematron('ublFr', xml)).some((f) => f.startsWith('BR-FR-05'))).toBe(true);
  });
});

describe.each(Object.keys(CASES))('UBL: %s', { timeout: SLOW }, (name) => {
  it('passes the EN 16931 and BR-FR UBL rules', async () => {
    const d = CASES[name]!();
    const xml = toUbl(invoiceModel(d));
    expect(fatal(await schematron('ubl', xml))).toEqual([]);
    expect(fatal(await schematron('ublFr', xml))).toEqual([]);
    expect(xml).toContain(d.kind === 'credit_note' ? '<CreditNote xmlns=' : '<Invoice xmlns=');
    expect(xml).toContain(`<cbc:PaymentID>${invoiceReference(d.number!)}</cbc:PaymentID>`);
    expect(xml).toContain('<cbc:Note>#PMT#');
    expect(xml).toContain('<cbc:Note>#PMD#');
    expect(xml).toContain('<cbc:Note>#AAB#');
  });
});
