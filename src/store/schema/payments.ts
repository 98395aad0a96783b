/**
 * Money received. A payment is never deleted: undo records a reversal (negative amount,
 * reverses_id set). Allocations say which invoice each part settles; what is not allocated
 * is client credit, applied later by an allocation dated when it is applied.
 */
export const paymentsSchema = `
CREATE TABLE payments (
  id           INTEGER PRIMARY KEY,
  client_id    INTEGER NOT NULL REFERENCES clients(id),
  date         TEXT NOT NULL,
  amount       INTEGER NOT NULL,         -- cents; negative for a reversal
  currency     TEXT NOT NULL DEFAULT 'EUR',
  method       TEXT NOT NULL DEFAULT 'transfer' CHECK (method IN ('transfer', 'card', 'cheque', 'cash', 'direct-debit', 'other', 'credit', 'reversal')),
  reference    TEXT,
  reverses_id  INTEGER UNIQUE REFERENCES payments(id),
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX payments_client ON payments(client_id, date);

CREATE TABLE allocations (
  id           INTEGER PRIMARY KEY,
  payment_id   INTEGER NOT NULL REFERENCES payments(id),
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  date         TEXT NOT NULL,            -- when the money counts for that invoice
  amount       INTEGER NOT NULL          -- cents; negative for a reversal's allocation
) STRICT;
CREATE INDEX allocations_document ON allocations(document_id, date);
CREATE INDEX allocations_payment ON allocations(payment_id);

-- Payment plans (echeanciers): instalments add up exactly to the balance when the plan is made.
CREATE TABLE plans (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id),
  created_on    TEXT NOT NULL,
  cancelled_on  TEXT
) STRICT;
CREATE INDEX plans_document ON plans(document_id);

CREATE TABLE plan_instalments (
  id        INTEGER PRIMARY KEY,
  plan_id   INTEGER NOT NULL REFERENCES plans(id),
  position  INTEGER NOT NULL,
  due_date  TEXT NOT NULL,
  amount    INTEGER NOT NULL CHECK (amount > 0),
  UNIQUE (plan_id, position)
) STRICT;

-- Penalty invoices (kind 'penalty') and what each one billed for which late invoice, so that
-- a later bill claims only what was not billed yet, and the indemnity only once per invoice.
CREATE TABLE penalty_bills (
  document_id  INTEGER PRIMARY KEY REFERENCES documents(id),   -- the penalty invoice
  invoice_id   INTEGER NOT NULL REFERENCES documents(id),      -- the late invoice
  through      TEXT NOT NULL,                                  -- interest computed up to this date
  interest     INTEGER NOT NULL,                               -- cents billed for interest
  indemnity    INTEGER NOT NULL                                -- cents billed for the 40 EUR indemnity
) STRICT;
CREATE INDEX penalty_bills_invoice ON penalty_bills(invoice_id);
`;
