/**
 * The call log in the ledger: contacts (calls, emails, letters, visits, meetings) and the invoices
 * they are about. A contact is never rewritten: an edit inserts a new row with supersedes_id and
 * the original stays. "Current" contacts are those no other row supersedes.
 *
 * For the dunning and overdue engines: `activePromises(db, asOf)` (promises that hold reminders)
 * and `brokenPromises(db, asOf)`; `promiseGraceDays(db)` is the grace the ledger's policy gives.
 * Writes must run inside write().
 */
import { t } from '../i18n/index.js';
import {
  contactDay,
  DEFAULT_PROMISE_GRACE_DAYS,
  instant,
  nextActionDue,
  promiseStatus,
  type Channel,
  type PromiseStatus,
} from '../core/calllog.js';
import { addDays, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Cents } from '../core/money.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { getJson } from './settings.js';

export interface Contact {
  id: number;
  clientId: number;
  clientCode: string;
  at: string;
  channel: Channel;
  withWhom: string | null;
  outcome: string;
  promiseDate: IsoDate | null;
  promiseAmount: Cents | null;
  nextActionDate: IsoDate | null;
  disputeReason: string | null;
  messageId: number | null;
  supersedesId: number | null;
  /** The row that replaced this one by an edit, if any. */
  supersededById: number | null;
  createdAt: string;
  /** The invoices the contact is about (empty: the client as a whole). */
  documents: { id: number; number: string }[];
}

export interface ContactFields extends Pick<Contact, 'clientId' | 'at' | 'channel' | 'withWhom' | 'outcome' | 'promiseDate' | 'promiseAmount' | 'nextActionDate' | 'disputeReason'> {
  messageId?: number | null;
  documentIds: number[];
}

/** The columns of a contact every read maps the same way (here, and the last contacts of store/receivables.ts). */
export interface ContactCoreRow<C extends string = string> {
  id: number;
  at: string;
  channel: C;
  with_whom: string | null;
  outcome: string;
  promise_date: string | null;
  promise_amount: number | null;
  next_action_date: string | null;
}

export function contactCore<C extends string>(r: ContactCoreRow<C>) {
  return {
    id: r.id,
    at: r.at,
    channel: r.channel,
    withWhom: r.with_whom,
    outcome: r.outcome,
    promiseDate: r.promise_date,
    promiseAmount: r.promise_amount,
    nextActionDate: r.next_action_date,
  };
}

interface Row extends ContactCoreRow<Channel> {
  client_id: number;
  client_code: string;
  dispute_reason: string | null;
  message_id: number | null;
  supersedes_id: number | null;
  superseded_by: number | null;
  created_at: string;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection (the promise rules run a few per promise). */
function stmt(db: Db, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

const SELECT = `
  SELECT c.*, cl.code AS client_code, (SELECT s.id FROM contacts s WHERE s.supersedes_id = c.id) AS superseded_by
  FROM contacts c JOIN clients cl ON cl.id = c.client_id`;

function documentsOf(db: Db, contactIds: number[]): Map<number, { id: number; number: string }[]> {
  const out = new Map<number, { id: number; number: string }[]>();
  if (contactIds.length === 0) return out;
  const stmt = db.prepare(
    `SELECT cd.contact_id, d.id, COALESCE(d.number, 'draft #' || d.id) AS number
     FROM contact_documents cd JOIN documents d ON d.id = cd.document_id
     WHERE cd.contact_id IN (SELECT value FROM json_each(?)) ORDER BY d.number, d.id`,
  );
  for (const r of stmt.all(JSON.stringify(contactIds)) as { contact_id: number; id: number; number: string }[]) {
    const list = out.get(r.contact_id) ?? [];
    list.push({ id: r.id, number: r.number });
    out.set(r.contact_id, list);
  }
  return out;
}

function fromRows(db: Db, rows: Row[]): Contact[] {
  const docs = documentsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...contactCore(r),
    clientId: r.client_id,
    clientCode: r.client_code,
    disputeReason: r.dispute_reason,
    messageId: r.message_id,
    supersedesId: r.supersedes_id,
    supersededById: r.superseded_by,
    createdAt: r.created_at,
    documents: docs.get(r.id) ?? [],
  }));
}

export function findContact(db: Db, id: number): Contact | undefined {
  const r = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as Row | undefined;
  return r ? fromRows(db, [r])[0] : undefined;
}

export function requireContact(db: Db, id: number): Contact {
  const c = findContact(db, id);
  if (!c) throw new UsageError(t('dunning.contacts.err.unknown', { id }));
  return c;
}

/** Every version of a contact, oldest first (follows supersedes_id both ways). */
export function contactVersions(db: Db, id: number): Contact[] {
  const rows = db
    .prepare(
      `WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT c.supersedes_id FROM contacts c JOIN up ON c.id = up.id WHERE c.supersedes_id IS NOT NULL),
                      down(id) AS (SELECT ? UNION SELECT c.id FROM contacts c JOIN down ON c.supersedes_id = down.id)
       ${SELECT} WHERE c.id IN (SELECT id FROM up UNION SELECT id FROM down) ORDER BY c.id`,
    )
    .all(id, id) as Row[];
  return fromRows(db, rows);
}

export interface ContactFilter {
  clientId?: number;
  documentId?: number;
  /** Contacts on or after this day. */
  since?: IsoDate;
  /** Contacts up to and including this day. */
  until?: IsoDate;
  /** Also the versions that an edit replaced. */
  includeSuperseded?: boolean;
}

/** Contacts in time order (their real instant, whatever offset they were logged with). */
export function listContacts(db: Db, f: ContactFilter = {}): Contact[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (!f.includeSuperseded) where.push('NOT EXISTS (SELECT 1 FROM contacts s WHERE s.supersedes_id = c.id)');
  if (f.clientId !== undefined) {
    where.push('c.client_id = ?');
    args.push(f.clientId);
  }
  if (f.documentId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM contact_documents cd WHERE cd.contact_id = c.id AND cd.document_id = ?)');
    args.push(f.documentId);
  }
  if (f.since !== undefined) {
    where.push('substr(c.at, 1, 10) >= ?');
    args.push(f.since);
  }
  if (f.until !== undefined) {
    where.push('substr(c.at, 1, 10) <= ?');
    args.push(f.until);
  }
  const rows = db.prepare(`${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`).all(...args) as Row[];
  const t = new Map(rows.map((r) => [r.id, instant(r.at)]));
  return fromRows(db, rows).sort((a, b) => t.get(a.id)! - t.get(b.id)! || a.id - b.id);
}

function insertRow(db: Db, f: ContactFields, supersedesId: number | null, createdAt: string, disputeDocs: number[]): number {
  const info = db
    .prepare(
      `INSERT INTO contacts (client_id, at, channel, with_whom, outcome, promise_date, promise_amount, next_action_date, dispute_reason, message_id, supersedes_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(f.clientId, f.at, f.channel, f.withWhom, f.outcome, f.promiseDate, f.promiseAmount, f.nextActionDate, f.disputeReason, f.messageId ?? null, supersedesId, createdAt);
  const id = Number(info.lastInsertRowid);
  const link = db.prepare('INSERT INTO contact_documents (contact_id, document_id) VALUES (?, ?)');
  for (const d of new Set(f.documentIds)) link.run(id, d);
  if (f.disputeReason !== null && disputeDocs.length > 0) markDisputed(db, disputeDocs, contactDay(f.at), f.disputeReason);
  return id;
}

/** Log a contact (and mark its invoices disputed when it records a dispute). Call inside write(). */
export function insertContact(db: Db, f: ContactFields, createdAt: string): Contact {
  return requireContact(db, insertRow(db, f, null, createdAt, f.documentIds));
}

/**
 * Edit a contact: a new row that supersedes the current version; the old one stays in the history.
 * Call inside write().
 */
export function supersedeContact(db: Db, id: number, f: ContactFields, createdAt: string): Contact {
  const old = requireContact(db, id);
  if (old.supersededById !== null) {
    throw new UsageError(t('dunning.contacts.err.edited', { id, latest: latestVersion(db, id) }));
  }
  // Only a new or changed dispute marks invoices: an edit of the outcome must not re-dispute an
  // invoice that was undisputed since.
  const before = new Set(old.documents.map((d) => d.id));
  const disputeDocs = f.disputeReason !== old.disputeReason ? f.documentIds : f.documentIds.filter((d) => !before.has(d));
  return requireContact(db, insertRow(db, f, id, createdAt, disputeDocs));
}

/** The id of the current version of a contact. */
export function latestVersion(db: Db, id: number): number {
  let cur = id;
  for (;;) {
    const r = db.prepare('SELECT id FROM contacts WHERE supersedes_id = ?').get(cur) as { id: number } | undefined;
    if (!r) return cur;
    cur = r.id;
  }
}

/**
 * Mark invoices disputed (documents.disputed_on / disputed_reason) from a contact that records
 * the dispute, open-ended (disputed_until cleared). A dispute still running on that day keeps its
 * start date; an ended one (disputed_until before the day) is replaced. Call inside write().
 */
export function markDisputed(db: Db, documentIds: number[], on: IsoDate, reason: string): void {
  const update = db.prepare(
    `UPDATE documents
     SET disputed_on = CASE WHEN disputed_on IS NOT NULL AND disputed_on <= @on AND (disputed_until IS NULL OR disputed_until >= @on) THEN disputed_on ELSE @on END,
         disputed_reason = @reason, disputed_until = NULL
     WHERE id = @id`,
  );
  for (const id of documentIds) update.run({ on, reason, id });
}

// ---------------------------------------------------------------------------------------------
// Invoices, as the call log needs them (narrow reads of the documents table)

export interface InvoiceRef {
  id: number;
  number: string;
  clientId: number;
  clientCode: string;
  kind: string;
}

/** An issued invoice (any kind but quotes and credit notes) by its number. */
export function findInvoiceByNumber(db: Db, number: string): InvoiceRef | undefined {
  return db
    .prepare(
      `SELECT d.id, d.number, d.client_id AS clientId, cl.code AS clientCode, d.kind
       FROM documents d JOIN clients cl ON cl.id = d.client_id
       WHERE d.number = ? AND d.kind NOT IN ('quote', 'credit_note')`,
    )
    .get(number.trim()) as InvoiceRef | undefined;
}

/** The invoice with this number, or a UsageError saying how to find the right one. */
export function requireInvoiceNumber(db: Db, number: string, flag = '--invoice'): InvoiceRef {
  const inv = findInvoiceByNumber(db, number);
  if (!inv) throw new UsageError(t('dunning.contacts.err.invoice', { flag, number }));
  return inv;
}

// ---------------------------------------------------------------------------------------------
// Promises to pay

const validGrace = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * The grace (days after a promise's date) during which reminders still wait: the client's own
 * policy override when it sets one, else the ledger policy's (settings key 'policy'), else 3.
 */
export function promiseGraceDays(db: Db, clientId?: number): number {
  return clientGrace(db, clientId, ledgerGrace(db));
}

function ledgerGrace(db: Db): number {
  const p = getJson<{ promiseGraceDays?: unknown }>(db, 'policy');
  return p && validGrace(p.promiseGraceDays) ? p.promiseGraceDays : DEFAULT_PROMISE_GRACE_DAYS;
}

function clientGrace(db: Db, clientId: number | undefined, fallback: number): number {
  if (clientId === undefined) return fallback;
  const row = stmt(db, 'SELECT policy_json FROM clients WHERE id = ?').get(clientId) as { policy_json: string | null } | undefined;
  return graceOf(row?.policy_json ?? null, fallback);
}

/** The grace a client's own policy (clients.policy_json) sets, else `fallback`. */
function graceOf(policyJson: string | null, fallback: number): number {
  if (!policyJson) return fallback;
  try {
    const o = JSON.parse(policyJson) as { promiseGraceDays?: unknown };
    return validGrace(o.promiseGraceDays) ? o.promiseGraceDays : fallback;
  } catch {
    return fallback; // a malformed override is the policy command's to report
  }
}

export interface PromiseState {
  contactId: number;
  clientId: number;
  clientCode: string;
  /** The invoices promised; null: the client's whole balance. */
  documentIds: number[] | null;
  /** The invoices' numbers, sorted (empty when promisesAsOf was asked with numbers: false). */
  documentNumbers: string[];
  /** When the promise was made (contact time). */
  at: string;
  /** The day by which the client promised to pay (the dunning planner's PromiseToPay.date). */
  date: IsoDate;
  amount: Cents | null;
  status: PromiseStatus;
  /** What the promise is measured against (the amount promised, else what was owed at the call). */
  target: Cents;
  /** Received since the call, up to the as-of date. */
  paid: Cents;
  /** Reminders wait up to and including this day. */
  holdsUntil: IsoDate;
  /** The first later contact with the client after the promise fell through (broken promises only). */
  followedUpAt: string | null;
}

const INVOICE_KINDS = "('invoice', 'deposit', 'final', 'penalty')";

/** Open balance of some issued invoices as of a day: amount due, less allocations and credit notes up to that day. */
function openBalance(db: Db, documentIds: number[], day: IsoDate): Cents {
  if (documentIds.length === 0) return 0;
  const r = stmt(
    db,
    `SELECT COALESCE(SUM(MAX(0, d.amount_due
                 - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date <= ?), 0)
                 - COALESCE((SELECT SUM(ABS(cn.amount_due)) FROM documents cn WHERE cn.cancels_id = d.id AND cn.kind = 'credit_note'
                             AND cn.number IS NOT NULL AND COALESCE(cn.issue_date, cn.created_on) <= ?), 0))), 0) AS open
       FROM documents d WHERE d.id IN (SELECT value FROM json_each(?)) AND COALESCE(d.issue_date, d.created_on) <= ?`,
  ).get(day, day, JSON.stringify(documentIds), day) as { open: number };
  return r.open;
}

function clientInvoiceIds(db: Db, clientId: number): number[] {
  return (stmt(db, `SELECT id FROM documents WHERE client_id = ? AND number IS NOT NULL AND kind IN ${INVOICE_KINDS}`).all(clientId) as { id: number }[]).map((r) => r.id);
}

/** Money a client paid between two days, allocated or not (client credit counts), net of reversals. */
function clientPaidBetween(db: Db, clientId: number, from: IsoDate, to: IsoDate): Cents {
  const r = stmt(db, `SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE client_id = ? AND method <> 'credit' AND date >= ? AND date <= ?`).get(clientId, from, to) as { s: number };
  return r.s;
}

/**
 * What the verdicts of many promises about named invoices need, in one query: for each promise, the
 * open balance of its invoices the day before the call and on asOf, and what was allocated to them
 * from the call's day to asOf (the sums openBalance gives, one row per promise).
 */
function promiseSums(db: Db, promises: { id: number; docs: number[]; day: IsoDate }[], asOf: IsoDate): Map<number, { owedAtCall: Cents; paidSince: Cents; openNow: Cents }> {
  const out = new Map<number, { owedAtCall: Cents; paidSince: Cents; openNow: Cents }>();
  if (promises.length === 0) return out;
  const pairs: [number, number, IsoDate, IsoDate][] = [];
  for (const p of promises) {
    const before = addDays(p.day, -1);
    for (const d of new Set(p.docs)) pairs.push([p.id, d, before, p.day]);
  }
  const open = (day: string) => `CASE WHEN COALESCE(d.issue_date, d.created_on) <= ${day} THEN MAX(0, d.amount_due
      - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date <= ${day}), 0)
      - COALESCE((SELECT SUM(ABS(cn.amount_due)) FROM documents cn WHERE cn.cancels_id = d.id AND cn.kind = 'credit_note'
                  AND cn.number IS NOT NULL AND COALESCE(cn.issue_date, cn.created_on) <= ${day}), 0)) ELSE 0 END`;
  const rows = stmt(
    db,
    `WITH p(cid, doc, before, day) AS (
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(@pairs))
     SELECT p.cid AS id,
            SUM(${open('p.before')}) AS owedAtCall,
            SUM(${open('@asOf')}) AS openNow,
            SUM(COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date >= p.day AND a.date <= @asOf), 0)) AS paidSince
     FROM p JOIN documents d ON d.id = p.doc
     GROUP BY p.cid`,
  ).all({ pairs: JSON.stringify(pairs), asOf }) as { id: number; owedAtCall: number; openNow: number; paidSince: number }[];
  for (const r of rows) out.set(r.id, { owedAtCall: r.owedAtCall, paidSince: r.paidSince, openNow: r.openNow });
  for (const p of promises) if (!out.has(p.id)) out.set(p.id, { owedAtCall: 0, paidSince: 0, openNow: 0 });
  return out;
}

/** The few columns the promise and to-do rules need, for every current contact up to a day. */
interface Stamp {
  id: number;
  clientId: number;
  at: string;
  t: number;
  nextActionDate: IsoDate | null;
  messageId: number | null;
  promiseDate: IsoDate | null;
  promiseAmount: Cents | null;
  docs: number[] | null;
}

/**
 * A promise to pay as another read of the contacts already gave it (receivables.ts lastContacts reads
 * every current contact up to asOf for overdue): the same rows stamps() would read with
 * promisesOnly, so promisesAsOf need not read them again.
 */
export interface PromiseRead {
  id: number;
  clientId: number;
  at: string;
  promiseDate: IsoDate;
  promiseAmount: Cents | null;
  /** The contact's invoices, "ID,ID" (group_concat), or null: the whole client. */
  docs: string | null;
}

function stampOf(r: PromiseRead): PromiseStamp {
  return { id: r.id, clientId: r.clientId, at: r.at, t: instant(r.at), promiseDate: r.promiseDate, promiseAmount: r.promiseAmount, docs: r.docs ? r.docs.split(',').map(Number) : null };
}

/** What the promise rules read of a stamp. */
type PromiseStamp = Pick<Stamp, 'id' | 'clientId' | 'at' | 't' | 'promiseDate' | 'promiseAmount' | 'docs'>;

function stamps(db: Db, asOf: IsoDate, opts: { promisesOnly?: boolean; clientId?: number } = {}): Stamp[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.client_id AS clientId, c.at, c.next_action_date AS nextActionDate, c.message_id AS messageId,
              c.promise_date AS promiseDate, c.promise_amount AS promiseAmount,
              (SELECT group_concat(cd.document_id) FROM contact_documents cd WHERE cd.contact_id = c.id) AS docs
       FROM contacts c
       WHERE substr(c.at, 1, 10) <= @asOf AND NOT EXISTS (SELECT 1 FROM contacts s WHERE s.supersedes_id = c.id)
         ${opts.promisesOnly ? 'AND c.promise_date IS NOT NULL' : ''} ${opts.clientId !== undefined ? 'AND c.client_id = @client' : ''}`,
    )
    .all({ asOf, client: opts.clientId ?? null }) as (Omit<Stamp, 't' | 'docs'> & { docs: string | null })[];
  return rows.map((r) => ({ ...r, t: instant(r.at), docs: r.docs ? r.docs.split(',').map(Number) : null }));
}

function byClient<T extends { clientId: number }>(list: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of list) {
    const l = m.get(x.clientId);
    if (l) l.push(x);
    else m.set(x.clientId, [x]);
  }
  return m;
}

/** Contacts whose next action has come and who nobody has talked to since (`todo`), oldest first. */
export function nextActionsDue(db: Db, asOf: IsoDate): Contact[] {
  // Marking a reminder letter posted is bookkeeping, not a conversation: it does not replace a next action.
  const talks = stamps(db, asOf).filter((c) => c.messageId === null);
  const due: number[] = [];
  for (const group of byClient(talks).values()) {
    for (const c of group) if (nextActionDue(c, group, asOf)) due.push(c.id);
  }
  if (due.length === 0) return [];
  const rows = db.prepare(`${SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(due)) as Row[];
  return fromRows(db, rows).sort((a, b) => (a.nextActionDate! < b.nextActionDate! ? -1 : a.nextActionDate! > b.nextActionDate! ? 1 : a.id - b.id));
}

type Want = 'pending' | 'broken' | 'all';

/**
 * Every promise to pay made up to the as-of day, with its status as of that day. A promise that a
 * later promise of the same client (about some of the same invoices, or the whole client) replaced
 * is left out: the newer word counts. `want` skips the balance lookups of promises that cannot have
 * the wanted status (the grace alone tells pending from not pending); `only` gives the verdicts of
 * these promises alone; `followUps: false` leaves followedUpAt null (overdue does not show it).
 */
export function promisesAsOf(
  db: Db,
  asOf: IsoDate,
  opts: { clientId?: number; want?: Want; only?: ReadonlySet<number>; followUps?: boolean; read?: readonly PromiseRead[]; numbers?: boolean } = {},
): PromiseState[] {
  const want = opts.want ?? 'all';
  const graces = new Map<number, number>();
  const base = ledgerGrace(db);
  // The clients with a policy of their own (the few of the ledger, or opts.clientId if it has one), in one read, on first need.
  let own: Map<number, string> | null = null;
  const grace = (clientId: number) => {
    let g = graces.get(clientId);
    if (g === undefined) {
      own ??= new Map(
        (stmt(db, 'SELECT id, policy_json FROM clients WHERE policy_json IS NOT NULL AND (@client IS NULL OR id = @client)').all({ client: opts.clientId ?? null }) as { id: number; policy_json: string }[]).map((r) => [r.id, r.policy_json]),
      );
      graces.set(clientId, (g = graceOf(own.get(clientId) ?? null, base)));
    }
    return g;
  };
  // `read`: the promises (every current one up to asOf, of opts.clientId or of every client) as the
  // caller already read them with the other contacts; else read here.
  const promises: PromiseStamp[] = opts.read ? opts.read.map(stampOf) : stamps(db, asOf, { promisesOnly: true, clientId: opts.clientId });
  const live: PromiseStamp[] = [];
  for (const group of byClient(promises).values()) {
    // Newest first: a promise is replaced when a later one (in time, then id) names one of its
    // invoices, or either of the two is about the whole client. One pass, whatever the group's size.
    let laterWhole = false;
    let anyLater = false;
    const laterDocs = new Set<number>();
    for (const c of [...group].sort((a, b) => b.t - a.t || b.id - a.id)) {
      const replaced = laterWhole || (anyLater && c.docs === null) || (c.docs !== null && c.docs.some((d) => laterDocs.has(d)));
      if (!replaced && (!opts.only || opts.only.has(c.id))) live.push(c);
      anyLater = true;
      if (c.docs === null) laterWhole = true;
      else for (const d of c.docs) laterDocs.add(d);
    }
  }
  const codes = new Map((db.prepare('SELECT id, code FROM clients').all() as { id: number; code: string }[]).map((r) => [r.id, r.code]));
  const holds = (c: PromiseStamp) => addDays(c.promiseDate!, grace(c.clientId));
  const candidates = live
    .filter((c) => !(want === 'pending' && asOf > holds(c)) && !(want === 'broken' && asOf <= holds(c)))
    .sort((a, b) => a.t - b.t || a.id - b.id);
  // Promises about named invoices: their sums and the invoices' numbers in two queries for all.
  const named = candidates.filter((c) => c.docs !== null);
  const sums = promiseSums(db, named.map((c) => ({ id: c.id, docs: c.docs!, day: contactDay(c.at) })), asOf);
  // `numbers: false` (overdue, which shows the status alone): no look-up of the invoices' numbers.
  const numbers = new Map(
    opts.numbers === false
      ? []
      : (
          stmt(db, "SELECT id, COALESCE(number, 'draft #' || id) AS n FROM documents WHERE id IN (SELECT value FROM json_each(?))").all(
            JSON.stringify([...new Set(named.flatMap((c) => c.docs!))]),
          ) as { id: number; n: string }[]
        ).map((r) => [r.id, r.n]),
  );
  const follow = stmt(
    db,
    `SELECT o.at FROM contacts o
     WHERE o.client_id = ? AND o.message_id IS NULL AND substr(o.at, 1, 10) > ? AND substr(o.at, 1, 10) <= ?
       AND NOT EXISTS (SELECT 1 FROM contacts s WHERE s.supersedes_id = o.id)
     ORDER BY julianday(o.at), o.id LIMIT 1`,
  ).pluck();
  const followedUp = (c: PromiseStamp) => (opts.followUps === false ? null : ((follow.get(c.clientId, c.promiseDate, asOf) as string | undefined) ?? null));
  const out: PromiseState[] = [];
  for (const c of candidates) {
    const day = contactDay(c.at);
    let balances = sums.get(c.id);
    if (!balances) {
      // A promise about the whole client: its invoices, and what the client paid, allocated or not.
      const ids = clientInvoiceIds(db, c.clientId);
      balances = { owedAtCall: openBalance(db, ids, addDays(day, -1)), paidSince: clientPaidBetween(db, c.clientId, day, asOf), openNow: openBalance(db, ids, asOf) };
    }
    const verdict = promiseStatus({ promiseDate: c.promiseDate!, promiseAmount: c.promiseAmount, ...balances }, asOf, grace(c.clientId));
    if (want !== 'all' && verdict.status !== want) continue;
    out.push({
      contactId: c.id,
      clientId: c.clientId,
      clientCode: codes.get(c.clientId) ?? String(c.clientId),
      documentIds: c.docs,
      documentNumbers: opts.numbers === false ? [] : (c.docs ?? []).map((d) => numbers.get(d)!).sort(),
      at: c.at,
      date: c.promiseDate!,
      amount: c.promiseAmount,
      status: verdict.status,
      target: verdict.target,
      paid: verdict.paid,
      holdsUntil: verdict.holdsUntil,
      followedUpAt: verdict.status === 'broken' ? followedUp(c) : null,
    });
  }
  return out;
}

/**
 * Promises that hold dunning as of asOf: made on or before it, not kept, and asOf <= date + grace.
 * Each one fits the planner's PromiseToPay ({ clientId, documentIds (null = whole client), date }).
 */
export function activePromises(db: Db, asOf: IsoDate): PromiseState[] {
  return promisesAsOf(db, asOf, { want: 'pending' });
}

/**
 * Promises broken as of asOf: their date plus the grace has passed without the amount received.
 * followedUpAt tells whether the client was contacted again since (null: nobody has; `todo` lists those).
 */
export function brokenPromises(db: Db, asOf: IsoDate): PromiseState[] {
  return promisesAsOf(db, asOf, { want: 'broken' });
}

/** The active promise that holds reminders of this invoice (or of the whole client), if any. */
export function holdingPromise(active: readonly PromiseState[], clientId: number, documentId: number): PromiseState | undefined {
  return active.find((p) => p.clientId === clientId && (p.documentIds === null || p.documentIds.includes(documentId)));
}

// ---------------------------------------------------------------------------------------------
// What the to-do list reads from the reminders side

export interface PendingMessage {
  messageId: number;
  clientId: number;
  clientCode: string;
  clientName: string;
  phone: string | null;
  level: number;
  asOf: IsoDate;
  filePath: string | null;
  recipient: string | null;
  documentNumbers: string[];
}

function pendingMessages(db: Db, channel: 'letter' | 'call', asOf: IsoDate): PendingMessage[] {
  const rows = db
    .prepare(
      `SELECT m.id AS messageId, m.client_id AS clientId, cl.code AS clientCode, cl.name AS clientName, cl.phone, m.level, m.as_of AS asOf,
              m.file_path AS filePath, m.recipient, m.invoices,
              (SELECT json_group_array(d.number) FROM reminders r JOIN documents d ON d.id = r.document_id WHERE r.message_id = m.id) AS docs
       FROM messages m JOIN clients cl ON cl.id = m.client_id
       WHERE m.channel = ? AND m.status IN ('written', 'sent') AND m.as_of <= ?
         AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.message_id = m.id)
         ${channel === 'call' ? `AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.client_id = m.client_id AND c.channel IN ('call', 'visit', 'meeting') AND substr(c.at, 1, 10) >= m.as_of AND substr(c.at, 1, 10) <= ?)` : ''}
       ORDER BY m.as_of, m.id`,
    )
    .all(...(channel === 'call' ? [channel, asOf, asOf] : [channel, asOf])) as (Omit<PendingMessage, 'documentNumbers'> & { docs: string; invoices: string | null })[];
  return rows.map(({ docs, invoices, ...r }) => ({ ...r, documentNumbers: messageNumbers(docs, invoices) }));
}

/** Reminder letters produced by `remind` that nobody has marked posted yet. */
export function lettersToPost(db: Db, asOf: IsoDate): PendingMessage[] {
  return pendingMessages(db, 'letter', asOf);
}

/** Calls the policy asked for (reminders on the 'call' channel) with no call, visit or meeting logged since. */
export function callsToMake(db: Db, asOf: IsoDate): PendingMessage[] {
  return pendingMessages(db, 'call', asOf);
}

/** A reminder message by id (for `todo posted ID`). */
export function findMessage(db: Db, id: number): { id: number; clientId: number; channel: string; status: string; asOf: IsoDate } | undefined {
  return db.prepare('SELECT id, client_id AS clientId, channel, status, as_of AS asOf FROM messages WHERE id = ?').get(id) as
    | { id: number; clientId: number; channel: string; status: string; asOf: IsoDate }
    | undefined;
}

/** The contact that marked a message posted, if any. */
export function postingOf(db: Db, messageId: number): Contact | undefined {
  const r = db.prepare(`${SELECT} WHERE c.message_id = ? ORDER BY c.id LIMIT 1`).get(messageId) as Row | undefined;
  return r ? fromRows(db, [r])[0] : undefined;
}

/** The invoices a reminder message carried. */
export function messageDocumentIds(db: Db, messageId: number): number[] {
  return (db.prepare('SELECT DISTINCT document_id FROM reminders WHERE message_id = ? ORDER BY document_id').all(messageId) as { document_id: number }[]).map((r) => r.document_id);
}

/**
 * The invoice numbers of a message: from its reminders rows, else from the numbers it lists
 * (messages.invoices, comma-separated; a call to make that goes with an email has no reminders of its own).
 */
export function messageNumbers(remindersJson: string, listed: string | null): string[] {
  const fromReminders = [...new Set((JSON.parse(remindersJson) as (string | null)[]).filter((n): n is string => n !== null))];
  if (fromReminders.length > 0 || !listed) return fromReminders;
  return listed
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}
