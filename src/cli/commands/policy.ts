/**
 * relance policy show | set: the dunning levels (dunning.md), for the ledger or one client.
 * The ledger's policy is stored as JSON under the settings key 'policy'; a client's override in
 * clients.policy_json holds only what differs (levels, minimum amount, catch-up, grace, deadline).
 */
import type { Command } from 'commander';
import { numberText } from '../../core/numbers.js';
import * as z from 'zod/mini';
import { CHANNELS, DEFAULT_POLICY, checkPolicy, mergePolicy, type Channel, type Policy, type PolicyLevel, type PolicyOverride } from '../../core/dunning.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney, parseAmount } from '../../core/money.js';
import { requireClient } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { getPolicy, parseOverride, putClientOverride, putPolicy, POLICY_KEY } from '../../store/reminders.js';
import { getSetting, putJson } from '../../store/settings.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';

const INT = (what: string, min: number, max: number) =>
  numberText(what).check(z.int(`${what}: a whole number`), z.minimum(min, `at least ${min}`), z.maximum(max, `at most ${max}`));

interface SetOptions {
  client?: string;
  level?: string;
  name?: string;
  offset?: string;
  channels?: string;
  template?: string;
  minInterval?: string;
  penalties?: boolean;
  indemnity?: boolean;
  minAmount?: string;
  catchUp?: boolean;
  promiseGrace?: string;
  noticeDays?: string;
  removeLevel?: string;
  reset?: boolean;
  attach?: boolean;
}

function policyJson(p: Policy) {
  return {
    levels: p.levels.map((l) => ({ ...l })),
    minAmount: centsToDecimal(p.minAmount),
    catchUp: p.catchUp,
    promiseGraceDays: p.promiseGraceDays,
    noticeDays: p.noticeDays,
    attachInvoices: p.attachInvoices,
  };
}

function parseChannels(text: string): Channel[] {
  const list = text.split(/[,+\s]+/).filter(Boolean);
  for (const c of list) if (!(CHANNELS as readonly string[]).includes(c)) throw new UsageError(`--channels: "${c}" is not a channel; use some of ${CHANNELS.join(', ')}, e.g. --channels letter,email`);
  if (list.length === 0) throw new UsageError('--channels: give at least one channel, e.g. --channels email');
  return [...new Set(list)] as Channel[];
}

export function registerPolicy(program: Command, app: App): void {
  const policy = program.command('policy').description('show and change the dunning policy (levels, offsets, channels, templates)').summary('the dunning levels, offsets and channels');
  examples(policy, ['relance policy show', 'relance policy set --level 3 --offset 25', 'relance policy set --client ACME --min-amount 50']);

  examples(
    policy
      .command('show')
      .description("show the ledger's policy, or a client's (with its override)")
      .option('--client <code>', 'the policy that applies to this client')
      .action(
        app.act((ctx, o: { client?: string }) => {
          const db = ctx.db();
          const base = getPolicy(db);
          let p = base;
          let override: PolicyOverride | null = null;
          if (o.client) {
            const c = requireClient(db, o.client);
            override = parseOverride(c.policyJson);
            p = checkPolicy(mergePolicy(base, override), `the policy of ${c.code}`);
          }
          if (ctx.json) return printJson(ctx.io, { ...policyJson(p), client: o.client ?? null, override });
          printTable(
            ctx.io,
            ['level', 'name', 'offset', 'channels', 'template', 'penalties', 'indemnity', 'min interval'],
            p.levels.map((l) => [l.level, l.name, `${l.offsetDays > 0 ? '+' : ''}${l.offsetDays} d`, l.channels.join(' + '), l.template, l.claimsPenalties ? 'yes' : 'no', l.claimsIndemnity ? 'yes' : 'no', `${l.minIntervalDays} d`]),
            { right: [0, 2, 7] },
          );
          ctx.io.out(
            `minimum amount: ${formatMoney(p.minAmount, 'EUR', 'en')} · catch-up: ${p.catchUp ? 'yes (straight to the highest level due)' : 'no (one level per run)'} · promise grace: ${p.promiseGraceDays} d · formal notice deadline: ${p.noticeDays} d · invoice PDFs attached: ${p.attachInvoices ? 'yes' : 'no'}\n`,
          );
          if (o.client) ctx.io.out(override ? `client ${o.client} overrides: ${Object.keys(override).join(', ')}\n` : `client ${o.client} follows the ledger's policy\n`);
        }),
      ),
    ['relance policy show', 'relance policy show --client ACME', 'relance policy show --json'],
  );

  examples(
    policy
      .command('set')
      .description("change the ledger's policy, or a client's override with --client")
      .option('--client <code>', "change this client's override instead of the ledger's policy")
      .option('--level <n>', 'the level to change (or to add, with --offset, --channels, --template and --name)')
      .option('--name <text>', 'name of the level')
      .option('--offset <days>', 'days from the due date (negative: before it)')
      .option('--channels <list>', `comma-separated: ${CHANNELS.join(', ')}`)
      .option('--template <name>', 'template file name under templates/<lang>/<channel>/ (without .hbs)')
      .option('--min-interval <days>', 'minimum days since the previous reminder of the invoice')
      .option('--penalties', 'the level claims late-payment penalties')
      .option('--no-penalties', 'the level does not claim penalties')
      .option('--indemnity', 'the level claims the 40 EUR recovery indemnity')
      .option('--no-indemnity', 'the level does not claim the indemnity')
      .option('--remove-level <n>', 'remove a level')
      .option('--min-amount <amount>', 'do not remind invoices whose balance is below this')
      .option('--catch-up', 'after a long pause, go straight to the highest level due')
      .option('--no-catch-up', 'one level per run (the default)')
      .option('--promise-grace <days>', 'days a promise to pay keeps holding reminders after its date')
      .option('--notice-days <days>', 'deadline given by the formal notice (default 8)')
      .option('--attach', 'attach the PDF of each invoice an email lists (the default)')
      .option('--no-attach', 'send reminder emails without the invoice PDFs')
      .option('--reset', "back to the defaults (with --client: drop the client's override)")
      .action(
        app.act(async (ctx, o: SetOptions) => {
          const db = ctx.db();
          const client = o.client ? requireClient(db, o.client) : null;
          const base = getPolicy(db);
          const levelFlags = [o.name, o.offset, o.channels, o.template, o.minInterval, o.penalties, o.indemnity].some((v) => v !== undefined);
          const anything = levelFlags || [o.removeLevel, o.minAmount, o.catchUp, o.promiseGrace, o.noticeDays, o.reset, o.attach].some((v) => v !== undefined);
          if (!anything) throw new UsageError('nothing to change; give at least one option, see "relance policy set --help"');
          if (levelFlags && o.level === undefined) throw new UsageError('--name, --offset, --channels, --template, --min-interval, --penalties and --indemnity change one level: add --level N');
          if (o.reset && (levelFlags || o.removeLevel !== undefined || o.minAmount !== undefined)) throw new UsageError('--reset goes alone; run it first, then set what you want');

          let override: PolicyOverride = client ? (parseOverride(client.policyJson) ?? {}) : {};
          let p: Policy = client ? mergePolicy(base, override) : base;
          if (o.reset) {
            write(db, () => (client ? putClientOverride(db, client.id, null) : putJson(db, POLICY_KEY, DEFAULT_POLICY)));
            if (!ctx.quiet && !ctx.json) ctx.io.out(client ? `Client ${client.code} follows the ledger's policy again.\n` : 'Policy reset to the defaults.\n');
            if (ctx.json) printJson(ctx.io, policyJson(client ? base : DEFAULT_POLICY));
            return;
          }
          let levels = p.levels.map((l) => ({ ...l, channels: [...l.channels] }));
          const levelsChanged = levelFlags || o.removeLevel !== undefined;
          if (o.removeLevel !== undefined) {
            const n = validate(INT('a level', 0, 9), o.removeLevel, '--remove-level');
            if (!levels.some((l) => l.level === n)) throw new UsageError(`--remove-level ${n}: no such level; see "relance policy show"`);
            levels = levels.filter((l) => l.level !== n);
          }
          if (o.level !== undefined) {
            const n = validate(INT('a level', 0, 9), o.level, '--level');
            let l: PolicyLevel | undefined = levels.find((x) => x.level === n);
            if (!l) {
              if (o.offset === undefined || o.channels === undefined || o.template === undefined || o.name === undefined) {
                throw new UsageError(`level ${n} does not exist; to add it give --name, --offset, --channels and --template`);
              }
              l = { level: n, name: '', offsetDays: 0, channels: ['email'], template: '', claimsPenalties: false, claimsIndemnity: false, minIntervalDays: 0 };
              levels.push(l);
            }
            if (o.name !== undefined) {
              if (o.name.trim() === '') throw new UsageError('--name cannot be empty');
              l.name = o.name.trim();
            }
            if (o.offset !== undefined) l.offsetDays = validate(INT('days', -365, 3650), o.offset, '--offset');
            if (o.channels !== undefined) l.channels = parseChannels(o.channels);
            if (o.template !== undefined) l.template = o.template;
            if (o.minInterval !== undefined) l.minIntervalDays = validate(INT('days', 0, 365), o.minInterval, '--min-interval');
            if (o.penalties !== undefined) l.claimsPenalties = o.penalties;
            if (o.indemnity !== undefined) l.claimsIndemnity = o.indemnity;
          }
          const changes: PolicyOverride = {};
          if (levelsChanged) changes.levels = levels;
          if (o.minAmount !== undefined) {
            const cents = parseAmount(o.minAmount, '--min-amount');
            if (cents < 0) throw new UsageError('--min-amount cannot be negative');
            changes.minAmount = cents;
          }
          if (o.catchUp !== undefined) changes.catchUp = o.catchUp;
          if (o.attach !== undefined) changes.attachInvoices = o.attach;
          if (o.promiseGrace !== undefined) changes.promiseGraceDays = validate(INT('days', 0, 365), o.promiseGrace, '--promise-grace');
          if (o.noticeDays !== undefined) changes.noticeDays = validate(INT('days', 1, 365), o.noticeDays, '--notice-days');
          p = checkPolicy({ ...p, ...changes, levels: changes.levels ?? p.levels });
          if (changes.levels && o.level !== undefined) {
            const n = Number(o.level);
            const tc = await import('../../render/template-check.js');
            tc.requireTemplates(p.levels.filter((x) => x.level === n), tc.templatesFolderOf(ctx.ledgerPath().file, getSetting(db, 'paths.templates')));
          }
          if (client) {
            override = { ...override, ...changes };
            if (changes.levels) override.levels = p.levels;
            const finalOverride = override;
            write(db, () => putClientOverride(db, client.id, finalOverride));
          } else {
            const finalPolicy = p;
            write(db, () => putPolicy(db, finalPolicy));
          }
          if (ctx.json) printJson(ctx.io, policyJson(p));
          else if (!ctx.quiet) ctx.io.out(`Policy ${client ? `of client ${client.code} ` : ''}updated; see it with "relance policy show${client ? ` --client ${client.code}` : ''}".\n`);
        }),
      ),
    [
      'relance policy set --level 3 --offset 25 --min-interval 7',
      'relance policy set --level 2 --channels email,call --penalties',
      'relance policy set --min-amount 20 --catch-up',
      'relance policy set --client ACME --level 1 --offset 10',
      'relance policy set --client ACME --reset',
      'relance policy set --level 5 --name "rappel final" --offset 60 --channels letter --template formal-notice',
    ],
  );
}
