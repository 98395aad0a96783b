/**
 * Platform lifecycle statuses of issued invoices (core/platform-statuses.ts): recording one, the
 * history of an invoice, and the 'cashed' status relance records itself when a services invoice is
 * paid in full. A pausing status (rejected, refused, disputed, suspended) marks the invoice disputed
 * exactly as "invoice dispute" does, so reminders skip it; a later other status ends that pause as
 * of the day before it, as "--until" would. Writes run inside write().
 */
import { addDays, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { pausesDunning, STATUS_CODE, STATUS_FRENCH, type PlatformStatus } from '../core/platform-statuses.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { documentById, documentRef, updateDocument, type Document } from './documents.js';
import { t } from '../i18n/index.js';

export interface StatusEntry {
  id: number;
  status: PlatformStatus;
  code: number;
  date: IsoDate;
  reason: string | null;
  source: 'manual' | 'payment';
  recordedAt: string;
}

type Statement = Database.Statement<unknown[]>;
const cache = new WeakMap<Db, Record<string, Statement>>();

function st(db: Db) {
  let s = cache.get(db);
  if (!s) {
    s = {
      insert: db.prepare(`INSERT INTO invoice_statuses (document_id, status, code, date, reason, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      history: db.prepare(`SELECT id, status, code, date, reason, source, recorded_at FROM invoice_statuses WHERE document_id = ? ORDER BY date, id`),
      latest: db.prepare(`SELECT status, date FROM invoice_statuses WHERE document_id = ? ORDER BY date DESC, id DESC LIMIT 1`),
      hasCashed: db.prepare(`SELECT 1 FROM invoice_statuses WHERE document_id = ? AND status = 'cashed' LIMIT 1`),
      paidUp: db.prepare(`
        SELECT d.number, d.kind, d.operation, d.issue_date, d.amount_due
               - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id), 0)
               - COALESCE((SELECT SUM(c.total_gross) FROM documents c WHERE c.cancels_id = d.id AND c.kind = 'credit_note' AND c.number IS NOT NULL), 0) AS balance,
               COALESCE((SELECT SUM(c.total_gross) FROM documents c WHERE c.cancels_id = d.id AND c.kind = 'credit_note' AND c.number IS NOT NULL), 0) AS credited
          FROM documents d WHERE d.id = ?`),
      paymentCreatedAt: db.prepare(`SELECT created_at FROM payments WHERE id = ?`),
    };
    cache.set(db, s);
  }
  return s;
}

interface HistoryRow {
  id: number;
  status: PlatformStatus;
  code: number;
  date: string;
  reason: string | null;
  source: 'manual' | 'payment';
  recorded_at: string;
}

/** Every status recorded on an invoice, oldest first. */
export function statusHistory(db: Db, documentId: number): StatusEntry[] {
  return (st(db).history!.all(documentId) as HistoryRow[]).map((r) => ({
    id: r.id,
    status: r.status,
    code: r.code,
    date: r.date,
    reason: r.reason,
    source: r.source,
    recordedAt: r.recorded_at,
  }));
}

/** Check that a status can be recorded on this document at this date (exit 2 otherwise). */
export function checkStatusable(d: Document, date: IsoDate): void {
  if (d.kind === 'quote') throw new UsageError(t('documents.pstatus.quote', { ref: documentRef(d) }));
  if (d.number === null || d.issueDate === null) throw new UsageError(t('documents.pstatus.draft', { ref: documentRef(d) }));
  if (date < d.issueDate) throw new UsageError(t('documents.pstatus.beforeIssue', { date, number: d.number, issueDate: d.issueDate }));
}

export interface Recorded {
  entry: StatusEntry;
  /** What it did to dunning: 'paused' (marked disputed), 'resumed' (the pause ended), or null. */
  dunning: 'paused' | 'resumed' | null;
  document: Document;
}

/**
 * Record a status of an issued invoice. When it is the invoice's latest, a pausing status marks the
 * invoice disputed from its date with the reason (as "invoice dispute"), and any other status ends
 * a pause in force as of the day before (as "invoice dispute --until").
 */
export function recordStatus(
  db: Db,
  d: Document,
  o: { status: PlatformStatus; date: IsoDate; reason: string | null; source: 'manual' | 'payment'; recordedAt: string },
): Recorded {
  checkStatusable(d, o.date);
  const s = st(db);
  const before = s.latest!.get(d.id) as { status: string; date: string } | undefined;
  const info = s.insert!.run(d.id, o.status, STATUS_CODE[o.status], o.date, o.reason, o.source, o.recordedAt);
  const isLatest = before === undefined || o.date >= before.date;
  let dunning: Recorded['dunning'] = null;
  let doc = d;
  if (isLatest && pausesDunning(o.status) && d.kind !== 'credit_note') {
    const reason = o.reason ?? `${STATUS_FRENCH[o.status]} (${STATUS_CODE[o.status]})`;
    doc = updateDocument(db, d.id, { disputedOn: o.date, disputedReason: reason, disputedUntil: null });
    dunning = 'paused';
  } else if (isLatest && !pausesDunning(o.status) && d.disputedOn !== null && (d.disputedUntil === null || d.disputedUntil >= o.date)) {
    // The pause ends the day before this status; a pause that had not begun yet is cleared.
    const until = addDays(o.date, -1);
    doc = until >= d.disputedOn ? updateDocument(db, d.id, { disputedUntil: until }) : updateDocument(db, d.id, { disputedOn: null, disputedReason: null, disputedUntil: null });
    dunning = 'resumed';
  }
  const entry: StatusEntry = { id: Number(info.lastInsertRowid), status: o.status, code: STATUS_CODE[o.status], date: o.date, reason: o.reason, source: o.source, recordedAt: o.recordedAt };
  return { entry, dunning, document: doc };
}

/**
 * What a writer that keeps an issued invoice's figures knows after allocating to it (bank/engine.ts
 * applyMatch): its kind, nature of operation, issue date, dispute, balance after this allocation
 * (no credit note against it: such an invoice takes no payment), and the payment's created_at.
 */
export interface CashFacts {
  kind: string;
  operation: string | null;
  issueDate: IsoDate;
  disputedOn: IsoDate | null;
  balanceAfter: number;
  createdAt: string;
  /** It has 'cashed' already (read with the figures, exact in the writer's transaction). */
  cashed: boolean;
}

/** An invoice that gets 'cashed' once paid in full: services (or both, or not stated), not goods, penalties or credit notes. */
const cashable = (kind: string, operation: string | null) => (kind === 'invoice' || kind === 'deposit' || kind === 'final') && operation !== 'goods';

/**
 * After money was allocated to an invoice (store/payments.ts, the bank import): a services invoice
 * (nature of the operation services, both, or not stated) paid in full gets 'cashed' (212), once,
 * dated the day of the allocation that settled it. Goods invoices, penalties and credit notes do not.
 * With `known` (an issued invoice's figures the caller keeps exact, whether it has 'cashed' included)
 * nothing is read. Returns whether it recorded 'cashed'.
 */
export function noteCashedIfPaid(db: Db, documentId: number, paymentId: number, date: IsoDate, known?: CashFacts): boolean {
  const s = st(db);
  if (known && known.disputedOn === null) {
    // the figures the writer already has (the bank import's, exact in its transaction): the same
    // checks and the same row as below, without reading the invoice again; a disputed invoice (its
    // pause may end) takes the full path
    if (known.cashed || !cashable(known.kind, known.operation) || known.balanceAfter > 0) return false;
    const on = date < known.issueDate ? known.issueDate : date;
    s.insert!.run(documentId, 'cashed', STATUS_CODE.cashed, on, null, 'payment', known.createdAt);
    return true;
  }
  const r = s.paidUp!.get(documentId) as { number: string | null; kind: string; operation: string | null; issue_date: string | null; balance: number; credited: number } | undefined;
  if (!r || r.number === null || r.issue_date === null) return false;
  if (!cashable(r.kind, r.operation)) return false;
  if (r.balance > 0 || r.credited > 0) return false;
  if (s.hasCashed!.get(documentId)) return false;
  const createdAt = (s.paymentCreatedAt!.get(paymentId) as { created_at: string } | undefined)?.created_at ?? date;
  recordStatus(db, documentById(db, documentId)!, { status: 'cashed', date: date < r.issue_date ? r.issue_date : date, reason: null, source: 'payment', recordedAt: createdAt });
  return true;
}
