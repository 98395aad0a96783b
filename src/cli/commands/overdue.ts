/**
 * relance overdue [--as-of D] [--client C] [--by invoice|client] [--json]: what is owed and since
 * when, as of a date: aging buckets, days late, balance, reminder level reached, last contact and
 * promise to pay, penalties and indemnity accrued (not yet billed), totals per bucket and currency,
 * DSO and average days late by client. A past --as-of shows what that day showed.
 */
import type { Command } from 'commander';
import { BUCKET_LABELS, BUCKETS, bucketTotals, DSO_WINDOW_DAYS, type Bucket } from '../../core/aging.js';
import type { IsoDate } from '../../core/dates.js';
import type { Cents } from '../../core/money.js';
import { missingHints, type MissingTable } from '../../core/rates.js';
import { requireClient } from '../../store/clients.js';
import type { Db } from '../../store/db.js';
import { clientStats, lastContacts, openItems, overallStats, penaltiesOf, type ClientStats, type ContactInfo, type ItemPenalties, type OpenItem } from '../../store/receivables.js';
import { printJson, printTable, warn, type Cell } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import * as z from 'zod/mini';
import { dec, moneyFormatter } from './pay.js';
import type { PromiseStatus } from '../../core/calllog.js';
import { promiseMark, withPromiseStatus } from './overdue-promises.js';

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
  const all = openItems(db, { asOf, clientId });
  const items = all.filter((i) => i.balance > 0);
  const penalties = penaltiesOf(db, items, asOf);
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

const shortDate = (at: string) => at.slice(0, 10);

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

function statsJson(s: ClientStats) {
  return { client: s.clientCode, currency: s.currency, outstanding: dec(s.outstanding), invoiced: dec(s.invoiced), dso: s.dso, avgDaysLate: s.avgDaysLate, invoicesDue: s.invoicesDue };
}

const METHOD = z.enum(['invoice', 'client'], 'invoice or client');

export function registerOverdue(program: Command, app: App): void {
  const cmd = program
    .command('overdue')
    .description('what is owed and since when, as of a date: aging buckets, reminders, penalties, DSO')
    .summary('what is owed and since when (aging)')
    .option('--as-of <date>', 'as of this date: later payments, credit notes and reminders are ignored (default: today)')
    .option('--client <code>', 'only this client')
    .option('--by <what>', 'invoice | client', 'invoice')
    .option('--all', 'every ledger of the registry, with a "ledger" column; a ledger that fails is reported by name')
    .action(
      app.act(async (ctx, o: { asOf?: string; client?: string; by?: string; all?: boolean }) => {
        if (o.all) return (await import('./overdue-all.js')).overdueAll(ctx, o);
        const db = ctx.db();
        const asOf = ctx.asOf(o.asOf);
        const by = validate(METHOD, o.by ?? 'invoice', '--by');
        const clientId = o.client === undefined ? undefined : requireClient(db, o.client).id;
        const report = withPromiseStatus(db, overdueReport(db, asOf, clientId));
        const totals = totalsOf(report.rows);
        const warning = unknownWarning(report.unknownHalves, report.missing);
        const m = moneyFormatter(db);
        const stats = by === 'client' ? clientStats(db, asOf, { clientId, items: report.items }) : [];

        if (ctx.json) {
          if (warning) warn(ctx.io, warning);
          const base = { asOf, by, totals: totalsJson(totals), unknownRates: report.unknownHalves };
          if (by === 'invoice') return printJson(ctx.io, { ...base, items: report.rows.map(rowJson) });
          return printJson(ctx.io, {
            ...base,
            clients: clientRows(report.rows, stats).map((c) => ({
              client: c.client,
              name: c.name,
              currency: c.currency,
              invoices: c.invoices,
              ...Object.fromEntries(BUCKETS.map((b) => [b, dec(c.amounts[b])])),
              total: dec(c.amounts.total),
              penalties: c.penaltiesUnknown ? null : dec(c.penalties),
              indemnities: dec(c.indemnities),
              oldestDaysLate: c.oldestDaysLate,
              dso: c.dso,
              avgDaysLate: c.avgDaysLate,
            })),
            dso: overallStats(stats).map((d) => ({ currency: d.currency, outstanding: dec(d.outstanding), invoiced: dec(d.invoiced), dso: d.dso })),
            dsoWindowDays: DSO_WINDOW_DAYS,
          });
        }

        if (report.rows.length === 0) {
          ctx.io.out(`Nothing owed as of ${asOf}${o.client ? ` by ${o.client}` : ''}.\n`);
        } else if (by === 'invoice') {
          ctx.io.out(`Receivables as of ${asOf}${o.client ? ` for ${o.client}` : ''}:\n`);
          printTable(
            ctx.io,
            ['client', 'invoice', 'due', 'days late', 'bucket', 'balance', 'reminder', 'last contact', 'promise', 'penalties', 'indemnity', 'notes'],
            report.rows.map((r) => invoiceRow(r, m)),
            { right: [3, 5, 9, 10] },
          );
        } else {
          ctx.io.out(`Receivables by client as of ${asOf}:\n`);
          const rows = clientRows(report.rows, stats);
          printTable(
            ctx.io,
            ['client', 'currency', 'invoices', ...BUCKETS.map((b) => BUCKET_LABELS[b]), 'total', 'penalties', 'indemnities', 'DSO (days)', 'avg days late'],
            rows.map((c) => [
              c.client,
              c.currency,
              c.invoices,
              ...BUCKETS.map((b) => (c.amounts[b] ? m(c.amounts[b], c.currency) : '')),
              m(c.amounts.total, c.currency),
              c.penaltiesUnknown ? (c.penalties ? `${m(c.penalties, c.currency)} + unknown` : 'unknown') : m(c.penalties, c.currency),
              m(c.indemnities, 'EUR'),
              c.dso === null ? '' : c.dso.toFixed(1),
              c.avgDaysLate === null ? '' : c.avgDaysLate.toFixed(1),
            ]),
            { right: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
          );
        }
        if (report.rows.length > 0) {
          ctx.io.out('Totals:\n');
          printTable(
            ctx.io,
            ['currency', ...BUCKETS.map((b) => BUCKET_LABELS[b]), 'total', 'penalties', 'indemnities'],
            totals.map((t) => [
              t.currency,
              ...BUCKETS.map((b) => m(t.buckets[b], t.currency)),
              m(t.buckets.total, t.currency),
              t.penaltiesUnknown ? `${m(t.penalties, t.currency)} + unknown` : m(t.penalties, t.currency),
              m(t.indemnities, 'EUR'),
            ]),
            { right: [1, 2, 3, 4, 5, 6, 7, 8] },
          );
        }
        if (by === 'client') {
          for (const d of overallStats(stats)) {
            ctx.io.out(
              `DSO${o.client ? '' : ' (all clients)'}, ${d.currency}: ${d.dso === null ? 'n/a (nothing invoiced in the last 365 days)' : `${d.dso.toFixed(1)} days`} = outstanding ${m(d.outstanding, d.currency)} / invoiced over ${DSO_WINDOW_DAYS} days ${m(d.invoiced, d.currency)} x ${DSO_WINDOW_DAYS}\n`,
            );
          }
        }
        if (warning) warn(ctx.io, warning);
      }),
    );
  examples(cmd, [
    'relance overdue',
    'relance overdue --as-of 2026-03-31            # what it showed on that day',
    'relance overdue --client ACME --json',
    'relance overdue --by client                    # buckets, DSO and average days late per client',
  ]);
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
    i.dueDate,
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

interface ClientRow {
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

function clientRows(rows: readonly OverdueRow[], stats: readonly ClientStats[]): ClientRow[] {
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
  const m = moneyFormatter(db);
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
    fields.push([`DSO${suffix}`, s.dso === null ? 'n/a (nothing invoiced in the last 365 days)' : `${s.dso.toFixed(1)} days (outstanding / invoiced over 365 days x 365)`]);
    fields.push([`avg days late${suffix}`, s.avgDaysLate === null ? 'n/a (no invoice due in the last 365 days)' : `${s.avgDaysLate.toFixed(1)} over ${s.invoicesDue} invoice(s) due in the last 365 days`]);
    json.push({ ...statsJson(s), overdue: dec(overdue), openInvoices: mine.length });
  }
  return { fields, json: { asOf, receivables: json } };
}
