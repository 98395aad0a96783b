/**
 * The checks of `relance doctor` (cli/commands/doctor.ts prints them): a ledger opened read-only,
 * SQLite's integrity, the schema version and shape, the rate tables for the day, every template,
 * reminders stuck by an interrupted run, run locks, and (--smtp, --send-test) the SMTP server. Each
 * check's detail and fix are kept in English for --json and in the interface's language for the terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleContext } from '../dunning/sample.js';
import { outboxDir, lettersDir } from '../dunning/run.js';
import { ledgerFolder, removeDeadTempFiles } from '../system/files.js';
import { pidAlive } from '../system/process.js';
import { type IsoDate } from '../core/dates.js';
import { DEFAULT_POLICY, type Policy } from '../core/dunning.js';
import { ExitCode, RelanceError } from '../core/errors.js';
import { confirmedThrough, ecbDateHint, ecbRateOn, halfOf, legalHint, legalRate } from '../core/rates.js';
import { openLedger, type Db } from '../store/db.js';
import { failedMessageCount, foreignKeyProblems, hasConsumerClients, integrityProblems, runLocks, schemaProblems, schemaVersion, stuckMessages } from '../store/health.js';
import { LATEST_VERSION } from '../store/migrations.js';
import { rateTables } from '../store/rates.js';
import { clientPolicyOverrides, getPolicy } from '../store/reminders.js';
import { getSettings, type Settings } from '../store/settings.js';
import type { Lang } from '../render/templates.js';
import { DOCUMENT_EMAIL_TEMPLATES } from '../render/template-check.js';
import type { DocumentKind } from '../core/documents.js';
import { language, t, type MessageKey, type Params } from '../i18n/index.js';

/** The document kind whose email this template is (invoice send), or undefined for a reminder's. */
const documentKindOf = (name: string): DocumentKind | undefined => (DOCUMENT_EMAIL_TEMPLATES.includes(name) ? (name === 'credit-note' ? 'credit_note' : (name as DocumentKind)) : undefined);

export type CheckStatus = 'ok' | 'warning' | 'error';

/** A check: detail and fix in English (JSON never changes with the language); `local` (not in JSON) in the interface's. */
export interface Check {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
  local?: { detail: string; fix?: string };
}

/** A message: a catalogue key and its params, a text already made (an error's), or both languages. */
type Said = { key: MessageKey; params?: Params } | string | { en: string; here: string };
const say = (key: MessageKey, params?: Params): Said => ({ key, params });
const inEn = (s: Said) => (typeof s === 'string' ? s : 'en' in s ? s.en : t(s.key, s.params, 'en'));
const inHere = (s: Said) => (typeof s === 'string' ? s : 'here' in s ? s.here : t(s.key, s.params));

/** One check; its `local` texts are not enumerable, so --json prints only the English ones. */
function mk(check: string, status: CheckStatus, detail: Said, fix?: Said): Check {
  const c: Check = { check, status, detail: inEn(detail), ...(fix === undefined ? {} : { fix: inEn(fix) }) };
  Object.defineProperty(c, 'local', { value: { detail: inHere(detail), fix: fix === undefined ? undefined : inHere(fix) }, enumerable: false });
  return c;
}

/** The fix of a check in both languages (to give it again in another check). */
const fixOf = (c: Check): Said | undefined => (c.fix === undefined ? undefined : { en: c.fix, here: c.local?.fix ?? c.fix });

export interface LedgerHealth {
  ledger: string | null;
  file: string;
  ok: boolean;
  checks: Check[];
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
    out.push(mk('policy', 'error', (err as Error).message, say('books.doctor.policy.fix')));
  }
  const { loadTemplates, shippedTemplatesDir } = await import('../render/templates.js');
  const overrideDir = templatesDirOf(file, settings);
  let tpl: Awaited<ReturnType<typeof loadTemplates>>;
  try {
    tpl = await loadTemplates({ overrideDir });
  } catch (err) {
    out.push(mk('templates', 'error', (err as Error).message, say('books.doctor.templates.reinstall')));
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
      out.push(mk('policy', 'error', say('books.doctor.policy.badOverride'), say('books.doctor.policy.resetClient')));
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
      if (kind) tpl.email(lang, name, (await import('../delivery/documents.js')).sampleDocumentContext(lang, settings, kind) as never);
      else if (channel === 'email') tpl.email(lang, name, sampleContext(lang, settings, asOf, policy));
      else tpl.letter(lang, name, sampleContext(lang, settings, asOf, policy));
      rendered++;
    } catch (err) {
      out.push(mk('templates', 'error', (err as Error).message, say('books.doctor.templates.fix', { file: tpl.locate(lang, channel, name) })));
    }
  }
  if (!out.some((c) => c.check === 'templates')) out.push(mk('templates', 'ok', fs.existsSync(overrideDir) ? say('books.doctor.templates.okOverrides', { n: rendered, dir: overrideDir }) : say('books.doctor.templates.ok', { n: rendered })));
  return out;
}

async function smtpCheck(settings: Settings, env: NodeJS.ProcessEnv): Promise<Check> {
  const host = settings['smtp.host'];
  if (!host) return mk('smtp', 'ok', say('books.doctor.smtp.none'));
  const where = `${host}:${settings['smtp.port']}`;
  const user = settings['smtp.user'];
  const password = env.RELANCE_SMTP_PASSWORD;
  if (user && !password) {
    return mk('smtp', 'error', say('books.doctor.smtp.noPassword', { user }), say('books.doctor.smtp.exportPassword'));
  }
  const mod = (await import('nodemailer')) as unknown as { default?: typeof import('nodemailer') } & typeof import('nodemailer');
  const nodemailer = mod.default ?? mod;
  const timeout = Number(env.RELANCE_SMTP_TIMEOUT_MS ?? 10_000);
  const tr = nodemailer.createTransport({
    host,
    port: settings['smtp.port'],
    secure: settings['smtp.secure'],
    auth: user ? { user, pass: password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    await tr.verify();
    return mk('smtp', 'ok', user ? say('books.doctor.smtp.okUser', { where, user }) : say('books.doctor.smtp.ok', { where }));
  } catch (err) {
    const e = err as Error & { code?: string; response?: string };
    const why = (e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message}`).replace(/\s+/g, ' ').trim();
    return mk('smtp', 'error', say('books.doctor.smtp.noAnswer', { where, why }), say('books.doctor.smtp.fix'));
  } finally {
    tr.close();
  }
}

/** doctor --send-test ME: a real message through the ledger's transport (test-email.ts). */
async function testEmailCheck(file: string, name: string | null, settings: Settings, to: string, env: NodeJS.ProcessEnv, now: Date, smtp: Check | undefined): Promise<Check> {
  const { sendToSelf, testMessage, transportLabel } = await import('./test-email.js');
  const via = transportLabel(file, settings);
  if (smtp?.status === 'error') return mk('test email', 'error', say('books.doctor.testEmail.smtpDown', { to }), fixOf(smtp));
  const mail = testMessage(settings, { name, file }, via, `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  const r = await sendToSelf({ ledgerFile: file, settings, env, to, now, mail });
  return r.ok
    ? mk('test email', 'ok', say(settings['smtp.host'] ? 'books.doctor.testEmail.sent' : 'books.doctor.testEmail.written', { to, via: r.via, detail: r.detail }))
    : mk('test email', 'error', say('books.doctor.testEmail.failed', { to, via: r.via, detail: r.detail }), say('books.doctor.testEmail.fix'));
}

export async function checkLedger(file: string, name: string | null, opts: { asOf: IsoDate; smtp: boolean; env: NodeJS.ProcessEnv; sendTest?: string; now?: Date }): Promise<LedgerHealth> {
  const checks: Check[] = [];
  const done = (): LedgerHealth => ({ ledger: name, file, ok: !checks.some((c) => c.status === 'error'), checks });
  let db: Db;
  try {
    db = openLedger(file, { readonly: true });
  } catch (err) {
    const msg: Said = err instanceof RelanceError ? err.message : say('books.doctor.open.cannot', { message: (err as Error).message });
    const needsUpgrade = err instanceof RelanceError && (err as RelanceError & { upgrade?: boolean }).upgrade === true;
    checks.push(
      mk(
        'open',
        'error',
        msg,
        needsUpgrade
          ? say('books.doctor.open.upgrade', { file })
          : err instanceof RelanceError && err.exitCode === ExitCode.locked
            ? say('books.doctor.open.locked')
            : say(name ? 'books.doctor.open.checkPathNamed' : 'books.doctor.open.checkPath', { file }),
      ),
    );
    return done();
  }
  try {
    const version = schemaVersion(db);
    checks.push(mk('open', 'ok', say(version === LATEST_VERSION ? 'books.doctor.open.okCurrent' : 'books.doctor.open.ok', { version })));
    try {
      const mode = fs.statSync(file).mode & 0o777;
      if (mode & 0o077) checks.push(mk('permissions', 'warning', say('books.doctor.permissions', { mode: mode.toString(8) }), `chmod 600 ${file}`));
    } catch {
      /* stat failing after a successful open is not worth a finding */
    }
    const integrity = integrityProblems(db);
    checks.push(
      integrity.length
        ? mk('integrity', 'error', say('books.doctor.integrity.failed', { problems: integrity.slice(0, 3).join('; ') }), say('books.doctor.integrity.fix', { file }))
        : mk('integrity', 'ok', say('books.doctor.integrity.ok')),
    );
    const fk = foreignKeyProblems(db);
    if (fk.length) checks.push(mk('references', 'error', fk.slice(0, 3).join('; '), say('books.doctor.references.fix')));
    const shape = schemaProblems(db);
    if (shape.errors.length) {
      checks.push(mk('schema', 'error', shape.errors.slice(0, 5).join('; '), say('books.doctor.schema.fix')));
    } else if (shape.warnings.length) {
      checks.push(mk('schema', 'warning', say('books.doctor.schema.slower', { problems: shape.warnings.slice(0, 5).join('; ') }), say('books.doctor.schema.slowerFix')));
    } else checks.push(mk('schema', 'ok', say('books.doctor.schema.ok')));
    if (integrity.length) return done();

    // Rates: penalties as of today need the ECB rate in force and the half-year's legal rate.
    const rt = rateTables(db);
    const half = halfOf(opts.asOf);
    const ecb = ecbRateOn(rt, opts.asOf);
    if (ecb === undefined) {
      const through = confirmedThrough(rt);
      checks.push(mk('rates', 'error', say(through ? 'books.doctor.rates.ecbMissing' : 'books.doctor.rates.ecbNone', { through, date: opts.asOf }), ecbDateHint(opts.asOf)));
    } else if (legalRate(rt, half, 'pro') === undefined) {
      const consumers = hasConsumerClients(db);
      checks.push(mk('rates', consumers ? 'error' : 'warning', say(consumers ? 'books.doctor.rates.legalMissingConsumers' : 'books.doctor.rates.legalMissing', { half }), legalHint(half)));
    } else {
      const rate = (ecb / 100).toFixed(2);
      checks.push(mk('rates', 'ok', { en: t('books.doctor.rates.ok', { date: opts.asOf, rate, through: confirmedThrough(rt) }, 'en'), here: t('books.doctor.rates.ok', { date: opts.asOf, rate: language() === 'fr' ? rate.replace('.', ',') : rate, through: confirmedThrough(rt) }) }));
    }

    const settings = getSettings(db);
    checks.push(...(await templateChecks(db, file, settings, opts.asOf)));

    const stuck = stuckMessages(db);
    if (stuck.length) {
      const list = (lang?: 'en') => stuck.slice(0, 3).map((m) => t('books.doctor.reminders.item', { id: m.id, client: m.clientCode, level: m.level }, lang)).join(', ');
      const detail = (lang?: 'en') => t('books.doctor.reminders.stuck', { n: stuck.length, list: list(lang) }, lang);
      checks.push(mk('reminders', 'error', { en: detail('en'), here: detail() }, say('books.doctor.reminders.stuckFix')));
    }
    // Temp files of writers that are gone (a crash before the rename): removed, said once.
    const cleaned = removeDeadTempFiles([outboxDir(file, settings), lettersDir(file, settings)]);
    if (cleaned.length) checks.push(mk('temp files', 'ok', say('books.doctor.tempFiles', { n: cleaned.length, files: `${cleaned.slice(0, 3).join(', ')}${cleaned.length > 3 ? ', ...' : ''}` })));
    const failed = failedMessageCount(db);
    if (failed) checks.push(mk('reminders', 'warning', say('books.doctor.reminders.failed', { n: failed }), say('books.doctor.reminders.failedFix')));
    if (!stuck.length && !failed) checks.push(mk('reminders', 'ok', say('books.doctor.reminders.ok')));

    for (const l of runLocks(db)) {
      const stale = l.host === os.hostname() && !pidAlive(l.pid);
      const p = { name: l.name, owner: l.owner, pid: l.pid, host: l.host, since: l.acquiredAt };
      checks.push(mk('lock', 'warning', say(stale ? 'books.doctor.lock.stale' : 'books.doctor.lock.held', p), say(stale ? 'books.doctor.lock.staleFix' : 'books.doctor.lock.wait')));
    }

    const smtp = opts.smtp || opts.sendTest ? await smtpCheck(settings, opts.env) : undefined;
    if (smtp) checks.push(smtp);
    if (opts.sendTest) checks.push(await testEmailCheck(file, name, settings, opts.sendTest, opts.env, opts.now ?? new Date(), smtp));
  } catch (err) {
    checks.push(mk('read', 'error', say('books.doctor.read.cannot', { message: (err as Error).message }), say('books.doctor.read.fix', { file })));
  } finally {
    db.close();
  }
  return done();
}

