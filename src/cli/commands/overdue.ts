/**
 * relance overdue [--as-of D] [--client C] [--by invoice|client] [--json]: what is owed and since
 * when, as of a date: aging buckets, days late, balance, reminder level reached, last contact and
 * promise to pay, penalties and indemnity accrued (not yet billed), totals per bucket and currency,
 * DSO and average days late by client. A past --as-of shows what that day showed.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { BUCKET_LABELS, BUCKETS, DSO_DEFINITION, DSO_WINDOW_DAYS, dsoText } from '../../core/aging.js';
import { requireClient } from '../../store/clients.js';
import { clientStats, overallStats } from '../../store/receivables.js';
import { dec, moneyFormatter } from '../../render/format.js';
import { note, printJson, printTable, warn } from '../../render/output.js';
import { neverSent, sendsDocuments } from '../../store/document-sends.js';
import { clientRows, invoiceRow, overdueReport, rowJson, totalRow, totalsJson, totalsOf, unknownWarning, withPromiseStatus } from '../../reports/overdue.js';
import { examples, validate, type App } from '../app.js';
import { t } from '../../i18n/index.js';

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
    .option('--pdf <file>', t('digest.overdue.opt_pdf'))
    .action(
      app.act(async (ctx, o: { asOf?: string; client?: string; by?: string; all?: boolean; pdf?: string }) => {
        const pdfFile = o.pdf === undefined ? undefined : (await import('../overdue-pdf.js')).checkOverduePdf(ctx, o.pdf, o.by);
        if (o.all) return (await import('../overdue-all.js')).overdueAll(ctx, o);
        const db = ctx.db();
        const asOf = ctx.asOf(o.asOf);
        const by = validate(METHOD, o.by ?? 'invoice', '--by');
        const clientId = o.client === undefined ? undefined : requireClient(db, o.client).id;
        const report = withPromiseStatus(db, overdueReport(db, asOf, clientId));
        const totals = totalsOf(report.rows);
        const warning = unknownWarning(report.unknownHalves, report.missing);
        const m = moneyFormatter();
        // Overdue invoices relance never sent on their own (invoice send): a note, and neverSent in --json.
        const unsent = () => {
          const late = report.rows.filter((r) => r.item.daysLate > 0).map((r) => r.item.number);
          const never = neverSent(db, late);
          return late.filter((n) => never.has(n));
        };
        const stats = by === 'client' ? clientStats(db, asOf, { clientId, items: report.items }) : [];
        if (pdfFile) await (await import('../overdue-pdf.js')).writeOverduePdf(ctx, pdfFile, { asOf, rows: clientRows(report.rows, stats), totals });

        if (ctx.json) {
          if (warning) warn(ctx.io, warning);
          const base = { asOf, by, totals: totalsJson(totals), unknownRates: report.unknownHalves, neverSent: unsent() };
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
            dso: overallStats(stats, asOf).map((d) => ({ currency: d.currency, outstanding: dec(d.outstanding), invoiced: dec(d.invoiced), dso: d.dso })),
            dsoWindowDays: DSO_WINDOW_DAYS,
            dsoMethod: 'count-back',
            dsoDefinition: DSO_DEFINITION,
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
              dsoText(c.dso, c.amounts.total),
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
            totals.map((t) => totalRow(t, m)),
            { right: [1, 2, 3, 4, 5, 6, 7, 8] },
          );
        }
        if (by === 'client') {
          for (const d of overallStats(stats, asOf)) {
            ctx.io.out(`DSO${o.client ? '' : ' (all clients)'}, ${d.currency}: ${dsoLine(d, asOf, m)}\n`);
          }
        }
        // Only once the ledger sends its invoices: before that, every invoice was sent some other way.
        const never = report.rows.length > 0 && sendsDocuments(db) ? unsent() : [];
        if (never.length) note(ctx.io, ctx.quiet, `never sent by relance: ${never.length <= 10 ? never.join(', ') : `${never.slice(0, 10).join(', ')} and ${never.length - 10} more`}; a reminder would be the client's first sight of ${never.length === 1 ? 'it' : 'them'} ("relance invoice send NUMBER")`);
        if (warning) warn(ctx.io, warning);
      }),
    );
  cmd.addHelpText('after', `\nDSO (--by client): by the count-back method, the days of invoicing incl. VAT (credit notes\ndeducted), counted back from the as-of date (day 1), that the receivables outstanding make up;\n"—" when nothing was invoiced in the ${DSO_WINDOW_DAYS} days up to it, "> ${DSO_WINDOW_DAYS}" when the receivables exceed it.\n`);
  examples(cmd, [
    'relance overdue',
    'relance overdue --as-of 2026-03-31            # what it showed on that day',
    'relance overdue --client ACME --json',
    'relance overdue --by client                    # buckets, DSO and average days late per client',
  ]);
}

/** The DSO sentence under the by-client table. */
function dsoLine(d: { outstanding: number; invoiced: number; dso: number | null; currency: string }, asOf: string, m: ReturnType<typeof moneyFormatter>): string {
  const owed = m(d.outstanding, d.currency);
  if (d.dso !== null) return `${d.dso.toFixed(1)} days (count-back: the outstanding ${owed} is what was invoiced in the last ${d.dso.toFixed(1)} days up to ${asOf})`;
  if (d.outstanding > 0) return `over ${DSO_WINDOW_DAYS} days (the outstanding ${owed} exceeds the ${m(d.invoiced, d.currency)} invoiced in the ${DSO_WINDOW_DAYS} days up to ${asOf})`;
  return `— (nothing invoiced in the ${DSO_WINDOW_DAYS} days up to ${asOf})`;
}
