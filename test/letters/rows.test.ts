/** The invoice table of letters and collection files: an instalment reads "échéance n° 2", not "(2)". */
import { describe, expect, it } from 'vitest';
import { invoiceRows } from '../../src/render/letter-pdf.js';
import { sampleContext } from '../../src/dunning/sample.js';
import { DEFAULT_POLICY } from '../../src/core/dunning.js';
import { courtForm, dossierDate } from '../../src/render/collection.js';
import type { Settings } from '../../src/store/settings.js';

const settings = { currency: 'EUR', 'business.name': 'Atelier', 'business.email': 'a@example.fr', 'business.iban': null, 'business.bic': null, 'payment_link.pattern': null } as unknown as Settings;

describe('invoice rows', () => {
  it('an instalment of a payment plan is named as such, in each language', () => {
    for (const [lang, word] of [['fr', 'échéance n° 2'], ['en', 'instalment no. 2']] as const) {
      const ctx = sampleContext(lang, settings, '2026-03-17', DEFAULT_POLICY);
      ctx.invoices[1]!.instalment = 2;
      const { rows } = invoiceRows(ctx);
      expect(rows[1]![0]).toBe(`${ctx.invoices[1]!.number}\n${word}`);
      expect(rows[1]![0]).not.toContain('(2)');
      expect(rows[0]![0]).toBe(ctx.invoices[0]!.number);
    }
  });

  it('the court form follows the debtor: one, never both', () => {
    expect(courtForm(true)).toEqual({ cerfa: '12948', court: 'tribunal judiciaire' });
    expect(courtForm(false)).toEqual({ cerfa: '12946', court: 'tribunal de commerce' });
  });

  it('one date format in the collection file', () => {
    expect(dossierDate('2026-03-05')).toBe('05/03/2026');
    expect(dossierDate('2026-03-02T14:30:00+01:00')).toBe('02/03/2026 14:30');
  });
});
