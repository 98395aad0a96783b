/**
 * bin/relance: the built bundle is compiled from V8's code cache that the build warmed, and a
 * missing, stale or corrupt cache only costs time: relance still runs and writes a good cache.
 * A cache made from another build of the bundle is never used for this one. `--version` is answered
 * from dist/version, the same text the program prints.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';
import { EN_AREAS } from '../../src/i18n/en/index.js';
import { openLedger } from '../../src/store/db.js';
import { insertClient } from '../../src/store/clients.js';
import { FR_AREAS } from '../../src/i18n/fr/index.js';

const DIST = path.join(ROOT, 'dist');
const HEADER = 'relance-v8cache:';

/** The cache file as bin/relance writes it: a header line with the bundle's build id, then V8's data. */
function splitCache(file: string): { id: string; data: Buffer } {
  const buf = fs.readFileSync(file);
  const nl = buf.indexOf(10);
  const head = buf.toString('latin1', 0, nl);
  expect(head.startsWith(HEADER)).toBe(true);
  return { id: head.slice(HEADER.length), data: buf.subarray(nl + 1) };
}

/** The build id in the bundle's first line. */
function bundleId(file: string): string {
  return /^\/\*relance-build:([\w-]+)\*\//.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
}

/** A copy of the installed package (bin/ and dist/ copied, the rest linked) whose cache can be broken. */
function copyOfPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-'));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.cpSync(DIST, path.join(dir, 'dist'), { recursive: true });
  for (const name of ['node_modules', 'templates', 'package.json']) fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
  return dir;
}

function relance(pkg: string, args: string[], home: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'relance'), ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1', ...env },
    encoding: 'utf8',
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

describe('the code-cache loader (vm.Script with the cache beside each bundle, on every Node)', () => {
  it('the build wrote, for every bundle, a cache that V8 accepts for it as built, tagged with its build id', () => {
    const bundles = ['relance.cjs', ...fs.readdirSync(path.join(DIST, 'commands')).filter((f) => f.endsWith('.cjs')).map((f) => `commands/${f}`)];
    expect(bundles.length).toBeGreaterThan(10);
    for (const b of bundles) {
      const file = path.join(DIST, b);
      const { id } = splitCache(file.replace(/\.cjs$/, '.v8cache'));
      expect(id).toMatch(/^[\w-]{8,}$/);
      expect([b, id]).toEqual([b, bundleId(file)]);
    }
    // Each compiled with its cache, in one process (a fresh V8 context per script).
    const probe = `
      const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module'), path = require('node:path');
      const out = {};
      for (const b of ${JSON.stringify(bundles)}) {
        const file = path.join(${JSON.stringify(DIST)}, b);
        const buf = fs.readFileSync(file.replace(/\\.cjs$/, '.v8cache'));
        const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: buf.subarray(buf.indexOf(10) + 1) });
        out[b] = script.cachedDataRejected;
      }
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(bundles.map((b) => [b, false])));
  });

  it('runs with a corrupt cache, then replaces it with one V8 accepts', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const cache = path.join(pkg, 'dist', 'relance.v8cache');
    fs.writeFileSync(cache, Buffer.from('not a V8 code cache'));

    const help = relance(pkg, ['--help'], home);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: relance');
    const rewritten = fs.readFileSync(cache);
    expect(rewritten.length).toBeGreaterThan(10_000);

    // The rewritten cache serves the next runs, including a command that opens a ledger.
    const db = path.join(home, 'l.db');
    expect(relance(pkg, ['init', db, '--name', 'Atelier', '--email', 'a@atelier.fr', '--no-input'], home).code).toBe(0);
    expect(relance(pkg, ['-f', db, 'client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.fr'], home).code).toBe(0);
    const list = relance(pkg, ['-f', db, 'client', 'list', '--json'], home);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'ACME', name: 'ACME SAS' })]));
    // An accepted cache is left as it is: no write on every start.
    expect(fs.readFileSync(cache).equals(rewritten)).toBe(true);
  });

  it('never uses a cache made from another build of the bundle: it compiles, runs and writes its own', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const cache = path.join(pkg, 'dist', 'relance.v8cache');
    const { id, data } = splitCache(cache);
    // The cache of an older build (what a run that started before a rebuild would save after it):
    // V8 itself would accept it, since its check is the length of the source, not its text.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${HEADER}older-build\n`, 'latin1'), data]));
    const r = relance(pkg, ['--help'], home);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(splitCache(cache).id).toBe(id);
  });

  it('runs without a cache file, and writes one', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const cache = path.join(pkg, 'dist', 'relance.v8cache');
    fs.rmSync(cache);
    const r = relance(pkg, ['--help'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: relance');
    expect(fs.statSync(cache).size).toBeGreaterThan(10_000);
  });
});

describe('one bundle per command', () => {
  it('a command runs from its own bundle; one that asks for another command module runs the whole program instead', () => {
    const words = JSON.parse(fs.readFileSync(path.join(DIST, 'commands.json'), 'utf8')) as Record<string, string>;
    expect(words).toMatchObject({ client: 'client', invoice: 'invoice', backup: 'backup', restore: 'backup' });
    expect(words).not.toHaveProperty('completion');
    for (const m of new Set(Object.values(words))) expect(fs.existsSync(path.join(DIST, 'commands', `${m}.cjs`))).toBe(true);

    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const db = path.join(home, 'l.db');
    expect(relance(pkg, ['init', db, '--name', 'Atelier', '--email', 'a@atelier.fr', '--no-input'], home).code).toBe(0);
    expect(relance(pkg, ['-f', db, 'client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.fr'], home).code).toBe(0);
    const list = relance(pkg, ['-f', db, 'client', 'list', '--json'], home);
    // A wrong map: "client" sent to the bundle of "init", which has no client module.
    fs.writeFileSync(path.join(pkg, 'dist', 'commands.json'), JSON.stringify({ ...words, client: 'init' }));
    expect(relance(pkg, ['-f', db, 'client', 'list', '--json'], home)).toEqual(list);
    // No map at all: every command runs from the whole program.
    fs.rmSync(path.join(pkg, 'dist', 'commands.json'));
    expect(relance(pkg, ['-f', db, 'client', 'list', '--json'], home)).toEqual(list);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ code: 'ACME' })]);
  });
});

describe('relance --version', () => {
  it('is answered from dist/version, exactly as the program answers it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    const pkg = copyOfPackage();
    made.push(home, pkg);
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(fs.readFileSync(path.join(DIST, 'version'), 'utf8')).toBe(`${version}\n`);
    // Without dist/version (a dist/ built before it existed) the program answers every one of them.
    fs.rmSync(path.join(pkg, 'dist', 'version'));
    const cases = [['--version'], ['-V'], ['-f', path.join(home, 'none.db'), '--json', '-V'], ['--ledger', 'x', '--no-color', '--version', '-q'], ['--version', '--help'], ['--bogus', '--version'], ['-qV'], ['client', '--version'], ['--', '--version']];
    for (const args of cases) expect([args, relance(ROOT, args, home)]).toEqual([args, relance(pkg, args, home)]);
    expect(relance(ROOT, ['--version'], home)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('the catalogues of the bundles', () => {
  it('are dist/i18n/<lang>/<area>.json, the source areas as they are, and no bundle carries one', () => {
    for (const [lang, areas] of [['en', EN_AREAS], ['fr', FR_AREAS]] as const) {
      expect(fs.readdirSync(path.join(DIST, 'i18n', lang)).sort()).toEqual(Object.keys(areas).map((a) => `${a}.json`).sort());
      for (const [area, messages] of Object.entries(areas)) expect(JSON.parse(fs.readFileSync(path.join(DIST, 'i18n', lang, `${area}.json`), 'utf8'))).toEqual(messages);
    }
    const bundles = ['relance.cjs', ...fs.readdirSync(path.join(DIST, 'commands')).filter((f) => f.endsWith('.cjs')).map((f) => `commands/${f}`)];
    for (const b of bundles) {
      const code = fs.readFileSync(path.join(DIST, b), 'utf8');
      expect([b, code.includes(FR_AREAS.common['common.program.description'])]).toEqual([b, false]);
      expect([b, code.includes(EN_AREAS.documents['documents.client.list.description'])]).toEqual([b, false]);
    }
  });

  it('a command prints from its own bundle, in French and in English, what the whole program prints', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const db = path.join(home, 'l.db');
    expect(relance(pkg, ['init', db, '--name', 'Atelier', '--email', 'a@atelier.fr', '--no-input'], home).code).toBe(0);
    for (const code of ['ACME', 'BETA']) expect(relance(pkg, ['-f', db, 'client', 'add', code, '--name', `${code} SAS`, '--email', 'ap@acme.fr', '--stop-work'], home).code).toBe(0);
    const cases = [
      ['-f', db, 'client', 'list'],
      ['-f', db, 'client', 'list', '--json'],
      ['-f', db, 'client', 'list', '--archived'],
      ['-f', db, 'client', 'list', '--help'],
      ['-f', db, 'client', 'list', '--bogus'],
      ['-f', db, 'client', 'lst'],
      ['-f', db, 'client', '--help'],
      ['-f', db, 'client', 'show', 'ACME', '--as-of', '2026-11-20'],
      ['-f', db, 'client', 'show', 'NOPE'],
      ['-f', db, 'help', 'client', 'list'],
      ['-f', db, '--lang', 'en', 'client', 'list'],
      ['-f', path.join(home, 'none.db'), 'client', 'list'],
    ];
    const own = (env: Record<string, string>) => cases.map((args) => [args, relance(pkg, args, home, env)]);
    const runs = { fr: own({ LANG: 'fr_FR.UTF-8' }), en: own({ LANG: 'en_US.UTF-8' }) };
    expect(runs.fr[0]![1]).toMatchObject({ code: 0, stderr: '' });
    expect((runs.fr[0]![1] as { stdout: string }).stdout).toContain('indicateurs');
    expect((runs.en[0]![1] as { stdout: string }).stdout).toContain('flags');
    // The whole program: no map, so no command bundle.
    fs.rmSync(path.join(pkg, 'dist', 'commands.json'));
    expect(own({ LANG: 'fr_FR.UTF-8' })).toEqual(runs.fr);
    expect(own({ LANG: 'en_US.UTF-8' })).toEqual(runs.en);
  });
});

describe('the end of a run', () => {
  it('ends at once when nothing is pending, with every byte written and the exit code kept, even to a slow reader', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const db = path.join(home, 'l.db');
    expect(relance(pkg, ['init', db, '--name', 'Atelier', '--email', 'a@atelier.fr', '--no-input'], home).code).toBe(0);
    const ledger = openLedger(db);
    for (let i = 0; i < 2000; i++) insertClient(ledger, `C${i}`, { name: `Client numéro ${i} SAS`.padEnd(60, '.'), kind: 'b2b', email: `ap${i}@example.fr` }, '2026-01-01T00:00:00+01:00');
    ledger.close();
    // ~800 KB of JSON into a pipe whose reader starts late: more than the pipe holds, so the write waits.
    const bin = path.join(pkg, 'bin', 'relance');
    const r = spawnSync('/bin/sh', ['-c', `"$0" "$1" -f "$2" client list --json | (sleep 0.5; cat)`, process.execPath, bin, db], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { code: string }[];
    expect(list).toHaveLength(2000);
    expect(r.stdout.length).toBeGreaterThan(200_000);
    // Exit codes survive the quick end: a usage error (2) and a missing ledger (4).
    expect(relance(pkg, ['-f', db, 'client', 'list', '--bogus'], home).code).toBe(2);
    expect(relance(pkg, ['-f', path.join(home, 'none.db'), 'client', 'list'], home).code).toBe(4);
  });
});
