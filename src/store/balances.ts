/**
 * Who owes what, as of a date: each client's account balance per currency, from three grouped sums
 * (no balance per invoice). It is the running balance a statement of account ends on:
 *
 *   balance = invoiced - credited - received
 *   invoiced = amount due incl. VAT of the issued invoices, deposits, finals and penalty invoices
 *   credited = issued credit notes (total incl. VAT)
 *   received = payments, reversals deducted (a reversal is a negative payment)
 *
 * all dated up to asOf. Money received and not yet allocated to an invoice lowers the balance (it is
 * the client's credit), as in the books: `ledger balance ^Assets:Receivables` of the same entries.
 * The documents sum is read from report_documents_balance alone, in (client, currency) order, and
 * the payments sum from report_payments_balance (indexes.ts, migration 3).
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { Db } from './db.js';

export interface ClientBalance {
  clientId: number;
  clientCode: string;
  clientName: string;
  currency: string;
  /** Issued invoices (amount due incl. VAT) up to asOf. */
  invoiced: Cents;
  /** Issued credit notes (incl. VAT) up to asOf. */
  credited: Cents;
  /** Payments less reversals up to asOf. */
  received: Cents;
  /** invoiced - credited - received: what the client owes (negative: what it has in credit). */
  balance: Cents;
}

// The dates are compared as "+d.issue_date" / "+p.date" so that no index on (client_id, date) looks
// better to the planner for one client than the covering report indices (query-plans.test.ts);
// "(number IS NOT NULL) = 1" is the expression report_documents_balance indexes.
function documentsSql(filter: string): string {
  return `
    SELECT d.client_id, d.currency,
           SUM(CASE WHEN d.kind = 'credit_note' THEN 0 ELSE d.amount_due END) AS invoiced,
           SUM(CASE WHEN d.kind = 'credit_note' THEN d.total_gross ELSE 0 END) AS credited
    FROM documents d
    WHERE ${filter} AND (d.number IS NOT NULL) = 1 AND d.kind <> 'quote' AND +d.issue_date <= @asOf
    GROUP BY d.client_id, d.currency`;
}

function paymentsSql(filter: string): string {
  return `
    SELECT p.client_id, p.currency, SUM(p.amount) AS received
    FROM payments p
    WHERE ${filter} AND +p.date <= @asOf
    GROUP BY p.client_id, p.currency`;
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Statements>();

function prepare(db: Db) {
  return {
    documents: db.prepare(documentsSql('1 = 1')),
    documentsOfClient: db.prepare(documentsSql('d.client_id = @client')),
    payments: db.prepare(paymentsSql('1 = 1')),
    paymentsOfClient: db.prepare(paymentsSql('p.client_id = @client')),
    clients: db.prepare('SELECT id, code, name FROM clients'),
    client: db.prepare('SELECT id, code, name FROM clients WHERE id = @client'),
  };
}

/**
 * Balances per client and currency as of a date, ordered by client code then currency. Clients and
 * currencies with no invoice, credit note or payment by then are left out; `nonZero` leaves out
 * the balances that are exactly zero too.
 */
export function clientBalances(db: Db, q: { asOf: IsoDate; clientId?: number; nonZero?: boolean }): ClientBalance[] {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  const one = q.clientId !== undefined;
  const params = { asOf: q.asOf, client: q.clientId ?? null };
  const clients = new Map<number, { code: string; name: string }>();
  for (const c of (one ? s.client : s.clients).all(params) as { id: number; code: string; name: string }[]) clients.set(c.id, c);
  const out = new Map<string, ClientBalance>();
  const get = (clientId: number, currency: string): ClientBalance => {
    const k = `${clientId}|${currency}`;
    let b = out.get(k);
    if (!b) {
      const c = clients.get(clientId)!;
      out.set(k, (b = { clientId, clientCode: c.code, clientName: c.name, currency, invoiced: 0, credited: 0, received: 0, balance: 0 }));
    }
    return b;
  };
  for (const r of (one ? s.documentsOfClient : s.documents).all(params) as { client_id: number; currency: string; invoiced: number; credited: number }[]) {
    const b = get(r.client_id, r.currency);
    b.invoiced += r.invoiced;
    b.credited += r.credited;
  }
  for (const r of (one ? s.paymentsOfClient : s.payments).all(params) as { client_id: number; currency: string; received: number }[]) {
    get(r.client_id, r.currency).received += r.received;
  }
  const list: ClientBalance[] = [];
  for (const b of out.values()) {
    b.balance = b.invoiced - b.credited - b.received;
    if (!q.nonZero || b.balance !== 0) list.push(b);
  }
  return list.sort((a, b) => (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** Totals per currency of some balances. */
export function balanceTotals(list: readonly ClientBalance[]): { currency: string; clients: number; invoiced: Cents; credited: Cents; received: Cents; balance: Cents }[] {
  const by = new Map<string, { currency: string; clients: number; invoiced: Cents; credited: Cents; received: Cents; balance: Cents }>();
  for (const b of list) {
    let t = by.get(b.currency);
    if (!t) by.set(b.currency, (t = { currency: b.currency, clients: 0, invoiced: 0, credited: 0, received: 0, balance: 0 }));
    t.clients++;
    t.invoiced += b.invoiced;
    t.credited += b.credited;
    t.received += b.received;
    t.balance += b.balance;
  }
  return [...by.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}
