/** Clients (debtors). Terms columns NULL mean "the ledger's default". */
export const clientsSchema = `
CREATE TABLE clients (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name            TEXT NOT NULL,
  email           TEXT,
  phone           TEXT,
  address         TEXT,                  -- postal address, lines separated by \\n
  billing_address TEXT,                  -- where invoices go, when different
  contact_name    TEXT,                  -- to whom invoices go
  siren           TEXT,
  vat_number      TEXT,
  lang            TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
  kind            TEXT NOT NULL DEFAULT 'b2b' CHECK (kind IN ('b2b', 'b2c')),
  terms_days      INTEGER CHECK (terms_days IS NULL OR terms_days >= 0),
  terms_kind      TEXT CHECK (terms_kind IS NULL OR terms_kind IN ('net', 'eom', '45eom-add-then-eom', '45eom-eom-then-add')),
  po_required     INTEGER NOT NULL DEFAULT 0 CHECK (po_required IN (0, 1)),
  billing_note    TEXT,
  paused_until    TEXT,                  -- dunning paused up to and including this date
  stop_work       INTEGER NOT NULL DEFAULT 0 CHECK (stop_work IN (0, 1)),
  policy_json     TEXT,                  -- per-client dunning policy override (JSON), NULL = ledger policy
  notes           TEXT,
  created_at      TEXT NOT NULL
) STRICT;
`;

/** Archived clients (migration 4): the day a client was archived, NULL while it is active. */
/**
 * Migration 12: where the goods or services are delivered, when not at the billing address (a mention
 * of the e-invoicing reform, décret 2022-1299): the client's usual one, and an invoice's own.
 */
export const deliveryAddressSchema = `
ALTER TABLE clients ADD COLUMN delivery_address TEXT;
ALTER TABLE documents ADD COLUMN delivery_address TEXT;
`;

export const clientArchiveSchema = `
ALTER TABLE clients ADD COLUMN archived_on TEXT;
`;
