/**
 * relance todo: what a person has to do today, from the ledger: calls the dunning policy asks for,
 * next actions whose date has come, broken promises nobody has followed up, and reminder letters
 * to post. `todo posted ID` records that a letter went out (a 'letter' contact in the call log).
 */
import type { Command } from 'commander';
import { contactDay, shortTime } from '../../core/calllog.js';
import { daysBetween, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney } from '../../core/money.js';
import { clientById } from '../../store/clients.js';
import {
  brokenPromises,
  callsToMake,
  findMessage,
  insertContact,
  lettersToPost,
  nextActionsDue,
  messageDocumentIds,
  postingOf,
  requireContact,
  type Contact,
  type PendingMessage,
  type PromiseState,
} from '../../store/contacts.js';
import { timestamp, write, type Db } from '../../store/db.js';
import { getSetting } from '../../store/settings.js';
import { examples, type App } from '../app.js';
import { printJson, printTable } from '../../render/output.js';
import { contactJson, contactTime } from './call-log.js';

export interface Todo {
  asOf: IsoDate;
  calls: PendingMessage[];
  nextActions: Contact[];
  brokenPromises: PromiseState[];
  letters: PendingMessage[];
}

export function todoList(db: Db, asOf: IsoDate): Todo {
  return {
    asOf,
    calls: callsToMake(db, asOf),
    nextActions: nextActionsDue(db, asOf),
    brokenPromises: brokenPromises(db, asOf).filter((p) => p.followedUpAt === null),
    letters: lettersToPost(db, asOf),
  };
}

export function todoJson(t: Todo) {
  return {
    asOf: t.asOf,
    calls: t.calls.map((m) => ({ messageId: m.messageId, client: m.clientCode, phone: m.phone, level: m.level, since: m.asOf, invoices: m.documentNumbers })),
    nextActions: t.nextActions.map((c) => ({ client: c.clientCode, due: c.nextActionDate, daysLate: daysBetween(c.nextActionDate!, t.asOf), contact: contactJson(c) })),
    brokenPromises: t.brokenPromises.map((p) => ({
      contactId: p.contactId,
      client: p.clientCode,
      promisedBy: p.date,
      amount: centsToDecimal(p.target),
      paid: centsToDecimal(p.paid),
      invoices: p.documentNumbers,
      brokenSince: p.holdsUntil,
    })),
    letters: t.letters.map((m) => ({ messageId: m.messageId, client: m.clientCode, level: m.level, produced: m.asOf, file: m.filePath, invoices: m.documentNumbers })),
  };
}

/** People read the first rows of a long list; scripts get them all with --json. */
const SHOWN = 50;
function firstRows<T>(list: T[]): T[] {
  return list.slice(0, SHOWN);
}
function more(list: unknown[]): string {
  return list.length > SHOWN ? `  ... and ${list.length - SHOWN} more (all of them with --json)\n` : '';
}

export function registerTodo(program: Command, app: App): void {
  const todo = program
    .command('todo')
    .description('calls to make, next actions due, broken promises and letters to post')
    .option('--as-of <date>', 'the day to look at (default today)')
    .action(
      app.act((ctx, o: { asOf?: string }) => {
        const db = ctx.db();
        const t = todoList(db, ctx.asOf(o.asOf));
        if (ctx.json) return printJson(ctx.io, todoJson(t));
        const cur = getSetting(db, 'currency');
        const lang = getSetting(db, 'language');
        const io = ctx.io;
        const title = (s: string) => io.out(`${io.color ? io.style.bold(s) : s}\n`);
        let any = false;
        if (t.calls.length) {
          any = true;
          title(`Calls to make (${t.calls.length})`);
          printTable(io, ['client', 'phone', 'level', 'since', 'invoices'], firstRows(t.calls).map((m) => [m.clientCode, m.phone, m.level, m.asOf, m.documentNumbers.join(', ')]));
          io.out(more(t.calls));
        }
        if (t.nextActions.length) {
          any = true;
          title(`Next actions due (${t.nextActions.length})`);
          printTable(
            io,
            ['client', 'due', 'late', 'last contact', 'outcome'],
            firstRows(t.nextActions).map((c) => {
              const late = daysBetween(c.nextActionDate!, t.asOf);
              return [c.clientCode, c.nextActionDate, late > 0 ? `${late} d` : 'today', `#${c.id} ${shortTime(c.at)}`, c.outcome];
            }),
          );
          io.out(more(t.nextActions));
        }
        if (t.brokenPromises.length) {
          any = true;
          title(`Broken promises (${t.brokenPromises.length})`);
          printTable(
            io,
            ['client', 'promised by', 'amount', 'received', 'invoices', 'contact'],
            firstRows(t.brokenPromises).map((p) => [p.clientCode, p.date, formatMoney(p.target, cur, lang), formatMoney(p.paid, cur, lang), p.documentNumbers.join(', ') || 'all', `#${p.contactId} ${contactDay(p.at)}`]),
            { right: [2, 3] },
          );
          io.out(more(t.brokenPromises));
        }
        if (t.letters.length) {
          any = true;
          title(`Letters to post (${t.letters.length})`);
          printTable(io, ['id', 'client', 'level', 'produced', 'file'], firstRows(t.letters).map((m) => [m.messageId, m.clientCode, m.level, m.asOf, m.filePath]));
          io.out(more(t.letters));
          if (!ctx.quiet) io.err('mark a letter posted with "relance todo posted ID --tracking NUMBER"\n');
        }
        if (!any && !ctx.quiet) io.err(`nothing to do as of ${t.asOf}\n`);
      }),
    );
  examples(todo, ['relance todo', 'relance todo --as-of 2026-03-10', 'relance todo --json', 'relance todo posted 42 --tracking 1A01234567890']);

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
