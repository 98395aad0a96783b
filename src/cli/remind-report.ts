/**
 * How `remind` prints a run (RunReport from src/dunning/) and a recorded message, for people and
 * for scripts (--json).
 */
import path from 'node:path';
import { centsToDecimal } from '../core/money.js';
import { language, t, tn } from '../i18n/index.js';
import { render } from '../i18n/msg.js';
import { describeSummary } from '../core/dunning.js';
import { money } from '../render/format.js';
import { reasonLabel } from '../reports/labels.js';
import { clientById } from '../store/clients.js';
import type { MessageRow, remindersOfMessage } from '../store/reminders.js';
import { nothingHappened, reportJson, type RunReport } from '../dunning/report.js';
import { printJson, printTable } from '../render/output.js';
import type { Context } from './context.js';
import { neverSent, sendsDocuments } from '../store/document-sends.js';

/** A list for a summary line: the first ten, then how many more. */
function few(items: string[], n = 10): string {
  return items.length <= n ? items.join(', ') : t('dunning.report.few', { items: items.slice(0, n).join(', '), more: items.length - n });
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
  if (r.lockNote && !ctx.quiet) io.err(t('dunning.report.note', { text: r.lockNote }) + '\n');
  if (!ctx.quiet) {
    for (const s of r.settled.slice(0, 5)) io.err(t('dunning.report.settled', { id: s.message, status: s.status, why: s.why }) + '\n');
    if (r.settled.length > 5) io.err(t('dunning.report.settledMore', { n: r.settled.length - 5 }) + '\n');
  }
  if (r.dryRun) {
    out(t('dunning.report.dryRun', { asOf: r.asOf }));
    const planned = r.outcomes.filter((o) => o.status === 'planned');
    if (planned.length === 0) out(t('dunning.report.noneDue'));
    else printTable(io, [t('dunning.col.client'), t('dunning.col.level'), t('dunning.col.channel'), t('dunning.col.to'), t('dunning.col.invoices'), t('dunning.col.subject')], planned.map((o) => [o.client, o.level, o.channel, o.recipient ?? '', few(o.invoices, 4).replace(/; see .*$/, ''), o.subject ?? '']));
    for (const l of r.rules ?? []) out(t('dunning.report.rule', { text: describeSummary(l, language()) }));
    const unsent = unsentOf(ctx, r);
    if (unsent.length && sendsDocuments(db)) out(tn('dunning.report.neverSent', unsent.length, { list: few(unsent) }));
  } else {
    const sent = r.outcomes.filter((o) => o.status === 'sent' && o.channel === 'email');
    const outbox = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'email');
    const letters = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'letter');
    const handovers = r.outcomes.filter((o) => o.status === 'written' && o.channel === 'handover');
    out(r.transport ? t('dunning.report.headTransport', { asOf: r.asOf, transport: r.transport }) : t('dunning.report.head', { asOf: r.asOf }));
    out(t('dunning.report.sent', { n: sent.length }) + (sent.length ? ` (${few(sent.map((o) => t('dunning.report.clientLevel', { client: o.client, level: o.level })))})` : ''));
    out(t('dunning.report.outbox', { n: outbox.length }) + (outbox.length ? ` (${few(outbox.map((o) => path.basename(o.file ?? '')))})` : ''));
    out(t('dunning.report.letters', { n: letters.length }));
    for (const l of letters) out(`    ${l.file}${l.level >= 3 ? ' (lettre recommandée avec accusé de réception)' : ''}`);
    if (handovers.length) {
      out(t('dunning.report.handovers', { n: handovers.length }));
      for (const h of handovers) out(t('dunning.report.handover', { client: h.client, file: h.file }));
    }
  }
  out(t('dunning.report.calls', { n: r.calls.length }));
  for (const c of r.calls) out(t('dunning.report.call', { client: c.client, name: c.name, phone: c.phone ? ` ${c.phone}` : '', level: c.level, invoices: c.invoices.join(', ') }));
  out(t('dunning.report.skipped', { n: r.skipped.length }));
  if (r.skipped.length > 0 && (r.dryRun || r.skipped.length <= 50)) {
    printTable(io, [t('dunning.col.invoice'), t('dunning.col.client'), t('dunning.col.balance'), t('dunning.col.reason'), t('dunning.col.detail')], r.skipped.map((s) => [s.item.instalment ? `${s.item.number}/${s.item.instalment}` : s.item.number, clientCode(s.item.clientId), money(s.item.balance, s.item.currency), reasonLabel(s.reason), render(s.say)]));
  }
  if (r.uncertain.length) {
    out(t('dunning.report.uncertain', { n: r.uncertain.length }));
    for (const u of r.uncertain) {
      out(t('dunning.report.uncertainOne', { id: u.message, client: u.client, level: u.level, messageId: u.messageId ?? '', since: u.since }));
      if (u.why && !u.why.startsWith('interrupted')) out(`      (${u.why.replace(/; check the mailbox.*$/, '')})`);
    }
  }
  out(t('dunning.report.failed', { n: r.failed.length }));
  for (const f of r.failed) out(f.level !== null ? t('dunning.report.failedLevel', { client: f.client, level: f.level, error: f.error }) : `    ${f.client}: ${f.error}`);
  if (r.failed.length && !r.dryRun) io.err(t('dunning.report.failedErr', { n: r.failed.length }) + '\n');
  else if (r.failed.length) io.err(t('dunning.report.failedDry', { n: r.failed.length }) + '\n');
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
