/**
 * The documents area in both languages (issue 20 §1), end to end with bin/relance: the main flow of
 * a freelancer (client, quote, acceptance, deposit, final invoice, issue, list, show, PDF, send to
 * the outbox, platform status, dispute, payment, cancel by credit note, refusals) run once under
 * LANG=fr_FR.UTF-8 and once under LANG=en_US.UTF-8 on two ledgers made the same way. The French run
 * speaks French (money as 1 234,56 €, no English catalogue phrase left), takes French status words in
 * the filters, and prints the very same --json as the English run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';

type Lang = 'fr' | 'en';
const LOCALE: Record<Lang, string> = { fr: 'fr_FR.UTF-8', en: 'en_US.UTF-8' };
// A fixed instant: the records' timestamps are the same in both runs, so their JSON can be compared.
const NOW = '2026-03-01T09:00:00Z';

interface Flow {
  sb: Sandbox;
  out: Record<string, RunResult>;
}
const flows = {} as Record<Lang, Flow>;

/** The flow, step by step; every step's result kept by name (the tests below read them). */
function runFlow(lang: Lang): Flow {
  const sb = sandbox(`relance-i18n-docs-${lang}-`);
  const out: Record<string, RunResult> = {};
  const run = (name: string, args: string[]) => (out[name] = sb.run(args, { env: { LANG: LOCALE[lang], RELANCE_NOW: NOW } }));
  const init = sb.init(['--siren', '732829320', '--vat-number', 'FR44732829320', '--address', '12 rue des Lilas;69003 Lyon']);
  expect(init.code, init.stderr).toBe(0);
  run('clientAdd', ['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']);
  run('clientList', ['client', 'list']);
  run('clientShow', ['client', 'show', 'ACME', '--as-of', '2026-03-01']);
  run('quoteNew', ['quote', 'new', 'ACME', '--line', 'Développement | 10 | 450 | 20', '--line', 'Livres | 4 | 25 | 5.5', '--deposit', '30', '--operation', 'services', '--date', '2026-03-01']);
  run('quoteList', ['quote', 'list', '--status', lang === 'fr' ? 'en attente' : 'open', '--as-of', '2026-03-01']);
  run('quoteAccept', ['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
  run('quoteAcceptAgain', ['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
  run('quoteListAccepted', ['quote', 'list', '--status', lang === 'fr' ? 'accepté' : 'accepted', '--as-of', '2026-03-02']);
  run('deposit', ['deposit', 'D-2026-0001', '--issue', '--date', '2026-03-03']);
  run('finalNew', ['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-03-31']);
  run('finalIssue', ['invoice', 'issue', 'draft-3', '--date', '2026-03-31']);
  run('invoiceNew', ['invoice', 'new', 'ACME', '--line', 'Audit | 2 | 617,28 | 20', '--operation', 'services', '--as-of', '2026-04-01']);
  run('invoiceIssue', ['invoice', 'issue', 'draft-4', '--date', '2026-04-01']);
  run('invoiceList', ['invoice', 'list', '--as-of', '2026-04-02']);
  run('invoiceShow', ['invoice', 'show', 'F-2026-0002', '--as-of', '2026-04-02']);
  run('invoicePdf', ['invoice', 'pdf', 'F-2026-0002', '--out', 'solde.pdf']);
  run('sendDry', ['invoice', 'send', 'F-2026-0002', '--dry-run', '--as-of', '2026-04-02']);
  run('send', ['invoice', 'send', 'F-2026-0002', '--as-of', '2026-04-02']);
  run('sendAgain', ['invoice', 'send', 'F-2026-0002', '--as-of', '2026-04-02']);
  run('pay', ['pay', 'F-2026-0001', '--date', '2026-04-03']);
  run('listPaid', ['invoice', 'list', '--status', lang === 'fr' ? 'payée' : 'paid', '--as-of', '2026-04-03']);
  run('dispute', ['invoice', 'dispute', 'F-2026-0002', '--reason', 'Livraison incomplète', '--date', '2026-04-04']);
  run('listDisputed', ['invoice', 'list', '--status', lang === 'fr' ? 'contestée' : 'disputed', '--as-of', '2026-04-04']);
  run('undispute', ['invoice', 'undispute', 'F-2026-0002']);
  run('status', ['invoice', 'status', 'F-2026-0002', 'refused', '--reason', 'BC manquant', '--date', '2026-04-05']);
  run('showStatus', ['invoice', 'show', 'F-2026-0002', '--as-of', '2026-04-05']);
  run('cancel', ['invoice', 'cancel', 'F-2026-0003', '--date', '2026-04-06', '--reason', 'Erreur']);
  run('unknownClient', ['invoice', 'new', 'NOPE', '--line', 'x | 1 | 1 | 20']);
  run('unknownInvoice', ['invoice', 'show', 'F-2099-0001']);
  run('badStatus', ['invoice', 'list', '--status', 'bidule']);
  run('helpIssue', ['invoice', 'issue', '--help']);
  run('helpClientAdd', ['client', 'add', '--help']);
  for (const [name, args] of [
    ['jsonClients', ['client', 'list']],
    ['jsonClient', ['client', 'show', 'ACME', '--as-of', '2026-04-06']],
    ['jsonQuotes', ['quote', 'list', '--as-of', '2026-04-06']],
    ['jsonQuote', ['quote', 'show', 'D-2026-0001', '--as-of', '2026-04-06']],
    ['jsonInvoices', ['invoice', 'list', '--as-of', '2026-04-06']],
    ['jsonPaid', ['invoice', 'list', '--status', lang === 'fr' ? 'payée' : 'paid', '--as-of', '2026-04-06']],
    ['jsonInvoice', ['invoice', 'show', 'F-2026-0002', '--as-of', '2026-04-06']],
  ] as const) run(name, [...args, '--json']);
  return { sb, out };
}

beforeAll(() => {
  flows.fr = runFlow('fr');
  flows.en = runFlow('en');
}, 600_000);
afterAll(() => {
  flows.fr?.sb.cleanup();
  flows.en?.sb.cleanup();
});

const FAILS = new Set(['quoteAcceptAgain', 'sendAgain', 'unknownClient', 'unknownInvoice', 'badStatus']);

function expectCodes(lang: Lang): void {
  for (const [name, r] of Object.entries(flows[lang].out)) {
    expect(r.code, `${lang} ${name}: ${r.stderr}`).toBe(FAILS.has(name) ? 2 : 0);
    if (FAILS.has(name)) expect(r.stderr.trim().split('\n'), `${lang} ${name}: one line`).toHaveLength(1);
  }
}

describe('the documents flow under LANG=fr_FR.UTF-8', () => {
  const o = () => flows.fr.out;

  it('succeeds where it should, refuses in one line where it should', () => expectCodes('fr'));

  it('speaks French for clients and quotes, money as 1 234,56 €', () => {
    expect(o().clientAdd!.stdout).toBe('Client « ACME » ajouté (ACME SAS)\n');
    expect(o().clientList!.stdout).toMatch(/│ code │ nom +│ email +│ type │ délai +│ indicateurs │/);
    expect(o().clientList!.stdout).toContain('30 j net');
    expect(o().clientShow!.stdout).toMatch(/type: +professionnel \(b2b\)/);
    expect(o().clientShow!.stdout).toMatch(/délai de paiement: +celui du registre/);
    // 10 x 450 at 20 % = 5 400.00; 4 x 25 at 5.5 % = 105.50; incl. VAT 5 505.50.
    expect(o().quoteNew!.stdout).toBe(fr("Devis « D-2026-0001 » créé pour ACME : 5 505,50 € TTC, valable jusqu'au 2026-03-31\n"));
    expect(o().quoteNew!.stderr).toContain('une fois signé : relance quote accept D-2026-0001 --signed-by NOM');
    expect(o().quoteList!.stdout).toMatch(/│ numéro +│ client │ date +│ valable jusqu'au │ +HT │ +TTC │ état +│/);
    expect(o().quoteList!.stdout).toContain('en attente');
    expect(o().quoteAccept!.stdout).toBe('Devis « D-2026-0001 » accepté le 2026-03-02, signé par Jeanne Martin (bon pour accord)\n');
    expect(o().quoteAccept!.stderr).toContain('Acompte demandé : 30 % ; facturez-le avec "relance deposit D-2026-0001"');
    expect(o().quoteAcceptAgain!.stderr).toContain('le devis « D-2026-0001 » a déjà été accepté le 2026-03-02 par Jeanne Martin');
    expect(o().quoteListAccepted!.stdout).toContain('accepté');
  });

  it('speaks French for the deposit, the final invoice, issue, list, show and PDF', () => {
    // 30 % of 5 505.50 = 1 651.65.
    expect(o().deposit!.stdout).toBe(fr("Facture d'acompte « F-2026-0001 » émise pour le devis « D-2026-0001 » : 1 651,65 € TTC (dont 271,65 € de TVA)\n"));
    expect(o().finalNew!.stdout).toBe(fr('Brouillon « draft-3 » créé : facture de solde pour ACME, total 5 505,50 € TTC, acomptes 1 651,65 €, net à payer 3 853,85 €\n'));
    expect(o().finalNew!.stderr).toContain('C\'est un brouillon : modifiez-le avec "relance invoice edit draft-3"');
    expect(o().finalIssue!.stdout).toBe(fr('Facture « F-2026-0002 » émise (était « draft-3 ») le 2026-03-31, échéance le 2026-04-30 : 3 853,85 €\n'));
    expect(o().invoiceList!.stdout).toMatch(/│ numéro +│ type +│ client │ date +│ échéance +│ +TTC │ +à payer │ +solde │ état +│ envoyée │/);
    expect(o().invoiceList!.stdout).toMatch(/F-2026-0001 │ acompte/);
    expect(o().invoiceList!.stdout).toMatch(/F-2026-0002 │ solde +│ ACME +│ 2026-03-31 │ 2026-04-30 │/);
    expect(o().invoiceList!.stdout).toMatch(/émise +│ non +│/);
    const show = o().invoiceShow!.stdout;
    expect(show).toMatch(/facture: +F-2026-0002 \(solde\)/);
    expect(show).toMatch(/acomptes déduits: +1.651,65.€/);
    expect(show).toMatch(/état: +émise au 2026-04-02/);
    expect(show).toMatch(/envoyée: +jamais \(relance invoice send F-2026-0002\)/);
    expect(show).toMatch(/│ taux de TVA │ +base HT │ +TVA │ +TTC │/);
    expect(show).toContain('5,5 %');
    expect(show).toMatch(/acompte déduit/);
    expect(o().invoicePdf!.stdout).toBe(`${path.join(flows.fr.sb.dir, 'solde.pdf')} écrit\n`);
    expect(fs.readFileSync(path.join(flows.fr.sb.dir, 'solde.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('speaks French for the send, the platform status, the dispute and the credit note', () => {
    expect(o().sendDry!.stdout).toContain("« F-2026-0002 » serait envoyé (rien n'est enregistré ni envoyé) :");
    expect(o().sendDry!.stdout).toMatch(/^De : +\S/m);
    expect(o().sendDry!.stdout).toMatch(/^Pièce jointe : F-2026-0002\.pdf \(application\/pdf, \d+,\d Ko\)/m);
    expect(o().send!.stdout).toMatch(/^L'email de « F-2026-0002 » à ap@acme\.example est écrit dans .*\.eml \(pas de smtp\.host : la boîte d'envoi ; message n° \d+\)\n$/);
    expect(o().sendAgain!.stderr).toMatch(/« F-2026-0002 » a été envoyé à ap@acme\.example le 2026-04-02 ; pour l'envoyer une fois de plus, ajoutez --again/);
    expect(o().dispute!.stderr).toBe('la facture « F-2026-0002 » est contestée depuis le 2026-04-04 : Livraison incomplète\n');
    expect(o().listDisputed!.stdout).toMatch(/F-2026-0002 .*émise, contestée/);
    expect(o().undispute!.stderr).toBe("« F-2026-0002 » n'est plus contestée\n");
    expect(o().status!.stderr).toBe('« F-2026-0002 » : refusée (210) le 2026-04-05 : BC manquant ; les relances sont suspendues (affichée comme contestée)\n');
    expect(o().showStatus!.stdout).toContain('Statuts de la plateforme');
    expect(o().showStatus!.stdout).toMatch(/│ 2026-04-05 │ refusée │ 210 +│ BC manquant │ vous │/);
    // 2 x 617.28 = 1 234.56 excl. VAT, 1 481.47 incl. VAT.
    expect(o().cancel!.stdout).toBe(fr('Avoir « F-2026-0004 » émis pour 1 481,47 € TTC : la facture « F-2026-0003 » est annulée\n'));
  });

  it('takes French status words in --status and refuses in French', () => {
    const paid = o().listPaid!.stdout;
    expect(paid).toMatch(/F-2026-0001 │ acompte .*payée/);
    expect(paid).not.toContain('F-2026-0002');
    expect(o().unknownClient!.stderr).toContain('client inconnu « NOPE » ; voyez les codes avec "relance client list"');
    expect(o().unknownInvoice!.stderr).toContain('facture inconnue « F-2099-0001 » ; listez-les avec "relance invoice list"');
  });

  it('gives the help of the document commands in French', () => {
    expect(o().helpIssue!.stdout).toContain("donner à un brouillon le numéro suivant de la séquence des factures");
    expect(o().helpIssue!.stdout).toMatch(/--strict +refuser si une mention obligatoire manque/);
    expect(o().helpClientAdd!.stdout).toMatch(/--b2c +un particulier : pas d'indemnité de 40 EUR/);
  });

  it('leaves no English phrase of the catalogue in anything printed', () => {
    const left = Object.entries(o()).flatMap(([name, r]) => englishLeft(r.stdout + r.stderr).map((p) => `${name}: ${p}`));
    expect(left).toEqual([]);
  });

  it('prints the very same --json as the English run', () => {
    for (const name of ['jsonClients', 'jsonClient', 'jsonQuotes', 'jsonQuote', 'jsonInvoices', 'jsonPaid', 'jsonInvoice']) {
      const fr = JSON.parse(flows.fr.out[name]!.stdout);
      const en = JSON.parse(flows.en.out[name]!.stdout);
      expect(fr, name).toEqual(en);
    }
    expect(JSON.parse(flows.fr.out.jsonPaid!.stdout).map((d: { number: string; status: string }) => [d.number, d.status])).toEqual([['F-2026-0001', 'paid']]);
  });
});

describe('the documents flow under LANG=en_US.UTF-8', () => {
  const o = () => flows.en.out;

  it('succeeds where it should, refuses in one line where it should', () => expectCodes('en'));

  it('speaks English, money as €1,234.56', () => {
    expect(o().clientAdd!.stdout).toBe('Added client ACME (ACME SAS)\n');
    expect(o().clientList!.stdout).toMatch(/│ code │ name +│ email +│ kind │ terms +│ flags │/);
    expect(o().quoteNew!.stdout).toBe('Created quote D-2026-0001 for ACME: €5,505.50 incl. VAT, valid until 2026-03-31\n');
    expect(o().quoteAccept!.stdout).toBe('Accepted D-2026-0001 on 2026-03-02, signed by Jeanne Martin (bon pour accord)\n');
    expect(o().deposit!.stdout).toBe('Issued deposit invoice F-2026-0001 for D-2026-0001: €1,651.65 incl. VAT (€271.65 VAT)\n');
    expect(o().finalNew!.stdout).toBe('Created draft-3: final invoice for ACME, total €5,505.50 incl. VAT, deposits €1,651.65, net due €3,853.85\n');
    expect(o().finalIssue!.stdout).toBe('Issued F-2026-0002 (was draft-3) on 2026-03-31, due 2026-04-30: €3,853.85\n');
    expect(o().invoiceList!.stdout).toMatch(/│ number +│ kind +│ client │ date +│ due +│ +incl\. VAT │ +to pay │ +balance │ status +│ sent │/);
    expect(o().invoiceShow!.stdout).toMatch(/status: +open as of 2026-04-02/);
    expect(o().invoiceShow!.stdout).toContain('5.5 %');
    expect(o().sendDry!.stdout).toMatch(/^From: {7}\S/m);
    expect(o().sendDry!.stdout).toMatch(/^Attachment: F-2026-0002\.pdf/m);
    expect(o().dispute!.stderr).toBe('F-2026-0002 is disputed since 2026-04-04: Livraison incomplète\n');
    expect(o().status!.stderr).toBe('F-2026-0002: refused (210) on 2026-04-05: BC manquant; reminders pause (shown as disputed)\n');
    expect(o().cancel!.stdout).toBe('Issued credit note F-2026-0004 for €1,481.47 incl. VAT: F-2026-0003 is cancelled\n');
    expect(o().listPaid!.stdout).toMatch(/F-2026-0001 │ deposit .*paid/);
    expect(o().unknownClient!.stderr).toContain('unknown client "NOPE"; see the codes with "relance client list"');
    expect(o().badStatus!.stderr).toMatch(/--status: "bidule" is not valid/);
    expect(o().helpIssue!.stdout).toMatch(/--strict +refuse when a mandatory mention is missing/);
  });
});

/** The separators money() puts in French amounts, read from a run (so the test does not guess Intl's choice). */
let seps: { group: string; space: string } | undefined;
function separators() {
  if (seps) return seps;
  const m = /1(\D)651,65(\D)€/.exec(flows.fr.out.deposit!.stdout);
  seps = { group: m?.[1] ?? ' ', space: m?.[2] ?? ' ' };
  return seps;
}
const sep = () => separators().group;
const nbsp = () => separators().space;
/** A French expectation written with plain spaces in amounts, given money()'s own separators. */
function fr(text: string): string {
  return text.replace(/(\d) (\d{3},\d\d) €/g, `$1${sep()}$2${nbsp()}€`).replace(/(\d,\d\d) €/g, `$1${nbsp()}€`);
}
