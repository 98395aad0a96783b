/**
 * Indices that exist for the reports' speed (overdue, remind --due, statements) on ledgers of up to
 * a million invoices. Each one is justified by a query plan test (test/store/query-plans.test.ts)
 * and by the benchmark (npm run bench, bench/README.md). Names start with "report_" (the benchmark
 * syncs them onto its cached ledgers by that prefix).
 */
export const indexesSchema = `
-- Balance as of a date: SUM(amount) of an invoice's allocations dated up to the as-of date, run once
-- per issued invoice by overdue (receivables.ts openItems) and settlement() (documents.ts). Covering,
-- so the sum is read from the index alone instead of one table row per allocation; it serves
-- "document_id = ?" and "document_id = ? AND date <= ?" like allocations_document does.
CREATE INDEX report_allocations_paid ON allocations(document_id, date, amount);

-- Reminders per invoice, covering: the last reminder level and date of an invoice as of a date
-- (overdue: "document_id = ? AND date <= ?", a few rows per invoice, filtered in the index) and the
-- reminder state of every invoice and instalment for remind --due (GROUP BY document_id, instalment,
-- read in index order). The UNIQUE (document_id, instalment, level) index would fetch every
-- reminder row from the table for the level's date and message.
CREATE INDEX report_reminders_document ON reminders(document_id, instalment, level, date, message_id);
`;

/**
 * Migration 3 (with documents.settled_on, schema/documents.ts): the invoices not settled for good by
 * a date, without visiting the others.
 */
export const settledIndexesSchema = `
-- The candidates of the open items as of a date (receivables.ts openItems, clientStats):
-- "settled_on IS NULL" (still owing) and "settled_on > @asOf" (settled after a past as-of date),
-- two searches of this index instead of a pass over every invoice ever issued.
CREATE INDEX report_documents_settled ON documents(settled_on);

-- The DSO window (clientStats): invoices issued or due after a date, whatever their balance.
CREATE INDEX report_documents_window ON documents(MAX(issue_date, COALESCE(due_date, issue_date)));

-- relance balance (balances.ts): invoiced and credited per client and currency, summed from the
-- index alone in its (client_id, currency) order ("number IS NOT NULL": issued, as an indexed
-- expression so that the index covers the query; a partial index would not).
CREATE INDEX report_documents_balance ON documents(client_id, currency, number IS NOT NULL, kind, issue_date, amount_due, total_gross);

-- relance balance: payments less reversals per client and currency, from the index alone.
CREATE INDEX report_payments_balance ON payments(client_id, currency, date, amount);
`;

/**
 * Migration 8 (with documents.balance, schema/balance.ts): the open items as a range read.
 */
export const openItemsIndexSchema = `
-- The open items (receivables.ts openItems): every issued invoice whose kept balance is not zero,
-- covering every column the open-items query reads from documents, so that overdue reads the open
-- invoices alone, from the index, whatever the number of invoices settled behind them.
CREATE INDEX report_documents_open ON documents(client_id, due_date, id, kind, number, issue_date, currency, amount_due, balance, last_settlement, settled_on, disputed_on, disputed_until, disputed_reason) WHERE balance <> 0;
`;

/**
 * Migration 14 (with documents.last_reminder_level and last_reminder_date, schema/last-reminder.ts):
 * report_documents_open again, now also covering the kept last reminder, so that the open items'
 * statement reads each open invoice's reminder state from the index instead of searching its
 * reminders and their messages. (The generator's index sync keeps the last definition of a name.)
 */
export const openItemsIndexWithReminderSchema = `
DROP INDEX report_documents_open;
CREATE INDEX report_documents_open ON documents(client_id, due_date, id, kind, number, issue_date, currency, amount_due, balance, last_settlement, settled_on, disputed_on, disputed_until, disputed_reason, last_reminder_level, last_reminder_date) WHERE balance <> 0;
`;
