/**
 * Issue 14 section 1, against a REAL SMTP server on 127.0.0.1 (smtp-server) that misbehaves on
 * purpose after taking the whole message (DATA and the final "."):
 *   - it closes the connection without a reply, or never replies: the message is "uncertain", never
 *     "failed": exit 1, not resent by the next run, settled by `remind --resolve ID --sent|--retry`;
 *     in the end each client has received the reminder exactly once;
 *   - a run has a bound (smtp.timeout_ms): after the first timeout it stops sending, records the
 *     rest as not attempted, releases the lock and exits 1; the next run sends them;
 *   - a slow reply inside the timeout is an ordinary "sent";
 *   - an on-demand `remind F-...` racing a --due run exits 3 with a clear message;
 *   - temp files of dead processes in the outbox are removed by the next run and by `doctor`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { faultySmtp, type FaultySmtp } from '../helpers/faulty-smtp.js';
import { query, seed } from './remind-fixtures.js';

let sb: Sandbox;
let smtp: FaultySmtp | null = null;

afterEach(async () => {
  await smtp?.close();
  smtp = null;
  sb?.cleanup();
});

const AS_OF = '2026-03-12';
const CLIENTS = ['ACME', 'BETA', 'GAMMA'];

function setup(port: number, timeoutMs = 1500): void {
  sb = sandbox('relance-remind-uncertain-');
  expect(sb.init().code).toBe(0);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(port)], ['smtp.timeout_ms', String(timeoutMs)]]) expect(sb.run(['ledger', 'set', k!, v!]).code).toBe(0);
  seed(sb.ledger, (s) => {
    CLIENTS.forEach((code, i) => {
      const c = s.client(code);
      s.invoice({ client: c, number: `F-${i + 1}`, issue: '2026-02-01', due: '2026-03-05', amount: 10_000 * (i + 1) });
    });
  });
}

const messages = () => query<{ id: number; status: string; message_id: string; recipient: string; error: string | null; attempts: number }>(sb.ledger, "SELECT id, status, message_id, recipient, error, attempts FROM messages WHERE channel = 'email' ORDER BY id");

/** How many times each client's mailbox got the reminder. */
function perClient(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of smtp!.taken) out[m.to.join(',')] = (out[m.to.join(',')] ?? 0) + 1;
  return out;
}

describe.each(['close-after-data', 'no-reply'] as const)('a server that takes the message and then %s', (mode) => {
  it('is uncertain, not failed: exit 1, the run stops, nothing is resent; after --resolve each client got it once', async () => {
    smtp = await faultySmtp(mode);
    setup(smtp.port);
    const r1 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r1.code).toBe(1);
    // The first message went in and no answer came: uncertain. The run stopped there.
    expect(smtp.taken).toHaveLength(1);
    const [first] = messages();
    expect(first!.status).toBe('sending');
    expect(first!.error).toMatch(/no reply from the server after the message was handed over/);
    expect(r1.stdout).toMatch(/uncertain .*: 1/);
    expect(r1.stdout).toContain(`relance remind --resolve ${first!.id} --sent`);
    expect(r1.stdout).toContain('not attempted: the SMTP server stopped answering');
    // The lock was released: a dry run sees the two others planned, the uncertain one held back.
    const dry = JSON.parse(sb.run(['remind', '--due', '--dry-run', '--as-of', AS_OF, '--json']).stdout);
    expect(dry.messages).toHaveLength(2);
    expect(dry.uncertain.map((u: { message: number }) => u.message)).toEqual([first!.id]);

    // The server behaves again: the next run sends the two others, never the uncertain one.
    smtp.mode = 'ok';
    const r2 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r2.code).toBe(1); // still uncertain until someone settles it
    expect(smtp.taken).toHaveLength(3);
    expect(messages().map((m) => m.status)).toEqual(['sending', 'sent', 'sent']);

    // The person checks the mailbox: it did go out.
    const resolve = sb.run(['remind', '--resolve', String(first!.id), '--sent']);
    expect(resolve.code).toBe(0);
    const r3 = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r3.code).toBe(0);
    expect(messages().map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
    expect(perClient()).toEqual({ 'compta@acme.example': 1, 'compta@beta.example': 1, 'compta@gamma.example': 1 });
    expect(new Set(smtp.taken.map((m) => m.messageId)).size).toBe(3);
  });
});

describe('--resolve --retry after an unknown fate', () => {
  it('sends it again once, with the same Message-ID', async () => {
    smtp = await faultySmtp('close-after-data');
    setup(smtp.port);
    expect((await sb.runAsync(['remind', '--due', '--as-of', AS_OF])).code).toBe(1);
    const [first] = messages();
    // Say it did not arrive (the mailbox copy is dropped here to play that case).
    smtp.taken.length = 0;
    smtp.mode = 'ok';
    expect(sb.run(['remind', '--resolve', String(first!.id), '--retry']).code).toBe(0);
    expect((await sb.runAsync(['remind', '--due', '--as-of', AS_OF])).code).toBe(0);
    expect(perClient()).toEqual({ 'compta@acme.example': 1, 'compta@beta.example': 1, 'compta@gamma.example': 1 });
    expect(smtp.taken.find((m) => m.to.join(',') === first!.recipient)!.messageId).toBe(first!.message_id);
    expect(messages().find((m) => m.id === first!.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('a slow reply inside smtp.timeout_ms', () => {
  it('is an ordinary sent', async () => {
    smtp = await faultySmtp({ delayMs: 400 });
    setup(smtp.port, 5000);
    const r = await sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sent: 3');
    expect(perClient()).toEqual({ 'compta@acme.example': 1, 'compta@beta.example': 1, 'compta@gamma.example': 1 });
  });
});

describe('on demand while a --due run holds the lock', () => {
  it('exits 3 with a clear message, and nothing is sent twice', async () => {
    smtp = await faultySmtp({ delayMs: 2500 });
    setup(smtp.port, 10_000);
    const due = sb.runAsync(['remind', '--due', '--as-of', AS_OF]);
    // Wait until the --due run holds its lock (it records a message before its first send).
    for (let i = 0; i < 200 && query(sb.ledger, 'SELECT 1 FROM locks').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const onDemand = await sb.runAsync(['remind', 'F-1', '--as-of', AS_OF], { env: { RELANCE_LOCK_WAIT_MS: '0' } });
    expect(onDemand.code).toBe(3);
    expect(onDemand.stderr).toContain('another "relance remind" run holds this ledger');
    expect(onDemand.stderr).not.toContain('UNIQUE');
    expect((await due).code).toBe(0);
    expect(perClient()).toEqual({ 'compta@acme.example': 1, 'compta@beta.example': 1, 'compta@gamma.example': 1 });
  });
});

describe('temp files of dead processes', () => {
  it('are removed from the outbox by the next run and by doctor', async () => {
    sb = sandbox('relance-remind-tmp-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => s.invoice({ client: s.client('ACME'), number: 'F-1', issue: '2026-02-01', due: '2026-03-05', amount: 10_000 }));
    const outbox = path.join(sb.dir, 'ledger-outbox');
    fs.mkdirSync(outbox, { recursive: true });
    // A pid that cannot be running (above the kernel's pid_max).
    const dead = path.join(outbox, '.2026-03-12-ACME-1-first-1.eml.tmp-99999999');
    fs.writeFileSync(dead, 'half a message');
    const mine = path.join(outbox, `.kept.eml.tmp-${process.pid}`);
    fs.writeFileSync(mine, 'a live writer');
    expect((await sb.runAsync(['remind', '--due', '--as-of', AS_OF])).code).toBe(0);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
    fs.writeFileSync(dead, 'again');
    const doc = sb.run(['doctor', '--json']);
    expect(doc.stdout).toContain(dead);
    expect(fs.existsSync(dead)).toBe(false);
  });
});
