// npm run demo: a demo ledger in ./demo/ (recreated each time) and the main commands run on it,
// printed as a user would type them. Dates are fixed with --as-of so the story is the same every day.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'demo');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const ledger = path.join(dir, 'atelier.db');
const env = { ...process.env, RELANCE_FILE: ledger, XDG_CONFIG_HOME: path.join(dir, 'config') };
const bin = path.join(root, 'bin', 'relance');
let failed = 0;

function relance(...args) {
  process.stdout.write(`\n$ relance ${args.map((a) => (/[\s";|]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== 0) {
    process.stdout.write(`(exit ${r.status})\n`);
    failed++;
  }
  return r;
}

const fixture = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', 'demo', 'business.json'), 'utf8'));

// --- foundation: the business and its clients
relance('init', ledger, ...fixture.init);
for (const c of fixture.clients) relance('client', 'add', ...c);
relance('client', 'list');

// --- documents (quotes, deposits, invoices)
// --- payments and overdue
// --- reminders
// --- calls and to-do

console.log(`\nDemo ledger: ${ledger}${failed ? `\n${failed} step(s) failed` : ''}`);
process.exitCode = failed ? 1 : 0;
