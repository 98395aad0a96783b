/**
 * Receivables as of a date: what every issued invoice still owes, read in ONE query (no query per
 * invoice) so that `overdue`, `statement`, `remind --due` and the formal-notice letters stay fast on
 * ledgers of a million invoices. Everything here is "as of": payments (allocations), credit notes,
 * plans and reminders dated after asOf are ignored, so a past date gives what that day showed.
 *
 *   balance = amount_due - paid - credited
 *   amount_due = total incl. VAT (minus the deposits deducted on a final invoice)
 *   paid       = allocations to the invoice dated <= asOf (reversals are negative allocations)
 *   credited   = issued credit notes cancelling it, dated <= asOf
 */
import { addSale, averageDays, bucketOf, daysLate, dso, DSO_WINDOW_DAYS, lateness, type Bucket } from '../core/aging.js';
import { addDays, type IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { computePenalties, interestOver, type PenaltyLine, type PenaltyMode, type PenaltyResult, type Settlement } from '../core/penalties.js';
import { settleInstalments, type Instalment, type InstalmentState } from '../core/plans.js';
import type { RateTables } from '../core/rates.js';
import type { PromiseRead } from './contacts.js';
import type { Db } from './db.js';
import { rateTables } from './rates.js';
import { getSettings } from './settings.js';

/** Kinds that ask the client for money. */
export const RECEIVABLE_KINDS = ['invoice', 'deposit', 'final', 'penalty'] as const;

export interface OpenItem {
  id: number;
  kind: string;
  number: string;
  clientId: number;
  clientCode: string;
  clientName: string;
  clientKind: 'b2b' | 'b2c';
  issueDate: IsoDate;
  /** The invoice's own due date. */
  dueDate: IsoDate;
  currency: string;
  /** What the client must pay, incl. VAT. */
  amountDue: Cents;
  paid: Cents;
  credited: Cents;
  /** amountDue - paid - credited; negative when the client paid or was credited too much. */
  balance: Cents;
  /**
   * The payments, reversals and credit notes behind paid and credited (what penalties are computed
   * from). An open item whose every one is dated on or before its due date and asOf carries its
   * payments as one settlement of their sum, dated its last settlement, beside its credit notes (its
   * penalties are the same: itemsSql settledEarly).
   */
  settlements: Settlement[];
  /** Days late of the invoice's own due date. */
  invoiceDaysLate: number;
  /**
   * Days late used for aging: the invoice's, or with an active payment plan, the days since the
   * oldest instalment that is late (0 when no instalment is late, even if the invoice's date passed).
   */
  daysLate: number;
  bucket: Bucket;
  disputed: boolean;
  disputedReason: string | null;
  /** The active payment plan on asOf, with each instalment settled in order. */
  plan: { id: number; createdOn: IsoDate; instalments: InstalmentState[] } | null;
  overdueInstalments: InstalmentState[];
  /** Highest reminder level reached by asOf (messages that failed or were cancelled do not count). */
  lastReminder: { level: number; date: IsoDate } | null;
}

export interface OpenItemsQuery {
  asOf: IsoDate;
  clientId?: number;
  /** Also return invoices whose balance is zero (statements of account). Default false. */
  includeSettled?: boolean;
  /** One invoice only. */
  documentId?: number;
}

/**
 * The columns of the open-items statement, read as raw arrays (better-sqlite3 .raw(): no object per
 * row, ~40 % less CPU for the 32k rows of mix-100k than named rows): their positions in itemsSql.
 * paid and credited: "DATE AMOUNT,DATE AMOUNT" (one look-up gives the sum and the dates); reminder:
 * "LEVEL DATE", the highest level and the latest date of the reminders that count.
 */
const enum C {
  id, kind, number, clientId, issueDate, dueDate, currency, amountDue, disputedOn, disputedUntil, disputedReason, paid, credited, reminder,
}
type Row = [number, string, string, number, string, string | null, string, number, string | null, string | null, string | null, string | null, string | null, string | null];

/**
 * The open-items query: each candidate invoice once, its allocations and credit notes (dated, so that
 * the penalties need no second query for them) and last reminder through the indices on
 * (document_id, date). No ORDER BY: the open items are sorted in JS instead of sorting them in a temp
 * b-tree, and the zero balances are left out there too. No join of the clients either: they are read
 * once (a few thousand rows) instead of once per open invoice.
 *
 * An invoice with no allocation and no credit note (documents.last_settlement IS NULL, kept by the
 * triggers of schema/balance.ts: most open invoices) skips both look-ups (CASE evaluates lazily).
 * Its last reminder is the kept pair (documents.last_reminder_level/_date, schema/last-reminder.ts:
 * the same MAX(level), MAX(date) over every counting reminder) when that date is on or before asOf,
 * and the subquery otherwise (a past as-of date, or a reminder dated after it): the same answer.
 * Never reminded (kept date NULL): no reminder, no search.
 *
 * `settledEarly` (the candidates' statements only, which read the kept columns anyway): an invoice
 * whose every payment and credit note is dated on or before both its due date and asOf
 * (last_settlement <= both) skips its allocations' look-up too. Its balance on asOf is then the kept
 * one, so paid is amount_due - balance - credited, and its payments, all made before any late day,
 * count for its penalties by their sum alone (core/penalties.ts baseSchedule: a settlement dated on
 * or before the due date is deducted from the first late day whatever its date). The column reads
 * "=DATE TOTAL" (last_settlement, amount_due - balance) and becomes one settlement of that date.
 * On mix-1m: 39k of the 95k open invoices with a settlement, ~120 ms of the statement's ~800.
 */
function itemsSql(source: string, filter: string, settledEarly = false): string {
  const early = settledEarly
    ? `WHEN d.last_settlement <= @asOf AND d.last_settlement <= COALESCE(d.due_date, d.issue_date) THEN '=' || d.last_settlement || ' ' || (d.amount_due - d.balance)
               `
    : '';
  return `
        SELECT d.id, d.kind, d.number, d.client_id,
               d.issue_date, d.due_date, d.currency, d.amount_due, d.disputed_on, d.disputed_until, d.disputed_reason,
               CASE WHEN d.last_settlement IS NULL THEN NULL ${early}ELSE
               (SELECT GROUP_CONCAT(a.date || ' ' || a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date <= @asOf) END AS paid,
               CASE WHEN d.last_settlement IS NULL THEN NULL ELSE
               (SELECT GROUP_CONCAT(n.issue_date || ' ' || n.total_gross) FROM documents n
                 WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL AND n.issue_date <= @asOf) END AS credited,
               CASE WHEN d.last_reminder_date IS NULL THEN NULL
                    WHEN d.last_reminder_date <= @asOf THEN d.last_reminder_level || ' ' || d.last_reminder_date ELSE
               (SELECT MAX(r.level) || ' ' || MAX(r.date) FROM reminders r LEFT JOIN messages m ON m.id = r.message_id
                 WHERE r.document_id = d.id AND r.date <= @asOf AND (m.id IS NULL OR m.status IN ('sent', 'written', 'sending'))) END AS reminder
        FROM ${source}
        WHERE ${filter} AND d.kind IN ('invoice', 'deposit', 'final', 'penalty') AND d.number IS NOT NULL AND d.issue_date <= @asOf`;
}

/**
 * Candidates of the open items as of asOf: the invoices whose kept balance (documents.balance,
 * today's) is not zero, a range read of the partial covering index report_documents_open, and those
 * settled after asOf (settled_on > asOf, report_documents_settled: none for today, the invoices settled
 * since then for a past date; that is the slower path of a past --as-of). Every other invoice has a
 * balance of zero on asOf, so the result is the same as computing every balance
 * (test/store/payments-property.test.ts).
 */
function candidatesSql(filter: string): string {
  return `${itemsSql('documents d', `${filter} AND d.balance <> 0`, true)}
        UNION ALL${itemsSql('documents d', `${filter} AND d.settled_on > @asOf AND d.balance = 0`)}`;
}

/** "DATE AMOUNT,DATE AMOUNT" (GROUP_CONCAT) into settlements; returns their sum. */
function parseSettlements(text: string | null, into: Settlement[]): Cents {
  if (text === null) return 0;
  let sum = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf(',', at);
    const part = end < 0 ? text.slice(at) : text.slice(at, end);
    const amount = Number(part.slice(11));
    into.push({ date: part.slice(0, 10), amount });
    sum += amount;
    if (end < 0) return sum;
    at = end + 1;
  }
}


/**
 * Contacts up to a date, not superseded by an edit, oldest first (one client: contacts_client), with
 * the columns the report shows (lastContacts' Raw) and their invoices "ID,ID".
 */
function contactsSql(filter: string): string {
  return `
      SELECT c.id, c.client_id, c.at, c.channel, c.outcome, c.promise_date, c.promise_amount,
             (SELECT GROUP_CONCAT(cd.document_id) FROM contact_documents cd WHERE cd.contact_id = c.id) AS docs
      FROM contacts c
      WHERE ${filter} AND substr(c.at, 1, 10) <= @asOf
        AND NOT EXISTS (SELECT 1 FROM contacts s WHERE s.supersedes_id = c.id)
      ORDER BY c.at, c.id`;
}

/** Open items in report order: client code, then due date, then number. */
function byClientThenDue(a: OpenItem, b: OpenItem): number {
  const ka = a.dueDate;
  const kb = b.dueDate;
  return a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : ka < kb ? -1 : ka > kb ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : a.id - b.id;
}

/** No instalment late: shared by every item without a plan (never mutated). */
const NONE: InstalmentState[] = Object.freeze([]) as unknown as InstalmentState[];

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Statements>();

function prepare(db: Db) {
  return {
    // Three statements rather than "(@client IS NULL OR d.client_id = @client)", which no index can
    // serve: the whole ledger, one client (documents_client), one invoice (its primary key).
    items: db.prepare(candidatesSql('1 = 1')).raw(true),
    itemsOfClient: db.prepare(candidatesSql('d.client_id = @client')).raw(true),
    clients: db.prepare('SELECT id, code, name, kind FROM clients'),
    clientOf: db.prepare('SELECT id, code, name, kind FROM clients WHERE id = @client'),
    clientOfDocument: db.prepare('SELECT c.id, c.code, c.name, c.kind FROM clients c JOIN documents d ON d.client_id = c.id WHERE d.id = @doc'),
    itemsOfDocument: db.prepare(itemsSql('documents d', 'd.id = @doc')).raw(true),
    // includeSettled: every issued invoice, whatever its balance.
    allItems: db.prepare(itemsSql('documents d', '1 = 1')).raw(true),
    allItemsOfClient: db.prepare(itemsSql('documents d', 'd.client_id = @client')).raw(true),
    plans: db.prepare(`
      SELECT p.id AS plan_id, p.document_id, p.created_on, i.position, i.due_date, i.amount
      FROM plans p JOIN plan_instalments i ON i.plan_id = p.id
      JOIN documents d ON d.id = p.document_id
      WHERE p.created_on <= @asOf AND (p.cancelled_on IS NULL OR p.cancelled_on > @asOf)
        AND (@client IS NULL OR d.client_id = @client) AND (@doc IS NULL OR p.document_id = @doc)
      ORDER BY p.document_id, p.id, i.position`),
    allocations: db.prepare(`
      SELECT a.document_id, a.date, a.amount FROM allocations a
      WHERE a.document_id IN (SELECT value FROM json_each(@ids)) AND a.date <= @asOf`),
    creditNotes: db.prepare(`
      SELECT n.cancels_id AS document_id, n.issue_date AS date, n.total_gross AS amount FROM documents n
      WHERE n.cancels_id IN (SELECT value FROM json_each(@ids)) AND n.kind = 'credit_note' AND n.number IS NOT NULL AND n.issue_date <= @asOf`),
    notices: db.prepare(`
      SELECT r.document_id, MIN(r.date) AS date FROM reminders r JOIN messages m ON m.id = r.message_id
      WHERE r.document_id IN (SELECT value FROM json_each(@ids)) AND r.date <= @asOf
        AND m.channel = 'letter' AND m.status IN ('sent', 'written')
      GROUP BY r.document_id`),
    billed: db.prepare(`
      SELECT b.invoice_id, SUM(b.interest) AS interest, SUM(b.indemnity) AS indemnity, MAX(b.through) AS through
      FROM penalty_bills b JOIN documents p ON p.id = b.document_id
      WHERE b.invoice_id IN (SELECT value FROM json_each(@ids)) AND p.issue_date <= @asOf
        AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.cancels_id = p.id AND n.kind = 'credit_note' AND n.number IS NOT NULL AND n.issue_date <= @asOf)
      GROUP BY b.invoice_id`),
    // Every invoice's bills at once, for many invoices: penalty bills are few, the ids many.
    billedAll: db.prepare(`
      SELECT b.invoice_id, SUM(b.interest) AS interest, SUM(b.indemnity) AS indemnity, MAX(b.through) AS through
      FROM penalty_bills b JOIN documents p ON p.id = b.document_id
      WHERE p.issue_date <= @asOf
        AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.cancels_id = p.id AND n.kind = 'credit_note' AND n.number IS NOT NULL AND n.issue_date <= @asOf)
      GROUP BY b.invoice_id`),
    // Raw rows (arrays in contactsSql's column order): no object per contact besides its ContactInfo.
    // Over the whole ledger, only the contacts the report can show or needs (a plain scan, no sort
    // in SQL; the superseded ones are read once below, the time order made in JS): those naming an
    // invoice that may be open on asOf (the open items' candidates: a kept balance other than zero,
    // or settled after asOf), every promise (a later promise about a settled invoice still replaces
    // an earlier one about the whole client), those naming no invoice, and each client's latest
    // current contact (an invoice nobody talked about shows its client's). On mix-100k: 16k of the
    // 23k contacts, and two columns fewer than contactsSql had (with_whom, next_action_date).
    contacts: db
      .prepare(
        `SELECT c.id, c.client_id, c.at, c.channel, c.outcome, c.promise_date, c.promise_amount,
                (SELECT GROUP_CONCAT(cd.document_id) FROM contact_documents cd WHERE cd.contact_id = c.id) AS docs
         FROM contacts c
         WHERE substr(c.at, 1, 10) <= @asOf
           AND (c.promise_date IS NOT NULL
             OR NOT EXISTS (SELECT 1 FROM contact_documents cd WHERE cd.contact_id = c.id)
             OR EXISTS (SELECT 1 FROM contact_documents cd JOIN documents d ON d.id = cd.document_id
                         WHERE cd.contact_id = c.id AND (d.balance <> 0 OR d.settled_on > @asOf))
             OR c.id IN (SELECT (SELECT l.id FROM contacts l
                                  WHERE l.client_id = k.id AND substr(l.at, 1, 10) <= @asOf
                                    AND NOT EXISTS (SELECT 1 FROM contacts s WHERE s.supersedes_id = l.id)
                                  ORDER BY l.at DESC, l.id DESC LIMIT 1)
                         FROM clients k))`,
      )
      .raw(true),
    superseded: db.prepare('SELECT supersedes_id FROM contacts WHERE supersedes_id IS NOT NULL').pluck(),
    contactsOfClient: db.prepare(contactsSql('c.client_id = @client')).raw(true),
  };
}

function st(db: Db): Statements {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

function disputedOn(r: Row, asOf: IsoDate): boolean {
  const on = r[C.disputedOn];
  if (!on || on > asOf) return false;
  const until = r[C.disputedUntil];
  return !until || until >= asOf;
}

/**
 * For a report that reads a large part of the ledger (overdue over every client): memory-mapped
 * reads of up to 1 GiB, which spare SQLite a copy of every page it reads (the open items' query:
 * ~20 % less CPU on 100k invoices). Reads only: writes still go through SQLite's own I/O.
 */
export function mapForReading(db: Db): void {
  db.pragma('mmap_size = 1073741824');
}

/**
 * The open items (issued invoices with a balance other than zero) as of a date, oldest due first
 * within each client. One query for the invoices, one for the active plans.
 */
export function openItems(db: Db, q: OpenItemsQuery): OpenItem[] {
  const s = st(db);
  const params = { asOf: q.asOf, client: q.clientId ?? null, doc: q.documentId ?? null };
  const stmt =
    q.documentId !== undefined ? s.itemsOfDocument : q.clientId !== undefined ? (q.includeSettled ? s.allItemsOfClient : s.itemsOfClient) : q.includeSettled ? s.allItems : s.items;
  const plans = new Map<number, { id: number; createdOn: string; instalments: Instalment[] }>();
  for (const p of s.plans.all(params) as { plan_id: number; document_id: number; created_on: string; position: number; due_date: string; amount: number }[]) {
    let plan = plans.get(p.document_id);
    if (!plan || plan.id !== p.plan_id) {
      // The newest active plan of an invoice wins (plan creation cancels the previous one anyway).
      if (plan && plan.id > p.plan_id) continue;
      plans.set(p.document_id, (plan = { id: p.plan_id, createdOn: p.created_on, instalments: [] }));
    }
    plan.instalments.push({ position: p.position, dueDate: p.due_date, amount: p.amount });
  }
  // Rows are read one at a time (not .all()) and become items at once: on a large ledger, holding
  // every row and every item together doubled what the garbage collector had to walk.
  const late = new Map<IsoDate, number>(); // days late per due date: few dates, many invoices
  type ClientRow = { id: number; code: string; name: string; kind: 'b2b' | 'b2c' };
  const clients = new Map<number, ClientRow>();
  for (const c of (q.documentId !== undefined ? s.clientOfDocument : q.clientId !== undefined ? s.clientOf : s.clients).iterate(params) as IterableIterator<ClientRow>) clients.set(c.id, c);
  const out: OpenItem[] = [];
  for (const r of stmt.iterate(params) as IterableIterator<Row>) {
    // Most open invoices have neither payment nor credit note: they share one empty list.
    const paidText = r[C.paid];
    const creditedText = r[C.credited];
    const settlements: Settlement[] = paidText === null && creditedText === null ? (NO_SETTLEMENTS as Settlement[]) : [];
    let paid: Cents;
    let credited: Cents;
    if (paidText !== null && paidText.charCodeAt(0) === 61 /* '=' */) {
      // Settled on or before the due date and asOf (itemsSql settledEarly): the kept balance holds.
      credited = parseSettlements(creditedText, settlements);
      paid = Number(paidText.slice(12)) - credited;
      if (paid !== 0) settlements.push({ date: paidText.slice(1, 11), amount: paid });
    } else {
      paid = parseSettlements(paidText, settlements);
      credited = parseSettlements(creditedText, settlements);
    }
    const id = r[C.id];
    const amountDue = r[C.amountDue];
    const balance = amountDue - paid - credited;
    if (balance === 0 && !q.includeSettled) continue;
    const issueDate = r[C.issueDate];
    const dueDate = r[C.dueDate] ?? issueDate;
    let invoiceDays = 0;
    if (balance > 0) {
      const known = late.get(dueDate);
      if (known === undefined) late.set(dueDate, (invoiceDays = daysLate(dueDate, q.asOf)));
      else invoiceDays = known;
    }
    const p = plans.get(id);
    let plan: OpenItem['plan'] = null;
    let overdue = NONE;
    let days = invoiceDays;
    if (p && balance > 0) {
      const instalments = settleInstalments(p.instalments, balance, q.asOf);
      plan = { id: p.id, createdOn: p.createdOn, instalments };
      overdue = instalments.filter((i) => i.late);
      days = 0;
      for (const i of overdue) if (i.daysLate > days) days = i.daysLate;
    }
    let lastReminder: OpenItem['lastReminder'] = null;
    const reminder = r[C.reminder];
    if (reminder !== null) {
      const sp = reminder.indexOf(' ');
      lastReminder = { level: Number(reminder.slice(0, sp)), date: reminder.slice(sp + 1) };
    }
    const clientId = r[C.clientId];
    const c = clients.get(clientId)!;
    out.push({
      id,
      kind: r[C.kind],
      number: r[C.number],
      clientId,
      clientCode: c.code,
      clientName: c.name,
      clientKind: c.kind,
      issueDate,
      dueDate,
      currency: r[C.currency],
      amountDue,
      paid,
      credited,
      balance,
      settlements,
      invoiceDaysLate: invoiceDays,
      daysLate: days,
      bucket: bucketOf(days),
      disputed: disputedOn(r, q.asOf),
      disputedReason: r[C.disputedReason],
      plan,
      overdueInstalments: overdue,
      lastReminder,
    });
  }
  return out.sort(byClientThenDue);
}

/** Payments, reversals and credit notes of these invoices up to asOf, per invoice (one query each kind). */
export function settlementsOf(db: Db, ids: readonly number[], asOf: IsoDate): Map<number, Settlement[]> {
  const out = new Map<number, Settlement[]>();
  if (ids.length === 0) return out;
  const s = st(db);
  const json = JSON.stringify(ids);
  for (const stmt of [s.allocations, s.creditNotes]) {
    for (const r of stmt.all({ ids: json, asOf }) as { document_id: number; date: string; amount: number }[]) {
      let list = out.get(r.document_id);
      if (!list) out.set(r.document_id, (list = []));
      list.push({ date: r.date, amount: r.amount });
    }
  }
  return out;
}

/** The date of the first formal notice (a reminder letter that went out) of each invoice, up to asOf. */
export function formalNotices(db: Db, ids: readonly number[], asOf: IsoDate): Map<number, IsoDate> {
  const out = new Map<number, IsoDate>();
  if (ids.length === 0) return out;
  for (const r of st(db).notices.all({ ids: JSON.stringify(ids), asOf }) as { document_id: number; date: string }[]) out.set(r.document_id, r.date);
  return out;
}

export interface Billed {
  interest: Cents;
  indemnity: Cents;
  through: IsoDate;
}

/** What penalty invoices issued up to asOf already billed, per late invoice. */
export function billedPenalties(db: Db, ids: readonly number[], asOf: IsoDate): Map<number, Billed> {
  const out = new Map<number, Billed>();
  if (ids.length === 0) return out;
  type B = { invoice_id: number; interest: number; indemnity: number; through: string };
  if (ids.length > 2000) {
    const wanted = new Set(ids);
    for (const r of st(db).billedAll.all({ asOf }) as B[]) if (wanted.has(r.invoice_id)) out.set(r.invoice_id, { interest: r.interest, indemnity: r.indemnity, through: r.through });
    return out;
  }
  for (const r of st(db).billed.all({ ids: JSON.stringify(ids), asOf }) as B[]) {
    out.set(r.invoice_id, { interest: r.interest, indemnity: r.indemnity, through: r.through });
  }
  return out;
}

/** The ledger's penalty terms: ECB + 10 or its contractual rate. */
export function penaltyMode(db: Db): PenaltyMode {
  const s = getSettings(db);
  if (s['penalty.mode'] === 'contract' && s['penalty.rate_bp'] !== null) return { kind: 'contract', rateBp: s['penalty.rate_bp'] };
  return { kind: 'ecb+10' };
}

export interface ItemPenalties extends PenaltyResult {
  /** Already billed on penalty invoices (issued up to asOf). */
  billed: Billed | null;
  /** Interest and indemnity not billed yet (null when the interest is unknown). */
  unbilledInterest: Cents | null;
  unbilledIndemnity: Cents;
}

/**
 * Penalties of open items as of a date, with a fixed number of queries whatever the number of items.
 * Penalty invoices themselves bear no penalties (no interest on interest). `noticeOverride` sets the
 * formal-notice date of consumer invoices (otherwise: the first reminder letter sent).
 */
export function penaltiesOf(
  db: Db,
  items: readonly (Pick<OpenItem, 'id' | 'kind' | 'amountDue' | 'dueDate' | 'clientKind'> & { settlements?: readonly Settlement[] })[],
  asOf: IsoDate,
  opts: { rates?: RateTables; mode?: PenaltyMode; noticeOverride?: IsoDate | null; summary?: boolean } = {},
): Map<number, ItemPenalties> {
  const out = new Map<number, ItemPenalties>();
  const due = items.filter((i) => i.kind !== 'penalty' && i.dueDate < asOf);
  if (due.length === 0) return out;
  const ids = due.map((i) => i.id);
  const rates = opts.rates ?? rateTables(db);
  const mode = opts.mode ?? penaltyMode(db);
  // Open items carry their settlements (read with them); others are looked up.
  const missing = due.filter((i) => i.settlements === undefined).map((i) => i.id);
  const settlements = settlementsOf(db, missing, asOf);
  // Only consumer invoices need their formal notice (professionals owe interest without one).
  const notices = formalNotices(db, due.filter((i) => i.clientKind === 'b2c').map((i) => i.id), asOf);
  const billed = billedPenalties(db, ids, asOf);
  // summary: one schedule of periods per (due date, client kind, formal notice) shared by every
  // invoice with no settlement (most open items), only the amounts multiplied per invoice.
  const schedules = opts.summary ? new Map<string, PenaltyResult>() : null;
  for (const it of due) {
    const list = it.settlements ?? settlements.get(it.id) ?? NO_SETTLEMENTS;
    const notice = opts.noticeOverride !== undefined && opts.noticeOverride !== null ? opts.noticeOverride : (notices.get(it.id) ?? null);
    let r: PenaltyResult;
    let interest: Cents | null;
    // Settled only on or before the due date (a part paid early): the base is the same all through
    // the late days, what was left on the due date, so the shared schedule serves too.
    let base = it.amountDue;
    if (schedules !== null && list.length > 0) {
      for (const x of list) {
        if (x.date > it.dueDate && x.date <= asOf) {
          base = -1;
          break;
        }
        if (x.date <= asOf) base -= x.amount;
      }
    }
    if (schedules !== null && base > 0 && it.amountDue > 0) {
      const key = it.clientKind === 'b2c' ? `${it.dueDate}|b2c|${notice ?? ''}` : it.dueDate;
      let t = schedules.get(key);
      if (t === undefined) {
        t = computePenalties({ amountDue: it.amountDue, dueDate: it.dueDate, asOf, settlements: NO_SETTLEMENTS, clientKind: it.clientKind, mode, formalNoticeDate: notice, rates });
        schedules.set(key, t);
      }
      r = t;
      interest = interestOver(t, base);
    } else {
      r = computePenalties({ amountDue: it.amountDue, dueDate: it.dueDate, asOf, settlements: list, clientKind: it.clientKind, mode, formalNoticeDate: notice, rates });
      interest = r.interest;
    }
    const b = billed.get(it.id) ?? null;
    out.set(it.id, {
      daysLate: r.daysLate,
      late: r.late,
      // A shared schedule's lines are another invoice's amounts: the summary gives none.
      lines: schedules !== null ? NO_LINES : r.lines,
      interest,
      indemnity: r.indemnity,
      unknown: r.unknown,
      warnings: r.warnings,
      startsOn: r.startsOn,
      rule: r.rule,
      billed: b,
      unbilledInterest: interest === null ? null : Math.max(0, interest - (b?.interest ?? 0)),
      unbilledIndemnity: Math.max(0, r.indemnity - (b?.indemnity ?? 0)),
    });
  }
  return out;
}
const NO_SETTLEMENTS: readonly Settlement[] = Object.freeze([]);
const NO_LINES: PenaltyLine[] = Object.freeze([]) as unknown as PenaltyLine[];

/** A contact as the overdue report shows it (the last one of an invoice, or its promise to pay). */
export interface ContactInfo {
  id: number;
  at: string;
  channel: string;
  outcome: string;
  promiseDate: IsoDate | null;
  promiseAmount: Cents | null;
}

/**
 * The last contact and the latest promise to pay up to asOf, per invoice: those logged about the
 * invoice, else those logged for its client without naming invoices.
 */
export function lastContacts(db: Db, asOf: IsoDate, clientId?: number) {
  // One entry per invoice and per client, updated in place as the rows come in time order; `seq`
  // (the row's rank) tells which of an invoice's own and its client's promise is later.
  type Entry = { last: ContactInfo; promise: ContactInfo | null; promiseSeq: number };
  const byDoc = new Map<number, Entry>();
  const byClient = new Map<number, Entry>();
  type Raw = [number, number, string, string, string, IsoDate | null, Cents | null, string | null];
  let rows: Iterable<Raw>;
  if (clientId === undefined) {
    // The contacts the report needs (prepare() says which), current ones up to asOf, in (at, id)
    // order as contactsSql gives them: `at` is an ISO timestamp (ASCII), so JS's order is SQLite's.
    const s = st(db);
    const gone = new Set(s.superseded.all() as number[]);
    const all: Raw[] = [];
    for (const x of s.contacts.iterate({ asOf }) as IterableIterator<Raw>) if (!gone.has(x[0])) all.push(x);
    rows = all.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] - b[0]));
  } else rows = st(db).contactsOfClient.iterate({ asOf, client: clientId }) as IterableIterator<Raw>;
  let n = 0;
  // The promises among them, for promisesAsOf (store/contacts.ts): overdue's verdicts read no contact again.
  const promises: PromiseRead[] = [];
  for (const x of rows) {
    // The raw columns: id, client_id, at, channel, outcome, promise_date, promise_amount, docs.
    const c: ContactInfo = { id: x[0], at: x[2], channel: x[3], outcome: x[4], promiseDate: x[5], promiseAmount: x[6] };
    const client = x[1];
    const docs = x[7];
    const seq = n++;
    if (c.promiseDate !== null) promises.push({ id: c.id, clientId: client, at: c.at, promiseDate: c.promiseDate, promiseAmount: c.promiseAmount, docs });
    const promised = c.promiseDate !== null && c.promiseDate !== undefined && c.promiseDate !== '';
    // The client's last contact is any of them; its promise only one that names no invoice (a
    // promise about F-1 says nothing of F-2).
    const cur = byClient.get(client);
    if (cur === undefined) byClient.set(client, { last: c, promise: promised && !docs ? c : null, promiseSeq: promised && !docs ? seq : -1 });
    else {
      cur.last = c;
      if (promised && !docs) (cur.promise = c), (cur.promiseSeq = seq);
    }
    if (!docs) continue;
    let at = 0;
    for (;;) {
      const end = docs.indexOf(',', at);
      const d = Number(end < 0 ? docs.slice(at) : docs.slice(at, end));
      const e = byDoc.get(d);
      if (e === undefined) byDoc.set(d, { last: c, promise: promised ? c : null, promiseSeq: promised ? seq : -1 });
      else {
        e.last = c;
        if (promised) (e.promise = c), (e.promiseSeq = seq);
      }
      if (end < 0) break;
      at = end + 1;
    }
  }
  return {
    /** Every current promise to pay up to asOf (of the client asked for, or of every client). */
    promises,
    /** The invoice's own last contact (else its client's), and the newer of its own and its client's promise. */
    of(item: Pick<OpenItem, 'id' | 'clientId'>): { last: ContactInfo; promise: ContactInfo | null } | null {
      const own = byDoc.get(item.id);
      const client = byClient.get(item.clientId);
      if (!own) return client ?? null;
      const promise = client === undefined || client.promise === null || (own.promise !== null && own.promiseSeq >= client.promiseSeq) ? own.promise : client.promise;
      return { last: own.last, promise };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// DSO and average days late (formulas in core/aging.ts), per client and currency, in two queries.

export interface ClientStats {
  clientId: number;
  clientCode: string;
  currency: string;
  /** Balance of every issued invoice on asOf (credit notes and payments deducted). */
  outstanding: Cents;
  /** Invoiced incl. VAT in (asOf - window, asOf], less credit notes issued in that window. */
  invoiced: Cents;
  /** That net invoicing per issue date (for the count-back DSO). */
  sales: Map<IsoDate, Cents>;
  /** DSO by the count-back method (core/aging.ts); null when undefined. */
  dso: number | null;
  /** Mean days late of the invoices due in the window (settled: when their balance reached zero; open: on asOf). */
  avgDaysLate: number | null;
  invoicesDue: number;
}

/** The DSO window: invoices issued or due in (since, asOf], whatever their balance (report_documents_window). */
function windowSql(filter: string): string {
  return `
      SELECT d.id, d.client_id, d.currency, d.issue_date, COALESCE(d.due_date, d.issue_date) AS due_date, d.amount_due, d.settled_on
      FROM documents d
      WHERE ${filter} AND MAX(d.issue_date, COALESCE(d.due_date, d.issue_date)) > @since
        AND d.kind IN ('invoice', 'deposit', 'final', 'penalty') AND d.number IS NOT NULL AND d.issue_date <= @asOf`;
}

/** A row of windowSql, raw: its columns' positions (the client's code is looked up in one read of the clients, not joined per row). */
const enum W {
  id, clientId, currency, issueDate, dueDate, amountDue, settledOn,
}
type WindowRow = [number, number, string, string, string, number, string | null];

type StatsStatements = ReturnType<typeof prepareStats>;
const statsCache = new WeakMap<Db, StatsStatements>();
function prepareStats(db: Db) {
  // Credit notes issued in the window, summed in JS (a few rows; no temp b-tree). The window
  // expression is implied by issue_date > @since: it is there for report_documents_window.
  const creditNotesSql = (filter: string) => `
      SELECT n.client_id, n.currency, n.issue_date, n.total_gross AS amount FROM documents n
       WHERE ${filter} AND MAX(n.issue_date, COALESCE(n.due_date, n.issue_date)) > @since
         AND n.kind = 'credit_note' AND n.number IS NOT NULL AND n.issue_date > @since AND n.issue_date <= @asOf`;
  return {
    // Raw rows (arrays in windowSql's column order, W below): no object per invoice of the window.
    window: db.prepare(windowSql('1 = 1')).raw(true),
    windowOfClient: db.prepare(windowSql('d.client_id = @client')).raw(true),
    clientCodes: db.prepare('SELECT id, code FROM clients').raw(true),
    clientCode: db.prepare('SELECT id, code FROM clients WHERE id = @client').raw(true),
    creditNotes: db.prepare(creditNotesSql('1 = 1')),
    creditNotesOfClient: db.prepare(creditNotesSql('n.client_id = @client')),
  };
}

/**
 * DSO and average days late per client and currency, from the open items (`items`: openItems() of
 * the same asOf and client, every sign of balance; read here when not given, so that overdue, which
 * has them already, does not compute every balance twice) and the invoices of the DSO window, read
 * without computing their balance: one that is not an open item owes nothing on asOf, and if it was
 * settled for good by then (documents.settled_on <= asOf), it reached zero on settled_on, its last
 * payment or credit note. Only the few others (zero on asOf but not for good, or overpaid) have their
 * payments and credit notes read for that date.
 */
export function clientStats(db: Db, asOf: IsoDate, opts: { clientId?: number; windowDays?: number; items?: readonly OpenItem[] } = {}): ClientStats[] {
  const windowDays = opts.windowDays ?? DSO_WINDOW_DAYS;
  const since = addDays(asOf, -windowDays); // window is (since, asOf]
  let st = statsCache.get(db);
  if (!st) statsCache.set(db, (st = prepareStats(db)));
  const items = opts.items ?? openItems(db, { asOf, clientId: opts.clientId });
  const params = { asOf, since, client: opts.clientId ?? null };
  const windowRows = (opts.clientId === undefined ? st.window : st.windowOfClient).all(params) as WindowRow[];
  const creditNotes = (opts.clientId === undefined ? st.creditNotes : st.creditNotesOfClient).all(params) as { client_id: number; currency: string; issue_date: string; amount: number }[];
  const open = new Map<number, OpenItem>();
  for (const i of items) open.set(i.id, i);
  // Invoices due in the window that owe nothing (or less than nothing) on asOf without being settled
  // for good by then: when did they reach zero? Their last payment or credit note up to asOf.
  const dated: number[] = [];
  for (const r of windowRows) {
    const due = r[W.dueDate];
    if (!(due > since && due <= asOf)) continue;
    const item = open.get(r[W.id]);
    const settled = r[W.settledOn];
    if (item ? item.balance < 0 : !(settled !== null && settled <= asOf)) dated.push(r[W.id]);
  }
  const lastDate = new Map<number, IsoDate>();
  for (const [id, list] of settlementsOf(db, dated, asOf)) {
    let last = '';
    for (const x of list) if (x.date > last) last = x.date;
    if (last) lastDate.set(id, last);
  }
  const acc = new Map<string, ClientStats & { days: number[] }>();
  // One entry per client and currency, looked up by client then currency (no key string per row).
  const byClient = new Map<number, Map<string, ClientStats & { days: number[] }>>();
  const get = (clientId: number, code: string, currency: string) => {
    let m = byClient.get(clientId);
    if (!m) byClient.set(clientId, (m = new Map()));
    let s = m.get(currency);
    if (!s) {
      m.set(currency, (s = { clientId, clientCode: code, currency, outstanding: 0, invoiced: 0, sales: new Map(), dso: null, avgDaysLate: null, invoicesDue: 0, days: [] }));
      acc.set(`${clientId}|${currency}`, s);
    }
    return s;
  };
  // Days late, memoised per (due date, date settled): a few thousand pairs for 300k invoices.
  const late = new Map<string, number>();
  const latenessOf = (due: IsoDate, settledOn: IsoDate | null) => {
    const k = settledOn === null ? due : due + settledOn;
    let d = late.get(k);
    if (d === undefined) late.set(k, (d = lateness(due, settledOn, asOf)));
    return d;
  };
  const codeOf = new Map((opts.clientId === undefined ? st.clientCodes.all() : st.clientCode.all(params)) as [number, string][]);
  const codes = new Map<number, string>();
  for (const i of items) {
    if (i.balance === 0) continue;
    get(i.clientId, i.clientCode, i.currency).outstanding += i.balance;
    codes.set(i.clientId, i.clientCode);
  }
  for (const r of windowRows) {
    const clientId = r[W.clientId];
    const code = codeOf.get(clientId)!;
    const s = get(clientId, code, r[W.currency]);
    codes.set(clientId, code);
    const issued = r[W.issueDate];
    if (issued > since) {
      s.invoiced += r[W.amountDue];
      addSale(s.sales, issued, r[W.amountDue]);
    }
    const due = r[W.dueDate];
    if (due > since && due <= asOf) {
      const id = r[W.id];
      const balance = open.get(id)?.balance ?? 0;
      const settled = r[W.settledOn];
      // When its balance reached zero: its last payment or credit note, else its issue date.
      const settledOn = balance > 0 ? null : settled !== null && settled <= asOf && balance === 0 ? settled : (lastDate.get(id) ?? issued);
      s.days.push(latenessOf(due, settledOn));
    }
  }
  for (const n of creditNotes) {
    const code = codes.get(n.client_id);
    if (code === undefined) continue;
    const s = get(n.client_id, code, n.currency);
    s.invoiced -= n.amount;
    addSale(s.sales, n.issue_date, -n.amount);
  }
  return [...acc.values()]
    .map(({ days, ...s }) => ({ ...s, dso: dso(s.outstanding, s.sales, asOf, windowDays), avgDaysLate: averageDays(days), invoicesDue: days.length }))
    .sort((a, b) => (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.currency < b.currency ? -1 : 1));
}

/** DSO over all clients, per currency (the count-back over their invoicing together). */
export function overallStats(stats: readonly ClientStats[], asOf: IsoDate, windowDays = DSO_WINDOW_DAYS): { currency: string; outstanding: Cents; invoiced: Cents; dso: number | null }[] {
  const by = new Map<string, { outstanding: Cents; invoiced: Cents; sales: Map<IsoDate, Cents> }>();
  for (const s of stats) {
    let t = by.get(s.currency);
    if (!t) by.set(s.currency, (t = { outstanding: 0, invoiced: 0, sales: new Map() }));
    t.outstanding += s.outstanding;
    t.invoiced += s.invoiced;
    for (const [d, a] of s.sales) addSale(t.sales, d, a);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({ currency, outstanding: t.outstanding, invoiced: t.invoiced, dso: dso(t.outstanding, t.sales, asOf, windowDays) }));
}

// ---------------------------------------------------------------------------------------------
// Statement of account: every invoice, credit note, payment and reversal of a client up to a date.

export interface StatementEntry {
  date: IsoDate;
  kind: 'invoice' | 'credit_note' | 'payment' | 'reversal';
  reference: string;
  documentKind: string | null;
  /** The invoice a credit note cancels, or the payment a reversal undoes. */
  about: string | null;
  method: string | null;
  currency: string;
  /** Increases what the client owes (invoices, reversals). */
  debit: Cents;
  /** Decreases it (credit notes, payments). */
  credit: Cents;
}

export function statementEntries(db: Db, clientId: number, asOf: IsoDate): StatementEntry[] {
  const docs = db
    .prepare(
      `SELECT d.kind, d.number, d.issue_date, d.currency, d.amount_due, d.total_gross, o.number AS about
       FROM documents d LEFT JOIN documents o ON o.id = d.cancels_id
       WHERE d.client_id = ? AND d.number IS NOT NULL AND d.kind <> 'quote' AND d.issue_date <= ?
       ORDER BY d.issue_date, d.seq`,
    )
    .all(clientId, asOf) as { kind: string; number: string; issue_date: string; currency: string; amount_due: number; total_gross: number; about: string | null }[];
  const pays = db
    .prepare(
      `SELECT p.id, p.date, p.amount, p.currency, p.method, p.reference, p.reverses_id FROM payments p
       WHERE p.client_id = ? AND p.date <= ? ORDER BY p.date, p.id`,
    )
    .all(clientId, asOf) as { id: number; date: string; amount: number; currency: string; method: string; reference: string | null; reverses_id: number | null }[];
  const out: StatementEntry[] = [];
  for (const d of docs) {
    const credit = d.kind === 'credit_note';
    out.push({
      date: d.issue_date,
      kind: credit ? 'credit_note' : 'invoice',
      reference: d.number,
      documentKind: d.kind,
      about: d.about,
      method: null,
      currency: d.currency,
      debit: credit ? 0 : d.amount_due,
      credit: credit ? d.total_gross : 0,
    });
  }
  for (const p of pays) {
    const reversal = p.reverses_id !== null;
    out.push({
      date: p.date,
      kind: reversal ? 'reversal' : 'payment',
      reference: `#${p.id}${p.reference ? ` ${p.reference}` : ''}`,
      documentKind: null,
      about: reversal ? `#${p.reverses_id}` : null,
      method: p.method,
      currency: p.currency,
      debit: reversal ? -p.amount : 0,
      credit: reversal ? 0 : p.amount,
    });
  }
  // Same day: documents before money, in the order they were recorded.
  const rank = { invoice: 0, credit_note: 1, payment: 2, reversal: 3 } as const;
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : rank[a.kind] - rank[b.kind]));
}
