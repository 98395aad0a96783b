// Bundles src/cli/main.ts into dist/relance.js (one file for the eager path: commander, zod, chalk,
// cli-table3, the core and the store), so a cold start resolves few modules. Heavy libraries are
// external and imported lazily by the commands that use them; better-sqlite3 is native.
import { build } from 'esbuild';
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
fs.rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { relance: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['better-sqlite3', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'cli-progress', 'smtp-server'],
  define: { __RELANCE_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __relanceRequire } from 'node:module'; const require = __relanceRequire(import.meta.url);" },
  logLevel: 'warning',
});
