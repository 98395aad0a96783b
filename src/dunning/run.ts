/**
 * The reminder run (dunning.md), as a module: plan -> build each client's message context -> render
 * -> record -> deliver -> mark, through the delivery engine (src/delivery/). Also the leftovers a
 * crashed run left 'sending', the email copies of letters to retry, the run's lock, its bound (the
 * first SMTP timeout stops the sending) and its abort signal (SIGINT/SIGTERM from the CLI): the
 * message in hand is finished and recorded, the rest is recorded as not attempted for the next run.
 *
 * Inputs: the ledger, the run's clock, a transport (opened from the settings unless given), an
 * abort signal; output: a RunReport. The CLI parses, calls and prints.
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import path from 'node:path';
import type { IsoDate } from '../core/dates.js';
import { planOnDemand, planReminders, ruleSummary, type Channel, type ClientPlan, type Plan, type Policy } from '../core/dunning.js';
import { UsageError } from '../core/errors.js';
import { clientById, requireClient, type Client } from '../store/clients.js';
import { timestamp, write, type Db } from '../store/db.js';
import { storePdf } from '../store/documents.js';
import { currentLogoImage } from '../store/logos.js';
import {
  acquireLock,
  clientsById,
  failedCopies,
  failedMessages,
  findDocumentByNumber,
  getPolicy,
  loadClientStates,
  loadOpenItems,
  loadPromises,
  loadReminderStates,
  markDone,
  markFailed,
  paymentLinks,
  sendingMessages,
  setStopWork,
  type FailedMessages,
  type MessageRow,
  type NewMessage,
  type Receivable,
  type RunLock,
} from '../store/reminders.js';
import { getSettings, type Settings } from '../store/settings.js';
import { outboxTransport, smtpTransport, type Transport } from '../mail/transport.js';
import type { Templates } from '../render/templates.js';
import { crashPoint } from '../system/crash.js';
import { ledgerFolder, makeDir, removeDeadTempFiles, safeName } from '../system/files.js';
import { recordOutgoing, sendRecorded, withReminders, writeRecorded, type Commit, type Delivery, type Recorded } from '../delivery/engine.js';
import { buildContext, earlierReader, earlierReminders, penaltiesFor, usableChannels, type Built } from './context.js';
import { chunkPdfs, collectionInput, invoiceAttachments, isFormalNotice, type ChunkPdfs } from './pdfs.js';
import { emptyReport, type RunReport } from './report.js';

export interface RunInput {
  db: Db;
  /** The ledger's file: the outbox, letters and templates folders are beside it. */
  ledgerFile: string;
  asOf: IsoDate;
  /** The run's clock: recorded times, the lock, the emails' Date header. */
  now: () => Date;
  /** Aborted (reason: the signal's name) on SIGINT/SIGTERM: finish the message in hand, then stop. */
  signal?: AbortSignal;
  /** RELANCE_SMTP_PASSWORD is read from here. */
  env: NodeJS.ProcessEnv;
  /** A transport to use instead of the one the settings say (tests). Not closed by the run. */
  transport?: Transport;
  /** How long to wait for another run's lock before exit 3. */
  lockWaitMs: number;
  /** A line of progress (null: clear it). */
  progress?: (text: string | null) => void;
}

/** The ledger's templates with its override folder (Handlebars loaded lazily). */
export async function loadTemplatesFor(ledgerFile: string, settings: Settings): Promise<Templates> {
  const { loadTemplates } = await import('../render/templates.js');
  return loadTemplates({ overrideDir: ledgerFolder(ledgerFile, settings['paths.templates'], 'templates') });
}

/** The policy one client is dunned by (its override merged into the ledger's). */
export function clientPolicy(db: Db, clientId: number): Policy {
  const ledger = getPolicy(db);
  return loadClientStates(db, ledger).find((c) => c.id === clientId)?.policy ?? ledger;
}

/** The context a client's plan renders with (reads its penalties and payment links). */
export function contextFor(db: Db, settings: Settings, client: Client, plan: ClientPlan, receivables: Map<number, Receivable>, asOf: IsoDate): Built {
  return buildContext(settings, client, plan, penaltiesFor(db, client, plan, receivables, asOf), asOf, paymentLinks(db, settings['payment_link.pattern']), earlierReminders(db, client, plan));
}

function smtpSettings(settings: Settings, env: NodeJS.ProcessEnv) {
  if (!settings['smtp.host']) return null;
  return { host: settings['smtp.host'], port: settings['smtp.port'], secure: settings['smtp.secure'], user: settings['smtp.user'], password: env.RELANCE_SMTP_PASSWORD ?? null, timeoutMs: settings['smtp.timeout_ms'] };
}

async function openTransport(input: RunInput, settings: Settings): Promise<Transport> {
  const smtp = smtpSettings(settings, input.env);
  if (smtp) {
    if (smtp.user && !smtp.password) throw new UsageError(t('dunning.run.err.smtpPassword'));
    return smtpTransport(smtp);
  }
  return outboxTransport(outboxDir(input.ledgerFile, settings));
}

export function outboxDir(ledgerFile: string, settings: Settings): string {
  return ledgerFolder(ledgerFile, settings['paths.outbox'], 'outbox');
}

export function lettersDir(ledgerFile: string, settings: Settings): string {
  return ledgerFolder(ledgerFile, settings['paths.letters'], 'letters');
}

// ---------------------------------------------------------------------------------------------
// Rendering

interface Rendered {
  plan: ClientPlan;
  client: Client;
  built: Built;
  email: { subject: string; text: string; html: string } | null;
  letter: { subject: string; body: string; text: string } | null;
  channels: Channel[];
}

/** A dry run prints the subjects only: the plain text is dropped once rendered (checked), not kept for 2,000 messages. */
const subjectOnly = <T extends { text: string }>(dryRun: boolean, m: T): T => (dryRun ? { ...m, text: '' } : m);

const label = (i: { number: string; instalment: number }) => (i.instalment ? `${i.number}/${i.instalment}` : i.number);

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
  const earlierOf = earlierReader(db, plans);
  for (const plan of plans) {
    const client = clients.get(plan.clientId)!;
    const { channels, missing } = usableChannels(plan, client);
    if (plan.level.channels.some((c) => c === 'email' || c === 'letter') && !channels.some((c) => c === 'email' || c === 'letter')) {
      report.failed.push({ client: client.code, level: plan.level.level, error: missing.join('; ') });
      continue;
    }
    try {
      const built = buildContext(settings, client, plan, penaltiesFor(db, client, plan, receivables, asOf), asOf, linkOf, earlierOf(client, plan));
      const key = `${client.lang}/${plan.level.template}`;
      const html = !dryRun || !htmlDone.has(key);
      htmlDone.add(key);
      const name = plan.level.template;
      out.push({
        plan,
        client,
        built,
        channels,
        email: channels.includes('email') ? subjectOnly(dryRun, templates.email(client.lang, name, built.ctx, { html })) : null,
        letter: channels.includes('letter') ? subjectOnly(dryRun, templates.letter(client.lang, name, built.ctx)) : null,
      });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      report.failed.push({ client: client.code, level: plan.level.level, error: err.message });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Recording and delivering

interface Sender {
  delivery: Delivery;
  settings: Settings;
  lettersDir: string;
  onDemand: boolean;
}

type Ids = Partial<Record<Channel, Recorded>>;

/** The channel whose message carries the reminders: the letter, else the email, the handover, the call. */
function primaryOf(channels: Channel[]): Channel | null {
  return (['letter', 'email', 'handover', 'call'] as const).find((c) => channels.includes(c)) ?? null;
}

function remindedOf(r: Rendered): NewMessage['reminders'] {
  return r.plan.items
    .filter((i) => i.newLevel !== null)
    .map((i) => {
      const ci = r.built.ctx.invoices.find((x) => x.number === i.number && x.instalment === i.instalment);
      return { documentId: i.documentId, instalment: i.instalment, level: i.newLevel!, penalty: ci?.penalty ?? null, indemnity: ci?.indemnity ?? null };
    });
}

function stemOf(r: Rendered, asOf: IsoDate): string {
  return `${asOf}-${safeName(r.client.code)}-${r.plan.level.level}-${r.plan.level.template}`;
}

/** A file name not taken yet: <name><ext>, else <name>-<id><ext>. */
function uniqueFile(dir: string, name: string, ext: string, id: number): string {
  const f = path.join(dir, `${name}${ext}`);
  return fs.existsSync(f) ? path.join(dir, `${name}-${id}${ext}`) : f;
}

/** Step 1, inside write(): record every message of one client as 'sending', before anything leaves. */
function recordClient(s: Sender, r: Rendered, asOf: IsoDate, failed: FailedMessages): Ids {
  const { client, plan } = r;
  const primary = primaryOf(r.channels);
  const reminded = remindedOf(r);
  const d = s.delivery;
  const base = { clientId: client.id, level: plan.level.level, asOf, about: plan.items.map(label).join(', '), onDemand: s.onDemand };
  const carries = (c: Channel) => withReminders(d, asOf, primary === c ? reminded : []);
  const stem = stemOf(r, asOf);
  const out: Ids = {};
  if (r.channels.includes('letter') && r.letter) {
    out.letter = recordOutgoing(d, { ...base, channel: 'letter', subject: r.letter.subject, text: r.letter.text, html: null, recipient: client.name }, { file: (id) => uniqueFile(s.lettersDir, stem, '.pdf', id), attach: carries('letter'), failed });
  }
  if (r.channels.includes('email') && r.email) {
    out.email = recordOutgoing(d, { ...base, channel: 'email', subject: r.email.subject, text: r.email.text, html: r.email.html, recipient: client.email, copyOf: out.letter?.id ?? null }, { outboxName: stem, attach: carries('email'), failed });
  }
  if (r.channels.includes('handover')) {
    out.handover = recordOutgoing(d, { ...base, channel: 'handover', subject: `handover ${client.code}`, text: null, html: null, recipient: null }, { file: (id) => uniqueFile(s.lettersDir, `${asOf}-${safeName(client.code)}-recouvrement`, '', id), attach: carries('handover'), failed });
  }
  if (primary === 'call') {
    out.call = recordOutgoing(d, { ...base, channel: 'call', subject: null, text: null, html: null, recipient: client.phone }, { attach: carries('call'), failed });
    markDone(d.db, out.call.id, 'written', timestamp(d.now()));
  }
  return out;
}

/** Why the run stopped sending: aborted by a signal, or the SMTP server stopped answering. */
interface Stop {
  why: string | null;
}

/**
 * Step 2: deliver what step 1 recorded, and mark each message. Over SMTP each mark is its own
 * transaction right after the server's answer; with files (outbox, letters), marks may be collected
 * in `commit` and committed together, since a file on disk settles a crash either way.
 */
async function performClient(s: Sender, r: Rendered, ids: Ids, report: RunReport, commit: Commit, pdfs: ChunkPdfs, asOf: IsoDate, stop: Stop): Promise<void> {
  const { plan, client } = r;
  const level = plan.level;
  const d = s.delivery;
  const primary = primaryOf(r.channels);
  if (!primary) return;
  const invoices = plan.items.map(label);
  let primaryOk = true;
  const outcome = (channel: Channel, res: { status: 'sent' | 'written' | 'failed' | 'uncertain'; id: number; file: string | null; error?: string }, extra: { subject?: string | null; recipient?: string | null } = {}) => {
    if (res.status === 'failed' || res.status === 'uncertain') {
      report.outcomes.push({ client: client.code, level: level.level, channel, message: res.id, status: res.status, invoices, error: res.error });
      if (res.status === 'failed') report.failed.push({ client: client.code, level: level.level, error: `${channel}: ${res.error}` });
      if (channel === primary) primaryOk = false;
      return;
    }
    report.outcomes.push({ client: client.code, level: level.level, channel, message: res.id, status: res.status, invoices, file: res.file, ...extra });
  };

  // The letter.
  if (ids.letter && r.letter) {
    const letter = r.letter;
    const res = await writeRecorded(
      d,
      ids.letter,
      async (file) => {
        const { writeLetterPdf, townOf } = await import('../render/letter-pdf.js');
        makeDir(path.dirname(file));
        await writeLetterPdf(file, { ctx: r.built.ctx, subject: letter.subject, body: letter.body, registered: isFormalNotice(level), town: townOf(r.built.ctx.business.address), logo: currentLogoImage(d.db) });
      },
      { commit, crashAt: 'after-letter' },
    );
    outcome('letter', res, { subject: letter.subject, recipient: client.name });
  }

  // The email (or the email copy of the letter).
  if (ids.email && r.email) {
    let res: Awaited<ReturnType<typeof sendRecorded>>;
    try {
      const attachments = invoiceAttachments(plan, pdfs);
      res = await sendRecorded(d, ids.email, emailOf(s.settings, client.email!, r.email, level.level, attachments), commit);
    } catch (err) {
      const error = t('dunning.run.attach', { error: (err as Error).message });
      commit(() => markFailed(d.db, ids.email!.id, error));
      res = { status: 'failed', id: ids.email.id, messageId: ids.email.messageId, file: null, error };
    }
    if (res.status === 'uncertain') report.uncertain.push({ message: res.id, client: client.code, level: level.level, channel: 'email', messageId: res.messageId, since: timestamp(d.now()), why: res.error ?? null });
    // A server that took a message and said nothing, or stopped answering: no more sending this run.
    if (res.status === 'uncertain' || res.timedOut) stop.why ??= 'the SMTP server stopped answering';
    outcome('email', res, { recipient: client.email, subject: r.email.subject });
  }

  // The handover: collection file, then stop work, in the transaction that marks it written.
  if (ids.handover) {
    const res = await writeRecorded(
      d,
      ids.handover,
      async (dir) => {
        const input = collectionInput(d.db, client, plan, r.built.ctx, r.built.penalties, pdfs);
        const { writeCollection } = await import('../render/collection.js');
        await writeCollection(dir, input);
      },
      { commit, crashAt: 'after-handover', done: () => setStopWork(d.db, client.id) },
    );
    outcome('handover', res);
  }

  // A call to make, once the reminder it goes with is out.
  if ((r.channels.includes('call') && primary !== 'call' && primaryOk) || ids.call) {
    if (!ids.call) {
      commit(() => {
        const rec = recordOutgoing(d, { clientId: client.id, level: level.level, asOf, about: invoices.join(', '), onDemand: s.onDemand, channel: 'call', subject: null, text: null, html: null, recipient: client.phone });
        markDone(d.db, rec.id, 'written', timestamp(d.now()));
      });
    }
    report.calls.push({ client: client.code, name: client.name, phone: client.phone, level: level.level, invoices });
  }
}

function emailOf(settings: Settings, to: string, e: { subject: string; text: string; html: string }, level: number, attachments: ReturnType<typeof invoiceAttachments> = []) {
  return {
    fromName: settings['business.name'],
    from: settings['business.email'],
    replyTo: settings['business.email'],
    to,
    subject: e.subject,
    text: e.text,
    html: e.html,
    attachments,
    headers: { 'X-Relance-Level': String(level) },
  };
}

/**
 * Record and deliver every rendered message. Over SMTP one client at a time: recorded, sent, marked.
 * To the outbox, clients go in batches of 500 (one transaction records a batch, files are written,
 * one transaction marks them): exactly once all the same, because a crash in between is settled
 * by looking at the files, and 10k messages do not cost 20k transactions.
 */
async function deliverAll(s: Sender, input: RunInput, rendered: Rendered[], report: RunReport, stop: Stop = { why: null }): Promise<void> {
  const { db } = s.delivery;
  const size = s.delivery.transport?.kind === 'outbox' ? 500 : 1;
  const stopped = () => {
    if (input.signal?.aborted) stop.why ??= t('dunning.run.stopped', { signal: String(input.signal.reason ?? t('dunning.run.aSignal')) });
    return stop.why;
  };
  const notAttempted = (r: Rendered) => report.failed.push({ client: r.client.code, level: r.plan.level.level, error: t('dunning.run.notAttemptedNext', { why: stop.why }) });
  let n = 0;
  let recordedUpTo = 0;
  for (let i = 0; i < rendered.length && !stopped(); i += size) {
    const chunk = rendered.slice(i, i + size);
    // The invoices' PDFs: stored ones read, missing ones rendered once and frozen in the same
    // transaction that records the messages, so what leaves is what the ledger keeps.
    const pdfs = await chunkPdfs(db, s.settings, chunk);
    const ids = write(db, () => {
      for (const [id, bytes] of pdfs.fresh) pdfs.bytes.set(id, storePdf(db, id, bytes, input.asOf));
      const failed = failedMessages(db);
      return chunk.map((r) => recordClient(s, r, input.asOf, failed));
    });
    recordedUpTo = i + chunk.length;
    crashPoint('after-record');
    const pending: (() => void)[] = [];
    const commit: Commit = size > 1 ? (fn) => pending.push(fn) : (fn) => write(db, fn);
    for (let j = 0; j < chunk.length; j++) {
      if (stopped()) {
        // Recorded but not attempted: failed, so the next run makes them again (same Message-ID).
        const left = Object.values(ids[j]!).filter((x) => x && x.id && x !== ids[j]!.call);
        const why = t('dunning.run.notAttempted', { why: stop.why });
        commit(() => left.forEach((x) => markFailed(db, x!.id, why)));
        notAttempted(chunk[j]!);
        continue;
      }
      input.progress?.(`[${++n}/${rendered.length}] ${chunk[j]!.client.code}`);
      await performClient(s, chunk[j]!, ids[j]!, report, commit, pdfs, input.asOf, stop);
    }
    if (pending.length > 0) write(db, () => pending.forEach((fn) => fn()));
  }
  if (stopped()) for (const r of rendered.slice(recordedUpTo)) notAttempted(r);
  input.progress?.(null);
}

// ---------------------------------------------------------------------------------------------
// Leftovers and retries

/**
 * Settle what a crashed run left 'sending': a file the transport wrote tells (it exists: written;
 * it does not: never written, so it is marked failed and the next planning retries it with the same
 * Message-ID). A message handed to an SMTP server cannot be checked: it is reported for --resolve.
 */
export function settleLeftovers(db: Db, now: string): Pick<RunReport, 'uncertain' | 'settled'> {
  const uncertain: RunReport['uncertain'] = [];
  const settled: RunReport['settled'] = [];
  for (const m of sendingMessages(db)) {
    if (m.file_path) {
      if (fs.existsSync(m.file_path)) {
        write(db, () => {
          markDone(db, m.id, 'written', now);
          if (m.channel === 'handover') setStopWork(db, m.client_id);
        });
        settled.push({ message: m.id, status: 'written', why: t('dunning.run.settledWritten', { file: m.file_path }) });
      } else {
        write(db, () => markFailed(db, m.id, 'interrupted before the file was written'));
        settled.push({ message: m.id, status: 'failed', why: t('dunning.run.settledFailed', { file: path.basename(m.file_path) }) });
      }
    } else uncertain.push(uncertainOf(m));
  }
  return { uncertain, settled };
}

function uncertainOf(m: MessageRow): RunReport['uncertain'][number] {
  return { message: m.id, client: m.client_code, level: m.level, channel: m.channel, messageId: m.message_id, since: m.created_at, why: m.error };
}

/** Resend email copies of letters that failed (the letter itself went out, so the level is reached). */
async function retryFailedCopies(s: Sender, report: RunReport, failed: MessageRow[], stop: Stop): Promise<void> {
  const { retryCopies } = await import('./copies.js');
  if ((await retryCopies(s.delivery, s.settings, report, failed)).stopped) stop.why ??= 'the SMTP server stopped answering';
}

// ---------------------------------------------------------------------------------------------
// The runs

interface Planned {
  plan: Plan;
  receivables: Map<number, Receivable>;
}

function planDue(db: Db, asOf: IsoDate, clientId: number | undefined): Planned {
  const policy = getPolicy(db);
  const clients = loadClientStates(db, policy);
  const { items, byId } = loadOpenItems(db, asOf, clientId);
  const clientPolicies = new Map<number, Policy>();
  for (const c of clients) if (c.policy) clientPolicies.set(c.id, c.policy);
  const plan = planReminders({ asOf, items, reminders: loadReminderStates(db), clients, promises: loadPromises(db, asOf), policy, clientPolicies, clientId });
  return { plan, receivables: byId };
}

function plannedOutcomes(report: RunReport, rendered: Rendered[]): void {
  for (const r of rendered) {
    for (const ch of r.channels) {
      report.outcomes.push({
        client: r.client.code,
        level: r.plan.level.level,
        channel: ch,
        message: null,
        status: 'planned',
        invoices: r.plan.items.map(label),
        recipient: ch === 'email' ? r.client.email : ch === 'call' ? r.client.phone : r.client.name,
        subject: ch === 'email' ? r.email?.subject : ch === 'letter' ? r.letter?.subject : null,
      });
    }
    if (r.channels.includes('call')) report.calls.push({ client: r.client.code, name: r.client.name, phone: r.client.phone, level: r.plan.level.level, invoices: r.plan.items.map((i) => i.number) });
  }
}

/**
 * The body of a run that sends: dead temp files cleaned, then `body`, which opens the transport
 * when it has something to send; the transport is closed and the lock released whatever happens.
 */
async function withRun(input: RunInput, settings: Settings, report: RunReport, lock: RunLock, onDemand: boolean, body: (open: () => Promise<Sender>) => Promise<void>): Promise<void> {
  let transport: Transport | null = null;
  const letters = lettersDir(input.ledgerFile, settings);
  try {
    report.cleaned = removeDeadTempFiles([outboxDir(input.ledgerFile, settings), letters]);
    await body(async () => {
      transport = input.transport ?? (await openTransport(input, settings));
      report.transport = transport.describe;
      return { delivery: { db: input.db, transport, now: input.now, senderEmail: settings['business.email'] }, settings, lettersDir: letters, onDemand };
    });
  } finally {
    const t = transport as Transport | null;
    if (t && t !== input.transport) t.close();
    lock.release();
  }
}

function lockFor(input: RunInput) {
  return acquireLock(input.db, 'remind', { waitMs: input.lockWaitMs, now: input.now });
}

/** remind --due: what the policy says is due (every client, or one). */
export async function runDue(input: RunInput, o: { dryRun?: boolean; clientId?: number } = {}): Promise<RunReport> {
  const { db, asOf } = input;
  const settings = getSettings(db);
  const report = emptyReport(asOf, Boolean(o.dryRun));

  if (o.dryRun) {
    const { plan, receivables } = planDue(db, asOf, o.clientId);
    report.skipped = plan.skipped;
    report.rules = plan.clients.map(ruleSummary);
    for (const m of sendingMessages(db)) report.uncertain.push(uncertainOf(m));
    const templates = plan.clients.length > 0 ? await loadTemplatesFor(input.ledgerFile, settings) : null;
    plannedOutcomes(report, templates ? renderAll(db, settings, templates, plan.clients, receivables, asOf, report, true) : []);
    return report;
  }

  const lock = await lockFor(input);
  report.lockNote = lock.tookOver;
  await withRun(input, settings, report, lock, false, async (open) => {
    const left = settleLeftovers(db, timestamp(input.now()));
    report.uncertain = left.uncertain;
    report.settled = left.settled;
    const { plan, receivables } = planDue(db, asOf, o.clientId);
    report.skipped = plan.skipped;
    report.rules = plan.clients.map(ruleSummary);
    const copies = failedCopies(db);
    if (plan.clients.length === 0 && copies.length === 0) return;
    const templates = await loadTemplatesFor(input.ledgerFile, settings);
    const rendered = renderAll(db, settings, templates, plan.clients, receivables, asOf, report);
    const s = await open();
    const stop: Stop = { why: null };
    if (copies.length > 0) await retryFailedCopies(s, report, copies, stop);
    await deliverAll(s, input, rendered, report, stop);
  });
  return report;
}

export interface OnDemand {
  /** An invoice number: its next level (or `level`). */
  invoice?: string;
  /** A client code: every overdue invoice of it at `level`. */
  client?: string;
  level?: number;
  dryRun?: boolean;
}

/**
 * remind INVOICE [--level N] / remind --client C --level N. The run lock is taken before planning
 * (a --due run at the same time: exit 3, never two messages for one level).
 */
export async function runOnDemand(input: RunInput, o: OnDemand): Promise<RunReport> {
  const { db, asOf } = input;
  const settings = getSettings(db);
  const lock = o.dryRun ? null : await lockFor(input);
  let planned: { plan: ClientPlan; byId: Map<number, Receivable>; client: Client; level: number };
  try {
    planned = planOne(db, asOf, o);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const { plan, byId, level } = planned;
  const report = emptyReport(asOf, Boolean(o.dryRun));
  report.rules = [ruleSummary(plan)];
  if (lock) report.lockNote = lock.tookOver;
  let templates: Templates;
  try {
    templates = await loadTemplatesFor(input.ledgerFile, settings);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const rendered = renderAll(db, settings, templates, [plan], byId, asOf, report);
  if (!lock || rendered.length === 0) {
    lock?.release();
    for (const r of rendered) for (const ch of r.channels) report.outcomes.push({ client: r.client.code, level, channel: ch, message: null, status: 'planned', invoices: plan.items.map((i) => i.number), subject: ch === 'email' ? r.email?.subject : (r.letter?.subject ?? null) });
    return report;
  }
  await withRun(input, settings, report, lock, true, async (open) => {
    await deliverAll(await open(), input, rendered, report);
  });
  return report;
}

function planOne(db: Db, asOf: IsoDate, o: OnDemand): { plan: ClientPlan; byId: Map<number, Receivable>; client: Client; level: number } {
  const invoice = o.invoice;
  let client: Client;
  let documentId: number | undefined;
  if (invoice) {
    const doc = findDocumentByNumber(db, invoice);
    if (!doc || !['invoice', 'deposit', 'final', 'penalty'].includes(doc.kind)) throw new UsageError(t('dunning.run.err.unknownInvoice', { invoice }));
    documentId = doc.id;
    client = clientById(db, doc.client_id);
    if (o.client && requireClient(db, o.client).id !== client.id) throw new UsageError(t('dunning.run.err.otherClient', { invoice, client: client.code, given: o.client }));
  } else client = requireClient(db, o.client!);
  const policy = clientPolicy(db, client.id);
  const { items, byId } = loadOpenItems(db, asOf, client.id);
  const states = loadReminderStates(db);
  let level: number;
  if (o.level !== undefined) level = o.level;
  else if (documentId !== undefined) {
    const reached = Math.max(-1, ...states.filter((s) => s.documentId === documentId).map((s) => s.level));
    const next = policy.levels.find((l) => l.level > reached && l.offsetDays >= 0);
    if (!next) throw new UsageError(t('dunning.run.err.allLevels', { invoice, client: client.code }));
    level = next.level;
  } else throw new UsageError(t('dunning.run.err.clientLevel'));
  const target = documentId === undefined ? items : items.filter((i) => i.documentId === documentId || i.dueDate < asOf);
  if (documentId !== undefined && !items.some((i) => i.documentId === documentId)) {
    throw new UsageError(t('dunning.run.err.nothingLeft', { invoice, asOf }));
  }
  const uncertain = states.find((s) => s.uncertainMessageId !== null && target.some((i) => i.documentId === s.documentId));
  if (uncertain) throw new UsageError(t('dunning.run.err.uncertain', { id: uncertain.uncertainMessageId }));
  const plan = planOnDemand(client.id, client.code, target, states, policy, level, asOf, documentId);
  if (plan.items.length === 0) throw new UsageError(t('dunning.run.err.noOpen', { client: client.code, asOf }));
  if (!plan.items.some((i) => i.newLevel !== null)) {
    throw new UsageError(t('dunning.run.err.reached', { level, what: invoice ?? t('dunning.run.everyOpen', { client: client.code }), client: client.code }));
  }
  return { plan, byId, client, level };
}
