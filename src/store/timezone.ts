/**
 * The ledger's time zone (setting `timezone`, declared and checked in store/settings.ts), read on
 * its own so that opening a ledger does not load every setting's schema (start-up stays fast).
 */
import { DEFAULT_TIME_ZONE, canonicalTimeZone } from '../core/timezone.js';
import type { Db } from './db.js';

/** The zone the ledger's day follows; `valid: false` when the stored name is unknown to this system (the default is used). */
export function ledgerTimeZone(db: Db): { timeZone: string; stored: string | null; valid: boolean } {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'timezone'`).get() as { value: string } | undefined;
  if (!row) return { timeZone: DEFAULT_TIME_ZONE, stored: null, valid: true };
  const stored = JSON.parse(row.value) as unknown;
  // `ledger set` stored it checked and canonical; the default needs no check (Intl's first use is slow).
  if (stored === DEFAULT_TIME_ZONE) return { timeZone: DEFAULT_TIME_ZONE, stored, valid: true };
  const tz = typeof stored === 'string' ? canonicalTimeZone(stored) : null;
  return tz ? { timeZone: tz, stored: String(stored), valid: true } : { timeZone: DEFAULT_TIME_ZONE, stored: String(stored), valid: false };
}
