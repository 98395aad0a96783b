/** relance client add | list | show | edit: the people and companies who owe the business money. */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { CLIENT_CODE, CLIENT_EMAIL, CLIENT_LANG, CLIENT_SIREN, CLIENT_TERMS, CLIENT_VAT } from '../../core/client-checks.js';
import { insertClient, listClients, requireClient, setArchived, updateClient, type Client, type ClientFields } from '../../store/clients.js';
import { timestamp, write } from '../../store/db.js';
import { getSettings, TERMS_KINDS } from '../../store/settings.js';
import { addressLines, examples, validate, type App } from '../app.js';
import { printFields, printJson, printTable } from '../../render/output.js';
import { t, tn } from '../../i18n/index.js';
import { money } from '../../render/format.js';

interface ClientOptions {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
  billingAddress?: string;
  deliveryAddress?: string;
  contact?: string;
  siren?: string;
  vatNumber?: string;
  lang?: string;
  b2c?: boolean;
  b2b?: boolean;
  terms?: string;
  termsKind?: string;
  poRequired?: boolean;
  billingNote?: string;
  pauseUntil?: string;
  stopWork?: boolean;
  notes?: string;
}

const CODE = CLIENT_CODE;
const EMAIL = CLIENT_EMAIL;
const SIREN = CLIENT_SIREN;
const VAT = CLIENT_VAT;
const TERMS = CLIENT_TERMS;

/** "" clears an optional text field on edit. */
const orNull = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());

/** Turn command-line options into validated client fields (only those given). */
function fieldsFrom(o: ClientOptions): Partial<ClientFields> {
  if (o.b2b && o.b2c) throw new UsageError(t('documents.client.b2bAndB2c'));
  const f: Partial<ClientFields> = {};
  if (o.name !== undefined) {
    if (o.name.trim() === '') throw new UsageError(t('documents.client.emptyName'));
    f.name = o.name.trim();
  }
  const email = orNull(o.email);
  if (email !== undefined) f.email = email === null ? null : validate(EMAIL, email, '--email');
  const siren = orNull(o.siren);
  if (siren !== undefined) f.siren = siren === null ? null : validate(SIREN, siren, '--siren');
  const vat = orNull(o.vatNumber);
  if (vat !== undefined) f.vatNumber = vat === null ? null : validate(VAT, vat, '--vat-number');
  if (o.phone !== undefined) f.phone = orNull(o.phone);
  if (o.address !== undefined) f.address = orNull(o.address) === null ? null : addressLines(o.address);
  if (o.billingAddress !== undefined) f.billingAddress = orNull(o.billingAddress) === null ? null : addressLines(o.billingAddress);
  if (o.deliveryAddress !== undefined) f.deliveryAddress = orNull(o.deliveryAddress) === null ? null : addressLines(o.deliveryAddress);
  if (o.contact !== undefined) f.contactName = orNull(o.contact);
  if (o.lang !== undefined) f.lang = validate(CLIENT_LANG, o.lang, '--lang');
  if (o.b2c) f.kind = 'b2c';
  if (o.b2b) f.kind = 'b2b';
  if (o.terms !== undefined) f.termsDays = orNull(o.terms) === null ? null : validate(TERMS, o.terms, '--terms');
  if (o.termsKind !== undefined) f.termsKind = orNull(o.termsKind) === null ? null : validate(z.enum(TERMS_KINDS, TERMS_KINDS.join(', ')), o.termsKind, '--terms-kind');
  if (o.poRequired !== undefined) f.poRequired = o.poRequired;
  if (o.billingNote !== undefined) f.billingNote = orNull(o.billingNote);
  if (o.pauseUntil !== undefined) f.pausedUntil = orNull(o.pauseUntil) === null ? null : parseDate(o.pauseUntil, '--pause-until');
  if (o.stopWork !== undefined) f.stopWork = o.stopWork;
  if (o.notes !== undefined) f.notes = orNull(o.notes);
  return f;
}

/** The VAT number's country format and check key (core/identifiers.ts, loaded only when one is given). */
async function checkedVat(f: Partial<ClientFields>): Promise<Partial<ClientFields>> {
  if (f.vatNumber) f.vatNumber = (await import('../../core/identifiers.js')).checkVatNumber(f.vatNumber, '--vat-number');
  return f;
}

function withFieldOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', t('documents.client.opt.name'))
    .option('--email <email>', t('documents.client.opt.email'))
    .option('--phone <phone>', t('documents.client.opt.phone'))
    .option('--address <text>', t('documents.client.opt.address'))
    .option('--billing-address <text>', t('documents.client.opt.billingAddress'))
    .option('--delivery-address <text>', t('documents.client.opt.deliveryAddress'))
    .option('--contact <name>', t('documents.client.opt.contact'))
    .option('--siren <siren>', t('documents.client.opt.siren'))
    .option('--vat-number <vat>', t('documents.client.opt.vatNumber'))
    .option('--lang <fr|en>', t('documents.client.opt.lang'))
    .option('--b2c', t('documents.client.opt.b2c'))
    .option('--b2b', t('documents.client.opt.b2b'))
    .option('--terms <days>', t('documents.client.opt.terms'))
    .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
    .option('--po-required', t('documents.client.opt.poRequired'))
    .option('--no-po-required', t('documents.client.opt.noPoRequired'))
    .option('--billing-note <text>', t('documents.client.opt.billingNote'))
    .option('--pause-until <date>', t('documents.client.opt.pauseUntil'))
    .option('--stop-work', t('documents.client.opt.stopWork'))
    .option('--no-stop-work', t('documents.client.opt.noStopWork'))
    .option('--notes <text>', t('documents.client.opt.notes'));
}

export function clientJson(c: Client) {
  const { policyJson, ...rest } = c;
  return { ...rest, policy: policyJson ? JSON.parse(policyJson) : null };
}

export function registerClient(program: Command, app: App): void {
  const client = program.command('client').description(t('documents.client.summary')).summary(t('documents.client.summary'));
  examples(client, ['relance client add ACME --name "ACME SAS" --email ap@acme.fr --terms 45', 'relance client list', 'relance client show ACME --json']);

  examples(
    withFieldOptions(
      client.command('add').argument('<code>', t('documents.client.argCode')).description(t('documents.client.add.description')),
    ).action(
      app.act(async (ctx, code: string, o: ClientOptions) => {
        validate(CODE, code, t('documents.client.codeWhat'));
        if (o.name === undefined) throw new UsageError(t('documents.client.missingName', { code }));
        const fields = await checkedVat(fieldsFrom(o));
        const db = ctx.db();
        const created = write(db, () => insertClient(db, code, fields as ClientFields, timestamp(ctx.io.now())));
        if (ctx.json) printJson(ctx.io, clientJson(created));
        else if (!ctx.quiet) ctx.io.out(`${t('documents.client.added', { code: created.code, name: created.name })}\n`);
      }),
    ),
    [
      'relance client add ACME --name "ACME SAS" --email ap@acme.fr --siren 732829320 --address "1 rue de la Paix;75002 Paris"',
      'relance client add DUPONT --name "Jean Dupont" --b2c --email jean@exemple.fr --lang fr',
      'relance client add GLOBEX --name "Globex Ltd" --lang en --terms 60 --po-required --billing-note "Upload to the Coupa portal"',
    ],
  );

  examples(
    client
      .command('list')
      .description(t('documents.client.list.description'))
      .option('--archived', t('documents.client.opt.archived'))
      .option('--all', t('documents.client.opt.all'))
      .action(
        app.act((ctx, o: { archived?: boolean; all?: boolean }) => {
          const clients = listClients(ctx.db(), o.all ? 'all' : o.archived ? 'archived' : 'active');
          if (ctx.json) return printJson(ctx.io, clients.map(clientJson));
          if (clients.length === 0) {
            const archived = o.archived || o.all ? 0 : listClients(ctx.db(), 'archived').length;
            ctx.io.err(
              `${o.archived ? t('documents.client.noArchived') : archived ? t('documents.client.noActive', { n: archived }) : t('documents.client.none')}\n`,
            );
            return;
          }
          const settings = getSettings(ctx.db());
          printTable(
            ctx.io,
            (['code', 'name', 'email', 'kind', 'terms', 'flags'] as const).map((h) => t(`documents.client.col.${h}`)),
            clients.map((c) => [
              c.code,
              c.name,
              c.email,
              c.kind,
              t('documents.client.termsCell', { days: c.termsDays ?? settings['terms.days'], kind: c.termsKind ?? settings['terms.kind'] }),
              [c.archivedOn ? t('documents.client.flag.archived', { date: c.archivedOn }) : '', c.stopWork ? t('documents.client.flag.stopWork') : '', c.pausedUntil ? t('documents.client.flag.paused', { date: c.pausedUntil }) : '', c.poRequired ? t('documents.client.flag.po') : ''].filter(Boolean).join(', '),
            ]),
          );
        }),
      ),
    ['relance client list', 'relance client list --json --ledger dupont', 'relance client list --archived'],
  );

  examples(
    client
      .command('show')
      .argument('<code>', t('documents.client.argClientCode'))
      .description(t('documents.client.show.description'))
      .option('--history', t('documents.client.opt.history'))
      .option('--as-of <date>', t('documents.client.opt.asOf'))
      .action(
        app.act(async (ctx, code: string, o: { history?: boolean; asOf?: string }) => {
          const c = requireClient(ctx.db(), code);
          if (o.history) return (await import('../../reports/history.js')).showHistory(ctx.db(), ctx.io, ctx, c);
          const receivables = (await import('../../reports/overdue.js')).clientReceivables(ctx.db(), c.id, ctx.asOf(o.asOf));
          if (ctx.json) return printJson(ctx.io, { ...clientJson(c), ...receivables.json });
          printFields(ctx.io, [
            ...(
              [
                ['code', c.code],
                ['name', c.name],
                ['kind', t(c.kind === 'b2b' ? 'documents.client.kind.b2b' : 'documents.client.kind.b2c')],
                ['email', c.email],
                ['phone', c.phone],
                ['address', c.address],
                ['billingAddress', c.billingAddress],
                ['deliveryAddress', c.deliveryAddress],
                ['contact', c.contactName],
                ['siren', c.siren],
                ['vatNumber', c.vatNumber],
                ['language', c.lang],
                ['terms', c.termsDays === null ? t('documents.client.termsDefault') : t('documents.client.termsDays', { days: c.termsDays, kind: c.termsKind ?? '' }).trim()],
                ['poRequired', c.poRequired ? t('documents.client.yes') : null],
                ['billingNote', c.billingNote],
                ['pausedUntil', c.pausedUntil],
                ['stopWork', c.stopWork ? t('documents.client.yes') : null],
                ['notes', c.notes],
                ['archivedOn', c.archivedOn],
              ] as const
            ).map(([k, v]): [string, string | null] => [t(`documents.client.field.${k}`), v]),
            ...receivables.fields,
          ]);
        }),
      ),
    ['relance client show ACME', 'relance client show ACME --json', 'relance client show ACME --history'],
  );

  examples(
    withFieldOptions(client.command('edit').argument('<code>', t('documents.client.argClientCode')).description(t('documents.client.edit.description'))).action(
      app.act(async (ctx, code: string, o: ClientOptions) => {
        const fields = await checkedVat(fieldsFrom(o));
        if (Object.keys(fields).length === 0) throw new UsageError(t('documents.client.nothingToChange', { code }));
        const db = ctx.db();
        const updated = write(db, () => updateClient(db, requireClient(db, code).id, fields));
        if (ctx.json) printJson(ctx.io, clientJson(updated));
        else if (!ctx.quiet) ctx.io.out(`${t('documents.client.updated', { code: updated.code })}\n`);
      }),
    ),
    ['relance client edit ACME --email compta@acme.fr', 'relance client edit ACME --pause-until 2026-12-15', 'relance client edit ACME --phone ""'],
  );

  examples(
    client
      .command('archive')
      .argument('<code>', t('documents.client.argClientCode'))
      .description(t('documents.client.archive.description'))
      .option('--date <date>', t('documents.client.opt.archiveDate'))
      .action(
        app.act(async (ctx, code: string, o: { date?: string }) => {
          const db = ctx.db();
          const today = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          // Loaded here: the other client commands start without the balances and documents stores.
          const [{ clientBalances }, { documentRef, listDocuments }] = await Promise.all([
            import('../../store/balances.js'),
            import('../../store/documents.js'),
          ]);
          let already = false;
          const c = write(db, () => {
            const c = requireClient(db, code);
            if (c.archivedOn !== null) {
              already = true;
              return c;
            }
            // Everything recorded, even dated after today: an account with anything left open stays.
            const open = clientBalances(db, { asOf: '9999-12-31', clientId: c.id }).filter((b) => b.balance !== 0);
            if (open.length) {
              const owes = open.filter((b) => b.balance > 0).map((b) => money(b.balance, b.currency));
              const owed = open.filter((b) => b.balance < 0).map((b) => money(-b.balance, b.currency));
              const why = [owes.length ? t('documents.client.owes', { amount: owes.join(' + ') }) : '', owed.length ? t('documents.client.inCredit', { amount: owed.join(' + ') }) : ''];
              throw new UsageError(t('documents.client.cannotArchiveBalance', { code: c.code, why: why.filter(Boolean).join(t('documents.client.and')) }));
            }
            // A draft would become an invoice of an archived client once issued.
            const drafts = listDocuments(db, { clientId: c.id, issued: false }).map(documentRef);
            if (drafts.length) throw new UsageError(tn('documents.client.cannotArchiveDrafts', drafts.length, { code: c.code, drafts: drafts.join(', '), first: drafts[0] }));
            return setArchived(db, c.id, today);
          });
          if (ctx.json) printJson(ctx.io, clientJson(c));
          else if (!ctx.quiet) ctx.io.out(`${!already ? t('documents.client.archived', { code: c.code, name: c.name }) : t('documents.client.alreadyArchived', { code: c.code, date: c.archivedOn })}\n`);
        }),
      ),
    ['relance client archive ACME', 'relance client archive ACME --date 2026-12-31', 'relance client list --archived'],
  );

  examples(
    client
      .command('unarchive')
      .argument('<code>', t('documents.client.argArchived'))
      .description(t('documents.client.unarchive.description'))
      .action(
        app.act((ctx, code: string) => {
          const db = ctx.db();
          const before = requireClient(db, code);
          const c = before.archivedOn === null ? before : write(db, () => setArchived(db, before.id, null));
          if (ctx.json) printJson(ctx.io, clientJson(c));
          else if (!ctx.quiet) ctx.io.out(`${before.archivedOn === null ? t('documents.client.notArchived', { code: c.code }) : t('documents.client.unarchived', { code: c.code, name: c.name })}\n`);
        }),
      ),
    ['relance client unarchive ACME'],
  );
}
