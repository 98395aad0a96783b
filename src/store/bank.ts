/**
 * The bank statements' store (schema/bank.ts): accounts, imports, lines known by their identity,
 * the payments made from lines (the payments themselves go through store/payments.ts), ignored
 * lines, and payer IBANs learned per client. Writes run inside write() (or rehearse() for a dry run).
 */
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Cents } from '../core/money.js';
import { rethrowBusy, type Db } from './db.js';
import { RECEIVABLE_KINDS } from './receivables.js';
import { BANK_KEY_SQL } from './schema/bank.js';
import type { LineFacts } from '../core/bank-line.js';
import { t } from '../i18n/index.js';

export interface BankAccount {
  id: number;
  name: string;
  iban: string | null;
  currency: string;
  format: string | null;
  csv: unknown | null;
  createdAt: string;
}

export type LineStatus = 'matched' | 'unmatched' | 'ignored' | 'debit';

/** A stored line: what the statement said of it, and what became of it. */
export interface BankLine extends LineFacts {
  id: number;
  accountId: number;
  account: string;
  identity: string;
  note: string | null;
  ignoredReason: string | null;
  status: LineStatus;
  payments: { paymentId: number; how: string; undoneBy: number | null }[];
}

/** Where a new line is recorded: its account, the import that brought it, its identity, why it was left unmatched. */
export interface NewLine {
  accountId: number;
  importId: number;
  identity: string;
  note: string | null;
}

/**
 * An issued invoice's figures as recorded now: what bank matching needs, without the reports' extras.
 * The balance is the kept one (documents.balance, schema/balance.ts: amount due less every
 * allocation and issued credit note); a credit note sets last_settlement, so only an invoice with a
 * settlement is looked up for one. Inside a bank import (deferSettlements) the kept columns of the
 * invoices it paid wait for the flush: the engine reads these before it writes, and keeps them.
 */
const figuresSql = (cols: string) => `
  SELECT d.id, d.number, d.client_id, d.currency, d.issue_date, COALESCE(d.due_date, d.issue_date) AS due_date, d.kind, ${cols}, d.balance,
         CASE WHEN d.last_settlement IS NULL THEN 0
              ELSE EXISTS (SELECT 1 FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL) END AS credited
  FROM documents d`;
/**
 * By id (a row read per invoice anyway): with what its cashed status needs (store/statuses.ts
 * noteCashedIfPaid), whether it has 'cashed' already included (cash_facts 2, else 1): the import
 * then looks nothing up per invoice it pays off (it was one query each, ~9k in the bench's import).
 */
const FIGURES = figuresSql(`d.operation, d.disputed_on, 1 + EXISTS (SELECT 1 FROM invoice_statuses s WHERE s.document_id = d.id AND s.status = 'cashed') AS cash_facts`);
/** The open receivables of clients, from the partial covering index bank_documents_owing (migration 16). */
const OWING = `${figuresSql('NULL AS operation, NULL AS disputed_on, 0 AS cash_facts')} INDEXED BY bank_documents_owing WHERE d.balance > 0 AND d.number IS NOT NULL AND d.kind IN (${RECEIVABLE_KINDS.map((k) => `'${k}'`).join(', ')})`;

/** OWING's open receivables of one client in one currency issued on or before a date, not cancelled by a credit note (named parameters). */
const OPEN_OF = `d.balance > 0 AND d.number IS NOT NULL AND d.kind IN (${RECEIVABLE_KINDS.map((k) => `'${k}'`).join(', ')}) AND d.client_id = @client AND d.currency = @currency AND d.issue_date <= @onDate
  AND NOT (d.last_settlement IS NOT NULL AND EXISTS (SELECT 1 FROM documents n WHERE n.cancels_id = d.id AND n.kind = 'credit_note' AND n.number IS NOT NULL))`;

export interface InvoiceFigures {
  id: number;
  number: string;
  clientId: number;
  currency: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  kind: string;
  /**
   * What recording 'cashed' needs when a payment settles it (store/statuses.ts CashFacts): read with
   * the invoices fetched by id, with whether it has 'cashed' already (kept true by the import once it
   * records one); null for those read from the covering index of open invoices (the status is then
   * looked up in full).
   */
  cash: { operation: string | null; disputedOn: IsoDate | null; cashed: boolean } | null;
  balance: Cents;
  /** A credit note cancels it: nothing is payable. */
  credited: boolean;
  /** The active plan's instalments (latest plan), if any. */
  plan: { dueDate: IsoDate; amount: Cents; position: number }[] | null;
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Statements>();
const KINDS = RECEIVABLE_KINDS.map((k) => `'${k}'`).join(', ');

function prepare(db: Db) {
  return {
    insertAccount: db.prepare(`INSERT INTO bank_accounts (name, iban, currency, format, csv_json, created_at) VALUES (@name, @iban, @currency, @format, @csv, @createdAt)`),
    updateAccount: db.prepare(`UPDATE bank_accounts SET iban = @iban, currency = @currency, format = @format, csv_json = @csv WHERE id = @id`),
    accounts: db.prepare(`SELECT * FROM bank_accounts ORDER BY name`),
    accountByName: db.prepare(`SELECT * FROM bank_accounts WHERE name = ?`),
    accountByIban: db.prepare(`SELECT * FROM bank_accounts WHERE iban = ?`),
    insertImport: db.prepare(`INSERT INTO bank_imports (account_id, file, format, sha256, lines_new, lines_known, imported_at) VALUES (?, ?, ?, ?, 0, 0, ?)`),
    finishImport: db.prepare(`UPDATE bank_imports SET lines_new = ?, lines_known = ? WHERE id = ?`),
    linesByIdentities: db.prepare(`SELECT id, identity FROM bank_lines WHERE account_id = ? AND identity IN (SELECT value FROM json_each(?))`),
    insertLine: db.prepare(`
      INSERT INTO bank_lines (account_id, import_id, identity, booking_date, value_date, amount, currency, bank_ref, label, remittance, refs, payer_name, payer_iban, reversal, note)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    ignore: db.prepare(`UPDATE bank_lines SET ignored_reason = ?, ignored_at = ? WHERE id = ?`),
    link: db.prepare(`INSERT INTO bank_line_payments (line_id, payment_id, how, created_at) VALUES (?, ?, ?, ?)`),
    undoLink: db.prepare(`UPDATE bank_line_payments SET undone_by = ? WHERE id = ?`),
    links: db.prepare(`SELECT id, line_id, payment_id, how, undone_by FROM bank_line_payments WHERE line_id IN (SELECT value FROM json_each(?)) ORDER BY id`),
    lines: db.prepare(`
      SELECT l.*, a.name AS account_name FROM bank_lines l JOIN bank_accounts a ON a.id = l.account_id
      WHERE (@id IS NULL OR l.id = @id) AND (@since IS NULL OR l.booking_date >= @since) AND (@account IS NULL OR l.account_id = @account)
      ORDER BY l.booking_date, l.id`),
    learn: db.prepare(`INSERT INTO client_ibans (iban, client_id, line_id, learned_on) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    clientsByIban: db.prepare(`SELECT client_id FROM client_ibans WHERE iban = ? ORDER BY client_id`),
    clientsByIbans: db.prepare(`SELECT iban, client_id FROM client_ibans WHERE iban IN (SELECT value FROM json_each(?)) ORDER BY iban, client_id`),
    ibansOf: db.prepare(`SELECT iban FROM client_ibans WHERE client_id = ? ORDER BY learned_on, iban`),
    byKeys: db.prepare(`SELECT id, number, client_id FROM documents WHERE ${BANK_KEY_SQL('number')} IN (SELECT value FROM json_each(?)) AND number IS NOT NULL AND kind IN (${KINDS})`),
    figuresRaw: db.prepare(`${FIGURES} WHERE d.id IN (SELECT value FROM json_each(?))`).raw(true),
    // through bank_documents_owing (schema/deferred.ts): the clients' open invoices, not their history
    openOf: db.prepare(`${OWING} AND d.client_id = ? AND d.currency = ? AND (@onDate IS NULL OR d.issue_date <= @onDate)`),
    // a payer's open receivables, ids only through the covering index (bank/engine.ts payerInvoices): the `limit` oldest due first, and those of a balance
    oldestOpen: db.prepare(`SELECT d.id FROM documents d INDEXED BY bank_documents_owing WHERE ${OPEN_OF} ORDER BY COALESCE(d.due_date, d.issue_date), d.issue_date, d.number, d.id LIMIT @limit`).pluck(true),
    // the balance first: the credit-note look-up of OPEN_OF then runs only for the rows of that balance (54 -> 30 us a call)
    ofBalance: db.prepare(`SELECT d.id FROM documents d INDEXED BY bank_documents_owing WHERE d.balance = @amount AND ${OPEN_OF}`).pluck(true),
    plannedOf: db.prepare(`SELECT DISTINCT p.document_id FROM plans p JOIN documents d ON d.id = p.document_id WHERE d.client_id = ? AND p.cancelled_on IS NULL`).pluck(true),
    plansOfClients: db.prepare(`
      SELECT p.id, p.document_id, i.position, i.due_date, i.amount FROM plans p JOIN documents d ON d.id = p.document_id JOIN plan_instalments i ON i.plan_id = p.id
      WHERE d.client_id IN (SELECT value FROM json_each(?)) AND p.cancelled_on IS NULL ORDER BY p.document_id, p.id, i.position`),
    plansOf: db.prepare(`
      SELECT p.id, p.document_id, i.position, i.due_date, i.amount FROM plans p JOIN plan_instalments i ON i.plan_id = p.id
      WHERE p.document_id IN (SELECT value FROM json_each(?)) AND p.cancelled_on IS NULL ORDER BY p.document_id, p.id, i.position`),
    clients: db.prepare(`SELECT id, code, name FROM clients`),
  };
}

function st(db: Db): Statements {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

interface AccountRow {
  id: number;
  name: string;
  iban: string | null;
  currency: string;
  format: string | null;
  csv_json: string | null;
  created_at: string;
}
const fromAccount = (r: AccountRow): BankAccount => ({ id: r.id, name: r.name, iban: r.iban, currency: r.currency, format: r.format, csv: r.csv_json ? JSON.parse(r.csv_json) : null, createdAt: r.created_at });

export function listAccounts(db: Db): BankAccount[] {
  return (st(db).accounts.all() as AccountRow[]).map(fromAccount);
}

export function findAccount(db: Db, name: string): BankAccount | undefined {
  const r = st(db).accountByName.get(name) as AccountRow | undefined;
  return r && fromAccount(r);
}

export function accountByIban(db: Db, iban: string): BankAccount | undefined {
  const r = st(db).accountByIban.get(iban) as AccountRow | undefined;
  return r && fromAccount(r);
}

export function requireAccount(db: Db, name: string): BankAccount {
  const a = findAccount(db, name);
  if (!a) throw new UsageError(t('books.bank.unknownAccount', { name }));
  return a;
}

export function saveAccount(db: Db, a: { name: string; iban: string | null; currency: string; format: string | null; csv: unknown | null }, createdAt: string): BankAccount {
  const existing = findAccount(db, a.name);
  const row = { name: a.name, iban: a.iban, currency: a.currency, format: a.format, csv: a.csv === null ? null : JSON.stringify(a.csv) };
  if (existing) st(db).updateAccount.run({ ...row, id: existing.id });
  else st(db).insertAccount.run({ ...row, createdAt });
  return findAccount(db, a.name)!;
}

export function startImport(db: Db, accountId: number, file: string, format: string, sha256: string, at: string): number {
  return Number(st(db).insertImport.run(accountId, file, format, sha256, at).lastInsertRowid);
}

export function finishImport(db: Db, importId: number, fresh: number, known: number): void {
  st(db).finishImport.run(fresh, known, importId);
}

/** The lines of an account already known by these identities: identity -> line id, in one query. */
export function lineIdsByIdentities(db: Db, accountId: number, identities: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (identities.length === 0) return out;
  for (const r of st(db).linesByIdentities.all(accountId, JSON.stringify(identities)) as { id: number; identity: string }[]) out.set(r.identity, r.id);
  return out;
}

export function insertLine(db: Db, at: NewLine, l: LineFacts): number {
  // positional: binding 15 named parameters from an object cost ~4 us a line of the 10k-line bench
  const info = st(db).insertLine.run(
    at.accountId,
    at.importId,
    at.identity,
    l.bookingDate,
    l.valueDate,
    l.amount,
    l.currency,
    l.bankRef,
    l.label,
    JSON.stringify(l.remittance),
    JSON.stringify(l.references),
    l.payerName,
    l.payerIban,
    l.reversal ? 1 : 0,
    at.note,
  );
  return Number(info.lastInsertRowid);
}

export function ignoreLine(db: Db, id: number, reason: string, at: string): void {
  st(db).ignore.run(reason, at, id);
}

export function linkPayment(db: Db, lineId: number, paymentId: number, how: 'certain' | 'probable' | 'manual', at: string): void {
  st(db).link.run(lineId, paymentId, how, at);
}

/** Mark the payments of a line undone by their reversals. */
export function markUndone(db: Db, lineId: number, reversals: ReadonlyMap<number, number>): void {
  for (const l of st(db).links.all(JSON.stringify([lineId])) as { id: number; payment_id: number }[]) {
    const r = reversals.get(l.payment_id);
    if (r !== undefined) st(db).undoLink.run(r, l.id);
  }
}

interface LineRow {
  id: number;
  account_id: number;
  account_name: string;
  identity: string;
  booking_date: string;
  value_date: string | null;
  amount: number;
  currency: string;
  bank_ref: string | null;
  label: string;
  remittance: string;
  refs: string;
  payer_name: string | null;
  payer_iban: string | null;
  reversal: number;
  note: string | null;
  ignored_reason: string | null;
}

export function listLines(db: Db, f: { id?: number; since?: IsoDate; accountId?: number; unmatched?: boolean } = {}): BankLine[] {
  const s = st(db);
  const rows = s.lines.all({ id: f.id ?? null, since: f.since ?? null, account: f.accountId ?? null }) as LineRow[];
  const links = new Map<number, BankLine['payments']>();
  if (rows.length) {
    for (const l of s.links.all(JSON.stringify(rows.map((r) => r.id))) as { line_id: number; payment_id: number; how: string; undone_by: number | null }[]) {
      let list = links.get(l.line_id);
      if (!list) links.set(l.line_id, (list = []));
      list.push({ paymentId: l.payment_id, how: l.how, undoneBy: l.undone_by });
    }
  }
  const out = rows.map((r): BankLine => {
    const payments = links.get(r.id) ?? [];
    const status: LineStatus = payments.some((p) => p.undoneBy === null) ? 'matched' : r.ignored_reason !== null ? 'ignored' : r.amount <= 0 ? 'debit' : 'unmatched';
    return {
      id: r.id,
      accountId: r.account_id,
      account: r.account_name,
      identity: r.identity,
      bookingDate: r.booking_date,
      valueDate: r.value_date,
      amount: r.amount,
      currency: r.currency,
      bankRef: r.bank_ref,
      label: r.label,
      remittance: JSON.parse(r.remittance) as string[],
      references: JSON.parse(r.refs) as string[],
      payerName: r.payer_name,
      payerIban: r.payer_iban,
      reversal: r.reversal === 1,
      note: r.note,
      ignoredReason: r.ignored_reason,
      status,
      payments,
    };
  });
  return f.unmatched ? out.filter((l) => l.status === 'unmatched') : out;
}

export function requireLine(db: Db, id: number): BankLine {
  const l = listLines(db, { id })[0];
  if (!l) throw new UsageError(t('books.bank.engine.unknownLine', { id }));
  return l;
}

export function learnIban(db: Db, clientId: number, iban: string, lineId: number, on: IsoDate): void {
  st(db).learn.run(iban, clientId, lineId, on);
}

export function clientsByIban(db: Db, iban: string): number[] {
  return (st(db).clientsByIban.all(iban) as { client_id: number }[]).map((r) => r.client_id);
}

/** The clients that paid from each of these IBANs before (client ids ascending), in one query; an IBAN never seen maps to []. */
export function clientsByIbans(db: Db, ibans: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>(ibans.map((i) => [i, []]));
  if (ibans.length === 0) return out;
  for (const r of st(db).clientsByIbans.all(JSON.stringify(ibans)) as { iban: string; client_id: number }[]) out.get(r.iban)!.push(r.client_id);
  return out;
}

export function ibansOf(db: Db, clientId: number): string[] {
  return (st(db).ibansOf.all(clientId) as { iban: string }[]).map((r) => r.iban);
}

/** The issued receivables whose number's key is one of these (bank/match.ts referenceKey). */
export function invoicesByKeys(db: Db, keys: readonly string[]): { id: number; number: string; client_id: number }[] {
  if (keys.length === 0) return [];
  return st(db).byKeys.all(JSON.stringify(keys)) as { id: number; number: string; client_id: number }[];
}

interface FigureRow {
  id: number;
  number: string;
  client_id: number;
  currency: string;
  issue_date: string;
  due_date: string;
  kind: string;
  operation: string | null;
  disputed_on: string | null;
  cash_facts: number;
  balance: number;
  credited: number;
}

type PlanRow = { id: number; document_id: number; position: number; due_date: string; amount: number };

type Plans = Map<number, { planId: number; list: { dueDate: IsoDate; amount: Cents; position: number }[] }>;

/** Document id -> the instalments of its latest active plan. */
function latestPlans(list: PlanRow[]): Plans {
  const plans: Plans = new Map();
  for (const p of list) {
    let e = plans.get(p.document_id);
    if (!e || e.planId < p.id) plans.set(p.document_id, (e = { planId: p.id, list: [] }));
    if (e.planId === p.id) e.list.push({ dueDate: p.due_date, amount: p.amount, position: p.position });
  }
  return plans;
}

/** rows with their active plans: those of these ids, or (clients) every active plan of these clients. */
function withPlans(db: Db, rows: FigureRow[], clients?: readonly number[]): InvoiceFigures[] {
  const plans: Plans = rows.length ? latestPlans((clients ? st(db).plansOfClients.all(JSON.stringify(clients)) : st(db).plansOf.all(JSON.stringify(rows.map((r) => r.id)))) as PlanRow[]) : new Map();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    clientId: r.client_id,
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    kind: r.kind,
    cash: r.cash_facts >= 1 ? { operation: r.operation, disputedOn: r.disputed_on, cashed: r.cash_facts === 2 } : null,
    balance: r.balance,
    credited: r.credited === 1,
    plan: plans.get(r.id)?.list ?? null,
  }));
}

/** A FIGURES row as an array, in its column order (id, number, client_id, currency, issue_date, due_date, kind, operation, disputed_on, cash_facts, balance, credited). */
type RawFigures = [number, string, number, string, string, string, string, string | null, string | null, number, number, number];

/** The figures of these invoices, in the order asked (unknown ids left out). */
export function invoiceFigures(db: Db, ids: readonly number[]): InvoiceFigures[] {
  if (ids.length === 0) return [];
  // rows as arrays: a bank import reads ~9k of them at once, and row objects were half the cost
  const rows = st(db).figuresRaw.all(JSON.stringify(ids)) as RawFigures[];
  const byId = new Map(rows.map((r) => [r[0], r]));
  const plans = latestPlans(st(db).plansOf.all(JSON.stringify(ids)) as PlanRow[]);
  const out: InvoiceFigures[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    // the same shape (property order) as withPlans's
    if (r) out.push({ id: r[0], number: r[1], clientId: r[2], currency: r[3], issueDate: r[4], dueDate: r[5], kind: r[6], cash: r[9] >= 1 ? { operation: r[7], disputedOn: r[8], cashed: r[9] === 2 } : null, balance: r[10], credited: r[11] === 1, plan: plans.get(r[0])?.list ?? null });
  }
  return out;
}

/** A client's issued receivables still owing something in a currency, issued on or before a date (any date when null). */
export function openInvoicesOf(db: Db, clientId: number, currency: string, onDate: IsoDate | null): InvoiceFigures[] {
  const rows = st(db).openOf.all(clientId, currency, { onDate }) as FigureRow[];
  return withPlans(db, rows.filter((r) => r.balance > 0 && r.credited === 0));
}

/**
 * A client's open receivables in a currency (issued on or before onDate, not cancelled, by the kept
 * balance): the ids of its `limit` oldest due first, in core/allocation.ts oldestDueFirst's order.
 */
export function oldestOpenInvoiceIds(db: Db, clientId: number, currency: string, onDate: IsoDate, limit: number): number[] {
  return st(db).oldestOpen.all({ client: clientId, currency, onDate, limit }) as number[];
}

/** The same open receivables' ids whose kept balance is this amount. */
export function invoiceIdsOfBalance(db: Db, clientId: number, currency: string, onDate: IsoDate, amount: Cents): number[] {
  return st(db).ofBalance.all({ client: clientId, currency, onDate, amount }) as number[];
}

/** The documents of a client with an active plan (any balance). */
export function plannedInvoiceIds(db: Db, clientId: number): number[] {
  return st(db).plannedOf.all(clientId) as number[];
}

export function clientNames(db: Db): { id: number; code: string; name: string }[] {
  return st(db).clients.all() as { id: number; code: string; name: string }[];
}

/** Run fn inside a transaction and roll it back: what an import would do, recorded nowhere. */
export function rehearse<T>(db: Db, fn: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    rethrowBusy(err, db.name);
  }
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK');
  }
}

/** Lines of an account that brought this amount in and still have a payment standing (what a reversal can cancel). */
export function matchedCreditsOfAmount(db: Db, accountId: number, amount: Cents): number[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT l.id FROM bank_lines l JOIN bank_line_payments p ON p.line_id = l.id AND p.undone_by IS NULL
         WHERE l.account_id = ? AND l.amount = ? ORDER BY l.booking_date DESC, l.id DESC`,
      )
      .all(accountId, amount) as { id: number }[]
  ).map((r) => r.id);
}
