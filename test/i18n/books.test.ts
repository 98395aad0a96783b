/**
 * The books area in both languages, end to end with bin/relance: init (non-interactive), ledger
 * set/show, pay --method virement / chèque, pay list, doctor, a bank import, an export, a backup.
 * Under LANG=fr_FR.UTF-8 every message is French (no English catalogue phrase left), money reads
 * 1 234,56 €, and --json is the same as the English run's; under LANG=en_US.UTF-8 it is English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { issueInvoice, ok } from '../e2e/pay-helpers.js';

const FR = { LANG: 'fr_FR.UTF-8' };
const EN = { LANG: 'en_US.UTF-8' };
const BANK = path.join(ROOT, 'fixtures', 'bank', 'csv-fr-signed-bom.csv');
const CLIENTS = path.join(ROOT, 'fixtures', 'import', 'clients.csv');

interface Run {
  sb: Sandbox;
  out: Record<string, RunResult>;
  json: Record<string, unknown>;
}

/** The same flow in one language: every step's output kept, and the JSON of the steps that print it. */
function flow(env: Record<string, string>): Run {
  const sb = sandbox('relance-i18n-books-');
  const out: Record<string, RunResult> = {};
  const json: Record<string, unknown> = {};
  const run = (name: string, args: string[], opts: { noLedger?: boolean } = {}) => (out[name] = sb.run(args, { env, ...opts }));
  const asJson = (name: string, args: string[]) => {
    const r = sb.run([...args, '--json'], { env });
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    json[name] = JSON.parse(r.stdout.split(sb.dir).join('<dir>'));
  };
  run('init', ['init', sb.ledger, '--name', 'Atelier Dupont', '--email', 'compta@dupont.example', '--siren', '732829320', '--address', '12 rue des Lilas;69003 Lyon'], { noLedger: true });
  // The invoices are made in the default language (other areas' messages are not this test's).
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']);
  const f1 = issueInvoice(sb, 'ACME', '2000.00', '2026-03-01');
  const f2 = issueInvoice(sb, 'ACME', '300.00', '2026-03-02');
  run('set', ['ledger', 'set', 'terms.days', '45']);
  asJson('set', ['ledger', 'set', 'terms.days', '45']);
  run('show', ['ledger', 'show']);
  run('pay', ['pay', f1, '1234,56', '--date', '2026-03-10', '--method', 'virement']);
  run('cheque', ['pay', f2, '--date', '2026-03-11', '--method', 'chèque', '--ref', 'chq 42']);
  run('list', ['pay', 'list']);
  asJson('list', ['pay', 'list']);
  run('badMethod', ['pay', f1, '10', '--method', 'bitcoin']);
  run('doctor', ['doctor', '--as-of', '2026-03-12']);
  asJson('doctor', ['doctor', '--as-of', '2026-03-12']);
  run('bank', ['bank', 'import', BANK, '--no-input']);
  asJson('bankList', ['bank', 'list']);
  run('banklist', ['bank', 'list']);
  run('import', ['import', 'clients', CLIENTS, '--dry-run']);
  asJson('import', ['import', 'clients', CLIENTS, '--dry-run']);
  run('export', ['export', 'csv', 'payments', '--out', path.join(sb.dir, 'paiements.csv')]);
  run('backup', ['backup', path.join(sb.dir, 'sauvegarde.db')]);
  run('help', ['pay', '--help']);
  return { sb, out, json };
}

let fr: Run;
let en: Run;
beforeAll(() => {
  fr = flow(FR);
  en = flow(EN);
}, 600_000);
afterAll(() => {
  fr?.sb.cleanup();
  en?.sb.cleanup();
});

describe('books in French and English', { timeout: 60_000 }, () => {
  it('says every step in French under LANG=fr_FR.UTF-8, with French money', () => {
    const o = fr.out;
    for (const [name, r] of Object.entries(o)) {
      if (name !== 'badMethod' && name !== 'doctor' && name !== 'import') expect(r.code, `${name}\n${r.stderr}`).toBe(0);
      expect(englishLeft(r.stdout + r.stderr), name).toEqual([]);
    }
    expect(o.init!.stdout).toBe(`Registre créé : ${fr.sb.ledger}\nEnsuite : relance client add CODE --name "..." --email ... -f ${fr.sb.ledger}\n`);
    expect(o.set!.stdout).toBe('terms.days = 45\n');
    expect(o.show!.stdout).toMatch(/paramètre[ │]+valeur[ │]+signification/);
    expect(o.show!.stdout).toMatch(/terms\.days[ │]+45[ │]+délai de paiement par défaut, en jours/);
    expect(o.pay!.stdout).toMatch(/^Encaissement enregistré : 1\u202f?\s?234,56\s€ le 2026-03-10 \(paiement n° 1\)\n/);
    expect(o.pay!.stdout).toMatch(/facture[ │]+imputé[ │]+reste dû/);
    expect(o.cheque!.stdout).toMatch(/payée/);
    expect(o.list!.stdout).toMatch(/virement/);
    expect(o.list!.stdout).toMatch(/chèque/);
    expect(o.list!.stdout).toMatch(/imputé sur/);
    expect(o.badMethod!.code).toBe(2);
    expect(o.doctor!.stdout).toMatch(/ouverture[ │]+s'ouvre ; version du schéma \d+ \(à jour\)/);
    expect(o.doctor!.stdout).toMatch(/intégrité[ │]+contrôle d'intégrité SQLite réussi/);
    expect(o.doctor!.stdout).toMatch(/registre\(s\) (en bon état|sur 1 à revoir)\n$/);
    expect(o.bank!.stdout).toMatch(/ligne[ │]+date[ │]+montant[ │]+libellé[ │]+résultat/);
    expect(o.bank!.stdout).toMatch(/3 lignes dans csv-fr-signed-bom\.csv \(compte main\) : 3 nouvelle\(s\), 0 déjà importée\(s\)/);
    expect(o.bank!.stdout).toMatch(/non rapprochée : aucune référence de facture et aucun payeur connu/);
    expect(o.bank!.stdout).toMatch(/débit : sortie d’argent : un remboursement, des frais ou un achat/);
    expect(o.bank!.stdout).toMatch(/400,00\s€/);
    expect(o.banklist!.stdout).toMatch(/non rapprochée : aucune référence de facture/);
    expect(o.import!.stdout).toMatch(/clients\.csv : créerait \d+ clients?/);
    expect(o.export!.stderr).toMatch(/paiements\.csv écrit : 2 paiement\(s\)\n$/);
    expect(o.backup!.stdout).toMatch(/^Sauvegarde de .* faite dans .*sauvegarde\.db \(\d+ octets, intégrité vérifiée\)\n$/);
    expect(o.help!.stdout).toMatch(/enregistrer un paiement : partiel/);
    expect(o.help!.stdout).toMatch(/# tout le reste dû, aujourd'hui, par virement/);
  });

  it('says the same in English under LANG=en_US.UTF-8', () => {
    const o = en.out;
    expect(o.init!.stdout).toBe(`Created ledger ${en.sb.ledger}\nNext: relance client add CODE --name "..." --email ... -f ${en.sb.ledger}\n`);
    expect(o.show!.stdout).toMatch(/setting[ │]+value[ │]+meaning/);
    expect(o.pay!.stdout).toMatch(/^Recorded €1,234\.56 on 2026-03-10 \(payment #1\)\n/);
    expect(o.list!.stdout).toMatch(/transfer/);
    expect(o.list!.stdout).toMatch(/cheque/);
    expect(o.doctor!.stdout).toMatch(/open {8}opens; schema version \d+ \(current\)/);
    expect(o.bank!.stdout).toMatch(/3 lines in csv-fr-signed-bom\.csv \(account main\): 3 new, 0 already imported/);
    expect(o.bank!.stdout).toMatch(/unmatched: no invoice reference and no known payer/);
    expect(o.import!.stdout).toMatch(/clients\.csv: would create \d+ clients?/);
    expect(o.export!.stderr).toMatch(/paiements\.csv: 2 payments\n$/);
    expect(o.backup!.stdout).toMatch(/^Backed up .* \(\d+ bytes, integrity checked\)\n$/);
    expect(o.badMethod!.stderr).toMatch(/--method/);
  });

  it('prints the same JSON in both languages (the stored method is the English keyword)', () => {
    expect(fr.json).toEqual(en.json);
    const list = fr.json.list as { payments: { method: string }[] };
    expect(list.payments.map((p) => p.method)).toEqual(['transfer', 'cheque']);
    expect(fs.existsSync(path.join(fr.sb.dir, 'paiements.csv'))).toBe(true);
  });
});
