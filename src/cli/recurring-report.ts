/**
 * What `recurring run --due` prints (and `remind --due` when it runs the recurring invoices first):
 * one line per invoice issued and per email, the clients on stop work held back, failures on stderr.
 */
import { ExitCode, RelanceError } from '../core/errors.js';
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
    const when = i.date === i.period ? `dated ${i.date}` : `dated ${i.date} (period ${i.period}: numbers follow the calendar)`;
    out(r.dryRun ? `Would issue an invoice for ${i.client} (#${i.schedule}) ${when}: ${money(i.total, i.currency)}\n` : `Issued ${i.number} for ${i.client} (#${i.schedule}) ${when}: ${money(i.total, i.currency)}\n`);
  }
  for (const s of r.sent) {
    if (s.status === 'sent') out(`Sent ${s.number} to ${s.to.join(', ')} (message #${s.message})\n`);
    else if (s.status === 'written') out(`Wrote ${s.number}'s email to the outbox (no smtp.host; message #${s.message})\n`);
    else if (s.status === 'already') out(`${s.number} was already sent${s.message ? ` (message #${s.message})` : ''}: not sent again\n`);
    else if (s.status === 'uncertain') warn(io, `${s.number}: ${s.error ?? `message #${s.message} may have been sent (the server never answered); it is not sent again: check the mailbox, then "relance invoice send ${s.number} --again" if it did not arrive`}`);
    else warn(io, `${s.number} was not sent: ${s.error}`);
  }
  for (const h of r.held) {
    warn(io, `${h.client} is on stop work: recurring invoice #${h.schedule} holds ${h.periods.length} period${h.periods.length > 1 ? 's' : ''} (${h.periods.join(', ')}), issued once stop work is lifted ("relance client edit ${h.client} --no-stop-work"), or "relance recurring pause ${h.schedule}" to skip ${h.periods.length > 1 ? 'them' : 'it'}`);
  }
  for (const f of r.failed) warn(io, `recurring invoice #${f.schedule} (${f.client})${f.period ? `, period ${f.period}` : ''} not issued: ${f.error}`);
  for (const w of r.warnings) warn(io, w);
  const nothing = !r.issued.length && !r.sent.length && !r.held.length && !r.failed.length;
  if (nothing && !ctx.quiet && !quietWhenNothing) io.err(`no recurring invoice due as of ${r.asOf}\n`);
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
    warn(ctx.io, `recurring invoices not issued: ${err.message}`);
    return err.exitCode === ExitCode.locked ? ExitCode.locked : ExitCode.failed;
  }
}
