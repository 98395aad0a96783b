// Bundles src/cli/main.ts into CommonJS files under dist/:
// - dist/relance.cjs, the whole program (commander, zod, chalk, the core, the store and every command;
//   each command module stays lazy: esbuild wraps it in an init function run on its first import()),
//   for help, unknown words and completion;
// - dist/commands/<module>.cjs, the same program with one command module (the others replaced by a
//   line that throws), which bin/relance runs for that command's words (dist/commands.json): a third of
//   the code to read, compile and evaluate;
// - dist/version, what `relance --version` prints, answered by bin/relance without reading a bundle.
// Heavy libraries (pdfkit, nodemailer, handlebars, @inquirer/prompts) stay external and are imported
// lazily by the commands that use them; better-sqlite3 is native and loaded when a ledger is opened.
//
// Why CommonJS: measured on Node 20 (`relance client list` on a small ledger, medians of 15 in turn),
// the ESM bundle with split chunks cost 39 ms over `node -e 0`, the CJS bundle 31 ms, and the CJS
// bundle compiled from V8's code cache 21 ms. bin/relance compiles each bundle with vm.Script and its
// cachedData (dist/**/*.v8cache), which the build warms by running a few ordinary commands on a
// throw-away ledger. Each bundle's first line carries the build id, which its cache file repeats, so a
// cache is never used for a bundle it was not made from.
//
// The new dist/ is built beside the old one and swapped in, so a test running while someone rebuilds
// never finds it half-written.
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

/**
 * chalk detects the terminal's colours when it is imported (supports-color, which loads node:tty and
 * with it net and the streams); relance never asks it: src/cli/io.ts decides (a terminal, NO_COLOR,
 * --no-color, TERM=dumb) and passes the level to every Chalk it makes. The detection is left out.
 */
const noColorDetection = {
  name: 'no-color-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (a) => (/[\\/]chalk[\\/]/.test(a.importer) ? { path: 'supports-color', namespace: 'relance-no-detection' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'relance-no-detection' }, () => ({ contents: 'export default { stdout: false, stderr: false };\n', loader: 'js' }));
  },
};

/**
 * The interface's catalogues (src/i18n/<lang>/<area>.ts) are not in the bundles: they were two
 * thirds of each (both languages, every area), which every start read, deserialised and evaluated,
 * then merged into one object per language (~20 ms of CPU of `client list`). The build writes each
 * area of each language as dist/i18n/<lang>/<area>.json, and the two index modules become ones whose
 * area properties read and parse their file on first use: a run reads only the language it speaks
 * and the areas whose keys it asks for. `dir` is where dist/i18n is from the bundle's folder.
 */
const catalogueEntry = "export { EN_AREAS } from './src/i18n/en/index.ts';\nexport { FR_AREAS } from './src/i18n/fr/index.ts';\n";
const catalogueBuild = await build({ stdin: { contents: catalogueEntry, resolveDir: new URL('.', root).pathname, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
const catalogues = await import(`data:text/javascript;base64,${Buffer.from(catalogueBuild.outputFiles[0].text).toString('base64')}`);
const AREA_TABLES = { en: catalogues.EN_AREAS, fr: catalogues.FR_AREAS };
const AREA_NAMES = Object.keys(AREA_TABLES.en);
for (const [lang, areas] of Object.entries(AREA_TABLES)) {
  if (Object.keys(areas).join() !== AREA_NAMES.join()) throw new Error(`build: src/i18n/${lang}/index.ts has areas ${Object.keys(areas)}, en has ${AREA_NAMES}`);
  fs.mkdirSync(new URL(`i18n/${lang}/`, tmp), { recursive: true });
  for (const a of AREA_NAMES) fs.writeFileSync(new URL(`i18n/${lang}/${a}.json`, tmp), JSON.stringify(areas[a]));
}
const lazyCatalogues = (dir) => ({
  name: 'lazy-catalogues',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]i18n[\\/](en|fr)[\\/]index\.ts$/ }, (a) => {
      const lang = /[\\/](en|fr)[\\/]index\.ts$/.exec(a.path)[1];
      const name = `${lang.toUpperCase()}_AREAS`;
      return {
        contents: `import fs from 'node:fs';
import path from 'node:path';
export const ${name} = {};
for (const area of ${JSON.stringify(AREA_NAMES)}) {
  Object.defineProperty(${name}, area, {
    enumerable: true,
    configurable: true,
    get() {
      const messages = JSON.parse(fs.readFileSync(path.join(__dirname, ${JSON.stringify(dir)}, ${JSON.stringify(lang)}, area + '.json'), 'utf8'));
      Object.defineProperty(${name}, area, { value: messages, enumerable: true });
      return messages;
    },
  });
}
`,
        loader: 'js',
      };
    });
  },
});

/**
 * `import fs from 'node:fs'` in a source module becomes, in a CommonJS bundle, esbuild's
 * __toESM(require("node:fs")): a new object with a getter for each of the module's ~100 properties,
 * once per importing file (13 such imports in the client bundle: ~1.7 ms of every start). The
 * source's default imports of fs, path and os are given one shared module instead, whose default is
 * the builtin itself. A named import of them would fail the build here (none is used).
 */
const sharedBuiltins = {
  name: 'shared-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|os)$/ }, (a) => (a.kind === 'import-statement' && /[\\/]src[\\/]/.test(a.importer) && !/node_modules/.test(a.importer) ? { path: a.path, namespace: 'relance-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'relance-builtin' }, (a) => ({ contents: `export default require(${JSON.stringify(a.path)});\n`, loader: 'js' }));
    // commander's require('node:process') compiles node's tiny process module (not loaded at start) for the global.
    b.onResolve({ filter: /^node:process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'process', namespace: 'relance-process' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'relance-process' }, () => ({ contents: 'module.exports = process;\n', loader: 'js' }));
  },
};

const options = {
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
  legalComments: 'none',
  external: ['bindings', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'smtp-server', 'exceljs'],
  define: { __RELANCE_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__relance_module_url' },
  banner: { js: `/*relance-build:${buildId}*/var __relance_module_url = require("node:url").pathToFileURL(__filename).href;` },
  logLevel: 'warning',
};

// The whole program: help, unknown words, completion scripts, and any command without its own bundle.
await build({ ...options, entryPoints: { relance: 'src/cli/main.ts' }, sourcemap: 'linked', plugins: [sharedBuiltins, lazyChildProcess, noColorDetection, lazyCatalogues('i18n')] });

/**
 * One bundle per command module of main.ts's COMMANDS table (the lines without a third element, which
 * need every command): the same program, where the other command modules are replaced by one line
 * that throws RELANCE_OTHER_BUNDLE. bin/relance picks the bundle from the command word through
 * dist/commands.json and, should the program ask for another command's module after all (a word it
 * reads differently), runs the whole program instead; nothing was printed by then. Reading,
 * compiling and evaluating a third of the code is what this saves (~6 ms of `client list`).
 */
const mainTs = fs.readFileSync(new URL('src/cli/main.ts', root), 'utf8');
const words = {};
for (const m of mainTs.matchAll(/\[\[([^\]]*)\],\s*async \(\) => \(await import\('\.\/commands\/([\w-]+)\.js'\)\)\.\w+\s*\]/g)) {
  for (const w of m[1].matchAll(/'([\w-]+)'/g)) words[w[1]] = m[2];
}
const modules = [...new Set(Object.values(words))];
if (modules.length < 10) throw new Error(`build: found only ${modules.length} command modules in src/cli/main.ts's COMMANDS (the pattern changed?)`);
const mainPath = new URL('src/cli/main.ts', root).pathname;
const oneCommand = {
  name: 'one-command',
  setup(b) {
    b.onResolve({ filter: /^relance-main:/ }, (a) => ({ path: `${mainPath}?${a.path.slice('relance-main:'.length)}`, namespace: 'relance-main' }));
    b.onLoad({ filter: /.*/, namespace: 'relance-main' }, (a) => ({
      contents: mainTs,
      loader: 'ts',
      resolveDir: path.dirname(mainPath),
      pluginData: { only: a.path.slice(a.path.indexOf('?') + 1) },
    }));
    b.onResolve({ filter: /^\.\/commands\/[\w-]+\.js$/ }, (a) => {
      const only = a.pluginData?.only;
      if (only === undefined || a.path === `./commands/${only}.js`) return undefined;
      return { path: a.path, namespace: 'relance-other-bundle' };
    });
    b.onLoad({ filter: /.*/, namespace: 'relance-other-bundle' }, (a) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`${a.path} is not in this bundle`)}), { code: 'RELANCE_OTHER_BUNDLE' });\n`,
      loader: 'js',
    }));
  },
};
await build({
  ...options,
  entryPoints: Object.fromEntries(modules.map((m) => [`commands/${m}`, `relance-main:${m}`])),
  sourcemap: false,
  plugins: [sharedBuiltins, lazyChildProcess, noColorDetection, lazyCatalogues('../i18n'), oneCommand],
});
fs.writeFileSync(new URL('commands.json', tmp), JSON.stringify(words) + '\n');
fs.writeFileSync(new URL('version', tmp), `${pkg.version}\n`);
const dist = new URL('dist/', root);
if (fs.existsSync(dist)) fs.renameSync(dist, old);
fs.renameSync(tmp, dist);
fs.rmSync(old, { recursive: true, force: true });

// Warm V8's code cache of every bundle with the commands people run most (and each command's --help,
// which compiles its registration), in one process, so that the functions they compile are in the
// caches. Best effort: without a cache relance still runs, only slower to start.
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
    ['-f', db, 'balance', ...asOf],
    ['-f', db, 'ledger', 'show'],
    ...Object.keys(words).map((w) => [w, '--help']),
  ];
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1', RELANCE_WARM_CODE_CACHE: JSON.stringify(runs) };
  delete env.RELANCE_FILE;
  const r = spawnSync(process.execPath, [new URL('bin/relance', root).pathname], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  fs.rmSync(home, { recursive: true, force: true });
  if (r.status !== 0) process.stderr.write(`build: warming the code cache failed (relance still runs, only slower to start):\n${r.stderr}`);
}
