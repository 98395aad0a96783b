/**
 * relance todo: what a person has to do today, from the ledger: calls the dunning policy asks for,
 * next actions whose date has come, broken promises nobody has followed up, and reminder letters
 * to post. `todo posted ID` records that a letter went out (a 'letter' contact in the call log).
 */
import type { Command } from 'commander';
import { contactDay, shortTime } from '../../core/calllog.js';
import { daysBetween } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { formatMoney } from '../../core/money.js';
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
  return list.length > SHOWN ? `  ... and ${list.length - SHOWN} more (all of them with --json)\n` : '';
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
  const lead = all ? ['ledger'] : [];
  let any = false;
  /** One section: a title with the count, the first rows as a table, and how many more. */
  const section = <T>(name: string, head: string[], pick: (t: Todo) => T[], row: (x: T, l: LedgerTodo) => Cell[], right: number[] = []): boolean => {
    const list = todos.flatMap((l) => pick(l.todo).map((x) => ({ x, l })));
    if (!list.length) return false;
    any = true;
    title(`${name} (${list.length})`);
    const cells = firstRows(list).map(({ x, l }) => [...(all ? [l.ledger] : []), ...row(x, l)]);
    printTable(io, [...lead, ...head], cells, right.length ? { right: right.map((c) => c + lead.length) } : undefined);
    io.out(more(list));
    return true;
  };
  section('Calls to make', ['client', 'phone', 'level', 'since', 'invoices'], (t) => t.calls, (m) => [m.clientCode, m.phone, m.level, m.asOf, m.documentNumbers.join(', ')]);
  section('Next actions due', ['client', 'due', 'late', 'last contact', 'outcome'], (t) => t.nextActions, (c, l) => {
    const late = daysBetween(c.nextActionDate!, l.todo.asOf);
    return [c.clientCode, c.nextActionDate, late > 0 ? `${late} d` : 'today', `#${c.id} ${shortTime(c.at)}`, c.outcome];
  });
  section(
    'Broken promises',
    ['client', 'promised by', 'amount', 'received', 'invoices', 'contact'],
    (t) => t.brokenPromises,
    (p, l) => [p.clientCode, p.date, formatMoney(p.target, l.cur, 'en'), formatMoney(p.paid, l.cur, 'en'), p.documentNumbers.join(', ') || 'all', `#${p.contactId} ${contactDay(p.at)}`],
    [2, 3],
  );
  if (section('Letters to post', ['id', 'client', 'level', 'produced', 'file'], (t) => t.letters, (m) => [m.messageId, m.clientCode, m.level, m.asOf, m.filePath]) && !ctx.quiet)
    io.err(`mark a letter posted with "relance ${all ? '--ledger NAME ' : ''}todo posted ID --tracking NUMBER"\n`);
  if (section('Recurring invoices held (stop work)', ['client', 'recurring', 'periods not issued'], (t) => t.heldRecurring, (h) => [h.client, `#${h.schedule}`, h.periods.join(', ')]) && !ctx.quiet)
    io.err('they are issued by the next "relance recurring run --due" once stop work is lifted ("relance client edit CODE --no-stop-work"); "relance recurring pause N" skips them\n');
  const asOf = todos[0]?.todo.asOf;
  if (!any && !ctx.quiet && asOf) io.err(`nothing to do as of ${asOf}\n`);
}

export function registerTodo(program: Command, app: App): void {
  const todo = program
    .command('todo')
    .description('calls to make, next actions due, broken promises, letters to post, recurring invoices held by stop work').summary('calls, next actions, promises, letters')
    .option('--as-of <date>', 'the day to look at (default today)')
    .option('--all', 'every ledger of the registry, with a "ledger" column; a ledger that fails is reported by name')
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
      .argument('<id>', 'the letter\'s number in "relance todo"')
      .description('record that a reminder letter was posted (a letter in the call log)')
      .option('--at <time>', 'when it was posted: "YYYY-MM-DD HH:MM" (default now)')
      .option('--tracking <number>', 'registered-mail (LRAR) tracking number')
      .action(
        app.act((ctx, id: string, o: { at?: string; tracking?: string }) => {
          const db = ctx.db();
          if (!/^\d+$/.test(id.trim())) throw new UsageError(`"${id}" is not a letter number; see them in "relance todo"`);
          const m = findMessage(db, Number(id));
          if (!m || m.channel !== 'letter') throw new UsageError(`no reminder letter #${id}; see the letters to post in "relance todo"`);
          const already = postingOf(db, m.id);
          if (already) throw new UsageError(`letter #${m.id} was already marked posted on ${shortTime(already.at)} (contact #${already.id})`);
          const at = contactTime(ctx.io, o.at);
          if (contactDay(at) < m.asOf) throw new UsageError(`--at ${contactDay(at)} is before the letter was produced (${m.asOf})`);
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
          if (!ctx.quiet) ctx.io.out(`Letter #${m.id} to ${client.code} marked posted (contact #${c.id})\n`);
        }),
      ),
    ['relance todo posted 42', 'relance todo posted 42 --tracking 1A01234567890 --at "2026-03-03 11:00"'],
  );
}
