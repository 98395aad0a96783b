/**
 * Migration 17: the business's logo (issue 20 §5), its bytes kept in the ledger (the file it came from
 * may move). `logos` holds each image once (by digest); at most one is the current logo. A document
 * is bound to the logo current when it is issued (`document_logos`, written by the triggers below
 * whatever code issues it: invoice issue, credit notes, penalty invoices, recurring runs, imports,
 * quote numbers), so its PDF, frozen or rendered again, keeps the logo it was issued with; a draft
 * shows the current one.
 */
export const logosSchema = `
CREATE TABLE logos (
  id        INTEGER PRIMARY KEY,
  sha256    TEXT NOT NULL UNIQUE,
  kind      TEXT NOT NULL CHECK (kind IN ('png', 'jpeg')),
  width     INTEGER NOT NULL CHECK (width > 0),
  height    INTEGER NOT NULL CHECK (height > 0),
  bytes     BLOB NOT NULL,
  added_on  TEXT NOT NULL,
  current   INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1))
) STRICT;

CREATE UNIQUE INDEX logos_one_current ON logos(current) WHERE current = 1;

CREATE TABLE document_logos (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  logo_id     INTEGER NOT NULL REFERENCES logos(id)
) STRICT;

CREATE TRIGGER document_logo_on_issue AFTER UPDATE OF number ON documents
WHEN OLD.number IS NULL AND NEW.number IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO document_logos (document_id, logo_id) SELECT NEW.id, id FROM logos WHERE current = 1;
END;

CREATE TRIGGER document_logo_on_insert AFTER INSERT ON documents
WHEN NEW.number IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO document_logos (document_id, logo_id) SELECT NEW.id, id FROM logos WHERE current = 1;
END;
`;
