/**
 * Quotes and invoices: prepared statements over documents, document_lines and document_deductions,
 * the gapless sequences, and the derived settlement (balance and status) that payments, overdue,
 * reminders and statements read. Writes must run inside write().
 *
 * Addressing: an issued document (and every quote) by its number; a draft invoice by "draft-<id>"
 * (also "#<id>" or "draft:<id>"), as `invoice list` shows it.
 */
import { creditBases, depositDeduction, finalAmounts, isDisputed, invoiceStatus, linkFromPattern, type DocumentKind, type InvoiceStatus, type RateAmount } from '../core/documents.js';
import { daysBetween, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Cents } from '../core/money.js';
import { formatNumber } from '../core/numbering.js';
import { formatBp } from '../core/numbers.js';
import { dueDate, exceedsLegalMax, type Terms, type TermsKind } from '../core/terms.js';
import { computeLine, computeTotals, type ComputedLine, type Totals } from '../core/vat.js';
import { isWebLink } from '../core/links.js';
import { clientById, type Client } from './clients.js';
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { getSetting } from './settings.js';
import { t } from '../i18n/index.js';

type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A statement prepared once per connection (reminder runs read thousands of documents). */
function stmt(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

export interface Document {
  id: number;
  kind: DocumentKind;
  number: string | null;
  seq: number | null;
  clientId: number;
  currency: string;
  createdOn: IsoDate;
  issueDate: IsoDate | null;
  serviceDate: IsoDate | null;
  dueDate: IsoDate | null;
  termsDays: number | null;
  termsKind: TermsKind | null;
  poNumber: string | null;
  quoteId: number | null;
  cancelsId: number | null;
  validityDays: number | null;
  depositBp: number | null;
  acceptedOn: IsoDate | null;
  acceptedBy: string | null;
  declinedOn: IsoDate | null;
  totalNet: Cents;
  totalVat: Cents;
  totalGross: Cents;
  deductedGross: Cents;
  amountDue: Cents;
  disputedOn: IsoDate | null;
  disputedReason: string | null;
  disputedUntil: IsoDate | null;
  paymentLink: string | null;
  /** nature of the operation: goods, services or both; null when not stated */
  operation: Operation | null;
  notes: string | null;
  /** this invoice's delivery address, when not the client's usual one (clients.delivery_address) */
  deliveryAddress: string | null;
}

export type Operation = 'goods' | 'services' | 'both';

export interface DocumentLine extends ComputedLine {
  id: number;
  documentId: number;
  position: number;
}

export interface Deduction extends RateAmount {
  depositId: number;
  depositNumber: string;
  depositDate: IsoDate;
}

export type DocumentFields = Omit<Document, 'id' | 'number' | 'seq' | 'totalNet' | 'totalVat' | 'totalGross' | 'deductedGross' | 'amountDue'>;

const COLUMNS: Record<keyof Omit<Document, 'id'>, string> = {
  kind: 'kind',
  number: 'number',
  seq: 'seq',
  clientId: 'client_id',
  currency: 'currency',
  createdOn: 'created_on',
  issueDate: 'issue_date',
  serviceDate: 'service_date',
  dueDate: 'due_date',
  termsDays: 'terms_days',
  termsKind: 'terms_kind',
  poNumber: 'po_number',
  quoteId: 'quote_id',
  cancelsId: 'cancels_id',
  validityDays: 'validity_days',
  depositBp: 'deposit_bp',
  acceptedOn: 'accepted_on',
  acceptedBy: 'accepted_by',
  declinedOn: 'declined_on',
  totalNet: 'total_net',
  totalVat: 'total_vat',
  totalGross: 'total_gross',
  deductedGross: 'deducted_gross',
  amountDue: 'amount_due',
  disputedOn: 'disputed_on',
  disputedReason: 'disputed_reason',
  disputedUntil: 'disputed_until',
  paymentLink: 'payment_link',
  operation: 'operation',
  notes: 'notes',
  deliveryAddress: 'delivery_address',
};

type Row = Record<string, unknown> & { id: number };

function fromRow(r: Row): Document {
  const d = { id: r.id } as Record<string, unknown>;
  for (const [k, col] of Object.entries(COLUMNS)) d[k] = r[col] ?? null;
  return d as unknown as Document;
}

interface LineRow {
  id: number;
  document_id: number;
  position: number;
  description: string;
  quantity_milli: number;
  unit_price: number;
  vat_bp: number;
  discount_bp: number;
  discount_amount: number;
  net: number;
}

function lineFromRow(r: LineRow): DocumentLine {
  return {
    id: r.id,
    documentId: r.document_id,
    position: r.position,
    description: r.description,
    quantityMilli: r.quantity_milli,
    unitPrice: r.unit_price,
    vatBp: r.vat_bp,
    discountBp: r.discount_bp,
    discountAmount: r.discount_amount,
    net: r.net,
  };
}

// ---------------------------------------------------------------- finding

export function documentById(db: Db, id: number): Document | undefined {
  const r = stmt(db, 'SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined;
  return r && fromRow(r);
}

/** How a document is addressed on the command line: its number, or draft-<id> for a draft. */
export function documentRef(d: Pick<Document, 'id' | 'number'>): string {
  return d.number ?? `draft-${d.id}`;
}

const DRAFT_REF = /^(?:draft[-:]?|#)(\d+)$/i;

/**
 * The document with this number (exact, then case-insensitive), or the one a draft reference
 * ("draft-12", "draft:12", "#12") names; undefined when there is none.
 */
export function findDocument(db: Db, numberOrDraftRef: string): Document | undefined {
  const ref = numberOrDraftRef.trim();
  const exact = stmt(db, 'SELECT * FROM documents WHERE number = ?').get(ref) as Row | undefined;
  if (exact) return fromRow(exact);
  const m = DRAFT_REF.exec(ref);
  if (m) return documentById(db, Number(m[1]));
  const loose = db.prepare('SELECT * FROM documents WHERE number = ? COLLATE NOCASE').all(ref) as Row[];
  return loose.length === 1 ? fromRow(loose[0]!) : undefined;
}

/** An invoice (any kind but a quote: standard, deposit, final, credit note, penalty), or exit 2. */
export function requireInvoice(db: Db, number: string): Document {
  const d = findDocument(db, number);
  if (!d || d.kind === 'quote') {
    throw new UsageError(
      d
        ? t('documents.invoice.isQuote', { number })
        : t('documents.invoice.unknown', { number }),
    );
  }
  return d;
}

/** A quote by its number, or exit 2. */
export function requireQuote(db: Db, number: string): Document {
  const d = findDocument(db, number);
  if (!d || d.kind !== 'quote') {
    throw new UsageError(
      d ? t('documents.quote.isInvoice', { number }) : t('documents.quote.unknown', { number }),
    );
  }
  return d;
}

export function documentLines(db: Db, id: number): DocumentLine[] {
  return (stmt(db, 'SELECT * FROM document_lines WHERE document_id = ? ORDER BY position').all(id) as LineRow[]).map(lineFromRow);
}

export function deductionsOf(db: Db, id: number): Deduction[] {
  const rows = stmt(
    db,
    `SELECT x.deposit_id, x.vat_bp, x.base, x.vat, d.number, d.issue_date
       FROM document_deductions x JOIN documents d ON d.id = x.deposit_id
      WHERE x.document_id = ? ORDER BY d.seq, x.vat_bp DESC`,
  )
    .all(id) as { deposit_id: number; vat_bp: number; base: number; vat: number; number: string; issue_date: string }[];
  return rows.map((r) => ({ depositId: r.deposit_id, depositNumber: r.number, depositDate: r.issue_date, vatBp: r.vat_bp, base: r.base, vat: r.vat }));
}

export interface DocumentWithLines {
  document: Document;
  lines: DocumentLine[];
  /** VAT per rate and totals of the lines (the whole sale, for a final invoice) */
  totals: Totals;
  /** final invoices: the deposit invoices deducted, per rate */
  deductions: Deduction[];
}

export function documentWithLines(db: Db, id: number): DocumentWithLines {
  const document = documentById(db, id);
  if (!document) throw new UsageError(t('documents.store.noDocument', { id }));
  const lines = documentLines(db, id);
  return { document, lines, totals: computeTotals(lines), deductions: deductionsOf(db, id) };
}

export interface DocumentFilter {
  kinds?: readonly DocumentKind[];
  clientId?: number;
  /** issue date from (inclusive) */
  from?: IsoDate;
  /** issue date to (inclusive) */
  to?: IsoDate;
  quoteId?: number;
  cancelsId?: number;
  /** true: issued only; false: drafts only */
  issued?: boolean;
}

/** Documents in sequence order (issued by number, then drafts by id). */
export function listDocuments(db: Db, f: DocumentFilter = {}): Document[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.kinds) {
    where.push(`kind IN (${f.kinds.map(() => '?').join(', ')})`);
    args.push(...f.kinds);
  }
  if (f.clientId !== undefined) {
    where.push('client_id = ?');
    args.push(f.clientId);
  }
  if (f.from) {
    where.push('issue_date >= ?');
    args.push(f.from);
  }
  if (f.to) {
    where.push('issue_date <= ?');
    args.push(f.to);
  }
  if (f.quoteId !== undefined) {
    where.push('quote_id = ?');
    args.push(f.quoteId);
  }
  if (f.cancelsId !== undefined) {
    where.push('cancels_id = ?');
    args.push(f.cancelsId);
  }
  if (f.issued === true) where.push('number IS NOT NULL');
  if (f.issued === false) where.push('number IS NULL');
  const sql = `SELECT * FROM documents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number IS NULL, seq, id`;
  return (db.prepare(sql).all(...args) as Row[]).map(fromRow);
}

// ---------------------------------------------------------------- writing

function toDb(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Insert a document with its lines; totals are computed from the lines. Inside write(). */
export function insertDocument(db: Db, fields: Partial<DocumentFields> & Pick<DocumentFields, 'kind' | 'clientId' | 'createdOn'>, lines: readonly ComputedLine[]): Document {
  // An archived client owes nothing and is left out of every list: no new document may change that.
  const client = stmt(db, 'SELECT code, archived_on FROM clients WHERE id = ?').get(fields.clientId) as { code: string; archived_on: string | null } | undefined;
  if (client?.archived_on) throw new UsageError(t('documents.client.isArchived', { code: client.code }));
  const keys = (Object.keys(fields) as (keyof DocumentFields)[]).filter((k) => fields[k] !== undefined);
  const info = db
    .prepare(`INSERT INTO documents (${keys.map((k) => COLUMNS[k]).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
    .run(...keys.map((k) => toDb(fields[k])));
  const id = Number(info.lastInsertRowid);
  replaceLines(db, id, lines);
  return documentById(db, id)!;
}

export function updateDocument(db: Db, id: number, fields: Partial<Omit<Document, 'id'>>): Document {
  const keys = (Object.keys(fields) as (keyof Omit<Document, 'id'>)[]).filter((k) => fields[k] !== undefined);
  if (keys.length > 0) db.prepare(`UPDATE documents SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => toDb(fields[k])), id);
  return documentById(db, id)!;
}

/** Replace a document's lines and recompute its totals (and, for a final invoice, its net due). */
export function replaceLines(db: Db, id: number, lines: readonly ComputedLine[]): void {
  db.prepare('DELETE FROM document_lines WHERE document_id = ?').run(id);
  const ins = db.prepare(
    'INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price, vat_bp, discount_bp, discount_amount, net) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  lines.forEach((l, i) => ins.run(id, i + 1, l.description, l.quantityMilli, l.unitPrice, l.vatBp, l.discountBp, l.discountAmount, l.net));
  refreshTotals(db, id);
}

/** Replace a final invoice's deductions and recompute its totals. */
export function replaceDeductions(db: Db, id: number, deductions: readonly Omit<Deduction, 'depositNumber' | 'depositDate'>[]): void {
  db.prepare('DELETE FROM document_deductions WHERE document_id = ?').run(id);
  const ins = db.prepare('INSERT INTO document_deductions (document_id, deposit_id, vat_bp, base, vat) VALUES (?, ?, ?, ?, ?)');
  for (const d of deductions) ins.run(id, d.depositId, d.vatBp, d.base, d.vat);
  refreshTotals(db, id);
}

function refreshTotals(db: Db, id: number): void {
  const totals = computeTotals(documentLines(db, id));
  const ded = db.prepare('SELECT COALESCE(SUM(base + vat), 0) AS g FROM document_deductions WHERE document_id = ?').get(id) as { g: number };
  db.prepare('UPDATE documents SET total_net = ?, total_vat = ?, total_gross = ?, deducted_gross = ?, amount_due = ? WHERE id = ?').run(
    totals.net,
    totals.vat,
    totals.gross,
    ded.g,
    totals.gross - ded.g,
    id,
  );
}

/** Delete a draft (never an issued document). */
export function deleteDraft(db: Db, id: number): void {
  const d = documentById(db, id);
  if (!d) throw new UsageError(t('documents.store.noDraft', { id }));
  if (d.number !== null) throw new UsageError(t('documents.store.issuedNoDelete', { number: d.number }));
  db.prepare('DELETE FROM documents WHERE id = ?').run(id);
}

/**
 * Take the next value of a sequence ('invoice' or 'quote') and format it with the pattern.
 * Only inside the write() that stores the number: the IMMEDIATE transaction makes concurrent
 * issuers wait, so a number is never given twice and never skipped.
 */
/** A new ledger's two sequences, both starting at 1 (init, inside its creating transaction). */
export function seedSequences(db: Db): void {
  db.prepare("INSERT INTO sequences (name, next) VALUES ('invoice', 1), ('quote', 1)").run();
}

export function takeNumber(db: Db, sequence: 'invoice' | 'quote', pattern: string, date: IsoDate): { seq: number; number: string } {
  if (!db.inTransaction) throw new Error('takeNumber must run inside write()');
  let row = db.prepare('SELECT next FROM sequences WHERE name = ?').get(sequence) as { next: number } | undefined;
  if (!row) {
    // A ledger made before the sequence existed: continue after the highest number given.
    const max = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS m FROM documents WHERE (kind = 'quote') = ?`).get(sequence === 'quote' ? 1 : 0) as { m: number };
    db.prepare('INSERT INTO sequences (name, next) VALUES (?, ?)').run(sequence, max.m + 1);
    row = { next: max.m + 1 };
  }
  const seq = row.next;
  const number = formatNumber(pattern, seq, date);
  if (db.prepare('SELECT 1 FROM documents WHERE number = ?').get(number)) {
    throw new UsageError(t('documents.store.numberTaken', { number, sequence }));
  }
  db.prepare('UPDATE sequences SET next = ? WHERE name = ?').run(seq + 1, sequence);
  return { seq, number };
}

/** The latest issue date in the invoice sequence (numbers must follow the calendar). */
export function lastInvoiceDate(db: Db): IsoDate | null {
  const r = db.prepare(`SELECT issue_date FROM documents WHERE kind <> 'quote' AND number IS NOT NULL ORDER BY seq DESC LIMIT 1`).get() as { issue_date: string } | undefined;
  return r?.issue_date ?? null;
}

// ---------------------------------------------------------------- settlement

export interface Settlement {
  id: number;
  amountDue: Cents;
  /** allocations dated on or before the as-of date */
  paid: Cents;
  /** credit notes against it issued on or before the as-of date */
  credited: Cents;
  /** amountDue - paid - credited */
  balance: Cents;
  status: InvoiceStatus;
  disputed: boolean;
}

/**
 * Balance and derived status of documents as of a date: amount_due - allocations (date <= asOf)
 * - credit notes issued against it (issue_date <= asOf). Works for any number of ids (in chunks).
 * Credit notes and quotes get balance 0 and status 'open' when issued ('draft' otherwise); callers
 * listing receivables should filter on RECEIVABLE_KINDS.
 */
export function settlement(db: Db, documentIds: readonly number[], asOf: IsoDate): Map<number, Settlement> {
  const out = new Map<number, Settlement>();
  const CHUNK = 500;
  for (let i = 0; i < documentIds.length; i += CHUNK) {
    const ids = documentIds.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT d.id, d.kind, d.number, d.amount_due, d.disputed_on, d.disputed_until,
                COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id AND a.date <= ?), 0) AS paid,
                COALESCE((SELECT SUM(c.total_gross) FROM documents c
                           WHERE c.cancels_id = d.id AND c.kind = 'credit_note' AND c.number IS NOT NULL AND c.issue_date <= ?), 0) AS credited
           FROM documents d WHERE d.id IN (${ids.map(() => '?').join(', ')})`,
      )
      .all(asOf, asOf, ...ids) as {
      id: number;
      kind: DocumentKind;
      number: string | null;
      amount_due: number;
      disputed_on: string | null;
      disputed_until: string | null;
      paid: number;
      credited: number;
    }[];
    for (const r of rows) {
      const receivable = r.kind !== 'quote' && r.kind !== 'credit_note';
      const issued = r.number !== null;
      const amountDue = receivable ? r.amount_due : 0;
      out.set(r.id, {
        id: r.id,
        amountDue,
        paid: r.paid,
        credited: r.credited,
        balance: receivable && issued ? amountDue - r.paid - r.credited : 0,
        status: receivable ? invoiceStatus({ issued, amountDue, paid: r.paid, credited: r.credited }) : issued ? 'open' : 'draft',
        disputed: isDisputed({ disputedOn: r.disputed_on, disputedUntil: r.disputed_until }, asOf),
      });
    }
  }
  return out;
}

/** One document's settlement (see settlement()). */
export function settlementOf(db: Db, id: number, asOf: IsoDate): Settlement {
  const s = settlement(db, [id], asOf).get(id);
  if (!s) throw new UsageError(t('documents.store.noDocumentShort', { id }));
  return s;
}

/** The payment link of an issued invoice: its own, else the ledger's pattern with {number}; null when none. */
export function paymentLinkFor(db: Db, d: Pick<Document, 'number' | 'paymentLink'>): string | null {
  if (d.paymentLink && isWebLink(d.paymentLink)) return d.paymentLink;
  const pattern = getSetting(db, 'payment_link.pattern');
  if (!d.number || (pattern && !isWebLink(pattern))) return null;
  return linkFromPattern(pattern, d.number);
}

// ---------------------------------------------------------------- deposits, finals, issuing, cancelling

/** Per-rate base and VAT of a document's lines (BR-CO-17). */
export function rateAmounts(db: Db, id: number): RateAmount[] {
  return computeTotals(documentLines(db, id)).rates.map((r) => ({ vatBp: r.vatBp, base: r.base, vat: r.vat }));
}

/** Issued credit notes against a document. */
export function creditNotesOf(db: Db, id: number): Document[] {
  return listDocuments(db, { kinds: ['credit_note'], cancelsId: id, issued: true });
}

/** What an issued deposit invoice still deducts, per rate (its amounts less credit notes against it). */
export function depositStillDeducts(db: Db, depositId: number): RateAmount[] {
  const credited = creditNotesOf(db, depositId).flatMap((c) => rateAmounts(db, c.id));
  return depositDeduction(rateAmounts(db, depositId), credited);
}

/** The deposit invoices of a quote (drafts included), in number order. */
export function depositsOfQuote(db: Db, quoteId: number): Document[] {
  return listDocuments(db, { kinds: ['deposit'], quoteId });
}

/** The invoice that closes a quote (final or standard invoice made from it), if any is not cancelled. */
export function closingInvoiceOf(db: Db, quoteId: number): Document | undefined {
  return listDocuments(db, { kinds: ['final', 'invoice'], quoteId }).find((d) => d.number === null || creditNotesOf(db, d.id).length === 0);
}

/** Total incl. VAT that the quote's deposits still ask (drafts count; cancelled parts do not). */
export function depositsTotal(db: Db, quoteId: number): Cents {
  return depositsOfQuote(db, quoteId).reduce((sum, d) => {
    const credited = creditNotesOf(db, d.id).reduce((s, c) => s + c.totalGross, 0);
    return sum + d.totalGross - credited;
  }, 0);
}

/** The deductions a final invoice of this quote makes now: every issued deposit, per rate. */
export function deductionsForQuote(db: Db, quoteId: number): Omit<Deduction, 'depositNumber' | 'depositDate'>[] {
  const drafts = depositsOfQuote(db, quoteId).filter((d) => d.number === null);
  if (drafts.length > 0) {
    const ref = documentRef(drafts[0]!);
    throw new UsageError(t('documents.store.draftDeposit', { ref }));
  }
  return depositsOfQuote(db, quoteId).flatMap((d) => depositStillDeducts(db, d.id).map((r) => ({ depositId: d.id, ...r })));
}

/** Payment terms for a document: its own, else the client's, else the ledger's. */
export function termsFor(db: Db, d: Pick<Document, 'termsDays' | 'termsKind' | 'kind'>, client: Client): Terms {
  if (d.termsDays !== null) return { days: d.termsDays, kind: d.termsKind ?? 'net' };
  // A deposit invoice is payable on receipt unless told otherwise.
  if (d.kind === 'deposit') return { days: 0, kind: 'net' };
  if (client.termsDays !== null) return { days: client.termsDays, kind: client.termsKind ?? 'net' };
  return { days: getSetting(db, 'terms.days'), kind: client.termsKind ?? getSetting(db, 'terms.kind') };
}

/**
 * Issue a draft invoice (any kind but a quote) on `issueDate`: refuses a missing PO number when the
 * client requires one, a date before the last issued invoice (numbers follow the calendar), an empty
 * invoice; freezes a final invoice's deductions; takes the next number of the one invoice sequence;
 * sets the due date from the terms. Returns warnings (terms beyond the legal maximum). Inside write().
 */
export function issueDocument(db: Db, id: number, issueDate: IsoDate): { document: Document; warnings: string[] } {
  const d = documentById(db, id);
  if (!d || d.kind === 'quote') throw new UsageError(t('documents.store.noDraftInvoice', { id }));
  if (d.number !== null) throw new UsageError(t('documents.store.alreadyIssued', { number: d.number }));
  const ref = documentRef(d);
  const client = clientById(db, d.clientId);
  if (client.poRequired && !d.poNumber) {
    throw new UsageError(t('documents.store.poRequired', { client: client.code, ref }));
  }
  const last = lastInvoiceDate(db);
  if (last && issueDate < last) {
    throw new UsageError(t('documents.store.calendar', { last }));
  }
  if (documentLines(db, id).length === 0) throw new UsageError(t('documents.store.noLines', { ref }));
  if (d.kind === 'final' || (d.kind === 'invoice' && d.quoteId !== null)) {
    const deductions = deductionsForQuote(db, d.quoteId!);
    for (const x of deductions) {
      const dep = documentById(db, x.depositId)!;
      if (dep.issueDate! > issueDate) throw new UsageError(t('documents.store.depositAfter', { number: dep.number, date: dep.issueDate, issueDate }));
    }
    finalAmounts(computeTotals(documentLines(db, id)).rates, deductions); // refuses a deposit rate the lines lost
    replaceDeductions(db, id, deductions);
    if (deductions.length > 0 && d.kind === 'invoice') updateDocument(db, id, { kind: 'final' });
    if (deductions.length === 0 && d.kind === 'final') updateDocument(db, id, { kind: 'invoice' });
  }
  if (d.kind === 'deposit' && d.quoteId !== null) {
    const quote = documentById(db, d.quoteId)!;
    if (depositsTotal(db, d.quoteId) > quote.totalGross) {
      throw new UsageError(t('documents.store.depositsExceed', { quote: quote.number, ref }));
    }
    if (closingInvoiceOf(db, d.quoteId)?.number) throw new UsageError(t('documents.store.finalExists', { quote: quote.number, ref }));
  }
  const fresh = documentById(db, id)!;
  if (fresh.amountDue < 0) throw new UsageError(t('documents.store.negative', { ref, cents: fresh.amountDue }));
  // A due date agreed with the client (invoice new --due) stands, as net terms from the issue date.
  const agreed = fresh.dueDate;
  if (agreed && agreed < issueDate) throw new UsageError(t('documents.store.dueBeforeIssue', { ref, due: agreed, date: issueDate }));
  const terms: Terms = agreed ? { days: daysBetween(issueDate, agreed), kind: 'net' } : termsFor(db, fresh, client);
  const { seq, number } = takeNumber(db, 'invoice', getSetting(db, 'invoice.pattern'), issueDate);
  const document = updateDocument(db, id, {
    number,
    seq,
    issueDate,
    dueDate: agreed ?? dueDate(issueDate, terms),
    termsDays: terms.days,
    termsKind: terms.kind,
  });
  const warnings: string[] = [];
  const over = client.kind === 'b2b' ? exceedsLegalMax(terms) : null;
  if (over) warnings.push(`${number}: ${over}`);
  return { document, warnings };
}

/**
 * Cancel an issued invoice by a credit note (avoir) for what remains unpaid on `date`, numbered in
 * the same sequence and issued at once. Inside write(). `lang` chooses the lines' wording.
 */
export function cancelInvoice(db: Db, id: number, date: IsoDate, reason: string | null, lang: 'fr' | 'en'): Document {
  const d = documentById(db, id)!;
  const ref = documentRef(d);
  if (d.kind === 'quote') throw new UsageError(t('documents.store.cancelQuote', { ref }));
  if (d.kind === 'credit_note') throw new UsageError(t('documents.store.cancelCredit', { ref }));
  if (d.number === null) throw new UsageError(t('documents.store.cancelDraft', { ref }));
  if (d.issueDate! > date) throw new UsageError(t('documents.store.cancelBefore', { number: d.number, date: d.issueDate }));
  if (creditNotesOf(db, id).length > 0) throw new UsageError(t('documents.store.alreadyCancelled', { number: d.number, credits: creditNotesOf(db, id).map((c) => c.number).join(', ') }));
  if (d.kind === 'deposit' && d.quoteId !== null) {
    const closing = closingInvoiceOf(db, d.quoteId);
    if (closing?.number && deductionsOf(db, closing.id).some((x) => x.depositId === id)) {
      throw new UsageError(t('documents.store.deductedOnFinal', { number: d.number, final: closing.number }));
    }
  }
  const last = lastInvoiceDate(db);
  if (last && date < last) throw new UsageError(t('documents.store.creditCalendar', { last }));
  const s = settlementOf(db, id, date);
  if (s.balance <= 0) throw new UsageError(t('documents.store.nothingToCancel', { number: d.number, date }));

  const label = (rate?: number) =>
    lang === 'fr'
      ? `Annulation de la facture ${d.number} du ${d.issueDate!.split('-').reverse().join('/')}${s.paid > 0 ? ' (reste dû)' : ''}${rate !== undefined ? ` - TVA ${formatBp(rate).replace('.', ',')} %` : ''}`
      : `Cancellation of invoice ${d.number} of ${d.issueDate}${s.paid > 0 ? ' (unpaid balance)' : ''}${rate !== undefined ? ` - VAT ${formatBp(rate)} %` : ''}`;
  let lines: ComputedLine[];
  const deductions = deductionsOf(db, id);
  if (s.paid === 0 && deductions.length === 0) {
    // Nothing paid: the credit note mirrors the invoice line by line (its heading names the invoice).
    lines = documentLines(db, id).map(({ id: _id, documentId: _doc, position: _pos, ...l }) => l);
  } else {
    const dueRates = finalAmounts(computeTotals(documentLines(db, id)).rates, deductions).rates.map((r) => ({ vatBp: r.vatBp, gross: r.dueBase + r.dueVat }));
    const multi = dueRates.filter((r) => r.gross > 0).length > 1;
    lines = creditBases(s.balance, dueRates).map((b) => computeLine({ description: label(multi ? b.vatBp : undefined), quantityMilli: 1000, unitPrice: b.base, vatBp: b.vatBp, discountBp: 0, discountAmount: 0 }));
  }
  const credit = insertDocument(
    db,
    { kind: 'credit_note', clientId: d.clientId, currency: d.currency, createdOn: date, cancelsId: id, quoteId: d.quoteId, poNumber: d.poNumber, operation: d.operation ?? undefined, notes: reason },
    lines,
  );
  const { seq, number } = takeNumber(db, 'invoice', getSetting(db, 'invoice.pattern'), date);
  return updateDocument(db, credit.id, { number, seq, issueDate: date });
}

// ---------------------------------------------------------------- frozen PDFs

/** Kinds whose PDF is frozen once issued (a quote's PDF changes when it is accepted; a draft has no number). */
export function freezesPdf(d: Pick<Document, 'kind' | 'number'>): boolean {
  return d.number !== null && d.kind !== 'quote';
}

/** The PDF stored when the document was issued (or first needed), if any. */
export function storedPdf(db: Db, documentId: number): Buffer | undefined {
  const r = stmt(db, 'SELECT pdf FROM document_pdfs WHERE document_id = ?').get(documentId) as { pdf: Buffer } | undefined;
  return r?.pdf;
}

/** The stored PDFs of these documents (those that have one), in one query per 500 ids. */
export function storedPdfs(db: Db, documentIds: readonly number[]): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const ids = [...new Set(documentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = stmt(db, `SELECT document_id, pdf FROM document_pdfs WHERE document_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(part)) as { document_id: number; pdf: Buffer }[];
    for (const r of rows) out.set(r.document_id, r.pdf);
  }
  return out;
}

/**
 * Freeze the PDF of an issued document. The first stored bytes win: a second call (another process
 * that rendered it at the same time) changes nothing, so every copy ever sent is the same file.
 * Returns the bytes now stored. Inside write().
 */
export function storePdf(db: Db, documentId: number, pdf: Buffer, renderedOn: IsoDate): Buffer {
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  stmt(db, 'INSERT INTO document_pdfs (document_id, pdf, sha256, rendered_on) VALUES (?, ?, ?, ?) ON CONFLICT (document_id) DO NOTHING').run(documentId, pdf, sha256, renderedOn);
  return storedPdf(db, documentId)!;
}

/** Issued documents (not quotes) without a stored PDF: issued before relance stored them, or whose freezing failed. */
export function documentsWithoutPdf(db: Db, limit: number): Document[] {
  const rows = stmt(
    db,
    `SELECT * FROM documents d WHERE d.number IS NOT NULL AND d.kind <> 'quote'
       AND NOT EXISTS (SELECT 1 FROM document_pdfs p WHERE p.document_id = d.id) ORDER BY d.seq LIMIT ?`,
  ).all(limit) as Row[];
  return rows.map(fromRow);
}
