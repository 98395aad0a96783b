/**
 * The kept balance of an issued invoice (migration 8): `documents.balance` = amount_due - every
 * allocation - every issued credit note cancelling it, whatever their dates (today's balance, as
 * recorded), NULL for quotes, drafts and credit notes; `documents.last_settlement` = the date of its
 * latest allocation or credit note, NULL when it has none. Kept by triggers in the same transaction
 * as the write that changes them, whoever writes (store/payments.ts for payments, undo, credit
 * allocations and bank payments; store/documents.ts for issuing, cancelling and credit notes;
 * fixtures; bench/generate.mjs), like `settled_on` (migration 3), which the same triggers now keep
 * (the six triggers of migration 3 are replaced by these six: one UPDATE per write instead of two).
 *
 * Why: the open items are then a range read of the partial index report_documents_open (balance <> 0,
 * schema/indexes.ts) instead of a search of every invoice ever issued, so overdue's cost grows with
 * the open invoices, not with the history; and an invoice with no payment and no credit note
 * (last_settlement IS NULL, most open ones) needs no look-up of its allocations at all.
 * A past as-of date stays exact: receivables.ts computes each candidate's balance on that date from
 * its dated settlements, as before (test/store/payments-property.test.ts checks the kept columns
 * against the computed ones after random operations).
 */
import { settlementTriggers } from './documents.js';

const RECEIVABLE = `kind IN ('invoice', 'deposit', 'final', 'penalty') AND number IS NOT NULL`;
const PAID = `(SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = documents.id)`;
const LAST_PAID = `(SELECT MAX(a.date) FROM allocations a WHERE a.document_id = documents.id)`;
const CREDIT_NOTES = `FROM documents n WHERE n.cancels_id = documents.id AND n.kind = 'credit_note' AND n.number IS NOT NULL`;

/** Recompute the kept columns of these documents (ids: an SQL list), then settled_on from them. */
export const keep = (ids: string) => `
  UPDATE documents SET
    balance = CASE WHEN ${RECEIVABLE} THEN amount_due - COALESCE(${PAID}, 0) - COALESCE((SELECT SUM(n.total_gross) ${CREDIT_NOTES}), 0) END,
    last_settlement = NULLIF(MAX(COALESCE(${LAST_PAID}, ''), COALESCE((SELECT MAX(n.issue_date) ${CREDIT_NOTES}), '')), '')
  WHERE id IN (${ids});
  UPDATE documents SET settled_on = CASE WHEN balance = 0 THEN COALESCE(last_settlement, issue_date) END WHERE id IN (${ids});`;

export const keptBalanceSchema = `
ALTER TABLE documents ADD COLUMN balance INTEGER;
ALTER TABLE documents ADD COLUMN last_settlement TEXT;

DROP TRIGGER documents_settled_allocation_insert;
DROP TRIGGER documents_settled_allocation_update;
DROP TRIGGER documents_settled_allocation_delete;
DROP TRIGGER documents_settled_document_insert;
DROP TRIGGER documents_settled_document_update;
DROP TRIGGER documents_settled_document_delete;

${settlementTriggers('documents_kept', keep)}

-- Existing ledgers: every issued invoice's kept balance from what is recorded.
UPDATE documents SET number = number WHERE number IS NOT NULL;
`;
