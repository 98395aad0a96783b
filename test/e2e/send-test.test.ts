/**
 * The test email to oneself, against a real SMTP server on 127.0.0.1 (test/helpers/smtp.ts):
 * `doctor --smtp --send-test ME` and `remind preview ... --send-to ME`. Parsed with mailparser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { freePort, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { issueInvoice, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
let smtp: TestSmtp | null = null;

afterEach(async () => {
  await smtp?.close();
  smtp = null;
  sb?.cleanup();
});

function ledgerWithSmtp(port: number | null): void {
  sb = sandbox('relance-send-test-');
  setup(sb);
  if (port !== null) {
    ok(sb, ['ledger', 'set', 'smtp.host', '127.0.0.1']);
    ok(sb, ['ledger', 'set', 'smtp.port', String(port)]);
  }
}

describe('doctor --send-test', () => {
  it('sends one real message to the address, the way reminders leave, and records nothing', async () => {
    smtp = await startSmtp();
    ledgerWithSmtp(smtp.port);
    const before = sb.snapshot();
    const r = await sb.runAsync(['doctor', '--smtp', '--send-test', 'moi@dupont.example', '--as-of', '2026-01-15']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ok +smtp +SMTP server 127\.0\.0\.1:\d+ answers/);
    expect(r.stdout).toMatch(/ok +test email +sent to moi@dupont\.example through SMTP 127\.0\.0\.1:\d+ \(250 /);
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.to).toEqual(['moi@dupont.example']);
    expect(m.from).toBe('compta@dupont.example');
    expect(m.replyTo).toBe('compta@dupont.example');
    const mail = await simpleParser(m.raw);
    expect(mail.subject).toBe('relance : message de test (Atelier Dupont)');
    expect(mail.headers.get('x-relance-test')).toBe('yes');
    expect(mail.text).toContain('Ce message de test a été envoyé par relance');
    expect(mail.text).toContain(sb.ledger);
    expect(mail.html).toContain('<p>');
    expect(sb.snapshot()).toBe(before);
  });

  it('reports the server refusing the message: exit 1 and the server\'s answer', async () => {
    smtp = await startSmtp();
    ledgerWithSmtp(smtp.port);
    smtp.refuse('554 5.7.1 sender not allowed');
    const r = await sb.runAsync(['doctor', '--send-test', 'moi@dupont.example', '--as-of', '2026-01-15', '--json']);
    expect(r.code).toBe(1);
    const check = JSON.parse(r.stdout).ledgers[0].checks.find((c: { check: string }) => c.check === 'test email');
    expect(check).toMatchObject({ status: 'error', detail: expect.stringMatching(/not sent to moi@dupont\.example through SMTP 127\.0\.0\.1:\d+: .*554 5\.7\.1 sender not allowed/) });
    expect(smtp.messages).toHaveLength(0);
  });

  it('does not try to send when the SMTP server does not answer', async () => {
    ledgerWithSmtp(await freePort());
    const r = await sb.runAsync(['doctor', '--send-test', 'moi@dupont.example', '--as-of', '2026-01-15']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +smtp +SMTP server 127\.0\.0\.1:\d+ does not answer/);
    expect(r.stdout).toMatch(/FAIL +test email +not sent to moi@dupont\.example: the SMTP server does not answer/);
  });

  it('without smtp.host, writes the message to the outbox, as reminders are', async () => {
    ledgerWithSmtp(null);
    const r = await sb.runAsync(['doctor', '--send-test', 'moi@dupont.example', '--as-of', '2026-01-15']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/test email +sent to moi@dupont\.example through outbox .*ledger-outbox .*set smtp\.host to send it for real/);
    const outbox = path.join(sb.dir, 'ledger-outbox');
    const files = fs.readdirSync(outbox);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(fs.readFileSync(path.join(outbox, files[0]!)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('moi@dupont.example');
  });

  it('refuses an address that is not one: exit 2, nothing sent', async () => {
    smtp = await startSmtp();
    ledgerWithSmtp(smtp.port);
    const r = await sb.runAsync(['doctor', '--send-test', 'moi-at-dupont']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: --send-test: "moi-at-dupont" is not valid: an email address/);
    expect(r.stdout).toBe('');
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('remind preview --send-to', () => {
  it('sends the rendered reminder to the address instead of the client, and records nothing', async () => {
    smtp = await startSmtp();
    ledgerWithSmtp(smtp.port);
    const number = issueInvoice(sb, 'ACME', '1200', '2026-01-05');
    const printed = ok(sb, ['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-02-20', '--json']);
    const expected = JSON.parse(printed) as { subject: string; text: string };
    const before = sb.snapshot();
    const r = await sb.runAsync(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-02-20', '--send-to', 'moi@dupont.example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Sent the preview ".*" to moi@dupont\.example through SMTP 127\.0\.0\.1:\d+ \(250 .*\); nothing was recorded\n$/);
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.to).toEqual(['moi@dupont.example']);
    expect(m.raw).not.toContain('ap@acme.example');
    expect(m.level).toBe('1');
    const mail = await simpleParser(m.raw);
    expect(mail.subject).toBe(expected.subject);
    expect(mail.text?.trim()).toBe(expected.text.trim());
    expect(mail.text).toContain(number);
    expect(sb.snapshot()).toBe(before);
  });

  it('exits 1 with the server\'s answer when the message is refused', async () => {
    smtp = await startSmtp();
    ledgerWithSmtp(smtp.port);
    issueInvoice(sb, 'ACME', '1200', '2026-01-05');
    smtp.refuse('451 4.3.0 try again later');
    const r = await sb.runAsync(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-02-20', '--send-to', 'moi@dupont.example']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relance: the preview was not sent to moi@dupont\.example through SMTP 127\.0\.0\.1:\d+: .*451 4\.3\.0 try again later/);
  });
});
