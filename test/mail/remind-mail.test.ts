/**
 * Real reminders, read by a real parser: `relance remind --due` run twice on the same ledger
 * contents, once writing the outbox (.eml files, the hand-written MIME writer) and once sending
 * over SMTP (nodemailer) to a real smtp-server on 127.0.0.1. mailparser reads every message: From
 * (the business, its name with accents and an emoji), To, Reply-To, the Subject, Message-ID and Date
 * the ledger recorded, the text and HTML parts exactly as recorded (long template lines), and each
 * invoice PDF attached byte for byte (a 1 MB frozen PDF) - for a French and an English client. The
 * outbox file and the SMTP message of each reminder parse to the same content.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query, seed } from '../e2e/remind-fixtures.js';
import { content, lf, parseMail, pseudoRandomBytes, type ParsedView } from './parse.js';

const AS_OF = '2026-03-12';
const BUSINESS = 'Atelier Éloïse ☀️ Dupont';
const MB = 1024 * 1024;

interface Recorded {
  code: string;
  subject: string;
  body_text: string;
  body_html: string;
  message_id: string;
  recipient: string;
  file_path: string | null;
}

/** The frozen PDF of each invoice: 1 MB for ACME's, so the attachment is large. */
const pdfs: Record<string, Buffer> = {
  'F-2026-0001': Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), pseudoRandomBytes(MB, 11)]),
  'F-2026-0002': Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), pseudoRandomBytes(64 * 1024, 12)]),
};

function ledgerWith(prefix: string, smtpPort: number | null): Sandbox {
  const sb = sandbox(prefix);
  const init = sb.run(['init', sb.ledger, '--name', BUSINESS, '--email', 'compta@dupont.example', '--siren', '732829320', '--vat-number', 'FR44732829320', '--address', '12 rue des Lilas;69003 Lyon', '--iban', 'FR7630006000011234567890189'], { noLedger: true });
  expect(init.code, init.stderr).toBe(0);
  if (smtpPort !== null) for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtpPort)]]) expect(sb.run(['ledger', 'set', k!, v!]).code).toBe(0);
  seed(sb.ledger, (s) => {
    const acme = s.client('ACME', { name: 'ACME Société Générale de Négoce', lang: 'fr' });
    const globex = s.client('GLOBEX', { name: 'Globex Ltd', lang: 'en', address: '10 Downing Street\nLondon SW1A 2AA\nUnited Kingdom' });
    const ids = [
      s.invoice({ client: acme, number: 'F-2026-0001', issue: '2026-02-01', due: '2026-03-03', amount: 150_000 }),
      s.invoice({ client: globex, number: 'F-2026-0002', issue: '2026-02-01', due: '2026-03-03', amount: 80_000 }),
    ];
    const put = s.db.prepare("INSERT INTO document_pdfs (document_id, pdf, sha256, rendered_on) VALUES (?, ?, 'test', '2026-02-01')");
    put.run(ids[0], pdfs['F-2026-0001']);
    put.run(ids[1], pdfs['F-2026-0002']);
  });
  return sb;
}

const recorded = (sb: Sandbox) =>
  query<Recorded>(sb.ledger, "SELECT c.code, m.subject, m.body_text, m.body_html, m.message_id, m.recipient, m.file_path FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.channel = 'email' ORDER BY c.code");

let outbox: Sandbox;
let viaSmtp: Sandbox;
let smtp: TestSmtp;
const sentBetween = { from: 0, to: 0 };
const parsed = { outbox: new Map<string, ParsedView>(), smtp: new Map<string, ParsedView>() };
let rows = { outbox: [] as Recorded[], smtp: [] as Recorded[] };

beforeAll(async () => {
  smtp = await startSmtp();
  outbox = ledgerWith('relance-mail-outbox-', null);
  viaSmtp = ledgerWith('relance-mail-smtp-', smtp.port);
  // Date headers are written to the second: the sentBetween of the two runs, widened to whole seconds.
  sentBetween.from = Math.floor(Date.now() / 1000) * 1000;
  const a = await outbox.runAsync(['remind', '--due', '--as-of', AS_OF]);
  expect(a.code, a.stderr).toBe(0);
  const b = await viaSmtp.runAsync(['remind', '--due', '--as-of', AS_OF]);
  expect(b.code, b.stderr).toBe(0);
  sentBetween.to = Date.now();
  rows = { outbox: recorded(outbox), smtp: recorded(viaSmtp) };
  for (const r of rows.outbox) parsed.outbox.set(r.code, await parseMail(fs.readFileSync(r.file_path!)));
  for (const m of smtp.messages) {
    const r = rows.smtp.find((x) => x.recipient === m.to[0])!;
    parsed.smtp.set(r.code, await parseMail(m.raw));
  }
});

afterAll(async () => {
  await smtp?.close();
  outbox?.cleanup();
  viaSmtp?.cleanup();
});

describe('remind --due, read back by mailparser', () => {
  it('sends one email per client on each transport', () => {
    expect(rows.outbox.map((r) => r.code)).toEqual(['ACME', 'GLOBEX']);
    expect(rows.smtp.map((r) => r.code)).toEqual(['ACME', 'GLOBEX']);
    expect(rows.outbox.every((r) => r.file_path && r.file_path.endsWith('.eml'))).toBe(true);
    expect(smtp.messages).toHaveLength(2);
  });

  for (const [code, lang, to, invoice] of [
    ['ACME', 'fr', 'compta@acme.example', 'F-2026-0001'],
    ['GLOBEX', 'en', 'compta@globex.example', 'F-2026-0002'],
  ] as const) {
    describe(`${code} (${lang})`, () => {
      for (const transport of ['outbox', 'smtp'] as const) {
        it(`${transport}: headers, both parts and the attachment are what the ledger recorded`, () => {
          const v = parsed[transport].get(code)!;
          const r = rows[transport].find((x) => x.code === code)!;
          expect(v.from).toEqual([{ name: BUSINESS, address: 'compta@dupont.example' }]);
          expect(v.to.map((a) => a.address)).toEqual([to]);
          expect(v.replyTo.map((a) => a.address)).toEqual(['compta@dupont.example']);
          expect(v.subject).toBe(r.subject);
          expect(v.subject).toContain(BUSINESS);
          expect(v.subject).toMatch(lang === 'fr' ? /relance.*règlement/ : /reminder/);
          expect(v.messageId).toBe(r.message_id);
          expect(v.messageId).toMatch(/^<[0-9a-f]+\.relance@dupont\.example>$/);
          expect(v.date.getTime()).toBeGreaterThanOrEqual(sentBetween.from);
          expect(v.date.getTime()).toBeLessThanOrEqual(sentBetween.to);
          expect(v.text).toBe(lf(r.body_text));
          expect(v.html).toBe(lf(r.body_html));
          expect(v.text).toContain(invoice);
          // The templates' paragraphs are single lines far longer than a MIME line.
          expect(v.text.split('\n').some((l) => l.length > 150)).toBe(true);
          expect(v.headers['x-relance-level']).toBe('1');
          expect(v.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${invoice}.pdf`, 'application/pdf']]);
          expect(v.attachments[0]!.content.equals(pdfs[invoice]!)).toBe(true);
        });
      }

      it('the outbox file and the SMTP message parse to the same content', () => {
        expect(content(parsed.smtp.get(code)!)).toEqual(content(parsed.outbox.get(code)!));
      });
    });
  }
});
