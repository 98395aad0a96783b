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
import { centsToDecimal, parsePositiveAmount } from '../../core/money.js';
import { canonical } from '../../core/vocabulary.js';
import { t } from '../../i18n/index.js';
import { money as moneyText } from '../../render/format.js';
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
import { channelLabel } from '../../reports/labels.js';

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
  const c = canonical('channel', text.trim().toLowerCase());
  if (!(CHANNELS as readonly string[]).includes(c)) throw new UsageError(t('dunning.calllog.err.channel', { text, list: CHANNELS.join(', ') }));
  return c as Channel;
}

function documentsFor(db: Db, client: Client, numbers: readonly string[]): { id: number; number: string }[] {
  return numbers.map((n) => {
    const inv = requireInvoiceNumber(db, n);
    if (inv.clientId !== client.id) {
      throw new UsageError(t('dunning.calllog.err.otherClient', { invoice: inv.number, owner: inv.clientCode, client: client.code }));
    }
    return { id: inv.id, number: inv.number };
  });
}

const orNull = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());

function money(db: Db, cents: number | null): string {
  return cents === null ? '' : moneyText(cents, getSetting(db, 'currency'));
}

function promiseText(db: Db, c: Contact): string {
  if (c.promiseDate === null) return '';
  return t('dunning.calllog.promiseBy', { amount: c.promiseAmount !== null ? money(db, c.promiseAmount) : t('dunning.calllog.theBalance'), date: c.promiseDate });
}

/** One line that says what was logged and what it does to dunning. */
function effects(db: Db, c: Contact): string {
  const parts: string[] = [];
  const about = c.documents.length ? c.documents.map((d) => d.number).join(', ') : t('dunning.calllog.everyInvoice', { client: c.clientCode });
  if (c.promiseDate !== null) {
    parts.push(t('dunning.calllog.effect.promise', { promise: promiseText(db, c), about, until: addDays(c.promiseDate, promiseGraceDays(db, c.clientId)) }));
  }
  if (c.disputeReason !== null) parts.push(t('dunning.calllog.effect.disputed', { about }));
  if (c.nextActionDate !== null) parts.push(t('dunning.calllog.effect.next', { date: c.nextActionDate }));
  const sep = t('dunning.sep');
  return parts.length ? `${sep}${parts.join(sep)}` : '';
}

function contactOptions(cmd: Command, forEdit: boolean): Command {
  return cmd
    .option('--invoice <number>', t(forEdit ? 'dunning.calllog.opt.invoiceEdit' : 'dunning.calllog.opt.invoice'), collect)
    .option('--outcome <text>', t('dunning.calllog.opt.outcome'))
    .option('--with <who>', t('dunning.calllog.opt.with'))
    .option('--at <time>', t(forEdit ? 'dunning.calllog.opt.atEdit' : 'dunning.calllog.opt.at'))
    .option('--channel <channel>', `${CHANNELS.join(' | ')}${forEdit ? '' : t('dunning.calllog.opt.channelDefault')}`)
    .option('--promise <date>', t('dunning.calllog.opt.promise') + (forEdit ? t('dunning.calllog.opt.removes') : ''))
    .option('--promise-amount <amount>', t('dunning.calllog.opt.promiseAmount'))
    .option('--next <date>', t('dunning.calllog.opt.next') + (forEdit ? t('dunning.calllog.opt.removes') : ''))
    .option('--dispute <reason>', t('dunning.calllog.opt.dispute'));
}

interface Resolved {
  fields: ContactFields;
}

/** Validate everything before anything is written; throws UsageError (exit 2) on bad input. */
function resolve(db: Db, io: IO, client: Client, o: ContactOptions, base?: Contact): Resolved {
  const at = o.at !== undefined ? contactTime(io, o.at) : base ? base.at : contactTime(io, undefined);
  const channel = o.channel !== undefined ? parseChannel(o.channel) : base ? base.channel : 'call';
  const outcome = o.outcome !== undefined ? o.outcome.trim() : base?.outcome;
  if (!outcome) throw new UsageError(t('dunning.calllog.err.outcome'));
  const withWhom = o.with !== undefined ? orNull(o.with)! : base ? base.withWhom : null;
  const promise = orNull(o.promise);
  const promiseDate = promise === undefined ? (base?.promiseDate ?? null) : promise === null ? null : parseDate(promise, '--promise');
  const amountText = orNull(o.promiseAmount);
  if (amountText !== undefined && amountText !== null && promiseDate === null) {
    throw new UsageError(t('dunning.calllog.err.amountNeedsPromise'));
  }
  const promiseAmount =
    promiseDate === null ? null : amountText === undefined ? (base?.promiseAmount ?? null) : amountText === null ? null : parsePositiveAmount(amountText, '--promise-amount');
  const next = orNull(o.next);
  const nextActionDate = next === undefined ? (base?.nextActionDate ?? null) : next === null ? null : parseDate(next, '--next');
  const docs = o.invoice !== undefined ? documentsFor(db, client, o.invoice) : (base?.documents ?? []);
  const dispute = orNull(o.dispute);
  const disputeReason = dispute === undefined ? (base?.disputeReason ?? null) : dispute;
  if (dispute !== undefined && dispute !== null && docs.length === 0) {
    throw new UsageError(t('dunning.calllog.err.disputeNeedsInvoice', { client: client.code }));
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
  out.outcome = await valueOrAsk(io, undefined, { flag: '--outcome', message: t('dunning.calllog.ask.outcome'), required: true });
  if (out.with === undefined) out.with = await valueOrAsk(io, undefined, { flag: '--with', message: t('dunning.calllog.ask.with') });
  if (out.promise === undefined) {
    out.promise = await valueOrAsk(io, undefined, { flag: '--promise', message: t('dunning.calllog.ask.promise'), validate: checkWith((s) => parseDate(s, 'date')) });
    if (out.promise !== undefined && out.promiseAmount === undefined) {
      out.promiseAmount = await valueOrAsk(io, undefined, { flag: '--promise-amount', message: t('dunning.calllog.ask.amount'), validate: checkWith((s) => parsePositiveAmount(s)) });
    }
  }
  if (out.next === undefined) {
    out.next = await valueOrAsk(io, undefined, { flag: '--next', message: t('dunning.calllog.ask.next'), validate: checkWith((s) => parseDate(s, 'date')) });
  }
  return out;
}

const CSV_HEAD = ['id', 'client', 'at', 'channel', 'with', 'invoices', 'outcome', 'promise_date', 'promise_amount', 'next_action', 'dispute', 'supersedes'];

export function registerCallLog(program: Command, app: App): void {
  const log = program.command('call-log').description(t('dunning.calllog.description')).summary(t('dunning.calllog.summary'));
  examples(log, [
    'relance call-log add ACME --invoice F-2026-0012 --with "accounts payable" --outcome "will pay Friday" --promise 2026-03-06',
    'relance call-log list --client ACME',
    'relance todo',
  ]);

  examples(
    contactOptions(log.command('add').argument('<client>', t('dunning.arg.client')).description(t('dunning.calllog.add.description')), false).action(
      app.act(async (ctx, code: string, o: ContactOptions) => {
        const db = ctx.db();
        const client = requireClient(db, code);
        const asked = await askMissing(ctx.io, o);
        if (asked.outcome === undefined) throw new UsageError(t('dunning.calllog.err.missingOutcome', { client: client.code }));
        const { fields } = resolve(db, ctx.io, client, asked);
        const c = write(db, () => insertContact(db, fields, timestamp(ctx.io.now())));
        if (ctx.json) return printJson(ctx.io, contactJson(c));
        if (!ctx.quiet) ctx.io.out(t('dunning.calllog.logged', { channel: channelLabel(c.channel), id: c.id, client: c.clientCode, at: shortTime(c.at) }) + `${effects(db, c)}\n`);
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
      .description(t('dunning.calllog.list.description'))
      .option('--client <code>', t('dunning.opt.onlyClient'))
      .option('--invoice <number>', t('dunning.calllog.list.opt.invoice'))
      .option('--since <date>', t('dunning.calllog.list.opt.since'))
      .option('--all-versions', t('dunning.calllog.list.opt.allVersions'))
      .option('--csv', t('dunning.opt.csv'))
      .action(
        app.act((ctx, o: { client?: string; invoice?: string; since?: string; allVersions?: boolean; csv?: boolean }) => {
          if (o.csv && ctx.json) throw new UsageError(t('dunning.err.csvJson'));
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
            if (!ctx.quiet) ctx.io.err(t('dunning.calllog.list.none') + '\n');
            return;
          }
          printTable(
            ctx.io,
            ['id', t('dunning.col.when'), t('dunning.col.client'), t('dunning.col.channel'), t('dunning.col.with'), t('dunning.col.invoices'), t('dunning.col.outcome'), t('dunning.col.promise'), t('dunning.col.next')],
            rows.map((c) => [
              c.supersededById !== null ? t('dunning.calllog.editedAs', { id: c.id, other: c.supersededById }) : c.supersedesId !== null ? t('dunning.calllog.editOf', { id: c.id, other: c.supersedesId }) : c.id,
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
      .argument('<id>', t('dunning.calllog.show.arg'))
      .description(t('dunning.calllog.show.description'))
      .action(
        app.act((ctx, id: string) => {
          const db = ctx.db();
          const c = requireContact(db, contactId(id));
          const versions = contactVersions(db, c.id);
          if (ctx.json) return printJson(ctx.io, { ...contactJson(c), versions: versions.map(contactJson) });
          printFields(ctx.io, [
            [t('dunning.col.contact'), `#${c.id}${c.supersededById !== null ? t('dunning.calllog.replacedBy', { id: c.supersededById }) : ''}`],
            [t('dunning.col.client'), c.clientCode],
            [t('dunning.col.when'), shortTime(c.at) + ` (${c.at.slice(19)})`],
            [t('dunning.col.channel'), c.channel],
            [t('dunning.col.with'), c.withWhom],
            [t('dunning.col.invoices'), c.documents.map((d) => d.number).join(', ')],
            [t('dunning.col.outcome'), c.outcome],
            [t('dunning.col.promise'), promiseText(db, c)],
            [t('dunning.col.dispute'), c.disputeReason],
            [t('dunning.col.nextAction'), c.nextActionDate],
            [t('dunning.col.logged'), c.createdAt],
          ]);
          if (versions.length > 1) {
            ctx.io.out(`\n${t('dunning.calllog.versions')}\n`);
            printTable(
              ctx.io,
              ['id', t('dunning.col.logged'), t('dunning.col.when'), t('dunning.col.outcome'), t('dunning.col.promise'), t('dunning.col.next')],
              versions.map((v) => [v.id === c.id ? `${v.id} *` : v.id, v.createdAt, shortTime(v.at), v.outcome, promiseText(db, v), v.nextActionDate]),
            );
          }
        }),
      ),
    ['relance call-log show 12', 'relance call-log show 12 --json'],
  );

  examples(
    contactOptions(
      log.command('edit').argument('<id>', t('dunning.calllog.edit.arg')).description(t('dunning.calllog.edit.description')),
      true,
    ).action(
      app.act((ctx, id: string, o: ContactOptions) => {
        const db = ctx.db();
        const old = requireContact(db, contactId(id));
        const given = Object.values(o).some((v) => v !== undefined);
        if (!given) throw new UsageError(t('dunning.calllog.err.nothingToChange', { id: old.id }));
        const client = requireClient(db, old.clientCode);
        const { fields } = resolve(db, ctx.io, client, o, old);
        const c = write(db, () => supersedeContact(db, old.id, fields, timestamp(ctx.io.now())));
        if (ctx.json) return printJson(ctx.io, contactJson(c));
        if (!ctx.quiet) ctx.io.out(t('dunning.calllog.edited', { id: old.id, other: c.id }) + `${effects(db, c)}\n`);
      }),
    ),
    ['relance call-log edit 12 --promise 2026-03-13', 'relance call-log edit 12 --outcome "will pay half now, half on the 30th" --promise-amount 600', 'relance call-log edit 12 --next ""'],
  );
}

function contactId(text: string): number {
  const s = text.trim().replace(/^#/, '');
  if (!/^\d+$/.test(s)) throw new UsageError(t('dunning.calllog.err.notNumber', { text }));
  return Number(s);
}
