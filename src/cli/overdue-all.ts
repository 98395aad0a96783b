/**
 * overdue --all (issue 7): one overview over every ledger of the registry, each row starting with
 * the ledger's name (and `ledger` in the JSON); a ledger that fails (missing, corrupt) is reported by
 * name on stderr and the others are still shown; the exit status is the worst of them. The rows and
 * totals are the ones `overdue` shows for one ledger (reports/overdue.ts), amounts in each ledger's format.
 */
import { canonical } from '../core/vocabulary.js';
import { t } from '../i18n/index.js';
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { moneyFormatter } from '../render/format.js';
import { printJson, printTable, warn, type Cell } from '../render/output.js';
import { grandTotals, invoiceHeaders, invoiceRowPrinter, overdueReport, rowJson, totalHeaders, totalRow, totalsJson, totalsOf, unknownWarning, withPromiseStatus, type Totals } from '../reports/overdue.js';
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
  const row = invoiceRowPrinter(m);
  const totals = totalsOf(report.rows);
  return {
    cells: report.rows.map((r) => [ledger, ...row(r)]),
    totalCells: totals.map((x) => [ledger, ...totalRow(x, m)]),
    totals,
    json: { asOf, by: 'invoice', totals: totalsJson(totals), unknownRates: report.unknownHalves, items: report.rows.map(rowJson) },
    warning: unknownWarning(report.unknownHalves, report.missing),
    format: m,
  };
}

export async function overdueAll(ctx: Context, o: { asOf?: string; client?: string; by?: string }): Promise<number> {
  // Bad input is refused once, before any ledger is opened.
  const asOf = ctx.asOf(o.asOf);
  if (o.client !== undefined) throw new UsageError(t('dunning.all.err.client', { client: o.client, command: 'overdue' }));
  const by = o.by === undefined ? undefined : canonical('by', o.by);
  if (by !== undefined && by !== 'invoice') {
    if (by !== 'client') throw new UsageError(t('dunning.overdue.err.by', { by: o.by }));
    throw new UsageError(t('dunning.overdue.err.allByClient'));
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
    if (rows.length === 0) ctx.io.out(t('dunning.overdue.all.nothing', { asOf, n: done.length }) + '\n');
    else {
      ctx.io.out(t('dunning.overdue.all.head', { asOf, n: done.length }) + '\n');
      printTable(
        ctx.io,
        [t('dunning.all.col.ledger'), ...invoiceHeaders()],
        rows,
        { right: [4, 6, 10, 11] },
      );
      ctx.io.out(t('dunning.overdue.totals') + '\n');
      const totalCells = done.flatMap((d) => d.totalCells);
      // Every ledger together, per currency, in the first ledger's number format.
      if (done.filter((d) => d.totals.length > 0).length > 1) totalCells.push(...grandTotals(done.map((d) => d.totals)).map((x) => [t('dunning.overdue.all.allLedgers'), ...totalRow(x, done[0]!.format)]));
      printTable(ctx.io, [t('dunning.all.col.ledger'), ...totalHeaders()], totalCells, { right: [2, 3, 4, 5, 6, 7, 8, 9] });
    }
  }
  for (const d of done) if (d.warning) warn(ctx.io, t('dunning.overdue.all.warning', { ledger: d.ledger, warning: d.warning }));
  reportFailures(ctx, outcomes);
  return worstExit(outcomes.map((x) => x.code));
}
