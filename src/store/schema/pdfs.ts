/**
 * Frozen PDFs of issued documents (migration 2). An issued invoice is immutable, and the PDF that
 * was sent must stay the same document even if the business later edits its address, logo or
 * settings: the bytes rendered at issue (or, for documents issued before this table existed, on
 * first need) are kept here and reused by `invoice pdf`, reminder attachments and the level-4
 * collection file. Drafts are never stored: they render fresh. The ledger is one SQLite file, so
 * `relance backup` carries these bytes with the rest.
 */
export const pdfsSchema = `
CREATE TABLE document_pdfs (
  document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
  pdf          BLOB NOT NULL,
  sha256       TEXT NOT NULL,            -- hex digest of pdf, for doctor and for people comparing copies
  rendered_on  TEXT NOT NULL             -- YYYY-MM-DD: the issue date, or the run date it was first needed
) STRICT;
`;
