/**
 * relance todo: what a person has to do today, from the ledger: calls the dunning policy asks for,
 * next actions whose date has come, broken promises nobody has followed up, and reminder letters
 * to post. `todo posted ID` records that a letter went out (a 'letter' contact in the call log).
 */
import type { Command } from 'commander';
import { contactDay, shortTime } from '../../core/calllog.js';
import { daysBetween } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { t } from '../../i18n/index.js';
import { money } from '../../render/format.js';
import { clientById } from '../../store/clients.js';
import { findMessage, insertContact, messageDocumentIds, postingOf, requireContact } from '../../store/contacts.js';
import { timestamp, write } from '../../store/db.js';
import { getSetting, type SettingValue } from '../../store/settings.js';
import { examples, type App } from '../app.js';
import { reportFailures, runOnAllLedgers, worstExit } from '../all-ledgers.js';
import type { Context } from '../context.js';
import { printJson, printTable, type Cell } from '../../render/output.js';
import { contactJson } from '../../reports/history.js';
import { todoJson, todoList, type Todo } from '../../reports/todo.js';
import { contactTime } from '../contact-time.js';

/** People read the first rows of a long list; scripts get them all with --json. */
const SHOWN = 50;
function firstRows<T>(list: T[]): T[] {
  return list.slice(0, SHOWN);
}
function more(list: unknown[]): string {
  return list.length > SHOWN ? t('dunning.todo.more', { n: list.length - SHOWN }) + '\n' : '';
}

/** One ledger's to-do list, with what its tables need (money in that ledger's currency). */
interface LedgerTodo {
  ledger: string | null;
  todo: Todo;
  cur: SettingValue<'currency'>;
}

function ledgerTodo(ctx: Context, asOf: string | undefined, ledger: string | null): LedgerTodo {
  const db = ctx.db();
  return { ledger, todo: todoList(db, ctx.asOf(asOf)), cur: getSetting(db, 'currency') };
}

/** The four tables; with --all every row starts with the ledger's name. */
function printTodos(ctx: Context, todos: LedgerTodo[], all: boolean): void {
  const io = ctx.io;
  const title = (s: string) => io.out(`${io.color ? io.style.bold(s) : s}\n`);
  const lead = all ? [t('dunning.all.col.ledger')] : [];
  let any = false;
  /** One section: a title with the count, the first rows as a table, and how many more. */
  const section = <T>(name: string, head: string[], pick: (x: Todo) => T[], row: (x: T, l: LedgerTodo) => Cell[], right: number[] = []): boolean => {
    const list = todos.flatMap((l) => pick(l.todo).map((x) => ({ x, l })));
    if (!list.length) return false;
    any = true;
    title(t('dunning.todo.section', { name, n: list.length }));
    const cells = firstRows(list).map(({ x, l }) => [...(all ? [l.ledger] : []), ...row(x, l)]);
    printTable(io, [...lead, ...head], cells, right.length ? { right: right.map((c) => c + lead.length) } : undefined);
    io.out(more(list));
    return true;
  };
  section(t('dunning.todo.calls'), [t('dunning.col.client'), t('dunning.col.phone'), t('dunning.col.level'), t('dunning.col.since'), t('dunning.col.invoices')], (x) => x.calls, (m) => [m.clientCode, m.phone, m.level, m.asOf, m.documentNumbers.join(', ')]);
  section(t('dunning.todo.nextActions'), [t('dunning.col.client'), t('dunning.col.due'), t('dunning.col.late'), t('dunning.col.lastContact'), t('dunning.col.outcome')], (x) => x.nextActions, (c, l) => {
    const late = daysBetween(c.nextActionDate!, l.todo.asOf);
    return [c.clientCode, c.nextActionDate, late > 0 ? t('dunning.todo.daysLate', { n: late }) : t('dunning.todo.today'), `#${c.id} ${shortTime(c.at)}`, c.outcome];
  });
  section(
    t('dunning.todo.broken'),
    [t('dunning.col.client'), t('dunning.col.promisedBy'), t('dunning.col.amount'), t('dunning.col.received'), t('dunning.col.invoices'), t('dunning.col.contact')],
    (x) => x.brokenPromises,
    (p, l) => [p.clientCode, p.date, money(p.target, l.cur), money(p.paid, l.cur), p.documentNumbers.join(', ') || t('dunning.todo.allInvoices'), `#${p.contactId} ${contactDay(p.at)}`],
    [2, 3],
  );
  if (section(t('dunning.todo.letters'), ['id', t('dunning.col.client'), t('dunning.col.level'), t('dunning.col.produced'), t('dunning.field.file')], (x) => x.letters, (m) => [m.messageId, m.clientCode, m.level, m.asOf, m.filePath]) && !ctx.quiet)
    io.err(t(all ? 'dunning.todo.markPostedAll' : 'dunning.todo.markPosted') + '\n');
  if (section(t('dunning.todo.held'), [t('dunning.col.client'), t('dunning.col.recurring'), t('dunning.col.periodsNotIssued')], (x) => x.heldRecurring, (h) => [h.client, `#${h.schedule}`, h.periods.join(', ')]) && !ctx.quiet)
    io.err(t('dunning.todo.heldHint') + '\n');
  const asOf = todos[0]?.todo.asOf;
  if (!any && !ctx.quiet && asOf) io.err(t('dunning.todo.nothing', { asOf }) + '\n');
}

export function registerTodo(program: Command, app: App): void {
  const todo = program
    .command('todo')
    .description(t('dunning.todo.description')).summary(t('dunning.todo.summary'))
    .option('--as-of <date>', t('dunning.todo.opt.asOf'))
    .option('--all', t('dunning.overdue.opt.all'))
    .action(
      app.act(async (ctx, o: { asOf?: string; all?: boolean }) => {
        if (!o.all) {
          const one = ledgerTodo(ctx, o.asOf, null);
          if (ctx.json) return printJson(ctx.io, todoJson(one.todo));
          return printTodos(ctx, [one], false);
        }
        ctx.asOf(o.asOf); // a malformed --as-of is refused once, before any ledger is opened
        const outcomes = await runOnAllLedgers(ctx, (sub, name) => ({ result: ledgerTodo(sub, o.asOf, name) }));
        const done = outcomes.flatMap((x) => (x.result ? [x.result] : []));
        if (ctx.json) {
          printJson(
            ctx.io,
            outcomes.map((x) => (x.result ? { ledger: x.ledger, file: x.file, ...todoJson(x.result.todo) } : { ledger: x.ledger, file: x.file, error: x.error, exit: x.code })),
          );
        } else printTodos(ctx, done, true);
        reportFailures(ctx, outcomes);
        return worstExit(outcomes.map((x) => x.code));
      }),
    );
  examples(todo, ['relance todo', 'relance todo --as-of 2026-03-10', 'relance todo --json', 'relance todo --all --as-of 2026-03-10', 'relance todo posted 42 --tracking 1A01234567890']);

  examples(
    todo
      .command('posted')
      .argument('<id>', t('dunning.todo.posted.arg'))
      .description(t('dunning.todo.posted.description'))
      .option('--at <time>', t('dunning.todo.posted.opt.at'))
      .option('--tracking <number>', t('dunning.todo.posted.opt.tracking'))
      .action(
        app.act((ctx, id: string, o: { at?: string; tracking?: string }) => {
          const db = ctx.db();
          if (!/^\d+$/.test(id.trim())) throw new UsageError(t('dunning.todo.posted.err.notNumber', { id }));
          const m = findMessage(db, Number(id));
          if (!m || m.channel !== 'letter') throw new UsageError(t('dunning.todo.posted.err.unknown', { id }));
          const already = postingOf(db, m.id);
          if (already) throw new UsageError(t('dunning.todo.posted.err.already', { id: m.id, at: shortTime(already.at), contact: already.id }));
          const at = contactTime(ctx.io, o.at);
          if (contactDay(at) < m.asOf) throw new UsageError(t('dunning.todo.posted.err.before', { at: contactDay(at), produced: m.asOf }));
          const tracking = o.tracking?.trim() || null;
          const client = clientById(db, m.clientId);
          const c = write(db, () =>
            insertContact(
              db,
              {
                clientId: client.id,
                at,
                channel: 'letter',
                withWhom: null,
                outcome: `reminder letter #${m.id} posted${tracking ? `, registered mail ${tracking}` : ''}`,
                promiseDate: null,
                promiseAmount: null,
                nextActionDate: null,
                disputeReason: null,
                messageId: m.id,
                documentIds: messageDocumentIds(db, m.id),
              },
              timestamp(ctx.io.now()),
            ),
          );
          if (ctx.json) return printJson(ctx.io, contactJson(requireContact(db, c.id)));
          if (!ctx.quiet) ctx.io.out(t('dunning.todo.posted.done', { id: m.id, client: client.code, contact: c.id }) + '\n');
        }),
      ),
    ['relance todo posted 42', 'relance todo posted 42 --tracking 1A01234567890 --at "2026-03-03 11:00"'],
  );
}
