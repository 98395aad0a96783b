/**
 * Documents sent on their own (`invoice send`, `quote send`): each is one message of the delivery
 * engine (store/reminders.ts's messages table) at level -1, carrying the document's number in
 * `invoices`; no reminder hangs on it, so it never counts as a dunning level. Migration 9 indexes
 * them by number. Reads only: the rows are written by delivery/engine.ts.
 */
import type { Db } from './db.js';
import type { MessageStatus } from './reminders.js';

/** The level of a message that is a document sent on its own (reminders use 0 and up). */
export const DOCUMENT_SEND_LEVEL = -1;

export interface DocumentSend {
  message: number;
  number: string;
  status: MessageStatus;
  /** 'sending' with an error: the server took it and never answered (or the run crashed): uncertain. */
  uncertain: boolean;
  recipient: string | null;
  subject: string | null;
  /** The ledger's day it was sent on (the run's --as-of). */
  asOf: string;
  /** When it was recorded (before it left) and when the server took it or the file was written. */
  createdAt: string;
  sentAt: string | null;
  messageId: string | null;
  error: string | null;
}

interface Row {
  id: number;
  invoices: string;
  status: MessageStatus;
  recipient: string | null;
  subject: string | null;
  as_of: string;
  created_at: string;
  sent_at: string | null;
  message_id: string | null;
  error: string | null;
}

const of = (r: Row): DocumentSend => ({
  message: r.id,
  number: r.invoices,
  status: r.status,
  uncertain: r.status === 'sending',
  recipient: r.recipient,
  subject: r.subject,
  asOf: r.as_of,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  messageId: r.message_id,
  error: r.error,
});

const COLUMNS = 'id, invoices, status, recipient, subject, as_of, created_at, sent_at, message_id, error';

/** Every send of these documents (by number), oldest first, failed and cancelled ones included. */
export function documentSends(db: Db, numbers: readonly string[]): Map<string, DocumentSend[]> {
  const out = new Map<string, DocumentSend[]>();
  const list = [...new Set(numbers)];
  if (list.length === 0) return out;
  // One query for a whole list (invoice list over 100k invoices), in chunks the JSON stays small in.
  const stmt = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE level = ${DOCUMENT_SEND_LEVEL} AND invoices IN (SELECT value FROM json_each(?)) ORDER BY id`);
  for (let i = 0; i < list.length; i += 5000) {
    for (const r of stmt.all(JSON.stringify(list.slice(i, i + 5000))) as Row[]) {
      const s = of(r);
      const arr = out.get(s.number);
      if (arr) arr.push(s);
      else out.set(s.number, [s]);
    }
  }
  return out;
}

/** The sends that count: gone out ('sent', 'written') or maybe gone ('sending': uncertain). */
export function deliveredSends(sends: readonly DocumentSend[] | undefined): DocumentSend[] {
  return (sends ?? []).filter((s) => s.status === 'sent' || s.status === 'written' || s.status === 'sending');
}

/** Whether this ledger sends its documents (any invoice send / quote send ever recorded): until it does, "never sent" says nothing. */
export function sendsDocuments(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM messages WHERE level = ${DOCUMENT_SEND_LEVEL} LIMIT 1`).get() !== undefined;
}

/** Of these documents (numbers), the ones never sent on their own: no send that went out or may have. */
export function neverSent(db: Db, numbers: readonly string[]): Set<string> {
  // A ledger that never sent a document: every one is unsent, without reading a list of them.
  if (numbers.length === 0 || !sendsDocuments(db)) return new Set(numbers);
  const sends = documentSends(db, numbers);
  return new Set(numbers.filter((n) => deliveredSends(sends.get(n)).length === 0));
}
