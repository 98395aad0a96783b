// Bundles src/cli/main.ts into dist/relance.cjs: one CommonJS file holding commander, zod, chalk, the
// core, the store and every command. Each command module stays lazy (esbuild wraps it in an init
// function that runs on its first import()), so a start-up evaluates only the command being run.
// Heavy libraries (pdfkit, nodemailer, handlebars, @inquirer/prompts) stay external and are imported
// lazily by the commands that use them; better-sqlite3 is native and loaded when a ledger is opened.
//
// Why CommonJS and one file: measured on Node 20 (`relance client list` on a small ledger, medians
// of 15 in turn), the ESM bundle with split chunks cost 39 ms over `node -e 0`, the CJS bundle 31 ms,
// and the CJS bundle compiled from V8's code cache 21 ms. Node 20 has no module.enableCompileCache()
// (22.1+), so bin/relance compiles the bundle with vm.Script and its cachedData; the build warms that
// cache by running a few ordinary commands on a throw-away ledger (dist/relance.v8cache).
//
// The new dist/ is built beside the old one and swapped in, so a test running while someone rebuilds
// never finds it half-written. Besides the bundle: dist/version (what `relance --version` prints,
// answered by bin/relance without reading the bundle) and the bundle's build id in its first line,
// which the code cache file repeats, so a cache is never used for a bundle it was not made from.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8'));
const tmp = new URL(`dist.tmp-${process.pid}/`, root);
const old = new URL(`dist.old-${process.pid}/`, root);
const buildId = `${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`;

/**
 * commander requires node:child_process at its top (only to run executable subcommands, which
 * relance has none of), and loading it pulls in net, stream, dgram and their bindings: ~5 ms of every
 * start. Its one use, spawn(), now loads the module when called.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'relance-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'relance-lazy' }, () => ({
      contents: 'let m;\nmodule.exports = { spawn: (...args) => (m ??= require("node:child_process")).spawn(...args) };\n',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: { relance: 'src/cli/main.ts' },
  outdir: tmp.pathname,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // import() of the external libraries becomes require(): each has a CommonJS entry, and code compiled
  // from V8's cache through vm.Script cannot start the ESM loader ("dynamic import callback").
  supported: { 'dynamic-import': false },
  minify: process.env.RELANCE_NO_MINIFY !== '1',
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['bindings', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'smtp-server', 'exceljs'],
  define: { __RELANCE_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__relance_module_url' },
  banner: { js: `/*relance-build:${buildId}*/var __relance_module_url = require("node:url").pathToFileURL(__filename).href;` },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
fs.writeFileSync(new URL('version', tmp), `${pkg.version}\n`);
const dist = new URL('dist/', root);
if (fs.existsSync(dist)) fs.renameSync(dist, old);
fs.renameSync(tmp, dist);
fs.rmSync(old, { recursive: true, force: true });

// Warm V8's code cache with the commands people run most, in one process, so that the functions they
// compile are in the cache. Best effort: without a cache relance still runs, only slower to start.
if (process.env.RELANCE_NO_CODE_CACHE !== '1') {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-warm-'));
  const db = path.join(home, 'warm.db');
  const asOf = ['--as-of', '2026-01-31'];
  const runs = [
    ['--help'],
    ['init', db, '--name', 'Warm-up SARL', '--email', 'compta@example.fr', '--no-input'],
    ['-f', db, 'client', 'add', 'WARM', '--name', 'Client SAS', '--email', 'ap@example.fr'],
    ['-f', db, 'client', 'list'],
    ['-f', db, 'client', 'list', '--json'],
    ['-f', db, 'client', 'show', 'WARM'],
    ['-f', db, 'invoice', 'list'],
    ['-f', db, 'overdue', ...asOf],
    ['-f', db, 'overdue', '--by', 'client', ...asOf],
    ['-f', db, 'todo', ...asOf],
    ['-f', db, 'ledger', 'show'],
  ];
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1', RELANCE_WARM_CODE_CACHE: JSON.stringify(runs) };
  delete env.RELANCE_FILE;
  const r = spawnSync(process.execPath, [new URL('bin/relance', root).pathname], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  fs.rmSync(home, { recursive: true, force: true });
  if (r.status !== 0) process.stderr.write(`build: warming the code cache failed (relance still runs, only slower to start):\n${r.stderr}`);
}
