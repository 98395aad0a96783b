/**
 * What `recurring run --due` prints (and `remind --due` when it runs the recurring invoices first):
 * one line per invoice issued and per email, the clients on stop work held back, failures on stderr.
 */
import { ExitCode, RelanceError } from '../core/errors.js';
import { t, tn } from '../i18n/index.js';
import { money } from '../render/format.js';
import { warn } from '../render/output.js';
import type { RecurringReport } from '../recurring/run.js';
import type { Context } from './context.js';

export function printRecurringReport(ctx: Context, r: RecurringReport, quietWhenNothing = false): void {
  const io = ctx.io;
  // Inside remind --due with --json or --quiet, stdout is the reminders': only problems are told (stderr).
  const out = quietWhenNothing && (ctx.json || ctx.quiet) ? () => {} : (s: string) => io.out(s);
  if (r.lockNote) warn(io, r.lockNote);
  for (const i of r.issued) {
    const when = i.date === i.period ? t('dunning.rec.dated', { date: i.date }) : t('dunning.rec.datedPeriod', { date: i.date, period: i.period });
    out((r.dryRun ? t('dunning.rec.wouldIssue', { client: i.client, schedule: i.schedule, when, total: money(i.total, i.currency) }) : t('dunning.rec.issued', { number: i.number, client: i.client, schedule: i.schedule, when, total: money(i.total, i.currency) })) + '\n');
  }
  for (const s of r.sent) {
    if (s.status === 'sent') out(t('dunning.rec.sent', { number: s.number, to: s.to.join(', '), message: s.message }) + '\n');
    else if (s.status === 'written') out(t('dunning.rec.written', { number: s.number, message: s.message }) + '\n');
    else if (s.status === 'already') out(t('dunning.rec.already', { number: s.number, message: s.message ? t('dunning.rec.messageRef', { message: s.message }) : '' }) + '\n');
    else if (s.status === 'uncertain') warn(io, `${s.number}: ${s.error ?? t('dunning.rec.uncertain', { number: s.number, message: s.message })}`);
    else warn(io, t('dunning.rec.notSent', { number: s.number, error: s.error }));
  }
  for (const h of r.held) {
    warn(io, tn('dunning.rec.held', h.periods.length, { client: h.client, schedule: h.schedule, periods: h.periods.join(', ') }));
  }
  for (const f of r.failed) warn(io, t('dunning.rec.failed', { schedule: f.schedule, client: f.client, period: f.period ? t('dunning.rec.periodRef', { period: f.period }) : '', error: f.error }));
  for (const w of r.warnings) warn(io, w);
  const nothing = !r.issued.length && !r.sent.length && !r.held.length && !r.failed.length;
  if (nothing && !ctx.quiet && !quietWhenNothing) io.err(t('dunning.rec.nothing', { asOf: r.asOf }) + '\n');
}

/**
 * remind --due's nightly habit: the recurring invoices due are issued (and sent) first, by the same
 * run as "recurring run --due" (its own lock, each period once). Returns its exit status.
 */
export async function recurringBeforeRemind(ctx: Context, asOf: string | undefined, lockWaitMs: number): Promise<number> {
  const { runRecurringDue, recurringExit } = await import('../recurring/run.js');
  try {
    const r = await runRecurringDue({ db: ctx.db(), ledgerFile: ctx.ledgerPath().file, asOf: ctx.asOf(asOf), now: () => ctx.io.now(), env: ctx.io.env, lockWaitMs });
    printRecurringReport(ctx, r, true);
    return recurringExit(r);
  } catch (err) {
    // The reminders still run: a recurring run that could not (locked...) is told, and counts in the exit status.
    if (!(err instanceof RelanceError) || err.exitCode === ExitCode.usage) throw err;
    warn(ctx.io, t('dunning.rec.notIssued', { error: err.message }));
    return err.exitCode === ExitCode.locked ? ExitCode.locked : ExitCode.failed;
  }
}
