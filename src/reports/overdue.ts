/**
 * The overdue report (a spec and the store's reads in, plain data out): every open invoice as of a
 * date with its aging bucket, penalties accrued, last contact and promise (pending / kept / broken,
 * from the same verdict the planner and `todo` use), totals per currency, per client and over several
 * ledgers; and the cells and JSON the commands print (`overdue`, `overdue --all`, `client show`).
 */
import { t, type MessageKey } from '../i18n/index.js';
import { bucketLabel, oneDecimal } from './labels.js';
import { BUCKETS, emptyBuckets, type Bucket } from '../core/aging.js';
import type { PromiseStatus } from '../core/calllog.js';
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { missingHints, type MissingTable } from '../core/rates.js';
import { promisesAsOf, type PromiseRead } from '../store/contacts.js';
import type { Db } from '../store/db.js';
import { clientStats, lastContacts, mapForReading, openItems, penaltiesOf, type ClientStats, type ContactInfo, type ItemPenalties, type OpenItem } from '../store/receivables.js';
import { dec, moneyFormatter, shortDate } from '../render/format.js';
import type { Cell } from '../render/output.js';

export interface OverdueRow {
  item: OpenItem;
  penalties: ItemPenalties | null;
  contact: { last: ContactInfo; promise: ContactInfo | null } | null;
  /** The promise's status as of the report's date (issue 6), once withPromiseStatus() has looked. */
  promiseStatus?: PromiseStatus | null;
}

export interface OverdueReport {
  asOf: IsoDate;
  rows: OverdueRow[];
  /** Half-years whose rate is unknown, with what to run. */
  unknownHalves: string[];
  /** Which table lacks each of those half-years' rate (the ECB rate on 1 Jan / 1 Jul, or the legal rate). */
  missing: { half: string; table: MissingTable }[];
  /** Every open item, overpaid ones included (for the DSO). */
  items: OpenItem[];
  /** The promises to pay read with the last contacts, for withPromiseStatus (no second read). */
  promises?: readonly PromiseRead[];
}

/**
 * The data of the overdue report (used by `overdue`, and by `statement`). `contacts: false` (the
 * by-client table, which shows neither): no last contact, no promise read (every row's contact null).
 */
export function overdueReport(db: Db, asOf: IsoDate, clientId?: number, opts: { contacts?: boolean } = {}): OverdueReport {
  if (clientId === undefined) mapForReading(db);
  const all = openItems(db, { asOf, clientId });
  const items = all.filter((i) => i.balance > 0);
  const penalties = penaltiesOf(db, items, asOf, { summary: true });
  const contacts = opts.contacts === false ? NO_CONTACTS : lastContacts(db, asOf, clientId);
  const unknown = new Set<string>();
  const missing = new Map<string, { half: string; table: MissingTable }>();
  for (const p of penalties.values()) for (const u of p.unknown) (unknown.add(u.half), missing.set(`${u.table}:${u.half}`, { half: u.half, table: u.table }));
  return {
    asOf,
    rows: items.map((item) => ({ item, penalties: penalties.get(item.id) ?? null, contact: contacts.of(item) })),
    unknownHalves: [...unknown].sort(),
    missing: [...missing.values()],
    items: all,
    promises: contacts.promises,
  };
}

/** What overdueReport reads when it is told not to read the contacts. */
const NO_CONTACTS: Pick<ReturnType<typeof lastContacts>, 'of' | 'promises'> = { of: () => null, promises: [] };

/** The one warning line for penalties shown as unknown: it names the table that is actually missing. */
export function unknownWarning(halves: readonly string[], missing: readonly { half: string; table: MissingTable }[] = halves.map((half) => ({ half, table: 'ecb' as const }))): string | null {
  if (halves.length === 0) return null;
  return t('dunning.overdue.unknownRates', { halves: halves.join(', '), hints: missingHints(missing).join('; ') });
}

/**
 * The due date a row shows: the invoice's, or with an active payment plan the instalment its days
 * late count from (the oldest late one), else the next instalment still to pay (issue 15 §5).
 */
export function shownDueDate(i: OpenItem): IsoDate {
  if (!i.plan) return i.dueDate;
  const late = i.overdueInstalments[0];
  if (late) return late.dueDate;
  for (const s of i.plan.instalments) if (s.remaining > 0) return s.dueDate;
  return i.dueDate;
}

export function rowJson(r: OverdueRow) {
  const { item: i, penalties: p, contact: c } = r;
  return {
    invoice: i.number,
    kind: i.kind,
    client: i.clientCode,
    clientKind: i.clientKind,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    currency: i.currency,
    amountDue: dec(i.amountDue),
    paid: dec(i.paid),
    credited: dec(i.credited),
    balance: dec(i.balance),
    daysLate: i.daysLate,
    invoiceDaysLate: i.invoiceDaysLate,
    bucket: i.bucket,
    disputed: i.disputed,
    plan: i.plan
      ? {
          createdOn: i.plan.createdOn,
          dueDate: shownDueDate(i),
          overdueInstalments: i.overdueInstalments.map((s) => ({ position: s.position, dueDate: s.dueDate, remaining: dec(s.remaining), daysLate: s.daysLate })),
        }
      : null,
    lastReminder: i.lastReminder,
    lastContact: c ? { at: c.last.at, channel: c.last.channel, outcome: c.last.outcome } : null,
    promise: c?.promise ? { date: c.promise.promiseDate, amount: dec(c.promise.promiseAmount), status: r.promiseStatus ?? null } : null,
    penalties: p ? dec(p.unbilledInterest) : '0.00',
    penaltiesKnown: p ? p.interest !== null : true,
    indemnity: p ? dec(p.unbilledIndemnity) : '0.00',
  };
}

export interface Totals {
  currency: string;
  buckets: Record<Bucket, Cents> & { total: Cents };
  penalties: Cents;
  penaltiesUnknown: boolean;
  indemnities: Cents;
}

/** Totals per currency (sorted by currency), in one pass over the rows. */
export function totalsOf(rows: readonly OverdueRow[]): Totals[] {
  const by = new Map<string, Totals>();
  for (const r of rows) {
    const i = r.item;
    let x = by.get(i.currency);
    if (x === undefined) by.set(i.currency, (x = { currency: i.currency, buckets: emptyBuckets(), penalties: 0, penaltiesUnknown: false, indemnities: 0 }));
    x.buckets[i.bucket] += i.balance;
    x.buckets.total += i.balance;
    const p = r.penalties;
    if (p !== null) {
      if (p.unbilledInterest === null) x.penaltiesUnknown = true;
      else x.penalties += p.unbilledInterest;
      // The indemnity is 40 EUR whatever the invoice's currency: summed per row, shown in euros.
      x.indemnities += p.unbilledIndemnity;
    }
  }
  return [...by.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

export function totalsJson(t: Totals[]) {
  return Object.fromEntries(
    t.map((x) => [
      x.currency,
      { ...Object.fromEntries(BUCKETS.map((b) => [b, dec(x.buckets[b])])), total: dec(x.buckets.total), penalties: dec(x.penalties), penaltiesComplete: !x.penaltiesUnknown, indemnities: dec(x.indemnities) },
    ]),
  );
}

export function statsJson(s: ClientStats) {
  return { client: s.clientCode, currency: s.currency, outstanding: dec(s.outstanding), invoiced: dec(s.invoiced), dso: s.dso, avgDaysLate: s.avgDaysLate, invoicesDue: s.invoicesDue };
}

/**
 * A message with its `{params}` filled by position, the catalogue looked up once: `compile(key,
 * ['level', 'date'])(2, '2026-01-05')` is t(key, { level: 2, date: '2026-01-05' }).
 */
function compile(key: MessageKey, names: readonly string[]): (...values: (string | number)[]) => string {
  // Each parameter stands as a private-use character, then the text is cut around them.
  const marks = names.map((_, k) => String.fromCharCode(0xe000 + k));
  const text = t(key, Object.fromEntries(names.map((n, k) => [n, marks[k]!])));
  const pieces: string[] = [];
  const slots: number[] = [];
  let piece = '';
  for (const ch of text) {
    const k = marks.indexOf(ch);
    if (k < 0) piece += ch;
    else (pieces.push(piece), slots.push(k), (piece = ''));
  }
  pieces.push(piece);
  return (...values) => {
    let out = pieces[0]!;
    for (let k = 0; k < slots.length; k++) out += String(values[slots[k]!]) + pieces[k + 1]!;
    return out;
  };
}

/**
 * The cells of an invoice row (`overdue`, `overdue --all`): the row's fixed words are looked up in
 * the catalogue once, when the printer is made, not once per row (32k rows on mix-100k).
 */
export function invoiceRowPrinter(m: ReturnType<typeof moneyFormatter>): (r: OverdueRow) => Cell[] {
  const fill = invoiceCells(m);
  return (r) => {
    const out: Cell[] = new Array(INVOICE_COLUMNS);
    fill(r, out, 0);
    return out;
  };
}

/** The invoice table's number of columns (invoiceHeaders). */
export const INVOICE_COLUMNS = 12;

/**
 * invoiceRowPrinter's cells written into `into` from `at` on, not into an array of their own: a
 * table of many rows (render/output.ts RowSource) fills one scratch array per row instead.
 */
export function invoiceCells(m: ReturnType<typeof moneyFormatter>): (r: OverdueRow, into: Cell[], at: number) => void {
  const penaltyInvoice = t('dunning.overdue.note.penaltyInvoice');
  const disputed = t('dunning.overdue.note.disputed');
  const disputedWhy = compile('dunning.overdue.note.disputedWhy', ['reason']);
  const planLate = compile('dunning.overdue.note.planLate', ['n']);
  const planOk = t('dunning.overdue.note.planOk');
  const consumer = t('dunning.overdue.note.consumer');
  const of = compile('dunning.overdue.note.of', ['amount']);
  const reminder = compile('dunning.overdue.reminder', ['level', 'date']);
  const buckets = new Map(BUCKETS.map((b) => [b, bucketLabel(b)]));
  const broken = promiseMark('broken');
  const kept = promiseMark('kept');
  return (r, into, at) => {
    const { item: i, penalties: p, contact: c } = r;
    let notes = '';
    const add = (n: string) => (notes = notes === '' ? n : `${notes}; ${n}`);
    if (i.kind === 'penalty') add(penaltyInvoice);
    if (i.disputed) add(i.disputedReason ? disputedWhy(i.disputedReason) : disputed);
    if (i.plan) add(i.overdueInstalments.length ? planLate(i.overdueInstalments.length) : planOk);
    if (i.clientKind === 'b2c' && p && p.startsOn === null) add(consumer);
    if (i.paid > 0 || i.credited > 0) add(of(m(i.amountDue, i.currency)));
    let promise = '';
    if (c?.promise) {
      const status = r.promiseStatus;
      promise = c.promise.promiseDate + (c.promise.promiseAmount !== null ? ` ${m(c.promise.promiseAmount, i.currency)}` : '') + (status === 'broken' ? broken : status === 'kept' ? kept : '');
    }
    into[at] = i.clientCode;
    into[at + 1] = i.number;
    into[at + 2] = shownDueDate(i);
    into[at + 3] = i.daysLate || '';
    into[at + 4] = buckets.get(i.bucket)!;
    into[at + 5] = m(i.balance, i.currency);
    into[at + 6] = i.lastReminder ? reminder(i.lastReminder.level, i.lastReminder.date) : '';
    into[at + 7] = c ? `${shortDate(c.last.at)} ${c.last.channel}` : '';
    into[at + 8] = promise;
    into[at + 9] = p ? m(p.unbilledInterest, i.currency) : '';
    into[at + 10] = p && p.unbilledIndemnity ? m(p.unbilledIndemnity, 'EUR') : '';
    into[at + 11] = notes;
  };
}

/** One invoice row's cells (see invoiceRowPrinter, which a table of many rows should use). */
export function invoiceRow(r: OverdueRow, m: ReturnType<typeof moneyFormatter>): Cell[] {
  return invoiceRowPrinter(m)(r);
}

export interface ClientRow {
  client: string;
  name: string;
  currency: string;
  invoices: number;
  amounts: Record<Bucket, Cents> & { total: Cents };
  penalties: Cents;
  penaltiesUnknown: boolean;
  indemnities: Cents;
  dso: number | null;
  avgDaysLate: number | null;
  oldestDaysLate: number;
}

export function clientRows(rows: readonly OverdueRow[], stats: readonly ClientStats[]): ClientRow[] {
  const out = new Map<string, ClientRow>();
  const statsOf = new Map(stats.map((x) => [`${x.clientId}|${x.currency}`, x]));
  for (const r of rows) {
    const k = `${r.item.clientCode}|${r.item.currency}`;
    let c = out.get(k);
    if (!c) {
      const s = statsOf.get(`${r.item.clientId}|${r.item.currency}`);
      out.set(
        k,
        (c = {
          client: r.item.clientCode,
          name: r.item.clientName,
          currency: r.item.currency,
          invoices: 0,
          amounts: { not_due: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0, total: 0 },
          penalties: 0,
          penaltiesUnknown: false,
          indemnities: 0,
          dso: s?.dso ?? null,
          avgDaysLate: s?.avgDaysLate ?? null,
          oldestDaysLate: 0,
        }),
      );
    }
    c.invoices++;
    c.amounts[r.item.bucket] += r.item.balance;
    c.amounts.total += r.item.balance;
    c.oldestDaysLate = Math.max(c.oldestDaysLate, r.item.daysLate);
    if (r.penalties) {
      if (r.penalties.unbilledInterest === null) c.penaltiesUnknown = true;
      else c.penalties += r.penalties.unbilledInterest;
      c.indemnities += r.penalties.unbilledIndemnity;
    }
  }
  return [...out.values()];
}

/**
 * What `client show` adds about a client's receivables as of a date: balance, overdue, DSO and
 * average days late per currency, and its credit. Label/value pairs for printFields, and JSON.
 */
export function clientReceivables(db: Db, clientId: number, asOf: IsoDate): { fields: [string, string][]; json: Record<string, unknown> } {
  const m = moneyFormatter();
  const all = openItems(db, { asOf, clientId });
  const stats = clientStats(db, asOf, { clientId, items: all });
  const items = all.filter((i) => i.balance > 0);
  const fields: [string, string][] = [];
  const json: Record<string, unknown>[] = [];
  for (const s of stats) {
    const mine = items.filter((i) => i.currency === s.currency);
    const late = mine.filter((i) => i.daysLate > 0);
    const overdue = late.reduce((a, i) => a + i.balance, 0);
    const suffix = stats.length > 1 ? ` (${s.currency})` : '';
    fields.push([t('dunning.col.balance') + suffix, t('dunning.overdue.client.balance', { outstanding: m(s.outstanding, s.currency), asOf, open: mine.length, overdue: m(overdue, s.currency), late: late.length })]);
    fields.push([`DSO${suffix}`, s.dso !== null ? t('dunning.overdue.client.dso', { dso: oneDecimal(s.dso) }) : s.outstanding > 0 ? t('dunning.overdue.client.dsoOver') : t('dunning.overdue.client.dsoNone')]);
    fields.push([t('dunning.overdue.col.avgDaysLate') + suffix, s.avgDaysLate === null ? t('dunning.overdue.client.avgNone') : t('dunning.overdue.client.avg', { avg: oneDecimal(s.avgDaysLate), n: s.invoicesDue })]);
    json.push({ ...statsJson(s), overdue: dec(overdue), openInvoices: mine.length });
  }
  return { fields, json: { asOf, receivables: json, dsoMethod: 'count-back' } };
}

/** A totals row (currency, buckets, total, penalties, indemnities) for a table. */
export function totalRow(x: Totals, m: ReturnType<typeof moneyFormatter>): Cell[] {
  return [
    x.currency,
    ...BUCKETS.map((b) => m(x.buckets[b], x.currency)),
    m(x.buckets.total, x.currency),
    x.penaltiesUnknown ? t('dunning.overdue.plusUnknown', { amount: m(x.penalties, x.currency) }) : m(x.penalties, x.currency),
    m(x.indemnities, 'EUR'),
  ];
}

/** The totals of every ledger together, per currency (what the secretary's clients are owed in all). */
export function grandTotals(all: Totals[][]): Totals[] {
  const out = new Map<string, Totals>();
  for (const t of all.flat()) {
    let g = out.get(t.currency);
    if (!g) {
      const zero = Object.fromEntries([...BUCKETS, 'total'].map((b) => [b, 0])) as Record<Bucket, Cents> & { total: Cents };
      out.set(t.currency, (g = { currency: t.currency, buckets: zero, penalties: 0, penaltiesUnknown: false, indemnities: 0 }));
    }
    for (const b of BUCKETS) g.buckets[b] += t.buckets[b];
    g.buckets.total += t.buckets.total;
    g.penalties += t.penalties;
    g.penaltiesUnknown ||= t.penaltiesUnknown;
    g.indemnities += t.indemnities;
  }
  return [...out.values()];
}


/** The report with each row's promise status (null: no promise, or one a later promise replaced), set in place. */
export function withPromiseStatus(db: Db, report: OverdueReport): OverdueReport {
  const shown = new Set<number>();
  for (const r of report.rows) if (r.contact?.promise) shown.add(r.contact.promise.id);
  if (shown.size === 0) return report;
  // Only the promises the report shows get their balances looked up.
  const states = new Map<number, PromiseStatus>();
  for (const p of promisesAsOf(db, report.asOf, { only: shown, followUps: false, read: report.promises, numbers: false })) states.set(p.contactId, p.status);
  // Set on the rows themselves (the report was just built for this): no copy of every row.
  for (const r of report.rows) {
    const promise = r.contact?.promise;
    if (promise) r.promiseStatus = states.get(promise.id) ?? null;
  }
  return report;
}

/** What the promise column adds after the date: nothing while pending. */
export function promiseMark(status: PromiseStatus | null | undefined): string {
  return status === 'broken' ? t('dunning.overdue.promise.broken') : status === 'kept' ? t('dunning.overdue.promise.kept') : '';
}

/** The invoice table's column headers (`overdue`, `overdue --all` after its ledger column). */
export function invoiceHeaders(): string[] {
  return ['client', 'invoice', 'due', 'daysLate', 'bucket', 'balance', 'reminder', 'lastContact', 'promise', 'penalties', 'indemnity', 'notes'].map((k) => t(`dunning.col.${k}` as MessageKey));
}

/** The totals table's column headers. */
export function totalHeaders(): string[] {
  return [t('dunning.col.currency'), ...BUCKETS.map(bucketLabel), t('dunning.col.total'), t('dunning.col.penalties'), t('dunning.col.indemnities')];
}
