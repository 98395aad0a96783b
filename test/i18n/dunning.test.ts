/**
 * The dunning area in both languages (issue 20 §1): the same ledger (one overdue invoice of
 * 1 234,56 €) through overdue, remind --due to the outbox, call-log add, todo, statement and balance,
 * under LANG=fr_FR.UTF-8 and LANG=en_US.UTF-8. The French run prints French (no English catalogue
 * phrase left, money as 1 234,56 €), the English run the English it always printed, and --json is
 * the same in both. French keywords (--channel appel, --by facture) are stored as the English ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { query, seed } from '../e2e/remind-fixtures.js';

const AS_OF = '2026-02-26';
const NOW = '2026-02-26T15:00:00Z';
const FR = { LANG: 'fr_FR.UTF-8', RELANCE_NOW: NOW };
const EN = { LANG: 'en_US.UTF-8', RELANCE_NOW: NOW };

interface Flow {
  sb: Sandbox;
  out: Record<string, RunResult>;
  json: Record<string, unknown>;
}

/** JSON with the sandbox's folder (outbox files) made the same for both runs. */
function normal(sb: Sandbox, text: string): unknown {
  return JSON.parse(text.split(sb.dir).join('<dir>'));
}

function flow(env: Record<string, string>): Flow {
  const sb = sandbox('relance-i18n-dunning-');
  expect(sb.init().code).toBe(0);
  seed(sb.ledger, (s) => {
    const acme = s.client('ACME', { phone: '01 02 03 04 05' });
    s.invoice({ client: acme, number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 123456 });
  });
  const run = (args: string[]) => sb.run(args, { env });
  const json: Record<string, unknown> = {};
  // --json before anything changes, then the same runs for people.
  for (const [name, args] of Object.entries({
    overdue: ['overdue', '--as-of', AS_OF],
    byClient: ['overdue', '--as-of', AS_OF, '--by', 'client'],
    dryRun: ['remind', '--due', '--as-of', AS_OF, '--dry-run'],
    statement: ['statement', 'ACME', '--as-of', AS_OF],
    balance: ['balance', '--as-of', AS_OF],
  })) {
    const r = run(['--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    json[name] = normal(sb, r.stdout);
  }
  const out: Record<string, RunResult> = {
    overdue: run(['overdue', '--as-of', AS_OF]),
    byClient: run(['overdue', '--as-of', AS_OF, '--by', env === FR ? 'facture' : 'invoice']),
    remind: run(['remind', '--due', '--as-of', AS_OF]),
    callLog: run(['call-log', 'add', 'ACME', '--channel', env === FR ? 'appel' : 'call', '--outcome', 'ok', '--promise', '2026-03-05', '--next', AS_OF, '--at', `${AS_OF} 10:00`]),
    todo: run(['todo', '--as-of', AS_OF]),
    statement: run(['statement', 'ACME', '--as-of', AS_OF]),
    balance: run(['balance', '--as-of', AS_OF]),
    badChannel: run(['call-log', 'add', 'ACME', '--channel', 'pigeon', '--outcome', 'ok']),
    help: run(['remind', '--help']),
  };
  const t = run(['--json', 'todo', '--as-of', AS_OF]);
  json.todo = normal(sb, t.stdout);
  return { sb, out, json };
}

const EURO = '1\u202f234,56\u00a0€';
let fr: Flow;
let en: Flow;

beforeAll(() => {
  fr = flow(FR);
  en = flow(EN);
}, 240_000);
afterAll(() => {
  fr?.sb.cleanup();
  en?.sb.cleanup();
});

describe('the dunning area under LANG=fr_FR.UTF-8', () => {
  it('speaks French in every step, with French money and no English catalogue phrase left', () => {
    const o = fr.out;
    for (const [name, r] of Object.entries(o)) {
      expect(englishLeft(r.stdout + r.stderr), name).toEqual([]);
      if (name !== 'badChannel') expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
    expect(o.overdue!.stdout).toContain(`Encours clients au ${AS_OF} :`);
    expect(o.overdue!.stdout).toContain('jours de retard');
    expect(o.overdue!.stdout).toContain(EURO);
    expect(o.overdue!.stdout).toContain('Totaux :');
    expect(o.byClient!.stdout).toContain(`Encours clients au ${AS_OF} :`); // --by facture is --by invoice
    expect(o.remind!.stdout).toContain(`Relances au ${AS_OF}`);
    expect(o.remind!.stdout).toContain('déposées dans le dossier outbox : 1');
    expect(o.remind!.stdout).toContain('en échec : 0');
    expect(o.callLog!.stdout).toMatch(/^Contact appel n° 1 noté avec ACME le 2026-02-26 10:00 ; promesse de paiement \(le solde pour le 2026-03-05\)/);
    expect(o.todo!.stdout).toContain('Actions à faire (1)');
    expect(o.statement!.stdout).toContain('Relevé de compte de ACME SAS (ACME) au 2026-02-26');
    expect(o.statement!.stdout).toContain(`Solde net (EUR) : ${EURO}`);
    expect(o.balance!.stdout).toContain(`Soldes au ${AS_OF} (TTC ; négatif : le client a un avoir) :`);
    expect(o.badChannel!.code).toBe(2);
    expect(o.badChannel!.stderr).toContain('--channel : « pigeon » n\'est pas l\'un de');
    expect(o.help!.stdout).toContain('envoyer toutes les relances dues selon la politique');
  });

  it('stores the English keyword for a French word', () => {
    expect(query<{ channel: string }>(fr.sb.ledger, 'SELECT channel FROM contacts')).toEqual([{ channel: 'call' }]);
  });
});

describe('the dunning area under LANG=en_US.UTF-8', () => {
  it('prints the English it always printed', () => {
    const o = en.out;
    expect(o.overdue!.stdout).toContain(`Receivables as of ${AS_OF}:`);
    expect(o.overdue!.stdout).toContain('€1,234.56');
    expect(o.remind!.stdout).toContain('written to the outbox: 1');
    expect(o.callLog!.stdout).toMatch(/^Logged call #1 with ACME at 2026-02-26 10:00; promise to pay the balance by 2026-03-05/);
    expect(o.todo!.stdout).toContain('Next actions due (1)');
    expect(o.statement!.stdout).toContain('Net balance (EUR): €1,234.56');
    expect(o.balance!.stdout).toContain(`Balances as of ${AS_OF} (incl. VAT; negative: the client is in credit):`);
    expect(o.badChannel!.stderr).toContain('--channel: "pigeon" is not one of call, email, letter, visit, meeting');
  });

  it('gives the same --json in both languages', () => {
    expect(fr.json).toEqual(en.json);
  });
});
