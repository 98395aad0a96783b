/**
 * What the exports read: every issued document with its amounts per VAT rate (the books), every
 * payment with the documents it went to, and the rows of the CSV exports. Read-only.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { computeTotals } from '../core/vat.js';
import type { Db } from './db.js';

export interface BookDocument {
  id: number;
  kind: 'invoice' | 'deposit' | 'final' | 'penalty' | 'credit_note';
  number: string;
  clientId: number;
  issueDate: IsoDate;
  currency: string;
  operation: 'goods' | 'services' | 'both' | null;
  amountDue: Cents;
  totalGross: Cents;
  /** the sale per rate (a final invoice: the whole sale) */
  rates: { vatBp: number; base: Cents; vat: Cents }[];
  /** final invoices: the deposits deducted, per rate */
  deductions: { vatBp: number; base: Cents; vat: Cents }[];
  /** credit notes: the document cancelled */
  cancels: { id: number; number: string; kind: BookDocument['kind']; operation: BookDocument['operation'] } | null;
  imported: boolean;
}

export interface BookPayment {
  id: number;
  clientId: number;
  date: IsoDate;
  amount: Cents;
  currency: string;
  method: string;
  reference: string | null;
  reversesId: number | null;
  /** the documents it was allocated to (credit applied later included) */
  documentIds: number[];
}

export interface BookClient {
  id: number;
  code: string;
  name: string;
}

interface DocRow {
  id: number;
  kind: BookDocument['kind'];
  number: string;
  client_id: number;
  issue_date: string;
  currency: string;
  operation: BookDocument['operation'];
  amount_due: number;
  total_net: number;
  total_vat: number;
  total_gross: number;
  cancels_id: number | null;
  import_id: number | null;
}

/** The books: issued documents (quotes left out), payments, clients. `to` bounds the dates. */
export function bookData(db: Db, to: IsoDate = '9999-12-31'): { docs: BookDocument[]; payments: BookPayment[]; clients: BookClient[] } {
  const rows = db
    .prepare(
      `SELECT id, kind, number, client_id, issue_date, currency, operation, amount_due, total_net, total_vat, total_gross, cancels_id, import_id
         FROM documents WHERE number IS NOT NULL AND kind <> 'quote' AND issue_date <= ? ORDER BY issue_date, id`,
    )
    .all(to) as DocRow[];
  const lines = new Map<number, { vatBp: number; net: number }[]>();
  for (const l of db.prepare(`SELECT document_id, vat_bp, net FROM document_lines WHERE document_id IN (SELECT id FROM documents WHERE number IS NOT NULL AND kind <> 'quote')`).all() as {
    document_id: number;
    vat_bp: number;
    net: number;
  }[]) {
    let list = lines.get(l.document_id);
    if (!list) lines.set(l.document_id, (list = []));
    list.push({ vatBp: l.vat_bp, net: l.net });
  }
  const deductions = new Map<number, { vatBp: number; base: number; vat: number }[]>();
  for (const x of db.prepare('SELECT document_id, vat_bp, base, vat FROM document_deductions').all() as { document_id: number; vat_bp: number; base: number; vat: number }[]) {
    let list = deductions.get(x.document_id);
    if (!list) deductions.set(x.document_id, (list = []));
    list.push({ vatBp: x.vat_bp, base: x.base, vat: x.vat });
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const docs = rows.map((r): BookDocument => {
    const ls = lines.get(r.id) ?? [];
    // An imported invoice's totals are the spreadsheet's (its one line carries the rate).
    const rates =
      r.import_id !== null
        ? [{ vatBp: ls[0]?.vatBp ?? 0, base: r.total_net, vat: r.total_vat }]
        : computeTotals(ls).rates.map((t) => ({ vatBp: t.vatBp, base: t.base, vat: t.vat }));
    const c = r.cancels_id === null ? undefined : byId.get(r.cancels_id);
    return {
      id: r.id,
      kind: r.kind,
      number: r.number,
      clientId: r.client_id,
      issueDate: r.issue_date,
      currency: r.currency,
      operation: r.operation,
      amountDue: r.amount_due,
      totalGross: r.total_gross,
      rates,
      deductions: deductions.get(r.id) ?? [],
      cancels: c ? { id: c.id, number: c.number, kind: c.kind, operation: c.operation } : null,
      imported: r.import_id !== null,
    };
  });
  const allocs = new Map<number, Set<number>>();
  for (const a of db.prepare('SELECT payment_id, document_id FROM allocations').all() as { payment_id: number; document_id: number }[]) {
    let set = allocs.get(a.payment_id);
    if (!set) allocs.set(a.payment_id, (set = new Set()));
    set.add(a.document_id);
  }
  const payments = (
    db.prepare('SELECT id, client_id, date, amount, currency, method, reference, reverses_id FROM payments WHERE date <= ? ORDER BY date, id').all(to) as {
      id: number;
      client_id: number;
      date: string;
      amount: number;
      currency: string;
      method: string;
      reference: string | null;
      reverses_id: number | null;
    }[]
  ).map((p) => ({
    id: p.id,
    clientId: p.client_id,
    date: p.date,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    reversesId: p.reverses_id,
    documentIds: [...(allocs.get(p.id) ?? [])],
  }));
  const clients = db.prepare('SELECT id, code, name FROM clients ORDER BY code').all() as BookClient[];
  return { docs, payments, clients };
}

/** Reminders recorded (one row per invoice and level), dated from..to, for the CSV export. */
export function reminderRows(db: Db, from: IsoDate, to: IsoDate) {
  return db
    .prepare(
      `SELECT r.date, c.code AS client, d.number, r.instalment, r.level, m.channel, m.status, m.recipient, m.subject, r.penalty, r.indemnity, m.on_demand
         FROM reminders r JOIN documents d ON d.id = r.document_id JOIN clients c ON c.id = d.client_id LEFT JOIN messages m ON m.id = r.message_id
        WHERE r.date >= ? AND r.date <= ? ORDER BY r.date, c.code, d.number, r.level`,
    )
    .all(from, to) as {
    date: string;
    client: string;
    number: string;
    instalment: number;
    level: number;
    channel: string | null;
    status: string | null;
    recipient: string | null;
    subject: string | null;
    penalty: Cents | null;
    indemnity: Cents | null;
    on_demand: number | null;
  }[];
}

/** Which documents an import made (for the CSV export's "imported" column). */
export function importedIds(db: Db): Set<number> {
  return new Set((db.prepare('SELECT id FROM documents WHERE import_id IS NOT NULL').all() as { id: number }[]).map((r) => r.id));
}
