/**
 * The kept last reminder of an invoice (migration 14, issue 18 §1): `documents.last_reminder_level`
 * and `documents.last_reminder_date` = MAX(level) and MAX(date) of the invoice's reminders that count,
 * whatever their dates (today's, as recorded): a reminder counts when its message went out or may
 * have (status sending, sent or written) or when it has no message row (a reminder recorded without
 * one, or whose message row is gone); a failed or cancelled message's reminders do not. NULL when
 * none counts. This is exactly what overdue's subquery computed per open invoice (receivables.ts
 * itemsSql `reminder`) without its date filter.
 *
 * Kept by triggers in the same transaction as the write that changes it, whoever writes: a reminder
 * inserted (it can only raise the pair), moved or deleted (store/reminders.ts, imports), and a
 * message whose status crosses between counting and not (failed, cancelled, retried as sending);
 * sending -> sent or written (every message of a reminder run) recomputes nothing.
 *
 * Why: the subquery searched every reminder of each open invoice and joined its message for the
 * status: ~230 of the ~400 ms of the open-items statement on 100k invoices (bench/README.md). With the
 * kept pair, an invoice whose kept date is on or before the as-of date has that pair as its answer
 * (every counting reminder is dated on or before it); only a kept date after the as-of date (a past
 * --as-of) takes the subquery, so a past date stays exact. test/perf/last-reminder.test.ts checks the
 * kept pair against the subquery on random ledgers (fast-check).
 */

/** Whether a message status counts for the last reminder (the same list as overdue's subquery). */
const COUNTS = `IN ('sent', 'written', 'sending')`;

/** MAX(level), MAX(date) of the counting reminders of `documents.id`. */
const LAST = `(
    SELECT MAX(r.level), MAX(r.date) FROM reminders r LEFT JOIN messages m ON m.id = r.message_id
    WHERE r.document_id = documents.id AND (m.id IS NULL OR m.status ${COUNTS}))`;

/** Recompute the kept pair of these documents (ids: an SQL list or a subquery). */
const keep = (ids: string) => `UPDATE documents SET (last_reminder_level, last_reminder_date) = ${LAST} WHERE id IN (${ids});`;

export const lastReminderSchema = `
ALTER TABLE documents ADD COLUMN last_reminder_level INTEGER;
ALTER TABLE documents ADD COLUMN last_reminder_date TEXT;

-- A new reminder only raises the pair, and only when it counts (its message counts, or has no row):
-- no search of the invoice's other reminders (a reminder run inserts thousands).
CREATE TRIGGER documents_reminded_insert AFTER INSERT ON reminders
  WHEN NEW.message_id IS NULL OR COALESCE((SELECT m.status ${COUNTS} FROM messages m WHERE m.id = NEW.message_id), 1) BEGIN
  UPDATE documents SET last_reminder_level = MAX(COALESCE(last_reminder_level, NEW.level), NEW.level),
                       last_reminder_date = MAX(COALESCE(last_reminder_date, NEW.date), NEW.date)
  WHERE id = NEW.document_id;
END;
CREATE TRIGGER documents_reminded_update AFTER UPDATE OF document_id, level, date, message_id ON reminders BEGIN
  ${keep('NEW.document_id, OLD.document_id')}
END;
CREATE TRIGGER documents_reminded_delete AFTER DELETE ON reminders BEGIN
  ${keep('OLD.document_id')}
END;
-- A message's status only matters when it crosses between counting and not counting. (With foreign
-- keys on, as on every relance connection, a message that reminders point at can be neither deleted
-- nor given another id, and a reminder cannot point at a missing one: no trigger for those.)
CREATE TRIGGER documents_reminded_message_status AFTER UPDATE OF status ON messages
  WHEN (OLD.status ${COUNTS}) <> (NEW.status ${COUNTS}) BEGIN
  ${keep('SELECT document_id FROM reminders WHERE message_id = NEW.id')}
END;

-- Existing ledgers: every reminded document's pair from what is recorded, in one grouped pass.
${lastReminderBackfill()}
`;

/** The back-fill of the kept pair from the reminders (migration 14; bench/generate.mjs runs the same after its bulk load). */
export function lastReminderBackfill(): string {
  return `UPDATE documents SET last_reminder_level = k.level, last_reminder_date = k.date
FROM (SELECT r.document_id, MAX(r.level) AS level, MAX(r.date) AS date
      FROM reminders r LEFT JOIN messages m ON m.id = r.message_id
      WHERE m.id IS NULL OR m.status ${COUNTS}
      GROUP BY r.document_id) AS k
WHERE documents.id = k.document_id;`;
}
