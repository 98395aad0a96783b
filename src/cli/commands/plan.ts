/**
 * relance plan: payment plans (echeanciers). `plan INVOICE --instalments N --every month|NNd
 * [--start D]` or `--on DATE=AMOUNT ...`; `plan show INVOICE`; `plan cancel INVOICE`.
 */
import { t } from '../../i18n/index.js';
import type { Command } from 'commander';
import { addDays, addMonths, parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { requireIssuedBy } from '../../core/documents.js';
import { parseAmount } from '../../core/money.js';
import { evenInstalments, explicitInstalments, parseOnPair, parseStep, type InstalmentState } from '../../core/plans.js';
import { write } from '../../store/db.js';
import { invoiceState, requireReceivable } from '../../store/payments.js';
import { activePlan, cancelPlan, insertPlan } from '../../store/plans.js';
import { printJson, printTable } from '../../render/output.js';
import { collect, examples, type App } from '../app.js';
import type { Context } from '../context.js';
import { dec, moneyFormatter } from '../../render/format.js';

interface PlanOptions {
  instalments?: string;
  every?: string;
  start?: string;
  on?: string[];
  date?: string;
}

function showPlan(ctx: Context, number: string, currency: string, createdOn: string, states: InstalmentState[], balance: number): void {
  if (ctx.json) {
    return printJson(ctx.io, {
      invoice: number,
      createdOn,
      balance: dec(balance),
      instalments: states.map((s) => ({ position: s.position, dueDate: s.dueDate, amount: dec(s.amount), paid: dec(s.paid), remaining: dec(s.remaining), late: s.late, daysLate: s.daysLate })),
    });
  }
  const m = moneyFormatter();
  ctx.io.out(t('dunning.plan.head', { number, createdOn }) + '\n');
  printTable(
    ctx.io,
    ['#', t('dunning.col.due'), t('dunning.col.amount'), t('dunning.col.paid'), t('dunning.col.remaining'), t('dunning.col.status')],
    states.map((s) => [s.position, s.dueDate, m(s.amount, currency), m(s.paid, currency), m(s.remaining, currency), s.remaining === 0 ? t('dunning.plan.paid') : s.late ? t('dunning.plan.late', { n: s.daysLate }) : t('dunning.plan.toCome')]),
    { right: [0, 2, 3, 4], footer: ['', t('dunning.col.total'), m(states.reduce((a, s) => a + s.amount, 0), currency), m(states.reduce((a, s) => a + s.paid, 0), currency), m(balance, currency), ''] },
  );
}

export function registerPlan(program: Command, app: App): void {
  const plan = program
    .command('plan')
    .argument('[invoice]', t('dunning.arg.invoice'))
    .description(t('dunning.plan.description')).summary(t('dunning.plan.summary'))
    .option('--instalments <n>', t('dunning.plan.opt.instalments'))
    .option('--every <step>', t('dunning.plan.opt.every'))
    .option('--start <date>', t('dunning.plan.opt.start'))
    .option('--on <date=amount>', t('dunning.plan.opt.on'), collect)
    .option('--date <date>', t('dunning.plan.opt.date'))
    .action(
      app.act((ctx, ref: string | undefined, o: PlanOptions) => {
        if (ref === undefined) throw new UsageError(t('dunning.plan.err.missing'));
        const db = ctx.db();
        const inv = requireReceivable(db, ref);
        const on = parseDate(o.date ?? ctx.io.today(), '--date');
        const explicit = (o.on ?? []).length > 0;
        if (explicit && (o.instalments !== undefined || o.every !== undefined || o.start !== undefined)) {
          throw new UsageError(t('dunning.plan.err.both'));
        }
        if (!explicit && (o.instalments === undefined || o.every === undefined)) {
          throw new UsageError(t('dunning.plan.err.needs'));
        }
        const result = write(db, () => {
          const item = invoiceState(db, inv.id);
          if (item.credited > 0) throw new UsageError(t('dunning.plan.err.credited', { number: item.number }));
          if (item.balance <= 0) throw new UsageError(t('dunning.plan.err.paid', { number: item.number }));
          if (inv.issueDate && on < inv.issueDate) throw new UsageError(t('dunning.plan.err.beforeIssue', { on, number: item.number, issued: inv.issueDate }));
          let instalments;
          if (explicit) {
            instalments = explicitInstalments(
              item.balance,
              o.on!.map((p) => parseOnPair(p, parseDate, parseAmount)),
            );
          } else {
            if (!/^\d+$/.test(o.instalments!.trim())) throw new UsageError(t('dunning.plan.err.instalments', { text: o.instalments }));
            const step = parseStep(o.every!);
            const start = o.start !== undefined ? parseDate(o.start, '--start') : 'months' in step ? addMonths(on, step.months) : addDays(on, step.days);
            instalments = evenInstalments(item.balance, Number(o.instalments), step, start);
          }
          if (instalments[0]!.dueDate < on) throw new UsageError(t('dunning.plan.err.firstBefore', { first: instalments[0]!.dueDate, on }));
          insertPlan(db, inv.id, on, instalments);
          return { item, instalments };
        });
        const states = result.instalments.map((i) => ({ ...i, paid: 0, remaining: i.amount, late: false, daysLate: 0 }));
        if (!ctx.json && !ctx.quiet) ctx.io.out(t('dunning.plan.agreed', { n: states.length, number: result.item.number }) + '\n');
        if (!ctx.quiet || ctx.json) showPlan(ctx, result.item.number, inv.currency, on, states, result.item.balance);
      }),
    );
  examples(plan, [
    'relance plan F-2026-0003 --instalments 3 --every month --start 2026-04-30',
    'relance plan F-2026-0003 --instalments 4 --every 15d',
    'relance plan F-2026-0003 --on 2026-04-30=500 --on 2026-05-31=700,50',
    'relance plan show F-2026-0003 --as-of 2026-06-01',
    'relance plan cancel F-2026-0003',
  ]);

  examples(
    plan
      .command('show')
      .argument('<invoice>', t('dunning.arg.invoice'))
      .description(t('dunning.plan.show.description'))
      .option('--as-of <date>', t('dunning.opt.asOf'))
      .action(
        app.act((ctx, ref: string, o: { asOf?: string }) => {
          const db = ctx.db();
          const inv = requireReceivable(db, ref);
          const asOf = ctx.asOf(o.asOf);
          requireIssuedBy(inv, asOf);
          const item = invoiceState(db, inv.id, asOf);
          if (!item.plan) {
            const now = activePlan(db, inv.id);
            throw new UsageError(
              now && now.createdOn > asOf
                ? t('dunning.plan.err.noPlanThen', { number: item.number, asOf, createdOn: now.createdOn })
                : t('dunning.plan.err.noPlan', { number: item.number, paid: item.balance <= 0 ? t('dunning.plan.itIsPaid') : '' }),
            );
          }
          showPlan(ctx, item.number, item.currency, item.plan.createdOn, item.plan.instalments, item.balance);
        }),
      ),
    ['relance plan show F-2026-0003', 'relance plan show F-2026-0003 --as-of 2026-06-01 --json'],
  );

  examples(
    plan
      .command('cancel')
      .argument('<invoice>', t('dunning.arg.invoice'))
      .description(t('dunning.plan.cancel.description'))
      .option('--date <date>', t('dunning.plan.cancel.opt.date'))
      .action(
        app.act((ctx, ref: string, _o: unknown, cmd: Command) => {
          // optsWithGlobals: `plan` itself has --date, and commander gives it to the parent.
          const o = cmd.optsWithGlobals() as { date?: string };
          const db = ctx.db();
          const inv = requireReceivable(db, ref);
          const date = parseDate(o.date ?? ctx.io.today(), '--date');
          const p = write(db, () => {
            const p = activePlan(db, inv.id);
            if (!p) throw new UsageError(t('dunning.plan.err.noActive', { ref }));
            if (date < p.createdOn) throw new UsageError(t('dunning.plan.err.beforePlan', { date, createdOn: p.createdOn }));
            cancelPlan(db, p.id, date);
            return p;
          });
          if (ctx.json) return printJson(ctx.io, { invoice: inv.number, plan: p.id, cancelledOn: date });
          if (!ctx.quiet) ctx.io.out(t('dunning.plan.cancelled', { number: inv.number, date }) + '\n');
        }),
      ),
    ['relance plan cancel F-2026-0003', 'relance plan cancel F-2026-0003 --date 2026-05-02'],
  );
}
