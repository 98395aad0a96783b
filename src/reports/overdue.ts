/**
 * The overdue report (a spec and the store's reads in, plain data out): every open invoice as of a
 * date with its aging bucket, penalties accrued, last contact and promise (pending / kept / broken,
 * from the same verdict the planner and `todo` use), totals per currency, per client and over several
 * ledgers; and the cells and JSON the commands print (`overdue`, `overdue --all`, `client show`).
 */
import { bucketTotals, BUCKET_LABELS, BUCKETS, type Bucket } from '../core/aging.js';
import type { PromiseStatus } from '../core/calllog.js';
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { missingHints, type MissingTable } from '../core/rates.js';
import { promisesAsOf } from '../store/contacts.js';
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
}

/** The data of the overdue report (used by `overdue`, and by `statement`). */
export function overdueReport(db: Db, asOf: IsoDate, clientId?: number): OverdueReport {
  if (clientId === undefined) mapForReading(db);
  const all = openItems(db, { asOf, clientId });
  const items = all.filter((i) => i.balance > 0);
  const penalties = penaltiesOf(db, items, asOf, { summary: true });
  const contacts = lastContacts(db, asOf, clientId);
  const unknown = new Set<string>();
  const missing = new Map<string, { half: string; table: MissingTable }>();
  for (const p of penalties.values()) for (const u of p.unknown) (unknown.add(u.half), missing.set(`${u.table}:${u.half}`, { half: u.half, table: u.table }));
  return {
    asOf,
    rows: items.map((item) => ({ item, penalties: penalties.get(item.id) ?? null, contact: contacts.of(item) })),
    unknownHalves: [...unknown].sort(),
    missing: [...missing.values()],
    items: all,
  };
}

/** The one warning line for penalties shown as unknown: it names the table that is actually missing. */
export function unknownWarning(halves: readonly string[], missing: readonly { half: string; table: MissingTable }[] = halves.map((half) => ({ half, table: 'ecb' as const }))): string | null {
  if (halves.length === 0) return null;
  return `penalties for ${halves.join(', ')} are shown as unknown: ${missingHints(missing).join('; ')}`;
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

export function totalsOf(rows: readonly OverdueRow[]): Totals[] {
  const buckets = bucketTotals(rows.map((r) => r.item));
  return [...buckets.entries()].map(([currency, b]) => {
    const mine = rows.filter((r) => r.item.currency === currency);
    return {
      currency,
      buckets: b,
      penalties: mine.reduce((s, r) => s + (r.penalties?.unbilledInterest ?? 0), 0),
      penaltiesUnknown: mine.some((r) => r.penalties !== null && r.penalties.unbilledInterest === null),
      // The indemnity is 40 EUR whatever the invoice's currency: summed per row, shown in euros.
      indemnities: mine.reduce((s, r) => s + (r.penalties?.unbilledIndemnity ?? 0), 0),
    };
  });
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

export function invoiceRow(r: OverdueRow, m: ReturnType<typeof moneyFormatter>): Cell[] {
  const { item: i, penalties: p, contact: c } = r;
  const notes: string[] = [];
  if (i.kind === 'penalty') notes.push('penalty invoice');
  if (i.disputed) notes.push(`disputed${i.disputedReason ? `: ${i.disputedReason}` : ''}`);
  if (i.plan) notes.push(i.overdueInstalments.length ? `plan: ${i.overdueInstalments.length} instalment(s) late` : 'plan: on schedule');
  if (i.clientKind === 'b2c' && p && p.startsOn === null) notes.push('consumer: interest after formal notice');
  if (i.paid > 0 || i.credited > 0) notes.push(`of ${m(i.amountDue, i.currency)}`);
  return [
    i.clientCode,
    i.number,
    shownDueDate(i),
    i.daysLate || '',
    BUCKET_LABELS[i.bucket],
    m(i.balance, i.currency),
    i.lastReminder ? `level ${i.lastReminder.level} (${i.lastReminder.date})` : '',
    c ? `${shortDate(c.last.at)} ${c.last.channel}` : '',
    c?.promise ? `${c.promise.promiseDate}${c.promise.promiseAmount !== null ? ` ${m(c.promise.promiseAmount, i.currency)}` : ''}${promiseMark(r.promiseStatus)}` : '',
    p ? m(p.unbilledInterest, i.currency) : '',
    p && p.unbilledIndemnity ? m(p.unbilledIndemnity, 'EUR') : '',
    notes.join('; '),
  ];
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
    fields.push([`balance${suffix}`, `${m(s.outstanding, s.currency)} on ${asOf}, ${mine.length} open invoice(s), ${m(overdue, s.currency)} overdue in ${late.length}`]);
    fields.push([`DSO${suffix}`, s.dso !== null ? `${s.dso.toFixed(1)} days (count-back: its balance is what was invoiced to it in the last ${s.dso.toFixed(1)} days)` : s.outstanding > 0 ? 'over 365 days (its balance exceeds what it was invoiced in the last 365 days)' : '— (nothing invoiced in the last 365 days)']);
    fields.push([`avg days late${suffix}`, s.avgDaysLate === null ? 'n/a (no invoice due in the last 365 days)' : `${s.avgDaysLate.toFixed(1)} over ${s.invoicesDue} invoice(s) due in the last 365 days`]);
    json.push({ ...statsJson(s), overdue: dec(overdue), openInvoices: mine.length });
  }
  return { fields, json: { asOf, receivables: json, dsoMethod: 'count-back' } };
}

/** A totals row (currency, buckets, total, penalties, indemnities) for a table. */
export function totalRow(t: Totals, m: ReturnType<typeof moneyFormatter>): Cell[] {
  return [
    t.currency,
    ...BUCKETS.map((b) => m(t.buckets[b], t.currency)),
    m(t.buckets.total, t.currency),
    t.penaltiesUnknown ? `${m(t.penalties, t.currency)} + unknown` : m(t.penalties, t.currency),
    m(t.indemnities, 'EUR'),
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


/** The report with each row's promise status (null: no promise, or one a later promise replaced). */
export function withPromiseStatus(db: Db, report: OverdueReport): OverdueReport {
  const shown = new Set<number>();
  for (const r of report.rows) if (r.contact?.promise) shown.add(r.contact.promise.id);
  if (shown.size === 0) return report;
  // Only the promises the report shows get their balances looked up.
  const states = new Map(promisesAsOf(db, report.asOf, { only: shown, followUps: false }).map((p) => [p.contactId, p]));
  return {
    ...report,
    rows: report.rows.map((r) => {
      const promise = r.contact?.promise;
      if (!promise) return r;
      const state = states.get(promise.id);
      return { ...r, promiseStatus: state?.status ?? null };
    }),
  };
}

/** What the promise column adds after the date: nothing while pending. */
export function promiseMark(status: PromiseStatus | null | undefined): string {
  return status === 'broken' ? ' broken' : status === 'kept' ? ' kept' : '';
}
