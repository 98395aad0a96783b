/**
 * The final invoice (facture de solde): besides the whole sale's VAT, the VAT still due per rate
 * once the deposit invoices are deducted (what an accountant books from this invoice, so the
 * deposits' VAT never counts twice), and the client's PO number taken from its deposits or quote.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';

let sb: Sandbox;
const ok = (args: string[]) => expectOk(sb, args);
const json = <T = any>(args: string[]): T => JSON.parse(ok([...args, '--json']).stdout) as T;

// Quote: 20 %: base 5 580.00, VAT 1 116.00; 5.5 %: base 102.00, VAT 5.61; 6 803.61 incl. VAT.
// Deposit 30 %: 20 %: 1 674.00 + 334.80; 5.5 %: 30.60 + 1.68 (2 041.08).
// Still due: 20 %: 5 580.00 - 1 674.00 = 3 906.00, VAT 1 116.00 - 334.80 = 781.20 (4 687.20);
//            5.5 %: 102.00 - 30.60 = 71.40, VAT 5.61 - 1.68 = 3.93 (75.33); VAT due 785.13; net 4 762.53.
let text = '';
beforeAll(async () => {
  sb = sandbox('relance-final-');
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']);
  ok(['quote', 'new', 'ACME', '--line', 'Développement | 10 | 450 | 20', '--line', 'Formation | 1,5 | 800 | 20 | 10%', '--line', 'Livres | 4 | 25,50 | 5.5', '--date', '2026-03-01', '--operation', 'both']);
  ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
  const dep = json(['deposit', 'D-2026-0001', '--percent', '30', '--po', 'PO-7781', '--as-of', '2026-03-03']);
  ok(['invoice', 'issue', dep.ref, '--date', '2026-03-03']);
  const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-04-30']);
  ok(['invoice', 'issue', fin.ref, '--date', '2026-04-30']);
  const out = path.join(sb.dir, 'solde.pdf');
  ok(['invoice', 'pdf', 'F-2026-0002', '--out', out]);
  text = (await pdfText(out)).replace(/\s+/g, ' ');
});
afterAll(() => sb.cleanup());

describe('final invoice', () => {
  it('shows the whole sale VAT, named as such, and the VAT still due per rate after the deposits', () => {
    expect(text).toContain("Total TVA de l'opération 1 121,61 €");
    expect(text).toContain('TVA restant due après déduction des acomptes');
    expect(text).toContain('20 % 3 906,00 € 781,20 € 4 687,20 €');
    expect(text).toContain('5,5 % 71,40 € 3,93 € 75,33 €');
    expect(text).toContain('Net à payer 4 762,53 €');
    expect(text).toContain('dont TVA restant due 785,13 €');
    expect(text).not.toContain('Total TVA 1 121,61');
  });
  it("takes the PO number of its deposit when it has none of its own", () => {
    expect(json(['invoice', 'show', 'F-2026-0002']).poNumber).toBe('PO-7781');
    expect(text).toContain('Bon de commande : PO-7781');
  });
  it('its own PO number wins', () => {
    ok(['quote', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20', '--date', '2026-05-01', '--operation', 'services']);
    ok(['quote', 'accept', 'D-2026-0002', '--signed-by', 'J. Martin', '--date', '2026-05-02']);
    const dep = json(['deposit', 'D-2026-0002', '--percent', '50', '--po', 'PO-1', '--as-of', '2026-05-03']);
    ok(['invoice', 'issue', dep.ref, '--date', '2026-05-03']);
    const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0002', '--po', 'PO-2', '--as-of', '2026-05-30']);
    expect(fin.poNumber).toBe('PO-2');
  });
});
