/**
 * Issue 16 section 1, end to end: the real bin/relance against a REAL SMTP server on 127.0.0.1.
 *   - from a fresh ledger, `invoice new ACME --line ... --issue --send`: the mailbox holds exactly one
 *     email whose attached PDF is the frozen Factur-X PDF, and its factur-x.xml passes the XSD,
 *     EN 16931 and BR-FR validators;
 *   - a second send is refused without --again (exit 2, nothing recorded) and goes with it;
 *   - --to, --cc and the ledger's invoice.bcc reach the envelope, the bcc never the headers;
 *   - quote send, credit note send (its Factur-X XML passes too), the templates by kind;
 *   - --dry-run and --preview record nothing;
 *   - refusals: client without email, a draft, an unknown number: exit 2, one line, ledger unchanged;
 *   - invoice list's "sent" column and --json, invoice show, the client's history;
 *   - overdue and remind --due --dry-run name the overdue invoices never sent;
 *   - invoice new --due / --date.
 */
import Database from 'better-sqlite3';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { attachments } from '../einvoice/pdf-read.js';
import { fatal, schematron, xsdErrors } from '../einvoice/validators.js';

// Spawning bin/relance, Saxon and pdfjs take seconds each alone, far more on the loaded machine.
const SLOW = 240_000;

let sb: Sandbox;
let smtp: TestSmtp;

async function run(args: string[]): Promise<RunResult> {
  return sb.runAsync(args);
}
async function ok(args: string[]): Promise<RunResult> {
  const r = await run(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}
/** Exit 2, one line on stderr, the ledger unchanged, nothing sent. */
async function refused(args: string[], pattern: RegExp): Promise<string> {
  const before = sb.snapshot();
  const mails = smtp.messages.length;
  const r = await run(args);
  expect(r.code, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/at .*\.(js|ts|cjs):\d+/);
  expect(sb.snapshot()).toBe(before);
  expect(smtp.messages.length).toBe(mails);
  return r.stderr;
}
function sql<T>(query: string, ...args: unknown[]): T[] {
  const db = new Database(sb.ledger, { readonly: true });
  try {
    return db.prepare(query).all(...args) as T[];
  } finally {
    db.close();
  }
}
function frozen(number: string): Buffer {
  return sql<{ pdf: Buffer }>('SELECT p.pdf FROM document_pdfs p JOIN documents d ON d.id = p.document_id WHERE d.number = ?', number)[0]!.pdf;
}
const addrs = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address));
async function parsed(i: number): Promise<ParsedMail> {
  return simpleParser(smtp.messages[i]!.raw);
}
async function validXml(pdf: Buffer): Promise<string> {
  const files = await attachments(pdf);
  expect(Object.keys(files)).toEqual(['factur-x.xml']);
  const xml = files['factur-x.xml']!;
  expect(await xsdErrors(xml)).toEqual([]);
  expect(fatal(await schematron('cii', xml))).toEqual([]);
  expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
  return xml;
}

beforeAll(async () => {
  smtp = await startSmtp();
  sb = sandbox('relance-send-');
  expect(sb.init().code).toBe(0);
  for (const args of [
    ['ledger', 'set', 'business.bic', 'AGRIFRPP'],
    ['ledger', 'set', 'smtp.host', '127.0.0.1'],
    ['ledger', 'set', 'smtp.port', String(smtp.port)],
    ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example'],
    ['client', 'add', 'NOMAIL', '--name', 'Sans Courriel SARL', '--address', '1 rue Haute;75001 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554'],
  ]) {
    const r = sb.run(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, SLOW);
afterAll(async () => {
  sb?.cleanup();
  await smtp?.close();
});

describe('invoice send', { timeout: SLOW }, () => {
  it('from a fresh ledger, invoice new --issue --send: one email, the frozen Factur-X PDF attached, its XML valid', async () => {
    const r = await ok(['invoice', 'new', 'ACME', '--line', 'Audit | 2 | 450 | 20', '--line', 'Livres | 3 | 20 | 5.5 | 10%', '--issue', '--send', '--as-of', '2026-03-05']);
    expect(r.stdout).toMatch(/^Issued F-2026-0001 \(was draft-1\) on 2026-03-05, due 2026-04-04/);
    expect(r.stdout).toMatch(/Sent F-2026-0001 to ap@acme\.example \(message #\d+, F-2026-0001\.pdf /);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['ap@acme.example']);
    const mail = await parsed(0);
    expect(mail.subject).toBe('Facture F-2026-0001 – Atelier Dupont');
    expect(addrs(mail.from)).toEqual(['compta@dupont.example']);
    expect(mail.text).toContain('notre facture F-2026-0001 du 5 mars 2026');
    expect(mail.text).toContain('au plus tard le 4 avril 2026');
    expect(mail.text).toContain('RF');
    expect(mail.html).toContain('<p>');
    expect(mail.headers.get('x-relance-document')).toBe('F-2026-0001');
    expect(mail.attachments).toHaveLength(1);
    const a = mail.attachments[0]!;
    expect(a.filename).toBe('F-2026-0001.pdf');
    expect(a.contentType).toBe('application/pdf');
    // The very bytes frozen at issue: what the ledger keeps is what the client got.
    expect(Buffer.compare(a.content, frozen('F-2026-0001'))).toBe(0);
    const xml = await validXml(a.content);
    expect(xml).toContain('<ram:ID>F-2026-0001</ram:ID>');
    // Recorded: one message, level -1, sent, Message-ID as in the mail.
    const rows = sql<{ status: string; level: number; message_id: string; invoices: string }>('SELECT status, level, message_id, invoices FROM messages');
    expect(rows).toEqual([{ status: 'sent', level: -1, message_id: smtp.messages[0]!.messageId, invoices: 'F-2026-0001' }]);
  });

  it('a second send is refused without --again (exit 2, nothing recorded) and goes with it, as a new message', async () => {
    const err = await refused(['invoice', 'send', 'F-2026-0001', '--as-of', '2026-03-06'], /F-2026-0001 was sent to ap@acme\.example on 2026-03-05; to send it once more, add --again/);
    expect(err).toMatch(/^relance: /);
    const r = await ok(['invoice', 'send', 'F-2026-0001', '--again', '--as-of', '2026-03-06']);
    expect(r.stdout).toMatch(/^Sent F-2026-0001 to ap@acme\.example/);
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.messageId).not.toBe(smtp.messages[0]!.messageId);
    expect(sql('SELECT id FROM messages WHERE status = ?', 'sent')).toHaveLength(2);
  });

  it('--dry-run and --preview print the email and record nothing', async () => {
    const before = sb.snapshot();
    const dry = await ok(['invoice', 'send', 'F-2026-0001', '--dry-run', '--as-of', '2026-03-07']);
    expect(dry.stdout).toMatch(/^Would NOT send F-2026-0001: F-2026-0001 was sent to ap@acme\.example on 2026-03-06; to send it once more, add --again/);
    const dryAgain = await ok(['invoice', 'send', 'F-2026-0001', '--dry-run', '--again', '--json', '--as-of', '2026-03-07']);
    const dj = JSON.parse(dryAgain.stdout) as { wouldSend: boolean; email: { to: string[]; subject: string; attachment: { filename: string; size: number } }; previous: unknown[] };
    expect(dj.wouldSend).toBe(true);
    expect(dj.email.to).toEqual(['ap@acme.example']);
    expect(dj.email.attachment.filename).toBe('F-2026-0001.pdf');
    expect(dj.previous).toHaveLength(2);
    const pv = await ok(['invoice', 'send', 'F-2026-0001', '--preview', '--cc', 'achats@acme.example']);
    expect(pv.stdout).toContain('From:       Atelier Dupont <compta@dupont.example>');
    expect(pv.stdout).toContain('To:         ap@acme.example');
    expect(pv.stdout).toContain('Cc:         achats@acme.example');
    expect(pv.stdout).toContain('Subject:    Facture F-2026-0001 – Atelier Dupont');
    expect(pv.stdout).toMatch(/Attachment: F-2026-0001\.pdf \(application\/pdf, \d+\.\d KB\)/);
    expect(pv.stdout).toContain('Veuillez trouver ci-joint notre facture F-2026-0001');
    const pj = JSON.parse((await ok(['invoice', 'send', 'F-2026-0001', '--preview', '--json'])).stdout) as Record<string, unknown>;
    for (const k of ['from', 'to', 'cc', 'bcc', 'subject', 'text', 'html', 'attachment']) expect(pj).toHaveProperty(k);
    expect((pj.attachment as { size: number }).size).toBe(frozen('F-2026-0001').length);
    expect(sb.snapshot()).toBe(before);
    expect(smtp.messages).toHaveLength(2);
  });

  it('--to and --cc override the client address; invoice.bcc reaches the envelope, never the headers', async () => {
    await ok(['ledger', 'set', 'invoice.bcc', 'archive@dupont.example']);
    const draft = JSON.parse((await ok(['invoice', 'new', 'ACME', '--line', 'Suivi | 1 | 300 | 20', '--json'])).stdout) as { ref: string };
    const r = await ok(['invoice', 'issue', draft.ref, '--date', '2026-03-10', '--send', '--to', 'factures@acme.example', '--cc', 'achats@acme.example', '--as-of', '2026-03-10']);
    expect(r.stdout).toContain('Sent F-2026-0002 to factures@acme.example, cc achats@acme.example, bcc archive@dupont.example');
    expect(smtp.messages).toHaveLength(3);
    expect([...smtp.messages[2]!.to].sort()).toEqual(['achats@acme.example', 'archive@dupont.example', 'factures@acme.example']);
    const mail = await parsed(2);
    expect(addrs(mail.to)).toEqual(['factures@acme.example']);
    expect(addrs(mail.cc)).toEqual(['achats@acme.example']);
    expect(smtp.messages[2]!.raw).not.toMatch(/^Bcc:/im);
    expect(smtp.messages[2]!.raw).not.toContain('archive@dupont.example');
    await ok(['ledger', 'set', 'invoice.bcc', '']);
  });

  it('quote send: the quote PDF, the quote template; a second send needs --again', async () => {
    const q = JSON.parse((await ok(['quote', 'new', 'ACME', '--line', 'Refonte | 5 | 600 | 20', '--json', '--as-of', '2026-03-11'])).stdout) as { number: string };
    expect(q.number).toBe('D-2026-0001');
    const r = await ok(['quote', 'send', 'D-2026-0001', '--as-of', '2026-03-11']);
    expect(r.stdout).toMatch(/^Sent D-2026-0001 to ap@acme\.example/);
    const mail = await parsed(smtp.messages.length - 1);
    expect(mail.subject).toBe('Devis D-2026-0001 – Atelier Dupont');
    expect(mail.text).toContain('notre devis D-2026-0001 du 11 mars 2026');
    expect(mail.text).toContain('Bon pour accord');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['D-2026-0001.pdf']);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    await refused(['quote', 'send', 'D-2026-0001'], /D-2026-0001 was sent to ap@acme\.example on 2026-03-11; to send it once more, add --again/);
    await refused(['invoice', 'send', 'D-2026-0001'], /D-2026-0001 is a quote, not an invoice/);
  });

  it('a credit note goes with its own template and a Factur-X PDF whose XML passes the validators', async () => {
    const c = await ok(['invoice', 'cancel', 'F-2026-0002', '--date', '2026-03-12', '--reason', 'Commande annulée']);
    const number = /credit note (F-\d{4}-\d{4})/.exec(c.stdout)![1]!;
    await ok(['invoice', 'send', number, '--as-of', '2026-03-12']);
    const mail = await parsed(smtp.messages.length - 1);
    expect(mail.subject).toBe(`Avoir ${number} – Atelier Dupont`);
    expect(mail.text).toContain('qui annule la facture F-2026-0002');
    expect(mail.text).not.toContain('IBAN');
    const xml = await validXml(mail.attachments[0]!.content);
    expect(xml).toContain('<ram:TypeCode>381</ram:TypeCode>');
  });

  it('refuses a client without email, a draft and an unknown number: exit 2, one line, nothing recorded', async () => {
    await ok(['invoice', 'new', 'NOMAIL', '--line', 'Conseil | 1 | 500 | 20', '--issue', '--date', '2026-03-13']);
    await refused(['invoice', 'send', 'F-2026-0004'], /client NOMAIL has no email address .*relance client edit NOMAIL --email ADDRESS/);
    await refused(['invoice', 'new', 'NOMAIL', '--line', 'Conseil | 1 | 500 | 20', '--issue', '--send', '--date', '2026-03-13'], /relance client edit NOMAIL --email ADDRESS.*nothing was issued/);
    const draft = JSON.parse((await ok(['invoice', 'new', 'ACME', '--line', 'Brouillon | 1 | 10 | 20', '--json'])).stdout) as { ref: string };
    await refused(['invoice', 'send', draft.ref], new RegExp(`${draft.ref} is a draft; issue it first with "relance invoice issue ${draft.ref} --send"`));
    await refused(['invoice', 'send', 'F-2026-0999'], /unknown invoice "F-2026-0999"/);
    await refused(['quote', 'send', 'D-2026-0999'], /unknown quote "D-2026-0999"/);
    await refused(['invoice', 'send', 'F-2026-0001', '--again', '--to', 'not-an-address'], /--to/);
    await refused(['invoice', 'new', 'ACME', '--line', 'X | 1 | 10 | 20', '--send'], /add --issue/);
    await refused(['invoice', 'new', 'ACME', '--line', 'X | 1 | 10 | 20', '--date', '2026-03-14'], /--date is the invoice date.*--issue/);
    // With --to the client without email can be sent to.
    await ok(['invoice', 'send', 'F-2026-0004', '--to', 'dg@sanscourriel.example', '--as-of', '2026-03-13']);
    expect(smtp.messages[smtp.messages.length - 1]!.to).toEqual(['dg@sanscourriel.example']);
  });

  it('invoice new --due sets an agreed due date', async () => {
    const r = await ok(['invoice', 'new', 'ACME', '--line', 'Atelier | 1 | 800 | 20', '--due', '2026-04-30', '--issue', '--date', '2026-03-15', '--json']);
    const j = JSON.parse(r.stdout) as { number: string; issueDate: string; dueDate: string; sent: unknown[] };
    expect([j.number, j.issueDate, j.dueDate, j.sent]).toEqual(['F-2026-0005', '2026-03-15', '2026-04-30', []]);
    await refused(['invoice', 'new', 'ACME', '--line', 'Atelier | 1 | 800 | 20', '--due', '2026-03-01', '--issue', '--date', '2026-03-15'], /due on 2026-03-01 \(--due\), before its issue date 2026-03-15/);
  });

  it('invoice list has a "sent" column (and sent in --json), invoice show and the history say when and to whom', async () => {
    const list = await ok(['invoice', 'list']);
    const header = list.stdout.split('\n').find((l) => l.includes('number'))!;
    expect(header).toMatch(/status\s*│\s*sent\s*│/);
    const row = (n: string) => list.stdout.split('\n').find((l) => l.includes(n))!;
    expect(row('F-2026-0001')).toMatch(/│ 2026-03-06 \(2x\)\s*│/);
    expect(row('F-2026-0005')).toMatch(/│ no\s*│/);
    const json = JSON.parse((await ok(['invoice', 'list', '--json'])).stdout) as { number: string | null; sent: { date: string; to: string; status: string }[] }[];
    const f1 = json.find((d) => d.number === 'F-2026-0001')!;
    expect(f1.sent.map((s) => [s.date, s.to, s.status])).toEqual([
      ['2026-03-05', 'ap@acme.example', 'sent'],
      ['2026-03-06', 'ap@acme.example', 'sent'],
    ]);
    expect(json.find((d) => d.number === 'F-2026-0005')!.sent).toEqual([]);
    const show = await ok(['invoice', 'show', 'F-2026-0002']);
    expect(show.stdout).toMatch(/sent:\s+2026-03-10 to factures@acme\.example \(cc achats@acme\.example, bcc archive@dupont\.example\)/);
    expect((await ok(['invoice', 'show', 'F-2026-0005'])).stdout).toMatch(/sent:\s+never \(relance invoice send F-2026-0005\)/);
    const hist = await ok(['client', 'show', 'ACME', '--history', '--json']);
    const events = (JSON.parse(hist.stdout) as { events: { kind: string; summary: string; date: string }[] }).events.filter((e) => e.kind === 'sent');
    expect(events.map((e) => e.date)).toEqual(['2026-03-05', '2026-03-06', '2026-03-10', '2026-03-11', '2026-03-12']);
    expect(events[0]!.summary).toContain('F-2026-0001 sent to ap@acme.example');
  });

  it('overdue and remind --due --dry-run name the overdue invoices never sent', async () => {
    const before = sb.snapshot();
    const o = await ok(['overdue', '--as-of', '2026-06-15']);
    expect(o.stderr).toMatch(/never sent by relance: F-2026-0005; a reminder would be the client's first sight of it/);
    const oj = JSON.parse((await ok(['overdue', '--as-of', '2026-06-15', '--json'])).stdout) as { neverSent: string[] };
    expect(oj.neverSent).toEqual(['F-2026-0005']);
    const d = await ok(['remind', '--due', '--dry-run', '--client', 'ACME', '--as-of', '2026-06-15']);
    expect(d.stdout).toMatch(/never sent: F-2026-0005: the reminder would be the client's first sight of it; send first with "relance invoice send NUMBER"/);
    const dj = JSON.parse((await ok(['remind', '--due', '--dry-run', '--client', 'ACME', '--as-of', '2026-06-15', '--json'])).stdout) as { neverSent: string[] };
    expect(dj.neverSent).toEqual(['F-2026-0005']);
    expect(sb.snapshot()).toBe(before);
  });
});
