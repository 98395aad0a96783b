/**
 * relance remind: plan and send reminders exactly once (dunning.md).
 *   remind --due [--as-of D] [--dry-run] [--client C]   what the policy says is due today
 *   remind INVOICE [--level N] / remind --client C --level N   on demand
 *   remind list | show ID | preview --level N --client C
 *   remind --resolve ID --sent|--retry                  settle a message a crashed run left 'sending'
 *
 * The run itself is src/dunning/ (over the delivery engine, src/delivery/): this file parses the
 * options, makes the run's inputs (ledger, clock, abort signal on SIGINT/SIGTERM), calls and prints.
 */
import { waitSeconds, wholeNumber } from '../../core/numbers.js';
import { t } from '../../i18n/index.js';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate } from '../../core/dates.js';
import { planOnDemand } from '../../core/dunning.js';
import { UsageError } from '../../core/errors.js';
import { requireClient } from '../../store/clients.js';
import { timestamp, write } from '../../store/db.js';
import { getMessage, listMessages, loadOpenItems, markDone, markForRetry, remindersOfMessage, setStopWork } from '../../store/reminders.js';
import { getSettings } from '../../store/settings.js';
import { clientPolicy, contextFor, loadTemplatesFor, runDue as dueRun, runOnDemand as onDemandRun, type RunInput } from '../../dunning/run.js';
import { exitOf, type RunReport } from '../../dunning/report.js';
import { printFields, printJson, printTable } from '../../render/output.js';
import { abortOnSignals } from '../../system/process.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { remindDue } from '../remind-all.js';
import { messageJson, printReport } from '../remind-report.js';
import { recurringBeforeRemind } from '../recurring-report.js';

const LEVEL = () => wholeNumber(t('common.zod.levelNumber'), 0, 9);
const ID = () => wholeNumber(t('common.zod.messageId'), 1);

interface RemindOptions {
  due?: boolean;
  asOf?: string;
  dryRun?: boolean;
  client?: string;
  level?: string;
  resolve?: string;
  sent?: boolean;
  retry?: boolean;
  wait?: string;
  all?: boolean;
  log?: string;
}

function lockWaitMs(ctx: Context, wait: string | undefined): number {
  if (wait !== undefined) return validate(waitSeconds(), wait, '--wait') * 1000;
  const env = ctx.io.env.RELANCE_LOCK_WAIT_MS;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : 30_000;
}

/** The run's inputs from the command line: the ledger, the clock, the abort signal, progress on a terminal's stderr. */
function runInput(ctx: Context, o: RemindOptions, signal: AbortSignal): RunInput {
  const io = ctx.io;
  return {
    db: ctx.db(),
    ledgerFile: ctx.ledgerPath().file,
    asOf: ctx.asOf(o.asOf),
    now: () => io.now(),
    signal,
    env: io.env,
    lockWaitMs: lockWaitMs(ctx, o.wait),
    progress: io.stderrIsTTY && !ctx.quiet && !ctx.json ? (text) => io.err(text === null ? '\r\u001b[2K' : `\r\u001b[2K${text}`) : undefined,
  };
}

/** Ctrl-C or a SIGTERM from cron: the run finishes the message in hand, records it, releases the lock, stops. */
async function withSignals(fn: (signal: AbortSignal) => Promise<RunReport>): Promise<RunReport> {
  const abort = abortOnSignals(['SIGINT', 'SIGTERM']);
  try {
    return await fn(abort.signal);
  } finally {
    abort.dispose();
  }
}

async function runDue(ctx: Context, o: RemindOptions, print: (ctx: Context, r: RunReport) => void = printReport): Promise<number> {
  const db = ctx.db();
  const clientId = o.client ? requireClient(db, o.client).id : undefined;
  ctx.asOf(o.asOf); // bad input is refused before anything runs (one line, exit 2)
  // The nightly habit issues the recurring invoices due first (not for one client, nor in a dry run).
  const recurring = o.dryRun || clientId !== undefined ? 0 : await recurringBeforeRemind(ctx, o.asOf, lockWaitMs(ctx, o.wait));
  const report = await withSignals((signal) => dueRun(runInput(ctx, o, signal), { dryRun: o.dryRun, clientId }));
  print(ctx, report);
  return report.dryRun ? (report.failed.length > 0 ? 1 : 0) : Math.max(recurring, exitOf(report));
}

async function runOnDemand(ctx: Context, invoice: string | undefined, o: RemindOptions): Promise<number> {
  const level = o.level !== undefined ? validate(LEVEL(), o.level, '--level') : undefined;
  const report = await withSignals((signal) => onDemandRun(runInput(ctx, o, signal), { invoice, client: o.client, level, dryRun: o.dryRun }));
  printReport(ctx, report);
  return exitOf(report);
}

// ---------------------------------------------------------------------------------------------
// Registration

/**
 * "remind" itself has --client, --level and --as-of, and commander gives an option to the first
 * command that knows it: a subcommand reads them from its parent too.
 */
function withParent<T extends object>(own: T, cmd: Command): T & { client?: string; level?: string; asOf?: string } {
  const parent = (cmd.parent?.opts() ?? {}) as { client?: string; level?: string; asOf?: string };
  const merged = { ...own } as T & { client?: string; level?: string; asOf?: string };
  for (const k of ['client', 'level', 'asOf'] as const) if (merged[k] === undefined && parent[k] !== undefined) merged[k] = parent[k];
  return merged;
}

export function registerRemind(program: Command, app: App): void {
  const remind = program
    .command('remind')
    .description(t('dunning.remind.description'))
    .summary(t('dunning.remind.summary'))
    .argument('[invoice]', t('dunning.remind.arg.invoice'))
    .option('--due', t('dunning.remind.opt.due'))
    .option('--as-of <date>', t('dunning.remind.opt.asOf'))
    .option('--dry-run', t('dunning.remind.opt.dryRun'))
    .option('--client <code>', t('dunning.remind.opt.client'))
    .option('--level <n>', t('dunning.remind.opt.level'))
    .option('--resolve <id>', t('dunning.remind.opt.resolve'))
    .option('--sent', t('dunning.remind.opt.sent'))
    .option('--retry', t('dunning.remind.opt.retry'))
    .option('--wait <seconds>', t('dunning.remind.opt.wait'))
    .option('--all', t('dunning.remind.opt.all'))
    .option('--log <file>', t('dunning.remind.opt.log'))
    .action(
      app.act(async (ctx, invoice: string | undefined, o: RemindOptions) => {
        if (o.resolve !== undefined) return resolve(ctx, o);
        if (o.sent || o.retry) throw new UsageError(t('dunning.remind.err.sentRetry'));
        if (!o.due && (o.all || o.log !== undefined)) throw new UsageError(t('dunning.remind.err.allLog'));
        if (o.due) {
          if (invoice) throw new UsageError(t('dunning.remind.err.dueInvoice', { invoice }));
          if (o.level !== undefined) throw new UsageError(t('dunning.remind.err.dueLevel'));
          if (o.all || o.log !== undefined) return remindDue(ctx, o, (sub, print) => runDue(sub, o, print));
          return runDue(ctx, o);
        }
        if (invoice || (o.client && o.level !== undefined)) return runOnDemand(ctx, invoice, o);
        if (o.client) throw new UsageError(t('dunning.remind.err.clientNeedsLevel', { client: o.client }));
        throw new UsageError(t('dunning.remind.err.what'));
      }),
    );
  examples(remind, [
    `relance remind --due                          # ${t('dunning.remind.ex.due')}`,
    'relance remind --due --dry-run --as-of 2026-04-15',
    'relance remind --due --client ACME --json',
    `relance remind F-2026-0012                    # ${t('dunning.remind.ex.invoice')}`,
    `relance remind --client ACME --level 3        # ${t('dunning.remind.ex.client')}`,
    `relance remind --resolve 42 --sent            # ${t('dunning.remind.ex.resolve')}`,
  ]);

  examples(
    remind
      .command('list')
      .description(t('dunning.remind.list.description'))
      .option('--client <code>', t('dunning.opt.onlyClient'))
      .option('--since <date>', t('dunning.remind.list.opt.since'))
      .action(
        app.act((ctx, own: { client?: string; since?: string }, cmd: Command) => {
          const o = withParent(own, cmd);
          const db = ctx.db();
          const clientId = o.client ? requireClient(db, o.client).id : undefined;
          const since = o.since ? parseDate(o.since, '--since') : undefined;
          const rows = listMessages(db, { clientId, since });
          if (ctx.json) return printJson(ctx.io, rows.map((m) => messageJson(m, remindersOfMessage(db, m.id))));
          if (rows.length === 0) {
            ctx.io.err(t('dunning.remind.list.none'));
            return;
          }
          printTable(
            ctx.io,
            ['id', t('dunning.col.date'), t('dunning.col.client'), t('dunning.col.level'), t('dunning.col.channel'), t('dunning.col.status'), t('dunning.col.invoices'), t('dunning.col.toFile')],
            rows.map((m) => [m.id, m.as_of, m.client_code, m.level, m.channel + (m.copy_of ? t('dunning.remind.copy') : ''), m.status + (m.error ? ` (${m.error.slice(0, 40)})` : ''), m.invoices, m.file_path ? path.basename(m.file_path) : m.recipient]),
          );
        }),
      ),
    ['relance remind list', 'relance remind list --client ACME --since 2026-01-01', 'relance remind list --json'],
  );

  examples(
    remind
      .command('show')
      .argument('<id>', t('dunning.remind.show.arg'))
      .description(t('dunning.remind.show.description'))
      .action(
        app.act((ctx, idText: string) => {
          const db = ctx.db();
          const id = validate(ID(), idText, 'message id');
          const m = getMessage(db, id);
          if (!m) throw new UsageError(t('dunning.remind.err.noMessage', { id }));
          const reminders = remindersOfMessage(db, id);
          if (ctx.json) return printJson(ctx.io, { ...messageJson(m, reminders), text: m.body_text, html: m.body_html });
          printFields(ctx.io, [
            [t('dunning.field.message'), `#${m.id}`],
            [t('dunning.col.client'), m.client_code],
            [t('dunning.col.level'), String(m.level)],
            [t('dunning.col.channel'), m.channel + (m.copy_of ? t('dunning.remind.copyOf', { id: m.copy_of }) : '')],
            [t('dunning.col.status'), m.status],
            [t('dunning.col.date'), m.as_of],
            [t('dunning.col.to'), m.recipient],
            ['Message-ID', m.message_id],
            [t('dunning.field.file'), m.file_path],
            [t('dunning.col.invoices'), m.invoices],
            [t('dunning.field.error'), m.error],
            [t('dunning.col.subject'), m.subject],
          ]);
          if (m.body_text) ctx.io.out(`\n${m.body_text}`);
        }),
      ),
    ['relance remind show 12', 'relance remind show 12 --json'],
  );

  examples(
    remind
      .command('preview')
      .description(t('dunning.remind.preview.description'))
      .option('--level <n>', t('dunning.remind.preview.opt.level'))
      .option('--client <code>', t('dunning.remind.preview.opt.client'))
      .option('--channel <channel>', t('dunning.remind.preview.opt.channel'))
      .option('--html', t('dunning.remind.preview.opt.html'))
      .option('--as-of <date>', t('dunning.remind.preview.opt.asOf'))
      .option('--send-to <email>', t('dunning.remind.preview.opt.sendTo'))
      .action(
        app.act(async (ctx, own: { level?: string; client?: string; channel?: string; html?: boolean; asOf?: string; sendTo?: string }, cmd: Command) => {
          const o = withParent(own, cmd);
          if (o.level === undefined || o.client === undefined) throw new UsageError(t('dunning.remind.preview.err.needs'));
          const db = ctx.db();
          const level = validate(LEVEL(), o.level, '--level');
          const client = requireClient(db, o.client);
          const asOf = ctx.asOf(o.asOf);
          const policy = clientPolicy(db, client.id);
          const { items, byId } = loadOpenItems(db, asOf, client.id);
          const plan = planOnDemand(client.id, client.code, items, [], policy, level, asOf);
          if (plan.items.length === 0) throw new UsageError(t('dunning.remind.preview.err.noOpen', { client: client.code, asOf }));
          const channel = o.channel ? validate(z.enum(['email', 'letter'], t('dunning.remind.preview.emailOrLetter')), o.channel, '--channel') : plan.level.channels.includes('email') ? 'email' : 'letter';
          const settings = getSettings(db);
          const templates = await loadTemplatesFor(ctx.ledgerPath().file, settings);
          const built = contextFor(db, settings, client, plan, byId, asOf);
          const file = templates.locate(client.lang, channel, plan.level.template);
          if (channel === 'email') {
            const e = templates.email(client.lang, plan.level.template, built.ctx);
            if (own.sendTo !== undefined) return (await import('../test-email.js')).sendPreview(ctx, settings, own.sendTo, e, plan.level.level);
            if (ctx.json) return printJson(ctx.io, { template: file, subject: e.subject, text: e.text, html: e.html });
            ctx.io.out(`${t('dunning.remind.preview.head', { file, subject: e.subject })}\n\n${o.html ? e.html : e.text}`);
          } else {
            if (own.sendTo !== undefined) throw new UsageError(t('dunning.remind.preview.err.letter'));
            const l = templates.letter(client.lang, plan.level.template, built.ctx);
            if (ctx.json) return printJson(ctx.io, { template: file, subject: l.subject, text: l.text });
            ctx.io.out(`${t('dunning.remind.preview.head', { file, subject: l.subject })}\n\n${l.text}`);
          }
        }),
      ),
    ['relance remind preview --level 1 --client ACME', 'relance remind preview --level 3 --client ACME --channel letter --as-of 2026-05-02', 'relance remind preview --level 2 --client ACME --html', 'relance remind preview --level 1 --client ACME --send-to moi@exemple.fr'],
  );
}

async function resolve(ctx: Context, o: RemindOptions): Promise<number> {
  const db = ctx.db();
  const id = validate(ID(), o.resolve, '--resolve');
  if (Boolean(o.sent) === Boolean(o.retry)) throw new UsageError(t('dunning.remind.resolve.err.one'));
  const m = getMessage(db, id);
  if (!m) throw new UsageError(t('dunning.remind.err.noMessage', { id }));
  if (m.status !== 'sending') throw new UsageError(t('dunning.remind.resolve.err.notSending', { id, status: m.status }));
  const now = timestamp(ctx.io.now());
  if (o.sent) {
    write(db, () => {
      markDone(db, id, m.file_path ? 'written' : 'sent', now);
      if (m.channel === 'handover') setStopWork(db, m.client_id);
    });
  } else {
    write(db, () => markForRetry(db, id, 'resolved by hand: not sent; retried by the next run'));
  }
  const after = getMessage(db, id)!;
  if (ctx.json) printJson(ctx.io, messageJson(after, remindersOfMessage(db, id)));
  else if (!ctx.quiet) {
    ctx.io.out(
      o.sent
        ? t('dunning.remind.resolve.marked', { id, client: m.client_code, status: after.status }) + '\n'
        : t('dunning.remind.resolve.retry', { id, client: m.client_code, messageId: m.message_id ?? '' }) + '\n',
    );
  }
  return 0;
}

