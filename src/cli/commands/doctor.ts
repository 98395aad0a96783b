/**
 * relance doctor [--smtp]: for every registered ledger (or the one chosen with -f / --ledger), open
 * it read-only and check what would make a nightly run fail or a letter wrong: SQLite's integrity,
 * the schema version and shape, the rate tables for today, every template, reminders stuck by an
 * interrupted run, and with --smtp that the SMTP server answers. Prints what to fix; exit 1 when
 * anything is wrong (warnings alone do not fail).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { sampleContext } from '../../dunning/sample.js';
import { outboxDir, lettersDir } from '../../dunning/run.js';
import { ledgerFolder, removeDeadTempFiles } from '../../system/files.js';
import { pidAlive } from '../../system/process.js';
import { type IsoDate } from '../../core/dates.js';
import { DEFAULT_POLICY, type Policy } from '../../core/dunning.js';
import { ExitCode, RelanceError } from '../../core/errors.js';
import { confirmedThrough, ecbDateHint, ecbRateOn, halfOf, legalHint, legalRate } from '../../core/rates.js';
import { openLedger, type Db } from '../../store/db.js';
import {
  failedMessageCount,
  foreignKeyProblems,
  hasConsumerClients,
  integrityProblems,
  runLocks,
  schemaProblems,
  schemaVersion,
  stuckMessages,
} from '../../store/health.js';
import { LATEST_VERSION } from '../../store/migrations.js';
import { rateTables } from '../../store/rates.js';
import { clientPolicyOverrides, getPolicy } from '../../store/reminders.js';
import { getSettings, type Settings } from '../../store/settings.js';
import { examples, type App } from '../app.js';
import type { Context } from '../context.js';
import { readRegistry } from '../registry.js';
import { printJson } from '../../render/output.js';
import type { Lang } from '../../render/templates.js';
import { DOCUMENT_EMAIL_TEMPLATES } from '../../render/template-check.js';
import type { DocumentKind } from '../../core/documents.js';

/** The document kind whose email this template is (invoice send), or undefined for a reminder's. */
const documentKindOf = (name: string): DocumentKind | undefined => (DOCUMENT_EMAIL_TEMPLATES.includes(name) ? (name === 'credit-note' ? 'credit_note' : (name as DocumentKind)) : undefined);

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface Check {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface LedgerHealth {
  ledger: string | null;
  file: string;
  ok: boolean;
  checks: Check[];
}

/** The ledgers doctor looks at: the chosen one with -f/--ledger, else every registered one, else the default. */
function ledgersToCheck(ctx: Context): { name: string | null; file: string }[] {
  if (ctx.global.file || ctx.global.ledger) {
    const where = ctx.ledgerPath();
    return [{ name: where.name ?? null, file: where.file }];
  }
  const reg = readRegistry(ctx.io.env);
  const names = Object.keys(reg.ledgers).sort((a, b) => a.localeCompare(b));
  if (names.length) return names.map((n) => ({ name: n, file: reg.ledgers[n]! }));
  return [{ name: null, file: ctx.ledgerPath().file }];
}

/** The folder of a ledger's template overrides: paths.templates (relative to the ledger), else <ledger>-templates. */
export function templatesDirOf(file: string, settings: Settings): string {
  return ledgerFolder(file, settings['paths.templates'], 'templates');
}

async function templateChecks(db: Db, file: string, settings: Settings, asOf: IsoDate): Promise<Check[]> {
  const out: Check[] = [];
  let policy: Policy = DEFAULT_POLICY;
  try {
    policy = getPolicy(db);
  } catch (err) {
    out.push({ check: 'policy', status: 'error', detail: (err as Error).message, fix: 'restore the defaults with "relance policy set --reset", or fix the level it names' });
  }
  const { loadTemplates, shippedTemplatesDir } = await import('../../render/templates.js');
  const overrideDir = templatesDirOf(file, settings);
  let t: Awaited<ReturnType<typeof loadTemplates>>;
  try {
    t = await loadTemplates({ overrideDir });
  } catch (err) {
    out.push({ check: 'templates', status: 'error', detail: (err as Error).message, fix: 'reinstall relance, or fix the override folder' });
    return out;
  }
  // Every template file there is (shipped and overrides), and every one the policy names.
  const wanted = new Set<string>();
  for (const dir of [shippedTemplatesDir(), overrideDir]) {
    for (const lang of ['fr', 'en'] as const) {
      for (const channel of ['email', 'letter'] as const) {
        const d = path.join(dir, lang, channel);
        if (!fs.existsSync(d)) continue;
        for (const f of fs.readdirSync(d)) if (f.endsWith('.hbs')) wanted.add(`${lang}/${channel}/${f.slice(0, -4)}`);
      }
    }
  }
  const policies = [policy];
  for (const { json: policy_json } of clientPolicyOverrides(db)) {
    try {
      const o = JSON.parse(policy_json) as Partial<Policy>;
      if (Array.isArray(o.levels)) policies.push({ ...policy, levels: o.levels });
    } catch {
      out.push({ check: 'policy', status: 'error', detail: 'a client policy override is not valid JSON', fix: 'reset it with "relance policy set --client CODE --reset"' });
    }
  }
  for (const p of policies) {
    for (const l of p.levels) {
      for (const ch of l.channels) if (ch === 'email' || ch === 'letter') for (const lang of ['fr', 'en']) wanted.add(`${lang}/${ch}/${l.template}`);
    }
  }
  let rendered = 0;
  for (const key of [...wanted].sort()) {
    const [lang, channel, name] = key.split('/') as [Lang, 'email' | 'letter', string];
    try {
      const kind = channel === 'email' ? documentKindOf(name) : undefined;
      if (kind) t.email(lang, name, (await import('../../delivery/documents.js')).sampleDocumentContext(lang, settings, kind) as never);
      else if (channel === 'email') t.email(lang, name, sampleContext(lang, settings, asOf, policy));
      else t.letter(lang, name, sampleContext(lang, settings, asOf, policy));
      rendered++;
    } catch (err) {
      out.push({ check: 'templates', status: 'error', detail: (err as Error).message, fix: `fix ${t.locate(lang, channel, name)}, or preview it with "relance remind --preview"` });
    }
  }
  if (!out.some((c) => c.check === 'templates')) out.push({ check: 'templates', status: 'ok', detail: `${rendered} templates render${fs.existsSync(overrideDir) ? ` (overrides in ${overrideDir})` : ''}` });
  return out;
}

async function smtpCheck(settings: Settings, env: NodeJS.ProcessEnv): Promise<Check> {
  const host = settings['smtp.host'];
  if (!host) return { check: 'smtp', status: 'ok', detail: 'no SMTP server set: emails are written to the outbox folder' };
  const where = `${host}:${settings['smtp.port']}`;
  const user = settings['smtp.user'];
  const password = env.RELANCE_SMTP_PASSWORD;
  if (user && !password) {
    return { check: 'smtp', status: 'error', detail: `smtp.user is ${user} but RELANCE_SMTP_PASSWORD is not set`, fix: 'export RELANCE_SMTP_PASSWORD (in the environment of cron too)' };
  }
  const mod = (await import('nodemailer')) as unknown as { default?: typeof import('nodemailer') } & typeof import('nodemailer');
  const nodemailer = mod.default ?? mod;
  const timeout = Number(env.RELANCE_SMTP_TIMEOUT_MS ?? 10_000);
  const t = nodemailer.createTransport({
    host,
    port: settings['smtp.port'],
    secure: settings['smtp.secure'],
    auth: user ? { user, pass: password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    await t.verify();
    return { check: 'smtp', status: 'ok', detail: `SMTP server ${where} answers${user ? ` and accepts ${user}` : ''}` };
  } catch (err) {
    const e = err as Error & { code?: string; response?: string };
    const why = (e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message}`).replace(/\s+/g, ' ').trim();
    return { check: 'smtp', status: 'error', detail: `SMTP server ${where} does not answer: ${why}`, fix: 'check smtp.host, smtp.port and smtp.secure ("relance ledger show"), the network, and RELANCE_SMTP_PASSWORD' };
  } finally {
    t.close();
  }
}

/** doctor --send-test ME: a real message through the ledger's transport (test-email.ts). */
async function testEmailCheck(file: string, name: string | null, settings: Settings, to: string, env: NodeJS.ProcessEnv, now: Date, smtp: Check | undefined): Promise<Check> {
  const { sendToSelf, testMessage, transportLabel } = await import('../test-email.js');
  const via = transportLabel(file, settings);
  if (smtp?.status === 'error') return { check: 'test email', status: 'error', detail: `not sent to ${to}: the SMTP server does not answer`, fix: smtp.fix };
  const mail = testMessage(settings, { name, file }, via, `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  const r = await sendToSelf({ ledgerFile: file, settings, env, to, now, mail });
  return r.ok
    ? { check: 'test email', status: 'ok', detail: `sent to ${to} through ${r.via} (${r.detail})${settings['smtp.host'] ? '' : '; set smtp.host to send it for real'}` }
    : { check: 'test email', status: 'error', detail: `not sent to ${to} through ${r.via}: ${r.detail}`, fix: 'check the address, smtp.host, smtp.port, smtp.user and RELANCE_SMTP_PASSWORD, and whether the server accepts this sender' };
}

export async function checkLedger(file: string, name: string | null, opts: { asOf: IsoDate; smtp: boolean; env: NodeJS.ProcessEnv; sendTest?: string; now?: Date }): Promise<LedgerHealth> {
  const checks: Check[] = [];
  const done = (): LedgerHealth => ({ ledger: name, file, ok: !checks.some((c) => c.status === 'error'), checks });
  let db: Db;
  try {
    db = openLedger(file, { readonly: true });
  } catch (err) {
    const msg = err instanceof RelanceError ? err.message : `cannot open: ${(err as Error).message}`;
    const needsUpgrade = /needs an upgrade/.test(msg);
    checks.push({
      check: 'open',
      status: 'error',
      detail: msg,
      fix: needsUpgrade
        ? `open it once with this relance to upgrade it, e.g. "relance ledger show -f ${file}"`
        : err instanceof RelanceError && err.exitCode === ExitCode.locked
          ? 'try again when the other run has finished'
          : `check the path${name ? ` ("relance ledger list")` : ''}, or restore a backup with "relance restore BACKUP -f ${file}"`,
    });
    return done();
  }
  try {
    const version = schemaVersion(db);
    checks.push({ check: 'open', status: 'ok', detail: `opens; schema version ${version}${version === LATEST_VERSION ? ' (current)' : ''}` });
    try {
      const mode = fs.statSync(file).mode & 0o777;
      if (mode & 0o077) checks.push({ check: 'permissions', status: 'warning', detail: `the file is readable by others (mode ${mode.toString(8)})`, fix: `chmod 600 ${file}` });
    } catch {
      /* stat failing after a successful open is not worth a finding */
    }
    const integrity = integrityProblems(db);
    checks.push(
      integrity.length
        ? { check: 'integrity', status: 'error', detail: `SQLite integrity check failed: ${integrity.slice(0, 3).join('; ')}`, fix: `restore the latest good backup with "relance restore BACKUP --force -f ${file}"` }
        : { check: 'integrity', status: 'ok', detail: 'SQLite integrity check passed' },
    );
    const fk = foreignKeyProblems(db);
    if (fk.length) checks.push({ check: 'references', status: 'error', detail: fk.slice(0, 3).join('; '), fix: 'restore a backup made before the damage ("relance restore BACKUP --force")' });
    const shape = schemaProblems(db);
    if (shape.errors.length) {
      checks.push({ check: 'schema', status: 'error', detail: shape.errors.slice(0, 5).join('; '), fix: 'the ledger was altered outside relance; restore a backup ("relance restore BACKUP --force")' });
    } else if (shape.warnings.length) {
      checks.push({
        check: 'schema',
        status: 'warning',
        detail: `${shape.warnings.slice(0, 5).join('; ')}: reports will be slower`,
        fix: 'nothing is lost; only reports are slower until the index exists (it was added to relance after this ledger was made)',
      });
    } else checks.push({ check: 'schema', status: 'ok', detail: 'every table, column and index is there' });
    if (integrity.length) return done();

    // Rates: penalties as of today need the ECB rate in force and the half-year's legal rate.
    const t = rateTables(db);
    const half = halfOf(opts.asOf);
    const ecb = ecbRateOn(t, opts.asOf);
    if (ecb === undefined) {
      checks.push({
        check: 'rates',
        status: 'error',
        detail: `the ECB rate table is known up to ${confirmedThrough(t) ?? 'nothing'}, not ${opts.asOf}: penalties cannot be computed`,
        fix: ecbDateHint(opts.asOf),
      });
    } else if (legalRate(t, half, 'pro') === undefined) {
      checks.push({
        check: 'rates',
        status: hasConsumerClients(db) ? 'error' : 'warning',
        detail: `the taux d'intérêt légal of ${half} is missing${hasConsumerClients(db) ? ': interest owed by consumer clients cannot be computed' : ''}`,
        fix: legalHint(half),
      });
    } else {
      checks.push({ check: 'rates', status: 'ok', detail: `the rate tables cover ${opts.asOf} (ECB ${(ecb / 100).toFixed(2)} %, confirmed through ${confirmedThrough(t)})` });
    }

    const settings = getSettings(db);
    checks.push(...(await templateChecks(db, file, settings, opts.asOf)));

    const stuck = stuckMessages(db);
    if (stuck.length) {
      checks.push({
        check: 'reminders',
        status: 'error',
        detail: `${stuck.length} reminder(s) left 'sending' by an interrupted run (${stuck
          .slice(0, 3)
          .map((m) => `#${m.id} ${m.clientCode} level ${m.level}`)
          .join(', ')}): whether they went out is unknown`,
        fix: 'check the mailbox, then settle them with "relance remind --resolve ID sent|retry"',
      });
    }
    // Temp files of writers that are gone (a crash before the rename): removed, said once.
    const cleaned = removeDeadTempFiles([outboxDir(file, settings), lettersDir(file, settings)]);
    if (cleaned.length) checks.push({ check: 'temp files', status: 'ok', detail: `removed ${cleaned.length} temp file(s) left by processes that are gone: ${cleaned.slice(0, 3).join(', ')}${cleaned.length > 3 ? ', ...' : ''}` });
    const failed = failedMessageCount(db);
    if (failed) checks.push({ check: 'reminders', status: 'warning', detail: `${failed} reminder(s) failed to send`, fix: 'the next "relance remind --due" retries them; check "relance doctor --smtp"' });
    if (!stuck.length && !failed) checks.push({ check: 'reminders', status: 'ok', detail: 'no reminder stuck or failed' });

    for (const l of runLocks(db)) {
      const stale = l.host === os.hostname() && !pidAlive(l.pid);
      checks.push({
        check: 'lock',
        status: 'warning',
        detail: `run lock "${l.name}" held by ${l.owner} (pid ${l.pid} on ${l.host}) since ${l.acquiredAt}${stale ? '; that process is gone' : ''}`,
        fix: stale ? 'the next run takes it over by itself' : 'wait for that run to finish',
      });
    }

    const smtp = opts.smtp || opts.sendTest ? await smtpCheck(settings, opts.env) : undefined;
    if (smtp) checks.push(smtp);
    if (opts.sendTest) checks.push(await testEmailCheck(file, name, settings, opts.sendTest, opts.env, opts.now ?? new Date(), smtp));
  } catch (err) {
    checks.push({ check: 'read', status: 'error', detail: `cannot read the ledger: ${(err as Error).message}`, fix: `restore a backup with "relance restore BACKUP --force -f ${file}"` });
  } finally {
    db.close();
  }
  return done();
}

export function registerDoctor(program: Command, app: App): void {
  const cmd = program
    .command('doctor')
    .description('check every registered ledger (or the one chosen): integrity, schema, rates, templates, stuck reminders, SMTP').summary('check ledgers: integrity, rates, SMTP')
    .option('--smtp', 'also check that the SMTP server answers')
    .option('--send-test <email>', 'also send a test email to this address, the way reminders leave (implies --smtp)')
    .option('--as-of <date>', 'the day the rate tables must cover (default today)')
    .action(
      app.act(async (ctx, o: { smtp?: boolean; sendTest?: string; asOf?: string }) => {
        const asOf = ctx.asOf(o.asOf);
        const sendTest = o.sendTest === undefined ? undefined : (await import('../test-email.js')).selfAddress(o.sendTest, '--send-test');
        const reports: LedgerHealth[] = [];
        for (const l of ledgersToCheck(ctx)) reports.push(await checkLedger(l.file, l.name, { asOf, smtp: Boolean(o.smtp), env: ctx.io.env, sendTest, now: ctx.io.now() }));
        const ok = reports.every((r) => r.ok);
        if (ctx.json) {
          printJson(ctx.io, { ok, asOf, ledgers: reports });
        } else {
          const io = ctx.io;
          const mark = (s: CheckStatus) => {
            const text = s === 'ok' ? 'ok  ' : s === 'warning' ? 'warn' : 'FAIL';
            if (!io.color) return text;
            return s === 'ok' ? io.style.green(text) : s === 'warning' ? io.style.yellow(text) : io.style.red(text);
          };
          for (const r of reports) {
            io.out(`${r.ledger ? `${r.ledger} ` : ''}(${r.file})\n`);
            for (const c of r.checks) {
              if (ctx.quiet && c.status === 'ok') continue;
              io.out(`  ${mark(c.status)}  ${c.check.padEnd(11)} ${c.detail}\n`);
              if (c.fix && c.status !== 'ok') io.out(`        ${''.padEnd(11)} fix: ${c.fix}\n`);
            }
          }
          const bad = reports.filter((r) => !r.ok).length;
          io.out(bad ? `${bad} of ${reports.length} ledger(s) need attention\n` : `${reports.length} ledger(s) healthy\n`);
        }
        return ok ? ExitCode.ok : ExitCode.failed;
      }),
    );
  examples(cmd, ['relance doctor', 'relance doctor --smtp', 'relance doctor --smtp --send-test moi@exemple.fr', 'relance doctor -f dupont.db --json', 'relance doctor --ledger dupont --as-of 2026-03-01']);
}
