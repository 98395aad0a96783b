/**
 * The foundation, end to end: init, ledger choice, settings, clients, the error contract
 * (exit codes, one-line messages, ledger unchanged) and colour rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { BIN, hasEscapes, ROOT, sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused as refused } from '../helpers/expect-run.js';
import { LATEST_VERSION } from '../../src/store/migrations.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const expectRefused = (args: string[], message: RegExp) => refused(sb, args, message);

describe('init', () => {
  it('creates a 0600 ledger without prompting, and refuses to overwrite it', () => {
    const r = sb.init();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Created ledger ${sb.ledger}`);
    expect(fs.statSync(sb.ledger).mode & 0o777).toBe(0o600);
    const bytes = fs.readFileSync(sb.ledger);
    const again = sb.init();
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^relance: .*already exists.*\n$/);
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(again.stdout).toBe('');
    expect(fs.readFileSync(sb.ledger).equals(bytes)).toBe(true);
    expect(fs.statSync(sb.ledger).mode & 0o777).toBe(0o600);
  });

  it('names a missing required flag in a script and creates nothing', () => {
    const r = sb.run(['init', sb.ledger, '--name', 'X'], { noLedger: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('relance: missing --email (Sender email for reminders); pass it on the command line, prompts are off when not on a terminal or with --no-input\n');
    expect(fs.existsSync(sb.ledger)).toBe(false);
  });

  it('refuses an invalid SIREN at init and leaves no file behind', () => {
    const r = sb.run(['init', sb.ledger, '--name', 'X', '--email', 'a@b.fr', '--siren', '123456789'], { noLedger: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/business.siren: cannot use "123456789"/);
    expect(fs.existsSync(sb.ledger)).toBe(false);
  });

  it('stores the identity and defaults, shown by ledger show --json', () => {
    sb.init(['--penalty-rate', '15', '--terms', '45', '--terms-kind', '45eom-add-then-eom']);
    const r = sb.run(['ledger', 'show', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.version).toBe(LATEST_VERSION);
    expect(data.settings).toMatchObject({
      'business.name': 'Atelier Dupont',
      'business.siren': '732829320',
      'business.address': '12 rue des Lilas\n69003 Lyon',
      currency: 'EUR',
      language: 'fr',
      'terms.days': 45,
      'terms.kind': '45eom-add-then-eom',
      'penalty.mode': 'contract',
      'penalty.rate_bp': 1500,
      vat_exempt: false,
    });
  });
});

describe('ledger files', () => {
  it('exits 4 with a hint to run init when no ledger is found', () => {
    const r = sb.run(['client', 'list'], { noLedger: true });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no ledger at .*relance\.db.*relance init/);
  });

  it('refuses a file that is not a ledger, and leaves it untouched', () => {
    const other = path.join(sb.dir, 'notes.txt');
    fs.writeFileSync(other, 'shopping list\n'.repeat(200));
    const db = path.join(sb.dir, 'other.sqlite');
    const d = new Database(db);
    d.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    d.close();
    for (const f of [other, db]) {
      const bytes = fs.readFileSync(f);
      const r = sb.run(['-f', f, 'client', 'list']);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/is not a relance ledger/);
      expect(fs.readFileSync(f).equals(bytes)).toBe(true);
      expect(fs.existsSync(`${f}-wal`)).toBe(false);
    }
  });

  it('refuses a ledger from a newer relance, untouched', () => {
    sb.init();
    const d = new Database(sb.ledger);
    d.pragma('journal_mode = DELETE');
    d.pragma('user_version = 999');
    d.close();
    const bytes = fs.readFileSync(sb.ledger);
    const r = sb.run(['client', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/newer relance \(ledger version 999/);
    expect(fs.readFileSync(sb.ledger).equals(bytes)).toBe(true);
  });

  it('chooses -f over --ledger over RELANCE_FILE over ./relance.db', () => {
    const make = (name: string) => {
      const file = path.join(sb.dir, `${name}.db`);
      expect(sb.run(['init', file, '--name', name, '--email', `${name}@x.fr`], { noLedger: true }).code).toBe(0);
      expect(sb.run(['-f', file, 'client', 'add', name.toUpperCase(), '--name', name]).code).toBe(0);
      return file;
    };
    const a = make('a');
    const b = make('b');
    const c = make('c');
    make('relance');
    expect(sb.run(['ledger', 'add', 'bee', b], { noLedger: true }).code).toBe(0);
    const codes = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      JSON.parse(sb.run([...args, 'client', 'list', '--json'], { noLedger: true, env }).stdout).map((x: { code: string }) => x.code);
    expect(codes(['-f', a, '--ledger', 'bee'], { RELANCE_FILE: c })).toEqual(['A']);
    expect(codes(['--ledger', 'bee'], { RELANCE_FILE: c })).toEqual(['B']);
    expect(codes([], { RELANCE_FILE: c })).toEqual(['C']);
    expect(codes([])).toEqual(['RELANCE']);
  });

  it('keeps a registry of named ledgers', () => {
    sb.init();
    expect(sb.run(['ledger', 'add', 'dupont', sb.ledger], { noLedger: true }).stdout).toMatch(/Registered dupont/);
    expect(fs.existsSync(path.join(sb.dir, 'config', 'relance', 'ledgers.json'))).toBe(true);
    const list = JSON.parse(sb.run(['ledger', 'list', '--json'], { noLedger: true }).stdout);
    expect(list).toEqual([{ name: 'dupont', file: sb.ledger, exists: true }]);
    expect(sb.run(['--ledger', 'dupont', 'client', 'list', '--json'], { noLedger: true }).code).toBe(0);
    expect(sb.run(['--ledger', 'nope', 'client', 'list'], { noLedger: true }).code).toBe(4);
    expect(sb.run(['ledger', 'add', 'ghost', path.join(sb.dir, 'ghost.db')], { noLedger: true }).code).toBe(4);
    expect(sb.run(['ledger', 'remove', 'dupont'], { noLedger: true }).code).toBe(0);
    expect(fs.existsSync(sb.ledger)).toBe(true);
    expect(sb.run(['ledger', 'remove', 'dupont'], { noLedger: true }).code).toBe(2);
  });

  it('changes settings through ledger set, checked first', () => {
    sb.init();
    expect(sb.run(['ledger', 'set', 'terms.days', '45']).stdout).toBe('terms.days = 45\n');
    expect(sb.run(['ledger', 'set', 'business.iban', 'fr76 3000 6000 0112 3456 7890 189']).stdout).toBe('business.iban = FR7630006000011234567890189\n');
    expectRefused(['ledger', 'set', 'terms.days', 'soon'], /terms\.days: cannot use "soon": a whole number/);
    expectRefused(['ledger', 'set', 'colour', 'blue'], /unknown setting "colour"; the settings are: business\.name/);
  });

  it('waits for another writer, then exits 3 with the ledger unchanged', async () => {
    sb.init();
    const holder = spawn(
      process.execPath,
      ['-e', `const D=require('better-sqlite3'); const d=new D(process.argv[1]); d.prepare('BEGIN IMMEDIATE').run(); process.stdout.write('locked\\n'); setTimeout(()=>{}, 120000);`, sb.ledger],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    try {
      const started = Date.now();
      const r = await sb.runAsync(['client', 'add', 'ACME', '--name', 'ACME'], { env: { RELANCE_BUSY_TIMEOUT_MS: '300' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/locked by another relance run/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      holder.kill('SIGKILL');
    }
    expect(JSON.parse(sb.run(['client', 'list', '--json']).stdout)).toEqual([]);
  });
});

describe('clients', () => {
  beforeEach(() => {
    expect(sb.init().code).toBe(0);
  });

  it('adds, lists, shows and edits clients', () => {
    const add = sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.fr', '--siren', '552 100 554', '--address', '1 rue de la Paix;75002 Paris', '--terms', '45', '--po-required', '--billing-note', 'Portail Chorus']);
    expect(add).toMatchObject({ code: 0, stdout: 'Added client ACME (ACME SAS)\n', stderr: '' });
    expect(sb.run(['client', 'add', 'MARTIN', '--name', 'Claire Martin', '--b2c', '--lang', 'en']).code).toBe(0);
    const list = JSON.parse(sb.run(['client', 'list', '--json']).stdout);
    expect(list.map((c: { code: string }) => c.code)).toEqual(['ACME', 'MARTIN']);
    const acme = JSON.parse(sb.run(['client', 'show', 'acme', '--json']).stdout);
    expect(acme).toMatchObject({ code: 'ACME', siren: '552100554', address: '1 rue de la Paix\n75002 Paris', termsDays: 45, poRequired: true, kind: 'b2b', lang: 'fr' });
    expect(JSON.parse(sb.run(['client', 'show', 'MARTIN', '--json']).stdout)).toMatchObject({ kind: 'b2c', lang: 'en' });
    expect(sb.run(['client', 'edit', 'ACME', '--pause-until', '2026-12-15', '--email', 'compta@acme.fr', '--billing-note', '']).code).toBe(0);
    const edited = JSON.parse(sb.run(['client', 'show', 'ACME', '--json']).stdout);
    expect(edited).toMatchObject({ pausedUntil: '2026-12-15', email: 'compta@acme.fr', billingNote: null, name: 'ACME SAS' });
    const human = sb.run(['client', 'show', 'ACME']).stdout;
    expect(human).toMatch(/paused until: +2026-12-15/);
    expect(human).toMatch(/address: +1 rue de la Paix\n +75002 Paris/);
  });
  // Malformed client input (one line, exit 2, ledger unchanged): test/e2e/client-refusals.test.ts.
});

describe('output', () => {
  it('prints no escape codes when piped or under NO_COLOR', () => {
    sb.init();
    sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    for (const env of [{}, { NO_COLOR: '1' }, { FORCE_COLOR: '1' }]) {
      const r = sb.run(['client', 'list'], { env });
      expect(r.stdout).toContain('ACME SAS');
      expect(hasEscapes(r.stdout + r.stderr)).toBe(false);
    }
  });

  // A real terminal (util-linux `script`): colour is on there, and NO_COLOR, --no-color and TERM=dumb turn it off.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('colours only a terminal, never under NO_COLOR, --no-color or TERM=dumb', () => {
    sb.init();
    sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    const onTerminal = (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const command = [process.execPath, BIN, '-f', sb.ledger, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm', ...env }, encoding: 'utf8', input: '' });
      expect(r.stdout).toContain('ACME SAS');
      return r.stdout;
    };
    expect(hasEscapes(onTerminal(['client', 'list']))).toBe(true);
    expect(hasEscapes(onTerminal(['client', 'list'], { NO_COLOR: '1' }))).toBe(false);
    expect(hasEscapes(onTerminal(['--no-color', 'client', 'list']))).toBe(false);
    expect(hasEscapes(onTerminal(['client', 'list'], { TERM: 'dumb' }))).toBe(false);
  });

  it('lists every command in --help and shows examples in every help', () => {
    const r = sb.run(['--help'], { noLedger: true });
    expect(r.code).toBe(0);
    for (const name of ['init', 'ledger', 'client']) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b.*\\S`, 'm'));
    expect(r.stdout).toContain('Examples:');
    expect(sb.run(['--version'], { noLedger: true }).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
