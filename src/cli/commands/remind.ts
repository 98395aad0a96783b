/**
 * relance remind: plan and send reminders exactly once (dunning.md).
 *   remind --due [--as-of D] [--dry-run] [--client C]   what the policy says is due today
 *   remind INVOICE [--level N] / remind --client C --level N   on demand
 *   remind list | show ID | preview --level N --client C
 *   remind --resolve ID --sent|--retry                  settle a message a crashed run left 'sending'
 *
 * Exactly once: each message is recorded 'sending' (with its Message-ID) in a write() transaction
 * BEFORE it leaves, and marked sent/written after; UNIQUE(document, instalment, level) in the schema;
 * a run lock keeps a second run out (exit 3 after a bounded wait); a 'sending' row found later is
 * settled from the disk when the transport wrote a file, otherwise reported for --resolve.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addDays, parseDate, type IsoDate } from '../../core/dates.js';
import { planOnDemand, planReminders, ruleSummary, type RuleSummary, type Channel, type ClientPlan, type Plan, type Policy, type Skipped } from '../../core/dunning.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney, type Cents } from '../../core/money.js';
import { unknownRateError } from '../../core/penalties.js';
import { clientById, requireClient, type Client } from '../../store/clients.js';
import { timestamp, write, type Db } from '../../store/db.js';
import { documentById, freezesPdf, storedPdfs, storePdf } from '../../store/documents.js';
import { penaltiesOf, type ItemPenalties } from '../../store/receivables.js';
import {
  acquireLock,
  clientContacts,
  clientsById,
  failedCopies,
  clientReminderHistory,
  findDocumentByNumber,
  getMessage,
  getPolicy,
  listMessages,
  loadClientStates,
  loadOpenItems,
  loadPromises,
  loadReminderStates,
  markCopyFailed,
  markDone,
  markFailed,
  markForRetry,
  paymentLinks,
  recordSending,
  remindersOfMessage,
  sendingMessages,
  setMessageFile,
  setStopWork,
  type MessageRow,
  type NewMessage,
  type Receivable,
} from '../../store/reminders.js';
import { getSettings, type Settings } from '../../store/settings.js';
import { crashPoint, newMessageId, outboxTransport, safeName, smtpTransport, type OutgoingEmail, type Transport } from '../../mail/transport.js';
import { printFields, printJson, printTable } from '../../render/output.js';
import type { ContextInvoice, ContextTotal, MessageContext, Templates } from '../../render/templates.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { nothingHappened, remindDue } from './remind-all.js';

const LEVEL = z.coerce.number('a level number').check(z.int('a whole number'), z.minimum(0, 'at least 0'), z.maximum(9, 'at most 9'));
const ID = z.coerce.number('a message id').check(z.int('a whole number'), z.minimum(1, 'at least 1'));

interface RemindOptions {
  due?: boolean;
  asOf?: string;
  dryRun?: boolean;
  client?: string;
  level?: string;
  resolve?: string;
  sent?: boolean;
  retry?: boolean;
  wait?: string;
  all?: boolean;
  log?: string;
}

// ---------------------------------------------------------------------------------------------
// Folders beside the ledger

/** A folder setting (relative to the ledger's folder), else <ledger name>-<suffix> beside the ledger. */
export function ledgerFolder(ledgerFile: string, setting: string | null, suffix: string): string {
  const base = path.dirname(ledgerFile);
  if (setting) return path.resolve(base, setting);
  const name = path.basename(ledgerFile).replace(/\.[^.]+$/, '');
  return path.join(base, `${name}-${suffix}`);
}

function addressLines(text: string | null): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Building what a template sees

interface Built {
  ctx: MessageContext;
  /** Penalties per document id (only when the level claims them). */
  penalties: Map<number, ItemPenalties>;
}

function buildContext(db: Db, settings: Settings, client: Client, plan: ClientPlan, receivables: Map<number, Receivable>, asOf: IsoDate, linkOf: (documentId: number, number: string) => string | null): Built {
  const level = plan.level;
  const consumer = client.kind === 'b2c';
  const claims = level.claimsPenalties;
  let penalties = new Map<number, ItemPenalties>();
  if (claims) {
    const docs = [...new Set(plan.items.map((i) => i.documentId))].map((id) => receivables.get(id)).filter((r): r is Receivable => Boolean(r));
    penalties = penaltiesOf(db, docs, asOf);
    for (const p of penalties.values()) if (p.interest === null) throw unknownRateError(p, `the penalties of a level-${level.level} reminder to ${client.code}`);
  }
  const seenDoc = new Set<number>();
  let rateBp: number | null = null;
  const invoices: ContextInvoice[] = plan.items.map((i) => {
    let penalty: Cents | null = null;
    let indemnity: Cents | null = null;
    const p = penalties.get(i.documentId);
    if (claims && p && !seenDoc.has(i.documentId)) {
      seenDoc.add(i.documentId);
      penalty = p.unbilledInterest ?? 0;
      indemnity = level.claimsIndemnity && !consumer ? p.unbilledIndemnity : null;
      const last = p.lines[p.lines.length - 1];
      if (last?.rateBp != null) rateBp = last.rateBp;
      if (penalty === 0 && consumer) penalty = null;
      if (indemnity === 0) indemnity = null;
    }
    return {
      number: i.number,
      instalment: i.instalment,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amount,
      balance: i.balance,
      currency: i.currency,
      daysLate: i.daysLate,
      late: i.daysLate > 0,
      penalty,
      indemnity,
      paymentLink: linkOf(i.documentId, i.number),
      newLevel: i.newLevel,
    };
  });
  const totalsBy = new Map<string, ContextTotal>();
  for (const inv of invoices) {
    let t = totalsBy.get(inv.currency);
    if (!t) totalsBy.set(inv.currency, (t = { currency: inv.currency, balance: 0, penalty: 0, indemnity: 0, total: 0 }));
    t.balance += inv.balance;
    t.penalty += inv.penalty ?? 0;
    t.indemnity += inv.indemnity ?? 0;
    t.total = t.balance + t.penalty + t.indemnity;
  }
  const totals = [...totalsBy.values()];
  const currency = settings.currency;
  const total = totalsBy.get(currency) ?? totals[0] ?? { currency, balance: 0, penalty: 0, indemnity: 0, total: 0 };
  const lang = client.lang;
  const ctx: MessageContext = {
    lang,
    business: {
      name: settings['business.name'],
      legalForm: settings['business.legal_form'],
      siren: settings['business.siren'],
      rcs: settings['business.rcs'],
      vatNumber: settings['business.vat_number'],
      address: addressLines(settings['business.address']),
      email: settings['business.email'],
      phone: settings['business.phone'],
      iban: settings['business.iban'],
      bic: settings['business.bic'],
    },
    client: {
      code: client.code,
      name: client.name,
      contactName: client.contactName,
      email: client.email,
      address: addressLines(client.billingAddress ?? client.address),
      consumer,
    },
    level: { number: level.level, name: level.name },
    reminderDate: asOf,
    invoices,
    count: invoices.length,
    totals,
    total,
    claimsPenalties: claims,
    claimsIndemnity: level.claimsIndemnity && !consumer,
    penaltyRate: claims && !consumer ? rateBp : null,
    penaltiesAsOf: asOf,
    deadline: addDays(asOf, plan.policy.noticeDays),
    noticeDays: plan.policy.noticeDays,
    paymentLink: invoices.length === 1 ? invoices[0]!.paymentLink : null,
    iban: settings['business.iban'],
    bic: settings['business.bic'],
    smallClaim: total.balance <= 500_000,
  };
  return { ctx, penalties };
}

// ---------------------------------------------------------------------------------------------
// The run

interface Rendered {
  plan: ClientPlan;
  client: Client;
  built: Built;
  email: { subject: string; text: string; html: string } | null;
  letter: { subject: string; body: string; text: string } | null;
  channels: Channel[];
  /** Channels dropped because the client lacks an email or a postal address. */
  missing: string[];
}

interface Outcome {
  client: string;
  level: number;
  channel: Channel;
  message: number | null;
  status: 'sent' | 'written' | 'failed' | 'planned' | 'uncertain';
  invoices: string[];
  file?: string | null;
  recipient?: string | null;
  subject?: string | null;
  error?: string;
}

export interface RunReport {
  asOf: IsoDate;
  dryRun: boolean;
  transport: string | null;
  outcomes: Outcome[];
  calls: { client: string; name: string; phone: string | null; level: number; invoices: string[] }[];
  skipped: Skipped[];
  uncertain: { message: number; client: string; level: number; channel: string; messageId: string | null; since: string }[];
  settled: { message: number; status: string; why: string }[];
  failed: { client: string; level: number | null; error: string }[];
  lockNote: string | null;
  /** Which rule set each planned message's level (never a milder message after a stronger one). */
  rules?: RuleSummary[];
}

async function loadTemplatesFor(ctx: Context, settings: Settings): Promise<Templates> {
  const { loadTemplates } = await import('../../render/templates.js');
  return loadTemplates({ overrideDir: ledgerFolder(ctx.ledgerPath().file, settings['paths.templates'], 'templates') });
}

function render(templates: Templates, rendered: Omit<Rendered, 'email' | 'letter'>, html = true): Rendered {
  const lang = rendered.client.lang;
  const name = rendered.plan.level.template;
  const email = rendered.channels.includes('email') ? templates.email(lang, name, rendered.built.ctx, { html }) : null;
  const letter = rendered.channels.includes('letter') ? templates.letter(lang, name, rendered.built.ctx) : null;
  return { ...rendered, email, letter };
}

/** Which channels can be used for this client (an email needs an address, a letter a postal address). */
function usableChannels(plan: ClientPlan, client: Client): { channels: Channel[]; missing: string[] } {
  const channels: Channel[] = [];
  const missing: string[] = [];
  for (const c of plan.level.channels) {
    if (c === 'email' && !client.email) missing.push(`no email address (add one with "relance client edit ${client.code} --email ...")`);
    else if (c === 'letter' && !(client.billingAddress ?? client.address)) missing.push(`no postal address (add one with "relance client edit ${client.code} --address ...")`);
    else channels.push(c);
  }
  return { channels, missing };
}

function smtpSettings(settings: Settings, env: NodeJS.ProcessEnv) {
  if (!settings['smtp.host']) return null;
  return {
    host: settings['smtp.host'],
    port: settings['smtp.port'],
    secure: settings['smtp.secure'],
    user: settings['smtp.user'],
    password: env.RELANCE_SMTP_PASSWORD ?? null,
  };
}

async function openTransport(ctx: Context, settings: Settings): Promise<Transport> {
  const smtp = smtpSettings(settings, ctx.io.env);
  if (smtp) {
    if (smtp.user && !smtp.password) throw new UsageError('smtp.user is set but RELANCE_SMTP_PASSWORD is not; export the password in the environment (it is never stored in the ledger)');
    return smtpTransport(smtp);
  }
  return outboxTransport(ledgerFolder(ctx.ledgerPath().file, settings['paths.outbox'], 'outbox'));
}

function progress(ctx: Context, text: string | null): void {
  if (!ctx.io.stderrIsTTY || ctx.quiet || ctx.json) return;
  ctx.io.err(text === null ? '\r\u001b[2K' : `\r\u001b[2K${text}`);
}

/**
 * Settle what a crashed run left 'sending': a file the transport wrote tells (it exists: written;
 * it does not: never written, so it is marked failed and the next planning retries it with the same
 * Message-ID). A message handed to an SMTP server cannot be checked: it is reported for --resolve.
 */
function settleLeftovers(db: Db, now: string): Pick<RunReport, 'uncertain' | 'settled'> {
  const uncertain: RunReport['uncertain'] = [];
  const settled: RunReport['settled'] = [];
  for (const m of sendingMessages(db)) {
    if (m.file_path) {
      if (fs.existsSync(m.file_path)) {
        write(db, () => {
          markDone(db, m.id, 'written', now);
          if (m.channel === 'handover') setStopWork(db, m.client_id);
        });
        settled.push({ message: m.id, status: 'written', why: `a crashed run left it sending; ${m.file_path} exists` });
      } else {
        write(db, () => markFailed(db, m.id, 'interrupted before the file was written'));
        settled.push({ message: m.id, status: 'failed', why: `a crashed run left it sending and ${path.basename(m.file_path)} was never written; it will be made again` });
      }
    } else {
      uncertain.push({ message: m.id, client: m.client_code, level: m.level, channel: m.channel, messageId: m.message_id, since: m.created_at });
    }
  }
  return { uncertain, settled };
}

function emailOf(settings: Settings, to: string, subject: string, text: string, html: string, messageId: string, level: number, attachments: OutgoingEmail['attachments'] = []): OutgoingEmail {
  return {
    fromName: settings['business.name'],
    from: settings['business.email'],
    replyTo: settings['business.email'],
    to,
    subject,
    text,
    html,
    messageId,
    date: new Date(),
    attachments,
    headers: { 'X-Relance-Level': String(level) },
  };
}

interface Sender {
  transport: Transport;
  lettersDir: string;
}

type Ids = Partial<Record<Channel, { id: number; messageId: string | null; file?: string | null }>>;

interface Prepared {
  r: Rendered;
  invoices: string[];
  reminded: NewMessage['reminders'];
  base: { clientId: number; level: number; asOf: IsoDate; invoices: string; onDemand: boolean };
  stem: string;
  primary: Channel | null;
}

function prepare(r: Rendered, asOf: IsoDate, onDemand: boolean): Prepared {
  const { plan, client } = r;
  const level = plan.level;
  const invoices = plan.items.map((i) => (i.instalment ? `${i.number}/${i.instalment}` : i.number));
  const reminded = plan.items
    .filter((i) => i.newLevel !== null)
    .map((i) => {
      const ci = r.built.ctx.invoices.find((x) => x.number === i.number && x.instalment === i.instalment);
      return { documentId: i.documentId, instalment: i.instalment, level: i.newLevel!, penalty: ci?.penalty ?? null, indemnity: ci?.indemnity ?? null };
    });
  const primary: Channel | null = r.channels.includes('letter') ? 'letter' : r.channels.includes('email') ? 'email' : r.channels.includes('handover') ? 'handover' : r.channels.includes('call') ? 'call' : null;
  return {
    r,
    invoices,
    reminded,
    base: { clientId: client.id, level: level.level, asOf, invoices: invoices.join(', '), onDemand },
    stem: `${asOf}-${safeName(client.code)}-${level.level}-${level.template}`,
    primary,
  };
}

/** Step 1, inside write(): record every message of one client as 'sending', before anything leaves. */
function recordClient(db: Db, settings: Settings, sender: Sender, p: Prepared, now: string): Ids {
  const { r, base, stem, primary, reminded } = p;
  const client = r.client;
  const asOf = base.asOf;
  const uniqueFile = (dir: string, name: string, ext: string, id: number) => {
    const f = path.join(dir, `${name}${ext}`);
    return fs.existsSync(f) ? path.join(dir, `${name}-${id}${ext}`) : f;
  };
  const out: Ids = {};
  const mid = () => newMessageId(settings['business.email']);
  if (r.channels.includes('letter') && r.letter) {
    const rec = recordSending(db, { ...base, channel: 'letter', messageId: null, subject: r.letter.subject, text: r.letter.text, html: null, recipient: client.name, filePath: null, reminders: reminded }, now, mid);
    const file = uniqueFile(sender.lettersDir, stem, '.pdf', rec.id);
    setMessageFile(db, rec.id, file);
    out.letter = { ...rec, file };
  }
  if (r.channels.includes('email') && r.email) {
    const rec = recordSending(
      db,
      { ...base, channel: 'email', messageId: '', subject: r.email.subject, text: r.email.text, html: r.email.html, recipient: client.email, filePath: null, copyOf: out.letter?.id ?? null, reminders: primary === 'email' ? reminded : [] },
      now,
      mid,
    );
    const planned = sender.transport.plannedFile(`${stem}-${rec.id}`);
    if (planned) setMessageFile(db, rec.id, planned);
    out.email = { ...rec, file: planned };
  }
  if (r.channels.includes('handover')) {
    const rec = recordSending(db, { ...base, channel: 'handover', messageId: null, subject: `handover ${client.code}`, text: null, html: null, recipient: null, filePath: null, reminders: primary === 'handover' ? reminded : [] }, now, mid);
    const dir = uniqueFile(sender.lettersDir, `${asOf}-${safeName(client.code)}-recouvrement`, '', rec.id);
    setMessageFile(db, rec.id, dir);
    out.handover = { ...rec, file: dir };
  }
  if (primary === 'call') {
    const rec = recordSending(db, { ...base, channel: 'call', messageId: null, subject: null, text: null, html: null, recipient: client.phone, filePath: null, reminders: reminded }, now, mid);
    markDone(db, rec.id, 'written', now);
    out.call = rec;
  }
  return out;
}

/**
 * Step 2: deliver what step 1 recorded, and mark each message. Over SMTP each mark is its own
 * transaction right after the server's answer; with files (outbox, letters), marks may be collected
 * in `pending` and committed together, since a file on disk settles a crash either way.
 */
async function performClient(db: Db, ctx: Context, settings: Settings, sender: Sender, p: Prepared, ids: Ids, report: RunReport, pending: (() => void)[] | null, pdfs: ChunkPdfs): Promise<void> {
  const { r, invoices, base, primary } = p;
  const { plan, client } = r;
  const level = plan.level;
  if (!primary) return;
  const now = () => timestamp(ctx.io.now());
  const commit = (fn: () => void) => (pending ? pending.push(fn) : write(db, fn));
  let primaryOk = true;
  const fail = (channel: Channel, id: number, error: string) => {
    commit(() => markFailed(db, id, error));
    report.outcomes.push({ client: client.code, level: level.level, channel, message: id, status: 'failed', invoices, error });
    report.failed.push({ client: client.code, level: level.level, error: `${channel}: ${error}` });
    if (channel === primary) primaryOk = false;
  };

  // 2. The letter.
  if (ids.letter && r.letter) {
    const file = ids.letter.file!;
    try {
      const { writeLetterPdf, townOf } = await import('../../render/letter-pdf.js');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await writeLetterPdf(file, { ctx: r.built.ctx, subject: r.letter.subject, body: r.letter.body, registered: level.template === 'formal-notice' || /demeure|formal notice/i.test(level.name), town: townOf(r.built.ctx.business.address) });
      crashPoint('after-letter');
      commit(() => markDone(db, ids.letter!.id, 'written', now()));
      report.outcomes.push({ client: client.code, level: level.level, channel: 'letter', message: ids.letter.id, status: 'written', invoices, file, subject: r.letter.subject, recipient: client.name });
    } catch (err) {
      fail('letter', ids.letter.id, (err as Error).message);
    }
  }

  // 3. The email (or the email copy of the letter).
  if (ids.email && r.email) {
    let attachments: OutgoingEmail['attachments'] = [];
    let res: Awaited<ReturnType<Transport['send']>>;
    try {
      attachments = invoiceAttachments(p, pdfs);
      res = await sender.transport.send(emailOf(settings, client.email!, r.email.subject, r.email.text, r.email.html, ids.email.messageId!, level.level, attachments), ids.email.file ?? null);
    } catch (err) {
      res = { ok: false, error: `cannot attach the invoice PDFs: ${(err as Error).message}` };
    }
    if (res.ok) {
      crashPoint(sender.transport.kind === 'smtp' ? 'after-smtp' : 'after-outbox');
      const status = sender.transport.kind === 'smtp' ? 'sent' : 'written';
      if (sender.transport.kind === 'smtp') write(db, () => markDone(db, ids.email!.id, status, now()));
      else commit(() => markDone(db, ids.email!.id, status, now()));
      report.outcomes.push({
        client: client.code,
        level: level.level,
        channel: 'email',
        message: ids.email.id,
        status: sender.transport.kind === 'smtp' ? 'sent' : 'written',
        invoices,
        file: res.file,
        recipient: client.email,
        subject: r.email.subject,
      });
    } else {
      fail('email', ids.email.id, res.error);
    }
  }

  // 4. The handover: collection file, then stop work, in the transaction that marks it written.
  if (ids.handover) {
    const dir = ids.handover.file!;
    try {
      const input = collectionInput(db, client, r, dir, pdfs);
      const { writeCollection } = await import('../../render/collection.js');
      await writeCollection(dir, input);
      crashPoint('after-handover');
      commit(() => {
        markDone(db, ids.handover!.id, 'written', now());
        setStopWork(db, client.id);
      });
      report.outcomes.push({ client: client.code, level: level.level, channel: 'handover', message: ids.handover.id, status: 'written', invoices, file: dir });
    } catch (err) {
      fail('handover', ids.handover.id, (err as Error).message);
    }
  }

  // 5. A call to make, once the reminder it goes with is out.
  if ((r.channels.includes('call') && primary !== 'call' && primaryOk) || ids.call) {
    if (!ids.call) {
      commit(() => {
        const rec = recordSending(db, { ...base, channel: 'call', messageId: null, subject: null, text: null, html: null, recipient: client.phone, filePath: null, reminders: [] }, now(), () => '');
        markDone(db, rec.id, 'written', now());
      });
    }
    report.calls.push({ client: client.code, name: client.name, phone: client.phone, level: level.level, invoices });
  }
}

/**
 * Record and deliver every rendered message. Over SMTP one client at a time: recorded, sent, marked.
 * To the outbox, clients go in batches of 500 (one transaction records a batch, files are written,
 * one transaction marks them): exactly once all the same, because a crash in between is settled
 * by looking at the files, and 10k messages do not cost 20k transactions.
 */
async function deliverAll(db: Db, ctx: Context, settings: Settings, sender: Sender, rendered: Rendered[], asOf: IsoDate, onDemand: boolean, report: RunReport): Promise<void> {
  const size = sender.transport.kind === 'outbox' ? 500 : 1;
  let n = 0;
  // Ctrl-C or a SIGTERM from cron: finish the message in hand, record it, release the lock, stop.
  let stop: string | null = null;
  let recordedUpTo = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    stop = sig;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
  for (let i = 0; i < rendered.length && !stop; i += size) {
    const chunk = rendered.slice(i, i + size).map((r) => prepare(r, asOf, onDemand));
    // The invoices' PDFs: stored ones read, missing ones rendered once and frozen in the same
    // transaction that records the messages, so what leaves is what the ledger keeps.
    const pdfs = await chunkPdfs(db, settings, chunk);
    const now = timestamp(ctx.io.now());
    const ids = write(db, () => {
      for (const [id, bytes] of pdfs.fresh) pdfs.bytes.set(id, storePdf(db, id, bytes, asOf));
      return chunk.map((p) => recordClient(db, settings, sender, p, now));
    });
    recordedUpTo = i + chunk.length;
    crashPoint('after-record');
    const pending: (() => void)[] | null = size > 1 ? [] : null;
    for (let j = 0; j < chunk.length; j++) {
      if (stop) {
        // Recorded but not attempted: failed, so the next run makes them again (same Message-ID).
        const left = Object.values(ids[j]!).filter((x) => x && x.id);
        const mark = () => left.forEach((x) => markFailed(db, x!.id, `not attempted: the run was stopped by ${stop}`));
        if (pending) pending.push(mark);
        else write(db, mark);
        report.failed.push({ client: chunk[j]!.r.client.code, level: chunk[j]!.r.plan.level.level, error: `not attempted: the run was stopped by ${stop}; the next run sends it` });
        continue;
      }
      progress(ctx, `[${++n}/${rendered.length}] ${chunk[j]!.r.client.code}`);
      await performClient(db, ctx, settings, sender, chunk[j]!, ids[j]!, report, pending, pdfs);
    }
    if (pending && pending.length > 0) write(db, () => pending.forEach((fn) => fn()));
  }
  if (stop) {
    for (const r of rendered.slice(recordedUpTo)) report.failed.push({ client: r.client.code, level: r.plan.level.level, error: `not attempted: the run was stopped by ${stop}; the next run sends it` });
  }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  progress(ctx, null);
}

interface ChunkPdfs {
  /** document id -> the PDF bytes (stored, or rendered for this run) */
  bytes: Map<number, Buffer>;
  /** rendered in this run and not stored yet: stored when the chunk is recorded */
  fresh: Map<number, Buffer>;
  /** document id -> why its PDF could not be made (that client's email fails, the others go) */
  errors: Map<number, string>;
}

/** Whether a message carries the invoices' PDFs: an email when the policy attaches them, a collection file always. */
function needsPdfs(p: Prepared): boolean {
  return (p.r.channels.includes('email') && p.r.plan.policy.attachInvoices) || p.r.channels.includes('handover');
}

/**
 * The PDFs of the invoices the messages of a chunk carry: one query for the stored ones, and a render
 * (pdfkit loaded only then) for each invoice issued before PDFs were stored, once per run.
 */
async function chunkPdfs(db: Db, settings: Settings, chunk: Prepared[]): Promise<ChunkPdfs> {
  const clientOf = new Map<number, Client>();
  for (const p of chunk) for (const i of p.r.plan.items) clientOf.set(i.documentId, p.r.client);
  const want = new Set<number>();
  for (const p of chunk) if (needsPdfs(p)) for (const i of p.r.plan.items) want.add(i.documentId);
  const out: ChunkPdfs = { bytes: want.size > 0 ? storedPdfs(db, [...want]) : new Map(), fresh: new Map(), errors: new Map() };
  let render: typeof import('./invoice.js').renderPdfBytes | null = null;
  for (const id of want) {
    if (out.bytes.has(id)) continue;
    const d = documentById(db, id);
    if (!d) continue;
    try {
      render ??= (await import('./invoice.js')).renderPdfBytes;
      const bytes = await render(db, d, { settings, client: clientOf.get(id) });
      out.bytes.set(id, bytes);
      if (freezesPdf(d)) out.fresh.set(id, bytes);
    } catch (err) {
      out.errors.set(id, (err as Error).message);
    }
  }
  return out;
}

/** The PDF of each invoice a message lists, when the policy says so. */
function invoiceAttachments(p: Prepared, pdfs: ChunkPdfs): OutgoingEmail['attachments'] {
  if (!p.r.plan.policy.attachInvoices) return [];
  return invoicePdfFiles(p.r, pdfs).map((f) => ({ ...f, contentType: 'application/pdf' }));
}

function invoicePdfFiles(r: Rendered, pdfs: ChunkPdfs): { filename: string; content: Buffer }[] {
  const out: { filename: string; content: Buffer }[] = [];
  const seen = new Set<number>();
  for (const i of r.plan.items) {
    if (seen.has(i.documentId)) continue;
    seen.add(i.documentId);
    const error = pdfs.errors.get(i.documentId);
    if (error) throw new Error(`${i.number}: ${error}`);
    const content = pdfs.bytes.get(i.documentId);
    if (content) out.push({ filename: `${safeName(i.number)}.pdf`, content });
  }
  return out;
}

function collectionInput(db: Db, client: Client, r: Rendered, dir: string, pdfs: ChunkPdfs) {
  const history = clientReminderHistory(db, client.id);
  const letters = [...new Set(history.filter((h) => h.channel === 'letter' && h.file_path && h.status === 'written').map((h) => h.file_path!))];
  const penalties = [...r.built.penalties.entries()].map(([docId, p]) => {
    const item = r.plan.items.find((i) => i.documentId === docId)!;
    return {
      number: item.number,
      rule: p.rule,
      lines: p.lines.map((l) => ({ from: l.from, to: l.to, days: l.days, base: l.base, rateBp: l.rateBp, amount: l.amount })),
      interest: p.interest,
      indemnity: p.indemnity,
      currency: item.currency,
    };
  });
  void dir;
  return {
    ctx: r.built.ctx,
    penalties,
    history: history.map((h) => ({ date: h.date, level: h.level, channel: h.channel, status: h.status, subject: h.subject, number: h.number })),
    contacts: clientContacts(db, client.id).map((c) => ({ at: c.at, channel: c.channel, withWhom: c.with_whom, outcome: c.outcome, promiseDate: c.promise_date, promiseAmount: c.promise_amount })),
    letters,
    invoicePdfs: invoicePdfFiles(r, pdfs),
  };
}

/** Resend email copies of letters that failed (the letter itself went out, so the level is reached). */
async function retryFailedCopies(db: Db, ctx: Context, settings: Settings, sender: Sender, report: RunReport, failed: MessageRow[]): Promise<void> {
  for (const m of failed) {
    const res = await sender.transport.send(emailOf(settings, m.recipient!, m.subject!, m.body_text!, m.body_html ?? '', m.message_id!, m.level), sender.transport.plannedFile(`${m.as_of}-${safeName(m.client_code)}-${m.level}-copy-${m.id}`));
    if (res.ok) {
      write(db, () => markDone(db, m.id, sender.transport.kind === 'smtp' ? 'sent' : 'written', timestamp(ctx.io.now())));
      report.outcomes.push({ client: m.client_code, level: m.level, channel: 'email', message: m.id, status: sender.transport.kind === 'smtp' ? 'sent' : 'written', invoices: (m.invoices ?? '').split(', '), file: res.file, recipient: m.recipient, subject: m.subject });
    } else {
      write(db, () => markCopyFailed(db, m.id, res.error));
      report.failed.push({ client: m.client_code, level: m.level, error: `email copy #${m.id}: ${res.error}` });
    }
  }
}

function lockWaitMs(ctx: Context, wait: string | undefined): number {
  if (wait !== undefined) return validate(z.coerce.number('seconds').check(z.minimum(0, 'at least 0'), z.maximum(3600, 'at most 3600')), wait, '--wait') * 1000;
  const env = ctx.io.env.RELANCE_LOCK_WAIT_MS;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : 30_000;
}

interface Planned {
  plan: Plan;
  receivables: Map<number, Receivable>;
  policy: Policy;
}

function planDue(db: Db, asOf: IsoDate, clientId: number | undefined): Planned {
  const policy = getPolicy(db);
  const clients = loadClientStates(db, policy);
  const { items, byId } = loadOpenItems(db, asOf, clientId);
  const clientPolicies = new Map<number, Policy>();
  for (const c of clients) if (c.policy) clientPolicies.set(c.id, c.policy);
  const plan = planReminders({
    asOf,
    items,
    reminders: loadReminderStates(db),
    clients,
    promises: loadPromises(db, asOf),
    policy,
    clientPolicies,
    clientId,
  });
  return { plan, receivables: byId, policy };
}

/**
 * Render every planned message; a template or rate error fails that client only. A dry run renders
 * the HTML part once per language and template (enough to catch an unknown variable: every message
 * of a template sees the same variables) and the plain text of every message.
 */
function renderAll(db: Db, settings: Settings, templates: Templates, plans: ClientPlan[], receivables: Map<number, Receivable>, asOf: IsoDate, report: RunReport, dryRun = false): Rendered[] {
  const out: Rendered[] = [];
  const clients = clientsById(db);
  const linkOf = paymentLinks(db, settings['payment_link.pattern']);
  const htmlDone = new Set<string>();
  for (const plan of plans) {
    const client = clients.get(plan.clientId)!;
    const { channels, missing } = usableChannels(plan, client);
    const messaging = channels.filter((c) => c === 'email' || c === 'letter');
    if (plan.level.channels.some((c) => c === 'email' || c === 'letter') && messaging.length === 0) {
      report.failed.push({ client: client.code, level: plan.level.level, error: missing.join('; ') });
      continue;
    }
    try {
      const built = buildContext(db, settings, client, plan, receivables, asOf, linkOf);
      const key = `${client.lang}/${plan.level.template}`;
      const html = !dryRun || !htmlDone.has(key);
      htmlDone.add(key);
      out.push(render(templates, { plan, client, built, channels, missing }, html));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      report.failed.push({ client: client.code, level: plan.level.level, error: err.message });
    }
  }
  return out;
}

function emptyReport(asOf: IsoDate, dryRun: boolean): RunReport {
  return { asOf, dryRun, transport: null, outcomes: [], calls: [], skipped: [], uncertain: [], settled: [], failed: [], lockNote: null };
}

async function runDue(ctx: Context, o: RemindOptions, print: (ctx: Context, r: RunReport) => void = printReport): Promise<number> {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const clientId = o.client ? requireClient(db, o.client).id : undefined;
  const settings = getSettings(db);
  const report = emptyReport(asOf, Boolean(o.dryRun));

  if (o.dryRun) {
    const { plan, receivables } = planDue(db, asOf, clientId);
    report.skipped = plan.skipped;
    report.rules = plan.clients.map(ruleSummary);
    for (const m of sendingMessages(db)) report.uncertain.push({ message: m.id, client: m.client_code, level: m.level, channel: m.channel, messageId: m.message_id, since: m.created_at });
    const templates = plan.clients.length > 0 ? await loadTemplatesFor(ctx, settings) : null;
    const rendered = templates ? renderAll(db, settings, templates, plan.clients, receivables, asOf, report, true) : [];
    for (const r of rendered) {
      for (const ch of r.channels) {
        report.outcomes.push({
          client: r.client.code,
          level: r.plan.level.level,
          channel: ch,
          message: null,
          status: 'planned',
          invoices: r.plan.items.map((i) => (i.instalment ? `${i.number}/${i.instalment}` : i.number)),
          recipient: ch === 'email' ? r.client.email : ch === 'call' ? r.client.phone : r.client.name,
          subject: ch === 'email' ? r.email?.subject : ch === 'letter' ? r.letter?.subject : null,
        });
      }
      if (r.channels.includes('call')) report.calls.push({ client: r.client.code, name: r.client.name, phone: r.client.phone, level: r.plan.level.level, invoices: r.plan.items.map((i) => i.number) });
    }
    print(ctx, report);
    return report.failed.length > 0 ? 1 : 0;
  }

  const lock = await acquireLock(db, 'remind', { waitMs: lockWaitMs(ctx, o.wait), now: () => timestamp(ctx.io.now()) });
  report.lockNote = lock.tookOver;
  let transport: Transport | null = null;
  try {
    const left = settleLeftovers(db, timestamp(ctx.io.now()));
    report.uncertain = left.uncertain;
    report.settled = left.settled;
    const { plan, receivables } = planDue(db, asOf, clientId);
    report.skipped = plan.skipped;
    report.rules = plan.clients.map(ruleSummary);
    const copies = failedCopies(db);
    if (plan.clients.length > 0 || copies.length > 0) {
      const templates = await loadTemplatesFor(ctx, settings);
      const rendered = renderAll(db, settings, templates, plan.clients, receivables, asOf, report);
      transport = await openTransport(ctx, settings);
      report.transport = transport.describe;
      const sender: Sender = { transport, lettersDir: ledgerFolder(ctx.ledgerPath().file, settings['paths.letters'], 'letters') };
      if (copies.length > 0) await retryFailedCopies(db, ctx, settings, sender, report, copies);
      await deliverAll(db, ctx, settings, sender, rendered, asOf, false, report);
    }
  } finally {
    transport?.close();
    lock.release();
  }
  print(ctx, report);
  // An uncertain message needs a person: cron sees exit 1 until it is resolved.
  return report.failed.length > 0 || report.uncertain.length > 0 ? 1 : 0;
}

async function runOnDemand(ctx: Context, invoice: string | undefined, o: RemindOptions): Promise<number> {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const settings = getSettings(db);
  let client: Client;
  let documentId: number | undefined;
  if (invoice) {
    const doc = findDocumentByNumber(db, invoice);
    if (!doc || !['invoice', 'deposit', 'final', 'penalty'].includes(doc.kind)) throw new UsageError(`unknown invoice "${invoice}"; see the numbers with "relance invoice list"`);
    documentId = doc.id;
    client = clientById(db, doc.client_id);
    if (o.client && requireClient(db, o.client).id !== client.id) throw new UsageError(`invoice ${invoice} belongs to client ${client.code}, not ${o.client}; drop --client or fix it`);
  } else {
    client = requireClient(db, o.client!);
  }
  const policy = loadClientStates(db, getPolicy(db)).find((c) => c.id === client.id)?.policy ?? getPolicy(db);
  const { items, byId } = loadOpenItems(db, asOf, client.id);
  const states = loadReminderStates(db);
  let levelNumber: number;
  if (o.level !== undefined) levelNumber = validate(LEVEL, o.level, '--level');
  else if (documentId !== undefined) {
    const reached = Math.max(-1, ...states.filter((s) => s.documentId === documentId).map((s) => s.level));
    const next = policy.levels.find((l) => l.level > reached && l.offsetDays >= 0);
    if (!next) throw new UsageError(`invoice ${invoice} has reached every level of the policy; see "relance remind list --client ${client.code}"`);
    levelNumber = next.level;
  } else throw new UsageError('remind --client needs --level N (or give an invoice number); see "relance policy show" for the levels');
  const target = documentId === undefined ? items : items.filter((i) => i.documentId === documentId || i.dueDate < asOf);
  if (documentId !== undefined && !items.some((i) => i.documentId === documentId)) {
    throw new UsageError(`invoice ${invoice} has nothing left to pay as of ${asOf} (or is not issued); nothing to remind`);
  }
  const uncertain = states.find((s) => s.uncertainMessageId !== null && target.some((i) => i.documentId === s.documentId));
  if (uncertain) throw new UsageError(`message #${uncertain.uncertainMessageId} to this client may or may not have gone out; settle it first with "relance remind --resolve ${uncertain.uncertainMessageId} --sent|--retry"`);
  const plan = planOnDemand(client.id, client.code, target, states, policy, levelNumber, asOf, documentId);
  if (plan.items.length === 0) throw new UsageError(`client ${client.code} has no open invoice that is due or disputed-free as of ${asOf}; nothing to remind`);
  if (!plan.items.some((i) => i.newLevel !== null)) {
    throw new UsageError(`level ${levelNumber} was already reached for ${invoice ?? `every open invoice of ${client.code}`}; a level is sent once per invoice (see "relance remind list --client ${client.code}")`);
  }
  const report = emptyReport(asOf, Boolean(o.dryRun));
  report.rules = [ruleSummary(plan)];
  const settingsTemplates = await loadTemplatesFor(ctx, settings);
  const rendered = renderAll(db, settings, settingsTemplates, [plan], byId, asOf, report);
  if (o.dryRun || rendered.length === 0) {
    for (const r of rendered) for (const ch of r.channels) report.outcomes.push({ client: client.code, level: levelNumber, channel: ch, message: null, status: 'planned', invoices: plan.items.map((i) => i.number), subject: ch === 'email' ? r.email?.subject : r.letter?.subject ?? null });
    printReport(ctx, report);
    return report.failed.length > 0 ? 1 : 0;
  }
  const lock = await acquireLock(db, 'remind', { waitMs: lockWaitMs(ctx, o.wait), now: () => timestamp(ctx.io.now()) });
  let transport: Transport | null = null;
  try {
    transport = await openTransport(ctx, settings);
    report.transport = transport.describe;
    await deliverAll(db, ctx, settings, { transport, lettersDir: ledgerFolder(ctx.ledgerPath().file, settings['paths.letters'], 'letters') }, rendered, asOf, true, report);
  } finally {
    transport?.close();
    lock.release();
  }
  printReport(ctx, report);
  return report.failed.length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Printing

const REASONS: Record<string, string> = {
  paid: 'paid',
  disputed: 'disputed',
  'stop-work': 'stop work',
  paused: 'paused',
  promise: 'promise to pay',
  'below-minimum': 'below minimum',
  uncertain: 'uncertain message',
  'all-levels-reached': 'all levels reached',
  'min-interval': 'minimum interval',
  'stronger-level': 'stronger level',
};

function reportJson(r: RunReport) {
  return {
    asOf: r.asOf,
    dryRun: r.dryRun,
    transport: r.transport,
    messages: r.outcomes,
    sent: r.outcomes.filter((o) => o.status === 'sent').length,
    outbox: r.outcomes.filter((o) => o.status === 'written' && o.channel === 'email').length,
    letters: r.outcomes.filter((o) => o.status === 'written' && o.channel === 'letter').map((o) => ({ client: o.client, level: o.level, file: o.file, message: o.message })),
    handovers: r.outcomes.filter((o) => o.status === 'written' && o.channel === 'handover').map((o) => ({ client: o.client, file: o.file })),
    calls: r.calls,
    skipped: r.skipped.map((s) => ({ invoice: s.item.number, instalment: s.item.instalment, clientId: s.item.clientId, balance: centsToDecimal(s.item.balance), reason: s.reason, detail: s.detail })),
    uncertain: r.uncertain,
    settled: r.settled,
    failed: r.failed,
    rules: r.rules ?? [],
  };
}

/** A list for a summary line: the first ten, then how many more. */
function few(items: string[], n = 10): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more; see "relance remind list"`;
}

function printReport(ctx: Context, r: RunReport): void {
  if (ctx.json) return printJson(ctx.io, reportJson(r));
  if (ctx.quiet && nothingHappened(r)) return; // cron: nothing printed when nothing happened
  const io = ctx.io;
  const out = (s: string) => io.out(s + '\n');
  const codeOf = new Map<number, string>();
  const db = ctx.db();
  const clientCode = (id: number) => {
    let c = codeOf.get(id);
    if (!c) codeOf.set(id, (c = clientById(db, id).code));
    return c;
  };
  if (r.lockNote && !ctx.quiet) io.err(`note: ${r.lockNote}\n`);
  if (!ctx.quiet) {
    for (const s of r.settled.slice(0, 5)) io.err(`note: message #${s.message} ${s.status}: ${s.why}\n`);
    if (r.settled.length > 5) io.err(`note: and ${r.settled.length - 5} more messages a crashed run left sending were settled the same way (see "relance remind list")\n`);
  }
  if (r.dryRun) {
    out(`Dry run as of ${r.asOf}: nothing is sent or recorded.`);
    const planned = r.outcomes.filter((o) => o.status === 'planned');
    if (planned.length === 0) out('No reminder is due.');
    else printTable(io, ['client', 'level', 'channel', 'to', 'invoices', 'subject'], planned.map((o) => [o.client, o.level, o.channel, o.recipient ?? '', few(o.invoices, 4).replace(/; see .*$/, ''), o.subject ?? '']));
    for (const l of r.rules ?? []) out(`  rule: ${l.text}`);
  } else {
    const sent = r.outcomes.filter((o) => o.status === 'sent' && o.channel === 'email');
    const outbox = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'email');
    const letters = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'letter');
    const handovers = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'handover');
    out(`Reminders as of ${r.asOf}${r.transport ? ` (${r.transport})` : ''}:`);
    out(`  sent: ${sent.length}${sent.length ? ` (${few(sent.map((o) => `${o.client} level ${o.level}`))})` : ''}`);
    out(`  written to the outbox: ${outbox.length}${outbox.length ? ` (${few(outbox.map((o) => path.basename(o.file ?? '')))})` : ''}`);
    out(`  letters to post: ${letters.length}`);
    for (const l of letters) out(`    ${l.file}${l.level >= 3 ? ' (lettre recommandée avec accusé de réception)' : ''}`);
    if (handovers.length) {
      out(`  handed over for collection: ${handovers.length}`);
      for (const h of handovers) out(`    ${h.client}: ${h.file} (client put on stop work)`);
    }
  }
  out(`  calls to make: ${r.calls.length}`);
  for (const c of r.calls) out(`    ${c.client} (${c.name})${c.phone ? ` ${c.phone}` : ''}: level ${c.level}, ${c.invoices.join(', ')}`);
  out(`  skipped: ${r.skipped.length}`);
  if (r.skipped.length > 0 && (r.dryRun || r.skipped.length <= 50)) {
    printTable(io, ['invoice', 'client', 'balance', 'reason', 'detail'], r.skipped.map((s) => [s.item.instalment ? `${s.item.number}/${s.item.instalment}` : s.item.number, clientCode(s.item.clientId), formatMoney(s.item.balance, s.item.currency, 'en'), REASONS[s.reason] ?? s.reason, s.detail]));
  }
  if (r.uncertain.length) {
    out(`  uncertain (a crashed run handed these to the SMTP server; not resent): ${r.uncertain.length}`);
    for (const u of r.uncertain) out(`    message #${u.message} to ${u.client}, level ${u.level}, ${u.messageId ?? ''} since ${u.since}: check the mailbox, then "relance remind --resolve ${u.message} --sent" or "--retry"`);
  }
  out(`  failed: ${r.failed.length}`);
  for (const f of r.failed) out(`    ${f.client}${f.level !== null ? ` level ${f.level}` : ''}: ${f.error}`);
  if (r.failed.length && !r.dryRun) io.err(`relance: ${r.failed.length} reminder(s) failed; they are kept as failed and the next "relance remind --due" retries them\n`);
  else if (r.failed.length) io.err(`relance: ${r.failed.length} planned message(s) cannot be made; fix them before the real run\n`);
}

function messageJson(m: MessageRow, reminders: ReturnType<typeof remindersOfMessage>) {
  return {
    id: m.id,
    client: m.client_code,
    level: m.level,
    channel: m.channel,
    status: m.status,
    messageId: m.message_id,
    asOf: m.as_of,
    recipient: m.recipient,
    subject: m.subject,
    invoices: m.invoices ? m.invoices.split(', ') : [],
    file: m.file_path,
    copyOf: m.copy_of,
    onDemand: m.on_demand === 1,
    error: m.error,
    attempts: m.attempts,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    reminders: reminders.map((r) => ({ invoice: r.number, instalment: r.instalment, level: r.level, date: r.date, penalty: r.penalty === null ? null : centsToDecimal(r.penalty), indemnity: r.indemnity === null ? null : centsToDecimal(r.indemnity) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Registration

/**
 * "remind" itself has --client, --level and --as-of, and commander gives an option to the first
 * command that knows it: a subcommand reads them from its parent too.
 */
function withParent<T extends object>(own: T, cmd: Command): T & { client?: string; level?: string; asOf?: string } {
  const parent = (cmd.parent?.opts() ?? {}) as { client?: string; level?: string; asOf?: string };
  const merged = { ...own } as T & { client?: string; level?: string; asOf?: string };
  for (const k of ['client', 'level', 'asOf'] as const) if (merged[k] === undefined && parent[k] !== undefined) merged[k] = parent[k];
  return merged;
}

export function registerRemind(program: Command, app: App): void {
  const remind = program
    .command('remind')
    .description('plan and send reminders by level, exactly once (email, outbox, letters, calls, handover)')
    .summary('send the reminders due, exactly once')
    .argument('[invoice]', 'remind this invoice now (on demand), at its next level or --level N')
    .option('--due', 'send every reminder the policy says is due (the nightly cron job)')
    .option('--as-of <date>', 'run as of this date (YYYY-MM-DD) instead of today')
    .option('--dry-run', 'list the planned messages and the skipped invoices with reasons; change nothing')
    .option('--client <code>', 'only this client (with --due), or remind this client on demand (with --level)')
    .option('--level <n>', 'on demand: the policy level to send')
    .option('--resolve <id>', 'settle a message left "sending" by a crashed run (with --sent or --retry)')
    .option('--sent', 'with --resolve: it did go out (you found it in the mailbox)')
    .option('--retry', 'with --resolve: it did not go out; the next run sends it again with the same Message-ID')
    .option('--wait <seconds>', 'how long to wait for another remind run to finish before exit 3 (default 30)')
    .option('--all', 'with --due: every ledger of the registry, one after the other; a ledger that fails is reported by name')
    .option('--log <file>', 'with --due: append one JSON line per ledger and run to this file (cron)')
    .action(
      app.act(async (ctx, invoice: string | undefined, o: RemindOptions) => {
        if (o.resolve !== undefined) return resolve(ctx, o);
        if (o.sent || o.retry) throw new UsageError('--sent and --retry go with --resolve ID; e.g. relance remind --resolve 12 --sent');
        if (!o.due && (o.all || o.log !== undefined)) throw new UsageError('--all and --log go with --due (the nightly run); e.g. relance remind --due --all --quiet --log remind.log');
        if (o.due) {
          if (invoice) throw new UsageError(`--due runs the whole policy; drop "${invoice}", or remind it on demand without --due`);
          if (o.level !== undefined) throw new UsageError('--level is for on-demand reminders; --due follows the policy');
          if (o.all || o.log !== undefined) return remindDue(ctx, o, { run: (sub, print) => runDue(sub, o, print), printReport, reportJson, reasons: REASONS });
          return runDue(ctx, o);
        }
        if (invoice || (o.client && o.level !== undefined)) return runOnDemand(ctx, invoice, o);
        if (o.client) throw new UsageError(`remind --client ${o.client} needs --level N (on demand) or --due (what the policy says); see "relance remind --help"`);
        throw new UsageError('say what to remind: --due, an invoice number, or --client C --level N; see "relance remind --help"');
      }),
    );
  examples(remind, [
    'relance remind --due                          # the nightly job: everything the policy says is due today',
    'relance remind --due --dry-run --as-of 2026-04-15',
    'relance remind --due --client ACME --json',
    'relance remind F-2026-0012                    # on demand: its next level now',
    'relance remind --client ACME --level 3        # on demand: a formal notice for every overdue invoice of ACME',
    'relance remind --resolve 42 --sent            # a crashed run left message 42 "sending"; it did go out',
  ]);

  examples(
    remind
      .command('list')
      .description('list the messages recorded (sent, written, failed, sending)')
      .option('--client <code>', 'only this client')
      .option('--since <date>', 'only messages from this date on')
      .action(
        app.act((ctx, own: { client?: string; since?: string }, cmd: Command) => {
          const o = withParent(own, cmd);
          const db = ctx.db();
          const clientId = o.client ? requireClient(db, o.client).id : undefined;
          const since = o.since ? parseDate(o.since, '--since') : undefined;
          const rows = listMessages(db, { clientId, since });
          if (ctx.json) return printJson(ctx.io, rows.map((m) => messageJson(m, remindersOfMessage(db, m.id))));
          if (rows.length === 0) {
            ctx.io.err('no reminders recorded yet; see what is due with "relance remind --due --dry-run"\n');
            return;
          }
          printTable(
            ctx.io,
            ['id', 'date', 'client', 'level', 'channel', 'status', 'invoices', 'to / file'],
            rows.map((m) => [m.id, m.as_of, m.client_code, m.level, m.channel + (m.copy_of ? ' (copy)' : ''), m.status + (m.error ? ` (${m.error.slice(0, 40)})` : ''), m.invoices, m.file_path ? path.basename(m.file_path) : m.recipient]),
          );
        }),
      ),
    ['relance remind list', 'relance remind list --client ACME --since 2026-01-01', 'relance remind list --json'],
  );

  examples(
    remind
      .command('show')
      .argument('<id>', 'message id (see "relance remind list")')
      .description('show one message: the exact text that went out')
      .action(
        app.act((ctx, idText: string) => {
          const db = ctx.db();
          const id = validate(ID, idText, 'message id');
          const m = getMessage(db, id);
          if (!m) throw new UsageError(`no message #${id}; see the ids with "relance remind list"`);
          const reminders = remindersOfMessage(db, id);
          if (ctx.json) return printJson(ctx.io, { ...messageJson(m, reminders), text: m.body_text, html: m.body_html });
          printFields(ctx.io, [
            ['message', `#${m.id}`],
            ['client', m.client_code],
            ['level', String(m.level)],
            ['channel', m.channel + (m.copy_of ? ` (copy of letter #${m.copy_of})` : '')],
            ['status', m.status],
            ['date', m.as_of],
            ['to', m.recipient],
            ['Message-ID', m.message_id],
            ['file', m.file_path],
            ['invoices', m.invoices],
            ['error', m.error],
            ['subject', m.subject],
          ]);
          if (m.body_text) ctx.io.out(`\n${m.body_text}`);
        }),
      ),
    ['relance remind show 12', 'relance remind show 12 --json'],
  );

  examples(
    remind
      .command('preview')
      .description('render a level\'s template for a client, without recording or sending anything')
      .option('--level <n>', 'policy level (required)')
      .option('--client <code>', 'client whose open invoices fill the template (required)')
      .option('--channel <channel>', 'email or letter (default: the level\'s first)')
      .option('--html', 'print the HTML part instead of the plain text')
      .option('--as-of <date>', 'render as of this date')
      .action(
        app.act(async (ctx, own: { level?: string; client?: string; channel?: string; html?: boolean; asOf?: string }, cmd: Command) => {
          const o = withParent(own, cmd);
          if (o.level === undefined || o.client === undefined) throw new UsageError('remind preview needs --level N and --client CODE; e.g. relance remind preview --level 1 --client ACME');
          const db = ctx.db();
          const level = validate(LEVEL, o.level, '--level');
          const client = requireClient(db, o.client);
          const asOf = ctx.asOf(o.asOf);
          const policy = loadClientStates(db, getPolicy(db)).find((c) => c.id === client.id)?.policy ?? getPolicy(db);
          const { items, byId } = loadOpenItems(db, asOf, client.id);
          const plan = planOnDemand(client.id, client.code, items, [], policy, level, asOf);
          if (plan.items.length === 0) throw new UsageError(`client ${client.code} has no open invoice as of ${asOf}; preview needs one to fill the template (try another --client or --as-of)`);
          const channel = o.channel ? validate(z.enum(['email', 'letter'], 'email or letter'), o.channel, '--channel') : plan.level.channels.includes('email') ? 'email' : 'letter';
          const settings = getSettings(db);
          const templates = await loadTemplatesFor(ctx, settings);
          const built = buildContext(db, settings, client, plan, byId, asOf, paymentLinks(db, settings['payment_link.pattern']));
          const file = templates.locate(client.lang, channel, plan.level.template);
          if (channel === 'email') {
            const e = templates.email(client.lang, plan.level.template, built.ctx);
            if (ctx.json) return printJson(ctx.io, { template: file, subject: e.subject, text: e.text, html: e.html });
            ctx.io.out(`Template: ${file}\nSubject: ${e.subject}\n\n${o.html ? e.html : e.text}`);
          } else {
            const l = templates.letter(client.lang, plan.level.template, built.ctx);
            if (ctx.json) return printJson(ctx.io, { template: file, subject: l.subject, text: l.text });
            ctx.io.out(`Template: ${file}\nSubject: ${l.subject}\n\n${l.text}`);
          }
        }),
      ),
    ['relance remind preview --level 1 --client ACME', 'relance remind preview --level 3 --client ACME --channel letter --as-of 2026-05-02', 'relance remind preview --level 2 --client ACME --html'],
  );
}

async function resolve(ctx: Context, o: RemindOptions): Promise<number> {
  const db = ctx.db();
  const id = validate(ID, o.resolve, '--resolve');
  if (Boolean(o.sent) === Boolean(o.retry)) throw new UsageError('--resolve needs exactly one of --sent (it went out) or --retry (send it again on the next run)');
  const m = getMessage(db, id);
  if (!m) throw new UsageError(`no message #${id}; see the ids with "relance remind list"`);
  if (m.status !== 'sending') throw new UsageError(`message #${id} is ${m.status}, not sending; only a message left "sending" by a crashed run needs resolving`);
  const now = timestamp(ctx.io.now());
  if (o.sent) {
    write(db, () => {
      markDone(db, id, m.file_path ? 'written' : 'sent', now);
      if (m.channel === 'handover') setStopWork(db, m.client_id);
    });
  } else {
    write(db, () => markForRetry(db, id, 'resolved by hand: not sent; retried by the next run'));
  }
  const after = getMessage(db, id)!;
  if (ctx.json) printJson(ctx.io, messageJson(after, remindersOfMessage(db, id)));
  else if (!ctx.quiet) {
    ctx.io.out(
      o.sent
        ? `Message #${id} to ${m.client_code} marked ${after.status}.\n`
        : `Message #${id} to ${m.client_code} will be sent again by the next "relance remind --due", with the same Message-ID ${m.message_id ?? ''}.\n`,
    );
  }
  return 0;
}

