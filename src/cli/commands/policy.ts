/**
 * relance policy show | set: the dunning levels (dunning.md), for the ledger or one client.
 * The ledger's policy is stored as JSON under the settings key 'policy'; a client's override in
 * clients.policy_json holds only what differs (levels, minimum amount, catch-up, grace, deadline).
 */
import { t } from '../../i18n/index.js';
import { canonical } from '../../core/vocabulary.js';
import { money } from '../../render/format.js';
import type { Command } from 'commander';
import { waitSeconds, wholeNumber } from '../../core/numbers.js';
import * as z from 'zod/mini';
import { CHANNELS, DEFAULT_POLICY, checkPolicy, mergePolicy, type Channel, type Policy, type PolicyLevel, type PolicyOverride } from '../../core/dunning.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, parseAmount } from '../../core/money.js';
import { requireClient } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { getPolicy, parseOverride, putClientOverride, putPolicy, POLICY_KEY } from '../../store/reminders.js';
import { getSetting, putJson } from '../../store/settings.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';

const INT = (what: string, min: number, max: number) => wholeNumber(what, min, max);

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
  const list = text.split(/[,+\s]+/).filter(Boolean).map((w) => canonical('channel', w));
  for (const c of list) if (!(CHANNELS as readonly string[]).includes(c)) throw new UsageError(t('dunning.policy.err.channel', { c, list: CHANNELS.join(', ') }));
  if (list.length === 0) throw new UsageError(t('dunning.policy.err.noChannel'));
  return [...new Set(list)] as Channel[];
}

export function registerPolicy(program: Command, app: App): void {
  const policy = program.command('policy').description(t('dunning.policy.description')).summary(t('dunning.policy.summary'));
  examples(policy, ['relance policy show', 'relance policy set --level 3 --offset 25', 'relance policy set --client ACME --min-amount 50']);

  examples(
    policy
      .command('show')
      .description(t('dunning.policy.show.description'))
      .option('--client <code>', t('dunning.policy.show.optClient'))
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
            [t('dunning.col.level'), t('dunning.col.name'), t('dunning.policy.col.offset'), t('dunning.policy.col.channels'), t('dunning.policy.col.template'), t('dunning.col.penalties'), t('dunning.col.indemnity'), t('dunning.policy.col.minInterval')],
            p.levels.map((l) => [l.level, l.name, t('dunning.policy.days', { n: `${l.offsetDays > 0 ? '+' : ''}${l.offsetDays}` }), l.channels.join(' + '), l.template, t(l.claimsPenalties ? 'dunning.yes' : 'dunning.no'), t(l.claimsIndemnity ? 'dunning.yes' : 'dunning.no'), t('dunning.policy.days', { n: l.minIntervalDays })]),
            { right: [0, 2, 7] },
          );
          ctx.io.out(
            t('dunning.policy.summaryLine', { min: money(p.minAmount, 'EUR'), catchUp: t(p.catchUp ? 'dunning.policy.catchUpYes' : 'dunning.policy.catchUpNo'), grace: p.promiseGraceDays, notice: p.noticeDays, attach: t(p.attachInvoices ? 'dunning.yes' : 'dunning.no') }) + '\n',
          );
          if (o.client) ctx.io.out((override ? t('dunning.policy.overrides', { client: o.client, keys: Object.keys(override).join(', ') }) : t('dunning.policy.follows', { client: o.client })) + '\n');
        }),
      ),
    ['relance policy show', 'relance policy show --client ACME', 'relance policy show --json'],
  );

  examples(
    policy
      .command('set')
      .description(t('dunning.policy.set.description'))
      .option('--client <code>', t('dunning.policy.set.optClient'))
      .option('--level <n>', t('dunning.policy.opt.level'))
      .option('--name <text>', t('dunning.policy.opt.name'))
      .option('--offset <days>', t('dunning.policy.opt.offset'))
      .option('--channels <list>', t('dunning.policy.opt.channels', { list: CHANNELS.join(', ') }))
      .option('--template <name>', t('dunning.policy.opt.template'))
      .option('--min-interval <days>', t('dunning.policy.opt.minInterval'))
      .option('--penalties', t('dunning.policy.opt.penalties'))
      .option('--no-penalties', t('dunning.policy.opt.noPenalties'))
      .option('--indemnity', t('dunning.policy.opt.indemnity'))
      .option('--no-indemnity', t('dunning.policy.opt.noIndemnity'))
      .option('--remove-level <n>', t('dunning.policy.opt.removeLevel'))
      .option('--min-amount <amount>', t('dunning.policy.opt.minAmount'))
      .option('--catch-up', t('dunning.policy.opt.catchUp'))
      .option('--no-catch-up', t('dunning.policy.opt.noCatchUp'))
      .option('--promise-grace <days>', t('dunning.policy.opt.promiseGrace'))
      .option('--notice-days <days>', t('dunning.policy.opt.noticeDays'))
      .option('--attach', t('dunning.policy.opt.attach'))
      .option('--no-attach', t('dunning.policy.opt.noAttach'))
      .option('--reset', t('dunning.policy.opt.reset'))
      .action(
        app.act(async (ctx, o: SetOptions) => {
          const db = ctx.db();
          const client = o.client ? requireClient(db, o.client) : null;
          const base = getPolicy(db);
          const levelFlags = [o.name, o.offset, o.channels, o.template, o.minInterval, o.penalties, o.indemnity].some((v) => v !== undefined);
          const anything = levelFlags || [o.removeLevel, o.minAmount, o.catchUp, o.promiseGrace, o.noticeDays, o.reset, o.attach].some((v) => v !== undefined);
          if (!anything) throw new UsageError(t('dunning.policy.err.nothing'));
          if (levelFlags && o.level === undefined) throw new UsageError(t('dunning.policy.err.needLevel'));
          if (o.reset && (levelFlags || o.removeLevel !== undefined || o.minAmount !== undefined)) throw new UsageError(t('dunning.policy.err.resetAlone'));

          let override: PolicyOverride = client ? (parseOverride(client.policyJson) ?? {}) : {};
          let p: Policy = client ? mergePolicy(base, override) : base;
          if (o.reset) {
            write(db, () => (client ? putClientOverride(db, client.id, null) : putJson(db, POLICY_KEY, DEFAULT_POLICY)));
            if (!ctx.quiet && !ctx.json) ctx.io.out((client ? t('dunning.policy.resetClient', { client: client.code }) : t('dunning.policy.resetDone')) + '\n');
            if (ctx.json) printJson(ctx.io, policyJson(client ? base : DEFAULT_POLICY));
            return;
          }
          let levels = p.levels.map((l) => ({ ...l, channels: [...l.channels] }));
          const levelsChanged = levelFlags || o.removeLevel !== undefined;
          if (o.removeLevel !== undefined) {
            const n = validate(INT(t('common.zod.level'), 0, 9), o.removeLevel, '--remove-level');
            if (!levels.some((l) => l.level === n)) throw new UsageError(t('dunning.policy.err.noLevel', { n }));
            levels = levels.filter((l) => l.level !== n);
          }
          if (o.level !== undefined) {
            const n = validate(INT(t('common.zod.level'), 0, 9), o.level, '--level');
            let l: PolicyLevel | undefined = levels.find((x) => x.level === n);
            if (!l) {
              if (o.offset === undefined || o.channels === undefined || o.template === undefined || o.name === undefined) {
                throw new UsageError(t('dunning.policy.err.addLevel', { n }));
              }
              l = { level: n, name: '', offsetDays: 0, channels: ['email'], template: '', claimsPenalties: false, claimsIndemnity: false, minIntervalDays: 0 };
              levels.push(l);
            }
            if (o.name !== undefined) {
              if (o.name.trim() === '') throw new UsageError(t('dunning.policy.err.emptyName'));
              l.name = o.name.trim();
            }
            if (o.offset !== undefined) l.offsetDays = validate(INT(t('common.zod.days'), -365, 3650), o.offset, '--offset');
            if (o.channels !== undefined) l.channels = parseChannels(o.channels);
            if (o.template !== undefined) l.template = o.template;
            if (o.minInterval !== undefined) l.minIntervalDays = validate(INT(t('common.zod.days'), 0, 365), o.minInterval, '--min-interval');
            if (o.penalties !== undefined) l.claimsPenalties = o.penalties;
            if (o.indemnity !== undefined) l.claimsIndemnity = o.indemnity;
          }
          const changes: PolicyOverride = {};
          if (levelsChanged) changes.levels = levels;
          if (o.minAmount !== undefined) {
            const cents = parseAmount(o.minAmount, '--min-amount');
            if (cents < 0) throw new UsageError(t('dunning.policy.err.negative'));
            changes.minAmount = cents;
          }
          if (o.catchUp !== undefined) changes.catchUp = o.catchUp;
          if (o.attach !== undefined) changes.attachInvoices = o.attach;
          if (o.promiseGrace !== undefined) changes.promiseGraceDays = validate(INT(t('common.zod.days'), 0, 365), o.promiseGrace, '--promise-grace');
          if (o.noticeDays !== undefined) changes.noticeDays = validate(INT(t('common.zod.days'), 1, 365), o.noticeDays, '--notice-days');
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
          else if (!ctx.quiet) ctx.io.out((client ? t('dunning.policy.updatedClient', { client: client.code }) : t('dunning.policy.updated')) + '\n');
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
