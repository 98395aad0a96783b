// Bundles src/cli/main.ts into dist/relance.js (one file for the eager path: commander, zod, chalk,
// cli-table3, the core and the store), so a cold start resolves and parses few modules. Heavy
// libraries stay external and are imported lazily by the commands that use them; better-sqlite3
// is native. The new dist/ is built beside the old one and swapped in, so a test running while
// someone rebuilds never finds it half-written.
import { build } from 'esbuild';
import fs from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8'));
const tmp = new URL(`dist.tmp-${process.pid}/`, root);
const old = new URL(`dist.old-${process.pid}/`, root);
await build({
  entryPoints: { relance: 'src/cli/main.ts' },
  outdir: tmp.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: process.env.RELANCE_NO_MINIFY !== "1",
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['better-sqlite3', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'cli-progress', 'smtp-server'],
  define: { __RELANCE_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __relanceRequire } from 'node:module'; const require = __relanceRequire(import.meta.url);" },
  logLevel: 'warning',
});
const dist = new URL('dist/', root);
if (fs.existsSync(dist)) fs.renameSync(dist, old);
fs.renameSync(tmp, dist);
fs.rmSync(old, { recursive: true, force: true });
