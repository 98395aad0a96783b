/**
 * bin/relance: the built bundle is compiled from V8's code cache that the build warmed, and a
 * missing, stale or corrupt cache only costs time: relance still runs and writes a good cache.
 */
import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';

const DIST = path.join(ROOT, 'dist');
const hasVmCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

/** A copy of the installed package (bin/ and dist/ copied, the rest linked) whose cache can be broken. */
function copyOfPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-'));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.cpSync(DIST, path.join(dir, 'dist'), { recursive: true });
  for (const name of ['node_modules', 'templates', 'package.json']) fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
  return dir;
}

function relance(pkg: string, args: string[], home: string) {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'relance'), ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1' },
    encoding: 'utf8',
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

describe.runIf(hasVmCache)('the code-cache loader (Node without module.enableCompileCache)', () => {
  it('the build wrote a cache that V8 accepts for the bundle as built', () => {
    const probe = `
      const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
      const file = ${JSON.stringify(path.join(DIST, 'relance.cjs'))};
      const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
        filename: file, cachedData: fs.readFileSync(${JSON.stringify(path.join(DIST, 'relance.v8cache'))}) });
      process.stdout.write(String(script.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('false');
  });

  it('runs with a corrupt cache, then replaces it with one V8 accepts', () => {
    const pkg = copyOfPackage();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(pkg, home);
    const cache = path.join(pkg, 'dist', 'relance.v8cache');
    fs.writeFileSync(cache, Buffer.from('not a V8 code cache'));

    const version = relance(pkg, ['--version'], home);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
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

describe.runIf(!hasVmCache)('Node 22.1+: the compile cache of Node itself (module.enableCompileCache)', () => {
  it('bin/relance turns it on: the bundle is cached under the temp folder, and runs from it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-loader-home-'));
    made.push(home);
    const tmp = path.join(home, 'tmp');
    fs.mkdirSync(tmp);
    const run = () =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin', 'relance'), '--version'], {
        cwd: home,
        env: { PATH: process.env.PATH, HOME: home, TMPDIR: tmp, NO_COLOR: '1' },
        encoding: 'utf8',
        input: '',
      });
    const first = run();
    expect(first).toMatchObject({ status: 0, stderr: '' });
    // Without NODE_COMPILE_CACHE, Node caches only when the program asks: <tmpdir>/node-compile-cache.
    const cacheDir = path.join(tmp, 'node-compile-cache');
    const files = (fs.readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(cacheDir, f)).isFile());
    expect(files.length).toBeGreaterThan(0);
    const second = run();
    expect(second).toMatchObject({ status: 0, stderr: '', stdout: first.stdout });
  });
});
