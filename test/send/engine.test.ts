/**
 * delivery/documents.ts in-process, over a real SMTP server on 127.0.0.1 and a real ledger file:
 *   - the send is recorded 'sending' (with its Message-ID) before the transport is handed the email;
 *   - two sends of the same document prepared at the same time: the second is refused by the check
 *     inside the transaction that records, so the mailbox gets one email;
 *   - the frozen PDF's bytes are what is attached;
 *   - a template in the ledger's templates folder overrides the shipped one.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { prepareDocumentEmail, sendPrepared } from '../../src/delivery/documents.js';
import { smtpTransport, type Transport } from '../../src/mail/transport.js';
import { insertClient } from '../../src/store/clients.js';
import { write } from '../../src/store/db.js';
import { documentById, storePdf } from '../../src/store/documents.js';
import { putSetting } from '../../src/store/settings.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

let fx: Fixture;
let smtp: TestSmtp;
let transport: Transport;
const ledgerFile = () => path.join(fx.dir, 'ledger.db');
const FAKE_PDF = Buffer.from('%PDF-1.7\n% frozen at issue, byte for byte\n%%EOF\n');
let invoiceId: number;

beforeAll(async () => {
  smtp = await startSmtp({ hold: true });
  fx = ledgerFixture();
  const client = write(fx.db, () => insertClient(fx.db, 'ACME', { name: 'ACME SAS', email: 'ap@acme.example', address: '5 avenue Foch\n75008 Paris' }, '2026-01-01T00:00:00+01:00')).id;
  invoiceId = fx.invoice({ client, number: 'F-2026-0001', issue: '2026-03-05', due: '2026-04-04', amount: 120_00 });
  const second = fx.invoice({ client, number: 'F-2026-0002', issue: '2026-03-06', due: '2026-04-05', amount: 60_00 });
  write(fx.db, () => {
    storePdf(fx.db, invoiceId, FAKE_PDF, '2026-03-05');
    storePdf(fx.db, second, FAKE_PDF, '2026-03-06');
    putSetting(fx.db, 'invoice.bcc', 'archive@dupont.example');
  });
  transport = await smtpTransport({ host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, timeoutMs: 20_000 });
});
afterAll(async () => {
  transport?.close();
  fx?.close();
  await smtp?.close();
});

const input = () => ({ db: fx.db, transport, now: () => new Date('2026-03-05T10:00:00+01:00'), asOf: '2026-03-05', again: false });
const statuses = () => fx.db.prepare("SELECT status, message_id, invoices FROM messages WHERE level = -1 ORDER BY id").all() as { status: string; message_id: string; invoices: string }[];

describe('delivery/documents', { timeout: 120_000 }, () => {
  it('records before it sends, attaches the frozen bytes, and a concurrent second send is refused', async () => {
    const doc = documentById(fx.db, invoiceId)!;
    const a = await prepareDocumentEmail(fx.db, doc, { asOf: '2026-03-05', ledgerFile: ledgerFile() });
    const b = await prepareDocumentEmail(fx.db, doc, { asOf: '2026-03-05', ledgerFile: ledgerFile() });
    expect(a.email.bcc).toEqual(['archive@dupont.example']);
    expect(a.email.attachment).toEqual({ filename: 'F-2026-0001.pdf', size: FAKE_PDF.length, contentType: 'application/pdf' });
    const first = sendPrepared(input(), a);
    // The server holds its answer: the email is on the wire, and the ledger already says so.
    await smtp.received(1);
    const during = new Database(ledgerFile(), { readonly: true });
    const row = during.prepare("SELECT status, message_id FROM messages WHERE invoices = 'F-2026-0001'").get() as { status: string; message_id: string };
    during.close();
    expect(row.status).toBe('sending');
    expect(row.message_id).toMatch(/^<[0-9a-f]+\.relance@dupont\.example>$/);
    await expect(sendPrepared(input(), b)).rejects.toThrow(UsageError);
    await expect(sendPrepared(input(), b)).rejects.toThrow(/F-2026-0001 may have been sent to ap@acme\.example \(bcc archive@dupont\.example\) on 2026-03-05/);
    smtp.release(true);
    const res = await first;
    expect(res.status).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.messageId).toBe(row.message_id);
    expect(smtp.messages[0]!.raw.replace(/\r?\n/g, '')).toContain(FAKE_PDF.toString('base64'));
    expect(statuses()).toEqual([{ status: 'sent', message_id: row.message_id, invoices: 'F-2026-0001' }]);
    // With again: a new message, a new Message-ID.
    const again = await sendPrepared({ ...input(), again: true }, await prepareDocumentEmail(fx.db, doc, { asOf: '2026-03-06', ledgerFile: ledgerFile() }));
    expect(again.status).toBe('sent');
    expect(statuses().map((s) => s.status)).toEqual(['sent', 'sent']);
    expect(new Set(statuses().map((s) => s.message_id)).size).toBe(2);
  });

  it("uses a template from the ledger's templates folder over the shipped one", async () => {
    const dir = path.join(fx.dir, 'ledger-templates', 'fr', 'email');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'invoice.hbs'), '---\nsubject: "Votre facture {{document.number}} ({{money document.amountDue document.currency}})"\n---\nBonjour {{client.name}}, ci-joint {{attachment}}.\n');
    const p = await prepareDocumentEmail(fx.db, documentById(fx.db, invoiceId + 1)!, { asOf: '2026-03-06', ledgerFile: ledgerFile() });
    expect(p.email.subject).toMatch(/^Votre facture F-2026-0002 \(60,00\s€\)$/u);
    expect(p.email.text).toBe('Bonjour ACME SAS, ci-joint F-2026-0002.pdf.\n');
    expect(p.email.template).toBe(path.join(dir, 'invoice.hbs'));
    // Nothing recorded by preparing.
    expect(statuses().filter((s) => s.invoices === 'F-2026-0002')).toEqual([]);
  });
});
