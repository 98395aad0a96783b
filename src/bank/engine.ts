/**
 * The import engine: the lines of a parsed statement recorded once each, matched (bank/match.ts)
 * and, for the matches it may apply, paid through the same store path as `relance pay`
 * (store/payments.ts: allocation, credit beyond the balance, plans and promises read from the
 * balance, documents.settled_on kept by the triggers). Call inside write(), or rehearse() for a
 * dry run; the CLI decides which probable matches are accepted. Everything else here is pure
 * matching; this module is the one between the parsers and the store.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { UsageError } from '../core/errors.js';
import { oldestDueFirst } from '../core/allocation.js';
import {
  clientNames,
  clientsByIban,
  clientsByIbans,
  finishImport,
  ignoreLine,
  insertLine,
  learnIban,
  lineIdsByIdentities,
  linkPayment,
  listLines,
  markUndone,
  matchedCreditsOfAmount,
  invoiceFigures,
  invoicesByKeys,
  openInvoicesOf,
  invoiceIdsOfBalance,
  oldestOpenInvoiceIds,
  plannedInvoiceIds,
  startImport,
  type BankAccount,
  type InvoiceFigures,
} from '../store/bank.js';
import type { Db } from '../store/db.js';
import { RECEIVABLE_KINDS } from '../store/receivables.js';
import { deferSettlements, flushSettlements, insertAllocation, insertPayment, listPayments, reversePayment } from '../store/payments.js';
import { settleInstalments } from '../core/plans.js';
import { candidateKeys, findInvoices, lineTexts, matchLine, nameWords, referenceKey, SUBSET_MAX, type Allocation, type LedgerView, type Match, type PayerInvoices, type ViewClient, type ViewInvoice } from './match.js';
import type { LineFacts, Statement, StatementLine } from './types.js';
import { t } from '../i18n/index.js';

/** How a line is known again in a later or overlapping file. */
export function identities(lines: readonly StatementLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    if (l.bankRef) return `ref:${l.bankRef}`;
    const key = `${l.bookingDate}|${l.valueDate ?? ''}|${l.amount}|${l.currency}|${l.label}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `pos:${key}|${n}`;
  });
}

export interface LineOutcome {
  line: StatementLine;
  identity: string;
  /** The stored line's id (new or already known). */
  lineId: number | null;
  /** Recorded by an earlier import: nothing done again. */
  known: boolean;
  match: Match | null;
  /** What was recorded for it now. */
  applied: 'certain' | 'probable' | 'reversal' | null;
  paymentIds: number[];
}

export interface ImportResult {
  account: string;
  file: string;
  format: string;
  lines: LineOutcome[];
  fresh: number;
  known: number;
}

const toView = (i: InvoiceFigures, onDate: IsoDate): ViewInvoice => ({
  id: i.id,
  number: i.number,
  clientId: i.clientId,
  currency: i.currency,
  issueDate: i.issueDate,
  dueDate: i.dueDate,
  balance: i.balance,
  credited: i.credited,
  dueInstalments: i.plan && i.balance > 0 ? settleInstalments(i.plan, i.balance, onDate).filter((s) => s.remaining > 0 && s.dueDate <= addTen(onDate)).map((s) => s.remaining) : [],
});
const RECEIVABLES: ReadonlySet<string> = new Set(RECEIVABLE_KINDS);
const addTen = (d: IsoDate) => new Date(Date.parse(`${d}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);

/**
 * What one import has read, kept exact as its own payments are written (every write of the import
 * goes through applyMatch, which updates it), so the ledger is read once per statement: the
 * invoices its texts name and their figures (one query each), of a payer's open invoices only
 * those that can fit a line's amount (payerInvoices, by id, each part when asked), the clients of each payer IBAN and the lines already known (one
 * query each). A reversal clears the figures: they are read again as needed.
 */
export interface ImportState {
  /** Invoice id -> its figures now (balance kept current). */
  figures: Map<number, InvoiceFigures>;
  /**
   * `${clientId}|${currency}` -> the invoices this import paid since the ledger's kept balances were
   * last current (its start, or the flush after a reversal): the only ones whose balance in `figures`
   * differs from documents.balance (lower: an open invoice of the ledger may be paid off here).
   */
  touched: Map<string, Set<number>>;
  /** Client id -> the documents with an active plan (an import writes no plan). */
  planned: Map<number, number[]>;
  /** Payer IBAN -> the clients that paid from it (ids ascending), for every IBAN of the statement. */
  ibans: Map<string, number[]>;
}

/**
 * The ledger as bank/match.ts sees it. The invoices the statement's texts could name are fetched
 * at once (by the index of their keys), so the cost follows the statement, not the ledger.
 */
export function ledgerView(db: Db, lines: readonly StatementLine[] = [], state?: ImportState, asked?: (string[] | null)[]): LedgerView {
  const wanted = new Set<string>();
  for (const l of lines) {
    if (l.amount <= 0) {
      asked?.push(null);
      continue;
    }
    if (!asked) {
      candidateKeys(lineTexts(l), wanted);
      continue;
    }
    // the keys findInvoices asks for, in its order: the line's named invoices without reading its texts again (namedInvoices)
    const seq: string[] = [];
    findInvoices(lineTexts(l), {
      invoiceByKey: (k) => {
        seq.push(k);
        wanted.add(k);
        return undefined;
      },
    });
    asked.push(seq);
  }
  const keys = new Map<string, { id: number; clientId: number }>();
  const fetch = (list: readonly string[]) => {
    for (const r of invoicesByKeys(db, list)) {
      const key = referenceKey(r.number);
      if (!keys.has(key)) keys.set(key, { id: r.id, clientId: r.client_id });
    }
  };
  fetch([...wanted]);
  if (state) for (const f of invoiceFigures(db, [...new Set([...keys.values()].map((k) => k.id))])) state.figures.set(f.id, f);
  let words: Map<string, ViewClient[]> | null = null;
  let clients: Map<number, ViewClient> | null = null;
  const loadClients = () => {
    if (clients) return;
    clients = new Map();
    words = new Map();
    for (const row of clientNames(db)) {
      const c: ViewClient = { ...row, words: nameWords(row.name) };
      clients.set(c.id, c);
      for (const w of c.words!) {
        let list = words.get(w);
        if (!list) words.set(w, (list = []));
        list.push(c);
      }
    }
  };
  const figuresOf = (id: number): InvoiceFigures => {
    let f = state?.figures.get(id);
    if (!f) {
      f = invoiceFigures(db, [id])[0];
      if (!f) throw new Error(t('books.bank.engine.invoiceNotFound', { id }));
      state?.figures.set(id, f);
    }
    return f;
  };
  return {
    invoiceByKey: (key) => {
      if (!lines.length && !keys.has(key)) fetch([key]); // a view made for one line (bank match): asked as needed
      return keys.get(key);
    },
    invoice: (id, onDate) => toView(figuresOf(id), onDate),
    clientsByIban: (iban) => state?.ibans.get(iban) ?? clientsByIban(db, iban),
    clientsByWords(ws) {
      loadClients();
      const out = new Map<number, ViewClient>();
      // a client is close when every word of its name is in the payer's: candidates share a word with
      // it, words shared by many clients (LIBRAIRIE, GARAGE) only when no rarer one is there
      let smallest: ViewClient[] | null = null;
      for (const w of ws) {
        const list = words!.get(w);
        if (!list) continue;
        if (list.length <= 200) for (const c of list) out.set(c.id, c);
        else if (!smallest || list.length < smallest.length) smallest = list;
      }
      if (out.size === 0) for (const c of smallest ?? []) out.set(c.id, c);
      return [...out.values()];
    },
    client(id) {
      loadClients();
      return clients!.get(id)!;
    },
    openInvoices: (clientId, currency, onDate) => {
      const list = openInvoicesOf(db, clientId, currency, onDate);
      if (!state) return oldestDueFirst(list.map((i) => toView(i, onDate)));
      // the same figures object as a named invoice's: one balance per invoice, kept by applyMatch
      return oldestDueFirst(list.map((f) => state.figures.get(f.id) ?? (state.figures.set(f.id, f), f)).filter((f) => f.balance > 0 && f.issueDate <= onDate)).map((f) => toView(f, onDate));
    },
    // Read by id, each part when matchLine asks (LedgerView.payerInvoices): the ledger's open
    // invoices by their kept balance are the current ones and those paid off here (touched).
    payerInvoices: state ? (clientId, currency, onDate, amount) => payerInvoices(db, state, clientId, currency, onDate, amount) : undefined,
  };
}

/**
 * A payer's open invoices that can fit an amount, in the parts matchLine reads (PayerInvoices), from
 * the kept balances (documents.balance, as of the import's start or the flush after a reversal) and
 * the import's own (state.figures, lower for the invoices it paid: state.touched). A balance equal
 * to the amount now is one of the ledger's equal to it (untouched) or a touched one's; instalments
 * need a plan; the ledger's SUBSET_MAX + |touched| oldest due hold the SUBSET_MAX oldest open now.
 */
function payerInvoices(db: Db, state: ImportState, clientId: number, currency: string, onDate: IsoDate, amount: Cents): PayerInvoices {
  const touched = state.touched.get(`${clientId}|${currency}`);
  const views = (ids: Iterable<number>): ViewInvoice[] => {
    const list = [...ids];
    const missing = list.filter((id) => !state.figures.has(id));
    if (missing.length) for (const f of invoiceFigures(db, missing)) state.figures.set(f.id, f);
    const out: InvoiceFigures[] = [];
    for (const id of list) {
      const f = state.figures.get(id);
      // what openInvoicesOf reads: an issued receivable of the client in the currency, owing now, not cancelled
      if (f && f.clientId === clientId && f.currency === currency && f.balance > 0 && f.issueDate <= onDate && !f.credited && f.number !== null && RECEIVABLES.has(f.kind)) out.push(f);
    }
    return oldestDueFirst(out).map((f) => toView(f, onDate));
  };
  return {
    exact: () => views(new Set([...invoiceIdsOfBalance(db, clientId, currency, onDate, amount), ...(touched ?? [])])),
    planned: () => {
      let planned = state.planned.get(clientId);
      if (!planned) state.planned.set(clientId, (planned = plannedInvoiceIds(db, clientId)));
      return planned.length ? views(planned) : [];
    },
    oldest: () => views(oldestOpenInvoiceIds(db, clientId, currency, onDate, SUBSET_MAX + (touched?.size ?? 0))),
  };
}

/** findInvoices(lineTexts(l), view) from the keys it asked for (ledgerView's `asked`): each invoice once, in the order first named. */
function namedInvoices(keys: readonly string[], view: LedgerView): { id: number; clientId: number }[] {
  const found = new Map<number, { id: number; clientId: number }>();
  for (const k of keys) {
    const hit = view.invoiceByKey(k);
    if (hit && !found.has(hit.id)) found.set(hit.id, hit);
  }
  return [...found.values()];
}

const paymentRef = (lineId: number, l: LineFacts) => `bank line #${lineId}${l.bankRef ? ` (${l.bankRef})` : ''}`;

/**
 * Record one match as one payment of the whole line and its allocations, with the primitives of
 * store/payments.ts that `relance pay` uses (so credit, plans, promises and settled_on follow):
 * each invoice gets at most its balance now, the rest stays as client credit. Returns the payment ids.
 */
export function applyMatch(db: Db, lineId: number, l: LineFacts, clientId: number, allocations: readonly Allocation[], how: 'certain' | 'probable' | 'manual', createdAt: string, state?: ImportState): number[] {
  if (!Number.isInteger(l.amount) || l.amount <= 0) throw new UsageError(t('books.bank.engine.notMoneyIn', { id: lineId }));
  const ids = allocations.map((a) => a.invoiceId);
  // figures read for the match in this same transaction and kept by every write since are exact
  const figures = state && ids.every((id) => state.figures.has(id)) ? ids.map((id) => state.figures.get(id)!) : invoiceFigures(db, ids);
  const parts: { id: number; amount: Cents }[] = [];
  let left = l.amount;
  for (const a of allocations) {
    const f = figures.find((x) => x.id === a.invoiceId);
    if (!f) throw new UsageError(t('books.bank.engine.unknownInvoice', { number: a.number }));
    if (f.clientId !== clientId) throw new UsageError(t('books.bank.engine.otherClient', { number: f.number }));
    if (f.currency !== l.currency) throw new UsageError(t('books.bank.engine.currency', { number: f.number, currency: f.currency, money: l.currency }));
    if (f.credited) throw new UsageError(t('books.bank.engine.credited', { number: f.number }));
    if (f.issueDate > l.bookingDate) throw new UsageError(t('books.bank.engine.issuedAfter', { number: f.number, date: f.issueDate, booked: l.bookingDate }));
    const part = Math.min(a.amount, f.balance, left);
    if (part > 0) {
      parts.push({ id: f.id, amount: part });
      left -= part;
    }
  }
  const paymentId = insertPayment(db, { clientId, date: l.bookingDate, amount: l.amount, currency: l.currency, method: 'transfer', reference: paymentRef(lineId, l), createdAt });
  for (const p of parts) {
    const f = figures.find((x) => x.id === p.id)!;
    const cashed = insertAllocation(db, paymentId, p.id, l.bookingDate, p.amount, f.cash ? { kind: f.kind, operation: f.cash.operation, issueDate: f.issueDate, disputedOn: f.cash.disputedOn, balanceAfter: f.balance - p.amount, createdAt, cashed: f.cash.cashed } : undefined);
    // kept figures know it has 'cashed' now (no look-up when a reversal re-opens it and it is paid off again)
    if (cashed && f.cash) f.cash.cashed = true;
  }
  linkPayment(db, lineId, paymentId, how, createdAt);
  if (state) {
    for (const p of parts) {
      const f = figures.find((x) => x.id === p.id)!;
      f.balance -= p.amount;
      const key = `${f.clientId}|${f.currency}`;
      let set = state.touched.get(key);
      if (!set) state.touched.set(key, (set = new Set()));
      set.add(f.id);
    }
    for (const f of figures) state.figures.set(f.id, f);
  }
  if (how !== 'probable' && l.payerIban) {
    const known = state?.ibans.get(l.payerIban);
    if (!known?.includes(clientId)) {
      // ON CONFLICT DO NOTHING in the store: only a pair not seen yet is written
      learnIban(db, clientId, l.payerIban, lineId, l.bookingDate);
      if (known) {
        known.push(clientId);
        known.sort((a, b) => a - b);
      }
    }
  }
  return [paymentId];
}

/** Reverse the standing payments of a line (bank undo, or a reversal entry from the bank). Returns the reversal ids. */
export function undoLine(db: Db, lineId: number, date: IsoDate, reference: string, createdAt: string): number[] {
  const line = listLines(db, { id: lineId })[0];
  if (!line) throw new UsageError(t('books.bank.engine.unknownLine', { id: lineId }));
  const standing = line.payments.filter((p) => p.undoneBy === null);
  if (standing.length === 0) throw new UsageError(t('books.bank.engine.nothingToUndo', { id: lineId, status: line.status }));
  const reversals = new Map<number, number>();
  for (const p of standing) {
    const payment = listPayments(db, { id: p.paymentId })[0]!;
    const rdate = date < payment.date ? payment.date : date;
    reversals.set(p.paymentId, reversePayment(db, payment, rdate, reference, createdAt));
  }
  markUndone(db, lineId, reversals);
  return [...reversals.values()];
}

export interface ImportOptions {
  account: BankAccount;
  statement: Statement;
  file: string;
  sha256: string;
  createdAt: string;
  /** Whether to record this probable match (by the line's identity). */
  accept: (identity: string) => boolean;
  progress?: (done: number, total: number) => void;
}

/** The invoices each new credit line names (matchLine's hits), read before any write. */
function namedHits(lines: readonly StatementLine[], ids: readonly string[], known: ReadonlyMap<string, number>, view: LedgerView, asked: readonly (string[] | null)[]): { id: number; clientId: number }[][] {
  return lines.map((l, k) => (l.amount <= 0 || l.reversal || known.has(ids[k]!) ? [] : namedInvoices(asked[k]!, view)));
}

/**
 * Import a statement (inside write(), or rehearse() for a dry run). The kept balances of the
 * invoices it pays are recomputed once per invoice at the end (store/payments.ts deferSettlements):
 * meanwhile the import reads balances from its own ImportState, read before any write and kept by
 * applyMatch, and flushes before reading the ledger's again (after a reversal).
 */
export function importStatement(db: Db, o: ImportOptions): ImportResult {
  return deferSettlements(db, () => importLines(db, o));
}

function importLines(db: Db, o: ImportOptions): ImportResult {
  const { account, statement } = o;
  // The import is recorded with its first new line: a file already imported leaves no trace.
  let importId: number | null = null;
  const ibans = [...new Set(statement.lines.flatMap((l) => (l.payerIban && l.amount > 0 ? [l.payerIban] : [])))];
  const state: ImportState = { figures: new Map(), touched: new Map(), planned: new Map(), ibans: clientsByIbans(db, ibans) };
  const asked: (string[] | null)[] = [];
  const view = ledgerView(db, statement.lines, state, asked);
  const ids = identities(statement.lines);
  // the lines known from earlier imports, and those of this one as they are written (a file may repeat a bank reference)
  const knownLines = lineIdsByIdentities(db, account.id, ids);
  const hits = namedHits(statement.lines, ids, knownLines, view, asked);
  const out: LineOutcome[] = [];
  let fresh = 0;
  let known = 0;
  statement.lines.forEach((l, k) => {
    const identity = ids[k]!;
    const existing = knownLines.get(identity);
    if (existing !== undefined) {
      known++;
      out.push({ line: l, identity, lineId: existing, known: true, match: null, applied: null, paymentIds: [] });
      return;
    }
    fresh++;
    importId ??= startImport(db, account.id, o.file, statement.format, o.sha256, o.createdAt);
    let match = matchLine(l, view, hits[k]);
    // The bank took back a credit: the payment of the line it reverses (the latest one of that amount) is undone.
    const target = l.reversal && l.amount < 0 ? matchedCreditsOfAmount(db, account.id, -l.amount)[0] : undefined;
    const applied: LineOutcome['applied'] = target !== undefined ? 'reversal' : match.kind === 'certain' || (match.kind === 'probable' && o.accept(identity)) ? match.kind : null;
    // what a person reads in "bank list" for a line nothing was recorded for
    const note = applied ? null : match.why;
    const lineId = insertLine(db, { accountId: account.id, importId, identity, note }, l);
    knownLines.set(identity, lineId);
    let paymentIds: number[] = [];
    if (target !== undefined) {
      paymentIds = undoLine(db, target, l.bookingDate, t('books.bank.engine.reversalRef', { id: lineId, target }, 'en'), o.createdAt);
      flushSettlements(db); // the reversal changed balances: the ledger's kept ones made current, then read again as needed
      state.figures.clear();
      state.touched.clear();
      ignoreLine(db, target, t('books.bank.engine.reversedByBank', { id: lineId }, 'en'), o.createdAt);
      match = { kind: 'debit', why: t('books.bank.engine.reverses', { target }, 'en') };
    } else if (applied && (match.kind === 'certain' || match.kind === 'probable')) {
      paymentIds = applyMatch(db, lineId, l, match.clientId, match.allocations, match.kind, o.createdAt, state);
    }
    out.push({ line: l, identity, lineId, known: false, match, applied, paymentIds });
    if (o.progress && (k + 1) % 1000 === 0) o.progress(k + 1, statement.lines.length);
  });
  if (importId !== null) finishImport(db, importId, fresh, known);
  return { account: account.name, file: o.file, format: statement.format, lines: out, fresh, known };
}
