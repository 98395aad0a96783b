/**
 * relance invoice status NUMBER STATUS: record a platform lifecycle status of an issued invoice
 * (deposited 200, approved 205, disputed 207, suspended 208, refused 210, payment-sent 211,
 * cashed 212, rejected 213; French names accepted). Registered on "invoice" by
 * cli/commands/invoice.ts; the logic is store/statuses.ts. Also what "invoice show" prints of them.
 */
import type { Command } from 'commander';
import { parseDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { parsePlatformStatus, PLATFORM_STATUSES, STATUS_CODE, STATUS_FRENCH } from '../core/platform-statuses.js';
import { timestamp, write, type Db } from '../store/db.js';
import { requireInvoice, type Document } from '../store/documents.js';
import { checkStatusable, recordStatus, statusHistory, type StatusEntry } from '../store/statuses.js';
import type { IO } from '../render/io.js';
import { note, printJson, printTable } from '../render/output.js';
import { examples, type App } from './app.js';
import { language, t } from '../i18n/index.js';

const entryJson = (e: StatusEntry) => ({ status: e.status, code: e.code, french: STATUS_FRENCH[e.status], date: e.date, reason: e.reason, source: e.source, recordedAt: e.recordedAt });

/** The platform statuses of an invoice as JSON: the current one and the history (added to "invoice show --json"). */
export function platformStatusJson(db: Db, d: Document) {
  const history = statusHistory(db, d.id).map(entryJson);
  return { platformStatus: history.length ? history[history.length - 1]! : null, platformStatuses: history };
}

/** The history table "invoice show" prints under the lines (nothing when no status was recorded). */
export function printStatusHistory(io: IO, db: Db, d: Document): void {
  const history = statusHistory(db, d.id);
  if (history.length === 0) return;
  io.out(`\n${t('documents.pstatus.history')}\n`);
  printTable(
    io,
    (['date', 'status', 'code', 'reason', 'by'] as const).map((h) => t(`documents.pstatus.col.${h}`)),
    history.map((e) => [e.date, language() === 'fr' ? STATUS_FRENCH[e.status] : e.status, String(e.code), e.reason ?? '', t(e.source === 'payment' ? 'documents.pstatus.byPayment' : 'documents.pstatus.byYou')]),
  );
}

export function registerInvoiceStatus(invoice: Command, app: App): void {
  examples(
    invoice
      .command('status')
      .argument('<number>', t('documents.arg.issuedInvoice'))
      .argument('<status>', t('documents.pstatus.arg', { statuses: PLATFORM_STATUSES.join(' | '), french: PLATFORM_STATUSES.map((s) => STATUS_FRENCH[s]).join(', ') }))
      .description(t('documents.pstatus.description'))
      .option('--date <date>', t('documents.pstatus.opt.date'))
      .option('--reason <text>', t('documents.pstatus.opt.reason'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act((ctx, ref: string, statusText: string, o: { date?: string; reason?: string; asOf?: string }) => {
          const status = parsePlatformStatus(statusText);
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const reason = o.reason === undefined ? null : o.reason.trim();
          if (reason === '') throw new UsageError(t('documents.pstatus.emptyReason'));
          checkStatusable(d, date);
          const r = write(db, () => recordStatus(db, d, { status, date, reason, source: 'manual', recordedAt: timestamp(ctx.io.now()) }));
          if (ctx.json) return printJson(ctx.io, { number: d.number, ...entryJson(r.entry), dunning: r.dunning, ...platformStatusJson(db, r.document) });
          const effect = r.dunning === 'paused' ? t('documents.pstatus.paused') : r.dunning === 'resumed' ? t('documents.pstatus.resumed') : '';
          const shown = language() === 'fr' ? STATUS_FRENCH[status] : status;
          note(ctx.io, ctx.quiet, t('documents.pstatus.recorded', { number: d.number, status: shown, code: STATUS_CODE[status], date, reason: reason ? `${language() === 'fr' ? ' :' : ':'} ${reason}` : '', effect }));
        }),
      ),
    [
      'relance invoice status F-2026-0001 deposited',
      `relance invoice status F-2026-0001 refusée --reason "${t('documents.pstatus.exampleReason')}" --date 2026-05-03`,
      'relance invoice status F-2026-0001 approved',
    ],
  );
}
