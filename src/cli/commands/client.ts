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
  if (o.b2b && o.b2c) throw new UsageError('--b2b and --b2c contradict each other; give one');
  const f: Partial<ClientFields> = {};
  if (o.name !== undefined) {
    if (o.name.trim() === '') throw new UsageError('--name: the name cannot be empty');
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
    .option('--name <name>', 'company or person name')
    .option('--email <email>', 'where reminders go')
    .option('--phone <phone>', 'phone number, for calls')
    .option('--address <text>', 'postal address, lines separated by ";"')
    .option('--billing-address <text>', 'where invoices go, when different')
    .option('--delivery-address <text>', 'where goods or services are delivered, when not the billing address (printed on invoices)')
    .option('--contact <name>', 'to whom invoices go; a civility first greets by name in letters (e.g. "Mme Claire Martin", or "Service comptabilite")')
    .option('--siren <siren>', 'SIREN, 9 digits (checked)')
    .option('--vat-number <vat>', 'intra-EU VAT number')
    .option('--lang <fr|en>', 'language of documents and reminders')
    .option('--b2c', 'a consumer: no 40 EUR indemnity, legal interest only after formal notice')
    .option('--b2b', 'a professional (the default)')
    .option('--terms <days>', 'payment terms in days (default: the ledger\'s)')
    .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
    .option('--po-required', 'invoices need the client\'s purchase-order number')
    .option('--no-po-required', 'invoices need no purchase-order number')
    .option('--billing-note <text>', 'billing instructions (portal, address, person)')
    .option('--pause-until <date>', 'no reminders up to and including this date ("" to resume)')
    .option('--stop-work', 'put the client on "stop work"')
    .option('--no-stop-work', 'lift "stop work"')
    .option('--notes <text>', 'free notes');
}

export function clientJson(c: Client) {
  const { policyJson, ...rest } = c;
  return { ...rest, policy: policyJson ? JSON.parse(policyJson) : null };
}

export function registerClient(program: Command, app: App): void {
  const client = program.command('client').description('add, list, show and edit clients').summary('add, list, show and edit clients');
  examples(client, ['relance client add ACME --name "ACME SAS" --email ap@acme.fr --terms 45', 'relance client list', 'relance client show ACME --json']);

  examples(
    withFieldOptions(
      client.command('add').argument('<code>', 'a short unique code, e.g. ACME').description('add a client'),
    ).action(
      app.act(async (ctx, code: string, o: ClientOptions) => {
        validate(CODE, code, 'client code');
        if (o.name === undefined) throw new UsageError(`missing --name for client ${code}; e.g. relance client add ${code} --name "ACME SAS"`);
        const fields = await checkedVat(fieldsFrom(o));
        const db = ctx.db();
        const created = write(db, () => insertClient(db, code, fields as ClientFields, timestamp(ctx.io.now())));
        if (ctx.json) printJson(ctx.io, clientJson(created));
        else if (!ctx.quiet) ctx.io.out(`Added client ${created.code} (${created.name})\n`);
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
      .description('list clients (archived ones only with --archived or --all)')
      .option('--archived', 'only the archived clients')
      .option('--all', 'active and archived clients')
      .action(
        app.act((ctx, o: { archived?: boolean; all?: boolean }) => {
          const clients = listClients(ctx.db(), o.all ? 'all' : o.archived ? 'archived' : 'active');
          if (ctx.json) return printJson(ctx.io, clients.map(clientJson));
          if (clients.length === 0) {
            const archived = o.archived || o.all ? 0 : listClients(ctx.db(), 'archived').length;
            ctx.io.err(
              o.archived
                ? 'no archived clients\n'
                : archived
                  ? `no active clients (${archived} archived: see them with "relance client list --archived")\n`
                  : 'no clients yet; add one with "relance client add CODE --name ..."\n',
            );
            return;
          }
          const settings = getSettings(ctx.db());
          printTable(
            ctx.io,
            ['code', 'name', 'email', 'kind', 'terms', 'flags'],
            clients.map((c) => [
              c.code,
              c.name,
              c.email,
              c.kind,
              `${c.termsDays ?? settings['terms.days']} d ${c.termsKind ?? settings['terms.kind']}`,
              [c.archivedOn ? `archived ${c.archivedOn}` : '', c.stopWork ? 'stop-work' : '', c.pausedUntil ? `paused to ${c.pausedUntil}` : '', c.poRequired ? 'PO' : ''].filter(Boolean).join(', '),
            ]),
          );
        }),
      ),
    ['relance client list', 'relance client list --json --ledger dupont', 'relance client list --archived'],
  );

  examples(
    client
      .command('show')
      .argument('<code>', 'client code')
      .description('show one client')
      .option('--history', 'quotes, invoices, payments, reminders, calls and letters, in date order')
      .option('--as-of <date>', 'balance, DSO and average days late as of this date (default: today)')
      .action(
        app.act(async (ctx, code: string, o: { history?: boolean; asOf?: string }) => {
          const c = requireClient(ctx.db(), code);
          if (o.history) return (await import('../../reports/history.js')).showHistory(ctx.db(), ctx.io, ctx, c);
          const receivables = (await import('../../reports/overdue.js')).clientReceivables(ctx.db(), c.id, ctx.asOf(o.asOf));
          if (ctx.json) return printJson(ctx.io, { ...clientJson(c), ...receivables.json });
          printFields(ctx.io, [
            ['code', c.code],
            ['name', c.name],
            ['kind', c.kind === 'b2b' ? 'professional (b2b)' : 'consumer (b2c)'],
            ['email', c.email],
            ['phone', c.phone],
            ['address', c.address],
            ['billing address', c.billingAddress],
            ['delivery address', c.deliveryAddress],
            ['contact', c.contactName],
            ['SIREN', c.siren],
            ['VAT number', c.vatNumber],
            ['language', c.lang],
            ['terms', c.termsDays === null ? "ledger's default" : `${c.termsDays} days ${c.termsKind ?? ''}`.trim()],
            ['PO required', c.poRequired ? 'yes' : null],
            ['billing note', c.billingNote],
            ['paused until', c.pausedUntil],
            ['stop work', c.stopWork ? 'yes' : null],
            ['notes', c.notes],
            ['archived on', c.archivedOn],
            ...receivables.fields,
          ]);
        }),
      ),
    ['relance client show ACME', 'relance client show ACME --json', 'relance client show ACME --history'],
  );

  examples(
    withFieldOptions(client.command('edit').argument('<code>', 'client code').description('change a client; "" clears a field')).action(
      app.act(async (ctx, code: string, o: ClientOptions) => {
        const fields = await checkedVat(fieldsFrom(o));
        if (Object.keys(fields).length === 0) throw new UsageError(`nothing to change for ${code}; give at least one option, see "relance client edit --help"`);
        const db = ctx.db();
        const updated = write(db, () => updateClient(db, requireClient(db, code).id, fields));
        if (ctx.json) printJson(ctx.io, clientJson(updated));
        else if (!ctx.quiet) ctx.io.out(`Updated client ${updated.code}\n`);
      }),
    ),
    ['relance client edit ACME --email compta@acme.fr', 'relance client edit ACME --pause-until 2026-12-15', 'relance client edit ACME --phone ""'],
  );

  examples(
    client
      .command('archive')
      .argument('<code>', 'client code')
      .description('archive a client that owes nothing and is owed nothing: it leaves lists, and gets no new documents until unarchived')
      .option('--date <date>', 'the day it is archived (default: today)')
      .action(
        app.act(async (ctx, code: string, o: { date?: string }) => {
          const db = ctx.db();
          const today = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          // Loaded here: the other client commands start without the balances and documents stores.
          const [{ formatMoney }, { clientBalances }, { documentRef, listDocuments }] = await Promise.all([
            import('../../core/money.js'),
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
              const owes = open.filter((b) => b.balance > 0).map((b) => formatMoney(b.balance, b.currency, 'en'));
              const owed = open.filter((b) => b.balance < 0).map((b) => formatMoney(-b.balance, b.currency, 'en'));
              throw new UsageError(
                `client ${c.code} cannot be archived: ${[owes.length ? `it owes ${owes.join(' + ')}` : '', owed.length ? `it has ${owed.join(' + ')} in credit` : ''].filter(Boolean).join(' and ')}; see "relance statement ${c.code}", settle it first`,
              );
            }
            // A draft would become an invoice of an archived client once issued.
            const drafts = listDocuments(db, { clientId: c.id, issued: false }).map(documentRef);
            if (drafts.length) throw new UsageError(`client ${c.code} cannot be archived: it has ${drafts.length === 1 ? 'a draft invoice' : 'draft invoices'} (${drafts.join(', ')}); issue or delete ${drafts.length === 1 ? 'it' : 'them'} first ("relance invoice delete ${drafts[0]}")`);
            return setArchived(db, c.id, today);
          });
          if (ctx.json) printJson(ctx.io, clientJson(c));
          else if (!ctx.quiet) ctx.io.out(!already ? `Archived client ${c.code} (${c.name})\n` : `Client ${c.code} was already archived on ${c.archivedOn}\n`);
        }),
      ),
    ['relance client archive ACME', 'relance client archive ACME --date 2026-12-31', 'relance client list --archived'],
  );

  examples(
    client
      .command('unarchive')
      .argument('<code>', 'an archived client\'s code')
      .description('bring an archived client back into lists')
      .action(
        app.act((ctx, code: string) => {
          const db = ctx.db();
          const before = requireClient(db, code);
          const c = before.archivedOn === null ? before : write(db, () => setArchived(db, before.id, null));
          if (ctx.json) printJson(ctx.io, clientJson(c));
          else if (!ctx.quiet) ctx.io.out(before.archivedOn === null ? `Client ${c.code} is not archived\n` : `Unarchived client ${c.code} (${c.name})\n`);
        }),
      ),
    ['relance client unarchive ACME'],
  );
}
