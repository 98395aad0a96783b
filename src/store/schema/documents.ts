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
