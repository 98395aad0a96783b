/**
 * Deferred settlement (migration 16): a writer of many allocations in one transaction (bank
 * import: ~10k payments, store/payments.ts deferSettlements) has the kept columns of documents
 * (balance, last_settlement, settled_on; schema/balance.ts) recomputed once per touched invoice at
 * the end of its work instead of once per allocation row. While the row 0 of settlement_pending is
 * there (only ever inside that writer's IMMEDIATE transaction: never committed, so no other
 * connection sees it), the allocation triggers only note the invoice's id in settlement_pending;
 * flushSettlements() then recomputes those invoices with the same SQL as the triggers (keep()) and
 * empties the table. Without the row 0 (every other writer) the triggers recompute at once, as in
 * migration 11. The document triggers (issuing, credit notes) stay immediate. And the index of
 * the open invoices bank matching reads by client, from the kept balance (bank_documents_owing).
 */
import { keep } from './balance.js';

/** The condition under which the allocation triggers defer. */
const DEFERRING = 'EXISTS (SELECT 1 FROM settlement_pending WHERE document_id = 0)';

/** The SQL that recomputes every invoice noted while deferring (the row 0 stays). */
export const FLUSH_SETTLEMENTS_SQL = `${keep('SELECT document_id FROM settlement_pending WHERE document_id > 0')}
  DELETE FROM settlement_pending WHERE document_id > 0;`;

const pair = (event: string, ids: string[], of = '') => `
CREATE TRIGGER documents_kept_allocation_${event} AFTER ${event.toUpperCase()}${of} ON allocations WHEN NOT ${DEFERRING} BEGIN
  ${keep(ids.join(', '))}
END;
CREATE TRIGGER documents_pending_allocation_${event} AFTER ${event.toUpperCase()}${of} ON allocations WHEN ${DEFERRING} BEGIN
  INSERT OR IGNORE INTO settlement_pending (document_id) VALUES ${ids.map((i) => `(${i})`).join(', ')};
END;`;

export const deferredSettlementSchema = `
-- document ids whose kept columns wait for flushSettlements(); 0 = a deferral is open
CREATE TABLE settlement_pending (document_id INTEGER PRIMARY KEY) STRICT;

DROP TRIGGER documents_kept_allocation_insert;
DROP TRIGGER documents_kept_allocation_update;
DROP TRIGGER documents_kept_allocation_delete;
${pair('insert', ['NEW.document_id'])}
${pair('update', ['NEW.document_id', 'OLD.document_id'], ' OF document_id, date, amount')}
${pair('delete', ['OLD.document_id'])}

-- A payer's open invoices for bank matching (store/bank.ts openInvoicesOf, openInvoicesOfClients):
-- read from the kept balance, covering, so one query for every payer of a statement reads what
-- they owe now and nothing of their history. It replaces migration 9's bank_documents_open.
CREATE INDEX bank_documents_owing ON documents(client_id, currency, id, kind, number, issue_date, due_date, balance, last_settlement) WHERE balance > 0 AND number IS NOT NULL;
DROP INDEX bank_documents_open;
`;
