/**
 * Backups and restores of a ledger file (behind `relance backup` and `relance restore`).
 *
 * A backup is made with SQLite's online backup, so it is consistent even while another process
 * (a nightly `remind --due`) is writing: never a file copy of a live WAL database. It is written
 * under a temp name, checked (integrity), made a single self-contained file (journal mode DELETE),
 * then renamed into place.
 *
 * A restore refuses to overwrite a ledger that is newer than the backup (a higher schema version,
 * later content, or written after the backup was made) unless --force; the ledger it replaces is
 * first copied aside (<ledger>.before-restore-<time>.db). The backup is copied to a temp name
 * beside the ledger, checked, and renamed over it while holding the ledger's write lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LedgerError, LockedError, UsageError, WorkFailedError } from '../core/errors.js';
import { openLedger, openSqlite, type Db } from './db.js';
import { backupTo, checkpoint, integrityProblems, ledgerAge, openCopy, runLocks, underWriteLock, type LedgerAge } from './health.js';
import { t } from '../i18n/index.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** 20260302-143005: the local time, for file names. */
function stamp(now: Date): string {
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** dupont.db -> dupont-backup-20260302-143005.db, beside the ledger (or in DEST when it is a folder). */
export function defaultBackupName(ledger: string, now: Date): string {
  const base = path.basename(ledger).replace(/\.(db|sqlite3?)$/i, '');
  return `${base}-backup-${stamp(now)}.db`;
}

/** `file` itself when free, else file-2, file-3... (two copies in the same second keep both). */
export function freeName(file: string): string {
  if (!fs.existsSync(file)) return file;
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}${ext}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

function tempName(target: string, what: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${what}-${process.pid}.tmp`);
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/** Make `tmp` a sound, single-file copy: integrity checked, journal mode as asked, fsynced, 0600. */
function finishCopy(tmp: string, journal: 'DELETE' | 'WAL'): { version: number } {
  const db = openSqlite(tmp);
  try {
    const problems = integrityProblems(db);
    if (problems.length) throw new WorkFailedError(t('books.backup.copyFails', { problem: problems[0] }));
    db.pragma(`journal_mode = ${journal}`);
    return { version: db.pragma('user_version', { simple: true }) as number };
  } finally {
    db.close();
    fs.chmodSync(tmp, 0o600);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
}

/** A consistent copy of an open ledger into `dest` (must not exist): temp name, check, rename. */
export async function backupLedger(db: Db, dest: string): Promise<{ pages: number; bytes: number; version: number }> {
  const tmp = tempName(dest, 'backup');
  removeQuietly(tmp);
  try {
    const { pages } = await backupTo(db, tmp);
    const { version } = finishCopy(tmp, 'DELETE');
    if (fs.existsSync(dest)) throw new UsageError(t('books.backup.appeared', { dest }));
    fs.renameSync(tmp, dest);
    return { pages, bytes: fs.statSync(dest).size, version };
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
}

/** The latest write to a ledger file (the main file or its WAL), in ms. */
function lastWrite(file: string): number {
  let t = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      const st = fs.statSync(f);
      if (f === file || st.size > 0) t = Math.max(t, st.mtimeMs);
    } catch {
      /* no WAL */
    }
  }
  return t;
}

/** Why the ledger in place is newer than the backup, or null when it is not. */
export function newerBecause(target: LedgerAge, targetWrite: number, backup: LedgerAge, backupMade: number): string | null {
  if (target.version > backup.version) return t('books.backup.why.version', { target: target.version, backup: backup.version });
  if (target.lastActivity > backup.lastActivity) return t('books.backup.why.entries', { target: target.lastActivityText, backup: backup.lastActivityText ?? t('books.backup.why.none') });
  if (target.rows > backup.rows) return t('books.backup.why.rows', { target: target.rows, backup: backup.rows });
  // Filesystem times are coarse; a second of slack avoids calling a ledger newer for the write the backup itself read.
  if (targetWrite > backupMade + 1000) return t('books.backup.why.written', { target: new Date(targetWrite).toISOString(), backup: new Date(backupMade).toISOString() });
  return null;
}

export interface RestoreResult {
  ledger: string;
  backup: string;
  version: number;
  replaced: boolean;
  previousCopy: string | null;
  forced: boolean;
}

/**
 * Replace the ledger `target` with `backup` (see the top of this file); `now` names the copy of the
 * ledger it replaces.
 */
export async function restoreLedger(backup: string, target: string, force: boolean, now: Date): Promise<RestoreResult> {
  if (path.resolve(backup) === path.resolve(target)) throw new UsageError(t('books.backup.same'));
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new UsageError(t('books.backup.noFolder', { dir }));
  const src = openCopy(backup);
  let live: Db | undefined;
  const tmp = tempName(target, 'restore');
  try {
    const problems = integrityProblems(src);
    if (problems.length) throw new LedgerError(t('books.backup.backupFails', { backup, problem: problems[0] }));
    const backupAge = ledgerAge(src);
    const exists = fs.existsSync(target);
    let previousCopy: string | null = null;
    if (exists) {
      let targetAge: LedgerAge | undefined;
      let unreadable: string | null = null;
      try {
        live = openLedger(target);
        targetAge = ledgerAge(live);
      } catch (err) {
        if (err instanceof LockedError) throw err;
        unreadable = (err as Error).message;
        live?.close();
        live = undefined;
      }
      if (unreadable !== null && !force) {
        throw new UsageError(t('books.backup.unreadable', { target, why: unreadable }));
      }
      if (live && targetAge) {
        const locks = runLocks(live);
        if (locks.length) throw new LockedError(t('books.backup.inUse', { target, owner: locks[0]!.owner, pid: locks[0]!.pid, host: locks[0]!.host }));
        const why = newerBecause(targetAge, lastWrite(target), backupAge, fs.statSync(backup).mtimeMs);
        if (why && !force) {
          throw new UsageError(t('books.backup.newer', { target, why }));
        }
        // Keep what is about to be replaced, consistently.
        previousCopy = freeName(path.join(dir, `${path.basename(target).replace(/\.(db|sqlite3?)$/i, '')}.before-restore-${stamp(now)}.db`));
        await backupLedger(live, previousCopy);
      }
    }

    removeQuietly(tmp);
    await src.backup(tmp, { progress: () => 0x7fffffff });
    const { version } = finishCopy(tmp, 'WAL');
    // WAL mode leaves no side files once closed; the copy is a single file ready to be renamed.
    // Its content dates from the backup, and so does its last write: a later backup of the same
    // ledger then counts as newer, and restoring it needs no --force.
    const made = fs.statSync(backup);
    fs.utimesSync(tmp, made.atime, made.mtime);

    if (live) {
      // Everything in the old WAL goes into the old file, then hold the write lock while the new file
      // takes its place, so that no relance run commits into the old one in between.
      checkpoint(live);
      underWriteLock(live, () => fs.renameSync(tmp, target), target);
    } else {
      if (exists) removeQuietly(target);
      fs.renameSync(tmp, target);
    }
    return { ledger: target, backup, version, replaced: exists, previousCopy, forced: force };
  } finally {
    src.close();
    live?.close();
    removeQuietly(tmp);
  }
}

