/**
 * relance call-log add | list | show | edit: calls, emails, letters, visits and meetings with a
 * client, with who was reached, the outcome, a promise to pay (which holds reminders of those
 * invoices until its date plus the policy's grace), a dispute and the next action's date.
 * An edit never rewrites: it writes a new version and the original stays in the history.
 */
import type { Command } from 'commander';
import { CHANNELS, checkContactDates, shortTime, type Channel } from '../../core/calllog.js';
import { toCsv } from '../../core/csv.js';
import { addDays, parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney, parsePositiveAmount } from '../../core/money.js';
import { requireClient, type Client } from '../../store/clients.js';
import {
  insertContact,
  listContacts,
  promiseGraceDays,
  requireContact,
  requireInvoiceNumber,
  supersedeContact,
  contactVersions,
  type Contact,
  type ContactFields,
} from '../../store/contacts.js';
import { timestamp, write, type Db } from '../../store/db.js';
import { getSetting } from '../../store/settings.js';
import { collect, examples, type App } from '../app.js';
import type { IO } from '../io.js';
import { checkWith, valueOrAsk } from '../prompt.js';
import { printFields, printJson, printTable } from '../../render/output.js';
import { contactJson } from '../../reports/history.js';
import { contactTime } from '../contact-time.js';

interface ContactOptions {
  invoice?: string[];
  outcome?: string;
  with?: string;
  at?: string;
  channel?: string;
  promise?: string;
  promiseAmount?: string;
  next?: string;
  dispute?: string;
}

function parseChannel(text: string): Channel {
  const c = text.trim().toLowerCase();
  if (!(CHANNELS as readonly string[]).includes(c)) throw new UsageError(`--channel: "${text}" is not one of ${CHANNELS.join(', ')}`);
  return c as Channel;
}

function documentsFor(db: Db, client: Client, numbers: readonly string[]): { id: number; number: string }[] {
  return numbers.map((n) => {
    const inv = requireInvoiceNumber(db, n);
    if (inv.clientId !== client.id) {
      throw new UsageError(`--invoice ${inv.number} belongs to client ${inv.clientCode}, not ${client.code}; log the contact with ${inv.clientCode} or drop that --invoice`);
    }
    return { id: inv.id, number: inv.number };
  });
}

const orNull = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());

function money(db: Db, cents: number | null): string {
  return cents === null ? '' : formatMoney(cents, getSetting(db, 'currency'), 'en');
}

function promiseText(db: Db, c: Contact): string {
  if (c.promiseDate === null) return '';
  return `${c.promiseAmount !== null ? money(db, c.promiseAmount) : 'the balance'} by ${c.promiseDate}`;
}

/** One line that says what was logged and what it does to dunning. */
function effects(db: Db, c: Contact): string {
  const parts: string[] = [];
  const about = c.documents.length ? c.documents.map((d) => d.number).join(', ') : `every invoice of ${c.clientCode}`;
  if (c.promiseDate !== null) {
    parts.push(`promise to pay ${promiseText(db, c)}: reminders of ${about} wait until ${addDays(c.promiseDate, promiseGraceDays(db, c.clientId))}`);
  }
  if (c.disputeReason !== null) parts.push(`${about} marked disputed`);
  if (c.nextActionDate !== null) parts.push(`next action on ${c.nextActionDate} (see "relance todo")`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

function contactOptions(cmd: Command, forEdit: boolean): Command {
  return cmd
    .option('--invoice <number>', forEdit ? 'the invoices it is about (repeat; replaces the list)' : 'an invoice it is about (repeat for several)', collect)
    .option('--outcome <text>', 'what was said or agreed')
    .option('--with <who>', 'who was reached, e.g. "accounts payable desk"')
    .option('--at <time>', forEdit ? 'when: "YYYY-MM-DD HH:MM" (local time)' : 'when: "YYYY-MM-DD HH:MM" (local time; default now)')
    .option('--channel <channel>', `${CHANNELS.join(' | ')}${forEdit ? '' : ' (default call)'}`)
    .option('--promise <date>', `promise to pay by this date (reminders wait until it plus the policy's grace)${forEdit ? '; "" removes it' : ''}`)
    .option('--promise-amount <amount>', 'the amount promised (default: what is owed)')
    .option('--next <date>', `date of the next action; puts the client on "relance todo"${forEdit ? '; "" removes it' : ''}`)
    .option('--dispute <reason>', 'the client disputes the invoices: mark them disputed (reminders stop)');
}

interface Resolved {
  fields: ContactFields;
}

/** Validate everything before anything is written; throws UsageError (exit 2) on bad input. */
function resolve(db: Db, io: IO, client: Client, o: ContactOptions, base?: Contact): Resolved {
  const at = o.at !== undefined ? contactTime(io, o.at) : base ? base.at : contactTime(io, undefined);
  const channel = o.channel !== undefined ? parseChannel(o.channel) : base ? base.channel : 'call';
  const outcome = o.outcome !== undefined ? o.outcome.trim() : base?.outcome;
  if (!outcome) throw new UsageError('--outcome: say what was said or agreed, e.g. --outcome "will pay on Friday"');
  const withWhom = o.with !== undefined ? orNull(o.with)! : base ? base.withWhom : null;
  const promise = orNull(o.promise);
  const promiseDate = promise === undefined ? (base?.promiseDate ?? null) : promise === null ? null : parseDate(promise, '--promise');
  const amountText = orNull(o.promiseAmount);
  if (amountText !== undefined && amountText !== null && promiseDate === null) {
    throw new UsageError('--promise-amount needs --promise DATE: say by when the amount will be paid');
  }
  const promiseAmount =
    promiseDate === null ? null : amountText === undefined ? (base?.promiseAmount ?? null) : amountText === null ? null : parsePositiveAmount(amountText, '--promise-amount');
  const next = orNull(o.next);
  const nextActionDate = next === undefined ? (base?.nextActionDate ?? null) : next === null ? null : parseDate(next, '--next');
  const docs = o.invoice !== undefined ? documentsFor(db, client, o.invoice) : (base?.documents ?? []);
  const dispute = orNull(o.dispute);
  const disputeReason = dispute === undefined ? (base?.disputeReason ?? null) : dispute;
  if (dispute !== undefined && dispute !== null && docs.length === 0) {
    throw new UsageError(`--dispute needs the invoices that are disputed: add --invoice NUMBER (see "relance invoice list --client ${client.code}")`);
  }
  checkContactDates(at, promiseDate, nextActionDate);
  return {
    fields: {
      clientId: client.id,
      at,
      channel,
      withWhom,
      outcome,
      promiseDate,
      promiseAmount,
      nextActionDate,
      disputeReason,
      messageId: base?.messageId ?? null,
      documentIds: docs.map((d) => d.id),
    },
  };
}

/** On a terminal, ask for what the command line left out; never otherwise. */
async function askMissing(io: IO, o: ContactOptions): Promise<ContactOptions> {
  if (!io.canPrompt || o.outcome !== undefined) return o;
  const out = { ...o };
  out.outcome = await valueOrAsk(io, undefined, { flag: '--outcome', message: 'Outcome (what was said or agreed)', required: true });
  if (out.with === undefined) out.with = await valueOrAsk(io, undefined, { flag: '--with', message: 'Who did you reach? (optional)' });
  if (out.promise === undefined) {
    out.promise = await valueOrAsk(io, undefined, { flag: '--promise', message: 'Promise to pay by (YYYY-MM-DD, optional)', validate: checkWith((s) => parseDate(s, 'date')) });
    if (out.promise !== undefined && out.promiseAmount === undefined) {
      out.promiseAmount = await valueOrAsk(io, undefined, { flag: '--promise-amount', message: 'Amount promised (optional, default: what is owed)', validate: checkWith((s) => parsePositiveAmount(s)) });
    }
  }
  if (out.next === undefined) {
    out.next = await valueOrAsk(io, undefined, { flag: '--next', message: 'Next action on (YYYY-MM-DD, optional)', validate: checkWith((s) => parseDate(s, 'date')) });
  }
  return out;
}

const CSV_HEAD = ['id', 'client', 'at', 'channel', 'with', 'invoices', 'outcome', 'promise_date', 'promise_amount', 'next_action', 'dispute', 'supersedes'];

export function registerCallLog(program: Command, app: App): void {
  const log = program.command('call-log').description('log calls, letters, visits and emails with clients: promises to pay, disputes, next actions').summary('calls, letters, visits, promises to pay');
  examples(log, [
    'relance call-log add ACME --invoice F-2026-0012 --with "accounts payable" --outcome "will pay Friday" --promise 2026-03-06',
    'relance call-log list --client ACME',
    'relance todo',
  ]);

  examples(
    contactOptions(log.command('add').argument('<client>', 'client code').description('log a contact with a client'), false).action(
      app.act(async (ctx, code: string, o: ContactOptions) => {
        const db = ctx.db();
        const client = requireClient(db, code);
        const asked = await askMissing(ctx.io, o);
        if (asked.outcome === undefined) throw new UsageError(`missing --outcome; e.g. relance call-log add ${client.code} --outcome "will pay Friday"`);
        const { fields } = resolve(db, ctx.io, client, asked);
        const c = write(db, () => insertContact(db, fields, timestamp(ctx.io.now())));
        if (ctx.json) return printJson(ctx.io, contactJson(c));
        if (!ctx.quiet) ctx.io.out(`Logged ${c.channel} #${c.id} with ${c.clientCode} at ${shortTime(c.at)}${effects(db, c)}\n`);
      }),
    ),
    [
      'relance call-log add ACME --invoice F-2026-0012 --with "accounts payable desk" --outcome "invoice approved, paid next run" --promise 2026-03-06',
      'relance call-log add ACME --at "2026-03-02 14:30" --outcome "no answer, voicemail left" --next 2026-03-04',
      'relance call-log add GLOBEX --invoice F-2026-0007 --outcome "says the delivery was incomplete" --dispute "delivery incomplete"',
      'relance call-log add DUPONT --channel letter --outcome "sent a copy of the invoice by post"',
    ],
  );

  examples(
    log
      .command('list')
      .description('list contacts, oldest first')
      .option('--client <code>', 'only this client')
      .option('--invoice <number>', 'only contacts about this invoice')
      .option('--since <date>', 'only contacts on or after this date')
      .option('--all-versions', 'also the versions that an edit replaced')
      .option('--csv', 'CSV for a spreadsheet (formulas neutralised)')
      .action(
        app.act((ctx, o: { client?: string; invoice?: string; since?: string; allVersions?: boolean; csv?: boolean }) => {
          if (o.csv && ctx.json) throw new UsageError('--csv and --json: choose one output format');
          const db = ctx.db();
          const client = o.client !== undefined ? requireClient(db, o.client) : undefined;
          const inv = o.invoice !== undefined ? requireInvoiceNumber(db, o.invoice) : undefined;
          const since = o.since !== undefined ? parseDate(o.since, '--since') : undefined;
          const rows = listContacts(db, { clientId: client?.id, documentId: inv?.id, since, includeSuperseded: o.allVersions });
          if (ctx.json) return printJson(ctx.io, rows.map(contactJson));
          if (o.csv) {
            ctx.io.out(
              toCsv(
                CSV_HEAD,
                rows.map((c) => [
                  c.id,
                  c.clientCode,
                  c.at,
                  c.channel,
                  c.withWhom,
                  c.documents.map((d) => d.number).join(' '),
                  c.outcome,
                  c.promiseDate,
                  c.promiseAmount === null ? null : centsToDecimal(c.promiseAmount),
                  c.nextActionDate,
                  c.disputeReason,
                  c.supersedesId,
                ]),
                { bom: true },
              ),
            );
            return;
          }
          if (rows.length === 0) {
            if (!ctx.quiet) ctx.io.err('no contacts logged yet; log one with "relance call-log add CLIENT --outcome ..."\n');
            return;
          }
          printTable(
            ctx.io,
            ['id', 'when', 'client', 'channel', 'with', 'invoices', 'outcome', 'promise', 'next'],
            rows.map((c) => [
              c.supersededById !== null ? `${c.id} (edited as ${c.supersededById})` : c.supersedesId !== null ? `${c.id} (edit of ${c.supersedesId})` : c.id,
              shortTime(c.at),
              c.clientCode,
              c.channel,
              c.withWhom,
              c.documents.map((d) => d.number).join(', '),
              c.outcome,
              promiseText(db, c),
              c.nextActionDate,
            ]),
          );
        }),
      ),
    ['relance call-log list', 'relance call-log list --client ACME --since 2026-01-01', 'relance call-log list --invoice F-2026-0012 --json', 'relance call-log list --csv > calls.csv'],
  );

  examples(
    log
      .command('show')
      .argument('<id>', 'contact number (see "relance call-log list")')
      .description('show one contact and its earlier versions')
      .action(
        app.act((ctx, id: string) => {
          const db = ctx.db();
          const c = requireContact(db, contactId(id));
          const versions = contactVersions(db, c.id);
          if (ctx.json) return printJson(ctx.io, { ...contactJson(c), versions: versions.map(contactJson) });
          printFields(ctx.io, [
            ['contact', `#${c.id}${c.supersededById !== null ? ` (replaced by the edit #${c.supersededById})` : ''}`],
            ['client', c.clientCode],
            ['when', shortTime(c.at) + ` (${c.at.slice(19)})`],
            ['channel', c.channel],
            ['with', c.withWhom],
            ['invoices', c.documents.map((d) => d.number).join(', ')],
            ['outcome', c.outcome],
            ['promise', promiseText(db, c)],
            ['dispute', c.disputeReason],
            ['next action', c.nextActionDate],
            ['logged', c.createdAt],
          ]);
          if (versions.length > 1) {
            ctx.io.out('\nVersions:\n');
            printTable(
              ctx.io,
              ['id', 'logged', 'when', 'outcome', 'promise', 'next'],
              versions.map((v) => [v.id === c.id ? `${v.id} *` : v.id, v.createdAt, shortTime(v.at), v.outcome, promiseText(db, v), v.nextActionDate]),
            );
          }
        }),
      ),
    ['relance call-log show 12', 'relance call-log show 12 --json'],
  );

  examples(
    contactOptions(
      log.command('edit').argument('<id>', 'contact number').description('correct a contact: writes a new version, the original stays in the history'),
      true,
    ).action(
      app.act((ctx, id: string, o: ContactOptions) => {
        const db = ctx.db();
        const old = requireContact(db, contactId(id));
        const given = Object.values(o).some((v) => v !== undefined);
        if (!given) throw new UsageError(`nothing to change for contact #${old.id}; give at least one option, see "relance call-log edit --help"`);
        const client = requireClient(db, old.clientCode);
        const { fields } = resolve(db, ctx.io, client, o, old);
        const c = write(db, () => supersedeContact(db, old.id, fields, timestamp(ctx.io.now())));
        if (ctx.json) return printJson(ctx.io, contactJson(c));
        if (!ctx.quiet) ctx.io.out(`Edited contact #${old.id} as #${c.id} (the original stays in the history)${effects(db, c)}\n`);
      }),
    ),
    ['relance call-log edit 12 --promise 2026-03-13', 'relance call-log edit 12 --outcome "will pay half now, half on the 30th" --promise-amount 600', 'relance call-log edit 12 --next ""'],
  );
}

function contactId(text: string): number {
  const s = text.trim().replace(/^#/, '');
  if (!/^\d+$/.test(s)) throw new UsageError(`"${text}" is not a contact number; see the numbers with "relance call-log list"`);
  return Number(s);
}
