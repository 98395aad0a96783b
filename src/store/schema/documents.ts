/**
 * Quotes and invoices share one table: same client, currency and lines.
 * kind: quote | invoice (standard) | deposit (facture d'acompte) | final (facture de solde)
 *       | credit_note (avoir) | penalty (late-payment penalties, no VAT).
 * Quotes number from the 'quote' sequence; every other kind from the one 'invoice' sequence.
 * number and seq stay NULL while a document is a draft. Totals are frozen when it is issued.
 * Status is never stored: it is derived from issue, payments, credit notes and cancellation.
 * Amounts are positive for every kind, credit notes included (the kind says it is a credit).
 * A draft is addressed as "draft-<id>" until it is issued.
 */
export const documentsSchema = `
CREATE TABLE documents (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('quote', 'invoice', 'deposit', 'final', 'credit_note', 'penalty')),
  number           TEXT UNIQUE,
  seq              INTEGER,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  currency         TEXT NOT NULL DEFAULT 'EUR',
  created_on       TEXT NOT NULL,
  issue_date       TEXT,                 -- invoices: date issued; quotes: date of the quote
  service_date     TEXT,                 -- date of sale / service when different from issue
  due_date         TEXT,
  terms_days       INTEGER,
  terms_kind       TEXT,
  po_number        TEXT,
  quote_id         INTEGER REFERENCES documents(id),   -- deposit and final: the quote they come from
  cancels_id       INTEGER REFERENCES documents(id),   -- credit note: the invoice it cancels
  validity_days    INTEGER,              -- quotes
  deposit_bp       INTEGER,              -- quotes: requested deposit in basis points (3000 = 30 %)
  accepted_on      TEXT,
  accepted_by      TEXT,
  declined_on      TEXT,
  total_net        INTEGER NOT NULL DEFAULT 0,   -- cents, excl. VAT
  total_vat        INTEGER NOT NULL DEFAULT 0,
  total_gross      INTEGER NOT NULL DEFAULT 0,   -- incl. VAT
  deducted_gross   INTEGER NOT NULL DEFAULT 0,   -- final invoices: deposits deducted, incl. VAT
  amount_due       INTEGER NOT NULL DEFAULT 0,   -- total_gross - deducted_gross
  disputed_on      TEXT,
  disputed_reason  TEXT,
  disputed_until   TEXT,
  payment_link     TEXT,
  operation        TEXT CHECK (operation IS NULL OR operation IN ('goods', 'services', 'both')),  -- nature of the operation (mandatory mention from 2026-09 / 2027-09)
  notes            TEXT,
  CHECK (number IS NULL OR seq IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX documents_seq ON documents(kind = 'quote', seq) WHERE seq IS NOT NULL;
CREATE INDEX documents_client ON documents(client_id, issue_date);
CREATE INDEX documents_quote ON documents(quote_id) WHERE quote_id IS NOT NULL;
CREATE INDEX documents_cancels ON documents(cancels_id) WHERE cancels_id IS NOT NULL;

-- Quantities in thousandths (1.5 days = 1500), prices in cents, rates and % discounts in basis points.
CREATE TABLE document_lines (
  id              INTEGER PRIMARY KEY,
  document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  description     TEXT NOT NULL,
  quantity_milli  INTEGER NOT NULL,
  unit_price      INTEGER NOT NULL,
  vat_bp          INTEGER NOT NULL,      -- 2000 = 20 %, 550 = 5.5 %
  discount_bp     INTEGER NOT NULL DEFAULT 0,
  discount_amount INTEGER NOT NULL DEFAULT 0,
  net             INTEGER NOT NULL,      -- line amount excl. VAT, rounded to the cent
  UNIQUE (document_id, position)
) STRICT;

-- Final invoices (factures de solde): each deposit invoice deducted, per VAT rate, frozen when the
-- final invoice is issued. documents.deducted_gross is the sum of base + vat here.
CREATE TABLE document_deductions (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  deposit_id   INTEGER NOT NULL REFERENCES documents(id),
  vat_bp       INTEGER NOT NULL,
  base         INTEGER NOT NULL,         -- cents excl. VAT deducted at this rate
  vat          INTEGER NOT NULL,         -- the deposit's VAT at this rate, deducted
  UNIQUE (document_id, deposit_id, vat_bp)
) STRICT;
CREATE INDEX document_deductions_deposit ON document_deductions(deposit_id);
`;

/**
 * When an issued invoice is settled for good (migration 3): the date from which its balance is
 * zero on every later date, given what is recorded; NULL while it owes something (or is owed
 * something back), and for quotes, drafts and credit notes. It is the date of its last allocation or
 * credit note (its issue date when it has neither, i.e. it is for 0.00), set only when the balance
 * after all of them is exactly zero; a reversal (a negative allocation) clears it.
 *
 * Status stays derived: this is a cache of the derived balance, so that overdue and the DSO need
 * not compute the balance of every invoice ever issued (bench/README.md item 3). As of a date D,
 * an invoice with settled_on <= D has a balance of zero on D; every other one is computed as
 * before, so a past --as-of shows what it showed. It is kept by triggers, in the same transaction
 * as the allocation, reversal or credit note that changes it (whoever writes it), and the property
 * test (test/store/payments-property.test.ts) checks it against the derived balance.
 */
const settledOn = `(
  SELECT CASE
    WHEN NOT (d.kind IN ('invoice', 'deposit', 'final', 'penalty') AND d.number IS NOT NULL) THEN NULL
    WHEN d.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id), 0)
                      - COALESCE((SELECT SUM(n.total_gross) FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL), 0) <> 0 THEN NULL
    ELSE COALESCE(NULLIF(MAX(COALESCE((SELECT MAX(a.date) FROM allocations a WHERE a.document_id = d.id), ''),
                             COALESCE((SELECT MAX(n.issue_date) FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL), '')), ''),
                  d.issue_date)
  END
  FROM documents d WHERE d.id = documents.id)`;
const settle = (ids: string) => `UPDATE documents SET settled_on = ${settledOn} WHERE id IN (${ids});`;

/**
 * The six triggers that keep columns of documents current with what settles them: allocations
 * inserted, moved or deleted, and invoices or credit notes issued, changed or deleted. `recompute(ids)`
 * is the SQL that recomputes those documents (an SQL list of ids). Migration 3 kept settled_on with
 * them (prefix documents_settled), migration 11 the kept balance (documents_kept, schema/balance.ts).
 */
export function settlementTriggers(prefix: string, recompute: (ids: string) => string): string {
  return `
CREATE TRIGGER ${prefix}_allocation_insert AFTER INSERT ON allocations BEGIN
  ${recompute('NEW.document_id')}
END;
CREATE TRIGGER ${prefix}_allocation_update AFTER UPDATE OF document_id, date, amount ON allocations BEGIN
  ${recompute('NEW.document_id, OLD.document_id')}
END;
CREATE TRIGGER ${prefix}_allocation_delete AFTER DELETE ON allocations BEGIN
  ${recompute('OLD.document_id')}
END;
-- Issuing an invoice or a credit note (number set), and any change of what the balance depends on.
CREATE TRIGGER ${prefix}_document_insert AFTER INSERT ON documents BEGIN
  ${recompute('NEW.id, NEW.cancels_id')}
END;
CREATE TRIGGER ${prefix}_document_update AFTER UPDATE OF kind, number, issue_date, amount_due, total_gross, cancels_id ON documents BEGIN
  ${recompute('NEW.id, NEW.cancels_id, OLD.cancels_id')}
END;
CREATE TRIGGER ${prefix}_document_delete AFTER DELETE ON documents BEGIN
  ${recompute('OLD.cancels_id')}
END;`;
}

export const settlementMarkerSchema = `
ALTER TABLE documents ADD COLUMN settled_on TEXT;
${settlementTriggers('documents_settled', settle)}

-- Existing ledgers: every issued invoice's marker from what is recorded.
UPDATE documents SET number = number WHERE number IS NOT NULL;
`;
