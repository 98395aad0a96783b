/**
 * Exactly once under crashes: the process kills itself (SIGKILL, through the test-only hook
 * RELANCE_TEST_CRASH_AT) at several points of a run, against a real SMTP server on 127.0.0.1 and
 * with the outbox. No reminder ever goes out twice; the uncertain one is reported and settled with
 * `remind --resolve`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query, seed } from './remind-fixtures.js';

let sb: Sandbox;
let smtp: TestSmtp | null = null;

afterEach(async () => {
  await smtp?.close();
  smtp = null;
  sb?.cleanup();
});

const AS_OF = '2026-03-12'; // both invoices due 2026-03-05: level 1 (+7) is due

async function setup(withSmtp: boolean): Promise<void> {
  sb = sandbox('relance-remind-crash-');
  expect(sb.init().code).toBe(0);
  if (withSmtp) {
    smtp = await startSmtp();
    expect(sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']).code).toBe(0);
    expect(sb.run(['ledger', 'set', 'smtp.port', String(smtp.port)]).code).toBe(0);
  }
  seed(sb.ledger, (s) => {
    const a = s.client('ACME');
    const b = s.client('BETA');
    s.invoice({ client: a, number: 'F-1', issue: '2026-02-01', due: '2026-03-05', amount: 120_000 });
    s.invoice({ client: b, number: 'F-2', issue: '2026-02-01', due: '2026-03-05', amount: 80_000 });
  });
}

const crash = (point: string) => sb.runAsync(['remind', '--due', '--as-of', AS_OF], { env: { RELANCE_TEST_CRASH_AT: point } });
const run = (asOf = AS_OF) => sb.runAsync(['remind', '--due', '--as-of', asOf]);
const statuses = () => query<{ id: number; code: string; status: string; message_id: string | null; channel: string }>(sb.ledger, 'SELECT m.id, c.code, m.status, m.message_id, m.channel FROM messages m JOIN clients c ON c.id = m.client_id ORDER BY m.id');
const sentTo = (to: string) => smtp!.messages.filter((m) => m.to[0] === to);

describe('killed after the SMTP server accepted a message, before the ledger recorded it', () => {
  it('never sends it again: reports it as uncertain until --resolve says it went out', async () => {
    await setup(true);
    const r1 = await crash('after-smtp');
    expect(r1.code).not.toBe(0);
    expect(smtp!.messages).toHaveLength(1);
    const first = smtp!.messages[0]!;
    const [row] = statuses();
    expect(row).toMatchObject({ status: 'sending', message_id: first.messageId });

    // The next run takes over the dead run's lock, sends the other client's reminder, and reports the uncertain one.
    const r2 = await run();
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('took over a stale lock');
    expect(r2.stdout).toContain(`uncertain (a crashed run handed these to the SMTP server; not resent): 1`);
    expect(r2.stdout).toContain(`relance remind --resolve ${row!.id} --sent`);
    expect(smtp!.messages).toHaveLength(2);
    expect(new Set(smtp!.messages.map((m) => m.to[0])).size).toBe(2);

    // Days later, still not resent.
    const r3 = await run('2026-03-16'); // nothing else due that day
    expect(r3.stdout).toContain('uncertain');
    expect(sentTo(first.to[0]!)).toHaveLength(1);

    const resolved = sb.run(['remind', '--resolve', String(row!.id), '--sent']);
    expect(resolved.code).toBe(0);
    expect(statuses()[0]!.status).toBe('sent');
    const r4 = await run();
    expect(r4.code).toBe(0);
    expect(sentTo(first.to[0]!)).toHaveLength(1);
    expect(smtp!.messages).toHaveLength(2);
  });

  it('--retry sends it again once, with the same Message-ID', async () => {
    await setup(true);
    await crash('after-smtp');
    const [row] = statuses();
    expect(sb.run(['remind', '--resolve', String(row!.id), '--retry']).code).toBe(0);
    const r = await run();
    expect(r.code).toBe(0);
    const again = sentTo(smtp!.messages[0]!.to[0]!);
    expect(again).toHaveLength(2);
    expect(again[1]!.messageId).toBe(again[0]!.messageId);
    expect(statuses().filter((s) => s.channel === 'email').every((s) => s.status === 'sent')).toBe(true);
    await run();
    expect(smtp!.messages).toHaveLength(3);
  });

  it('a crash at the second message leaves the first sent and only the second uncertain', async () => {
    await setup(true);
    await crash('after-smtp:2');
    expect(smtp!.messages).toHaveLength(2);
    expect(statuses().map((s) => s.status)).toEqual(['sent', 'sending']);
    const r = await run();
    expect(r.stdout).toContain('uncertain (a crashed run handed these to the SMTP server; not resent): 1');
    expect(smtp!.messages).toHaveLength(2);
  });
});

describe('killed before the message left', () => {
  it('after recording, before SMTP: reported (the transport cannot tell), sent once after --retry', async () => {
    await setup(true);
    await crash('after-record');
    expect(smtp!.messages).toHaveLength(0);
    const r = await run();
    expect(r.code).toBe(1);
    const uncertain = statuses().find((s) => s.status === 'sending')!;
    expect(r.stdout).toContain(`message #${uncertain.id}`);
    expect(sb.run(['remind', '--resolve', String(uncertain.id), '--retry']).code).toBe(0);
    expect((await run()).code).toBe(0);
    expect(smtp!.messages).toHaveLength(2);
    expect(new Set(smtp!.messages.map((m) => m.to[0])).size).toBe(2);
    expect(smtp!.messages.find((m) => m.to[0] === 'compta@acme.example')!.messageId).toBe(uncertain.message_id);
  });
});

describe('the invoice PDFs a message carries are frozen with its record', () => {
  /** An attachment of a raw message, base64 decoded. */
  const attachment = (raw: string, name: string) => {
    const m = new RegExp(`filename="?${name.replace('.', '\\.')}"?[^]*?\\r\\n\\r\\n([A-Za-z0-9+/=\\r\\n]+?)\\r\\n--`).exec(raw);
    if (!m) throw new Error(`no attachment ${name} in ${raw.slice(0, 500)}`);
    return Buffer.from(m[1]!.replace(/\r\n/g, ''), 'base64');
  };
  const pdfs = () => query<{ number: string; pdf: Buffer }>(sb.ledger, 'SELECT d.number, p.pdf FROM document_pdfs p JOIN documents d ON d.id = p.document_id ORDER BY d.number');

  it('killed after recording: the PDF is already stored, and the retried message carries those bytes', async () => {
    await setup(true);
    await crash('after-record');
    expect(smtp!.messages).toHaveLength(0);
    const stored = pdfs();
    expect(stored.map((p) => p.number)).toEqual(['F-1']); // ACME's message was recorded with its PDF, BETA's not yet
    const uncertain = statuses().find((s) => s.status === 'sending')!;
    expect(sb.run(['remind', '--resolve', String(uncertain.id), '--retry']).code).toBe(0);
    expect((await run()).code).toBe(0);
    expect(smtp!.messages).toHaveLength(2);
    const acme = smtp!.messages.find((m) => m.to[0] === 'compta@acme.example')!;
    expect(attachment(acme.raw, 'F-1.pdf').equals(stored[0]!.pdf)).toBe(true);
    const after = pdfs();
    expect(after.map((p) => p.number)).toEqual(['F-1', 'F-2']);
    expect(after[0]!.pdf.equals(stored[0]!.pdf)).toBe(true);
    const beta = smtp!.messages.find((m) => m.to[0] === 'compta@beta.example')!;
    expect(attachment(beta.raw, 'F-2.pdf').equals(after[1]!.pdf)).toBe(true);
  });
});

describe('outbox (no SMTP settings): the transport can tell', () => {
  const outbox = () => path.join(sb.dir, 'ledger-outbox');
  const emls = () => fs.readdirSync(outbox()).filter((f) => f.endsWith('.eml'));

  it('file renamed into place, then killed: the next run marks it written and writes nothing twice', async () => {
    await setup(false);
    await crash('after-outbox');
    expect(emls()).toHaveLength(1);
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('exists');
    expect(emls()).toHaveLength(2);
    expect(statuses().map((s) => s.status)).toEqual(['written', 'written']);
    await run();
    expect(emls()).toHaveLength(2);
  });

  it('killed before the rename: no half file; the next run writes it once, with the same Message-ID', async () => {
    await setup(false);
    await crash('before-rename');
    expect(emls()).toHaveLength(0);
    const before = statuses()[0]!;
    const r = await run();
    expect(r.code).toBe(0);
    expect(emls()).toHaveLength(2);
    const acme = emls().find((f) => f.includes('ACME'))!;
    expect(fs.readFileSync(path.join(outbox(), acme), 'utf8')).toContain(`Message-ID: ${before.message_id}`);
    expect(statuses().map((s) => s.status)).toEqual(['written', 'written']);
  });

  it('a letter killed after its PDF was written is settled from the disk, and its email copy is made once', async () => {
    await setup(false);
    expect(sb.run(['policy', 'set', '--catch-up']).code).toBe(0);
    const asOf = '2026-04-05'; // due 03-05 + 30: the formal notice (letter + email copy)
    const r1 = await sb.runAsync(['remind', '--due', '--as-of', asOf], { env: { RELANCE_TEST_CRASH_AT: 'after-letter' } });
    expect(r1.code).not.toBe(0);
    const letters = path.join(sb.dir, 'ledger-letters');
    expect(fs.readdirSync(letters).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
    const r2 = await run(asOf);
    expect(r2.code).toBe(0);
    expect(fs.readdirSync(letters).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
    expect(emls()).toHaveLength(2);
    const rows = statuses();
    expect(rows.filter((s) => s.channel === 'letter').map((s) => s.status)).toEqual(['written', 'written']);
    expect(rows.filter((s) => s.channel === 'email').map((s) => s.status)).toEqual(['written', 'written']);
    const levels = query<{ n: number }>(sb.ledger, 'SELECT COUNT(*) AS n FROM reminders WHERE level = 3');
    expect(levels[0]!.n).toBe(2);
  });
});
