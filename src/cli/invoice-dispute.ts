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

export function registerInvoiceDispute(invoice: Command, app: App): void {
  // dispute / undispute
  examples(
    invoice
      .command('dispute')
      .argument('<number>', 'an issued invoice')
      .description('mark an invoice as disputed by the client (reminders pause while it is)')
      .requiredOption('--reason <text>', 'what the client disputes')
      .option('--until <date>', 'the dispute flag ends after this date')
      .option('--date <date>', 'since when (default: today, or --as-of)')
      .option('--as-of <date>', 'today for this command')
      .action(
        app.act((ctx, ref: string, o: { reason: string; until?: string; date?: string; asOf?: string }) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          if (d.number === null || d.kind === 'credit_note') throw new UsageError(`${documentRef(d)} is ${d.number === null ? 'a draft' : 'a credit note'}; only an issued invoice can be disputed`);
          if (o.reason.trim() === '') throw new UsageError('--reason: say what the client disputes');
          const since = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const until = parseOptionalDate(o.until, '--until') ?? null;
          if (until && until < since) throw new UsageError(`--until ${until} is before the dispute's start, ${since} (${o.date !== undefined ? '--date' : o.asOf !== undefined ? '--as-of' : 'today'}); give a later --until, or the day the dispute began with --date`);
          const updated = write(db, () => updateDocument(db, d.id, { disputedOn: since, disputedReason: o.reason.trim(), disputedUntil: until }));
          if (ctx.json) return printJson(ctx.io, documentJson(db, updated, since));
          note(ctx.io, ctx.quiet, `${d.number} is disputed since ${since}${until ? ` until ${until}` : ''}: ${o.reason.trim()}`);
        }),
      ),
    ['relance invoice dispute F-2026-0003 --reason "Delivery incomplete"', 'relance invoice dispute F-2026-0003 --reason "Waiting for credit" --until 2026-04-30'],
  );

  examples(
    invoice
      .command('undispute')
      .argument('<number>', 'a disputed invoice')
      .description('clear the disputed flag')
      .action(
        app.act((ctx, ref: string) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          if (!d.disputedOn) throw new UsageError(`${documentRef(d)} is not disputed; nothing to clear (see it with "relance invoice show ${documentRef(d)}")`);
          const updated = write(db, () => updateDocument(db, d.id, { disputedOn: null, disputedReason: null, disputedUntil: null }));
          if (ctx.json) return printJson(ctx.io, documentJson(db, updated, ctx.asOf()));
          note(ctx.io, ctx.quiet, `${documentRef(d)} is no longer disputed`);
        }),
      ),
    ['relance invoice undispute F-2026-0003'],
  );
}
