/**
 * What the file system or SQLite said, in words a user can act on: a damaged ledger (SQLITE_CORRUPT,
 * SQLITE_NOTADB) is exit 4 with a pointer to `doctor` and `restore`; a full disk (SQLITE_FULL,
 * ENOSPC) says so, exit 1. Pure: it reads only the error's code and message. `storageError` returns
 * null for anything else, which stays an unexpected error.
 */
import { LedgerError, RelanceError, WorkFailedError } from './errors.js';
import { t } from '../i18n/index.js';

interface CodedError {
  code?: unknown;
  message?: unknown;
}

function codeOf(err: unknown): string {
  const c = (err as CodedError | null)?.code;
  return typeof c === 'string' ? c : '';
}

export function isCorrupt(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB';
}

export function isDiskFull(err: unknown): boolean {
  const code = codeOf(err);
  const msg = String((err as CodedError | null)?.message ?? '');
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /database or disk is full|no space left on device/i.test(msg);
}

export function damagedLedger(file: string, detail: string): LedgerError {
  detail = detail.replace(/\s+/g, ' ').trim();
  return new LedgerError(
    t('common.storage.damaged', { file, detail }),
  );
}

export function diskFull(file: string): WorkFailedError {
  return new WorkFailedError(t('common.storage.full', { file }));
}

/** The user-facing error for a storage failure, or null when `err` is not one. */
export function storageError(err: unknown, file: string): RelanceError | null {
  if (err instanceof RelanceError) return err;
  if (isCorrupt(err)) return damagedLedger(file, String((err as Error).message ?? codeOf(err)));
  if (isDiskFull(err)) return diskFull(file);
  return null;
}
