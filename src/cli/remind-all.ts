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
import { waitSeconds } from '../core/numbers.js';
import path from 'node:path';
import * as z from 'zod/mini';
import { type IsoDate } from '../core/dates.js';
import { ExitCode, RelanceError, UsageError } from '../core/errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import { render } from '../i18n/msg.js';
import { money } from '../render/format.js';
import { reasonLabel } from '../reports/labels.js';
import { clientById } from '../store/clients.js';
import { timestamp } from '../store/db.js';
import { countsOf, nothingHappened, reportJson, type DueCounts, type RunReport } from '../dunning/report.js';
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
    throw new UsageError(t('dunning.all.err.log', { file: where, why: e.code ?? e.message }));
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

const WAIT = () => waitSeconds();

export async function remindDue(ctx: Context, o: DueOptions, run: DueRun): Promise<number> {
  // Bad input is refused once, before any ledger is opened or anything is sent.
  const asOf = ctx.asOf(o.asOf);
  if (o.wait !== undefined) validate(WAIT(), o.wait, '--wait');
  if (o.log !== undefined && o.dryRun) throw new UsageError(t('dunning.all.err.logDry'));
  if (o.all && o.client !== undefined) throw new UsageError(t('dunning.all.err.client', { client: o.client, command: 'remind --due' }));
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
    const where = t('dunning.all.where', { ledger: x.ledger, file: x.file });
    if (x.error) {
      ctx.io.err(`${where}: ${x.error}\n`);
      continue;
    }
    const r = x.result!.report;
    if (r.failed.length) {
      const first = r.failed[0]!;
      const more = r.failed.length > 1 ? t('dunning.all.andMore', { n: r.failed.length - 1 }) : '';
      ctx.io.err(
        dryRun
          ? t('dunning.all.failedDry', { where, n: r.failed.length, client: first.client, error: first.error, more }) + '\n'
          : t('dunning.all.failed', { where, n: r.failed.length, client: first.level !== null ? t('dunning.report.clientLevel', { client: first.client, level: first.level }) : first.client, error: first.error, more }) + '\n',
      );
    }
    if (r.uncertain.length) {
      ctx.io.err(t('dunning.all.uncertain', { where, n: r.uncertain.length, ledger: x.ledger }) + '\n');
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
  title(t(dryRun ? 'dunning.all.titleDry' : 'dunning.all.title', { asOf, n: outcomes.length }));
  const shown = ctx.quiet ? outcomes.filter((x) => x.error || eventful.includes(x)) : outcomes;
  const head = (dryRun ? ['ledger', 'transport', 'planned', 'calls', 'skipped', 'failed', 'result'] : ['ledger', 'transport', 'sent', 'outbox', 'letters', 'handovers', 'calls', 'skipped', 'failed', 'result']).map((h) => t(`dunning.all.col.${h}` as MessageKey));
  printTable(
    io,
    head,
    shown.map((x): Cell[] => {
      const result = t(x.error ? (x.code === ExitCode.locked ? 'dunning.all.result.locked' : 'dunning.all.result.notRun') : x.code === ExitCode.ok ? 'dunning.all.result.ok' : 'dunning.all.result.failed');
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
    title(t(dryRun ? 'dunning.all.plannedMessages' : 'dunning.all.messages'));
    printTable(
      io,
      [t('dunning.all.col.ledger'), t('dunning.col.client'), t('dunning.col.level'), t('dunning.col.channel'), t('dunning.col.status'), t('dunning.col.toFile'), t('dunning.col.invoices')],
      messages.map(({ v, ledger }) => [ledger, v.client, v.level, v.channel, v.status, v.file ? path.basename(v.file) : (v.recipient ?? ''), few(v.invoices)]),
    );
  }
  const calls = each((r) => r.calls);
  if (calls.length) {
    title(t('dunning.all.calls'));
    printTable(io, [t('dunning.all.col.ledger'), t('dunning.col.client'), t('dunning.col.name'), t('dunning.col.phone'), t('dunning.col.level'), t('dunning.col.invoices')], calls.map(({ v, ledger }) => [ledger, v.client, v.name, v.phone ?? '', v.level, few(v.invoices)]));
  }
  const letters = messages.filter(({ v }) => v.channel === 'letter' && v.status === 'written');
  for (const { v, ledger } of letters) io.out(`${t('dunning.all.letter', { ledger, file: v.file })}${v.level >= 3 ? ' (lettre recommandée avec accusé de réception)' : ''}\n`);
  const failed = each((r) => r.failed);
  if (failed.length) {
    title(t('dunning.all.failedTitle'));
    printTable(io, [t('dunning.all.col.ledger'), t('dunning.col.client'), t('dunning.col.level'), t('dunning.field.error')], failed.map(({ v, ledger }) => [ledger, v.client, v.level ?? '', v.error]));
  }
  const uncertain = each((r) => r.uncertain);
  if (uncertain.length) {
    title(t('dunning.all.uncertainTitle'));
    printTable(io, [t('dunning.all.col.ledger'), t('dunning.field.message'), t('dunning.col.client'), t('dunning.col.level'), 'Message-ID', t('dunning.col.since')], uncertain.map(({ v, ledger }) => [ledger, v.message, v.client, v.level, v.messageId ?? '', v.since]));
  }
  // The reasons each invoice is left alone: what a dry run is for.
  const skipped = dryRun ? each((r) => r.skipped) : [];
  if (skipped.length) {
    title(t('dunning.all.skippedTitle'));
    printTable(
      io,
      [t('dunning.all.col.ledger'), t('dunning.col.invoice'), t('dunning.col.client'), t('dunning.col.balance'), t('dunning.col.reason'), t('dunning.col.detail')],
      skipped.map(({ v, ledger, run }) => [
        ledger,
        v.item.instalment ? `${v.item.number}/${v.item.instalment}` : v.item.number,
        run.clientCodes.get(v.item.clientId) ?? '',
        money(v.item.balance, v.item.currency),
        reasonLabel(v.reason),
        render(v.say),
      ]),
      { right: [3] },
    );
  }
}

function few(items: string[], n = 4): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')}${t('dunning.all.andMore', { n: items.length - n })}`;
}
