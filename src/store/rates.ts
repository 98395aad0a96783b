/** The user's additions to the rate tables (ECB changes and confirmations, legal rates). */
import type { IsoDate } from '../core/dates.js';
import { mergeTables, type EcbEntry, type LegalEntry, type RateTables } from '../core/rates.js';
import type { Db } from './db.js';

interface EcbRow {
  date: string;
  rate_bp: number;
  note: string | null;
}

/** The shipped tables with the ledger's entries merged on top. */
export function rateTables(db: Db): RateTables {
  const ecb = (db.prepare('SELECT date, rate_bp, note FROM ecb_rates ORDER BY date').all() as EcbRow[]).map(
    (r): EcbEntry => ({ date: r.date, rateBp: r.rate_bp, kind: r.note === 'confirmed' ? 'confirmed' : 'change', source: 'ledger', note: r.note }),
  );
  const legal = (db.prepare('SELECT half, pro_bp, consumer_bp FROM legal_rates ORDER BY half').all() as { half: string; pro_bp: number; consumer_bp: number }[]).map(
    (r): LegalEntry => ({ half: r.half, proBp: r.pro_bp, consumerBp: r.consumer_bp, source: 'ledger' }),
  );
  return mergeTables(ecb, legal);
}

/** Record an ECB rate change taking effect on `date`. Call inside write(). */
export function addEcbRate(db: Db, date: IsoDate, rateBp: number, at: string): void {
  db.prepare('INSERT INTO ecb_rates (date, rate_bp, note, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET rate_bp = excluded.rate_bp, note = excluded.note, added_at = excluded.added_at').run(
    date,
    rateBp,
    'change',
    at,
  );
}

/**
 * Record that the rate in force before `date` still held on `date`; returns that rate, or undefined
 * when the table has no rate before it. Call inside write().
 */
export function confirmEcbRate(db: Db, date: IsoDate, at: string): number | undefined {
  const t = rateTables(db);
  // The rate held: the last entry on or before the date, whether or not the table reached it.
  let held: number | undefined;
  for (const e of t.ecb) if (e.date <= date) held = e.rateBp;
  if (held === undefined) return undefined;
  db.prepare('INSERT INTO ecb_rates (date, rate_bp, note, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET rate_bp = excluded.rate_bp, note = excluded.note, added_at = excluded.added_at').run(
    date,
    held,
    'confirmed',
    at,
  );
  return held;
}

export function addLegalRate(db: Db, half: string, proBp: number, consumerBp: number, at: string): void {
  db.prepare(
    'INSERT INTO legal_rates (half, pro_bp, consumer_bp, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (half) DO UPDATE SET pro_bp = excluded.pro_bp, consumer_bp = excluded.consumer_bp, added_at = excluded.added_at',
  ).run(half, proBp, consumerBp, at);
}

