/**
 * Quotes, deposits and the final invoice, end to end as a new user would go: a client, a quote of
 * three lines at two VAT rates, accepted, a 30 % deposit, the final invoice and its PDF. Every
 * amount is checked against the hand computation written next to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { overlaps, pdfText, pdfTextBoxes } from '../helpers/pdf.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox('relance-docs-');
  const r = sb.init(['--legal-form', 'SARL au capital de 8 000 EUR', '--rcs', 'RCS Lyon', '--bic', 'AGRIFRPP', '--payment-link', 'https://pay.example/{number}']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => sb.cleanup());

const ok = (args: string[]) => expectOk(sb, args);
function json<T = any>(args: string[]): T {
  return JSON.parse(ok([...args, '--json']).stdout) as T;
}

// Hand computation of the quote:
//   Développement 10 x 450.00            = 4 500.00 at 20 %
//   Formation 1.5 x 800.00 = 1 200.00 - 10 % = 1 080.00 at 20 %
//   Livres 4 x 25.50                     =   102.00 at 5.5 %
//   20 %: base 5 580.00, VAT 1 116.00 ; 5.5 %: base 102.00, VAT 5.61 (5.61 exactly)
//   total excl. VAT 5 682.00, VAT 1 121.61, incl. VAT 6 803.61
// Deposit 30 % of 6 803.61 = 2 041.083 -> 2 041.08, split in proportion to each rate's amount incl. VAT:
//   20 %: 2 041.08 x 6 696.00 / 6 803.61 = 2 008.80 -> base 1 674.00 + VAT 334.80
//   5.5 %: 2 041.08 - 2 008.80 = 32.28 -> base 30.60 + VAT 1.68 (30.60 x 5.5 % = 1.683)
// Final invoice: 6 803.61 - 2 041.08 = 4 762.53 net due.
const QUOTE_LINES = ['--line', 'Développement | 10 | 450 | 20', '--line', 'Formation | 1,5 | 800 | 20 | 10%', '--line', 'Livres | 4 | 25,50 | 5.5'];

describe('a new user: quote, acceptance, deposit, final invoice', () => {
  it('computes every amount as by hand, and the PDF shows the deposit deducted and the net due', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'compta@acme.example', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris', '--contact', 'Service comptabilite']);

    const q = json(['quote', 'new', 'ACME', ...QUOTE_LINES, '--deposit', '30', '--date', '2026-03-01', '--operation', 'both']);
    expect(q.number).toBe('D-2026-0001');
    expect(q.lines.map((l: any) => l.net)).toEqual(['4500.00', '1080.00', '102.00']);
    expect(q.vat).toEqual([
      { rate: '20', base: '5580.00', vat: '1116.00', gross: '6696.00' },
      { rate: '5.5', base: '102.00', vat: '5.61', gross: '107.61' },
    ]);
    expect([q.totalNet, q.totalVat, q.totalGross]).toEqual(['5682.00', '1121.61', '6803.61']);
    expect(q.validUntil).toBe('2026-03-31');
    expect(q.status).toBe('open');

    const accepted = json(['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
    expect(accepted).toMatchObject({ status: 'accepted', acceptedOn: '2026-03-02', acceptedBy: 'Jeanne Martin' });

    const dep = json(['deposit', 'D-2026-0001', '--percent', '30', '--as-of', '2026-03-03']);
    expect(dep).toMatchObject({ kind: 'deposit', number: null, ref: expect.stringMatching(/^draft-\d+$/), quote: 'D-2026-0001' });
    expect(dep.vat).toEqual([
      { rate: '20', base: '1674.00', vat: '334.80', gross: '2008.80' },
      { rate: '5.5', base: '30.60', vat: '1.68', gross: '32.28' },
    ]);
    expect(dep.totalGross).toBe('2041.08');

    const issuedDep = json(['invoice', 'issue', dep.ref, '--date', '2026-03-03']);
    expect(issuedDep).toMatchObject({ number: 'F-2026-0001', issueDate: '2026-03-03', dueDate: '2026-03-03', amountDue: '2041.08', status: 'open' });

    const depPdf = path.join(sb.dir, 'acompte.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', depPdf]);
    const depText = (await pdfText(depPdf)).replace(/\s+/g, ' ');
    expect(depText).toContain("FACTURE D'ACOMPTE");
    expect(depText).toContain('N° F-2026-0001');
    // The description wraps in its column: "... du" [qty, price, VAT, net] "01/03/2026 (part à 20 % de TVA)".
    expect(depText).toContain('Acompte de 30 % sur le devis D-2026-0001 du 1 1 674,00 € 20 % 1 674,00 € 01/03/2026 (part à 20 % de TVA)');
    expect(depText).toContain('Acompte de 30 % sur le devis D-2026-0001 du 1 30,60 € 5,5 % 30,60 € 01/03/2026 (part à 5,5 % de TVA)');
    expect(depText).toContain('20 % 1 674,00 € 334,80 € 2 008,80 €');
    expect(depText).toContain('5,5 % 30,60 € 1,68 € 32,28 €');
    expect(depText).toContain('Net à payer 2 041,08 €');
    expect(depText).toContain("Date d'échéance : 03/03/2026 (à réception)");

    const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-04-30']);
    expect(fin.kind).toBe('final');
    const final = json(['invoice', 'issue', fin.ref, '--date', '2026-04-30']);
    expect(final).toMatchObject({
      number: 'F-2026-0002',
      kind: 'final',
      issueDate: '2026-04-30',
      dueDate: '2026-05-30', // ledger terms: 30 days net
      totalNet: '5682.00',
      totalVat: '1121.61',
      totalGross: '6803.61',
      deductedGross: '2041.08',
      amountDue: '4762.53',
      balance: '4762.53',
      status: 'open',
      paymentLink: 'https://pay.example/F-2026-0002',
    });
    expect(final.lines.map((l: any) => l.description)).toEqual(['Développement', 'Formation', 'Livres']);
    expect(final.deductions).toEqual([
      { deposit: 'F-2026-0001', date: '2026-03-03', rate: '20', base: '1674.00', vat: '334.80', gross: '2008.80' },
      { deposit: 'F-2026-0001', date: '2026-03-03', rate: '5.5', base: '30.60', vat: '1.68', gross: '32.28' },
    ]);
    expect(json(['quote', 'show', 'D-2026-0001'])).toMatchObject({ status: 'invoiced', deposits: ['F-2026-0001'], invoice: 'F-2026-0002' });

    const out = path.join(sb.dir, 'solde.pdf');
    const r = ok(['invoice', 'pdf', 'F-2026-0002', '--out', out]);
    expect(r.stdout).toContain(out);
    expect(r.stderr).toBe(''); // every mandatory mention is known
    // A client without an address: the PDF is written, with a warning naming what is missing.
    ok(['client', 'add', 'NOADDR', '--name', 'No Address SA']);
    const bare = json(['invoice', 'new', 'NOADDR', '--line', 'Audit | 1 | 100 | 20']);
    const warned = ok(['invoice', 'pdf', bare.ref, '--out', path.join(sb.dir, 'bare.pdf')]);
    expect(warned.stderr).toMatch(/^warning: draft-\d+: the PDF lacks mandatory mentions: the client's billing address \(relance client edit NOADDR --address \.\.\.\); the professional client's SIREN \(relance client edit NOADDR --siren 123456789\); the nature of the operation \(goods, services or both\) \(relance invoice edit draft-\d+ --operation services\)$/m);
    const text = await pdfText(out);
    // The deposit deducted, per rate, and the net due.
    expect(text).toContain('FACTURE DE SOLDE');
    expect(text).toContain('N° F-2026-0002');
    expect(text).toContain('F-2026-0001 03/03/2026 20 % 1 674,00 € 334,80 € 2 008,80 €');
    expect(text).toContain('F-2026-0001 03/03/2026 5,5 % 30,60 € 1,68 € 32,28 €');
    expect(text).toContain('Total des acomptes TTC - 2 041,08 €');
    expect(text).toContain('Net à payer 4 762,53 €');
    // Lines, VAT per rate and totals.
    expect(text).toContain('Formation 1,5 800,00 € 10 % 20 % 1 080,00 €');
    expect(text).toContain('20 % 5 580,00 € 1 116,00 € 6 696,00 €');
    expect(text).toContain('5,5 % 102,00 € 5,61 € 107,61 €');
    expect(text).toContain('Total HT 5 682,00 €');
    expect(text).toContain("Total TVA de l'opération 1 121,61 €"); // the whole sale's; what is still due per rate follows the deposits
    expect(text).toContain('Total TTC 6 803,61 €');
    // Every mandatory mention (french-rules.md section 3).
    for (const mention of [
      'Atelier Dupont',
      'SARL au capital de 8 000 EUR',
      'SIREN 732829320 - RCS Lyon',
      'N° TVA intracommunautaire : FR44732829320',
      'ACME SAS',
      '1 rue de la Paix',
      '75002 Paris',
      'Date : 30/04/2026',
      "Date d'échéance : 30/05/2026",
      'Devis : D-2026-0001 du 01/03/2026',
      "Pas d'escompte pour paiement anticipé.",
      'Banque centrale européenne',
      'majoré de 10 points',
      'Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 €',
      'IBAN FR76 3000 6000 0112 3456 7890 189 - BIC AGRIFRPP',
      'https://pay.example/F-2026-0002',
    ]) {
      expect(text.replace(/\n/g, ' ')).toContain(mention);
    }
    expect(text).not.toContain('293 B');
    // Nature of the operation (inherited from the quote); the long phrase wraps in its column.
    expect(text.replace(/\n/g, ' ')).toMatch(/Nature de l'opération : livraison de biens et .*prestation .*de .*services/);
    // A clean layout: no two pieces of text on top of each other, everything inside the A4 page.
    const boxes = await pdfTextBoxes(out);
    expect(overlaps(boxes)).toEqual([]);
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(49);
      expect(b.x + b.width).toBeLessThanOrEqual(595.28 - 49);
      expect(b.y).toBeGreaterThan(20);
      expect(b.y + b.height).toBeLessThan(841.89 - 40);
    }
  });

  it('the quote PDF carries its validity, the deposit asked and the "bon pour accord"', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '1 rue de la Paix;75002 Paris']);
    ok(['quote', 'new', 'ACME', ...QUOTE_LINES, '--deposit', '30', '--date', '2026-03-01', '--validity', '15']);
    const out = path.join(sb.dir, 'devis.pdf');
    ok(['quote', 'pdf', 'D-2026-0001', '--out', out]);
    let text = await pdfText(out);
    expect(text).toContain('DEVIS');
    expect(text).toContain("Valable jusqu'au : 16/03/2026");
    expect(text).toContain('Acompte demandé à la commande : 30 %');
    expect(text).toContain('Bon pour accord');
    ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
    ok(['quote', 'pdf', 'D-2026-0001', '--out', out]);
    text = await pdfText(out);
    expect(text).toContain('Bon pour accord signé le 02/03/2026 par Jeanne Martin.');
  });

  it('an English, VAT-exempt PDF for a consumer: art. 293 B, early-payment terms, legal interest and no 40 EUR sentence', async () => {
    const other = sandbox('relance-docs-exempt-');
    try {
      expect(other.init(['--vat-exempt', '--penalty-rate', '15']).code).toBe(0);
      other.run(['ledger', 'set', 'early_discount', '2 % for payment within 8 days']);
      expect(other.run(['client', 'add', 'JOHN', '--name', 'John Smith', '--b2c', '--lang', 'en', '--address', '5 Baker Street;London']).code).toBe(0);
      const refused = other.run(['invoice', 'new', 'JOHN', '--line', 'Portrait | 1 | 350 | 20', '--json']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^relance: line 1 \(Portrait\) is at 20 % VAT, but the ledger is in franchise en base de TVA \(art\. 293 B du CGI\).*relance ledger set vat_exempt false"\n$/);
      const created = other.run(['invoice', 'new', 'JOHN', '--line', 'Portrait | 1 | 350', '--json']);
      expect(created.code, created.stderr).toBe(0);
      const inv = JSON.parse(created.stdout);
      expect([inv.totalNet, inv.totalVat, inv.totalGross]).toEqual(['350.00', '0.00', '350.00']);
      expect(other.run(['invoice', 'issue', inv.ref, '--date', '2026-02-10']).code).toBe(0);
      const out = path.join(other.dir, 'inv.pdf');
      expect(other.run(['invoice', 'pdf', 'F-2026-0001', '--out', out]).code).toBe(0);
      const text = (await pdfText(out)).replace(/\n/g, ' ');
      expect(text).toContain('INVOICE');
      expect(text).toContain('Bill to');
      expect(text).toContain('TVA non applicable, art. 293 B du CGI');
      expect(text).toContain('Early-payment discount: 2 % for payment within 8 days');
      expect(text).toContain('Due date: 2026-03-12');
      expect(text).toContain('Total €350.00');
      expect(text).toContain('interest at the statutory rate may be claimed after formal notice');
      expect(text).not.toContain('€40');
      expect(text).not.toContain('Total VAT');
    } finally {
      other.cleanup();
    }
  });

  it('a professional client with a contractual rate gets that rate on its PDF', async () => {
    ok(['ledger', 'set', 'penalty.mode', 'contract']);
    ok(['ledger', 'set', 'penalty.rate_bp', '1500']);
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    const inv = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20']);
    ok(['invoice', 'issue', inv.ref, '--date', '2026-02-10']);
    const out = path.join(sb.dir, 'a.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    const text = (await pdfText(out)).replace(/\n/g, ' ');
    expect(text).toContain('Pénalités de retard : 15 % par an');
    expect(text).toContain('40 €');
  });
});

describe('PDF layout', () => {
  it('a long invoice runs over pages with the table header repeated and "page/pages" in every footer', async () => {
    ok(['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--lang', 'en', '--po-required', '--address', '10 Downing Street;London SW1A 2AA;United Kingdom']);
    const lines = Array.from({ length: 70 }, (_, i) => ['--line', `Support ticket #${i + 1}, a description long enough to wrap onto a second line in the table | 1 | 10 | 20`]).flat();
    const inv = json(['invoice', 'new', 'GLOBEX', ...lines, '--po', 'PO-4500012345']);
    ok(['invoice', 'issue', inv.ref, '--date', '2026-02-10']);
    const out = path.join(sb.dir, 'long.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    const text = await pdfText(out);
    const pages = text.split('\f');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      expect(p).toContain(`${i + 1}/${pages.length}`);
      if (p.includes('Support ticket')) expect(p).toMatch(/^Description Qty Unit price excl\./m);
    });
    expect(text).toContain('Purchase order: PO-4500012345');
    expect(text).toContain('Support ticket #70');
    // 70 x 10.00 = 700.00, VAT 140.00
    expect(text).toContain('Total incl. VAT €840.00');
    expect(overlaps(await pdfTextBoxes(out))).toEqual([]);
  });
});

describe('deposits', () => {
  beforeEach(() => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 10000 | 10', '--line', 'Matériel | 1 | 2000 | 20', '--date', '2026-01-05']);
    ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'M. Durand', '--date', '2026-01-06']);
  });

  it('by amount incl. VAT, split in proportion to each rate; several deposits are all deducted', () => {
    // Quote: 10 000 at 10 % (11 000 incl. VAT), 2 000 at 20 % (2 400): total 13 400.
    // 1 340 incl. VAT: 1 100 at 10 % (base 1 000) and 240 at 20 % (base 200).
    const d1 = json(['deposit', 'D-2026-0001', '--amount', '1340', '--issue', '--date', '2026-01-07']);
    expect(d1).toMatchObject({ number: 'F-2026-0001', totalGross: '1340.00' });
    expect(d1.vat).toEqual([
      { rate: '20', base: '200.00', vat: '40.00', gross: '240.00' },
      { rate: '10', base: '1000.00', vat: '100.00', gross: '1100.00' },
    ]);
    // 50 % of 13 400 = 6 700: 5 500 at 10 % (base 5 000), 1 200 at 20 % (base 1 000).
    const d2 = json(['deposit', 'D-2026-0001', '--percent', '50', '--issue', '--date', '2026-02-01']);
    expect(d2).toMatchObject({ number: 'F-2026-0002', totalGross: '6700.00' });
    const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-03-01']);
    const final = json(['invoice', 'issue', fin.ref, '--date', '2026-03-01']);
    // 13 400 - 1 340 - 6 700 = 5 360
    expect(final).toMatchObject({ number: 'F-2026-0003', totalGross: '13400.00', deductedGross: '8040.00', amountDue: '5360.00' });
    expect(final.deductions.map((x: any) => [x.deposit, x.rate, x.base, x.vat])).toEqual([
      ['F-2026-0001', '20', '200.00', '40.00'],
      ['F-2026-0001', '10', '1000.00', '100.00'],
      ['F-2026-0002', '20', '1000.00', '200.00'],
      ['F-2026-0002', '10', '5000.00', '500.00'],
    ]);
  });

  it('a cancelled deposit is not deducted by the final invoice', () => {
    ok(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-01-07']);
    ok(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-01-08', '--reason', 'wrong amount']);
    const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-03-01']);
    expect(fin).toMatchObject({ kind: 'invoice', deductedGross: '0.00', amountDue: '13400.00' });
  });

  it('uses the deposit the quote asks when neither --percent nor --amount is given', () => {
    ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--deposit', '40', '--date', '2026-01-05']);
    ok(['quote', 'accept', 'D-2026-0002', '--signed-by', 'M. Durand', '--date', '2026-01-06']);
    expect(json(['deposit', 'D-2026-0002', '--as-of', '2026-01-07']).totalGross).toBe('480.00'); // 40 % of 1 200
  });
});

describe('invoices: drafts, status, disputes, credit notes', () => {
  beforeEach(() => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--terms', '45', '--terms-kind', '45eom-eom-then-add']);
  });

  it('drafts are edited and deleted by draft-N; issued ones are not', () => {
    const a = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500 | 20', '--as-of', '2026-01-10']);
    const edited = json(['invoice', 'edit', a.ref, '--line', 'Audit | 2 | 500 | 20', '--po', 'PO-1']);
    expect(edited).toMatchObject({ ref: a.ref, totalGross: '1200.00', poNumber: 'PO-1' });
    const list = ok(['invoice', 'list', '--status', 'draft', '--as-of', '2026-01-10']).stdout;
    expect(list).toContain(a.ref);
    ok(['invoice', 'delete', a.ref]);
    expect(sb.run(['invoice', 'show', a.ref]).code).toBe(2);
  });

  it('the due date follows the client\'s terms, by name', () => {
    const a = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 500 | 20']);
    // 45 days end of month, "end of month then + 45 days": 31 Jan + 45 = 17 March.
    expect(json(['invoice', 'issue', a.ref, '--date', '2026-01-15']).dueDate).toBe('2026-03-17');
  });

  it('warns (without refusing) when terms exceed the legal maximum between professionals', () => {
    ok(['client', 'add', 'SLOW', '--name', 'Slow SA', '--terms', '90']);
    const a = json(['invoice', 'new', 'SLOW', '--line', 'Audit | 1 | 500 | 20']);
    const r = sb.run(['invoice', 'issue', a.ref, '--date', '2026-01-15']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: F-2026-0001: terms of 90 days net exceed the legal maximum between professionals/m);
    expect(r.stdout).toContain('due 2026-04-15');
  });

  it('status is derived from allocations and credit notes as of a date; disputes have an end date', () => {
    const a = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20']);
    ok(['invoice', 'issue', a.ref, '--date', '2026-01-15']);
    // Payments are another module's: record one the way it does, straight into the ledger.
    const db = new Database(sb.ledger);
    const client = db.prepare("SELECT id FROM clients WHERE code = 'ACME'").get() as { id: number };
    const doc = db.prepare("SELECT id FROM documents WHERE number = 'F-2026-0001'").get() as { id: number };
    const pay = db.prepare("INSERT INTO payments (client_id, date, amount, created_at) VALUES (?, '2026-02-01', 50000, 'now')").run(client.id);
    db.prepare("INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, '2026-02-01', 50000)").run(pay.lastInsertRowid, doc.id);
    db.close();
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-01-31'])).toMatchObject({ status: 'open', balance: '1200.00' });
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-02-01'])).toMatchObject({ status: 'partially paid', paid: '500.00', balance: '700.00' });

    ok(['invoice', 'dispute', 'F-2026-0001', '--reason', 'Livraison incomplète', '--date', '2026-02-05', '--until', '2026-02-28']);
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-02-10']).disputed).toEqual({ since: '2026-02-05', reason: 'Livraison incomplète', until: '2026-02-28' });
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-03-01']).disputed).toBeNull();
    expect(json(['invoice', 'list', '--status', 'disputed', '--as-of', '2026-02-10']).map((d: any) => d.number)).toEqual(['F-2026-0001']);
    ok(['invoice', 'undispute', 'F-2026-0001']);
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-02-10']).disputed).toBeNull();

    // Cancel: the credit note is for what remains (700.00 incl. VAT), in the same sequence.
    const credit = json(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-03-02']);
    expect(credit).toMatchObject({ number: 'F-2026-0002', kind: 'credit_note', cancels: 'F-2026-0001', totalGross: '700.00', totalNet: '583.33', totalVat: '116.67' });
    expect(json(['invoice', 'show', 'F-2026-0001', '--as-of', '2026-03-02'])).toMatchObject({ status: 'cancelled', balance: '0.00', creditNotes: ['F-2026-0002'] });
    const pdf = path.join(sb.dir, 'avoir.pdf');
    ok(['invoice', 'pdf', 'F-2026-0002', '--out', pdf]);
    return pdfText(pdf).then((text) => {
      expect(text).toContain('AVOIR');
      expect(text).toContain('Avoir sur la facture : F-2026-0001 du 15/01/2026');
      expect(text).toContain("Montant de l'avoir TTC 700,00 €");
    });
  });

  it('lists by client, status and period', () => {
    ok(['client', 'add', 'BETA', '--name', 'Beta SARL']);
    for (const [c, d] of [['ACME', '2026-01-10'], ['BETA', '2026-02-10'], ['ACME', '2026-03-10']] as const) {
      const a = json(['invoice', 'new', c, '--line', 'Audit | 1 | 100 | 20']);
      ok(['invoice', 'issue', a.ref, '--date', d]);
    }
    expect(json(['invoice', 'list', '--client', 'ACME']).map((d: any) => d.number)).toEqual(['F-2026-0001', 'F-2026-0003']);
    expect(json(['invoice', 'list', '--from', '2026-02-01', '--to', '2026-02-28']).map((d: any) => d.number)).toEqual(['F-2026-0002']);
    expect(json(['invoice', 'list', '--status', 'open', '--as-of', '2026-03-31'])).toHaveLength(3);
    const table = ok(['invoice', 'list', '--as-of', '2026-03-31']).stdout;
    expect(table).toMatch(/F-2026-0002 .*BETA .*2026-02-10/);
  });

  it('reads lines from a CSV file and from a JSON file', () => {
    fs.writeFileSync(path.join(sb.dir, 'l.csv'), 'description;quantity;unit_price;vat;discount\nConseil;1,5;800;20;10%\nLivres;2;12,50;5,5;\n');
    fs.writeFileSync(path.join(sb.dir, 'l.json'), JSON.stringify([{ description: 'Conseil', quantity: 2, unit_price: '100', vat: 10 }]));
    const a = json(['invoice', 'new', 'ACME', '--lines', 'l.csv']);
    // 1.5 x 800 - 10 % = 1 080 (VAT 216) ; 2 x 12.50 = 25 (VAT 1.375 -> 1.38)
    expect([a.totalNet, a.totalVat, a.totalGross]).toEqual(['1105.00', '217.38', '1322.38']);
    const b = json(['invoice', 'new', 'ACME', '--lines', 'l.json']);
    expect([b.totalNet, b.totalVat, b.totalGross]).toEqual(['200.00', '20.00', '220.00']);
  });
});
