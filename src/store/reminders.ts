/**
 * Reminders and messages, exactly once (dunning.md), the run lock, and the stored policy.
 * Writes run inside write(). Statements are prepared once per Db and reused (remind --due over
 * 100k open invoices must stay linear).
 *
 * Open items come from store/receivables.ts, promises from store/contacts.ts; this module adapts
 * them to the planner's plain types.
 */
import { t } from '../i18n/index.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DEFAULT_POLICY, checkPolicy, mergePolicy, type Channel, type ClientState, type OpenItem, type Policy, type PolicyOverride, type PromiseToPay, type ReminderState } from '../core/dunning.js';
import { linkFromPattern } from '../core/documents.js';
import { LockedError } from '../core/errors.js';
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { timestamp, write, type Db } from './db.js';
import { pidAlive } from '../system/process.js';
import { getJson, putJson } from './settings.js';
import { openItems, type OpenItem as Receivable } from './receivables.js';
import { activePromises } from './contacts.js';
import { listClients, type Client } from './clients.js';
import { isWebLink } from '../core/links.js';

export type { Receivable };

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Statements>();

function prepare(db: Db) {
  return {
    reminderStates: db.prepare(`
      SELECT r.document_id, r.instalment, MAX(r.level) AS level, MAX(r.date) AS last_date,
             MAX(CASE WHEN m.status = 'sending' THEN m.id END) AS uncertain
      FROM reminders r LEFT JOIN messages m ON m.id = r.message_id
      WHERE m.id IS NULL OR m.status IN ('sending', 'sent', 'written')
      GROUP BY r.document_id, r.instalment`),
    clients: db.prepare('SELECT id, code, paused_until, stop_work, policy_json FROM clients'),
    ownPaymentLinks: db.prepare("SELECT id, payment_link FROM documents WHERE payment_link IS NOT NULL AND payment_link <> ''"),
    failedCopies: db.prepare(`
      SELECT m.*, c.code AS client_code FROM messages m JOIN clients c ON c.id = m.client_id JOIN messages l ON l.id = m.copy_of
      WHERE m.status = 'failed' AND m.channel = 'email' AND l.status = 'written' ORDER BY m.id`),
    failedMessage: db.prepare(`SELECT id, message_id, attempts FROM messages WHERE client_id = ? AND level = ? AND channel = ? AND status = 'failed' ORDER BY id DESC LIMIT 1`),
    // The partial index messages_status serves only a WHERE that repeats its own condition.
    failedMessages: db.prepare(`SELECT id, client_id, level, channel, message_id, attempts FROM messages WHERE status IN ('sending', 'failed') AND status = 'failed' ORDER BY id DESC`),
    insertMessage: db.prepare(`
      INSERT INTO messages (client_id, level, channel, status, message_id, as_of, subject, body_text, body_html, recipient, file_path, invoices, copy_of, on_demand, attempts, created_at)
      VALUES (@clientId, @level, @channel, 'sending', @messageId, @asOf, @subject, @text, @html, @recipient, @filePath, @invoices, @copyOf, @onDemand, 1, @now)`),
    reuseMessage: db.prepare(`
      UPDATE messages SET status = 'sending', as_of = @asOf, subject = @subject, body_text = @text, body_html = @html, recipient = @recipient,
             file_path = @filePath, invoices = @invoices, copy_of = @copyOf, on_demand = @onDemand, attempts = attempts + 1, error = NULL, created_at = @now
      WHERE id = @id`),
    dropRemindersOfFailed: db.prepare(`DELETE FROM reminders WHERE document_id = ? AND instalment = ? AND level = ? AND message_id IN (SELECT id FROM messages WHERE status IN ('failed', 'cancelled'))`),
    dropRemindersOfMessage: db.prepare('DELETE FROM reminders WHERE message_id = ?'),
    insertReminder: db.prepare(`INSERT INTO reminders (document_id, instalment, level, message_id, date, penalty, indemnity) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    markDone: db.prepare(`UPDATE messages SET status = @status, sent_at = @at, error = NULL WHERE id = @id AND status IN ('sending', 'failed')`),
    markFailed: db.prepare(`UPDATE messages SET status = 'failed', error = @error WHERE id = @id AND status = 'sending'`),
    setFilePath: db.prepare(`UPDATE messages SET file_path = ? WHERE id = ?`),
    byId: db.prepare(`SELECT m.*, c.code AS client_code FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.id = ?`),
    sending: db.prepare(`SELECT m.*, c.code AS client_code FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.status = 'sending' ORDER BY m.id`),
    list: db.prepare(`
      SELECT m.*, c.code AS client_code FROM messages m JOIN clients c ON c.id = m.client_id
      WHERE (@client IS NULL OR m.client_id = @client) AND (@since IS NULL OR m.as_of >= @since)
      ORDER BY m.as_of, m.id`),
    remindersOfMessage: db.prepare(`
      SELECT r.*, d.number FROM reminders r JOIN documents d ON d.id = r.document_id WHERE r.message_id = ? ORDER BY d.number, r.instalment`),
    // prepared once: a run asks it for every client it plans (was prepared per client: ~80 us each)
    poNumbers: db.prepare(`SELECT id, po_number FROM documents WHERE id IN (SELECT value FROM json_each(?)) AND po_number IS NOT NULL AND po_number <> ''`),
    allPoNumbers: db.prepare(`SELECT id, po_number FROM documents WHERE po_number IS NOT NULL AND po_number <> ''`),
    lastDocumentId: db.prepare('SELECT MAX(id) AS id FROM documents'),
    anyReminder: db.prepare('SELECT 1 FROM reminders LIMIT 1'),
    remindersOfDocuments: db.prepare(`
      SELECT r.level, r.date, r.penalty, r.indemnity, m.id AS message_id, m.channel, m.status, m.subject, m.file_path, d.number
      FROM reminders r JOIN documents d ON d.id = r.document_id LEFT JOIN messages m ON m.id = r.message_id
      WHERE d.client_id = ? ORDER BY r.date, r.level`),
    stopWork: db.prepare(`UPDATE clients SET stop_work = 1 WHERE id = ?`),
    lockGet: db.prepare(`SELECT name, owner, pid, host, acquired_at FROM locks WHERE name = ?`),
    lockInsert: db.prepare(`INSERT INTO locks (name, owner, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?)`),
    lockDelete: db.prepare(`DELETE FROM locks WHERE name = ? AND owner = ?`),
    lockSteal: db.prepare(`DELETE FROM locks WHERE name = ? AND owner = ?`),
    documentByNumber: db.prepare(`SELECT id, number, client_id, kind FROM documents WHERE number = ? COLLATE NOCASE`),
    contactsOfClient: db.prepare(`SELECT * FROM contacts WHERE client_id = ? ORDER BY at, id`),
  };
}

function st(db: Db): Statements {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// The policy

export const POLICY_KEY = 'policy';

/** The ledger's policy (the defaults of dunning.md until `policy set` changes it). */
export function getPolicy(db: Db): Policy {
  const stored = getJson<Partial<Policy>>(db, POLICY_KEY);
  if (!stored) return DEFAULT_POLICY;
  return checkPolicy({ ...DEFAULT_POLICY, ...stored, levels: stored.levels ?? DEFAULT_POLICY.levels }, 'the ledger policy');
}

/** Store the ledger's policy. Call inside write(). */
export function putPolicy(db: Db, p: Policy): void {
  putJson(db, POLICY_KEY, checkPolicy(p));
}

export function parseOverride(json: string | null): PolicyOverride | null {
  return json ? (JSON.parse(json) as PolicyOverride) : null;
}

export function putClientOverride(db: Db, clientId: number, override: PolicyOverride | null): void {
  db.prepare('UPDATE clients SET policy_json = ? WHERE id = ?').run(override ? JSON.stringify(override) : null, clientId);
}

// ---------------------------------------------------------------------------------------------
// What the planner reads

/**
 * Open items as of a date, for the planner: from the receivables module (issue 4) with its
 * balances, disputes and payment plans. An invoice under an active plan yields one item per
 * unpaid instalment (instalment = its position); otherwise one item (instalment 0).
 * Also returns the receivables rows by document id (client kind, amounts) for penalties.
 */
export function loadOpenItems(db: Db, asOf: IsoDate, clientId?: number): { items: OpenItem[]; byId: Map<number, Receivable> } {
  const rows = openItems(db, { asOf, clientId });
  const items: OpenItem[] = [];
  const byId = new Map<number, Receivable>();
  for (const r of rows) {
    if (r.balance <= 0) continue;
    byId.set(r.id, r);
    // Explicit literals (object spread is slow over 100k items). The payment link is looked up
    // only for the invoices a message lists (paymentLinkOf).
    if (!r.plan) {
      items.push({
        documentId: r.id,
        instalment: 0,
        number: r.number,
        clientId: r.clientId,
        currency: r.currency,
        issueDate: r.issueDate,
        dueDate: r.dueDate,
        amount: r.amountDue,
        balance: r.balance,
        disputed: r.disputed,
        paymentLink: null,
      });
      continue;
    }
    for (const i of r.plan.instalments) {
      if (i.remaining <= 0) continue;
      items.push({
        documentId: r.id,
        instalment: i.position,
        number: r.number,
        clientId: r.clientId,
        currency: r.currency,
        issueDate: r.issueDate,
        dueDate: i.dueDate,
        amount: i.amount,
        balance: i.remaining,
        disputed: r.disputed,
        paymentLink: null,
      });
    }
  }
  return { items, byId };
}

/**
 * Payment links of invoices: their own (documents.payment_link), else the ledger's pattern with
 * {number} (the rule of documents.paymentLinkFor). The invoices that carry their own link are read
 * once, so a run over 100k invoices does not query once per invoice.
 */
export function paymentLinks(db: Db, pattern: string | null): (documentId: number, number: string) => string | null {
  const own = new Map<number, string>();
  for (const r of st(db).ownPaymentLinks.all() as { id: number; payment_link: string }[]) own.set(r.id, isWebLink(r.payment_link) ? r.payment_link : '');
  if (pattern && !isWebLink(pattern)) pattern = null;
  return (documentId, number) => (own.get(documentId) || null) ?? linkFromPattern(pattern, number);
}

/** Every client by id, read once per run (messages need name, email, address, language, kind). */
export function clientsById(db: Db): Map<number, Client> {
  return new Map(listClients(db).map((c) => [c.id, c]));
}

/** Failed email copies of letters that were written: the next run sends them again. */
export function failedCopies(db: Db): MessageRow[] {
  return st(db).failedCopies.all() as MessageRow[];
}

export function loadReminderStates(db: Db): ReminderState[] {
  return (st(db).reminderStates.all() as { document_id: number; instalment: number; level: number; last_date: string; uncertain: number | null }[]).map((r) => ({
    documentId: r.document_id,
    instalment: r.instalment,
    level: r.level,
    lastDate: r.last_date,
    uncertainMessageId: r.uncertain,
  }));
}

export interface ClientDunning extends ClientState {
  policy: Policy | null;
}

/** Clients' pause / stop-work state and their merged policy when they override the ledger's. */
export function loadClientStates(db: Db, ledgerPolicy: Policy): ClientDunning[] {
  return (st(db).clients.all() as { id: number; code: string; paused_until: string | null; stop_work: number; policy_json: string | null }[]).map((r) => ({
    id: r.id,
    code: r.code,
    pausedUntil: r.paused_until,
    stopWork: r.stop_work === 1,
    policy: r.policy_json ? checkPolicy(mergePolicy(ledgerPolicy, parseOverride(r.policy_json)), `the policy of client ${r.code}`) : null,
  }));
}

/** Promises to pay that hold dunning as of asOf (from the call log, issue 6). The planner applies the grace. */
export function loadPromises(db: Db, asOf: IsoDate): PromiseToPay[] {
  return activePromises(db, asOf).map((p) => ({ clientId: p.clientId, documentIds: p.documentIds, date: p.date }));
}

// ---------------------------------------------------------------------------------------------
// Messages and reminders

export type MessageStatus = 'sending' | 'sent' | 'written' | 'failed' | 'cancelled';

export interface MessageRow {
  id: number;
  client_id: number;
  client_code: string;
  level: number;
  channel: Channel;
  status: MessageStatus;
  message_id: string | null;
  as_of: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  recipient: string | null;
  file_path: string | null;
  invoices: string | null;
  copy_of: number | null;
  on_demand: number;
  error: string | null;
  attempts: number;
  created_at: string;
  sent_at: string | null;
}

export interface NewMessage {
  clientId: number;
  level: number;
  channel: Channel;
  messageId: string | null;
  asOf: IsoDate;
  subject: string | null;
  text: string | null;
  html: string | null;
  recipient: string | null;
  filePath: string | null;
  invoices: string;
  copyOf?: number | null;
  onDemand?: boolean;
  /** The reminders this message carries (empty for an email copy of a letter). */
  reminders: { documentId: number; instalment: number; level: number; penalty: Cents | null; indemnity: Cents | null }[];
}

/** A message to record: every column of the row; the reminders it carries are attached apart. */
export type MessageFields = Omit<NewMessage, 'reminders'>;

type FailedRow = { id: number; message_id: string | null; attempts: number };

/**
 * The failed messages, read in one statement for a batch of recordMessage() calls made in the same
 * write() (a reminder run records 500 messages a transaction: one lookup each cost ~40 us). take()
 * gives what recordMessage's own lookup would (the latest failed one of that client, level and
 * channel) and forgets it, since it is then reused and no longer failed.
 */
export interface FailedMessages {
  take(clientId: number, level: number, channel: Channel): FailedRow | undefined;
}

/** Call inside the write() that records the messages (another process may fail one between two). */
export function failedMessages(db: Db): FailedMessages {
  const byKey = new Map<string, FailedRow[]>();
  for (const r of st(db).failedMessages.all() as (FailedRow & { client_id: number; level: number; channel: string })[]) {
    const k = `${r.client_id}/${r.level}/${r.channel}`;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  return { take: (clientId, level, channel) => (byKey.size === 0 ? undefined : byKey.get(`${clientId}/${level}/${channel}`)?.shift()) };
}

/**
 * Record a message as 'sending', BEFORE it leaves. A failed message of the same client, level and
 * channel is reused (same row, same Message-ID: a retry, not a new message); its reminders are
 * dropped (attachReminders puts back what this attempt carries). messageId null: no Message-ID (a
 * letter, a file); '' or a string: the failed row's, else this one, else newMessageId().
 * Call inside write(); `failed`, read in the same write(), answers instead of one query per message.
 */
export function recordMessage(db: Db, m: MessageFields, now: string, newMessageId: () => string, failed?: FailedMessages): { id: number; messageId: string | null; attempts: number } {
  const s = st(db);
  const reused = failed ? failed.take(m.clientId, m.level, m.channel) : (s.failedMessage.get(m.clientId, m.level, m.channel) as FailedRow | undefined);
  const params = {
    clientId: m.clientId,
    level: m.level,
    channel: m.channel,
    asOf: m.asOf,
    subject: m.subject,
    text: m.text,
    html: m.html,
    recipient: m.recipient,
    filePath: m.filePath,
    invoices: m.invoices,
    copyOf: m.copyOf ?? null,
    onDemand: m.onDemand ? 1 : 0,
    now,
  };
  if (reused) {
    s.dropRemindersOfMessage.run(reused.id);
    s.reuseMessage.run({ ...params, id: reused.id });
    return { id: reused.id, messageId: reused.message_id, attempts: reused.attempts + 1 };
  }
  const messageId = m.messageId === null ? null : m.messageId || newMessageId();
  return { id: Number(s.insertMessage.run({ ...params, messageId }).lastInsertRowid), messageId, attempts: 1 };
}

/** The reminders a recorded message carries; the ones only failed messages carried stop counting. Call inside write(). */
export function attachReminders(db: Db, messageId: number, asOf: IsoDate, reminders: NewMessage['reminders']): void {
  const s = st(db);
  for (const r of reminders) s.dropRemindersOfFailed.run(r.documentId, r.instalment, r.level);
  for (const r of reminders) s.insertReminder.run(r.documentId, r.instalment, r.level, messageId, asOf, r.penalty, r.indemnity);
}

/** recordMessage and attachReminders in one call (a reminder message). Call inside write(). */
export function recordSending(db: Db, m: NewMessage, now: string, newMessageId: () => string): { id: number; messageId: string | null } {
  const { reminders, ...fields } = m;
  const rec = recordMessage(db, fields, now, newMessageId);
  attachReminders(db, rec.id, m.asOf, reminders);
  return { id: rec.id, messageId: rec.messageId };
}

export function setMessageFile(db: Db, id: number, filePath: string): void {
  st(db).setFilePath.run(filePath, id);
}

/** 'sent' (SMTP accepted) or 'written' (a file on disk). Call inside write(). */
export function markDone(db: Db, id: number, status: 'sent' | 'written', at: string): void {
  st(db).markDone.run({ id, status, at });
}

/** SMTP refused or unreachable: the reminders stop counting and the next run retries. Call inside write(). */
export function markFailed(db: Db, id: number, error: string): void {
  st(db).markFailed.run({ id, error: error.slice(0, 2000) });
}

/**
 * The fate of a message is unknown (the server took the data and no reply came): it stays 'sending',
 * with why, so every run reports it and nothing resends it until "remind --resolve". Call inside write().
 */
export function markUncertain(db: Db, id: number, why: string): void {
  db.prepare(`UPDATE messages SET error = ? WHERE id = ? AND status = 'sending'`).run(why.slice(0, 2000), id);
}

/**
 * A failed message sent again as it is (an email copy of a letter): 'sending' again, one more
 * attempt, same row and Message-ID. Call inside write(), before it leaves. False when it is not failed.
 */
export function reopenMessage(db: Db, id: number, now: string): boolean {
  return db.prepare(`UPDATE messages SET status = 'sending', error = NULL, attempts = attempts + 1, created_at = ? WHERE id = ? AND status = 'failed'`).run(now, id).changes === 1;
}

/** An email copy of a letter was refused: the letter counts, the copy is retried by the next run. Call inside write(). */
export function markCopyFailed(db: Db, id: number, error: string): void {
  db.prepare('UPDATE messages SET error = ?, attempts = attempts + 1 WHERE id = ?').run(error.slice(0, 2000), id);
}

/** Every client's own policy override, as stored (JSON), for the checks of `doctor`. */
export function clientPolicyOverrides(db: Db): { clientId: number; json: string }[] {
  return (db.prepare('SELECT id, policy_json FROM clients WHERE policy_json IS NOT NULL').all() as { id: number; policy_json: string }[]).map((r) => ({ clientId: r.id, json: r.policy_json }));
}

/** `remind --resolve ID --retry`: the message is treated as not sent; the next run sends it again with its Message-ID. */
export function markForRetry(db: Db, id: number, why: string): void {
  db.prepare(`UPDATE messages SET status = 'failed', error = ? WHERE id = ? AND status IN ('sending', 'failed')`).run(why, id);
}

export function setStopWork(db: Db, clientId: number): void {
  st(db).stopWork.run(clientId);
}

export function getMessage(db: Db, id: number): MessageRow | undefined {
  return st(db).byId.get(id) as MessageRow | undefined;
}

export function sendingMessages(db: Db): MessageRow[] {
  return st(db).sending.all() as MessageRow[];
}

export function listMessages(db: Db, opts: { clientId?: number; since?: IsoDate }): MessageRow[] {
  return st(db).list.all({ client: opts.clientId ?? null, since: opts.since ?? null }) as MessageRow[];
}

export interface ReminderRow {
  id: number;
  document_id: number;
  instalment: number;
  level: number;
  message_id: number | null;
  date: string;
  penalty: number | null;
  indemnity: number | null;
  number: string;
}

export function remindersOfMessage(db: Db, messageId: number): ReminderRow[] {
  return st(db).remindersOfMessage.all(messageId) as ReminderRow[];
}

export interface ClientReminderHistory {
  level: number;
  date: string;
  penalty: number | null;
  indemnity: number | null;
  message_id: number | null;
  channel: string | null;
  status: string | null;
  subject: string | null;
  file_path: string | null;
  number: string;
}

export function clientReminderHistory(db: Db, clientId: number): ClientReminderHistory[] {
  return st(db).remindersOfDocuments.all(clientId) as ClientReminderHistory[];
}

/** The client's call log (narrow read for the collection file). */
export function clientContacts(db: Db, clientId: number): { id: number; at: string; channel: string; with_whom: string | null; outcome: string; promise_date: string | null; promise_amount: number | null; message_id: number | null; supersedes_id: number | null }[] {
  return st(db).contactsOfClient.all(clientId) as never;
}

/**
 * The client's own order numbers (PO) of these documents, by document id (the "Vos références" of a
 * letter). Asked for many documents at once (a run's every invoice planned), one scan of the
 * documents is cheaper than finding each one: measured on open-100k, 11 ms for the scan against
 * 326 ms for 100k ids through json_each (~3.3 us an id, the scan ~0.1 us a document), so the scan is
 * taken once the ids are more than a twentieth of the documents.
 */
export function poNumbersOf(db: Db, documentIds: readonly number[]): Map<number, string> {
  if (documentIds.length === 0) return new Map();
  const s = st(db);
  const last = (s.lastDocumentId.get() as { id: number | null }).id ?? 0;
  if (documentIds.length * 20 >= last) {
    const wanted = new Set(documentIds);
    const out = new Map<number, string>();
    for (const r of s.allPoNumbers.all() as { id: number; po_number: string }[]) if (wanted.has(r.id)) out.set(r.id, r.po_number);
    return out;
  }
  const rows = s.poNumbers.all(JSON.stringify(documentIds)) as { id: number; po_number: string }[];
  return new Map(rows.map((r) => [r.id, r.po_number]));
}

/** Whether the ledger holds any reminder at all (a ledger never reminded has no history to read per client). */
export function hasReminders(db: Db): boolean {
  return st(db).anyReminder.get() !== undefined;
}

export function findDocumentByNumber(db: Db, number: string): { id: number; number: string; client_id: number; kind: string } | undefined {
  return st(db).documentByNumber.get(number) as { id: number; number: string; client_id: number; kind: string } | undefined;
}

// ---------------------------------------------------------------------------------------------
// The run lock (table locks): one remind run per ledger at a time.

export interface RunLock {
  release(): void;
}

/**
 * Take the named lock, waiting up to waitMs for another run to finish. A lock held by a process of
 * this host that no longer exists (killed, crashed) is stale and taken over. LockedError (exit 3)
 * when the wait runs out.
 */
export async function acquireLock(db: Db, name: string, opts: { waitMs: number; now: () => Date; pollMs?: number }): Promise<RunLock & { tookOver: string | null }> {
  const s = st(db);
  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const host = os.hostname();
  // The wait is counted in polls slept, not read from a clock (a test's clock may stand still).
  const poll = opts.pollMs ?? 100;
  let waited = 0;
  for (;;) {
    let holder: { owner: string; pid: number; host: string; acquired_at: string } | undefined;
    let tookOver: string | null = null;
    const got = write(db, () => {
        holder = s.lockGet.get(name) as typeof holder;
        if (holder) {
          if (holder.host === host && !pidAlive(holder.pid)) {
            s.lockSteal.run(name, holder.owner);
            tookOver = t('dunning.lock.tookOver', { pid: holder.pid, since: holder.acquired_at });
          } else return false;
        }
        s.lockInsert.run(name, owner, process.pid, host, timestamp(opts.now()));
        return true;
      });
    if (got) {
      return {
        tookOver,
        release() {
          s.lockDelete.run(name, owner);
        },
      };
    }
    if (waited >= opts.waitMs) {
      const h = holder as unknown as { pid: number; host: string; acquired_at: string };
      throw new LockedError(
        t('dunning.lock.held', { pid: h.pid, host: h.host, since: h.acquired_at }),
      );
    }
    await new Promise((r) => setTimeout(r, poll));
    waited += poll;
  }
}
