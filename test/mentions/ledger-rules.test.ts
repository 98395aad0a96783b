/**
 * End to end on real ledgers: a VAT-exempt ledger refuses a line at 5.5 % (exit 2, one line saying
 * the ledger is in franchise and how to change it, nothing written) and its invoice PDF has no VAT
 * column nor "TTC"; a professional client's invoice prints the ECB + 10 rate as a figure.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('a VAT-exempt ledger', () => {
  let sb: Sandbox;
  const ok = (args: string[]) => expectOk(sb, args);
  beforeAll(() => {
    sb = sandbox('relance-exempt-');
    expect(sb.init(['--vat-exempt']).code).toBe(0);
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']);
  });
  afterAll(() => sb.cleanup());

  it('refuses a line at 5.5 %: exit 2, one line, nothing written', () => {
    const before = sb.snapshot();
    const r = sb.run(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500', '--line', 'Livres | 2 | 20 | 5.5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'relance: line 2 (Livres) is at 5.5 % VAT, but the ledger is in franchise en base de TVA (art. 293 B du CGI) and charges none; leave the rate out or give 0, or, if the business now charges VAT, "relance ledger set vat_exempt false"\n',
    );
    expect(sb.snapshot()).toBe(before);
  });

  it('takes lines without a rate or at 0 %, and its PDF shows no VAT column and no TTC', async () => {
    ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500', '--line', 'Livres | 2 | 20 | 0', '--operation', 'services', '--as-of', '2026-03-02']);
    ok(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']);
    const out = path.join(sb.dir, 'f1.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    const text = flat(await pdfText(out));
    expect(text).toContain('Audit 1 500,00 € 500,00 €');
    expect(text).toContain('Livres 2 20,00 € 40,00 €');
    expect(text).toContain('Total 540,00 €');
    expect(text).toContain('TVA non applicable, art. 293 B du CGI');
    expect(text).not.toMatch(/TTC|TVA 0|0 %|Total HT|PU HT/);
  });
});

describe('the penalty rate as a figure', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('relance-penalty-figure-');
    expect(sb.init().code).toBe(0);
    expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']).code).toBe(0);
  });
  afterAll(() => sb.cleanup());
  it('prints "soit 12,15 %" for an invoice of 2026-H1 (ECB 2.15 % on 1 January + 10 points)', async () => {
    expect(sb.run(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--as-of', '2026-03-02']).code).toBe(0);
    expect(sb.run(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']).code).toBe(0);
    const out = path.join(sb.dir, 'f1.pdf');
    expect(sb.run(['invoice', 'pdf', 'F-2026-0001', '--out', out]).code).toBe(0);
    expect(flat(await pdfText(out))).toContain('majoré de 10 points (taux BCE + 10 points, soit 12,15 % pour le 1er semestre 2026)');
  });
});

describe('the delivery address', () => {
  let sb: Sandbox;
  const ok = (args: string[]) => expectOk(sb, args);
  beforeAll(() => {
    sb = sandbox('relance-delivery-');
    expect(sb.init().code).toBe(0);
    // Invoices go to the head office (billing address); the work is done at the site (address).
    ok(['client', 'add', 'SITE', '--name', 'Bâtir SA', '--siren', '552100554', '--address', 'Chantier Foch;10 rue Haute;92200 Neuilly-sur-Seine', '--billing-address', 'Service comptable;5 avenue Foch;75008 Paris']);
    ok(['client', 'add', 'ONE', '--name', 'Une Adresse SARL', '--siren', '732829320', '--address', '3 quai Perrache;69002 Lyon']);
    ok(['invoice', 'new', 'SITE', '--line', 'Travaux | 1 | 5000 | 20', '--operation', 'both', '--as-of', '2026-03-02']);
    ok(['invoice', 'new', 'ONE', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--as-of', '2026-03-02']);
    ok(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']);
    ok(['invoice', 'issue', 'draft-2', '--as-of', '2026-03-02']);
  });
  afterAll(() => sb.cleanup());
  it('is printed when it differs from the billing address, and goes into the e-invoice', async () => {
    const out = path.join(sb.dir, 'f1.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    const text = await pdfText(out);
    // Left column (under the seller), beside the client's billing address on the right.
    expect(text).toMatch(/Adresse de livraison Client\nChantier Foch Bâtir SA\n10 rue Haute\n/);
    expect(text).toContain('92200 Neuilly-sur-Seine');
    expect(text).toContain('5 avenue Foch');
    expect(ok(['invoice', 'xml', 'F-2026-0001']).stdout).toContain('<ram:ShipToTradeParty>');
  });
  it('is not printed when the client has one address', async () => {
    const out = path.join(sb.dir, 'f2.pdf');
    ok(['invoice', 'pdf', 'F-2026-0002', '--out', out]);
    const text = await pdfText(out);
    expect(text).not.toContain('Adresse de livraison');
    expect(text).toContain('3 quai Perrache');
  });
});
