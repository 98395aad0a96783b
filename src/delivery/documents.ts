/**
 * Sending a document on its own (`invoice send`, `quote send`, `invoice issue --send`): one email
 * to the client's billing address (or --to, with --cc, and the ledger's invoice.bcc as the
 * business's own copy), the document's PDF attached (an issued invoice's Factur-X PDF frozen at
 * issue, byte for byte; a quote's as it renders today), the text from a template by kind and
 * language (templates/<lang>/email/<kind>.hbs, overridable in the ledger's templates folder like the
 * reminders'), through the one delivery engine (engine.ts): recorded 'sending' before it leaves,
 * marked after; an unknown SMTP fate is uncertain. A document already sent (or maybe sent) is
 * refused unless `again`: checked in the same transaction that records the new send, so two runs
 * at once send it once.
 */
import type { IsoDate } from '../core/dates.js';
import { quoteValidUntil, type DocumentKind } from '../core/documents.js';
import { UsageError } from '../core/errors.js';
import { invoiceReference, printReference } from '../core/payment-reference.js';
import { clientById, type Client } from '../store/clients.js';
import { write, type Db } from '../store/db.js';
import { DOCUMENT_SEND_LEVEL, deliveredSends, documentSends, type DocumentSend } from '../store/document-sends.js';
import { documentById, documentRef, paymentLinkFor, type Document } from '../store/documents.js';
import { markForRetry } from '../store/reminders.js';
import { getSettings, type Settings } from '../store/settings.js';
import type { Transport } from '../mail/transport.js';
import { businessOf, templateClient, type Business } from '../render/format.js';
import type { Templates } from '../render/templates.js';
import { ledgerFolder, safeName } from '../system/files.js';
import { crashPoint } from '../system/crash.js';
import { recordOutgoing, sendRecorded, type Delivered, type Delivery } from './engine.js';
import { t } from '../i18n/index.js';

/** The template of each kind: templates/<lang>/email/<name>.hbs. */
export const DOCUMENT_TEMPLATES: Record<DocumentKind, string> = {
  invoice: 'invoice',
  deposit: 'deposit',
  final: 'final',
  credit_note: 'credit-note',
  penalty: 'penalty',
  quote: 'quote',
};

/** What a document email template sees (README "Sending invoices" lists it). */
export interface DocumentEmailContext {
  lang: 'fr' | 'en';
  business: Business;
  client: { code: string; name: string; contactName: string | null; email: string | null; address: string[]; consumer: boolean };
  document: {
    number: string;
    kind: DocumentKind;
    issueDate: IsoDate;
    dueDate: IsoDate | null;
    serviceDate: IsoDate | null;
    /** Total incl. VAT, and what is to pay (a final invoice less its deposits), in cents. */
    total: number;
    amountDue: number;
    deducted: number;
    currency: string;
    poNumber: string | null;
    /** A quote's last valid day; a credit note's cancelled invoice. */
    validUntil: IsoDate | null;
    cancels: string | null;
    notes: string | null;
  };
  /** The attached file's name. */
  attachment: string;
  /** The invoice's payment reference in groups of four (null on a quote or a credit note). */
  paymentReference: string | null;
  paymentLink: string | null;
  iban: string | null;
  bic: string | null;
}

/** A made-up document of this kind, to check its email template renders (doctor). */
export function sampleDocumentContext(lang: 'fr' | 'en', settings: Settings, kind: DocumentKind): DocumentEmailContext {
  const pays = kind !== 'quote' && kind !== 'credit_note';
  return {
    lang,
    business: businessOf(settings),
    client: { code: 'ACME', name: 'ACME SAS', contactName: 'Mme Claire Martin', email: 'compta@acme.example', address: ['1 rue de la Paix', '75002 Paris'], consumer: false },
    document: {
      number: kind === 'quote' ? 'D-2026-0001' : 'F-2026-0001',
      kind,
      issueDate: '2026-03-02',
      dueDate: kind === 'quote' || kind === 'credit_note' ? null : '2026-04-01',
      serviceDate: null,
      total: 120_000,
      amountDue: kind === 'final' ? 84_000 : 120_000,
      deducted: kind === 'final' ? 36_000 : 0,
      currency: 'EUR',
      poNumber: 'PO-7781',
      validUntil: kind === 'quote' ? '2026-04-01' : null,
      cancels: kind === 'credit_note' ? 'F-2026-0000' : null,
      notes: null,
    },
    attachment: kind === 'quote' ? 'D-2026-0001.pdf' : 'F-2026-0001.pdf',
    paymentReference: pays ? printReference(invoiceReference('F-2026-0001')) : null,
    paymentLink: null,
    iban: pays ? settings['business.iban'] : null,
    bic: pays ? settings['business.bic'] : null,
  };
}

/** The email as it will leave: what `--dry-run` and `preview` print. */
export interface DocumentEmail {
  document: string;
  kind: DocumentKind;
  client: string;
  fromName: string;
  from: string;
  replyTo: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string;
  attachment: { filename: string; size: number; contentType: string };
  /** The template file it was rendered from (the ledger's override, else the shipped one). */
  template: string;
}

export interface Prepared {
  doc: Document;
  client: Client;
  email: DocumentEmail;
  pdf: Buffer;
  /** Earlier sends of this document that went out or may have (uncertain). */
  previous: DocumentSend[];
}

export interface PrepareOptions {
  /** Instead of the client's email (one or more). */
  to?: string[];
  cc?: string[];
  asOf: IsoDate;
  /** The ledger's templates (loaded once for a batch); loaded from the ledger's folder when absent. */
  templates?: Templates;
  ledgerFile: string;
}

/** The ledger's templates, with its override folder (paths.templates, else <ledger>-templates). */
export async function documentTemplates(ledgerFile: string, settings: Settings): Promise<Templates> {
  const { loadTemplates } = await import('../render/templates.js');
  return loadTemplates({ overrideDir: ledgerFolder(ledgerFile, settings['paths.templates'], 'templates') });
}

/** The client's billing addresses: the email field may hold several, separated by commas or semicolons. */
function splitAddresses(s: string | null): string[] {
  return (s ?? '')
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter(Boolean);
}

const what = (d: Document) => (d.kind === 'quote' ? 'quote' : d.kind === 'credit_note' ? 'credit note' : 'invoice');

/**
 * Everything the email needs, checked: an issued document (a draft is refused: issue it first), a
 * recipient (the client's email, else --to), the PDF (frozen for an invoice), the rendered text.
 * Reads only: nothing is recorded.
 */
export async function prepareDocumentEmail(db: Db, doc: Document, o: PrepareOptions): Promise<Prepared> {
  const ref = documentRef(doc);
  if (doc.number === null || doc.issueDate === null) {
    throw new UsageError(
      doc.kind === 'quote'
        ? t('documents.send.draftQuote', { ref })
        : t('documents.send.draft', { ref }),
    );
  }
  const client = clientById(db, doc.clientId);
  const to = o.to && o.to.length > 0 ? o.to : splitAddresses(client.email);
  if (to.length === 0) {
    throw new UsageError(t('documents.send.noEmail', { code: client.code, number: doc.number }));
  }
  const settings = getSettings(db);
  if (!settings['business.email']) throw new UsageError(t('documents.send.noBusinessEmail'));
  const bcc = settings['invoice.bcc'] ? [settings['invoice.bcc']] : [];
  const templates = o.templates ?? (await documentTemplates(o.ledgerFile, settings));
  const { documentPdf, renderPdfBytes } = await import('../documents/pdf.js');
  // An issued invoice's PDF is the one frozen at issue (stored then, or on first need); a quote's
  // changes when it is accepted, so it renders as it stands today.
  const pdf = doc.kind === 'quote' ? await renderPdfBytes(db, doc, { settings, client }) : await documentPdf(db, doc, o.asOf);
  const filename = `${safeName(doc.number)}.pdf`;
  const ctx = documentContext(db, settings, doc, client, filename);
  const name = DOCUMENT_TEMPLATES[doc.kind];
  // The template set's typed context is the reminders'; a document's email has its own (above), and
  // the templates run in strict mode, so a variable it lacks is an error naming the file.
  const rendered = templates.email(client.lang, name, ctx as never);
  const previous = deliveredSends(documentSends(db, [doc.number]).get(doc.number));
  return {
    doc,
    client,
    pdf,
    previous,
    email: {
      document: doc.number,
      kind: doc.kind,
      client: client.code,
      fromName: settings['business.name'],
      from: settings['business.email'],
      replyTo: settings['business.email'],
      to,
      cc: o.cc ?? [],
      bcc,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachment: { filename, size: pdf.length, contentType: 'application/pdf' },
      template: templates.locate(client.lang, 'email', name),
    },
  };
}

function documentContext(db: Db, settings: Settings, d: Document, client: Client, attachment: string): DocumentEmailContext {
  const pays = d.kind !== 'quote' && d.kind !== 'credit_note';
  const cancels = d.cancelsId !== null ? documentById(db, d.cancelsId) : undefined;
  return {
    lang: client.lang,
    business: businessOf(settings),
    client: templateClient(client),
    document: {
      number: d.number!,
      kind: d.kind,
      issueDate: d.issueDate!,
      dueDate: d.dueDate,
      serviceDate: d.serviceDate,
      total: d.totalGross,
      amountDue: d.amountDue,
      deducted: d.deductedGross,
      currency: d.currency,
      poNumber: d.poNumber,
      validUntil: d.kind === 'quote' ? quoteValidUntil(d.issueDate!, d.validityDays) : null,
      cancels: cancels?.number ?? null,
      notes: d.notes,
    },
    attachment,
    paymentReference: pays ? printReference(invoiceReference(d.number!)) : null,
    paymentLink: pays ? paymentLinkFor(db, d) : null,
    iban: pays ? settings['business.iban'] : null,
    bic: pays ? settings['business.bic'] : null,
  };
}

/** "sent to a@x on 2026-03-05 14:02" for the refusal and the hint. */
function describeSend(s: DocumentSend): string {
  return t(s.uncertain ? 'documents.send.maySent' : 'documents.send.wasSent', { to: s.recipient ?? '?', date: s.asOf });
}

/**
 * Refuse a second send without `again`: one line, what happened before and how to send anyway. An
 * uncertain send (the server took it and never answered) is never resent blindly.
 */
export function checkResend(number: string, kind: 'invoice' | 'quote', previous: readonly DocumentSend[], again: boolean): void {
  if (again || previous.length === 0) return;
  const last = previous[previous.length - 1]!;
  if (last.uncertain) {
    throw new UsageError(
      t('documents.send.resendUncertain', { number, previous: describeSend(last), message: last.message, kind }),
    );
  }
  throw new UsageError(t('documents.send.resend', { number, previous: describeSend(last) }));
}

export interface SendInput {
  db: Db;
  transport: Transport;
  now: () => Date;
  asOf: IsoDate;
  again: boolean;
}

export type SendOutcome = Delivered & { to: string[]; cc: string[]; bcc: string[] };

/**
 * Record, send, mark. The resend check runs again inside the transaction that records (another
 * process may have sent it since prepare); with `again`, an uncertain earlier send is closed as
 * failed first, so this send reuses its row and Message-ID (a mailbox that got the first copy can
 * tell it is the same message).
 */
export async function sendPrepared(input: SendInput, p: Prepared): Promise<SendOutcome> {
  const { db } = input;
  const e = p.email;
  const kind = p.doc.kind === 'quote' ? 'quote' : 'invoice';
  const d: Delivery = { db, transport: input.transport, now: input.now, senderEmail: e.from };
  const copies = [...e.cc.map((a) => `cc ${a}`), ...e.bcc.map((a) => `bcc ${a}`)];
  const recipient = `${e.to.join(', ')}${copies.length ? ` (${copies.join(', ')})` : ''}`;
  const rec = write(db, () => {
    const previous = deliveredSends(documentSends(db, [e.document]).get(e.document));
    checkResend(e.document, kind, previous, input.again);
    for (const s of previous) if (s.uncertain) markForRetry(db, s.message, `sent again with --again on ${input.asOf}`);
    return recordOutgoing(
      d,
      { clientId: p.client.id, channel: 'email', level: DOCUMENT_SEND_LEVEL, asOf: input.asOf, subject: e.subject, text: e.text, html: e.html, recipient, about: e.document },
      { outboxName: safeName(e.document) },
    );
  });
  crashPoint('after-record');
  const res = await sendRecorded(d, rec, {
    fromName: e.fromName,
    from: e.from,
    replyTo: e.replyTo,
    to: e.to.join(', '),
    cc: e.cc,
    bcc: e.bcc,
    subject: e.subject,
    text: e.text,
    html: e.html,
    attachments: [{ filename: e.attachment.filename, content: p.pdf, contentType: 'application/pdf' }],
    headers: { 'X-Relance-Document': e.document },
  });
  if (res.status === 'uncertain') {
    res.error = t('documents.send.uncertain', { why: /\(([^)]*)\)/.exec(res.error ?? '')?.[1] ?? t('documents.send.noReply'), kind, ref: e.document, id: res.id });
  }
  return { ...res, to: e.to, cc: e.cc, bcc: e.bcc };
}

/** The transport the ledger's settings name (SMTP, else the outbox folder), like a reminder run's. */
export async function openTransport(ledgerFile: string, settings: Settings, env: NodeJS.ProcessEnv): Promise<Transport> {
  const { outboxTransport, smtpTransport } = await import('../mail/transport.js');
  const host = settings['smtp.host'];
  if (host) {
    const user = settings['smtp.user'];
    const password = env.RELANCE_SMTP_PASSWORD ?? null;
    if (user && !password) throw new UsageError(t('documents.send.smtpPassword'));
    return smtpTransport({ host, port: settings['smtp.port'], secure: settings['smtp.secure'], user, password, timeoutMs: settings['smtp.timeout_ms'] });
  }
  return outboxTransport(ledgerFolder(ledgerFile, settings['paths.outbox'], 'outbox'));
}

/** The JSON of a prepared email (preview --json, --dry-run --json): everything but the PDF's bytes. */
export function emailJson(e: DocumentEmail) {
  return { ...e };
}

/** The JSON of a send: when and to whom (invoice show/list --json). */
export function sendJson(s: DocumentSend) {
  return { message: s.message, status: s.uncertain ? 'uncertain' : s.status, to: s.recipient, subject: s.subject, at: s.sentAt ?? s.createdAt, messageId: s.messageId };
}

export { what as documentWhat };
