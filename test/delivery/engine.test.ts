/**
 * The delivery engine on its own, as `invoice send` or a digest would call it: a generic outgoing
 * message (no reminder), recorded before it leaves, its Message-ID kept across a retry, the outbox
 * file private (0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { deliverEmail, type Delivery } from '../../src/delivery/engine.js';
import { outboxTransport, type Transport } from '../../src/mail/transport.js';
import { insertClient } from '../../src/store/clients.js';
import { write } from '../../src/store/db.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let f: Fixture;
let clientId: number;
const now = () => new Date('2026-03-02T10:00:00+01:00');
const message = () => ({ clientId, channel: 'email' as const, level: 0, asOf: '2026-03-02', subject: 'Facture F-2026-0001', text: 'Bonjour', html: '<p>Bonjour</p>', recipient: 'compta@acme.example', about: 'F-2026-0001' });
const mail = { fromName: 'Atelier Dupont', from: 'compta@dupont.example', replyTo: 'compta@dupont.example', to: 'compta@acme.example', subject: 'Facture F-2026-0001', text: 'Bonjour', html: '<p>Bonjour</p>', attachments: [] };
const row = () => f.db.prepare('SELECT * FROM messages').all() as { id: number; status: string; message_id: string; attempts: number; file_path: string | null; error: string | null }[];

beforeEach(() => {
  f = ledgerFixture();
  clientId = write(f.db, () => insertClient(f.db, 'ACME', { name: 'ACME SAS', email: 'compta@acme.example' }, '2025-01-01T00:00:00+01:00').id);
});
afterEach(() => f.close());

it('records a generic message, writes it to the outbox (0600), marks it written', async () => {
  const outbox = path.join(f.dir, 'outbox');
  const d: Delivery = { db: f.db, transport: await outboxTransport(outbox), now, senderEmail: 'compta@dupont.example' };
  const res = await deliverEmail(d, message(), mail, { outboxName: '2026-03-02-ACME-invoice' });
  expect(res.status).toBe('written');
  const [r] = row();
  expect(r).toMatchObject({ status: 'written', file_path: res.file, attempts: 1 });
  expect(r!.message_id).toMatch(/^<[0-9a-f]+\.relance@dupont\.example>$/);
  expect(fs.readFileSync(res.file!, 'utf8')).toContain(`Message-ID: ${r!.message_id}`);
  expect(fs.readFileSync(res.file!, 'utf8')).toContain('Date: Mon, 02 Mar 2026 09:00:00 +0000');
  expect(fs.statSync(res.file!).mode & 0o777).toBe(0o600);
  expect(fs.statSync(outbox).mode & 0o777).toBe(0o700);
});

it('a failure keeps the row; sending it again reuses the row and its Message-ID', async () => {
  let seen: string[] = [];
  let fail = true;
  const t: Transport = {
    kind: 'smtp',
    describe: 'SMTP test',
    plannedFile: () => null,
    async send(m) {
      seen.push(`${m.messageId} ${row()[0]!.status}`);
      return fail ? { ok: false, error: '550 mailbox unavailable' } : { ok: true, response: '250 ok', file: null };
    },
    close() {},
  };
  const d: Delivery = { db: f.db, transport: t, now, senderEmail: 'compta@dupont.example' };
  expect((await deliverEmail(d, message(), mail, { outboxName: 'x' })).status).toBe('failed');
  expect(row()[0]).toMatchObject({ status: 'failed', error: '550 mailbox unavailable' });
  fail = false;
  expect((await deliverEmail(d, message(), mail, { outboxName: 'x' })).status).toBe('sent');
  const [r] = row();
  expect(row()).toHaveLength(1);
  expect(r).toMatchObject({ status: 'sent', attempts: 2 });
  // Each time it left, the ledger already said 'sending', with the same Message-ID.
  expect(seen).toEqual([`${r!.message_id} sending`, `${r!.message_id} sending`]);
  seen = [];
});
