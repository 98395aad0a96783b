/**
 * Opening a ledger file: checks before touching, pragmas, migrations, and the one way to write
 * (an IMMEDIATE transaction). Every other store module receives the Db from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LedgerError, LockedError, UsageError } from '../core/errors.js';
import { APPLICATION_ID, LATEST_VERSION, migrations } from './migrations.js';
import { damagedLedger, diskFull, isDiskFull, storageError } from '../core/storage-errors.js';
import { t } from '../i18n/index.js';

export type Db = Database.Database;

let sqlite: { Database: typeof Database; addon?: object } | undefined;
/**
 * better-sqlite3's JavaScript is bundled (compiled from the code cache with the rest); its native
 * addon is loaded on the first open, so --help, --version and usage errors never pay for it, and
 * from where npm builds it: the nearest node_modules/better-sqlite3/build/Release above this module
 * (what require would find), loaded with process.dlopen, which spares the `bindings` package's search
 * of a dozen paths and require's resolution and realpath (~1.7 ms of every start that opens a
 * ledger). Any other layout falls back to the package as installed, which finds its addon itself.
 */
function sqliteModule(): NonNullable<typeof sqlite> {
  if (sqlite) return sqlite;
  const addon = nativeAddon(path.dirname(fileURLToPath(import.meta.url)));
  sqlite = addon ? { Database, addon } : { Database: createRequire(import.meta.url)('better-sqlite3') as typeof Database };
  return sqlite;
}

function nativeAddon(from: string): object | undefined {
  for (let dir = from, i = 0; i < 8; i++) {
    const file = path.join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    if (fs.existsSync(file)) {
      try {
        const mod = { exports: {} as object };
        process.dlopen(mod, file);
        return mod.exports;
      } catch {
        return undefined;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** A better-sqlite3 connection (the options of its constructor). Closes the spare connection first (see peekLedger). */
export function openSqlite(file: string, opts: Database.Options = {}): Db {
  releaseSpare();
  const { Database, addon } = sqliteModule();
  // better-sqlite3 takes the loaded addon object too (its types only say "a path").
  return new Database(file, addon ? ({ nativeBinding: addon, ...opts } as unknown as Database.Options) : opts);
}

/**
 * The connection peekLedger opened, kept for the next openLedger of the same file (a run opens its
 * ledger once: the second open and its reading of the schema cost ~2 ms of every start). Only ever
 * one connection: any other open closes it first, so nothing (a restore renaming the file, doctor's
 * read-only look) ever runs beside it.
 */
let spare: { file: string; db: Db } | undefined;

/** Close the spare connection, if there is one (the CLI does at the end of every run). */
export function releaseSpare(): void {
  const s = spare;
  spare = undefined;
  try {
    s?.db.close();
  } catch {
    // nothing to release
  }
}

/**
 * A look at a ledger before the command runs (the interface's language, cli/main.ts): `read` on a
 * connection that never waits for a lock (a writer elsewhere makes it fail, not wait). Any failure
 * (no file, not SQLite, locked, `read` throws) is undefined and the connection is closed; on success
 * the connection is kept for the next openLedger of this file, which runs all its own checks on it.
 */
export function peekLedger<T>(file: string, read: (db: Db) => T): T | undefined {
  let db: Db | undefined;
  try {
    db = openSqlite(file, { fileMustExist: true, timeout: 0 });
    const value = read(db);
    spare = { file: path.resolve(file), db };
    return value;
  } catch {
    try {
      db?.close();
    } catch {
      // nothing to release
    }
    return undefined;
  }
}

export interface OpenOptions {
  /** Milliseconds a writer waits for another process before giving up with exit 3. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

const DEFAULT_BUSY_MS = Number(process.env.RELANCE_BUSY_TIMEOUT_MS ?? 5000);

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';
}

/**
 * Map SQLite's busy errors to exit 3, a damaged page (SQLITE_CORRUPT) to exit 4 with a pointer to
 * doctor and restore, a full disk (SQLITE_FULL, ENOSPC) to "the disk is full"; leave everything else alone.
 */
export function rethrowBusy(err: unknown, file: string): never {
  if (isBusy(err)) {
    throw new LockedError(t('books.db.locked', { file }));
  }
  throw storageError(err, file) ?? (isIoError(err) && diskIsFull(file) ? diskFull(file) : err);
}

function isIoError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') || code === 'SQLITE_CANTOPEN' || /disk I\/O error/i.test(String((err as Error)?.message));
}

/** SQLite reports a full disk while opening (the -shm / -wal files) as a plain "disk I/O error": look. */
function diskIsFull(file: string): boolean {
  try {
    const s = fs.statfsSync(path.dirname(path.resolve(file)));
    return s.bavail * s.bsize < 64 * 1024;
  } catch {
    return false;
  }
}

/**
 * Ledgers up to this many pages (4 MB at 4 KB a page: a few years of a small business) have every page
 * checked before the first write of a run; measured ~7 ms a MB on a loaded 2-core machine.
 */
const QUICK_CHECK_MAX_PAGES = Number(process.env.RELANCE_QUICK_CHECK_MAX_PAGES ?? 1024);
const checkedBeforeWrite = new WeakSet<Db>();

/**
 * A cheap look at the file on open: its size must be a whole number of pages (a truncated or
 * overwritten tail is not), and the schema must read (sqlite_master is on page 1 and its children).
 */
function checkShape(db: Db, file: string): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const size = fs.statSync(file).size;
  if (pageSize > 0 && size % pageSize !== 0) throw damagedLedger(file, t('books.db.badSize', { size, pageSize }));
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

/**
 * Before the first write of a run: on a ledger of up to QUICK_CHECK_MAX_PAGES pages, PRAGMA quick_check
 * (every page's structure, a few milliseconds a megabyte), so a damaged ledger is never written into;
 * on a bigger one, only the pages the write touches are checked by SQLite itself (SQLITE_CORRUPT,
 * mapped to exit 4) and `relance doctor` runs the full check.
 */
function checkBeforeFirstWrite(db: Db): void {
  if (checkedBeforeWrite.has(db)) return;
  checkedBeforeWrite.add(db);
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (pages > QUICK_CHECK_MAX_PAGES) return;
  const rows = db.pragma('quick_check(1)') as { quick_check: string }[];
  const first = rows[0]?.quick_check ?? 'ok';
  if (first !== 'ok') throw damagedLedger(db.name, first.replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim());
}

function applyPragmas(db: Db, busyMs: number, readonly: boolean): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyMs))}`);
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Statement journals (every write that fires a trigger or checks a foreign key opens one) in memory
  // rather than in a temporary file: the kept last reminder's triggers (migration 14) made each of a
  // reminder run's message updates pay a file's writes (+90 us each; in memory +11 us).
  db.pragma('temp_store = MEMORY');
}

/**
 * Open an existing ledger. Refuses (exit 4, file untouched) a missing file, a file that is not
 * SQLite, a SQLite file that is not a relance ledger, and a ledger from a newer relance.
 * Older ledgers are migrated.
 */
export function openLedger(file: string, opts: OpenOptions = {}): Db {
  if (!fs.existsSync(file)) {
    throw new LedgerError(t('books.db.noLedger', { file }));
  }
  let db: Db;
  const kept = spare !== undefined && !opts.readonly && spare.file === path.resolve(file) ? spare.db : undefined;
  if (kept) spare = undefined;
  try {
    db = kept ?? openSqlite(file, { fileMustExist: true, readonly: opts.readonly ?? false });
  } catch (err) {
    throw new LedgerError(t('books.db.cannotOpen', { file, message: (err as Error).message }));
  }
  try {
    let appId: number;
    let version: number;
    try {
      // Read-only probes first: nothing is written until we know this is one of ours.
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_MS}`);
      appId = db.pragma('application_id', { simple: true }) as number;
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (err) {
      if (isBusy(err)) rethrowBusy(err, file);
      if (isDiskFull(err) || (isIoError(err) && diskIsFull(file))) throw diskFull(file);
      throw new LedgerError(t('books.db.notLedgerWhy', { file, message: (err as Error).message }));
    }
    if (appId !== APPLICATION_ID) {
      throw new LedgerError(t('books.db.notLedger', { file }));
    }
    if (version > LATEST_VERSION) {
      throw new LedgerError(t('books.db.newer', { file, version, latest: LATEST_VERSION }));
    }
    try {
      checkShape(db, file);
      applyPragmas(db, opts.busyTimeoutMs ?? DEFAULT_BUSY_MS, opts.readonly ?? false);
    } catch (err) {
      rethrowBusy(err, file);
    }
    if (version < LATEST_VERSION) {
      if (opts.readonly) throw Object.assign(new LedgerError(t('books.db.needsUpgrade', { file, version })), { upgrade: true });
      migrate(db, file);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Run the migrations the ledger has not had yet, one transaction each. */
export function migrate(db: Db, file = 'the ledger'): void {
  for (const m of migrations) {
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step.immediate();
    } catch (err) {
      rethrowBusy(err, file);
    }
  }
}

/**
 * Create a new ledger file with mode 0600 and the latest schema; `fill` runs inside the same
 * transaction (settings, sequences), so a failed init leaves no half-made ledger behind.
 */
export function createLedger(file: string, fill: (db: Db) => void): Db {
  if (fs.existsSync(file)) {
    throw new UsageError(t('books.db.exists', { file }));
  }
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(t('books.db.noFolder', { dir }));
  // Create the empty file ourselves so that it is 0600 from the first byte (umask cannot widen it).
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_RDWR, 0o600);
  fs.closeSync(fd);
  fs.chmodSync(file, 0o600);
  let db: Db | undefined;
  try {
    db = openSqlite(file);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    applyPragmas(db, DEFAULT_BUSY_MS, false);
    const created = db;
    const all = db.transaction(() => {
      for (const m of migrations) created.exec(m.sql);
      created.pragma(`user_version = ${LATEST_VERSION}`);
      fill(created);
    });
    all.immediate();
    return db;
  } catch (err) {
    db?.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    throw err;
  }
}

/**
 * The one way to write: fn runs in a transaction begun IMMEDIATE, so a second process waits
 * (busy_timeout) instead of failing half-way, and gets exit 3 if the wait runs out.
 * fn must be synchronous: never await inside a transaction.
 */
export function write<T>(db: Db, fn: () => T): T {
  try {
    checkBeforeFirstWrite(db);
    return db.transaction(fn).immediate();
  } catch (err) {
    rethrowBusy(err, db.name);
  }
}

/** A time (the caller's clock) as an ISO timestamp with the local UTC offset, for created_at columns. */
export function timestamp(now: Date): string {
  const off = -now.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}` +
    `${sign}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`
  );
}
