/**
 * overdue --all (issue 7): one overview over every ledger of the registry, each row starting with
 * the ledger's name (and `ledger` in the JSON); a ledger that fails (missing, corrupt) is reported by
 * name on stderr and the others are still shown; the exit status is the worst of them. The rows and
 * totals are the ones `overdue` shows for one ledger (reports/overdue.ts), amounts in each ledger's format.
 */
import { BUCKET_LABELS, BUCKETS } from '../core/aging.js';
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { moneyFormatter } from '../render/format.js';
import { printJson, printTable, warn, type Cell } from '../render/output.js';
import { grandTotals, invoiceRow, overdueReport, rowJson, totalRow, totalsJson, totalsOf, unknownWarning, withPromiseStatus, type Totals } from '../reports/overdue.js';
import { reportFailures, runOnAllLedgers, worstExit } from './all-ledgers.js';
import type { Context } from './context.js';

interface LedgerOverdue {
  /** The table rows, formatted while the ledger was open (its currency format and language). */
  cells: Cell[][];
  totalCells: Cell[][];
  totals: Totals[];
  json: object;
  warning: string | null;
  format: ReturnType<typeof moneyFormatter>;
}

function ledgerOverdue(sub: Context, asOf: IsoDate, ledger: string): LedgerOverdue {
  const db = sub.db();
  const report = withPromiseStatus(db, overdueReport(db, asOf));
  const m = moneyFormatter();
  const totals = totalsOf(report.rows);
  return {
    cells: report.rows.map((r) => [ledger, ...invoiceRow(r, m)]),
    totalCells: totals.map((t) => [ledger, ...totalRow(t, m)]),
    totals,
    json: { asOf, by: 'invoice', totals: totalsJson(totals), unknownRates: report.unknownHalves, items: report.rows.map(rowJson) },
    warning: unknownWarning(report.unknownHalves, report.missing),
    format: m,
  };
}

export async function overdueAll(ctx: Context, o: { asOf?: string; client?: string; by?: string }): Promise<number> {
  // Bad input is refused once, before any ledger is opened.
  const asOf = ctx.asOf(o.asOf);
  if (o.client !== undefined) throw new UsageError(`--client names a client of one ledger; with --all drop it, or run "relance --ledger NAME overdue --client ${o.client}"`);
  if (o.by !== undefined && o.by !== 'invoice') {
    if (o.by !== 'client') throw new UsageError(`--by: "${o.by}" is not one of invoice or client`);
    throw new UsageError('--all lists invoices; for a ledger by client run "relance --ledger NAME overdue --by client"');
  }
  const outcomes = await runOnAllLedgers(ctx, (sub, name) => ({ result: ledgerOverdue(sub, asOf, name) }));
  const done = outcomes.flatMap((x) => (x.result ? [{ ledger: x.ledger, ...x.result }] : []));
  if (ctx.json) {
    printJson(
      ctx.io,
      outcomes.map((x) => (x.result ? { ledger: x.ledger, file: x.file, ...x.result.json } : { ledger: x.ledger, file: x.file, error: x.error, exit: x.code })),
    );
  } else {
    const rows = done.flatMap((d) => d.cells);
    if (rows.length === 0) ctx.io.out(`Nothing owed as of ${asOf} in ${done.length} ledger(s).\n`);
    else {
      ctx.io.out(`Receivables as of ${asOf}, ${done.length} ledger(s):\n`);
      printTable(
        ctx.io,
        ['ledger', 'client', 'invoice', 'due', 'days late', 'bucket', 'balance', 'reminder', 'last contact', 'promise', 'penalties', 'indemnity', 'notes'],
        rows,
        { right: [4, 6, 10, 11] },
      );
      ctx.io.out('Totals:\n');
      const totalCells = done.flatMap((d) => d.totalCells);
      // Every ledger together, per currency, in the first ledger's number format.
      if (done.filter((d) => d.totals.length > 0).length > 1) totalCells.push(...grandTotals(done.map((d) => d.totals)).map((t) => ['(all)', ...totalRow(t, done[0]!.format)]));
      printTable(ctx.io, ['ledger', 'currency', ...BUCKETS.map((b) => BUCKET_LABELS[b]), 'total', 'penalties', 'indemnities'], totalCells, { right: [2, 3, 4, 5, 6, 7, 8, 9] });
    }
  }
  for (const d of done) if (d.warning) warn(ctx.io, `ledger ${d.ledger}: ${d.warning}`);
  reportFailures(ctx, outcomes);
  return worstExit(outcomes.map((x) => x.code));
}
