/**
 * How `remind` prints a run (RunReport from src/dunning/) and a recorded message, for people and
 * for scripts (--json).
 */
import path from 'node:path';
import { centsToDecimal, formatMoney } from '../core/money.js';
import { clientById } from '../store/clients.js';
import type { MessageRow, remindersOfMessage } from '../store/reminders.js';
import { nothingHappened, REASONS, reportJson, type RunReport } from '../dunning/report.js';
import { printJson, printTable } from '../render/output.js';
import type { Context } from './context.js';
import { neverSent, sendsDocuments } from '../store/document-sends.js';

/** A list for a summary line: the first ten, then how many more. */
function few(items: string[], n = 10): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more; see "relance remind list"`;
}

/** The planned reminders' invoices that relance never sent on their own (invoice send). */
function unsentOf(ctx: Context, r: RunReport): string[] {
  const numbers = [...new Set(r.outcomes.filter((o) => o.status === 'planned').flatMap((o) => o.invoices.map((i) => i.replace(/\/\d+$/, ''))))];
  const never = neverSent(ctx.db(), numbers);
  return numbers.filter((n) => never.has(n));
}

export function printReport(ctx: Context, r: RunReport): void {
  if (ctx.json) return printJson(ctx.io, r.dryRun ? { ...reportJson(r), neverSent: unsentOf(ctx, r) } : reportJson(r));
  if (ctx.quiet && nothingHappened(r)) return; // cron: nothing printed when nothing happened
  const io = ctx.io;
  const out = (s: string) => io.out(s + '\n');
  const codeOf = new Map<number, string>();
  const db = ctx.db();
  const clientCode = (id: number) => {
    let c = codeOf.get(id);
    if (!c) codeOf.set(id, (c = clientById(db, id).code));
    return c;
  };
  if (r.lockNote && !ctx.quiet) io.err(`note: ${r.lockNote}\n`);
  if (!ctx.quiet) {
    for (const s of r.settled.slice(0, 5)) io.err(`note: message #${s.message} ${s.status}: ${s.why}\n`);
    if (r.settled.length > 5) io.err(`note: and ${r.settled.length - 5} more messages a crashed run left sending were settled the same way (see "relance remind list")\n`);
  }
  if (r.dryRun) {
    out(`Dry run as of ${r.asOf}: nothing is sent or recorded.`);
    const planned = r.outcomes.filter((o) => o.status === 'planned');
    if (planned.length === 0) out('No reminder is due.');
    else printTable(io, ['client', 'level', 'channel', 'to', 'invoices', 'subject'], planned.map((o) => [o.client, o.level, o.channel, o.recipient ?? '', few(o.invoices, 4).replace(/; see .*$/, ''), o.subject ?? '']));
    for (const l of r.rules ?? []) out(`  rule: ${l.text}`);
    const unsent = unsentOf(ctx, r);
    if (unsent.length && sendsDocuments(db)) out(`  never sent: ${few(unsent)}: the reminder would be the client's first sight of ${unsent.length === 1 ? 'it' : 'them'}; send first with "relance invoice send NUMBER"`);
  } else {
    const sent = r.outcomes.filter((o) => o.status === 'sent' && o.channel === 'email');
    const outbox = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'email');
    const letters = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'letter');
    const handovers = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'handover');
    out(`Reminders as of ${r.asOf}${r.transport ? ` (${r.transport})` : ''}:`);
    out(`  sent: ${sent.length}${sent.length ? ` (${few(sent.map((o) => `${o.client} level ${o.level}`))})` : ''}`);
    out(`  written to the outbox: ${outbox.length}${outbox.length ? ` (${few(outbox.map((o) => path.basename(o.file ?? '')))})` : ''}`);
    out(`  letters to post: ${letters.length}`);
    for (const l of letters) out(`    ${l.file}${l.level >= 3 ? ' (lettre recommandée avec accusé de réception)' : ''}`);
    if (handovers.length) {
      out(`  handed over for collection: ${handovers.length}`);
      for (const h of handovers) out(`    ${h.client}: ${h.file} (client put on stop work)`);
    }
  }
  out(`  calls to make: ${r.calls.length}`);
  for (const c of r.calls) out(`    ${c.client} (${c.name})${c.phone ? ` ${c.phone}` : ''}: level ${c.level}, ${c.invoices.join(', ')}`);
  out(`  skipped: ${r.skipped.length}`);
  if (r.skipped.length > 0 && (r.dryRun || r.skipped.length <= 50)) {
    printTable(io, ['invoice', 'client', 'balance', 'reason', 'detail'], r.skipped.map((s) => [s.item.instalment ? `${s.item.number}/${s.item.instalment}` : s.item.number, clientCode(s.item.clientId), formatMoney(s.item.balance, s.item.currency, 'en'), REASONS[s.reason] ?? s.reason, s.detail]));
  }
  if (r.uncertain.length) {
    out(`  uncertain (a crashed run handed these to the SMTP server; not resent): ${r.uncertain.length}`);
    for (const u of r.uncertain) {
      out(`    message #${u.message} to ${u.client}, level ${u.level}, ${u.messageId ?? ''} since ${u.since}: check the mailbox, then "relance remind --resolve ${u.message} --sent" or "--retry"`);
      if (u.why && !u.why.startsWith('interrupted')) out(`      (${u.why.replace(/; check the mailbox.*$/, '')})`);
    }
  }
  out(`  failed: ${r.failed.length}`);
  for (const f of r.failed) out(`    ${f.client}${f.level !== null ? ` level ${f.level}` : ''}: ${f.error}`);
  if (r.failed.length && !r.dryRun) io.err(`relance: ${r.failed.length} reminder(s) failed; they are kept as failed and the next "relance remind --due" retries them\n`);
  else if (r.failed.length) io.err(`relance: ${r.failed.length} planned message(s) cannot be made; fix them before the real run\n`);
}

export function messageJson(m: MessageRow, reminders: ReturnType<typeof remindersOfMessage>) {
  return {
    id: m.id,
    client: m.client_code,
    level: m.level,
    channel: m.channel,
    status: m.status,
    messageId: m.message_id,
    asOf: m.as_of,
    recipient: m.recipient,
    subject: m.subject,
    invoices: m.invoices ? m.invoices.split(', ') : [],
    file: m.file_path,
    copyOf: m.copy_of,
    onDemand: m.on_demand === 1,
    error: m.error,
    attempts: m.attempts,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    reminders: reminders.map((r) => ({ invoice: r.number, instalment: r.instalment, level: r.level, date: r.date, penalty: r.penalty === null ? null : centsToDecimal(r.penalty), indemnity: r.indemnity === null ? null : centsToDecimal(r.indemnity) })),
  };
}
