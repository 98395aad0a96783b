/**
 * relance invoice dispute | undispute: the client disputes an invoice; reminders pause while it is
 * (the platform statuses refused, rejected, disputed and suspended set the same fields: cli/invoice-status.ts).
 */
import type { Command } from 'commander';
import { parseDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { write } from '../store/db.js';
import { documentRef, requireInvoice, updateDocument } from '../store/documents.js';
import { documentJson } from '../documents/json.js';
import { note, printJson } from '../render/output.js';
import { parseOptionalDate } from './document-options.js';
import { examples, type App } from './app.js';
import { t } from '../i18n/index.js';

export function registerInvoiceDispute(invoice: Command, app: App): void {
  // dispute / undispute
  examples(
    invoice
      .command('dispute')
      .argument('<number>', t('documents.arg.issuedInvoice'))
      .description(t('documents.dispute.description'))
      .requiredOption('--reason <text>', t('documents.dispute.opt.reason'))
      .option('--until <date>', t('documents.dispute.opt.until'))
      .option('--date <date>', t('documents.dispute.opt.date'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act((ctx, ref: string, o: { reason: string; until?: string; date?: string; asOf?: string }) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          if (d.number === null || d.kind === 'credit_note') throw new UsageError(t(d.number === null ? 'documents.dispute.notIssuedDraft' : 'documents.dispute.notIssuedCredit', { ref: documentRef(d) }));
          if (o.reason.trim() === '') throw new UsageError(t('documents.dispute.emptyReason'));
          const since = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const until = parseOptionalDate(o.until, '--until') ?? null;
          if (until && until < since) throw new UsageError(t('documents.dispute.untilBefore', { until, since, from: o.date !== undefined ? '--date' : o.asOf !== undefined ? '--as-of' : t('documents.dispute.today') }));
          const updated = write(db, () => updateDocument(db, d.id, { disputedOn: since, disputedReason: o.reason.trim(), disputedUntil: until }));
          if (ctx.json) return printJson(ctx.io, documentJson(db, updated, since));
          note(ctx.io, ctx.quiet, t(until ? 'documents.dispute.disputedUntil' : 'documents.dispute.disputed', { number: d.number, since, until, reason: o.reason.trim() }));
        }),
      ),
    [`relance invoice dispute F-2026-0003 --reason "${t('documents.invoice.exampleDispute')}"`, `relance invoice dispute F-2026-0003 --reason "${t('documents.invoice.exampleWaiting')}" --until 2026-04-30`],
  );

  examples(
    invoice
      .command('undispute')
      .argument('<number>', t('documents.undispute.arg'))
      .description(t('documents.undispute.description'))
      .action(
        app.act((ctx, ref: string) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          if (!d.disputedOn) throw new UsageError(t('documents.undispute.notDisputed', { ref: documentRef(d) }));
          const updated = write(db, () => updateDocument(db, d.id, { disputedOn: null, disputedReason: null, disputedUntil: null }));
          if (ctx.json) return printJson(ctx.io, documentJson(db, updated, ctx.asOf()));
          note(ctx.io, ctx.quiet, t('documents.undispute.done', { ref: documentRef(d) }));
        }),
      ),
    ['relance invoice undispute F-2026-0003'],
  );
}
