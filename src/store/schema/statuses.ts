/**
 * Platform lifecycle statuses of issued invoices (issue 16): each status recorded, by hand
 * ("relance invoice status") or by relance itself ('cashed' when a services invoice is paid in
 * full), with its code of the reform's list. Never updated or deleted: the latest (by date, then
 * id) is the invoice's current status.
 */
export const statusesSchema = `
CREATE TABLE invoice_statuses (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  status       TEXT NOT NULL CHECK (status IN ('deposited', 'approved', 'disputed', 'suspended', 'refused', 'payment-sent', 'cashed', 'rejected')),
  code         INTEGER NOT NULL,          -- 200..213 of the reform's lifecycle
  date         TEXT NOT NULL,
  reason       TEXT,
  source       TEXT NOT NULL CHECK (source IN ('manual', 'payment')),
  recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX invoice_statuses_document ON invoice_statuses(document_id, date, id);
`;

/**
 * The exchange rate of an invoice not in EUR (BR-FR-CO-12 / EN 16931 BR-53, CGI art. 242 nonies A):
 * units of the invoice's currency for 1 EUR, as the ECB publishes it, in millionths (1.0845 USD
 * for 1 EUR = 1084500). The VAT in EUR (BT-111) is the invoice's VAT divided by it, to the cent.
 */
export const eurRatesSchema = `
CREATE TABLE document_eur_rates (
  document_id  INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  rate_micro   INTEGER NOT NULL CHECK (rate_micro > 0)
) STRICT;
`;
