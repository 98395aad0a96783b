/**
 * Migration 13: recurring invoices (issue 20 §3). A schedule says whom to invoice, what (the lines
 * as `invoice new` takes them, kept as parsed), how often and from when; `recurring_periods` has one
 * row per period issued, written in the same IMMEDIATE transaction as the invoice it issued: the
 * primary key (schedule, period) makes a second issue of a period impossible, whatever runs at once.
 */
export const recurringSchema = `
CREATE TABLE recurring (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  every       TEXT NOT NULL CHECK (every IN ('month', 'quarter', 'year', 'weeks')),
  weeks       INTEGER NOT NULL DEFAULT 1 CHECK (weeks BETWEEN 1 AND 52),
  on_day      INTEGER NOT NULL CHECK (on_day BETWEEN 1 AND 31),
  start_on    TEXT NOT NULL,
  end_on      TEXT,
  send        INTEGER NOT NULL DEFAULT 0 CHECK (send IN (0, 1)),
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'stopped')),
  lines_json  TEXT NOT NULL,
  currency    TEXT NOT NULL,
  terms_days  INTEGER,
  terms_kind  TEXT,
  po_number   TEXT,
  operation   TEXT,
  notes       TEXT,
  -- Periods before this day that were not issued are skipped (set by resume: a pause bills nothing).
  skip_before TEXT,
  created_on  TEXT NOT NULL,
  paused_on   TEXT,
  stopped_on  TEXT
) STRICT;

CREATE TABLE recurring_periods (
  recurring_id INTEGER NOT NULL REFERENCES recurring(id),
  period       TEXT NOT NULL,
  document_id  INTEGER NOT NULL UNIQUE REFERENCES documents(id),
  -- 1 while the schedule sends its invoices and this one has not gone out (or may have) yet.
  to_send      INTEGER NOT NULL DEFAULT 0 CHECK (to_send IN (0, 1)),
  issued_at    TEXT NOT NULL,
  PRIMARY KEY (recurring_id, period)
) STRICT;

CREATE INDEX recurring_periods_to_send ON recurring_periods(recurring_id) WHERE to_send = 1;
`;
