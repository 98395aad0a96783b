/**
 * Migration 15: the digests sent to the business owner (issue 20 §4), once per period. A row is
 * written 'sending' (with its Message-ID, the process that sends it) in the IMMEDIATE transaction
 * that checks no digest covers the period yet, before the email leaves; it is marked 'sent' or
 * 'written' (outbox) after, 'failed' when it certainly did not leave (the next run retries it with
 * the same row and Message-ID). A row left 'sending' by a dead process is uncertain: reported,
 * never resent until `digest --resolve ID --sent|--retry`. UNIQUE(scope, period_from, period_to).
 * The same table is the whole schema of the digest journal of `digest --all` (beside the registry).
 */
export const digestsSchema = `
CREATE TABLE IF NOT EXISTS digests (
  id           INTEGER PRIMARY KEY,
  scope        TEXT NOT NULL,           -- 'ledger' in a ledger; 'all' in the journal of digest --all
  period_from  TEXT NOT NULL,
  period_to    TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'written', 'failed')),
  message_id   TEXT NOT NULL UNIQUE,
  recipient    TEXT NOT NULL,
  subject      TEXT NOT NULL,
  ledgers      TEXT,                    -- the ledgers a digest --all covered, comma-separated
  file_path    TEXT,                    -- the outbox .eml (NULL over SMTP)
  pid          INTEGER NOT NULL,
  host         TEXT NOT NULL,
  error        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  sent_at      TEXT,
  UNIQUE (scope, period_from, period_to)
) STRICT;
CREATE INDEX IF NOT EXISTS digests_end ON digests(scope, period_to);
`;
