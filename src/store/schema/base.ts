/** Ledger settings (business identity, defaults, SMTP, policy), sequences and the run lock. */
export const baseSchema = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- JSON-encoded; keys and types are declared in src/store/settings.ts
) STRICT;

-- Gapless numbering: one row per sequence ('invoice', 'quote'); next is taken and bumped
-- inside the same IMMEDIATE transaction that issues the document, so numbers are never reused.
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  next INTEGER NOT NULL CHECK (next >= 1)
) STRICT;

-- Application-level locks for long runs (remind --due) that cannot hold a write transaction
-- while they talk to an SMTP server. A lock whose process is gone is stale and may be taken over.
CREATE TABLE locks (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  pid         INTEGER NOT NULL,
  host        TEXT NOT NULL,
  acquired_at TEXT NOT NULL
) STRICT;
`;
