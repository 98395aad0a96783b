/**
 * The ledger's health and its copies, for `relance doctor`, `backup` and `restore`: SQLite's
 * integrity and foreign-key checks, the schema compared with what this relance creates, reminders
 * stuck in 'sending', run locks left behind, the rate tables, and consistent copies made with
 * SQLite's online backup (never a file copy of a database that may be written meanwhile).
 */
import fs from 'node:fs';
import { LedgerError } from '../core/errors.js';
import { openSqlite, rethrowBusy, type Db } from './db.js';
import { APPLICATION_ID, LATEST_VERSION, migrations } from './migrations.js';
import { t } from '../i18n/index.js';

/**
 * Run fn while holding the ledger's write lock (a transaction begun IMMEDIATE and rolled back), so
 * that no relance run commits meanwhile: restore renames the new file into place under it.
 */
export function underWriteLock<T>(db: Db, fn: () => T, file = db.name): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    rethrowBusy(err, file);
  }
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK');
  }
}

/** PRAGMA integrity_check: [] when the file is sound, else SQLite's findings (at most `max`). */
export function integrityProblems(db: Db, max = 20): string[] {
  const rows = db.pragma(`integrity_check(${Math.max(1, Math.trunc(max))})`) as { integrity_check: string }[];
  const found = rows.map((r) => r.integrity_check);
  return found.length === 1 && found[0] === 'ok' ? [] : found;
}

/** PRAGMA foreign_key_check: rows that point at nothing. */
export function foreignKeyProblems(db: Db, max = 20): string[] {
  const rows = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  return rows.slice(0, max).map((r) => `${r.table} row ${r.rowid} points at a missing ${r.parent} row`);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

type Shape = Map<string, { type: string; columns: string[] }>;

function shapeOf(db: Db): Shape {
  const out: Shape = new Map();
  const objects = db
    .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { type: string; name: string; tbl_name: string }[];
  for (const o of objects) {
    const columns =
      o.type === 'table'
        ? (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(o.name) as { name: string }[]).map((c) => c.name)
        : (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(o.name) as { name: string | null }[]).map((c) => c.name ?? '(expression)');
    out.set(o.name, { type: o.type, columns });
  }
  return out;
}

let expected: Shape | undefined;

/**
 * The tables, columns and indices this relance creates, compared with the ledger's. A missing
 * table or column is an error (commands would fail); a missing index only slows reports down.
 */
export function schemaProblems(db: Db): { errors: string[]; warnings: string[] } {
  if (!expected) {
    const mem = openSqlite(':memory:');
    try {
      for (const m of migrations) mem.exec(m.sql);
      expected = shapeOf(mem);
    } finally {
      mem.close();
    }
  }
  const actual = shapeOf(db);
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [name, want] of expected) {
    const list = want.type === 'index' ? warnings : errors;
    const have = actual.get(name);
    if (!have) {
      list.push(`${want.type} ${name} is missing`);
      continue;
    }
    const missing = want.columns.filter((c) => !have.columns.includes(c));
    if (missing.length) list.push(`${want.type} ${name} lacks ${missing.join(', ')}`);
  }
  return { errors, warnings };
}

/** Reminders recorded as 'sending' by a run that did not finish: their fate is unknown. */
export function stuckMessages(db: Db): { id: number; clientCode: string; level: number; asOf: string }[] {
  return db
    .prepare(`SELECT m.id, c.code AS clientCode, m.level, m.as_of AS asOf FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.status = 'sending' ORDER BY m.id`)
    .all() as { id: number; clientCode: string; level: number; asOf: string }[];
}

export function failedMessageCount(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'failed'").get() as { n: number }).n;
}

export function runLocks(db: Db): { name: string; owner: string; pid: number; host: string; acquiredAt: string }[] {
  return db.prepare('SELECT name, owner, pid, host, acquired_at AS acquiredAt FROM locks ORDER BY name').all() as {
    name: string;
    owner: string;
    pid: number;
    host: string;
    acquiredAt: string;
  }[];
}

export function hasConsumerClients(db: Db): boolean {
  return (db.prepare("SELECT EXISTS (SELECT 1 FROM clients WHERE kind = 'b2c') AS b").get() as { b: number }).b === 1;
}

// ---------------------------------------------------------------------------------------------
// Copies

/**
 * A consistent copy of the ledger into `dest` (which must not exist yet), with SQLite's online
 * backup. Each step copies everything that is left, so one step holds one read snapshot; if
 * another process commits between steps, SQLite restarts the copy from that newer snapshot.
 */
export async function backupTo(db: Db, dest: string): Promise<{ pages: number }> {
  const r = await db.backup(dest, { progress: () => 0x7fffffff });
  return { pages: r.totalPages };
}

/** What identifies a ledger's age, for restore's "is the target newer than the backup?". */
export interface LedgerAge {
  version: number;
  /** The latest time recorded in its rows (ms since epoch), or 0 when it has none. */
  lastActivity: number;
  lastActivityText: string | null;
  /** Rows in the tables that only ever grow (clients, documents, payments, messages, contacts). */
  rows: number;
}

const STAMPS: [table: string, column: string][] = [
  ['clients', 'created_at'],
  ['payments', 'created_at'],
  ['messages', 'created_at'],
  ['messages', 'sent_at'],
  ['contacts', 'created_at'],
  ['ecb_rates', 'added_at'],
  ['legal_rates', 'added_at'],
];

export function ledgerAge(db: Db): LedgerAge {
  let last = 0;
  let lastText: string | null = null;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  for (const [t, c] of STAMPS) {
    if (!tables.has(t)) continue;
    for (const { v } of db.prepare(`SELECT DISTINCT ${c} AS v FROM ${t} WHERE ${c} IS NOT NULL ORDER BY ${c} DESC LIMIT 50`).all() as { v: string }[]) {
      const ms = Date.parse(v);
      if (Number.isFinite(ms) && ms > last) {
        last = ms;
        lastText = v;
      }
    }
  }
  if (tables.has('documents')) {
    const d = db.prepare('SELECT MAX(created_on) AS v FROM documents').get() as { v: string | null };
    // A document only has a day: count it at the end of that day (UTC) to stay on the safe side.
    if (d.v) {
      const ms = Date.parse(`${d.v}T23:59:59Z`);
      if (ms > last) {
        last = ms;
        lastText = d.v;
      }
    }
  }
  let rows = 0;
  for (const t of ['clients', 'documents', 'payments', 'messages', 'contacts']) {
    if (tables.has(t)) rows += (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return { version: schemaVersion(db), lastActivity: last, lastActivityText: lastText, rows };
}

/**
 * Open a file that should be a relance ledger, read-only, without migrating it: for checking
 * backups (which may be from an older relance). Exit 4 when it is not one, or is from a newer one.
 */
export function openCopy(file: string): Db {
  if (!fs.existsSync(file)) throw new LedgerError(t('books.health.noFile', { file }));
  let db: Db;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new LedgerError(t('books.db.cannotOpen', { file, message: (err as Error).message }));
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new LedgerError(t('books.health.notLedger', { file }));
    const v = schemaVersion(db);
    if (v > LATEST_VERSION) throw new LedgerError(t('books.health.newer', { file, version: v, latest: LATEST_VERSION }));
    return db;
  } catch (err) {
    db.close();
    if (err instanceof LedgerError) throw err;
    throw new LedgerError(t('books.health.unreadable', { file, message: (err as Error).message }));
  }
}

/** Write everything in the WAL back into the main file and empty the WAL; false when a reader kept it from finishing. */
export function checkpoint(db: Db): boolean {
  const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return r[0]?.busy === 0;
}
