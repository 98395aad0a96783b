/**
 * The spreadsheet import's problems in both languages, end to end with bin/relance: each problem is
 * kept as a catalogue key and written when printed, so the terminal says it in French under
 * LANG=fr_FR.UTF-8 (no English catalogue phrase left) and in English under LANG=en_US.UTF-8, while
 * --json's problems (message, column, text) stay English and identical in both runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';

const FR = { env: { LANG: 'fr_FR.UTF-8' } };
const EN = { env: { LANG: 'en_US.UTF-8' } };
let sb: Sandbox;
let clients: string;
let invoices: string;

beforeAll(() => {
  sb = sandbox('relance-i18n-import-');
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
  clients = path.join(sb.dir, 'clients.csv');
  fs.writeFileSync(clients, 'Code client;Raison sociale;E-mail;Délai de paiement;Particulier\nACME2;ACME SAS;pas-un-mail;30;non\nACME2;Autre;a@b.fr;400;peut-être\n;Sans code;;;\n');
  invoices = path.join(sb.dir, 'factures.csv');
  fs.writeFileSync(invoices, 'Numéro;Client;Date;Échéance;Montant TTC;Taux TVA;Devise\nA-1;NOPE;31/02/2026;;1 2,00;7;EURO\nA-1;ACME;2026-01-10;2026-01-01;12,345;;EUR\nA-3;ACME;2026-02-30;;100;;EUR\n');
});

afterAll(() => sb?.cleanup());

const problems = (stderr: string) => stderr.trimEnd().split('\n');

describe('import problems in French', () => {
  it('says every problem in French on the terminal, with the row and column, and nothing is imported', () => {
    const before = sb.snapshot();
    const c = sb.run(['import', 'clients', clients, '--dry-run'], FR);
    expect(c.code).toBe(2);
    expect(problems(c.stderr)).toEqual([
      `relance: ${clients} ligne 2, colonne « E-mail » (C) : « pas-un-mail » n'est pas valable : une adresse e-mail comme ap@client.fr`,
      `relance: ${clients} ligne 3, colonne « Particulier » (E) : « peut-être » n'est ni oui ni non (oui/non, yes/no, 1/0, x)`,
      `relance: ${clients} ligne 3, colonne « Délai de paiement » (D) : « 400 » n'est pas valable : au plus 365 jours`,
      `relance: ${clients} ligne 3, colonne « Code client » (A) : le code « ACME2 » est déjà à la ligne 2 ; chaque client une seule fois`,
      `relance: ${clients} ligne 4, colonne « Code client » (A) : le code client manque`,
      `relance: 5 problèmes dans ${clients} ; corrigez-les et relancez (rien n’a été importé)`,
    ]);
    const i = sb.run(['import', 'invoices', invoices, '--dry-run', '--as-of', '2026-03-01'], FR);
    expect(i.code).toBe(2);
    expect(problems(i.stderr)).toEqual([
      `relance: ${invoices} ligne 2, colonne « Client » (B) : client inconnu « NOPE » ; importez d'abord les clients (« relance import clients FILE ») ou ajoutez-le avec « relance client add CODE --name ... »`,
      `relance: ${invoices} ligne 2, colonne « Date » (C) : « 31/02/2026 » n'est pas un jour du calendrier (lu comme jour/mois/année)`,
      `relance: ${invoices} ligne 2, colonne « Montant TTC » (E) : « 1 2,00 » ne se lit pas comme un montant (les espaces ne sont permises qu'entre des groupes de trois chiffres) ; écrivez-le comme 1234.50 ou 1 234,50`,
      `relance: ${invoices} ligne 2, colonne « Taux TVA » (F) : 7 % n'est pas un taux de TVA français ; utilisez 20, 10, 5,5, 2,1 ou 0`,
      `relance: ${invoices} ligne 2, colonne « Devise » (G) : « EURO » n'est pas un code de devise comme EUR`,
      `relance: ${invoices} ligne 3, colonne « Montant TTC » (E) : « 12,345 » ne se lit pas comme un montant (« , » suivie de trois chiffres peut séparer les milliers ou les décimales) ; écrivez-le comme 1234.50 ou 1 234,50`,
      `relance: ${invoices} ligne 3, colonne « Numéro » (A) : le numéro A-1 est déjà à la ligne 2 ; chaque facture une seule fois`,
      `relance: ${invoices} ligne 3, colonne « Échéance » (D) : 2026-01-01 est avant la date d'émission 2026-01-10`,
      expect.stringMatching(new RegExp(`^relance: ${invoices.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ligne 4, colonne « Date » \\(C\\) : date : « 2026-02-30 » n'existe pas .* ; écrivez les dates sous la forme AAAA-MM-JJ`)),
      `relance: 9 problèmes dans ${invoices} ; corrigez-les et relancez (rien n’a été importé)`,
    ]);
    // The real import: the first problem as the one line, how many more, nothing written.
    const real = sb.run(['import', 'invoices', invoices, '--as-of', '2026-03-01'], FR);
    expect(real.code).toBe(2);
    expect(real.stderr).toMatch(/^relance: .* ligne 2, colonne « Client » \(B\) : client inconnu « NOPE » ; .* \(et 8 autres problèmes ; voyez-les tous avec --dry-run\) ; rien n’a été importé\n$/);
    for (const r of [c, i, real]) expect(englishLeft(r.stdout + r.stderr)).toEqual([]);
    expect(sb.snapshot()).toBe(before);
  });
});

describe('import problems in English, and --json', () => {
  it('says them in English under LANG=en_US.UTF-8, and --json is English and the same in both languages', () => {
    const i = sb.run(['import', 'invoices', invoices, '--dry-run', '--as-of', '2026-03-01'], EN);
    expect(i.code).toBe(2);
    expect(problems(i.stderr)).toContain(`relance: ${invoices} row 3, column "Montant TTC" (E): cannot read "12,345" as an amount ("," followed by three digits could be a thousands separator or decimals); write it like 1234.50 or 1 234,50`);
    expect(problems(i.stderr)).toContain(`relance: ${invoices} row 2, column "Client" (B): unknown client "NOPE"; import the clients first ("relance import clients FILE") or add it with "relance client add CODE --name ..."`);
    const c = sb.run(['import', 'clients', clients, '--dry-run'], EN);
    expect(problems(c.stderr)[0]).toBe(`relance: ${clients} row 2, column "E-mail" (C): "pas-un-mail" is not valid: an email address such as ap@client.fr`);

    for (const [kind, file] of [['invoices', invoices], ['clients', clients]] as const) {
      const args = ['import', kind, file, '--dry-run', '--as-of', '2026-03-01', '--json'].filter((a, n, all) => kind === 'invoices' || (a !== '--as-of' && all[n - 1] !== '--as-of'));
      const fr = sb.run(args, FR);
      const en = sb.run(args, EN);
      expect(fr.stdout).toBe(en.stdout);
      const j = JSON.parse(en.stdout);
      expect(j.problems.length).toBeGreaterThan(0);
      for (const p of j.problems) {
        expect(Object.keys(p)).toEqual(['row', 'column', 'message', 'text']);
        expect(p.text).toBe(`${file} row ${p.row}, ${p.column}: ${p.message}`);
        expect(p.column).toMatch(/^column "/);
      }
      if (kind === 'invoices') expect(j.problems[2]).toEqual({ row: 2, column: 'column "Montant TTC" (E)', message: 'cannot read "1 2,00" as an amount (spaces are only allowed between groups of three digits); write it like 1234.50 or 1 234,50', text: `${file} row 2, column "Montant TTC" (E): cannot read "1 2,00" as an amount (spaces are only allowed between groups of three digits); write it like 1234.50 or 1 234,50` });
      else expect(j.problems[4]).toMatchObject({ row: 4, message: 'the client code is missing' });
    }
  });
});
