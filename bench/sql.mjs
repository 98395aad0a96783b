// The SQL of the overdue report, taken from the product itself: src/store/receivables.ts and
// src/reports/overdue.ts are bundled on the fly with esbuild, the report is built as the overdue
// command builds it on a wrapped connection, and every statement it runs is recorded with its parameters. The benchmark then runs the very same statements
// in the sqlite3 CLI (the floor), and the query-plan test checks their plans. Until receivables.ts
// exists, a reference query written here stands in (and the table says so).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { OUT, ROOT } from './generate.mjs';

/** Open items as of :asOf, the way the product defines a balance (documents.ts settlement()). */
export const REFERENCE_SQL = `SELECT d.id, d.number, d.client_id, d.issue_date, d.due_date, d.amount_due,
  d.amount_due
   - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date <= :asOf), 0)
   - COALESCE((SELECT SUM(c.total_gross) FROM documents c WHERE c.cancels_id = d.id AND c.kind = 'credit_note' AND c.number IS NOT NULL AND c.issue_date <= :asOf), 0) AS balance
FROM documents d
WHERE d.kind IN ('invoice', 'deposit', 'final', 'penalty') AND d.number IS NOT NULL AND d.issue_date <= :asOf AND balance > 0
ORDER BY d.client_id, d.due_date, d.id`;

/** Wrap a better-sqlite3 connection so that every statement run through it is recorded. */
export function recordingDb(db, log) {
  // Each statement its own wrapper (its chained calls, .raw(true), .pluck(), return that one).
  const wrapStatement = (stmt, sql) => {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args) => {
          if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run') log.push({ sql, args });
          const out = v.apply(target, args);
          return out === target ? wrapped : out;
        };
      },
    });
    return wrapped;
  };
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === 'prepare') return (sql) => wrapStatement(target.prepare(sql), sql);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Replace ?, ?NNN, :name, @name, $name outside quotes with SQL literals. */
export function inlineParams(sql, args) {
  const positional = [];
  let named = {};
  for (const a of args) {
    if (a !== null && typeof a === 'object' && !Array.isArray(a) && !Buffer.isBuffer(a)) named = { ...named, ...a };
    else if (Array.isArray(a)) positional.push(...a);
    else positional.push(a);
  }
  const lit = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (ch === '?') {
      const m = /^\?(\d*)/.exec(sql.slice(i));
      out += lit(m[1] ? positional[Number(m[1]) - 1] : positional[next++]);
      i += m[0].length - 1;
    } else if ((ch === ':' || ch === '@' || ch === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[:@$]([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      out += lit(named[m[1]]);
      i += m[0].length - 1;
    } else out += ch;
  }
  return out;
}

/**
 * Bundle what the overdue command runs, straight from the sources: src/store/receivables.ts (the open
 * items, penalties, last contacts, DSO), src/reports/overdue.ts (the report and its promise verdicts)
 * and src/store/document-sends.ts (the never-sent note). Returns the module, or null when
 * receivables.ts is not there.
 */
export async function loadReceivables() {
  const src = path.join(ROOT, 'src', 'store', 'receivables.ts');
  if (!fs.existsSync(src)) return null;
  const { build } = await import('esbuild');
  const outfile = path.join(OUT, 'capture', `receivables-${process.pid}.mjs`);
  const from = (f) => JSON.stringify(path.join(ROOT, 'src', ...f.split('/')));
  const report = path.join(ROOT, 'src', 'reports', 'overdue.ts');
  const contents = [
    `export * from ${from('store/receivables.ts')};`,
    ...(fs.existsSync(report) ? [`export { overdueReport, withPromiseStatus } from ${from('reports/overdue.ts')};`] : []),
    ...(fs.existsSync(path.join(ROOT, 'src', 'store', 'document-sends.ts')) ? [`export { neverSent, sendsDocuments } from ${from('store/document-sends.ts')};`] : []),
  ].join('\n');
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'overdue-statements.ts' },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'string-width'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'silent',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    fs.rmSync(outfile, { force: true });
  }
}

/** Every distinct statement of a log, parameters inlined, in the order first run. */
const distinct = (log) => [...new Map(log.map((l) => [inlineParams(l.sql, l.args), true])).keys()];

/**
 * The statements the overdue report runs on this ledger as of asOf, with parameters inlined:
 * { source, statements, byClient, openItems: [sql...] }.
 *
 * - `statements`: every statement `relance overdue` (and `--json`) runs for its data, in order: the
 *   open items, the rates and settings, the penalties' reads, the last contacts, the promise
 *   verdicts, the never-sent check (what src/cli/commands/overdue.ts calls, run on a recording
 *   connection): the floor of the overdue rows;
 * - `byClient`: the same but the last contacts and promise verdicts (the by-client table shows
 *   neither, and the command reads neither) and with the DSO's (clientStats): the floor of `--by client`;
 * - `openItems`: openItems()'s alone, which the physical floor (the open invoices from the index)
 *   is measured against.
 */
export async function overdueStatements(ledgerFile, asOf) {
  let mod = null;
  try {
    mod = await loadReceivables();
  } catch (err) {
    process.stderr.write(`bench: cannot bundle src/store/receivables.ts (${err.message.split('\n')[0]}); using the reference SQL\n`);
  }
  if (mod && typeof mod.openItems === 'function') {
    const open = () => new Database(ledgerFile, { readonly: true });
    let db = open();
    const log = [];
    try {
      const items = await mod.openItems(recordingDb(db, log), { asOf });
      const openItemsOnly = distinct(log);
      if (typeof mod.overdueReport !== 'function') return { source: 'src/store/receivables.ts openItems()', statements: openItemsOnly, byClient: openItemsOnly, openItems: openItemsOnly, items: items.length };
      // The report as the command runs it, on a fresh connection (no statement cached by the run above).
      const run = (byClient) => {
        db.close();
        db = open();
        const runLog = [];
        const rdb = recordingDb(db, runLog);
        // As src/cli/commands/overdue.ts builds it: by client, no contacts and no promise verdicts.
        const report = byClient ? mod.overdueReport(rdb, asOf, undefined, { contacts: false }) : mod.withPromiseStatus(rdb, mod.overdueReport(rdb, asOf));
        if (byClient) mod.clientStats(rdb, asOf, { items: report.items });
        if (typeof mod.neverSent === 'function' && report.rows.length > 0 && mod.sendsDocuments(rdb)) {
          mod.neverSent(rdb, report.rows.filter((r) => r.item.daysLate > 0).map((r) => r.item.number));
        }
        return distinct(runLog);
      };
      return {
        source: 'the overdue command\'s reads (src/reports/overdue.ts, src/store/receivables.ts, contacts.ts, document-sends.ts)',
        statements: run(false),
        byClient: run(true),
        openItems: openItemsOnly,
        items: items.length,
      };
    } finally {
      db.close();
    }
  }
  const reference = [inlineParams(REFERENCE_SQL, [{ asOf }])];
  return { source: 'bench/sql.mjs reference query (receivables.ts not there yet)', statements: reference, byClient: reference, openItems: reference };
}
