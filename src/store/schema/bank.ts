/**
 * Bank statements (issue 17). An account (its saved CSV mapping, its format); every statement line
 * once, known by the bank's entry reference, else by (dates, amount, label, position among the
 * identical lines of that day) - `identity` - so that importing the same or an overlapping file
 * records nothing twice; the payments made from a line (payments stay the one record of money,
 * written through store/payments.ts like `relance pay`); the payer IBANs learned per client.
 * Nothing is deleted: a line whose payment is undone keeps the link, marked with the reversal.
 */
/** The SQL of bank/match.ts referenceKey(number) for the numbers relance makes. */
export const BANK_KEY_SQL = (col: string) => `substr(upper(replace(replace(replace(${col}, '-', ''), '.', ''), '_', '')), -21)`;

export const bankSchema = `
CREATE TABLE bank_accounts (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  iban        TEXT,
  currency    TEXT NOT NULL DEFAULT 'EUR',
  format      TEXT CHECK (format IS NULL OR format IN ('camt053', 'ofx', 'csv', 'cfonb120')),
  csv_json    TEXT,                      -- the CSV column mapping (bank/csv.ts CsvMapping), NULL = read from the header
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE bank_imports (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES bank_accounts(id),
  file        TEXT NOT NULL,
  format      TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  lines_new   INTEGER NOT NULL,
  lines_known INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE bank_lines (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES bank_accounts(id),
  import_id     INTEGER NOT NULL REFERENCES bank_imports(id),
  identity      TEXT NOT NULL,
  booking_date  TEXT NOT NULL,
  value_date    TEXT,
  amount        INTEGER NOT NULL,        -- cents, money in is positive
  currency      TEXT NOT NULL,
  bank_ref      TEXT,
  label         TEXT NOT NULL,
  remittance    TEXT NOT NULL,           -- JSON array of the free texts
  refs          TEXT NOT NULL,           -- JSON array of the structured creditor references
  payer_name    TEXT,
  payer_iban    TEXT,
  reversal      INTEGER NOT NULL DEFAULT 0 CHECK (reversal IN (0, 1)),
  note          TEXT,                    -- why it was left unmatched, at import
  ignored_reason TEXT,
  ignored_at    TEXT,
  UNIQUE (account_id, identity)
) STRICT;
CREATE INDEX bank_lines_date ON bank_lines(booking_date);

CREATE TABLE bank_line_payments (
  id          INTEGER PRIMARY KEY,
  line_id     INTEGER NOT NULL REFERENCES bank_lines(id),
  payment_id  INTEGER NOT NULL UNIQUE REFERENCES payments(id),
  how         TEXT NOT NULL CHECK (how IN ('certain', 'probable', 'manual')),
  undone_by   INTEGER REFERENCES payments(id),   -- the reversal recorded by "bank undo"
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX bank_line_payments_line ON bank_line_payments(line_id);

CREATE TABLE client_ibans (
  iban        TEXT NOT NULL,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  line_id     INTEGER REFERENCES bank_lines(id),  -- the line it was learned from
  learned_on  TEXT NOT NULL,
  PRIMARY KEY (iban, client_id)
) STRICT;
CREATE INDEX client_ibans_client ON client_ibans(client_id);

-- An invoice found from the reference a payer typed: its number's letters and digits, upper case,
-- the last 21 (bank/match.ts referenceKey; numbers hold only letters, digits, "-", "." and "_",
-- core/numbering.ts). Looked up for the candidates of a statement only, so an import's cost grows
-- with the statement, not with the ledger.
CREATE INDEX bank_documents_key ON documents(${BANK_KEY_SQL('number')});
`;

/**
 * A payer's open invoices for probable matches (store/bank.ts openInvoicesOf): only the invoices
 * still owing, so reading them costs what the client owes now, not every invoice it was ever sent
 * (documents_client and report_documents_balance hold the whole history). Partial: an invoice
 * leaves it when settled_on is set and takes no room once paid.
 */
export const bankOpenIndexSchema = `
CREATE INDEX bank_documents_open ON documents(client_id, currency) WHERE settled_on IS NULL;
`;
