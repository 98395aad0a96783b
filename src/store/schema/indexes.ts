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
