/**
 * Reminders, exactly once. A message is one email or letter to a client in one run; a reminder is
 * one (invoice, instalment, level) reached, pointing at the message that carried it.
 * The row is written with status 'sending' and its Message-ID before anything leaves, and marked
 * 'sent' (SMTP accepted) or 'written' (outbox file or letter on disk) after. UNIQUE(document, instalment,
 * level) makes a second send of the same level impossible. instalment 0 is the invoice itself.
 * A failed message keeps its row (and its Message-ID): the next run re-renders and reuses it.
 */
export const dunningSchema = `
CREATE TABLE messages (
  id           INTEGER PRIMARY KEY,
  client_id    INTEGER NOT NULL REFERENCES clients(id),
  level        INTEGER NOT NULL,
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'call', 'handover')),
  status       TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'written', 'failed', 'cancelled')),
  message_id   TEXT UNIQUE,             -- RFC 5322 Message-ID, stable across retries
  as_of        TEXT NOT NULL,           -- the run date the content was computed for
  subject      TEXT,
  body_text    TEXT,
  body_html    TEXT,
  recipient    TEXT,
  file_path    TEXT,                    -- outbox .eml, letter PDF or collection file (NULL: sent over SMTP)
  invoices     TEXT,                    -- numbers of the invoices listed, comma-separated (for people)
  copy_of      INTEGER REFERENCES messages(id),  -- the email copy of a letter points at the letter
  on_demand    INTEGER NOT NULL DEFAULT 0 CHECK (on_demand IN (0, 1)),
  error        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  sent_at      TEXT
) STRICT;
CREATE INDEX messages_client ON messages(client_id, as_of);
CREATE INDEX messages_status ON messages(status) WHERE status IN ('sending', 'failed');

CREATE TABLE reminders (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  instalment   INTEGER NOT NULL DEFAULT 0,
  level        INTEGER NOT NULL,
  message_id   INTEGER REFERENCES messages(id),
  date         TEXT NOT NULL,           -- run date (as-of) the level was reached
  penalty      INTEGER,                 -- penalties claimed, cents, as computed at date
  indemnity    INTEGER,
  UNIQUE (document_id, instalment, level)
) STRICT;
CREATE INDEX reminders_message ON reminders(message_id);
CREATE INDEX messages_client_level ON messages(client_id, level, channel, status);
`;
