/**
 * relance recurring add | list | show | pause | resume | stop | run --due (issue 20 §3): invoices
 * issued on a calendar (core/recurrence.ts), each period exactly once (src/recurring/run.ts), and
 * sent when the schedule says so (the path of `invoice send`). This file parses, checks, calls, prints.
 */
import { language, t, tn } from '../../i18n/index.js';
import { canonical } from '../../core/vocabulary.js';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { waitSeconds } from '../../core/numbers.js';
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
  if (wait !== undefined) return validate(waitSeconds(), wait, '--wait') * 1000;
  const env = ctx.io.env.RELANCE_LOCK_WAIT_MS;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : 30_000;
}

async function add(ctx: Context, code: string, o: AddOptions): Promise<void> {
  const db = ctx.db();
  const settings = getSettings(db);
  const today = ctx.asOf(o.asOf);
  const client = requireClient(db, code);
  if (client.archivedOn) throw new UsageError(t('dunning.recurring.err.archived', { client: client.code }));
  if (o.every === undefined) throw new UsageError(t('dunning.recurring.err.every'));
  const { every, weeks } = parseEvery(o.every);
  const start = o.start === undefined ? today : parseDate(o.start, '--start');
  const end = o.end === undefined ? null : parseDate(o.end, '--end');
  if (end !== null && end < start) throw new UsageError(t('dunning.recurring.err.endStart', { end, start }));
  const on = o.on === undefined ? defaultOn(start, every) : parseOn(o.on, every);
  const terms = termsOptions(o);
  const operation = operationOption(o.operation);
  const currency = currencyOption(o.currency, settings);
  if (o.send) {
    if (!client.email?.trim()) throw new UsageError(t('dunning.recurring.err.noEmailSend', { client: client.code }));
    if (!settings['business.email']) throw new UsageError(t('dunning.recurring.err.noBusinessEmailSend'));
  }
  const lines = (await gatherLines(ctx, o, settings, true))!.map(({ net: _net, ...l }) => l);
  const r = { every, weeks, on, start, end };
  if (nextPeriod(r, addDaysBefore(start)) === null) throw new UsageError(t('dunning.recurring.err.noPeriod', { start, end }));
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
  ctx.io.out(t('dunning.recurring.added', { id: s.id, client: client.code, rule: describeRecurrence(s, language()), first, end: end ? t('dunning.recurring.toEnd', { end }) : '', total: money(gross(s), currency), send: s.send ? t('dunning.recurring.emailedClient') : '' }) + '\n');
  const due = periodsUpTo(s, today).length;
  note(ctx.io, ctx.quiet, due > 0 ? tn('dunning.recurring.dueAlready', due, { first }) : t('dunning.recurring.issuedBy'));
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
  if (s.status === 'stopped') throw new UsageError(t('dunning.recurring.err.stopped', { id: s.id, client: s.clientCode }));
  const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
  const e: ScheduleEdit = { send: o.send, poNumber: clear(o.po), notes: clear(o.notes) };
  if (o.end !== undefined) {
    e.end = o.end.trim() === '' ? null : parseDate(o.end, '--end');
    if (e.end !== null && e.end < s.start) throw new UsageError(t('dunning.recurring.err.endBefore', { end: e.end, start: s.start, id: s.id }));
  }
  if (o.operation !== undefined) e.operation = o.operation.trim() === '' ? null : (operationOption(o.operation) ?? null);
  const terms = termsOptions(o);
  if (terms.termsDays !== undefined) (e.termsDays = terms.termsDays), (e.termsKind = terms.termsKind ?? null);
  const settings = getSettings(db);
  if (o.line?.length || o.lines !== undefined) e.lines = (await gatherLines(ctx, o, settings, true))!.map(({ net: _net, ...l }) => l);
  if (e.send && !s.send) {
    const client = requireClient(db, s.clientCode);
    if (!client.email?.trim()) throw new UsageError(t('dunning.recurring.err.noEmail', { client: client.code }));
    if (!settings['business.email']) throw new UsageError(t('dunning.recurring.err.noBusinessEmail'));
  }
  Object.assign(e, calendarEdit(db, s, o)); // --on (from the next period), --start (nothing issued yet)
  if (Object.values(e).every((v) => v === undefined)) throw new UsageError(t('dunning.recurring.err.nothing'));
  const after = write(db, () => updateSchedule(db, s.id, e));
  if (ctx.json) return printJson(ctx.io, json(ctx, after, asOf, false));
  ctx.io.out(t('dunning.recurring.updated', { id: s.id, client: s.clientCode, rule: describeRecurrence(after, language()), total: money(gross(after), after.currency), send: after.send ? t('dunning.recurring.emailed') : '', next: nextPeriod(after, addDaysBefore(asOf)) ?? t('dunning.recurring.ended') }) + '\n');
}

function list(ctx: Context, o: { status?: string; client?: string; asOf?: string }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const status = o.status === undefined ? undefined : validate(z.enum(['active', 'paused', 'stopped'], t('dunning.recurring.statusEnum')), canonical('recurringStatus', o.status), '--status');
  const clientId = o.client === undefined ? undefined : requireClient(db, o.client).id;
  const all = listSchedules(db, { status, clientId });
  if (ctx.json) return printJson(ctx.io, all.map((s) => json(ctx, s, asOf, false)));
  if (!all.length) return void (ctx.quiet || ctx.io.err(t('dunning.recurring.none') + '\n'));
  const last = new Map<number, string>();
  for (const p of issuedPeriods(db)) last.set(p.scheduleId, `${p.number} ${p.issueDate}`);
  printTable(
    ctx.io,
    ['#', t('dunning.col.client'), t('dunning.recurring.col.every'), t('dunning.recurring.col.on'), t('dunning.col.next'), t('dunning.recurring.col.lastIssued'), t('dunning.recurring.col.inclVat'), t('dunning.recurring.col.send'), t('dunning.col.status')],
    all.map((s) => [s.id, s.clientCode, everyLabel(s), s.on, s.status === 'stopped' ? '' : (nextPeriod(s, asOf) ?? ''), last.get(s.id) ?? '', money(gross(s), s.currency), t(s.send ? 'dunning.yes' : 'dunning.no'), stateOf(s, asOf)]),
    { right: [0, 3, 6] },
  );
}

function show(ctx: Context, ref: string, o: { asOf?: string }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const s = requireSchedule(db, ref);
  if (ctx.json) return printJson(ctx.io, json(ctx, s, asOf, true));
  printFields(ctx.io, [
    [t('dunning.recurring.f.invoice'), `#${s.id}`],
    [t('dunning.col.client'), s.clientCode],
    [t('dunning.recurring.col.every'), describeRecurrence(s, language())],
    [t('dunning.col.from'), s.start],
    [t('dunning.col.until'), s.end],
    [t('dunning.col.status'), stateOf(s, asOf) + (s.pausedOn ? t('dunning.recurring.since', { date: s.pausedOn }) : s.stoppedOn ? t('dunning.recurring.on', { date: s.stoppedOn }) : '')],
    [t('dunning.col.next'), s.status === 'stopped' ? null : nextPeriod(s, asOf)],
    [t('dunning.recurring.f.sent'), t(s.send ? 'dunning.yes' : 'dunning.no')],
    [t('dunning.recurring.f.terms'), s.termsDays === null ? null : t('dunning.recurring.days', { n: s.termsDays }) + (s.termsKind && s.termsKind !== 'net' ? ` (${s.termsKind})` : '')],
    [t('dunning.recurring.f.po'), s.poNumber],
    [t('dunning.col.notes'), s.notes],
    [t('dunning.recurring.f.total'), money(gross(s), s.currency)],
  ]);
  printTable(ctx.io, [t('dunning.recurring.col.line'), t('dunning.recurring.col.qty'), t('dunning.recurring.col.unitPrice'), t('dunning.recurring.col.vat')], s.lines.map((l) => [l.description, l.quantityMilli / 1000, money(l.unitPrice, s.currency), `${l.vatBp / 100} %`]), { right: [1, 2, 3] });
  const periods = issuedPeriods(db, s.id);
  if (periods.length) printTable(ctx.io, [t('dunning.recurring.col.period'), t('dunning.col.invoice'), t('dunning.col.date'), t('dunning.recurring.col.inclVat'), t('dunning.channel.email')], periods.map((p) => [p.period, p.number, p.issueDate, money(p.totalGross, s.currency), s.send ? (p.toSend ? t('dunning.recurring.toSend') : t('dunning.recurring.done')) : '']), { right: [3] });
  else note(ctx.io, ctx.quiet, t('dunning.recurring.noneIssued'));
}

function changeStatus(ctx: Context, ref: string, to: ScheduleStatus, o: { asOf?: string; catchUp?: boolean }): void {
  const db = ctx.db();
  const asOf = ctx.asOf(o.asOf);
  const s = requireSchedule(db, ref);
  if (s.status === 'stopped') throw new UsageError(t('dunning.recurring.err.stopped', { id: s.id, client: s.clientCode }));
  if (s.status === to) throw new UsageError(t('dunning.recurring.err.already', { id: s.id, to }));
  if (o.catchUp && to !== 'active') throw new UsageError(t('dunning.recurring.err.catchUp'));
  // A pause bills nothing: resume skips the periods that fell while paused, unless --catch-up.
  const done = new Set(issuedPeriods(db, s.id).map((p) => p.period));
  const skippedNow = to === 'active' && !o.catchUp ? periodsUpTo(s, addDaysBefore(asOf)).filter((p) => !done.has(p) && (s.skipBefore === null || p >= s.skipBefore)) : [];
  const after = write(db, () => setScheduleStatus(db, s.id, to, asOf, to === 'active' && !o.catchUp ? asOf : null));
  if (ctx.json) return printJson(ctx.io, { ...json(ctx, after, asOf, false), ...(to === 'active' ? { skipped: skippedNow } : {}) });
  const verb = to === 'active' ? 'dunning.recurring.resumed' : to === 'paused' ? 'dunning.recurring.paused' : 'dunning.recurring.stopped';
  ctx.io.out(t(verb, { id: s.id, client: s.clientCode }) + (to === 'active' ? t('dunning.recurring.nextInvoice', { next: nextPeriod(after, addDaysBefore(asOf)) ?? t('dunning.recurring.endedParen') }) : '') + '\n');
  if (to === 'active' && skippedNow.length) note(ctx.io, ctx.quiet, tn('dunning.recurring.skipped', skippedNow.length, { periods: skippedNow.join(', '), id: s.id }));
  if (to === 'paused') note(ctx.io, ctx.quiet, t('dunning.recurring.pausedNote', { id: s.id }));
}

async function run(ctx: Context, o: { due?: boolean; asOf?: string; dryRun?: boolean; wait?: string; schedule?: string }): Promise<number> {
  if (!o.due) throw new UsageError(t('dunning.recurring.err.due'));
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
  const recurring = program.command('recurring').description(t('dunning.recurring.description')).summary(t('dunning.recurring.summary'));
  examples(recurring, ['relance recurring add ACME --every month --on 5 --line "Maintenance | 1 | 300 | 20" --send', 'relance recurring list', `relance recurring run --due      # ${t('dunning.recurring.ex.run')}`]);

  examples(
    withLineOptions(
      recurring
        .command('add')
        .argument('<client>', t('dunning.arg.client'))
        .description(t('dunning.recurring.add.description'))
        .option('--every <period>', t('dunning.recurring.opt.every'))
        .option('--on <day>', t('dunning.recurring.opt.on'))
        .option('--start <date>', t('dunning.recurring.opt.start'))
        .option('--end <date>', t('dunning.recurring.opt.end'))
        .option('--send', t('dunning.recurring.opt.send'))
        .option('--terms <days>', t('dunning.recurring.opt.terms'))
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--po <number>', t('dunning.recurring.opt.po'))
        .option('--operation <nature>', t('dunning.recurring.opt.operation'))
        .option('--notes <text>', t('dunning.recurring.opt.notes'))
        .option('--currency <code>', t('dunning.recurring.opt.currency'))
        .option('--as-of <date>', t('dunning.recurring.opt.asOf')),
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
        .argument('<id>', t('dunning.recurring.arg.id'))
        .description(t('dunning.recurring.edit.description'))
        .option('--on <day>', t('logo.recurring.opt.on'))
        .option('--start <date>', t('logo.recurring.opt.start'))
        .option('--send', t('dunning.recurring.edit.opt.send'))
        .option('--no-send', t('dunning.recurring.edit.opt.noSend'))
        .option('--end <date>', t('dunning.recurring.edit.opt.end'))
        .option('--terms <days>', t('dunning.recurring.edit.opt.terms'))
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--po <number>', t('dunning.recurring.edit.opt.po'))
        .option('--operation <nature>', t('dunning.recurring.edit.opt.operation'))
        .option('--notes <text>', t('dunning.recurring.edit.opt.notes'))
        .option('--as-of <date>', t('dunning.recurring.opt.asOf')),
    ).action(app.act((ctx, id: string, o: EditOptions) => edit(ctx, id, o))),
    [`relance recurring edit 1 --line "Maintenance | 1 | 320 | 20"      # ${t('dunning.recurring.ex.edit')}`, 'relance recurring edit 1 --end 2026-12-31 --no-send'],
  );

  examples(recurring
    .command('list')
    .description(t('dunning.recurring.list.description'))
    .option('--status <status>', t('dunning.recurring.list.opt.status'))
    .option('--client <code>', t('dunning.opt.onlyClient'))
    .option('--as-of <date>', t('dunning.recurring.opt.asOf'))
    .action(app.act((ctx, o: { status?: string; client?: string; asOf?: string }) => list(ctx, o))), ['relance recurring list', 'relance recurring list --status active --client ACME --json']);

  examples(recurring
    .command('show')
    .argument('<id>', t('dunning.recurring.arg.id'))
    .description(t('dunning.recurring.show.description'))
    .option('--as-of <date>', t('dunning.recurring.opt.asOf'))
    .action(app.act((ctx, id: string, o: { asOf?: string }) => show(ctx, id, o))), ['relance recurring show 1', 'relance recurring show 1 --json']);

  examples(recurring
    .command('pause')
    .argument('<id>')
    .description(t('dunning.recurring.pause.description'))
    .option('--as-of <date>', t('dunning.recurring.pause.opt.asOf'))
    .action(app.act((ctx, id: string, o: { asOf?: string }) => changeStatus(ctx, id, 'paused', o))), ['relance recurring pause 1']);
  examples(recurring
    .command('resume')
    .argument('<id>')
    .description(t('dunning.recurring.resume.description'))
    .option('--catch-up', t('dunning.recurring.resume.opt.catchUp'))
    .option('--as-of <date>', t('dunning.recurring.resume.opt.asOf'))
    .action(app.act((ctx, id: string, o: { asOf?: string; catchUp?: boolean }) => changeStatus(ctx, id, 'active', o))), ['relance recurring resume 1', `relance recurring resume 1 --catch-up     # ${t('dunning.recurring.ex.catchUp')}`]);
  examples(recurring
    .command('stop')
    .argument('<id>')
    .description(t('dunning.recurring.stop.description'))
    .option('--as-of <date>', t('dunning.recurring.stop.opt.asOf'))
    .action(app.act((ctx, id: string, o: { asOf?: string }) => changeStatus(ctx, id, 'stopped', o))), ['relance recurring stop 1']);

  examples(
    recurring
      .command('run')
      .description(t('dunning.recurring.run.description'))
      .option('--due', t('dunning.recurring.run.opt.due'))
      .option('--as-of <date>', t('dunning.recurring.run.opt.asOf'))
      .option('--dry-run', t('dunning.recurring.run.opt.dryRun'))
      .option('--schedule <id>', t('dunning.recurring.run.opt.schedule'))
      .option('--wait <seconds>', t('dunning.recurring.run.opt.wait'))
      .action(app.act((ctx, o: { due?: boolean; asOf?: string; dryRun?: boolean; wait?: string; schedule?: string }) => run(ctx, o))),
    ['relance recurring run --due', 'relance recurring run --due --dry-run', 'relance recurring run --due --as-of 2026-03-05 --json'],
  );
}
