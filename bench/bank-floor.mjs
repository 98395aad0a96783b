// The bank import's floor (bench/README.md, issue 17): what SQLite alone needs for the rows an import wrote.
// Usage: node bench/bank-floor.mjs WRITTEN.db BASE.db  (WRITTEN: a copy of BASE after `bank import`)
// The rows are read back, then inserted in the same order with plain prepared statements into a
// fresh copy of BASE (same pragmas as store/db.ts and the deferral's cache, one IMMEDIATE transaction with the deferral's
// row 0, the flush's SQL, COMMIT): per table wall ms, and the CPU of the whole.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OUT, ROOT } from './generate.mjs';

/** store/schema/deferred.ts FLUSH_SETTLEMENTS_SQL, bundled on the fly (as bench/bank.mjs bundles the RF reference). */
function flushSql() {
  const { buildSync } = require('esbuild');
  const outfile = path.join(OUT, 'capture', `deferred-${process.pid}.cjs`);
  buildSync({ entryPoints: [path.join(ROOT, 'src', 'store', 'schema', 'deferred.ts')], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
  try {
    return require(outfile).FLUSH_SETTLEMENTS_SQL;
  } finally {
    fs.rmSync(outfile, { force: true });
  }
}
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const [, , src, ledger, mode = 'all'] = process.argv;
const from = new Database(src, { readonly: true });
const rows = (t) => from.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
const R = { bank_accounts: rows('bank_accounts'), bank_imports: rows('bank_imports'), bank_lines: rows('bank_lines'), payments: rows('payments'), allocations: rows('allocations'), bank_line_payments: rows('bank_line_payments'), client_ibans: rows('client_ibans'), invoice_statuses: rows('invoice_statuses') };
from.close();
const FLUSH = flushSql(); // before the clock starts
const f = path.join(os.tmpdir(), `bank-floor-${process.pid}.db`);
for (const x of [f, f + '-wal', f + '-shm']) fs.rmSync(x, { force: true });
fs.copyFileSync(ledger, f);
const t0 = process.cpuUsage(); const w0 = performance.now();
const db = new Database(f);
db.pragma('journal_mode = WAL'); db.pragma('foreign_keys = ON'); db.pragma('synchronous = NORMAL'); db.pragma('temp_store = MEMORY');
// the deferral's page cache (store/payments.ts deferSettlements), or CACHE=-2000 for SQLite's default
db.pragma(`cache_size = ${process.env.CACHE ?? -65536}`);
const ins = (t, r) => db.prepare(`INSERT INTO ${t} (${Object.keys(r).join(',')}) VALUES (${Object.keys(r).map(() => '?').join(',')})`);
const timing = {};
const time = (k, fn) => { const a = performance.now(); fn(); timing[k] = (timing[k] ?? 0) + performance.now() - a; };
db.exec('BEGIN IMMEDIATE');
db.prepare('INSERT OR IGNORE INTO settlement_pending (document_id) VALUES (0)').run();
const s = {}; for (const t of Object.keys(R)) if (R[t].length) s[t] = ins(t, R[t][0]);
for (const r of R.bank_accounts) s.bank_accounts.run(Object.values(r));
for (const r of R.bank_imports) s.bank_imports.run(Object.values(r));
const pByLine = new Map(); for (const l of R.bank_line_payments) pByLine.set(l.line_id, l);
const pay = new Map(R.payments.map((p) => [p.id, p]));
const allocs = new Map(); for (const a of R.allocations) { (allocs.get(a.payment_id) ?? allocs.set(a.payment_id, []).get(a.payment_id)).push(a); }
const stat = new Map(); for (const x of R.invoice_statuses) stat.set(x.document_id, x);
const ib = new Map(); for (const x of R.client_ibans) ib.set(x.line_id, x);
for (const l of R.bank_lines) {
  time('bank_lines', () => s.bank_lines.run(Object.values(l)));
  if (mode === 'lines') continue;
  const link = pByLine.get(l.id);
  if (link) {
    const p = pay.get(link.payment_id);
    time('payments', () => s.payments.run(Object.values(p)));
    for (const a of allocs.get(p.id) ?? []) {
      time('allocations', () => s.allocations.run(Object.values(a)));
      const st = stat.get(a.document_id);
      if (st) time('statuses', () => s.invoice_statuses.run(Object.values(st)));
    }
    time('links', () => s.bank_line_payments.run(Object.values(link)));
  }
  const i = ib.get(l.id); if (i) time('ibans', () => s.client_ibans.run(Object.values(i)));
}
time('flush', () => { db.exec(FLUSH); db.prepare('DELETE FROM settlement_pending').run(); });
time('commit', () => db.exec('COMMIT'));
db.close();
for (const x of [f, f + '-wal', f + '-shm']) fs.rmSync(x, { force: true });
const c = process.cpuUsage(t0);
console.log(mode, Object.entries(timing).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '), `| wall ${(performance.now() - w0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms`);
