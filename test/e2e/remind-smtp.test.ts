/**
 * SMTP failures and concurrent runs, against a real SMTP server on 127.0.0.1:
 * - server down: exit 1, reminders marked failed with the error; the next run with the server up
 *   sends each once, with the Message-ID recorded the first time;
 * - server refusing (451): the server's answer is kept;
 * - two `remind --due` at once: one sends, the other exits 3; nothing is sent twice.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';
import { freePort, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query, seed } from './remind-fixtures.js';

let sb: Sandbox;
let smtp: TestSmtp | null = null;

afterEach(async () => {
  await smtp?.close();
  smtp = null;
  sb?.cleanup();
});

const AS_OF = '2026-03-12';

function setup(port: number, clients = ['ACME', 'BETA', 'GAMMA']): void {
  sb = sandbox('relance-remind-smtp-');
  expect(sb.init().code).toBe(0);
  expect(sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']).code).toBe(0);
  expect(sb.run(['ledger', 'set', 'smtp.port', String(port)]).code).toBe(0);
  seed(sb.ledger, (s) => {
    clients.forEach((code, i) => {
      const c = s.client(code);
      s.invoice({ client: c, number: `F-${i + 1}`, issue: '2026-02-01', due: '2026-03-05', amount: 10_000 * (i + 1) });
    });
  });
}

const messages = () =>
  query<{ id: number; status: string; message_id: string; error: string | null; attempts: number }>(sb.ledger, "SELECT id, status, message_id, error, attempts FROM messages WHERE channel = 'email' ORDER BY id");

describe('SMTP server down', () => {
  it('exits 1 with the reminders marked failed, and the next run sends each once', async () => {
    const port = await freePort();
    setup(port);
    const r1 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain('failed: 3');
    expect(r1.stdout).toContain('ECONNREFUSED');
    expect(r1.stderr).toContain('3 reminder(s) failed');
    const failed = messages();
    expect(failed.map((m) => m.status)).toEqual(['failed', 'failed', 'failed']);
    expect(failed.every((m) => /ECONNREFUSED/.test(m.error ?? ''))).toBe(true);
    // Failed reminders do not count as reached: a dry run plans them again.
    const dry = sb.run(['remind', '--due', '--dry-run', '--as-of', AS_OF, '--json']);
    expect(JSON.parse(dry.stdout).messages).toHaveLength(3);

    smtp = await startSmtp({ port });
    const r2 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('sent: 3');
    expect(smtp.messages).toHaveLength(3);
    const after = messages();
    expect(after.map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
    // Same rows, same Message-IDs: a retry, not new messages.
    expect(after.map((m) => m.message_id)).toEqual(failed.map((m) => m.message_id));
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(failed.map((m) => m.message_id).sort());
    expect(after.every((m) => m.attempts === 2)).toBe(true);
    expect(smtp.connections).toBe(1);

    const r3 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r3.code).toBe(0);
    expect(smtp.messages).toHaveLength(3);
  });

  it('keeps the server answer when it refuses, and retries on the next run', async () => {
    smtp = await startSmtp();
    setup(smtp.port, ['ACME']);
    smtp.refuse('451 4.3.0 mailbox temporarily unavailable');
    const r1 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r1.code).toBe(1);
    expect(messages()[0]!.error).toContain('451');
    smtp.refuse(null);
    const r2 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r2.code).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    expect(messages()[0]!.status).toBe('sent');
  });
});

describe('two remind --due at once on one ledger', () => {
  it('one sends, the other exits 3; nothing is sent twice', async () => {
    smtp = await startSmtp({ delayMs: 700 });
    setup(smtp.port);
    const env = { RELANCE_LOCK_WAIT_MS: '300' };
    const [a, b] = await Promise.all([
      sb.runAsync(['remind', '--due', '--as-of', AS_OF], { env }),
      sb.runAsync(['remind', '--due', '--as-of', AS_OF], { env }),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 3]);
    const loser = a.code === 3 ? a : b;
    expect(loser.stderr).toMatch(/another "relance remind" run holds this ledger .*; try again when it has finished/);
    expect(loser.stdout).toBe('');
    expect(smtp.messages).toHaveLength(3);
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(3);
    // The lock is released: a later run goes through and has nothing left to send.
    const c = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(c.code).toBe(0);
    expect(smtp.messages).toHaveLength(3);
    expect(query(sb.ledger, 'SELECT * FROM locks')).toEqual([]);
  });

  it('the second run waits for the first when the wait is long enough, then finds nothing to send', async () => {
    smtp = await startSmtp({ delayMs: 300 });
    setup(smtp.port, ['ACME']);
    const [a, b] = await Promise.all([
      sb.runAsync(['remind', '--due', '--as-of', AS_OF], { env: { RELANCE_LOCK_WAIT_MS: '20000' } }),
      sb.runAsync(['remind', '--due', '--as-of', AS_OF], { env: { RELANCE_LOCK_WAIT_MS: '20000' } }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('stopped by SIGTERM (cron timeout, Ctrl-C) while sending', () => {
  it('finishes the message in hand, records the rest as not attempted, releases the lock; the next run sends them once', async () => {
    smtp = await startSmtp({ delayMs: 800 });
    setup(smtp.port);
    const child = spawn(process.execPath, [BIN, '-f', sb.ledger, 'remind', '--due', '--as-of', AS_OF], { env: { ...sb.env }, cwd: sb.dir });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', () => {});
    const code = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        if (smtp!.connections > 0) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 20);
      child.on('close', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(1);
    expect(stdout).toContain('not attempted: the run was stopped by SIGTERM');
    const sentFirst = smtp.messages.length;
    expect(sentFirst).toBeGreaterThanOrEqual(1);
    expect(sentFirst).toBeLessThan(3);
    expect(query(sb.ledger, 'SELECT * FROM locks')).toEqual([]);
    expect(messages().filter((m) => m.status === 'sending')).toEqual([]);
    const r = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r.code).toBe(0);
    expect(smtp.messages).toHaveLength(3);
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(3);
  });
});
