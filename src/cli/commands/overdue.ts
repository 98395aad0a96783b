/**
 * relance overdue [--as-of D] [--client C] [--by invoice|client] [--json]: what is owed and since
 * when, as of a date: aging buckets, days late, balance, reminder level reached, last contact and
 * promise to pay, penalties and indemnity accrued (not yet billed), totals per bucket and currency,
 * DSO and average days late by client. A past --as-of shows what that day showed.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { BUCKETS, DSO_DEFINITION, DSO_WINDOW_DAYS, dsoText } from '../../core/aging.js';
import { canonical } from '../../core/vocabulary.js';
import { t, tn } from '../../i18n/index.js';
import { bucketLabel, oneDecimal } from '../../reports/labels.js';
import { requireClient } from '../../store/clients.js';
import { clientStats, overallStats } from '../../store/receivables.js';
import { dec, moneyFormatter } from '../../render/format.js';
import { note, printJson, printTable, warn, type RowSource } from '../../render/output.js';
import { neverSent, sendsDocuments } from '../../store/document-sends.js';
import { clientRows, invoiceCells, invoiceHeaders, overdueReport, rowJson, totalRow, totalsJson, totalHeaders, totalsOf, unknownWarning, withPromiseStatus } from '../../reports/overdue.js';
import { examples, validate, type App } from '../app.js';


export function registerOverdue(program: Command, app: App): void {
  const cmd = program
    .command('overdue')
    .description(t('dunning.overdue.description'))
    .summary(t('dunning.overdue.summary'))
    .option('--as-of <date>', t('dunning.overdue.opt.asOf'))
    .option('--client <code>', t('dunning.opt.onlyClient'))
    .option('--by <what>', t('dunning.overdue.opt.by'), 'invoice')
    .option('--all', t('dunning.overdue.opt.all'))
    .option('--pdf <file>', t('digest.overdue.opt_pdf'))
    .action(
      app.act(async (ctx, o: { asOf?: string; client?: string; by?: string; all?: boolean; pdf?: string }) => {
        const pdfFile = o.pdf === undefined ? undefined : (await import('../overdue-pdf.js')).checkOverduePdf(ctx, o.pdf, o.by);
        if (o.all) return (await import('../overdue-all.js')).overdueAll(ctx, o);
        const db = ctx.db();
        const asOf = ctx.asOf(o.asOf);
        const by = validate(z.enum(['invoice', 'client'], t('dunning.overdue.invoiceOrClient')), canonical('by', o.by ?? 'invoice'), '--by');
        const clientId = o.client === undefined ? undefined : requireClient(db, o.client).id;
        // By client: neither last contacts nor promises are shown, so none is read.
        const report = by === 'client' ? overdueReport(db, asOf, clientId, { contacts: false }) : withPromiseStatus(db, overdueReport(db, asOf, clientId));
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
          ctx.io.out((o.client ? t('dunning.overdue.nothingBy', { asOf, client: o.client }) : t('dunning.overdue.nothing', { asOf })) + '\n');
        } else if (by === 'invoice') {
          ctx.io.out((o.client ? t('dunning.overdue.headFor', { asOf, client: o.client }) : t('dunning.overdue.head', { asOf })) + '\n');
          // Each row's cells written into the table's scratch array: no array of cells per row.
          const fill = invoiceCells(m);
          const rows = report.rows;
          const source: RowSource = { count: rows.length, fill: (i, into) => fill(rows[i]!, into, 0) };
          printTable(ctx.io, invoiceHeaders(), source, { right: [3, 5, 9, 10] });
        } else {
          ctx.io.out(t('dunning.overdue.headByClient', { asOf }) + '\n');
          const rows = clientRows(report.rows, stats);
          printTable(
            ctx.io,
            [t('dunning.col.client'), t('dunning.col.currency'), t('dunning.col.invoices'), ...BUCKETS.map(bucketLabel), t('dunning.col.total'), t('dunning.col.penalties'), t('dunning.col.indemnities'), t('dunning.overdue.col.dso'), t('dunning.overdue.col.avgDaysLate')],
            rows.map((c) => [
              c.client,
              c.currency,
              c.invoices,
              ...BUCKETS.map((b) => (c.amounts[b] ? m(c.amounts[b], c.currency) : '')),
              m(c.amounts.total, c.currency),
              c.penaltiesUnknown ? (c.penalties ? t('dunning.overdue.plusUnknown', { amount: m(c.penalties, c.currency) }) : t('dunning.overdue.unknown')) : m(c.penalties, c.currency),
              m(c.indemnities, 'EUR'),
              oneDecimal(dsoText(c.dso, c.amounts.total)),
              c.avgDaysLate === null ? '' : oneDecimal(c.avgDaysLate),
            ]),
            { right: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
          );
        }
        if (report.rows.length > 0) {
          ctx.io.out(t('dunning.overdue.totals') + '\n');
          printTable(
            ctx.io,
            totalHeaders(),
            totals.map((x) => totalRow(x, m)),
            { right: [1, 2, 3, 4, 5, 6, 7, 8] },
          );
        }
        if (by === 'client') {
          for (const d of overallStats(stats, asOf)) {
            ctx.io.out(t(o.client ? 'dunning.overdue.dsoClient' : 'dunning.overdue.dsoAll', { currency: d.currency, line: dsoLine(d, asOf, m) }) + '\n');
          }
        }
        // Only once the ledger sends its invoices: before that, every invoice was sent some other way.
        const never = report.rows.length > 0 && sendsDocuments(db) ? unsent() : [];
        if (never.length) note(ctx.io, ctx.quiet, tn('dunning.overdue.neverSent', never.length, { list: never.length <= 10 ? never.join(', ') : `${never.slice(0, 10).join(', ')}${t('dunning.all.andMore', { n: never.length - 10 })}` }));
        if (warning) warn(ctx.io, warning);
      }),
    );
  cmd.addHelpText('after', `\n${t('dunning.overdue.help.dso', { days: DSO_WINDOW_DAYS })}\n`);
  examples(cmd, [
    'relance overdue',
    `relance overdue --as-of 2026-03-31            # ${t('dunning.overdue.ex.asOf')}`,
    'relance overdue --client ACME --json',
    `relance overdue --by client                    # ${t('dunning.overdue.ex.byClient')}`,
  ]);
}

/** The DSO sentence under the by-client table. */
function dsoLine(d: { outstanding: number; invoiced: number; dso: number | null; currency: string }, asOf: string, m: ReturnType<typeof moneyFormatter>): string {
  const owed = m(d.outstanding, d.currency);
  if (d.dso !== null) return t('dunning.overdue.dsoLine', { dso: oneDecimal(d.dso), owed, asOf });
  if (d.outstanding > 0) return t('dunning.overdue.dsoOver', { days: DSO_WINDOW_DAYS, owed, invoiced: m(d.invoiced, d.currency), asOf });
  return t('dunning.overdue.dsoNone', { days: DSO_WINDOW_DAYS, asOf });
}
