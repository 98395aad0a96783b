/**
 * The failed messages read once per recording transaction (store/reminders.ts failedMessages): a
 * batch of recordMessage() calls given them reuses exactly the rows the per-message lookup would
 * (the latest failed one of the same client, level and channel, with its Message-ID), each once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { write } from '../../src/store/db.js';
import { failedMessages, markFailed, recordMessage, type MessageFields } from '../../src/store/reminders.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.close();
});

const NOW = '2026-11-20T09:00:00+01:00';
const fields = (clientId: number, level: number, channel: MessageFields['channel'] = 'email'): MessageFields => ({
  clientId,
  level,
  channel,
  messageId: '',
  asOf: '2026-11-20',
  subject: 'Relance',
  text: 'Bonjour',
  html: '<p>Bonjour</p>',
  recipient: 'compta@acme.example',
  filePath: null,
  invoices: 'F-1',
});

/** A ledger with failed messages (ACME level 1 twice and as a letter, BETA level 2) and one still sending (BETA level 1); then a batch recorded. */
function batch(withIndex: boolean) {
  const f = ledgerFixture();
  fixtures.push(f);
  let n = 0;
  const newId = () => `<m${++n}.relance@dupont.example>`;
  const acme = f.client('ACME');
  const beta = f.client('BETA');
  const first = write(f.db, () => [fields(acme, 1), fields(acme, 1), fields(acme, 1, 'letter'), fields(beta, 2), fields(beta, 1)].map((m) => recordMessage(f.db, m, NOW, newId)));
  write(f.db, () => first.slice(0, 4).forEach((r) => markFailed(f.db, r.id, 'refused')));
  const wanted = [fields(acme, 1), fields(acme, 1), fields(acme, 1), fields(beta, 2), fields(beta, 1), fields(acme, 1, 'letter'), fields(acme, 2)];
  const recorded = write(f.db, () => {
    const failed = withIndex ? failedMessages(f.db) : undefined;
    return wanted.map((m) => recordMessage(f.db, m, NOW, newId, failed));
  });
  const statuses = f.db.prepare('SELECT id, status, message_id, attempts FROM messages ORDER BY id').all();
  return { first, recorded, statuses };
}

describe('failedMessages', () => {
  it('reuses the same failed rows as the per-message lookup, latest first, each once, and nothing else', () => {
    const a = batch(true);
    const b = batch(false);
    expect(a.recorded).toEqual(b.recorded);
    expect(a.statuses).toEqual(b.statuses);
    // ACME's email at level 1: its two failed rows, the latest first, with their Message-IDs; then a new row.
    expect(a.recorded.slice(0, 3).map((r) => r.id)).toEqual([a.first[1]!.id, a.first[0]!.id, 6]);
    expect(a.recorded[0]!.messageId).toBe(a.first[1]!.messageId);
    expect(a.recorded[0]!.attempts).toBe(2);
    expect(a.recorded[3]!.id).toBe(a.first[3]!.id); // BETA level 2 retried
    expect(a.recorded[4]!.id).not.toBe(a.first[4]!.id); // BETA level 1 is not failed: a new message
    expect(a.recorded[5]!.id).toBe(a.first[2]!.id); // the letter reuses the letter
    expect(a.statuses.every((s) => (s as { status: string }).status === 'sending')).toBe(true);
  });
});
