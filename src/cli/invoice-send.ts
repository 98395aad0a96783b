/**
 * relance invoice send NUMBER [--to ADDR]... [--cc ADDR]... [--again] [--dry-run | --preview]: an
 * issued invoice (any kind: deposit, final, credit note, penalty) emailed to the client with its
 * frozen Factur-X PDF. Registered on "invoice" by cli/commands/invoice.ts with one line; quote send
 * (cli/quote-send.ts) and `invoice issue --send` share `sendDocumentCommand` / `sendIssued`. The work
 * is delivery/documents.ts.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError, WorkFailedError } from '../core/errors.js';
import type { Document } from '../store/documents.js';
import { getSettings } from '../store/settings.js';
import type { DocumentEmail, Prepared, SendOutcome } from '../delivery/documents.js';
import type { Transport } from '../mail/transport.js';
import type { Templates } from '../render/templates.js';
import { printJson, warn } from '../render/output.js';
import type { IsoDate } from '../core/dates.js';
import { clientById } from '../store/clients.js';
import { write } from '../store/db.js';
import { documentRef } from '../store/documents.js';
import { issueWithEurRate } from '../store/eur-rates.js';
import { documentSends } from '../store/document-sends.js';
import { documentJson } from '../documents/json.js';
import { freezeIssued } from '../documents/pdf.js';
import { checkBeforeIssue, issuedWarnings } from '../documents/mentions.js';
import { money } from '../render/format.js';
import { collect, examples, validate, type App } from './app.js';
import type { Context } from './context.js';
import { language, t } from '../i18n/index.js';

export interface SendOptions {
  to?: string[];
  cc?: string[];
  again?: boolean;
  dryRun?: boolean;
  preview?: boolean;
  asOf?: string;
}

const EMAIL = () => z.email(t('documents.send.email'));

function addresses(list: string[] | undefined, flag: string): string[] | undefined {
  if (!list) return undefined;
  return list.flatMap((v) => v.split(/[,;]/)).map((a) => a.trim()).filter(Boolean).map((a) => validate(EMAIL(), a, flag));
}

/** A send that did not (certainly) leave, with its outcome (uncertain, timed out...) for the batch to decide whether to go on. */
class SendFailed extends WorkFailedError {
  constructor(
    message: string,
    readonly outcome: SendOutcome,
  ) {
    super(message);
  }
}

/** The send options of `invoice send`, `quote send`, and (--to/--cc/--again) `invoice issue --send`. */
export function withSendOptions(cmd: Command, full = true): Command {
  cmd
    .option('--to <address>', t('documents.send.opt.to'), collect)
    .option('--cc <address>', t('documents.send.opt.cc'), collect)
    .option('--again', t('documents.send.opt.again'));
  if (full) {
    cmd
      .option('--dry-run', t('documents.send.opt.dryRun'))
      .option('--preview', t('documents.send.opt.preview'));
  }
  return cmd;
}

function printEmail(ctx: Context, e: DocumentEmail, body: boolean): void {
  const heads = ['from', 'to', 'cc', 'bcc', 'subject', 'attachment', 'template'] as const;
  const width = Math.max(...heads.map((h) => t(`documents.send.head.${h}`).length)) + 1;
  const head = (h: (typeof heads)[number], value: string) => `${t(`documents.send.head.${h}`).padEnd(width)}${value}`;
  const lines = [
    head('from', `${e.fromName} <${e.from}>`),
    head('to', e.to.join(', ')),
    ...(e.cc.length ? [head('cc', e.cc.join(', '))] : []),
    ...(e.bcc.length ? [head('bcc', `${e.bcc.join(', ')} (invoice.bcc)`)] : []),
    head('subject', e.subject),
    head('attachment', `${e.attachment.filename} (${e.attachment.contentType}, ${formatSize(e.attachment.size)})`),
    head('template', e.template),
  ];
  ctx.io.out(lines.join('\n') + '\n');
  if (body) ctx.io.out(`\n${e.text}`);
}

function formatSize(n: number): string {
  return n < 1024 ? t('documents.send.bytes', { n }) : t('documents.send.kb', { n: language() === 'fr' ? (n / 1024).toFixed(1).replace('.', ',') : (n / 1024).toFixed(1) });
}

async function prepare(ctx: Context, doc: Document, o: SendOptions, templates?: Templates): Promise<Prepared> {
  const { prepareDocumentEmail } = await import('../delivery/documents.js');
  return prepareDocumentEmail(ctx.db(), doc, { to: addresses(o.to, '--to'), cc: addresses(o.cc, '--cc'), asOf: ctx.asOf(o.asOf), ledgerFile: ctx.ledgerPath().file, templates });
}

/** Send a prepared document for real: record, send, mark; print the outcome. Exit 1 when it did not (certainly) leave. */
async function deliver(ctx: Context, p: Prepared, o: SendOptions, printJsonToo = true, shared?: Transport): Promise<SendOutcome> {
  const { openTransport, sendPrepared } = await import('../delivery/documents.js');
  const db = ctx.db();
  const transport = shared ?? (await openTransport(ctx.ledgerPath().file, getSettings(db), ctx.io.env));
  let res: SendOutcome;
  try {
    res = await sendPrepared({ db, transport, now: ctx.io.now, asOf: ctx.asOf(o.asOf), again: Boolean(o.again) }, p);
  } finally {
    if (!shared) transport.close();
  }
  const e = p.email;
  const who = [...res.to, ...res.cc.map((c) => `cc ${c}`), ...res.bcc.map((b) => `bcc ${b}`)].join(', ');
  if (res.status === 'failed') throw new SendFailed(t('documents.send.failed', { ref: e.document, error: res.error, kind: e.kind === 'quote' ? 'quote' : 'invoice' }), res);
  if (res.status === 'uncertain') throw new SendFailed(`${e.document}: ${res.error}`, res);
  if (ctx.json) {
    if (printJsonToo) printJson(ctx.io, { document: e.document, status: res.status, message: res.id, messageId: res.messageId, to: res.to, cc: res.cc, bcc: res.bcc, subject: e.subject, attachment: e.attachment, file: res.file });
  } else if (!ctx.quiet) {
    ctx.io.out(
      res.status === 'sent'
        ? `${t('documents.send.sent', { ref: e.document, who, id: res.id, file: e.attachment.filename, size: formatSize(e.attachment.size) })}\n`
        : `${t('documents.send.written', { ref: e.document, who, file: res.file, id: res.id })}\n`,
    );
  }
  return res;
}

/** The action of `invoice send` and `quote send`, once the document is found. */
export async function sendDocumentCommand(ctx: Context, doc: Document, o: SendOptions): Promise<void> {
  if (o.dryRun && o.preview) throw new UsageError(t('documents.send.dryAndPreview'));
  const p = await prepare(ctx, doc, o);
  const e = p.email;
  const kind = doc.kind === 'quote' ? 'quote' : 'invoice';
  if (o.preview) {
    if (ctx.json) return printJson(ctx.io, { ...e, previous: p.previous.map(sendView) });
    return printEmail(ctx, e, true);
  }
  if (o.dryRun) {
    const { checkResend } = await import('../delivery/documents.js');
    let refused: string | null = null;
    try {
      checkResend(e.document, kind, p.previous, Boolean(o.again));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      refused = err.message;
    }
    if (ctx.json) return printJson(ctx.io, { dryRun: true, wouldSend: refused === null, refused, email: { ...e, text: undefined, html: undefined }, previous: p.previous.map(sendView) });
    ctx.io.out(`${refused === null ? t('documents.send.wouldSend', { ref: e.document }) : t('documents.send.wouldNotSend', { ref: e.document, why: refused })}\n`);
    printEmail(ctx, e, false);
    return;
  }
  await deliver(ctx, p, o);
}

/**
 * `invoice send F-1 F-2 ...`: every document checked first (one refused: exit 2, nothing sent), then
 * sent in turn over one connection. A failure is reported and the rest go on; an uncertain fate
 * or a timeout stops the batch (the server is in doubt): what was not attempted is listed. Exit 1
 * when any did not (certainly) leave.
 */
export async function sendDocumentsCommand(ctx: Context, docs: Document[], o: SendOptions): Promise<void> {
  if (docs.length === 1) return sendDocumentCommand(ctx, docs[0]!, o);
  if (o.preview || o.dryRun) throw new UsageError(t('documents.send.oneOnly', { flag: o.preview ? 'preview' : 'dry-run' }));
  const { checkResend, documentTemplates, openTransport } = await import('../delivery/documents.js');
  const db = ctx.db();
  const settings = getSettings(db);
  const templates = await documentTemplates(ctx.ledgerPath().file, settings);
  const seen = new Set<number>();
  const prepared: Prepared[] = [];
  for (const d of docs) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    const p = await prepare(ctx, d, o, templates);
    checkResend(p.email.document, d.kind === 'quote' ? 'quote' : 'invoice', p.previous, Boolean(o.again));
    prepared.push(p);
  }
  const transport = await openTransport(ctx.ledgerPath().file, settings, ctx.io.env);
  const problems: string[] = [];
  const results: object[] = [];
  let done = 0;
  try {
    for (const p of prepared) {
      try {
        const r = await deliver(ctx, p, o, false, transport);
        results.push({ document: p.email.document, status: r.status, message: r.id, to: r.to });
      } catch (err) {
        if (!(err instanceof WorkFailedError)) throw err;
        problems.push(err.message);
        const outcome = err instanceof SendFailed ? err.outcome : undefined;
        const uncertain = outcome ? outcome.status === 'uncertain' : /never answered/.test(err.message);
        results.push({ document: p.email.document, status: uncertain ? 'uncertain' : 'failed', error: err.message });
        if (uncertain || outcome?.timedOut || /never answered|timed? ?out|ETIMEDOUT/i.test(err.message)) {
          const rest = prepared.slice(prepared.indexOf(p) + 1).map((x) => x.email.document);
          if (rest.length) problems.push(t('documents.send.stopped', { rest: rest.length <= 10 ? rest.join(', ') : t('documents.send.andMore', { list: rest.slice(0, 10).join(', '), n: rest.length - 10 }) }));
          break;
        }
      }
      done++;
      if (!ctx.quiet && prepared.length >= 100 && done % 100 === 0) ctx.io.err(`${t('documents.send.progress', { done, total: prepared.length })}\n`);
    }
  } finally {
    transport.close();
  }
  if (ctx.json) printJson(ctx.io, results);
  if (problems.length) throw new WorkFailedError(problems.join(language() === 'fr' ? ' ; ' : '; '));
}

function sendView(s: Prepared['previous'][number]) {
  return { message: s.message, status: s.uncertain ? 'uncertain' : s.status, to: s.recipient, at: s.sentAt ?? s.createdAt };
}

/** Before issuing with --send: refuse now (exit 2, nothing issued) what the send would refuse after. */
function precheckSend(ctx: Context, clientId: number, o: SendOptions): void {
  const client = clientById(ctx.db(), clientId);
  if ((addresses(o.to, '--to') ?? []).length === 0 && !client.email?.trim()) {
    throw new UsageError(t('documents.send.noEmailIssue', { code: client.code }));
  }
  addresses(o.cc, '--cc');
  if (!getSettings(ctx.db())['business.email']) throw new UsageError(t('documents.send.noBusinessEmailIssue'));
}

/**
 * `invoice issue DRAFT [--send]` and `invoice new ... --issue [--send]` (the draft made by `make`
 * in the same transaction as its issue: a refused issue leaves no draft behind): the draft gets its
 * number, its PDF is frozen, and with --send the email leaves (the issue is committed first: a send
 * that fails leaves it issued, and "invoice send" sends it later). --json prints one object: the
 * invoice with its sends.
 */
export async function issueAndSend(ctx: Context, draft: Document | { clientId: number; make: () => Document }, date: IsoDate, o: SendOptions & { send?: boolean; eurRate?: number | null; strict?: boolean }): Promise<void> {
  const db = ctx.db();
  if (!o.send && (o.to || o.cc || o.again)) throw new UsageError(t('documents.send.toNeedsSend'));
  if (o.send) precheckSend(ctx, draft.clientId, o);
  const { before, document, warnings, missing } = write(db, () => {
    const d = 'make' in draft ? draft.make() : draft;
    const missing = checkBeforeIssue(db, d, o.strict); // refuses (rolling back) when strict and a mention is missing
    return { before: d, missing, ...issueWithEurRate(db, d, date, o.eurRate ?? null) };
  });
  await freezeIssued(db, ctx.io, document);
  for (const w of [...issuedWarnings(document.number!, missing), ...warnings]) warn(ctx.io, w);
  if (!ctx.json) ctx.io.out(`${t('documents.invoice.issued', { number: document.number, was: documentRef(before), date: document.issueDate, due: document.dueDate, amount: money(document.amountDue, document.currency) })}\n`);
  if (o.send) {
    try {
      await deliver(ctx, await prepare(ctx, document, { ...o, again: false }), o, false);
    } catch (err) {
      // The issue is committed: what stops the email now (a template error...) is not bad input of this command any more.
      if (err instanceof UsageError) throw new WorkFailedError(t('documents.send.issuedNotSent', { number: document.number, why: err.message }));
      throw err;
    }
  }
  if (ctx.json) printJson(ctx.io, withSends(ctx, document, date));
}

/** A document's JSON with `sent`: every send that went out or may have (uncertain), when and to whom. */
export function withSends(ctx: Context, d: Document, asOf: IsoDate): object {
  return { ...documentJson(ctx.db(), d, asOf), sent: sendsOf(ctx, [d]).get(d.id) ?? [] };
}

/** The sends of these documents by id, as JSON rows. */
export function sendsOf(ctx: Context, docs: readonly Document[]): Map<number, { date: string; at: string; to: string | null; status: string; message: number }[]> {
  const byNumber = documentSends(ctx.db(), docs.flatMap((d) => (d.number ? [d.number] : [])));
  const out = new Map<number, { date: string; at: string; to: string | null; status: string; message: number }[]>();
  for (const d of docs) {
    const list = (byNumber.get(d.number ?? '') ?? []).filter((s) => s.status === 'sent' || s.status === 'written' || s.status === 'sending');
    if (list.length) out.set(d.id, list.map((s) => ({ date: s.asOf, at: s.sentAt ?? s.createdAt, to: s.recipient, status: s.uncertain ? 'uncertain' : s.status, message: s.message })));
  }
  return out;
}

/** The "sent" cell of invoice list and the line of invoice show: "2026-03-05", "2026-03-05 (2x)", "uncertain", "no". */
export function sentCell(sends: { date: string; status: string }[] | undefined, issued: boolean): string {
  if (!issued) return '';
  if (!sends || sends.length === 0) return t('documents.sentCell.no');
  const last = sends[sends.length - 1]!;
  const day = last.date;
  return `${last.status === 'uncertain' ? t('documents.sentCell.uncertain', { date: day }) : day}${sends.length > 1 ? ` (${sends.length}x)` : ''}`;
}

export function registerInvoiceSend(invoice: Command, app: App): void {
  examples(
    withSendOptions(
      invoice
        .command('send')
        .argument('<numbers...>', t('documents.send.invoice.arg'))
        .description(t('documents.send.invoice.description'))
        .option('--as-of <date>', t('documents.send.opt.asOf')),
    ).action(
      app.act(async (ctx, refs: string[], o: SendOptions) => {
        const { requireInvoice } = await import('../store/documents.js');
        await sendDocumentsCommand(ctx, refs.map((r) => requireInvoice(ctx.db(), r)), o);
      }),
    ),
    [
      'relance invoice send F-2026-0001',
      'relance invoice send F-2026-0001 --preview',
      'relance invoice send F-2026-0001 --to compta@client.fr --cc achats@client.fr',
      `relance invoice send F-2026-0001 --again      # ${t('documents.send.exampleAgain')}`,
      'relance invoice send F-2026-0001 --dry-run --json',
      `relance invoice send F-2026-0041 F-2026-0042 F-2026-0043   # ${t('documents.send.exampleBatch')}`,
    ],
  );
}

