/**
 * The reminder run in-process (src/dunning/run.ts over src/delivery/engine.ts), with an injected
 * transport and clock: the exactly-once rules of dunning.md without spawning bin/relance.
 *   - a message is recorded 'sending' with its Message-ID before the transport sees it;
 *   - an unknown fate (the server took the data, no reply) stays uncertain and is never resent;
 *   - a failure is retried by the next run with the same row and Message-ID;
 *   - an abort (SIGINT/SIGTERM) or an SMTP timeout stops the sending: the rest is recorded as not
 *     attempted, the lock is released, the next run sends it once.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/dunning.js';
import type { OutgoingEmail, SendResult, Transport } from '../../src/mail/transport.js';
import { exitOf } from '../../src/dunning/report.js';
import { runDue, runOnDemand, type RunInput } from '../../src/dunning/run.js';
import { insertClient } from '../../src/store/clients.js';
import { write } from '../../src/store/db.js';
import { acquireLock, putPolicy } from '../../src/store/reminders.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

interface Row {
  id: number;
  status: string;
  message_id: string | null;
  attempts: number;
  recipient: string;
  error: string | null;
  created_at: string;
}

/** A transport that answers what the test says, and records what the ledger held when each message left. */
function fakeTransport(f: Fixture, answer: (mail: OutgoingEmail, n: number) => SendResult | Promise<SendResult>) {
  const sent: { mail: OutgoingEmail; rowAtSend: Row | undefined }[] = [];
  const t: Transport & { sent: typeof sent } = {
    kind: 'smtp',
    describe: 'SMTP test',
    plannedFile: () => null,
    async send(mail) {
      const rowAtSend = f.db.prepare('SELECT * FROM messages WHERE message_id = ?').get(mail.messageId) as Row | undefined;
      sent.push({ mail, rowAtSend });
      return answer(mail, sent.length);
    },
    close() {},
    sent,
  };
  return t;
}

const OK: SendResult = { ok: true, response: '250 queued', file: null };

describe('the reminder run, in-process', () => {
  let f: Fixture;
  const clock = new Date('2026-02-09T09:30:00+01:00');
  const input = (transport: Transport, extra: Partial<RunInput> = {}): RunInput => ({
    db: f.db,
    ledgerFile: path.join(f.dir, 'ledger.db'),
    asOf: '2026-02-09',
    now: () => clock,
    env: {},
    transport,
    lockWaitMs: 0,
    ...extra,
  });
  const rows = () => f.db.prepare("SELECT * FROM messages WHERE channel = 'email' ORDER BY id").all() as Row[];

  beforeEach(() => {
    f = ledgerFixture();
    write(f.db, () => putPolicy(f.db, { ...DEFAULT_POLICY, attachInvoices: false }));
    for (const [code, n] of [['ACME', 1], ['GLOBEX', 2]] as const) {
      const id = write(f.db, () => insertClient(f.db, code, { name: `${code} SAS`, email: `compta@${code.toLowerCase()}.example`, address: '1 rue de la Paix\n75002 Paris' }, '2025-01-01T00:00:00+01:00').id);
      f.invoice({ client: id, number: `F-2026-000${n}`, issue: '2026-01-01', due: '2026-01-31', amount: 120_000 });
    }
  });
  afterEach(() => f.close());

  it('records each message sending, with its Message-ID, before the transport sees it; marks it sent after', async () => {
    const t = fakeTransport(f, () => OK);
    const report = await runDue(input(t));
    expect(t.sent).toHaveLength(2);
    for (const s of t.sent) {
      expect(s.rowAtSend?.status).toBe('sending');
      expect(s.rowAtSend?.message_id).toBe(s.mail.messageId);
      // The run's clock, not the machine's: the Date header and the recorded time.
      expect(s.mail.date).toBe(clock);
    }
    expect(rows().map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(exitOf(report)).toBe(0);
    // Nothing is due again the same day.
    const again = await runDue(input(t));
    expect(t.sent).toHaveLength(2);
    expect(again.outcomes).toEqual([]);
  });

  it('an unknown fate stays uncertain: reported, exit 1, never resent by the next run', async () => {
    const t = fakeTransport(f, (_m, n) => (n === 1 ? { ok: false, error: 'ECONNECTION: Connection closed unexpectedly', uncertain: true } : OK));
    const first = await runDue(input(t));
    expect(first.uncertain).toHaveLength(1);
    expect(exitOf(first)).toBe(1);
    // The server that took a message and said nothing: the run stops sending, the other waits.
    expect(t.sent).toHaveLength(1);
    expect(first.failed.map((x) => x.error)).toEqual([expect.stringContaining('not attempted: the SMTP server stopped answering')]);
    // Over SMTP each client is recorded just before it is sent: the other was never recorded.
    const [uncertain] = rows();
    expect(rows()).toHaveLength(1);
    expect(uncertain!.status).toBe('sending');
    expect(uncertain!.error).toContain('--resolve');

    const second = await runDue(input(t));
    expect(t.sent).toHaveLength(2);
    expect(t.sent[1]!.mail.to).not.toBe(uncertain!.recipient);
    expect(second.uncertain.map((u) => u.message)).toEqual([uncertain!.id]);
    expect(exitOf(second)).toBe(1);
    expect(rows().map((r) => r.status)).toEqual(['sending', 'sent']);
  });

  it('a refusal is failed and retried by the next run with the same row and Message-ID', async () => {
    const t = fakeTransport(f, (m) => (m.to.startsWith('compta@acme') && t.sent.length === 1 ? { ok: false, error: '451 try again later' } : OK));
    const first = await runDue(input(t));
    expect(first.failed).toEqual([{ client: 'ACME', level: 1, error: 'email: 451 try again later' }]);
    const before = rows().find((r) => r.recipient.includes('acme'))!;
    expect(before.status).toBe('failed');
    await runDue(input(t));
    const after = rows().find((r) => r.recipient.includes('acme'))!;
    expect(after).toMatchObject({ id: before.id, status: 'sent', message_id: before.message_id, attempts: 2 });
    expect(t.sent.filter((s) => s.mail.to.startsWith('compta@acme')).map((s) => s.mail.messageId)).toEqual([before.message_id, before.message_id]);
  });

  it('an abort finishes the message in hand, records the rest as not attempted, releases the lock; the next run sends it once', async () => {
    const abort = new AbortController();
    const t = fakeTransport(f, () => {
      abort.abort('SIGTERM');
      return OK;
    });
    const first = await runDue(input(t, { signal: abort.signal }));
    expect(t.sent).toHaveLength(1);
    expect(first.failed).toEqual([expect.objectContaining({ error: 'not attempted: the run was stopped by SIGTERM; the next run sends it' })]);
    expect(rows().map((r) => r.status)).toEqual(['sent']);
    // The lock is free at once.
    const lock = await acquireLock(f.db, 'remind', { waitMs: 0, now: () => clock });
    lock.release();
    const second = await runDue(input(fakeTransport(f, () => OK)));
    expect(second.outcomes.map((o) => [o.client, o.status])).toEqual([['GLOBEX', 'sent']]);
    expect(rows().map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a timeout stops the run: one wait for a server that stopped answering, not one per client', async () => {
    const t = fakeTransport(f, () => ({ ok: false, error: 'ETIMEDOUT: Greeting never received', timeout: true }));
    const report = await runDue(input(t));
    expect(t.sent).toHaveLength(1);
    expect(report.failed).toHaveLength(2);
    expect(report.failed[1]!.error).toContain('not attempted');
    expect(rows().map((r) => r.status)).toEqual(['failed']);
  });

  it('an on-demand reminder while a --due run holds the lock is refused with exit 3, before any planning', async () => {
    const lock = await acquireLock(f.db, 'remind', { waitMs: 0, now: () => clock });
    try {
      await expect(runOnDemand(input(fakeTransport(f, () => OK)), { invoice: 'F-2026-0001' })).rejects.toMatchObject({ exitCode: 3 });
    } finally {
      lock.release();
    }
    expect(rows()).toEqual([]);
  });
});
