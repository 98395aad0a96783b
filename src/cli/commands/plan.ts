/**
 * relance plan: payment plans (echeanciers). `plan INVOICE --instalments N --every month|NNd
 * [--start D]` or `--on DATE=AMOUNT ...`; `plan show INVOICE`; `plan cancel INVOICE`.
 */
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
  ctx.io.out(`Payment plan of ${number}, made on ${createdOn}:\n`);
  printTable(
    ctx.io,
    ['#', 'due', 'amount', 'paid', 'remaining', 'status'],
    states.map((s) => [s.position, s.dueDate, m(s.amount, currency), m(s.paid, currency), m(s.remaining, currency), s.remaining === 0 ? 'paid' : s.late ? `late ${s.daysLate} d` : 'to come']),
    { right: [0, 2, 3, 4], footer: ['', 'total', m(states.reduce((a, s) => a + s.amount, 0), currency), m(states.reduce((a, s) => a + s.paid, 0), currency), m(balance, currency), ''] },
  );
}

export function registerPlan(program: Command, app: App): void {
  const plan = program
    .command('plan')
    .argument('[invoice]', 'invoice number')
    .description('agree a payment plan (echeancier) on an invoice: instalments that add up to its balance').summary('a payment plan (echeancier) for an invoice')
    .option('--instalments <n>', 'number of equal instalments (leftover cents on the first ones)')
    .option('--every <step>', 'time between instalments: month, 2month, 30d, 2w')
    .option('--start <date>', 'due date of the first instalment (default: one step after the plan date)')
    .option('--on <date=amount>', 'an explicit instalment, repeatable: --on 2026-05-31=250 --on 2026-06-30=250', collect)
    .option('--date <date>', 'the day the plan is agreed (default: today)')
    .action(
      app.act((ctx, ref: string | undefined, o: PlanOptions) => {
        if (ref === undefined) throw new UsageError('missing the invoice: relance plan INVOICE --instalments 3 --every month; see "relance plan --help"');
        const db = ctx.db();
        const inv = requireReceivable(db, ref);
        const on = parseDate(o.date ?? ctx.io.today(), '--date');
        const explicit = (o.on ?? []).length > 0;
        if (explicit && (o.instalments !== undefined || o.every !== undefined || o.start !== undefined)) {
          throw new UsageError('give either --on DATE=AMOUNT pairs or --instalments N --every STEP [--start DATE], not both');
        }
        if (!explicit && (o.instalments === undefined || o.every === undefined)) {
          throw new UsageError('a plan needs --instalments N and --every STEP (e.g. --instalments 3 --every month), or --on DATE=AMOUNT pairs');
        }
        const result = write(db, () => {
          const item = invoiceState(db, inv.id);
          if (item.credited > 0) throw new UsageError(`${item.number} was cancelled by a credit note; nothing to plan`);
          if (item.balance <= 0) throw new UsageError(`${item.number} is already paid; nothing to plan`);
          if (inv.issueDate && on < inv.issueDate) throw new UsageError(`--date: ${on} is before ${item.number} was issued (${inv.issueDate})`);
          let instalments;
          if (explicit) {
            instalments = explicitInstalments(
              item.balance,
              o.on!.map((p) => parseOnPair(p, parseDate, parseAmount)),
            );
          } else {
            if (!/^\d+$/.test(o.instalments!.trim())) throw new UsageError(`--instalments: "${o.instalments}" is not a whole number`);
            const step = parseStep(o.every!);
            const start = o.start !== undefined ? parseDate(o.start, '--start') : 'months' in step ? addMonths(on, step.months) : addDays(on, step.days);
            instalments = evenInstalments(item.balance, Number(o.instalments), step, start);
          }
          if (instalments[0]!.dueDate < on) throw new UsageError(`the first instalment (${instalments[0]!.dueDate}) is before the plan date ${on}; choose a later --start or --on date`);
          insertPlan(db, inv.id, on, instalments);
          return { item, instalments };
        });
        const states = result.instalments.map((i) => ({ ...i, paid: 0, remaining: i.amount, late: false, daysLate: 0 }));
        if (!ctx.json && !ctx.quiet) ctx.io.out(`Agreed a plan of ${states.length} instalment(s) for ${result.item.number}.\n`);
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
      .argument('<invoice>', 'invoice number')
      .description('the instalments of an invoice\'s plan: paid, remaining, late')
      .option('--as-of <date>', 'as of this date (default: today)')
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
                ? `${item.number} had no payment plan on ${asOf} (its plan was made on ${now.createdOn})`
                : `${item.number} has no active payment plan${item.balance <= 0 ? ' (it is paid)' : ''}; make one with "relance plan ${item.number} --instalments N --every month"`,
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
      .argument('<invoice>', 'invoice number')
      .description('cancel the payment plan of an invoice (its own due date applies again)')
      .option('--date <date>', 'the day the plan ends (default: today)')
      .action(
        app.act((ctx, ref: string, _o: unknown, cmd: Command) => {
          // optsWithGlobals: `plan` itself has --date, and commander gives it to the parent.
          const o = cmd.optsWithGlobals() as { date?: string };
          const db = ctx.db();
          const inv = requireReceivable(db, ref);
          const date = parseDate(o.date ?? ctx.io.today(), '--date');
          const p = write(db, () => {
            const p = activePlan(db, inv.id);
            if (!p) throw new UsageError(`${ref} has no active payment plan`);
            if (date < p.createdOn) throw new UsageError(`--date: ${date} is before the plan was made (${p.createdOn})`);
            cancelPlan(db, p.id, date);
            return p;
          });
          if (ctx.json) return printJson(ctx.io, { invoice: inv.number, plan: p.id, cancelledOn: date });
          if (!ctx.quiet) ctx.io.out(`Cancelled the payment plan of ${inv.number} on ${date}.\n`);
        }),
      ),
    ['relance plan cancel F-2026-0003', 'relance plan cancel F-2026-0003 --date 2026-05-02'],
  );
}
