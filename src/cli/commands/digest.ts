/**
 * relance digest [--all] [--since D] [--to EMAIL] [--as-of D] [--dry-run] [--json] [--pdf FILE]:
 * what the owner (or the secretary, over every ledger with --all) should know about the days since
 * the last digest, printed and sent once per period (text, HTML with the aging chart inline, the PDF
 * attached) on the delivery engine. The period ends on --as-of (default today, the ledger's day) and
 * starts the day after the last digest (else --since, else 7 days before). One ledger records its
 * digests in its own table; --all sends one email and records it in the digest journal beside the
 * registry (configDir/digests.db), so it goes once even when two runs start at once or one is killed.
 * --all needs --to: the overview of every business is for the secretary, not for the first business.
 */
import type { Command } from 'commander';
import path from 'node:path';
import fs from 'node:fs';
import * as z from 'zod/mini';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import { write, timestamp } from '../../store/db.js';
import { digestById, lastDigest, openDigestJournal, resolveDigest, type DigestScope } from '../../store/digests.js';
import { getSettings, type Settings } from '../../store/settings.js';
import { printJson } from '../../render/output.js';
import { agingBars, buildDigest, combineDigests, digestHtml, digestJson, digestSections, digestText, digestTitle, nextPeriod, type Digest, type Period } from '../../reports/digest.js';
import { language, t, type Lang } from '../../i18n/index.js';
import type { DigestOutcome } from '../../delivery/digest.js';
import { runOnAllLedgers, worstExit } from '../all-ledgers.js';
import { configDir, readRegistry, registryPath } from '../registry.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';

const EMAIL = z.email('an email address such as moi@exemple.fr');
const CID = 'aging-chart@relance';

interface Options {
  all?: boolean;
  since?: string;
  to?: string;
  asOf?: string;
  dryRun?: boolean;
  pdf?: string;
  resolve?: string;
  sent?: boolean;
  retry?: boolean;
}

export function registerDigest(program: Command, app: App): void {
  const cmd = program
    .command('digest')
    .description(t('digest.help.description'))
    .summary(t('digest.help.summary'))
    .option('--all', t('digest.opt.all'))
    .option('--since <date>', t('digest.opt.since'))
    .option('--to <email>', t('digest.opt.to'))
    .option('--as-of <date>', t('digest.opt.as_of'))
    .option('--dry-run', t('digest.opt.dry_run'))
    .option('--pdf <file>', t('digest.opt.pdf'))
    .option('--resolve <id>', t('digest.opt.resolve'))
    .option('--sent', t('digest.opt.sent'))
    .option('--retry', t('digest.opt.retry'))
    .action(app.act((ctx, o: Options) => digest(ctx, o)));
  examples(cmd, [
    `relance digest                              # ${t('digest.example.default')}`,
    `relance digest --dry-run --as-of 2026-03-09  # ${t('digest.example.dry_run')}`,
    `relance digest --all --to moi@secretariat.fr # ${t('digest.example.all')}`,
    `relance digest --since 2026-03-01 --pdf revue.pdf --json`,
    `relance digest --resolve 3 --sent            # ${t('digest.example.resolve')}`,
  ]);
}

/** What the digest is sent from and in which language: the ledger's (the first one's under --all). */
interface Sender {
  settings: Settings;
  file: string;
  lang: Lang;
}

async function digest(ctx: Context, o: Options): Promise<number> {
  // Bad input is refused before anything is opened, built, sent or written.
  if (o.resolve !== undefined) return resolve(ctx, o);
  if (o.sent || o.retry) throw new UsageError(t('digest.error.settle_without_resolve'));
  const asOf = ctx.asOf(o.asOf);
  const since = o.since === undefined ? undefined : parseDate(o.since, '--since');
  if (since !== undefined && since > asOf) throw new UsageError(t('digest.error.since_after', { since, asOf }));
  const to = o.to === undefined ? undefined : validate(EMAIL, o.to, '--to');
  const pdfFile = o.pdf === undefined ? undefined : path.resolve(ctx.io.cwd, o.pdf);
  if (pdfFile && !fs.existsSync(path.dirname(pdfFile))) throw new UsageError(t('digest.error.pdf_folder', { folder: path.dirname(pdfFile) }));

  let scope: DigestScope;
  let d: Digest;
  let sender: Sender;
  let exit: number = ExitCode.ok;
  if (o.all) {
    scope = 'all';
    if (ctx.global.file || ctx.global.ledger) throw new UsageError(t('digest.error.all_with_ledger'));
    // The overview of several businesses is for whoever keeps them (the registry knows no address of
    // its own): never the first ledger's business email, which is one of those businesses.
    if (to === undefined) throw new UsageError(t('digest.error.all_needs_to'));
    if (Object.keys(readRegistry(ctx.io.env).ledgers).length === 0) throw new UsageError(t('digest.error.no_ledgers', { registry: registryPath(ctx.io.env) }));
    const journal = path.join(configDir(ctx.io.env), 'digests.db');
    // Read when there is one; created only when a digest is about to be recorded (never by a dry run or bad input).
    let opened = fs.existsSync(journal) ? openDigestJournal(journal) : undefined;
    const record = () => {
      if (!opened) {
        fs.mkdirSync(path.dirname(journal), { recursive: true, mode: 0o700 });
        opened = openDigestJournal(journal);
      }
      return opened;
    };
    try {
      const last = opened ? lastDigest(opened, scope) : undefined;
      const done = await already(ctx, o, since, asOf, last, opened, ' --all');
      if (done !== undefined) return done;
      const period = nextPeriod(asOf, since, last?.periodTo);
      let first: Sender | undefined;
      const outcomes = await runOnAllLedgers(ctx, (sub, name) => {
        const db = sub.db();
        const settings = getSettings(db);
        first ??= { settings, file: sub.ledgerPath().file, lang: settings.language };
        return { result: buildDigest(db, period, name) };
      });
      const parts = outcomes.flatMap((x) => (x.result ? [{ ledger: x.ledger, digest: x.result }] : []));
      const unreadable = outcomes.flatMap((x) => (x.error ? [{ ledger: x.ledger, error: x.error }] : []));
      for (const u of unreadable) ctx.io.err(`relance: ${t('digest.unreadable', { ledger: u.ledger, error: u.error })}\n`);
      exit = worstExit(outcomes.map((x) => x.code));
      if (!first) return exit;
      sender = first;
      d = combineDigests(period, parts, unreadable);
      return worstExit([exit, await deliver(ctx, o, { d, scope, sender, to, pdfFile, record })]);
    } finally {
      opened?.close();
    }
  }
  scope = 'ledger';
  const db = ctx.db();
  const settings = getSettings(db);
  const last = lastDigest(db, scope);
  const done = await already(ctx, o, since, asOf, last, db, '');
  if (done !== undefined) return done;
  const period: Period = nextPeriod(asOf, since, last?.periodTo);
  d = buildDigest(db, period);
  sender = { settings, file: ctx.ledgerPath().file, lang: settings.language };
  return deliver(ctx, o, { d, scope, sender, to, pdfFile, record: () => db });
}

/**
 * Without --since, a period already sent: say so, send nothing (exit 0). One left 'sending' is
 * settled first: another run sending it now, or uncertain (exit 1, never resent blindly).
 */
async function already(ctx: Context, o: Options, since: IsoDate | undefined, asOf: IsoDate, last: ReturnType<typeof lastDigest>, db: Db | undefined, where: string): Promise<number | undefined> {
  if (since !== undefined || !last || last.periodTo < asOf) return undefined;
  if (last.status === 'sending' && db) {
    const { settleDigest } = await import('../../delivery/digest.js');
    const res = settleDigest(db, last, () => ctx.io.now());
    if (res.status !== 'covered') return outcome(ctx, res, where, null);
    last = res.digest;
  }
  const line = t('digest.already', { to: last.periodTo, id: last.id, recipient: last.recipient, at: (last.sentAt ?? last.createdAt).slice(0, 16).replace('T', ' ') });
  if (ctx.json) printJson(ctx.io, { asOf, delivery: { status: 'already-sent', digest: last.id, period: { from: last.periodFrom, to: last.periodTo }, to: last.recipient, messageId: last.messageId, dryRun: Boolean(o.dryRun) } });
  else ctx.io.out(`${line}\n`);
  return ExitCode.ok;
}

async function deliver(ctx: Context, o: Options, x: { d: Digest; scope: DigestScope; sender: Sender; to: string | undefined; pdfFile: string | undefined; record: () => Db }): Promise<number> {
  const { d, sender } = x;
  const s = sender.settings;
  const lang = sender.lang;
  const from = s['business.email'];
  // One ledger's digest goes to its business by default; --all's only to --to (checked in digest()).
  const recipient = x.scope === 'all' ? (x.to ?? '') : (x.to ?? from);
  if (!o.dryRun && !from) throw new UsageError(t('digest.error.no_sender'));
  const { reportPdf } = await import('../../render/report-pdf.js');
  const { title, period } = digestTitle(d, lang);
  const pdf = await reportPdf({
    title,
    lines: [period],
    chartHeading: t('digest.section.chart', undefined, lang),
    chart: agingBars(d.aging, d.currency, lang),
    sections: digestSections(d, lang),
    footer: `relance · ${d.business}`,
    creationDate: new Date(`${d.to}T00:00:00Z`),
  });
  if (x.pdfFile) {
    const { writePdfBytes } = await import('../../render/pdf.js');
    writePdfBytes(pdf, x.pdfFile);
  }
  const shown = language();
  const json = digestJson(d);
  if (o.dryRun) {
    if (ctx.json) printJson(ctx.io, { ...json, delivery: { status: 'dry-run', to: recipient || null, pdf: x.pdfFile ?? null } });
    else {
      if (!ctx.quiet) ctx.io.out(digestText(d, shown));
      ctx.io.out(`${t('digest.dry_run', { to: recipient || '?' })}\n`);
    }
    return ExitCode.ok;
  }
  const { agingPng } = await import('../../render/aging-chart.js');
  const png = await agingPng(agingBars(d.aging, d.currency, lang));
  const { openTransport } = await import('../../delivery/documents.js');
  const { sendDigestOnce } = await import('../../delivery/digest.js');
  const transport = await openTransport(sender.file, s, ctx.io.env);
  const name = `digest-${d.to}`;
  let res: Awaited<ReturnType<typeof sendDigestOnce>>;
  try {
    res = await sendDigestOnce({
      db: x.record(),
      scope: x.scope,
      transport,
      now: () => ctx.io.now(),
      senderEmail: from,
      from: d.from,
      to: d.to,
      recipient,
      ledgers: x.scope === 'all' ? d.ledgers.join(', ') : null,
      outboxName: name,
      mail: {
        fromName: s['business.name'] || 'relance',
        from,
        replyTo: from,
        to: recipient,
        subject: t('digest.subject', { business: x.scope === 'all' ? t('digest.ledgers', { n: d.ledgers.length }, lang) : d.business, from: d.from, to: d.to }, lang),
        text: digestText(d, lang),
        html: digestHtml(d, lang, CID),
        attachments: [
          { filename: 'aging.png', content: png, contentType: 'image/png', cid: CID },
          { filename: `${name}.pdf`, content: pdf, contentType: 'application/pdf' },
        ],
        headers: { 'X-Relance-Digest': `${d.from}/${d.to}` },
      },
    });
  } finally {
    transport.close();
  }
  if (!ctx.json && !ctx.quiet && (res.status === 'sent' || res.status === 'written')) ctx.io.out(digestText(d, shown));
  return outcome(ctx, res, x.scope === 'all' ? ' --all' : '', json);
}

/** The run's last word on the delivery (stdout, or stderr when it did not go), and its exit status. */
function outcome(ctx: Context, res: DigestOutcome, where: string, json: object | null): number {
  const row = res.digest;
  const delivery = { status: res.status === 'covered' ? 'already-sent' : res.status, digest: row.id, period: { from: row.periodFrom, to: row.periodTo }, to: row.recipient, messageId: row.messageId, file: row.filePath, error: 'error' in res ? res.error : null };
  if (ctx.json) printJson(ctx.io, { ...(json ?? {}), delivery });
  switch (res.status) {
    case 'sent':
      if (!ctx.json) ctx.io.out(`${t('digest.sent', { id: row.id, to: row.recipient })}\n`);
      return ExitCode.ok;
    case 'written':
      if (!ctx.json) ctx.io.out(`${t('digest.written', { id: row.id, file: res.file ?? '' })}\n`);
      return ExitCode.ok;
    case 'covered':
      if (!ctx.json) ctx.io.out(`${t('digest.already', { to: row.periodTo, id: row.id, recipient: row.recipient, at: (row.sentAt ?? row.createdAt).slice(0, 16).replace('T', ' ') })}\n`);
      return ExitCode.ok;
    case 'busy':
      if (!ctx.json) ctx.io.out(`${t('digest.busy', { id: row.id, pid: row.pid })}\n`);
      return ExitCode.ok;
    case 'failed':
      ctx.io.err(`relance: ${t('digest.failed', { id: row.id, error: res.error, all: where })}\n`);
      return ExitCode.failed;
    case 'uncertain':
    case 'pending':
      ctx.io.err(`relance: ${t('digest.uncertain', { id: row.id, to: row.recipient, since: row.createdAt.slice(0, 16).replace('T', ' '), all: where })}\n`);
      return ExitCode.failed;
  }
}

/** digest [--all] --resolve ID --sent|--retry: settle a digest whose fate is unknown. */
function resolve(ctx: Context, o: Options): number {
  if (Boolean(o.sent) === Boolean(o.retry)) throw new UsageError(t('digest.error.resolve_how', { id: o.resolve }));
  const id = validate(z.coerce.number().check(z.int(), z.positive()), o.resolve, '--resolve');
  const journal = path.join(configDir(ctx.io.env), 'digests.db');
  if (o.all && !fs.existsSync(journal)) throw new UsageError(t('digest.error.no_digest', { id }));
  const db = o.all ? openDigestJournal(journal) : ctx.db();
  try {
    const row = digestById(db, id);
    if (!row || row.scope !== (o.all ? 'all' : 'ledger')) throw new UsageError(t('digest.error.no_digest', { id }));
    if (row.status !== 'sending') throw new UsageError(t('digest.error.not_uncertain', { id, status: t(`digest.state.${row.status}` as never) }));
    const at = timestamp(ctx.io.now());
    write(db, () => resolveDigest(db, id, o.sent ? 'sent' : 'retry', at, o.sent ? `marked sent by hand on ${at}` : `to be sent again (marked on ${at})`));
    ctx.io.out(`${t(o.sent ? 'digest.resolved_sent' : 'digest.resolved_retry', { id })}\n`);
    return ExitCode.ok;
  } finally {
    if (o.all) db.close();
  }
}
