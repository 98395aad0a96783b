/**
 * Imports (migration 4): each `relance import clients|invoices FILE` that created something is one
 * row, and the clients and invoices it created point at it (import_id). An imported invoice keeps
 * the number it had in the spreadsheet: it stays out of relance's gapless invoice sequence, so its
 * seq is the negative of its id (the CHECK of documents wants a seq beside a number, and the
 * sequence counter in `sequences` never sees it).
 */
export const importsSchema = `
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('clients', 'invoices')),
  file        TEXT NOT NULL,             -- the file's name as given
  sha256      TEXT NOT NULL,             -- of its bytes
  rows        INTEGER NOT NULL,          -- data rows read
  created     INTEGER NOT NULL,          -- clients or invoices created
  imported_at TEXT NOT NULL
) STRICT;
ALTER TABLE documents ADD COLUMN import_id INTEGER REFERENCES imports(id);
ALTER TABLE clients ADD COLUMN import_id INTEGER REFERENCES imports(id);
`;
