/**
 * Payments, their allocations to invoices, client credit and reversals. Nothing is ever deleted:
 * undoing a payment records a reversal (a negative payment pointing at it) whose negative
 * allocations cancel the original's, on the reversal's date. Writes run inside write().
 *
 * Client credit (per currency, as of a date) = payments dated <= D - allocations of those payments
 * dated <= D. It is applied to an invoice by an allocation of the older payment, dated when applied.
 */
import { addDays, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Cents } from '../core/money.js';
import { computeLine } from '../core/vat.js';
import { clientById } from './clients.js';
import type { Db } from './db.js';
import { documentById, insertDocument, issueDocument } from './documents.js';
import { openItems, type ItemPenalties, type OpenItem } from './receivables.js';
import { FLUSH_SETTLEMENTS_SQL } from './schema/deferred.js';
import { noteCashedIfPaid, type CashFacts } from './statuses.js';
import { t } from '../i18n/index.js';

export const PAYMENT_METHODS = ['transfer', 'card', 'cheque', 'cash', 'direct-debit', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A date later than any real one: "as recorded now", every row counted. */
export const ALL_TIME: IsoDate = '9999-12-31';

export interface InvoiceRef {
  id: number;
  kind: string;
  number: string | null;
  clientId: number;
  issueDate: string | null;
  dueDate: string | null;
  currency: string;
  amountDue: Cents;
}

export interface Payment {
  id: number;
  clientId: number;
  clientCode: string;
  date: IsoDate;
  amount: Cents;
  currency: string;
  method: string;
  reference: string | null;
  reversesId: number | null;
  reversedById: number | null;
  allocations: { documentId: number; number: string; date: IsoDate; amount: Cents }[];
  /** Not allocated: what it left as client credit (as recorded now). */
  unallocated: Cents;
  createdAt: string;
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Statements>();

function prepare(db: Db) {
  return {
    docByNumber: db.prepare(`SELECT id, kind, number, client_id, issue_date, due_date, currency, amount_due FROM documents WHERE number = ? COLLATE NOCASE`),
    docById: db.prepare(`SELECT id, kind, number, client_id, issue_date, due_date, currency, amount_due FROM documents WHERE id = ?`),
    insertPayment: db.prepare(`
      INSERT INTO payments (client_id, date, amount, currency, method, reference, reverses_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    insertAllocation: db.prepare(`INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)`),
    payments: db.prepare(`
      SELECT p.*, c.code AS client_code, r.id AS reversed_by,
             p.amount - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0) AS unallocated
      FROM payments p JOIN clients c ON c.id = p.client_id LEFT JOIN payments r ON r.reverses_id = p.id
      WHERE (@client IS NULL OR p.client_id = @client)
        AND (@doc IS NULL OR EXISTS (SELECT 1 FROM allocations a WHERE a.payment_id = p.id AND a.document_id = @doc))
        AND (@id IS NULL OR p.id = @id)
        AND p.date <= @asOf
      ORDER BY p.date, p.id`),
    allocationsOf: db.prepare(`
      SELECT a.payment_id, a.document_id, d.number, a.date, a.amount FROM allocations a JOIN documents d ON d.id = a.document_id
      WHERE a.payment_id IN (SELECT value FROM json_each(?)) ORDER BY a.date, a.id`),
    allocatedPerDocument: db.prepare(`SELECT document_id, SUM(amount) AS amount FROM allocations WHERE payment_id = ? GROUP BY document_id HAVING SUM(amount) <> 0`),
    credit: db.prepare(`
      SELECT COALESCE(SUM(p.amount), 0) - COALESCE((SELECT SUM(a.amount) FROM allocations a JOIN payments q ON q.id = a.payment_id
                                                     WHERE q.client_id = @client AND q.currency = @currency AND q.date <= @asOf AND a.date <= @asOf), 0) AS credit
      FROM payments p WHERE p.client_id = @client AND p.currency = @currency AND p.date <= @asOf`),
    creditSources: db.prepare(`
      SELECT p.id, p.date, p.amount - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0) AS left
      FROM payments p
      WHERE p.client_id = @client AND p.currency = @currency AND p.date <= @date AND p.reverses_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id)
      ORDER BY p.date, p.id`),
  };
}

function st(db: Db): Statements {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

interface DocRow {
  id: number;
  kind: string;
  number: string | null;
  client_id: number;
  issue_date: string | null;
  due_date: string | null;
  currency: string;
  amount_due: number;
}

const fromDocRow = (r: DocRow): InvoiceRef => ({
  id: r.id,
  kind: r.kind,
  number: r.number,
  clientId: r.client_id,
  issueDate: r.issue_date,
  dueDate: r.due_date,
  currency: r.currency,
  amountDue: r.amount_due,
});

/**
 * An issued invoice (any kind that asks for money) by its number, or a UsageError that says what is
 * wrong: unknown, a draft ("draft-12"), a quote or a credit note.
 */
export function requireReceivable(db: Db, ref: string): InvoiceRef {
  const s = st(db);
  const draft = /^draft-(\d+)$/i.exec(ref.trim());
  const row = (draft ? s.docById.get(Number(draft[1])) : s.docByNumber.get(ref.trim())) as DocRow | undefined;
  if (!row) throw new UsageError(t('books.payments.unknownInvoice', { ref }));
  if (row.kind === 'quote') throw new UsageError(t('books.payments.isQuote', { ref }));
  if (row.kind === 'credit_note') throw new UsageError(t('books.payments.isCreditNote', { ref }));
  if (row.number === null) throw new UsageError(t('books.payments.isDraft', { ref }));
  return fromDocRow(row);
}

/** The invoice's figures as recorded now (or as of a date). */
export function invoiceState(db: Db, id: number, asOf: IsoDate = ALL_TIME): OpenItem {
  const item = openItems(db, { asOf, documentId: id, includeSettled: true })[0];
  if (!item) throw new Error(t('books.bank.engine.invoiceNotFound', { id }));
  return item;
}

/** Refuse payments to an invoice that a credit note cancelled. */
export function checkPayable(item: OpenItem): void {
  // Same rule as core/documents invoiceStatus: an invoice with a credit note against it is cancelled.
  if (item.credited > 0) {
    throw new UsageError(t('books.bank.engine.credited', { number: item.number }));
  }
}

export interface NewPayment {
  clientId: number;
  date: IsoDate;
  amount: Cents;
  currency: string;
  method: string;
  reference: string | null;
  reversesId?: number | null;
  createdAt: string;
}

export function insertPayment(db: Db, p: NewPayment): number {
  // positional: an object spread and eight named parameters bound per payment cost a few us each (the bank import writes 10k)
  const info = st(db).insertPayment.run(p.clientId, p.date, p.amount, p.currency, p.method, p.reference, p.reversesId ?? null, p.createdAt);
  return Number(info.lastInsertRowid);
}

/**
 * `known`: the invoice's figures after this allocation when the caller keeps them exact (the bank
 * import), so its cashed status reads nothing again. Returns whether it recorded 'cashed' (the
 * caller keeping figures notes it).
 */
export function insertAllocation(db: Db, paymentId: number, documentId: number, date: IsoDate, amount: Cents, known?: CashFacts): boolean {
  if (amount === 0) return false;
  st(db).insertAllocation.run(paymentId, documentId, date, amount);
  // A services invoice paid in full is 'cashed' (212), the seller's lifecycle status (store/statuses.ts).
  return amount > 0 && noteCashedIfPaid(db, documentId, paymentId, date, known);
}

/**
 * Run fn (inside write()'s IMMEDIATE transaction) with the kept columns of the invoices its
 * allocations touch (documents.balance, last_settlement, settled_on) recomputed once per invoice
 * when it ends, instead of once per allocation row (schema/deferred.ts, migration 16): the bank
 * import's ~10k allocations. Until then those columns are stale for the invoices it touched: fn
 * reads balances computed from the allocations (invoiceState, noteCashedIfPaid) or keeps its own,
 * or calls flushSettlements() before it reads them again. A deferral inside another runs in it.
 */
/**
 * The page cache while deferring (PRAGMA cache_size, negative = KiB): 64 MB instead of SQLite's 2 MB.
 * A deferred writer dirties tens of MB (10k payments, allocations, bank lines, then the flush's
 * documents and their indexes): with 2 MB, SQLite spills dirty pages to the WAL mid-transaction and
 * reads them back; measured on the bank import of bench/README.md ("Issue 17, third pass"): -0.3 s CPU.
 */
const DEFERRED_CACHE = -65536;
export function deferSettlements<T>(db: Db, fn: () => T): T {
  if (!db.inTransaction) throw new Error('deferSettlements runs inside write()');
  const opened = db.prepare('INSERT OR IGNORE INTO settlement_pending (document_id) VALUES (0)').run().changes === 1;
  if (!opened) return fn();
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${DEFERRED_CACHE}`);
  try {
    return fn();
  } finally {
    flushSettlements(db);
    db.prepare('DELETE FROM settlement_pending').run();
    db.pragma(`cache_size = ${cache}`);
  }
}

/** Recompute now the kept columns of every invoice deferSettlements() has noted so far (one statement for all). */
export function flushSettlements(db: Db): void {
  db.exec(FLUSH_SETTLEMENTS_SQL);
}

/** Client credit in a currency as of a date: money received and not allocated to any invoice. */
export function clientCredit(db: Db, clientId: number, currency: string, asOf: IsoDate = ALL_TIME): Cents {
  return (st(db).credit.get({ client: clientId, currency, asOf }) as { credit: number }).credit;
}

/** Credit that can be applied on `date`: unallocated parts of payments received on or before it. */
export function creditAvailable(db: Db, clientId: number, currency: string, date: IsoDate): Cents {
  let sum = 0;
  for (const src of st(db).creditSources.all({ client: clientId, currency, date }) as { left: number }[]) if (src.left > 0) sum += src.left;
  return sum;
}

/**
 * Apply up to `amount` of the client's credit (payments received on or before `date` and not
 * allocated, oldest first) to an invoice, dated `date`. Returns what was applied.
 */
export function applyCredit(db: Db, clientId: number, currency: string, documentId: number, date: IsoDate, amount: Cents): Cents {
  let left = amount;
  for (const src of st(db).creditSources.all({ client: clientId, currency, date }) as { id: number; date: string; left: number }[]) {
    if (left <= 0) break;
    if (src.left <= 0) continue;
    const part = Math.min(left, src.left);
    insertAllocation(db, src.id, documentId, date, part);
    left -= part;
  }
  return amount - left;
}

interface PaymentRow {
  id: number;
  client_id: number;
  client_code: string;
  date: string;
  amount: number;
  currency: string;
  method: string;
  reference: string | null;
  reverses_id: number | null;
  reversed_by: number | null;
  unallocated: number;
  created_at: string;
}

/** Payments (with their allocations), filtered by client, invoice or id, up to a date. */
export function listPayments(db: Db, f: { clientId?: number; documentId?: number; id?: number; asOf?: IsoDate } = {}): Payment[] {
  const s = st(db);
  const rows = s.payments.all({ client: f.clientId ?? null, doc: f.documentId ?? null, id: f.id ?? null, asOf: f.asOf ?? ALL_TIME }) as PaymentRow[];
  const allocs = new Map<number, Payment['allocations']>();
  if (rows.length) {
    for (const a of s.allocationsOf.all(JSON.stringify(rows.map((r) => r.id))) as { payment_id: number; document_id: number; number: string; date: string; amount: number }[]) {
      let list = allocs.get(a.payment_id);
      if (!list) allocs.set(a.payment_id, (list = []));
      list.push({ documentId: a.document_id, number: a.number, date: a.date, amount: a.amount });
    }
  }
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    clientCode: r.client_code,
    date: r.date,
    amount: r.amount,
    currency: r.currency,
    method: r.method,
    reference: r.reference,
    reversesId: r.reverses_id,
    reversedById: r.reversed_by,
    allocations: allocs.get(r.id) ?? [],
    unallocated: r.unallocated,
    createdAt: r.created_at,
  }));
}

export function requirePayment(db: Db, id: number): Payment {
  const p = listPayments(db, { id })[0];
  if (!p) throw new UsageError(t('books.payments.unknownPayment', { id }));
  return p;
}

/**
 * Record the reversal of a payment on `date`: a negative payment pointing at it, and negative
 * allocations cancelling every allocation it has (credit applied later included). Returns its id.
 */
export function reversePayment(db: Db, p: Payment, date: IsoDate, reference: string | null, createdAt: string): number {
  if (p.reversesId !== null) throw new UsageError(t('books.payments.isReversal', { id: p.id, of: p.reversesId }));
  if (p.reversedById !== null) throw new UsageError(t('books.payments.alreadyReversed', { id: p.id, by: p.reversedById }));
  if (date < p.date) throw new UsageError(t('books.payments.reversalBefore', { date, paid: p.date }));
  const id = insertPayment(db, { clientId: p.clientId, date, amount: -p.amount, currency: p.currency, method: 'reversal', reference, reversesId: p.id, createdAt });
  for (const a of st(db).allocatedPerDocument.all(p.id) as { document_id: number; amount: number }[]) insertAllocation(db, id, a.document_id, date, -a.amount);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Recording money: the operations behind `relance pay` (call inside write()).

export interface PayResult {
  paymentId: number | null;
  amount: Cents;
  currency: string;
  parts: { documentId: number; number: string; amount: Cents; balanceAfter: Cents }[];
  /** What became client credit. */
  credit: Cents;
}

/** Payments to one invoice: the balance by default; more than the balance leaves credit. */
export function payInvoice(
  db: Db,
  inv: InvoiceRef,
  o: { amount?: Cents; date: IsoDate; method: string; reference: string | null; createdAt: string },
): PayResult {
  const item = invoiceState(db, inv.id);
  checkPayable(item);
  if (inv.issueDate && o.date < inv.issueDate) {
    throw new UsageError(t('books.payments.beforeIssueCheck', { date: o.date, number: item.number, issued: inv.issueDate }));
  }
  if (item.balance <= 0) {
    throw new UsageError(t('books.payments.alreadyPaidCredit', { number: item.number, balance: (item.balance / 100).toFixed(2), client: item.clientCode }));
  }
  const amount = o.amount ?? item.balance;
  if (!Number.isInteger(amount) || amount <= 0) throw new UsageError(t('books.payments.positive'));
  const paymentId = insertPayment(db, { clientId: inv.clientId, date: o.date, amount, currency: inv.currency, method: o.method, reference: o.reference, createdAt: o.createdAt });
  const part = Math.min(amount, item.balance);
  insertAllocation(db, paymentId, inv.id, o.date, part);
  return { paymentId, amount, currency: inv.currency, parts: [{ documentId: inv.id, number: item.number, amount: part, balanceAfter: item.balance - part }], credit: amount - part };
}

/** Money from a client, spread over its open invoices in that currency, oldest due first. */
export function payClient(
  db: Db,
  clientId: number,
  o: { amount: Cents; currency: string; date: IsoDate; method: string; reference: string | null; createdAt: string; only?: readonly InvoiceRef[] },
  allocate: (amount: Cents, items: { id: number; number: string; dueDate: string; issueDate: string; balance: Cents }[]) => { parts: { id: number; number: string; amount: Cents }[]; credit: Cents },
): PayResult {
  if (!Number.isInteger(o.amount) || o.amount <= 0) throw new UsageError(t('books.payments.positive'));
  let items = openItems(db, { asOf: ALL_TIME, clientId }).filter((i) => i.currency === o.currency && i.balance > 0 && i.issueDate <= o.date);
  if (o.only) {
    // One transfer for named invoices: only those, still oldest due first.
    for (const r of o.only) {
      const item = invoiceState(db, r.id);
      if (r.clientId !== clientId) throw new UsageError(t('books.payments.otherClient', { number: item.number, client: item.clientCode }));
      checkPayable(item);
      if (item.currency !== o.currency) throw new UsageError(t('books.payments.giveCurrency', { number: item.number, currency: item.currency }));
      if (r.issueDate && o.date < r.issueDate) throw new UsageError(t('books.payments.beforeIssue', { date: o.date, number: item.number, issued: r.issueDate }));
      if (item.balance <= 0) throw new UsageError(t('books.payments.alreadyPaid', { number: item.number }));
    }
    const wanted = new Set(o.only.map((r) => r.id));
    items = items.filter((i) => wanted.has(i.id));
  }
  const plan = allocate(o.amount, items);
  const paymentId = insertPayment(db, { clientId, date: o.date, amount: o.amount, currency: o.currency, method: o.method, reference: o.reference, createdAt: o.createdAt });
  const byId = new Map(items.map((i) => [i.id, i]));
  const parts = plan.parts.map((p) => {
    insertAllocation(db, paymentId, p.id, o.date, p.amount);
    return { documentId: p.id, number: p.number, amount: p.amount, balanceAfter: byId.get(p.id)!.balance - p.amount };
  });
  return { paymentId, amount: o.amount, currency: o.currency, parts, credit: plan.credit };
}

/** Apply the client's credit (up to the balance, or `amount`) to an invoice on `date`. */
export function payFromCredit(db: Db, inv: InvoiceRef, o: { amount?: Cents; date: IsoDate }): PayResult {
  const item = invoiceState(db, inv.id);
  checkPayable(item);
  if (inv.issueDate && o.date < inv.issueDate) throw new UsageError(t('books.payments.beforeIssue', { date: o.date, number: item.number, issued: inv.issueDate }));
  if (item.balance <= 0) throw new UsageError(t('books.payments.alreadyPaidNoCredit', { number: item.number }));
  const available = creditAvailable(db, inv.clientId, inv.currency, o.date);
  if (available <= 0) throw new UsageError(t('books.payments.noCredit', { client: item.clientCode, currency: inv.currency, date: o.date }));
  const wanted = o.amount ?? Math.min(item.balance, available);
  if (wanted <= 0) throw new UsageError(t('books.payments.positive'));
  if (wanted > available) throw new UsageError(t('books.payments.onlyCredit', { client: item.clientCode, amount: (available / 100).toFixed(2), currency: inv.currency, date: o.date }));
  if (wanted > item.balance) throw new UsageError(t('books.payments.atMostBalance', { number: item.number, balance: (item.balance / 100).toFixed(2) }));
  const applied = applyCredit(db, inv.clientId, inv.currency, inv.id, o.date, wanted);
  return { paymentId: null, amount: applied, currency: inv.currency, parts: [{ documentId: inv.id, number: item.number, amount: applied, balanceAfter: item.balance - applied }], credit: -applied };
}

// ---------------------------------------------------------------------------------------------
// Penalty invoices: `relance penalties INVOICE --bill` (call inside write()).

export interface BilledPenalty {
  number: string;
  documentId: number;
  invoice: string;
  through: IsoDate;
  interest: Cents;
  indemnity: Cents;
  total: Cents;
}

/**
 * Issue a penalty invoice (kind 'penalty', no VAT, due on receipt, numbered in the invoice sequence
 * by the documents module) for the interest and indemnity of `item` not billed yet, and record
 * what it billed in penalty_bills. `p` comes from penaltiesOf() for the same date.
 */
export function billPenalties(db: Db, item: OpenItem, p: ItemPenalties, asOf: IsoDate): BilledPenalty {
  if (p.interest === null) throw new UsageError(t('books.payments.rateUnknown'));
  const interest = p.unbilledInterest ?? 0;
  const indemnity = p.unbilledIndemnity;
  if (interest <= 0 && indemnity <= 0) {
    throw new UsageError(p.billed ? t('books.payments.nothingToBillThrough', { number: item.number, date: asOf, through: p.billed.through }) : t('books.payments.nothingToBill', { number: item.number, date: asOf }));
  }
  if (p.billed && asOf < p.billed.through) throw new UsageError(t('books.payments.billedThrough', { number: item.number, through: p.billed.through }));
  const lang = clientById(db, item.clientId).lang;
  // The first day of interest billed: the day after the last bill's end, else the first late day.
  const from = p.billed ? addDays(p.billed.through, 1) : (p.startsOn ?? addDays(item.dueDate, 1));
  const lines = [];
  if (interest > 0) {
    const text =
      lang === 'fr'
        ? `Pénalités de retard sur la facture ${item.number} (échéance ${item.dueDate}), du ${from} au ${asOf}, art. L441-10 du Code de commerce`
        : `Late-payment interest on invoice ${item.number} (due ${item.dueDate}), from ${from} to ${asOf}, art. L441-10 French Commercial Code`;
    lines.push(computeLine({ description: text, quantityMilli: 1000, unitPrice: interest, vatBp: 0, discountBp: 0, discountAmount: 0 }));
  }
  if (indemnity > 0) {
    const text =
      lang === 'fr'
        ? `Indemnité forfaitaire pour frais de recouvrement, facture ${item.number} (art. D441-5 du Code de commerce)`
        : `Fixed recovery indemnity, invoice ${item.number} (art. D441-5 French Commercial Code)`;
    lines.push(computeLine({ description: text, quantityMilli: 1000, unitPrice: indemnity, vatBp: 0, discountBp: 0, discountAmount: 0 }));
  }
  // The client's purchase-order number of the late invoice goes on the penalty invoice too.
  const original = documentById(db, item.id);
  const draft = insertDocument(
    db,
    {
      kind: 'penalty',
      clientId: item.clientId,
      currency: item.currency,
      poNumber: original?.poNumber ?? undefined,
      createdOn: asOf,
      termsDays: 0,
      termsKind: 'net',
      notes: lang === 'fr' ? 'Pénalités et indemnité non soumises à la TVA.' : 'Interest and indemnity are not subject to VAT.',
    },
    lines,
  );
  const { document } = issueDocument(db, draft.id, asOf);
  db.prepare('INSERT INTO penalty_bills (document_id, invoice_id, through, interest, indemnity) VALUES (?, ?, ?, ?, ?)').run(document.id, item.id, asOf, interest, indemnity);
  return { number: document.number!, documentId: document.id, invoice: item.number, through: asOf, interest, indemnity, total: interest + indemnity };
}
