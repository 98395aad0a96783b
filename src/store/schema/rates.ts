/**
 * Rate tables added by the user on top of the ones shipped in src/core/rates.ts.
 * ECB main refinancing rate changes (and "confirmed held on" entries), and the taux d'interet legal.
 */
export const ratesSchema = `
CREATE TABLE ecb_rates (
  date     TEXT PRIMARY KEY,            -- the date the rate took effect, or was confirmed to hold
  rate_bp  INTEGER NOT NULL,            -- 2.15 % = 215
  note     TEXT,
  added_at TEXT NOT NULL
) STRICT;

CREATE TABLE legal_rates (
  half         TEXT PRIMARY KEY,        -- '2026-H1'
  pro_bp       INTEGER NOT NULL,        -- professionnels column
  consumer_bp  INTEGER NOT NULL,        -- particuliers column
  added_at     TEXT NOT NULL
) STRICT;
`;
