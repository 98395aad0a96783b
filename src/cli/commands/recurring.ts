/**
 * relance recurring add | list | show | pause | resume | stop | run --due (issue 20 §3): invoices
 * issued on a calendar (core/recurrence.ts), each period exactly once (src/recurring/run.ts), and
 * sent when the schedule says so (the path of `invoice send`). This file parses, checks, calls, prints.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { numberText } from '../../core/numbers.js';
import { defaultOn, describeRecurrence, everyLabel, nextPeriod, parseEvery, parseOn, periodsUpTo } from '../../core/recurrence.js';
import { TERMS_KINDS } from '../../core/terms.js';
import { centsToDecimal } from '../../core/money.js';
import { computeLine, computeTotals } from '../../core/vat.js';
import { requireClient } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { insertSchedule, issuedPeriods, listSchedules, requireSchedule, setScheduleStatus, updateSchedule, type Schedule, type ScheduleEdit, type ScheduleStatus } from '../../store/recurring.js';
import { getSettings } from '../../store/settings.js';
import { money } from '../../render/format.js';
import { note, printFields, printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { calendarEdit } from '../../recurring/edit.js';
import { currencyOption, gatherLines, operationOption, termsOptions, withLineOptions, type LineOptions } from '../document-options.js';

interface AddOptions extends LineOptions {
  every?: string;
  on?: string;
  start?: string;
  end?: string;
  send?: boolean;
  terms?: string;
  termsKind?: string;
  po?: string;
  notes?: string;
  operation?: string;
  currency?: string;
  asOf?: string;
}

const gross = (s: Schedule) => computeTotals(s.lines.map(computeLine)).gross;

/** The schedule's state for people: active, paused, stopped, or ended (its end date passed). */
function stateOf(s: Schedule, asOf: IsoDate): string {
  if (s.status !== 'active') return s.status;
  return nextPeriod(s, asOf) === null && periodsUpTo(s, asOf).length > 0 && (s.end ?? '9999') < asOf ? 'ended' : 'active';
}

function json(ctx: Context, s: Schedule, asOf: IsoDate, withPeriods: boolean) {
  const periods = withPeriods ? issuedPeriods(ctx.db(), s.id) : [];
  return {
    id: s.id,
    client: s.clientCode,
    every: everyLabel(s),
    on: s.on,
    description: describeRecurrence(s),
    start: s.start,
    end: s.end,
    send: s.send,
    status: s.status,
    state: stateOf(s, asOf),
    next: s.status === 'stopped' ? null : nextPeriod(s, asOf),
    total: centsToDecimal(gross(s)),
    currency: s.currency,
    lines: s.lines.map((l) => ({ description: l.description, quantity: l.quantityMilli / 1000, unitPrice: centsToDecimal(l.unitPrice), vat: l.vatBp / 100, discount: l.discountBp ? `${l.discountBp / 100}%` : l.discountAmount ? centsToDecimal(l.discountAmount) : null })),
    termsDays: s.termsDays,
    po: s.poNumber,
    notes: s.notes,
    pausedOn: s.pausedOn,
    stoppedOn: s.stoppedOn,
    ...(withPeriods ? { issued: periods.map((p) => ({ period: p.period, invoice: p.number, date: p.issueDate, total: centsToDecimal(p.totalGross), toSend: p.toSend })) } : {}),
  };
}

function lockWaitMs(ctx: Context, wait: string | undefined): number {
  if (wait !== undefined) return validate(numberText('seconds').check(z.minimum(0, 'at least 0'), z.maximum(3600, 'at most 3600')), wait, '--wait') * 1000;
  const env = ctx.io.env.RELANCE_LOCK_WAIT_MS;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : 30_000;
}

async function add(ctx: Context, code: string, o: AddOptions): Promise<void> {
  const db = ctx.db();
  const settings = getSettings(db);
  const today = ctx.asOf(o.asOf);
  const client = requireClient(db, code);
  if (client.archivedOn) throw new UsageError(`client ${client.code} is archived; unarchive it first with "relance client unarchive ${client.code}"`);
  if (o.every === undefined) throw new UsageError('missing --every; give month, quarter, year or Nweeks, e.g. --every month --on 5');
  const { every, weeks } = parseEvery(o.every);
  const start = o.start === undefined ? today : parseDate(o.start, '--start');
  const end = o.end === undefined ? null : parseDate(o.end, '--end');
  if (end !== null && end < start) throw new UsageError(`--end ${end} is before --start ${start}; give an end on or after the start`);
  const on = o.on === undefined ? defaultOn(start, every) : parseOn(o.on, every);
  const terms = termsOptions(o);
  const operation = operationOption(o.operation);
  const currency = currencyOption(o.currency, settings);
  if (o.send) {
    if (!client.email?.trim()) throw new UsageError(`client ${client.code} has no email address to send its invoices to; add one with "relance client edit ${client.code} --email ADDRESS", or leave out --send`);
    if (!settings['business.email']) throw new UsageError('the ledger has no business.email to send from; set it with "relance ledger set business.email compta@example.fr", or leave out --send');
  }
  const lines = (await gatherLines(ctx, o, settings, true))!.map(({ net: _net, ...l }) => l);
  const r = { every, weeks, on, start, end };
  if (nextPeriod(r, addDaysBefore(start)) === null) throw new UsageError(`no period falls between --start ${start} and --end ${end}; widen them`);
  const s = write(db, () =>
    insertSchedule(db, {
      clientId: client.id,
      ...r,
      send: Boolean(o.send),
      lines,
      currency,
      termsDays: terms.termsDays ?? null,
      termsKind: terms.termsKind ?? null,
      poNumber: o.po?.trim() || null,
      operation: operation ?? null,
      notes: o.notes?.trim() || null,
      createdOn: today,
    }),
  );
  if (ctx.json) return printJson(ctx.io, json(ctx, s, today, true));
  const first = nextPeriod(s, addDaysBefore(start))!;
  ctx.io.out(`Added recurring invoice #${s.id} for ${client.code}: ${describeRecurrence(s)}, from ${first}${end ? ` to ${end}` : ''}, ${money(gross(s), currency)} incl. VAT${s.send ? ', emailed to the client' : ''}\n`);
  const due = periodsUpTo(s, today).length;
  note(ctx.io, ctx.quiet, due > 0 ? `${due} period${due > 1 ? 's are' : ' is'} due already (from ${first}): the next "relance recurring run --due" issues ${due > 1 ? 'them one by one, each with its own date' : 'it'}.` : 'Invoices are issued by "relance recurring run --due" (a daily cron job, see the README).');
}

/** The day before (so nextPeriod(r, dayBefore(start)) is the first period on or after the start). */
function addDaysBefore(d: IsoDate): IsoDate {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

interface EditOptions extends LineOptions {
  on?: string;
  start?: string;
  send?: boolean;
  end?: string;
  terms?: string;
  termsKind?: string;
  po?: string;
  notes?: string;
  operation?: string;
  asOf?: string;
}

/** recurring edit: what the next invoices say (the issued ones never change). "" clears --end, --po, --notes, --operation. */
async function edit(ctx: Context, ref: string, o: EditOptions): Promise<void> {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const s = requireSchedule(db, ref);
  if (s.status === 'stopped') throw new UsageError(`recurring invoice #${s.id} is stopped for good; add a new one with "relance recurring add ${s.clientCode} ..."`);
  const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
  const e: ScheduleEdit = { send: o.send, poNumber: clear(o.po), notes: clear(o.notes) };
  if (o.end !== undefined) {
    e.end = o.end.trim() === '' ? null : parseDate(o.end, '--end');
    if (e.end !== null && e.end < s.start) throw new UsageError(`--end ${e.end} is before its start ${s.start}; give a later end, or "relance recurring stop ${s.id}"`);
  }
  if (o.operation !== undefined) e.operation = o.operation.trim() === '' ? null : (operationOption(o.operation) ?? null);
  const terms = termsOptions(o);
  if (terms.termsDays !== undefined) (e.termsDays = terms.termsDays), (e.termsKind = terms.termsKind ?? null);
  const settings = getSettings(db);
  if (o.line?.length || o.lines !== undefined) e.lines = (await gatherLines(ctx, o, settings, true))!.map(({ net: _net, ...l }) => l);
  if (e.send && !s.send) {
    const client = requireClient(db, s.clientCode);
    if (!client.email?.trim()) throw new UsageError(`client ${client.code} has no email address to send its invoices to; add one with "relance client edit ${client.code} --email ADDRESS"`);
    if (!settings['business.email']) throw new UsageError('the ledger has no business.email to send from; set it with "relance ledger set business.email compta@example.fr"');
  }
  Object.assign(e, calendarEdit(db, s, o)); // --on (from the next period), --start (nothing issued yet)
  if (Object.values(e).every((v) => v === undefined)) throw new UsageError('nothing to change; give --line/--lines, --send/--no-send, --end, --terms, --po, --notes or --operation');
  const after = write(db, () => updateSchedule(db, s.id, e));
  if (ctx.json) return printJson(ctx.io, json(ctx, after, asOf, false));
  ctx.io.out(`Updated recurring invoice #${s.id} (${s.clientCode}): ${describeRecurrence(after)}, ${money(gross(after), after.currency)} incl. VAT${after.send ? ', emailed' : ''}; from the next invoice (${nextPeriod(after, addDaysBefore(asOf)) ?? 'none: it has ended'})\n`);
}

function list(ctx: Context, o: { status?: string; client?: string; asOf?: string }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const status = o.status === undefined ? undefined : validate(z.enum(['active', 'paused', 'stopped'], 'active, paused or stopped'), o.status, '--status');
  const clientId = o.client === undefined ? undefined : requireClient(db, o.client).id;
  const all = listSchedules(db, { status, clientId });
  if (ctx.json) return printJson(ctx.io, all.map((s) => json(ctx, s, asOf, false)));
  if (!all.length) return void (ctx.quiet || ctx.io.err('no recurring invoices; add one with "relance recurring add CLIENT --every month --on 5 --line ..."\n'));
  const last = new Map<number, string>();
  for (const p of issuedPeriods(db)) last.set(p.scheduleId, `${p.number} ${p.issueDate}`);
  printTable(
    ctx.io,
    ['#', 'client', 'every', 'on', 'next', 'last issued', 'incl. VAT', 'send', 'status'],
    all.map((s) => [s.id, s.clientCode, everyLabel(s), s.on, s.status === 'stopped' ? '' : (nextPeriod(s, asOf) ?? ''), last.get(s.id) ?? '', money(gross(s), s.currency), s.send ? 'yes' : 'no', stateOf(s, asOf)]),
    { right: [0, 3, 6] },
  );
}

function show(ctx: Context, ref: string, o: { asOf?: string }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const s = requireSchedule(db, ref);
  if (ctx.json) return printJson(ctx.io, json(ctx, s, asOf, true));
  printFields(ctx.io, [
    ['recurring invoice', `#${s.id}`],
    ['client', s.clientCode],
    ['every', describeRecurrence(s)],
    ['from', s.start],
    ['to', s.end],
    ['status', stateOf(s, asOf) + (s.pausedOn ? ` since ${s.pausedOn}` : s.stoppedOn ? ` on ${s.stoppedOn}` : '')],
    ['next', s.status === 'stopped' ? null : nextPeriod(s, asOf)],
    ['sent by email', s.send ? 'yes' : 'no'],
    ['terms', s.termsDays === null ? null : `${s.termsDays} days${s.termsKind && s.termsKind !== 'net' ? ` (${s.termsKind})` : ''}`],
    ['PO number', s.poNumber],
    ['notes', s.notes],
    ['total incl. VAT', money(gross(s), s.currency)],
  ]);
  printTable(ctx.io, ['line', 'qty', 'unit price', 'VAT'], s.lines.map((l) => [l.description, l.quantityMilli / 1000, money(l.unitPrice, s.currency), `${l.vatBp / 100} %`]), { right: [1, 2, 3] });
  const periods = issuedPeriods(db, s.id);
  if (periods.length) printTable(ctx.io, ['period', 'invoice', 'date', 'incl. VAT', 'email'], periods.map((p) => [p.period, p.number, p.issueDate, money(p.totalGross, s.currency), s.send ? (p.toSend ? 'to send' : 'done') : '']), { right: [3] });
  else note(ctx.io, ctx.quiet, 'No invoice issued yet.');
}

function changeStatus(ctx: Context, ref: string, to: ScheduleStatus, o: { asOf?: string; catchUp?: boolean }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const s = requireSchedule(db, ref);
  if (s.status === 'stopped') throw new UsageError(`recurring invoice #${s.id} is stopped for good; add a new one with "relance recurring add ${s.clientCode} ..."`);
  if (s.status === to) throw new UsageError(`recurring invoice #${s.id} is already ${to}`);
  if (o.catchUp && to !== 'active') throw new UsageError('--catch-up goes with resume');
  // A pause bills nothing: resume skips the periods that fell while paused, unless --catch-up.
  const done = new Set(issuedPeriods(db, s.id).map((p) => p.period));
  const skippedNow = to === 'active' && !o.catchUp ? periodsUpTo(s, addDaysBefore(asOf)).filter((p) => !done.has(p) && (s.skipBefore === null || p >= s.skipBefore)) : [];
  const after = write(db, () => setScheduleStatus(db, s.id, to, asOf, to === 'active' && !o.catchUp ? asOf : null));
  if (ctx.json) return printJson(ctx.io, { ...json(ctx, after, asOf, false), ...(to === 'active' ? { skipped: skippedNow } : {}) });
  const verb = to === 'active' ? 'Resumed' : to === 'paused' ? 'Paused' : 'Stopped';
  ctx.io.out(`${verb} recurring invoice #${s.id} (${s.clientCode})${to === 'active' ? `; next invoice ${nextPeriod(after, addDaysBefore(asOf)) ?? 'none (it has ended)'}` : ''}\n`);
  if (to === 'active' && skippedNow.length) note(ctx.io, ctx.quiet, `${skippedNow.length} period${skippedNow.length > 1 ? 's' : ''} before today (${skippedNow.join(', ')}) will not be invoiced; "relance recurring pause ${s.id}" then "resume ${s.id} --catch-up" would issue ${skippedNow.length > 1 ? 'them' : 'it'}.`);
  if (to === 'paused') note(ctx.io, ctx.quiet, `No invoice is issued while it is paused; "relance recurring resume ${s.id}" starts again from the next period.`);
}

async function run(ctx: Context, o: { due?: boolean; asOf?: string; dryRun?: boolean; wait?: string; schedule?: string }): Promise<number> {
  if (!o.due) throw new UsageError('recurring run needs --due (issue every period due up to today, for cron)');
  const db = ctx.db();
  const scheduleId = o.schedule === undefined ? undefined : requireSchedule(db, o.schedule).id;
  const { runRecurringDue, recurringExit, recurringReportJson } = await import('../../recurring/run.js');
  const report = await runRecurringDue({ db, ledgerFile: ctx.ledgerPath().file, asOf: ctx.asOf(o.asOf), now: () => ctx.io.now(), env: ctx.io.env, lockWaitMs: lockWaitMs(ctx, o.wait) }, { dryRun: o.dryRun, scheduleId });
  if (ctx.json) printJson(ctx.io, recurringReportJson(report));
  else {
    const { printRecurringReport } = await import('../recurring-report.js');
    printRecurringReport(ctx, report);
  }
  return report.dryRun ? 0 : recurringExit(report);
}

export function registerRecurring(program: Command, app: App): void {
  const recurring = program.command('recurring').description('recurring invoices: issued (and sent) every month, quarter, year or N weeks, each period exactly once').summary('recurring invoices');
  examples(recurring, ['relance recurring add ACME --every month --on 5 --line "Maintenance | 1 | 300 | 20" --send', 'relance recurring list', 'relance recurring run --due      # daily, from cron']);

  examples(
    withLineOptions(
      recurring
        .command('add')
        .argument('<client>', 'client code')
        .description('add a recurring invoice: its lines, how often, from when (issued by "recurring run --due")')
        .option('--every <period>', 'month | quarter | year | Nweeks (e.g. 2weeks)')
        .option('--on <day>', 'day of the month 1-31 or "last" (a month without that day takes its last day); for weeks a weekday mon..sun (default: the start\'s)')
        .option('--start <date>', 'first day a period may fall on (default today)')
        .option('--end <date>', 'last day a period may fall on (default: none)')
        .option('--send', 'email each invoice to the client when it is issued (as "invoice send")')
        .option('--terms <days>', "payment terms in days (default: the client's, else the ledger's)")
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--po <number>', "the client's purchase-order number, on every invoice")
        .option('--operation <nature>', 'nature of the operation: goods | services | both')
        .option('--notes <text>', 'a note printed on every invoice')
        .option('--currency <code>', "ISO 4217 currency (default: the ledger's)")
        .option('--as-of <date>', 'today for this command'),
    ).action(app.act((ctx, code: string, o: AddOptions) => add(ctx, code, o))),
    [
      'relance recurring add ACME --every month --on 5 --line "Maintenance | 1 | 300 | 20" --send',
      'relance recurring add GLOBEX --every quarter --on last --start 2026-01-01 --line "Hébergement | 3 | 40 | 20"',
      'relance recurring add INITECH --every 2weeks --on mon --end 2026-12-31 --lines lines.csv',
    ],
  );

  examples(
    withLineOptions(
      recurring
        .command('edit')
        .argument('<id>', 'the number "recurring list" shows')
        .description('change what the next invoices say (lines, sending, end, terms, PO, notes, operation); issued invoices never change')
        .option('--on <day>', 'the day (1-31, "last", or a weekday), from the next period not issued')
        .option('--start <date>', 'first day a period may fall on (while nothing is issued)')
        .option('--send', 'email each invoice from now on')
        .option('--no-send', 'stop emailing them (they are still issued)')
        .option('--end <date>', 'last day a period may fall on ("" for none)')
        .option('--terms <days>', 'payment terms in days')
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--po <number>', 'purchase-order number ("" clears it)')
        .option('--operation <nature>', 'goods | services | both ("" clears it)')
        .option('--notes <text>', 'note ("" clears it)')
        .option('--as-of <date>', 'today for this command'),
    ).action(app.act((ctx, id: string, o: EditOptions) => edit(ctx, id, o))),
    ['relance recurring edit 1 --line "Maintenance | 1 | 320 | 20"      # the new price from the next period', 'relance recurring edit 1 --end 2026-12-31 --no-send'],
  );

  examples(recurring
    .command('list')
    .description('the recurring invoices, their next period and last invoice')
    .option('--status <status>', 'active | paused | stopped')
    .option('--client <code>', 'only this client')
    .option('--as-of <date>', 'today for this command')
    .action(app.act((ctx, o: { status?: string; client?: string; asOf?: string }) => list(ctx, o))), ['relance recurring list', 'relance recurring list --status active --client ACME --json']);

  examples(recurring
    .command('show')
    .argument('<id>', 'the number "recurring list" shows')
    .description('one recurring invoice: its calendar, lines and the invoices issued for each period')
    .option('--as-of <date>', 'today for this command')
    .action(app.act((ctx, id: string, o: { asOf?: string }) => show(ctx, id, o))), ['relance recurring show 1', 'relance recurring show 1 --json']);

  examples(recurring
    .command('pause')
    .argument('<id>')
    .description('issue nothing until resumed (the periods of the pause are not invoiced)')
    .option('--as-of <date>', 'the day it is paused')
    .action(app.act((ctx, id: string, o: { asOf?: string }) => changeStatus(ctx, id, 'paused', o))), ['relance recurring pause 1']);
  examples(recurring
    .command('resume')
    .argument('<id>')
    .description('issue again from the next period (--catch-up: also the periods of the pause)')
    .option('--catch-up', 'also issue the periods that fell during the pause, each with its own date')
    .option('--as-of <date>', 'the day it is resumed')
    .action(app.act((ctx, id: string, o: { asOf?: string; catchUp?: boolean }) => changeStatus(ctx, id, 'active', o))), ['relance recurring resume 1', 'relance recurring resume 1 --catch-up     # also invoice the periods of the pause']);
  examples(recurring
    .command('stop')
    .argument('<id>')
    .description('stop it for good (its invoices stay; add a new one to start again)')
    .option('--as-of <date>', 'the day it is stopped')
    .action(app.act((ctx, id: string, o: { asOf?: string }) => changeStatus(ctx, id, 'stopped', o))), ['relance recurring stop 1']);

  examples(
    recurring
      .command('run')
      .description('issue (and send) every period due up to today not issued yet, each exactly once (the daily cron job)')
      .option('--due', 'every period due up to today (or --as-of)')
      .option('--as-of <date>', 'run as of this date instead of today')
      .option('--dry-run', 'list what would be issued; change nothing')
      .option('--schedule <id>', 'only this recurring invoice')
      .option('--wait <seconds>', 'how long to wait for another run to finish (default 30)')
      .action(app.act((ctx, o: { due?: boolean; asOf?: string; dryRun?: boolean; wait?: string; schedule?: string }) => run(ctx, o))),
    ['relance recurring run --due', 'relance recurring run --due --dry-run', 'relance recurring run --due --as-of 2026-03-05 --json'],
  );
}
