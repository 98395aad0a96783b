/**
 * What shell completion offers from a ledger: short lists of codes and numbers, read with one small
 * query each (completion runs on every TAB). Only reads.
 */
import type { Db } from './db.js';

export type LedgerValueKind = 'clients' | 'archived-clients' | 'invoices' | 'quotes' | 'drafts' | 'documents' | 'schedules';

const SQL: Record<LedgerValueKind, string> = {
  clients: 'SELECT code FROM clients WHERE archived_on IS NULL ORDER BY code',
  'archived-clients': 'SELECT code FROM clients WHERE archived_on IS NOT NULL ORDER BY code',
  invoices: "SELECT number FROM documents WHERE kind <> 'quote' AND number IS NOT NULL ORDER BY seq",
  quotes: "SELECT number FROM documents WHERE kind = 'quote' AND number IS NOT NULL ORDER BY seq",
  drafts: "SELECT 'draft-' || id FROM documents WHERE kind <> 'quote' AND number IS NULL ORDER BY id",
  documents: "SELECT coalesce(number, 'draft-' || id) FROM documents WHERE kind <> 'quote' ORDER BY number IS NULL, seq, id",
  // Recurring invoices by the number `recurring list` shows (stopped ones too: `recurring show` reads them).
  schedules: 'SELECT CAST(id AS TEXT) FROM recurring ORDER BY id',
};

/** The values of one kind, in the order people expect them (codes alphabetical, numbers by sequence). */
export function completionValues(db: Db, kind: LedgerValueKind): string[] {
  return db.prepare(SQL[kind]).pluck().all() as string[];
}
