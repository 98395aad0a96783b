/**
 * remind --due --all and --log FILE (issue 7): the nightly run over every ledger of the registry.
 * Each ledger runs the ordinary `remind --due` (its own run lock, exactly once per dunning.md), one
 * after the other; a ledger that fails (locked, missing, corrupt, SMTP down) is reported by name on
 * stderr and the others still run; the exit status is the worst of them (1 over 3 over 0).
 * `--log FILE` appends one JSON line per ledger and run, for cron; `--quiet` prints nothing when
 * nothing happened.
 *
 * remind.ts hands in the one-ledger run, so this file adds no logic of its own to the dunning.
 */
import fs from 'node:fs';
import { numberText } from '../core/numbers.js';
import path from 'node:path';
import * as z from 'zod/mini';
import { type IsoDate } from '../core/dates.js';
import { ExitCode, RelanceError, UsageError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import { clientById } from '../store/clients.js';
import { timestamp } from '../store/db.js';
import { countsOf, nothingHappened, REASONS, reportJson, type DueCounts, type RunReport } from '../dunning/report.js';
import { printJson, printTable, type Cell } from '../render/output.js';
import { FILE_MODE } from '../system/files.js';
import { runOnAllLedgers, worstExit, type LedgerOutcome } from './all-ledgers.js';
import { validate } from './app.js';
import type { Context } from './context.js';
import { printReport } from './remind-report.js';

export interface DueOptions {
  asOf?: string;
  dryRun?: boolean;
  client?: string;
  wait?: string;
  all?: boolean;
  log?: string;
}

/** The one-ledger run remind.ts lends, with `print` called (ledger still open) instead of printing. */
export type DueRun = (sub: Context, print: (ctx: Context, r: RunReport) => void) => Promise<number>;

/** One ledger's run, with the client codes its skipped invoices need (read while the ledger was open). */
interface LedgerRun {
  report: RunReport;
  json: object;
  clientCodes: Map<number, string>;
}

function ledgerRun(ctx: Context, r: RunReport): LedgerRun {
  const clientCodes = new Map<number, string>();
  const db = ctx.db();
  for (const s of r.skipped) if (!clientCodes.has(s.item.clientId)) clientCodes.set(s.item.clientId, clientById(db, s.item.clientId).code);
  return { report: r, json: reportJson(r), clientCodes };
}

// ---------------------------------------------------------------------------------------------
// --log FILE

interface LogLine extends Omit<DueCounts, 'planned'> {
  time: string;
  ledger: string;
  asOf: IsoDate;
  exit: number;
  error?: string;
}

/** The log file, checked writable before any ledger runs (a bad path is exit 2, nothing sent). */
function openLog(ctx: Context, file: string): (line: LogLine) => void {
  const where = path.resolve(ctx.io.cwd, file);
  try {
    fs.appendFileSync(where, '', { mode: FILE_MODE });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot write the log file ${where} (${e.code ?? e.message}); check --log`);
  }
  return (line) => fs.appendFileSync(where, JSON.stringify(line) + '\n', { mode: FILE_MODE });
}

const NO_COUNTS: Omit<DueCounts, 'planned'> = { sent: 0, written: 0, letters: 0, handovers: 0, calls: 0, skipped: 0, failed: 0, uncertain: 0 };

function logLine(ctx: Context, ledger: string, asOf: IsoDate, code: number, report: RunReport | undefined, error?: string): LogLine {
  const { planned: _planned, ...counts } = report ? countsOf(report) : { ...NO_COUNTS, planned: 0 };
  void _planned;
  return { time: timestamp(ctx.io.now()), ledger, asOf, ...counts, exit: code, ...(error !== undefined ? { error } : {}) };
}

function exitOf(err: unknown): number {
  return err instanceof RelanceError ? err.exitCode : ExitCode.failed;
}

// ---------------------------------------------------------------------------------------------
// The entry point (remind --due with --all or --log)

const WAIT = numberText('seconds').check(z.minimum(0, 'at least 0'), z.maximum(3600, 'at most 3600'));

export async function remindDue(ctx: Context, o: DueOptions, run: DueRun): Promise<number> {
  // Bad input is refused once, before any ledger is opened or anything is sent.
  const asOf = ctx.asOf(o.asOf);
  if (o.wait !== undefined) validate(WAIT, o.wait, '--wait');
  if (o.log !== undefined && o.dryRun) throw new UsageError('--log records what a run did; a --dry-run does nothing: drop --log or --dry-run');
  if (o.all && o.client !== undefined) throw new UsageError(`--client names a client of one ledger; with --all drop it, or run "relance --ledger NAME remind --due --client ${o.client}"`);
  const log = o.log !== undefined ? openLog(ctx, o.log) : null;
  if (!o.all) return oneLedger(ctx, asOf, run, log!);

  const outcomes = await runOnAllLedgers<LedgerRun>(
    ctx,
    async (sub) => {
      let done: LedgerRun | undefined;
      const code = await run(sub, (c, r) => {
        done = ledgerRun(c, r);
      });
      return { result: done!, code };
    },
    (x) => log?.(logLine(ctx, x.ledger, asOf, x.code, x.result?.report, x.error)),
  );
  if (ctx.json) {
    printJson(
      ctx.io,
      outcomes.map((x) => (x.result ? { ledger: x.ledger, file: x.file, ...x.result.json, exit: x.code } : { ledger: x.ledger, file: x.file, error: x.error, exit: x.code })),
    );
  } else printAll(ctx, asOf, Boolean(o.dryRun), outcomes);
  reportLedgerFailures(ctx, outcomes, Boolean(o.dryRun));
  return worstExit(outcomes.map((x) => x.code));
}

/** --log without --all: the chosen ledger, printed as usual, and its line in the log. */
async function oneLedger(ctx: Context, asOf: IsoDate, run: DueRun, log: (line: LogLine) => void): Promise<number> {
  let name: string;
  try {
    const where = ctx.ledgerPath();
    name = where.name ?? where.file;
  } catch {
    name = ctx.global.ledger ?? ctx.global.file ?? '?';
  }
  let report: RunReport | undefined;
  let code: number;
  try {
    code = await run(ctx, (c, r) => {
      report = r;
      printReport(c, r);
    });
  } catch (err) {
    log(logLine(ctx, name, asOf, exitOf(err), undefined, err instanceof Error ? err.message : String(err)));
    throw err;
  }
  log(logLine(ctx, name, asOf, code, report));
  return code;
}

// ---------------------------------------------------------------------------------------------
// Printing --all

/** stderr, one line per ledger that did not go well, naming it. */
function reportLedgerFailures(ctx: Context, outcomes: LedgerOutcome<LedgerRun>[], dryRun: boolean): void {
  for (const x of outcomes) {
    const where = `relance: ledger ${x.ledger} (${x.file})`;
    if (x.error) {
      ctx.io.err(`${where}: ${x.error}\n`);
      continue;
    }
    const r = x.result!.report;
    if (r.failed.length) {
      const first = r.failed[0]!;
      const more = r.failed.length > 1 ? ` and ${r.failed.length - 1} more` : '';
      ctx.io.err(
        dryRun
          ? `${where}: ${r.failed.length} planned message(s) cannot be made (${first.client}: ${first.error}${more}); fix them before the real run\n`
          : `${where}: ${r.failed.length} reminder(s) failed (${first.client}${first.level !== null ? ` level ${first.level}` : ''}: ${first.error}${more}); they are kept as failed and the next "relance remind --due" retries them\n`,
      );
    }
    if (r.uncertain.length) {
      ctx.io.err(`${where}: ${r.uncertain.length} message(s) may or may not have gone out; settle them with "relance --ledger ${x.ledger} remind --resolve ID --sent|--retry"\n`);
    }
  }
}

function printAll(ctx: Context, asOf: IsoDate, dryRun: boolean, outcomes: LedgerOutcome<LedgerRun>[]): void {
  const io = ctx.io;
  const ran = outcomes.filter((x) => x.result);
  // --quiet (cron): nothing at all when nothing happened anywhere; errors still go to stderr.
  const eventful = ran.filter((x) => !nothingHappened(x.result!.report));
  if (ctx.quiet && eventful.length === 0) return;
  const title = (s: string) => io.out(`${io.color ? io.style.bold(s) : s}\n`);
  title(`${dryRun ? 'Dry run (nothing is sent or recorded)' : 'Reminders'} as of ${asOf}, ${outcomes.length} ledger(s):`);
  const shown = ctx.quiet ? outcomes.filter((x) => x.error || eventful.includes(x)) : outcomes;
  const head = dryRun ? ['ledger', 'transport', 'planned', 'calls', 'skipped', 'failed', 'result'] : ['ledger', 'transport', 'sent', 'outbox', 'letters', 'handovers', 'calls', 'skipped', 'failed', 'result'];
  printTable(
    io,
    head,
    shown.map((x): Cell[] => {
      const result = x.error ? (x.code === ExitCode.locked ? 'locked' : 'not run') : x.code === ExitCode.ok ? 'ok' : 'failed';
      if (!x.result) return [x.ledger, '', ...head.slice(2, -1).map(() => ''), result];
      const c = countsOf(x.result.report);
      const counts = dryRun ? [c.planned, c.calls, c.skipped, c.failed] : [c.sent, c.written, c.letters, c.handovers, c.calls, c.skipped, c.failed + c.uncertain];
      return [x.ledger, x.result.report.transport ?? '', ...counts, result];
    }),
    { right: dryRun ? [2, 3, 4, 5] : [2, 3, 4, 5, 6, 7, 8] },
  );

  const each = <T>(pick: (r: RunReport) => T[]) => ran.flatMap((x) => pick(x.result!.report).map((v) => ({ v, ledger: x.ledger, run: x.result! })));
  const messages = each((r) => r.outcomes);
  if (messages.length) {
    title(dryRun ? 'Planned messages:' : 'Messages:');
    printTable(
      io,
      ['ledger', 'client', 'level', 'channel', 'status', 'to / file', 'invoices'],
      messages.map(({ v, ledger }) => [ledger, v.client, v.level, v.channel, v.status, v.file ? path.basename(v.file) : (v.recipient ?? ''), few(v.invoices)]),
    );
  }
  const calls = each((r) => r.calls);
  if (calls.length) {
    title('Calls to make:');
    printTable(io, ['ledger', 'client', 'name', 'phone', 'level', 'invoices'], calls.map(({ v, ledger }) => [ledger, v.client, v.name, v.phone ?? '', v.level, few(v.invoices)]));
  }
  const letters = messages.filter(({ v }) => v.channel === 'letter' && v.status === 'written');
  for (const { v, ledger } of letters) io.out(`letter to post (${ledger}): ${v.file}${v.level >= 3 ? ' (lettre recommandée avec accusé de réception)' : ''}\n`);
  const failed = each((r) => r.failed);
  if (failed.length) {
    title('Failed:');
    printTable(io, ['ledger', 'client', 'level', 'error'], failed.map(({ v, ledger }) => [ledger, v.client, v.level ?? '', v.error]));
  }
  const uncertain = each((r) => r.uncertain);
  if (uncertain.length) {
    title('Uncertain (a crashed run handed these to the SMTP server; not resent):');
    printTable(io, ['ledger', 'message', 'client', 'level', 'Message-ID', 'since'], uncertain.map(({ v, ledger }) => [ledger, v.message, v.client, v.level, v.messageId ?? '', v.since]));
  }
  // The reasons each invoice is left alone: what a dry run is for.
  const skipped = dryRun ? each((r) => r.skipped) : [];
  if (skipped.length) {
    title('Skipped:');
    printTable(
      io,
      ['ledger', 'invoice', 'client', 'balance', 'reason', 'detail'],
      skipped.map(({ v, ledger, run }) => [
        ledger,
        v.item.instalment ? `${v.item.number}/${v.item.instalment}` : v.item.number,
        run.clientCodes.get(v.item.clientId) ?? '',
        formatMoney(v.item.balance, v.item.currency, 'en'),
        REASONS[v.reason] ?? v.reason,
        v.detail,
      ]),
      { right: [3] },
    );
  }
}

function few(items: string[], n = 4): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
