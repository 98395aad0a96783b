// The overdue rows of issue 18 §1 that bench/run.mjs adds next to its own:
//
// - the physical floor: the cheapest read that yields the report's data, i.e. the open invoices
//   alone, as a hand-written sqlite3 query over the partial covering index report_documents_open
//   (documents.balance <> 0, migration 8); the product's SQL (bench/sql.mjs) is measured against it;
// - the growth: two ledgers with the same 10k open invoices, one with 100k and one with 1M settled
//   invoices behind them (each paid by one transfer), so that overdue's time shows whether it grows
//   with the history or with the open invoices only.
//
// The growth ledgers are made here (the real `relance init` and `relance rates`, then bulk inserts
// with better-sqlite3, triggers and indices dropped while loading, like bench/generate.mjs), cached in
// bench/out/ while this file and the schema sources are unchanged.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AS_OF, BIN, OUT, ROOT, dayOf, iso } from './generate.mjs';

/** The open invoices, read from the partial covering index alone: every column the report reads from documents. */
export const PHYSICAL_FLOOR_SQL = `SELECT id, client_id, due_date, kind, number, issue_date, currency, amount_due, balance, last_settlement, disputed_on, disputed_until, disputed_reason, last_reminder_level, last_reminder_date
FROM documents INDEXED BY report_documents_open WHERE balance <> 0;
`;

/** Write the floor's script next to the ledgers; returns its path. */
export function physicalFloorScript() {
  const file = path.join(OUT, 'overdue-physical-floor.sql');
  fs.writeFileSync(file, PHYSICAL_FLOOR_SQL);
  return file;
}

const OPEN = 10_000;
const CLIENTS = 500;

function sourcesHash() {
  const h = crypto.createHash('sha256');
  const dir = path.join(ROOT, 'src', 'store', 'schema');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  h.update(fs.readFileSync(path.join(ROOT, 'src', 'store', 'migrations.ts')));
  h.update(fs.readFileSync(new URL(import.meta.url)));
  return h.digest('hex').slice(0, 16);
}

/** A small seeded generator (the same open invoices in every growth ledger). */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The growth ledger with 10k open invoices and `settled` settled ones: { file }. */
export function ensureGrowthLedger(settled, log = (s) => process.stderr.write(s + '\n')) {
  fs.mkdirSync(OUT, { recursive: true });
  const label = settled >= 1_000_000 ? `${settled / 1_000_000}m` : `${settled / 1000}k`;
  const file = path.join(OUT, `ledger-growth-${label}.db`);
  const metaFile = file.replace(/\.db$/, '.json');
  const key = { open: OPEN, settled, sources: sourcesHash(), asOf: AS_OF };
  if (fs.existsSync(file) && fs.existsSync(metaFile) && JSON.stringify(JSON.parse(fs.readFileSync(metaFile, 'utf8')).key) === JSON.stringify(key)) return { file, label: `growth-${label}` };
  log(`generating ${path.relative(ROOT, file)} (${OPEN.toLocaleString('en')} open invoices, ${settled.toLocaleString('en')} settled)...`);
  const t0 = performance.now();
  const tmp = `${file}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const env = { ...process.env, HOME: OUT, XDG_CONFIG_HOME: path.join(OUT, 'config') };
  const init = spawnSync(process.execPath, [BIN, 'init', tmp, '--no-input', '--name', 'Cabinet Martin Secretariat', '--email', 'compta@martin-secretariat.fr',
    '--siren', '732829320', '--address', '12 rue des Lilas;69003 Lyon', '--iban', 'FR7630006000011234567890189', '--vat-number', 'FR44732829320'], { encoding: 'utf8', env });
  if (init.status !== 0) throw new Error(`relance init failed: ${init.stderr.trim()}; run "npm run build" first`);
  for (const args of [['rates', 'add', '2023-06-21', '4.00'], ['rates', 'confirm', '2026-07-01'], ['rates', 'legal', '2023-H2', '4.22', '6.82'], ['rates', 'legal', '2024-H1', '5.07', '8.01'], ['rates', 'legal', '2026-H2', '2.62', '6.67']]) {
    spawnSync(process.execPath, [BIN, '-f', tmp, ...args], { encoding: 'utf8', env });
  }
  const db = new Database(tmp);
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const indices = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all();
  for (const { name } of indices) db.exec(`DROP INDEX "${name}"`);
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  const asOf = dayOf(AS_OF);
  const doc = db.prepare(`INSERT INTO documents (id, kind, number, seq, client_id, created_on, issue_date, due_date, terms_days, terms_kind,
    total_net, total_vat, total_gross, amount_due, balance, last_settlement, settled_on) VALUES (?, 'invoice', ?, ?, ?, ?, ?, ?, 30, 'net', ?, ?, ?, ?, ?, ?, ?)`);
  const pay = db.prepare(`INSERT INTO payments (id, client_id, date, amount, method, created_at) VALUES (?, ?, ?, ?, 'transfer', ?)`);
  const alloc = db.prepare('INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)');
  const client = db.prepare(`INSERT INTO clients (id, code, name, email, kind, lang, created_at) VALUES (?, ?, ?, ?, ?, 'fr', '2023-01-01T09:00:00+01:00')`);
  db.transaction(() => {
    for (let c = 1; c <= CLIENTS; c++) client.run(c, `C${String(c).padStart(4, '0')}`, `Client ${c} SARL`, `compta@c${c}.example.fr`, c % 12 === 0 ? 'b2c' : 'b2b');
    let id = 0;
    let payment = 0;
    // The same 10k open invoices in every growth ledger (same seed, same ids): issued in the last
    // 200 days, a quarter of them partly paid.
    const r = prng(0x0de);
    for (let i = 0; i < OPEN; i++) {
      const issue = asOf - 1 - Math.floor(r() * 200);
      const net = 5_000 + Math.floor(r() * 200_000);
      const vat = Math.round(net * 0.2);
      const gross = net + vat;
      const c = 1 + Math.floor(r() * CLIENTS);
      id++;
      let paid = 0;
      let last = null;
      if (r() < 0.25) {
        paid = Math.floor(gross / 2);
        last = iso(issue + 20);
        pay.run(++payment, c, last, paid, `${last}T10:00:00+01:00`);
        alloc.run(payment, id, last, paid);
      }
      doc.run(id, `F-${id}`, id, c, iso(issue), iso(issue), iso(issue + 30), net, vat, gross, gross, gross - paid, last, null);
    }
    // The history: settled invoices over the three years before, each paid in full by one transfer.
    const h = prng(0x5e7 ^ settled);
    for (let i = 0; i < settled; i++) {
      const issue = asOf - 60 - Math.floor(h() * 3 * 365);
      const net = 5_000 + Math.floor(h() * 200_000);
      const vat = Math.round(net * 0.2);
      const gross = net + vat;
      const c = 1 + Math.floor(h() * CLIENTS);
      const on = iso(issue + 10 + Math.floor(h() * 50));
      id++;
      pay.run(++payment, c, on, gross, `${on}T10:00:00+01:00`);
      alloc.run(payment, id, on, gross);
      doc.run(id, `F-${id}`, id, c, iso(issue), iso(issue), iso(issue + 30), net, vat, gross, gross, 0, on, on);
    }
    db.prepare(`INSERT INTO sequences (name, next) VALUES ('invoice', ?) ON CONFLICT (name) DO UPDATE SET next = excluded.next`).run(id + 1);
  })();
  for (const { sql } of indices) db.exec(sql);
  for (const { sql } of triggers) db.exec(sql);
  // The open invoices' kept columns by the product's own triggers (the settled ones were written with theirs).
  db.exec(`UPDATE documents SET number = number WHERE id <= ${OPEN}`);
  db.pragma('journal_mode = WAL');
  db.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  fs.writeFileSync(metaFile, JSON.stringify({ key, seconds: Math.round((performance.now() - t0) / 100) / 10 }, null, 2) + '\n');
  log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, label: `growth-${label}` };
}
