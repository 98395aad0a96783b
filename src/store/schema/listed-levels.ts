/**
 * Never a milder message after a stronger one (issue 14): from this version on, every invoice (or
 * instalment) a message lists is recorded at the message's level in `reminders`. Messages written
 * before listed invoices they carried no reminder for; this backfill records those from the list of
 * invoices each message kept (`messages.invoices`, "NUMBER" or "NUMBER/INSTALMENT", comma-separated),
 * so an invoice that was in a formal notice is never listed in a milder message after the upgrade.
 * Failed and cancelled messages never reached the client and are left out.
 */
export const listedLevelsBackfill = `
WITH RECURSIVE split(message_id, level, as_of, rest, label) AS (
  SELECT id, level, as_of, invoices || ', ', NULL FROM messages
  WHERE status IN ('sending', 'sent', 'written') AND copy_of IS NULL AND invoices IS NOT NULL AND invoices <> ''
  UNION ALL
  SELECT message_id, level, as_of, substr(rest, instr(rest, ', ') + 2), substr(rest, 1, instr(rest, ', ') - 1)
  FROM split WHERE rest <> ''
),
listed(message_id, level, as_of, document_id, instalment) AS (
  SELECT s.message_id, s.level, s.as_of, d.id, 0
  FROM split s JOIN documents d ON d.number = s.label
  WHERE s.label IS NOT NULL
  UNION ALL
  SELECT s.message_id, s.level, s.as_of, d.id, CAST(substr(s.label, length(d.number) + 2) AS INTEGER)
  FROM split s JOIN documents d ON s.label LIKE d.number || '/%' AND substr(s.label, length(d.number) + 2) GLOB '[1-9]*'
       AND substr(s.label, length(d.number) + 2) NOT GLOB '*[^0-9]*'
  WHERE s.label IS NOT NULL AND NOT EXISTS (SELECT 1 FROM documents e WHERE e.number = s.label)
)
INSERT OR IGNORE INTO reminders (document_id, instalment, level, message_id, date)
SELECT document_id, instalment, level, message_id, as_of FROM listed l
WHERE NOT EXISTS (SELECT 1 FROM reminders r WHERE r.document_id = l.document_id AND r.instalment = l.instalment AND r.level >= l.level);
`;
