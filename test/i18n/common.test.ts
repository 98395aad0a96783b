/**
 * The frame of the interface's language (issue 20 §1), end to end on the real bin/relance: the help,
 * commander's errors, core's validation errors and "no ledger" in French under LANG=fr_FR.UTF-8 (no
 * English phrase of the catalogue left) and in English under LANG=en_US.UTF-8; --lang before the
 * command word beats the environment, the ledger's ui.language sits between them; money on a table
 * follows the language, JSON does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';

const FR = { LANG: 'fr_FR.UTF-8' };
const EN = { LANG: 'en_US.UTF-8' };
const NBSP = '\u00a0';
const NNBSP = '\u202f';

let sb: Sandbox;
const text = (r: RunResult) => r.stdout + r.stderr;

beforeAll(() => {
  sb = sandbox('relance-i18n-common-');
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']).code).toBe(0);
  const r = sb.run(['invoice', 'new', 'ACME', '--line', 'Développement | 1 | 1234.56 | 0', '--operation', 'services', '--issue', '--as-of', '2026-01-10']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => sb.cleanup());

describe('in French (LANG=fr_FR.UTF-8)', () => {
  it('relance --help: commander\'s headings, the global options and the examples', () => {
    const r = sb.run(['--help'], { env: FR, noLedger: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Utilisation : relance \[options\] \[commande\]/);
    expect(r.stdout).toContain('Suivez ce que vos clients vous doivent');
    expect(r.stdout).toContain('Options :');
    expect(r.stdout).toContain('Commandes :');
    expect(r.stdout).toMatch(/help \[command\] +afficher l'aide d'une commande/);
    expect(r.stdout).toMatch(/-h, --help +afficher l'aide, avec des exemples/);
    expect(r.stdout).toContain('Exemples :');
    expect(r.stdout).toContain('$ relance client list --json');
    expect(r.stdout).toContain('Codes de sortie : 0 bon');
    // The commands' own summaries belong to their areas (checked by test/i18n/<area>.test.ts).
    const frame = r.stdout.slice(0, r.stdout.indexOf('Commandes :')) + r.stdout.slice(r.stdout.indexOf('Exemples :'));
    expect(englishLeft(frame)).toEqual([]);
  });

  it('relance invoice --help: a command\'s help has the same headings', () => {
    const r = sb.run(['invoice', '--help'], { env: FR, noLedger: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Utilisation : relance invoice \[options\] \[commande\]/);
    expect(r.stdout).toContain('Options :');
    expect(r.stdout).toContain('Commandes :');
    expect(englishLeft(text(r))).toEqual([]);
  });

  it('commander\'s errors: unknown command with "did you mean", unknown option, missing argument', () => {
    let r = sb.run(['client', 'lst'], { env: FR });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('relance: commande inconnue « lst » (vouliez-vous dire list ?) ; voir « relance client --help »\n');
    r = sb.run(['client', 'list', '--bogus'], { env: FR });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('relance: option inconnue « --bogus » ; voir « relance client list --help »\n');
    r = sb.run(['client', 'add'], { env: FR });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('relance: argument obligatoire manquant : « code » ; voir « relance client add --help »\n');
    r = sb.run(['client', 'show'], { env: FR });
    expect(r.code).toBe(2);
    expect(englishLeft(r.stderr)).toEqual([]);
  });

  it('core\'s validation errors: a date that does not exist, an amount that is not one', () => {
    const before = sb.snapshot();
    let r = sb.run(['overdue', '--as-of', '2026-02-30'], { env: FR });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("relance: --as-of : « 2026-02-30 » n'existe pas (le mois 02 de 2026 a 28 jours) ; écrivez les dates sous la forme AAAA-MM-JJ, par exemple 2026-03-31\n");
    r = sb.run(['invoice', 'new', 'ACME', '--line', 'Dev | 1 | 12,345 | 20'], { env: FR });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: .*« 12,345 » ne se lit pas comme un montant \(« , » suivie de trois chiffres peut séparer les milliers ou les décimales\) ; écrivez-le comme 1234\.50 ou 1 234,50\n$/);
    expect(englishLeft(r.stderr)).toEqual([]);
    expect(sb.snapshot()).toBe(before);
  });

  it('no ledger: exit 4, in French, with the way out', () => {
    const empty = fs.mkdtempSync(path.join(sb.dir, 'empty-'));
    const r = sb.run(['client', 'list'], { env: FR, noLedger: true, cwd: empty });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`relance: aucun registre à ${path.join(fs.realpathSync(empty), 'relance.db')} ; aucun registre choisi : donnez -f CHEMIN, --ledger NOM ou RELANCE_FILE, ou créez ./relance.db avec « relance init »\n`);
    expect(englishLeft(r.stderr)).toEqual([]);
  });

  it('money on a table: 1 234,56 €; the JSON is the same in both languages', () => {
    const r = sb.run(['overdue', '--as-of', '2026-03-15'], { env: FR });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`1${NNBSP}234,56${NBSP}€`);
    expect(r.stdout).not.toContain('€1,234.56');
    const json = (env: NodeJS.ProcessEnv) => sb.run(['--json', 'overdue', '--as-of', '2026-03-15'], { env }).stdout;
    expect(json(FR)).toBe(json(EN));
    expect(JSON.parse(json(FR)).totals.EUR.total).toBe('1234.56');
  });
});

describe('in English (LANG=en_US.UTF-8)', () => {
  it('the help, commander\'s errors, core\'s errors and no ledger', () => {
    let r = sb.run(['--help'], { env: EN, noLedger: true });
    expect(r.stdout).toMatch(/^Usage: relance \[options\] \[command\]/);
    expect(r.stdout).toContain('Commands:');
    expect(r.stdout).toMatch(/help \[command\] +display help for command/);
    expect(r.stdout).toContain('Examples:');
    r = sb.run(['invoice', '--help'], { env: EN, noLedger: true });
    expect(r.stdout).toMatch(/^Usage: relance invoice \[options\] \[command\]/);
    r = sb.run(['client', 'lst'], { env: EN });
    expect(r.stderr).toBe('relance: unknown command \'lst\' (Did you mean list?); see "relance client --help"\n');
    r = sb.run(['overdue', '--as-of', '2026-02-30'], { env: EN });
    expect(r.stderr).toBe('relance: --as-of: "2026-02-30" does not exist (month 02 of 2026 has 28 days); write dates as YYYY-MM-DD, e.g. 2026-03-31\n');
    r = sb.run(['invoice', 'new', 'ACME', '--line', 'Dev | 1 | 12,345 | 20'], { env: EN });
    expect(r.stderr).toMatch(/cannot read "12,345" as an amount \(","/);
    const empty = fs.mkdtempSync(path.join(sb.dir, 'empty-'));
    r = sb.run(['client', 'list'], { env: EN, noLedger: true, cwd: empty });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^relance: no ledger at .*relance\.db; no ledger chosen: pass -f PATH/);
  });

  it('money on a table: €1,234.56', () => {
    const r = sb.run(['overdue', '--as-of', '2026-03-15'], { env: EN });
    expect(r.stdout).toContain('€1,234.56');
  });
});

describe('choosing the language', () => {
  it('--lang before the command word beats LANG; after it, it is not the interface\'s', () => {
    let r = sb.run(['--lang', 'en', 'client', 'lst'], { env: FR });
    expect(r.stderr).toContain("unknown command 'lst'");
    r = sb.run(['--lang=fr', '--help'], { env: EN, noLedger: true });
    expect(r.stdout).toMatch(/^Utilisation : relance/);
    r = sb.run(['--help'], { env: { LANG: 'en_US.UTF-8', LC_MESSAGES: 'fr_FR.UTF-8' }, noLedger: true });
    expect(r.stdout).toMatch(/^Utilisation : /);
    r = sb.run(['--help'], { env: { LANG: 'fr_FR.UTF-8', LC_ALL: 'C' }, noLedger: true });
    expect(r.stdout).toMatch(/^Usage: /);
    // After the command word, --lang is the command's: the client's language, not the interface's.
    r = sb.run(['--lang', 'fr', 'client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--lang', 'en', '--json'], { env: EN });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'GLOBEX', lang: 'en' });
    expect(sb.run(['client', 'add', 'HOOLI', '--name', 'Hooli', '--lang', 'de'], { env: EN }).code).toBe(2);
  });

  it('ledger set ui.language fr: the ledger\'s messages and help in French under an English LANG; --lang still wins; cleared, LANG again', () => {
    let r = sb.run(['ledger', 'set', 'ui.language', 'fr'], { env: EN });
    expect(r.code, r.stderr).toBe(0);
    try {
      r = sb.run(['client', 'lst'], { env: EN });
      expect(r.stderr).toContain('commande inconnue « lst »');
      r = sb.run(['overdue', '--as-of', '2026-03-15'], { env: EN });
      expect(r.stdout).toContain(`1${NNBSP}234,56${NBSP}€`);
      // help reads the ledger the run would use: -f, or RELANCE_FILE
      expect(sb.run(['-f', sb.ledger, 'invoice', '--help'], { env: EN, noLedger: true }).stdout).toMatch(/^Utilisation : relance invoice/);
      expect(sb.run(['--help'], { env: { ...EN, RELANCE_FILE: sb.ledger }, noLedger: true }).stdout).toMatch(/^Utilisation : relance/);
      r = sb.run(['--lang', 'en', 'client', 'lst'], { env: FR });
      expect(r.stderr).toContain("unknown command 'lst'");
      r = sb.run(['ledger', 'set', 'ui.language', 'de'], { env: EN });
      expect(r.code).toBe(2);
    } finally {
      r = sb.run(['ledger', 'set', 'ui.language', ''], { env: EN });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(sb.run(['client', 'lst'], { env: EN }).stderr).toContain("unknown command 'lst'");
    expect(sb.run(['client', 'lst'], { env: FR }).stderr).toContain('commande inconnue');
  });

  it('a file that is not a ledger, or no file, leaves the choice to the environment', () => {
    const junk = path.join(sb.dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database');
    expect(sb.run(['-f', junk, '--help'], { env: FR, noLedger: true }).stdout).toMatch(/^Utilisation : /);
    expect(sb.run(['-f', path.join(sb.dir, 'none.db'), '--help'], { env: EN, noLedger: true }).stdout).toMatch(/^Usage: /);
  });
});
