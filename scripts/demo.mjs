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
{
  // Drafts are named draft-N until they are issued; take the name from what relance printed.
  const draft = (r) => /draft-\d+/.exec(r.stdout)?.[0] ?? 'draft-?';
  relance('quote', 'new', 'ACME', '--line', 'Développement | 10 | 450 | 20', '--line', 'Formation | 1,5 | 800 | 20 | 10%',
    '--line', 'Livres | 4 | 25,50 | 5.5', '--deposit', '30', '--operation', 'both', '--date', '2026-01-05');
  relance('quote', 'pdf', 'D-2026-0001', '--out', 'D-2026-0001.pdf');
  relance('quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-01-07');
  relance('deposit', 'D-2026-0001', '--issue', '--date', '2026-01-08');
  const globex = relance('invoice', 'new', 'GLOBEX', '--line', 'Consulting | 3 | 900 | 20', '--po', 'PO-4500012345', '--operation', 'services', '--as-of', '2026-01-15');
  relance('invoice', 'issue', draft(globex), '--date', '2026-01-15');
  const martin = relance('invoice', 'new', 'MARTIN', '--line', 'Portrait | 1 | 350 | 20', '--line', 'Tirage A3 | 2 | 45 | 20', '--operation', 'both', '--as-of', '2026-01-20');
  relance('invoice', 'issue', draft(martin), '--date', '2026-01-20');
  const final = relance('invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-02-27');
  relance('invoice', 'issue', draft(final), '--date', '2026-02-27');
  relance('invoice', 'pdf', 'F-2026-0004', '--out', 'F-2026-0004.pdf');
  const hosting = relance('invoice', 'new', 'ACME', '--line', 'Hébergement annuel | 1 | 240 | 20', '--operation', 'services', '--as-of', '2026-03-02');
  relance('invoice', 'issue', draft(hosting), '--date', '2026-03-02');
  relance('invoice', 'cancel', 'F-2026-0005', '--date', '2026-03-03', '--reason', 'Facturé en double');
  relance('invoice', 'list', '--as-of', '2026-03-05');
  relance('invoice', 'show', 'F-2026-0004', '--as-of', '2026-03-05');
  relance('invoice', 'send', 'F-2026-0003', '--preview', '--as-of', '2026-03-05'); // the email it would send, with its Factur-X PDF (nothing recorded)
}
// --- payments and overdue
relance('pay', 'F-2026-0001', '--date', '2026-01-12', '--ref', 'VIR ACME ACOMPTE');
relance('pay', 'F-2026-0002', '1000', '--date', '2026-03-20', '--method', 'transfer', '--ref', 'VIR GLOBEX 0320');
relance('plan', 'F-2026-0003', '--instalments', '3', '--every', 'month', '--start', '2026-03-15', '--date', '2026-03-01');
relance('pay', 'F-2026-0003', '150', '--date', '2026-03-16', '--method', 'cheque', '--ref', 'chq 0012345');
relance('pay', '--client', 'ACME', '2000', '--date', '2026-04-10');
relance('pay', 'list', '--client', 'ACME');
relance('overdue', '--as-of', '2026-05-31');
relance('overdue', '--as-of', '2026-05-31', '--by', 'client');
relance('balance', '--as-of', '2026-05-31');
relance('plan', 'show', 'F-2026-0003', '--as-of', '2026-05-31');
relance('penalties', 'F-2026-0002', '--as-of', '2026-05-31');
relance('penalties', 'F-2026-0002', '--bill', '--as-of', '2026-05-31');
relance('statement', 'ACME', '--as-of', '2026-05-31', '--pdf', '--out', 'releve-ACME-2026-05-31.pdf');
relance('rates', 'list');
relance('overdue', '--as-of', '2026-08-15', '--client', 'GLOBEX'); // H2 2026 not confirmed yet: shown as unknown, one warning
// --- reminders
relance('policy', 'show');
relance('policy', 'set', '--min-amount', '20');
relance('policy', 'set', '--client', 'GLOBEX', '--level', '1', '--offset', '10');
relance('remind', '--due', '--dry-run', '--as-of', '2026-03-12'); // no SMTP settings: the outbox
relance('remind', '--due', '--as-of', '2026-03-12');
relance('remind', 'preview', '--level', '3', '--client', 'GLOBEX', '--as-of', '2026-04-20');
relance('remind', '--client', 'GLOBEX', '--level', '3', '--as-of', '2026-04-20'); // registered letter + email copy
relance('remind', 'list');
relance('remind', 'show', '1');
// --- calls and to-do
relance('call-log', 'add', 'GLOBEX', '--invoice', 'F-2026-0002', '--at', '2026-03-10 10:30', '--with', 'Accounts payable',
  '--outcome', 'Invoice approved; 1 000 paid on the 20th, the rest in April', '--promise', '2026-03-20', '--promise-amount', '1000', '--next', '2026-04-20');
relance('call-log', 'add', 'MARTIN', '--channel', 'email', '--at', '2026-03-02 09:00', '--outcome', 'Asks to pay in three instalments');
relance('call-log', 'add', 'ACME', '--invoice', 'F-2026-0004', '--at', '2026-04-02 15:00', '--with', 'Jeanne Martin', '--outcome', 'Will pay on the 8th', '--promise', '2026-04-08');
relance('call-log', 'edit', '3', '--outcome', 'Will pay on the 8th, by transfer', '--next', '2026-04-15');
relance('call-log', 'list');
relance('call-log', 'show', '3');
relance('call-log', 'list', '--client', 'GLOBEX', '--csv');
relance('todo', '--as-of', '2026-04-25');
relance('client', 'show', 'GLOBEX', '--history');
relance('doctor', '--as-of', '2026-03-15');
relance('backup', path.join(dir, 'atelier-backup.db'));
// --- a secretary's second business, and the nightly run over both
{
  const martin = path.join(dir, 'martin.db');
  relance('ledger', 'add', 'atelier', ledger);
  relance('init', martin, '--name', 'Marie Martin EI', '--email', 'marie@martin.example', '--siren', '812345676', '--address', '8 rue Mercière;69002 Lyon', '--vat-exempt', '--register', 'martin');
  relance('-f', martin, 'client', 'add', 'BOULANGERIE', '--name', 'Boulangerie Petit', '--email', 'compta@petit.example', '--siren', '443061841', '--address', '3 place du Marché;69002 Lyon');
  const r = relance('-f', martin, 'invoice', 'new', 'BOULANGERIE', '--line', 'Site vitrine | 1 | 1200', '--operation', 'services');
  relance('-f', martin, 'invoice', 'issue', /draft-\d+/.exec(r.stdout)?.[0] ?? 'draft-?', '--date', '2026-02-02');
  relance('ledger', 'list');
  relance('overdue', '--all', '--as-of', '2026-04-20');
  relance('remind', '--due', '--all', '--dry-run', '--as-of', '2026-04-20');
  relance('remind', '--due', '--all', '--quiet', '--log', path.join(dir, 'remind.log'), '--as-of', '2026-04-20'); // what cron runs
  relance('remind', '--due', '--all', '--quiet', '--as-of', '2026-04-20'); // the same night again: nothing to send, nothing printed
  process.stdout.write(`\n$ cat remind.log\n${fs.readFileSync(path.join(dir, 'remind.log'), 'utf8')}`);
}

console.log(`\nDemo ledger: ${ledger}${failed ? `\n${failed} step(s) failed` : ''}`);
process.exitCode = failed ? 1 : 0;
