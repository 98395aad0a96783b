/**
 * The call log: calls, letters, visits, emails and meetings with a client. An edit writes a new row
 * that supersedes the old one; the old row stays in the history. A 'letter' contact with message_id
 * records that a reminder letter produced by `remind` was posted (`relance todo posted ID`).
 */
export const contactsSchema = `
CREATE TABLE contacts (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  at               TEXT NOT NULL,       -- local time with its UTC offset: 2026-03-02T14:30:00+01:00
  channel          TEXT NOT NULL CHECK (channel IN ('call', 'email', 'letter', 'visit', 'meeting')),
  with_whom        TEXT,
  outcome          TEXT NOT NULL,
  promise_date     TEXT,
  promise_amount   INTEGER,
  next_action_date TEXT,
  dispute_reason   TEXT,
  message_id       INTEGER REFERENCES messages(id),   -- the reminder letter this contact posted, or the call it made
  supersedes_id    INTEGER UNIQUE REFERENCES contacts(id),
  created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX contacts_client ON contacts(client_id, at);
CREATE INDEX contacts_message ON contacts(message_id) WHERE message_id IS NOT NULL;

CREATE TABLE contact_documents (
  contact_id   INTEGER NOT NULL REFERENCES contacts(id),
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  PRIMARY KEY (contact_id, document_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_documents_document ON contact_documents(document_id);
`;
