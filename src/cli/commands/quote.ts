/**
 * relance quote new | list | show | pdf | accept | decline: quotes (devis). A quote is numbered
 * from its own sequence (quote.pattern) when it is made; it is accepted with the client's
 * "bon pour accord" (who signed, when), and past its validity it shows as expired and can only be
 * accepted with --force. Deposits come from "relance deposit", the final invoice from
 * "relance invoice new --from-quote".
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate } from '../../core/dates.js';
import { QUOTE_STATUSES, quoteValidUntil } from '../../core/documents.js';
import { UsageError } from '../../core/errors.js';
import { numberText, parsePercent } from '../../core/numbers.js';
import { clientById, requireClient } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { insertDocument, listDocuments, requireQuote, takeNumber, updateDocument } from '../../store/documents.js';
import { getSetting, getSettings } from '../../store/settings.js';
import { note, printFields, printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { registerQuoteSend } from '../quote-send.js';
import { quoteJson, statusOfQuote } from '../../documents/json.js';
import { money } from '../../render/format.js';
import { currencyOption, operationOption, gatherLines, printLines, withLineOptions, writeDocumentPdf, type LineOptions } from '../document-options.js';
import { t } from '../../i18n/index.js';
import { canonical } from '../../core/vocabulary.js';
import { percentText, quoteStatusLabel } from '../../documents/labels.js';

const VALIDITY = () => numberText(t('documents.quote.validity.what')).check(z.int(t('documents.quote.validity.whole')), z.minimum(1, t('documents.quote.validity.min')), z.maximum(3650, t('documents.quote.validity.max')));

interface NewOptions extends LineOptions {
  operation?: string;
  validity?: string;
  deposit?: string;
  notes?: string;
  date?: string;
  currency?: string;
  asOf?: string;
}

export function registerQuote(program: Command, app: App): void {
  const quote = program.command('quote').description(t('documents.quote.description')).summary(t('documents.quote.summary'));
  examples(quote, [
    'relance quote new ACME --line "Développement | 10 | 450 | 20" --line "Livres | 4 | 25 | 5.5" --deposit 30',
    'relance quote accept D-2026-0001 --signed-by "Jeanne Martin" --date 2026-03-02',
    'relance quote pdf D-2026-0001 --out devis.pdf',
  ]);

  examples(
    withLineOptions(
      quote
        .command('new')
        .argument('<client>', t('documents.client.argClientCode'))
        .description(t('documents.quote.new.description'))
        .option('--validity <days>', t('documents.quote.opt.validity'), '30')
        .option('--deposit <percent>', t('documents.quote.opt.deposit'))
        .option('--operation <nature>', t('documents.quote.opt.operation'))
        .option('--notes <text>', t('documents.quote.opt.notes'))
        .option('--date <date>', t('documents.quote.opt.date'))
        .option('--currency <code>', t('documents.opt.currency'))
        .option('--as-of <date>', t('documents.opt.asOfToday')),
    ).action(
      app.act(async (ctx, code: string, o: NewOptions) => {
        const db = ctx.db();
        const settings = getSettings(db);
        const client = requireClient(db, code);
        const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
        const validityDays = validate(VALIDITY(), o.validity ?? '30', '--validity');
        let depositBp: number | undefined;
        if (o.deposit !== undefined) {
          depositBp = parsePercent(o.deposit, '--deposit');
          if (depositBp <= 0 || depositBp > 10_000) throw new UsageError(t('documents.quote.depositRange', { value: o.deposit }));
        }
        const currency = currencyOption(o.currency, settings);
        const lines = (await gatherLines(ctx, o, settings, true))!;
        const created = write(db, () => {
          const doc = insertDocument(db, { kind: 'quote', clientId: client.id, currency, createdOn: date, issueDate: date, validityDays, depositBp, operation: operationOption(o.operation), notes: o.notes?.trim() || undefined }, lines);
          const { seq, number } = takeNumber(db, 'quote', getSetting(db, 'quote.pattern'), date);
          return updateDocument(db, doc.id, { number, seq });
        });
        if (ctx.json) return printJson(ctx.io, quoteJson(db, created, date));
        ctx.io.out(
          `${t('documents.quote.created', { number: created.number, client: client.code, total: money(created.totalGross, currency), until: quoteValidUntil(date, validityDays) })}\n`,
        );
        note(ctx.io, ctx.quiet, t('documents.quote.createdNext', { number: created.number }));
      }),
    ),
    [
      'relance quote new ACME --line "Développement | 10 | 450 | 20" --line "Livres | 4 | 25 | 5.5" --deposit 30',
      'relance quote new MARTIN --lines travaux.csv --validity 60 --date 2026-03-01',
    ],
  );

  examples(
    quote
      .command('list')
      .description(t('documents.quote.list.description'))
      .option('--client <code>', t('documents.opt.client'))
      .option('--status <status>', QUOTE_STATUSES.join(' | '))
      .option('--as-of <date>', t('documents.quote.opt.listAsOf'))
      .action(
        app.act((ctx, o: { client?: string; status?: string; asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const status = o.status === undefined ? undefined : validate(z.enum(QUOTE_STATUSES, t('documents.quote.statusChoices', { choices: QUOTE_STATUSES.join(', ') })), canonical('quoteStatus', o.status), '--status');
          const client = o.client ? requireClient(db, o.client) : undefined;
          const quotes = listDocuments(db, { kinds: ['quote'], clientId: client?.id }).filter((q) => !status || statusOfQuote(db, q, asOf) === status);
          if (ctx.json) return printJson(ctx.io, quotes.map((q) => quoteJson(db, q, asOf)));
          if (quotes.length === 0) return note(ctx.io, false, t('documents.quote.none'));
          printTable(
            ctx.io,
            (['number', 'client', 'date', 'validUntil', 'net', 'gross', 'status'] as const).map((h) => t(`documents.quote.col.${h}`)),
            quotes.map((q) => [
              q.number,
              clientById(db, q.clientId).code,
              q.issueDate,
              quoteValidUntil(q.issueDate!, q.validityDays),
              money(q.totalNet, q.currency),
              money(q.totalGross, q.currency),
              quoteStatusLabel(statusOfQuote(db, q, asOf)),
            ]),
            { right: [4, 5] },
          );
        }),
      ),
    ['relance quote list', 'relance quote list --status open --as-of 2026-04-15', 'relance quote list --client ACME --json'],
  );

  examples(
    quote
      .command('show')
      .argument('<number>', t('documents.arg.quoteNumber'))
      .description(t('documents.quote.show.description'))
      .option('--as-of <date>', t('documents.quote.opt.showAsOf'))
      .action(
        app.act((ctx, ref: string, o: { asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const q = requireQuote(db, ref);
          const j = quoteJson(db, q, asOf);
          if (ctx.json) return printJson(ctx.io, j);
          const fields = [
            ['quote', q.number],
            ['client', `${j.client} (${clientById(db, q.clientId).name})`],
            ['date', q.issueDate],
            ['validUntil', j.validUntil],
            ['status', t('documents.quote.statusAsOf', { status: quoteStatusLabel(j.status), date: asOf })],
            ['accepted', q.acceptedOn ? (q.acceptedBy ? t('documents.quote.acceptedOnBy', { date: q.acceptedOn, by: q.acceptedBy }) : t('documents.quote.acceptedOn', { date: q.acceptedOn })) : null],
            ['declined', q.declinedOn],
            ['depositAsked', q.depositBp ? `${percentText(q.depositBp)} %` : null],
            ['net', money(q.totalNet, q.currency)],
            ['vat', money(q.totalVat, q.currency)],
            ['gross', money(q.totalGross, q.currency)],
            ['deposits', j.deposits.join(', ')],
            ['invoice', j.invoice],
            ['notes', q.notes],
          ] as const;
          printFields(ctx.io, fields.map(([k, v]): [string, string | null] => [t(`documents.quote.field.${k}`), v]));
          ctx.io.out('\n');
          printLines(ctx, q);
        }),
      ),
    ['relance quote show D-2026-0001', 'relance quote show D-2026-0001 --json'],
  );

  examples(
    quote
      .command('pdf')
      .argument('<number>', t('documents.arg.quoteNumber'))
      .description(t('documents.quote.pdf.description'))
      .option('--out <path>', t('documents.opt.out'))
      .action(
        app.act(async (ctx, ref: string, o: { out?: string }) => {
          const q = requireQuote(ctx.db(), ref);
          const file = await writeDocumentPdf(ctx, q, o.out);
          if (ctx.json) return printJson(ctx.io, { ref: q.number, file });
          ctx.io.out(`${t('documents.wrote', { file })}\n`);
        }),
      ),
    ['relance quote pdf D-2026-0001', 'relance quote pdf D-2026-0001 --out ~/devis/D-2026-0001.pdf'],
  );
  registerQuoteSend(quote, app);

  examples(
    quote
      .command('accept')
      .argument('<number>', t('documents.arg.quoteNumber'))
      .description(t('documents.quote.accept.description'))
      .requiredOption('--signed-by <name>', t('documents.quote.opt.signedBy'))
      .option('--date <date>', t('documents.quote.opt.signDate'))
      .option('--force', t('documents.quote.opt.force'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act((ctx: Context, ref: string, o: { signedBy: string; date?: string; force?: boolean; asOf?: string }) => {
          const db = ctx.db();
          const q = requireQuote(db, ref);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const by = o.signedBy.trim();
          if (by === '') throw new UsageError(t('documents.quote.signedByEmpty'));
          if (q.acceptedOn) throw new UsageError(t(q.acceptedBy ? 'documents.quote.alreadyAcceptedBy' : 'documents.quote.alreadyAccepted', { number: q.number, date: q.acceptedOn, by: q.acceptedBy }));
          if (q.declinedOn) throw new UsageError(t('documents.quote.wasDeclined', { number: q.number, date: q.declinedOn }));
          if (date < q.issueDate!) throw new UsageError(t('documents.dateBeforeQuote', { date, quoteDate: q.issueDate }));
          const until = quoteValidUntil(q.issueDate!, q.validityDays);
          if (until && date > until && !o.force) {
            throw new UsageError(t('documents.quote.expired', { number: q.number, until, days: q.validityDays, date: q.issueDate }));
          }
          const updated = write(db, () => updateDocument(db, q.id, { acceptedOn: date, acceptedBy: by }));
          if (ctx.json) return printJson(ctx.io, quoteJson(db, updated, date));
          ctx.io.out(`${t('documents.quote.accepted', { number: q.number, date, by })}\n`);
          note(
            ctx.io,
            ctx.quiet,
            q.depositBp
              ? t('documents.quote.depositAsked', { percent: percentText(q.depositBp), number: q.number })
              : t('documents.quote.acceptedNext', { number: q.number }),
          );
        }),
      ),
    ['relance quote accept D-2026-0001 --signed-by "Jeanne Martin"', 'relance quote accept D-2026-0001 --signed-by "J. Martin" --date 2026-03-02', 'relance quote accept D-2025-0042 --signed-by "J. Martin" --force'],
  );

  examples(
    quote
      .command('decline')
      .argument('<number>', t('documents.arg.quoteNumber'))
      .description(t('documents.quote.decline.description'))
      .option('--date <date>', t('documents.quote.opt.declineDate'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act((ctx, ref: string, o: { date?: string; asOf?: string }) => {
          const db = ctx.db();
          const q = requireQuote(db, ref);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          if (q.acceptedOn) throw new UsageError(t('documents.quote.cannotDecline', { number: q.number, date: q.acceptedOn }));
          if (q.declinedOn) throw new UsageError(t('documents.quote.alreadyDeclined', { number: q.number, date: q.declinedOn }));
          if (date < q.issueDate!) throw new UsageError(t('documents.dateBeforeQuote', { date, quoteDate: q.issueDate }));
          const updated = write(db, () => updateDocument(db, q.id, { declinedOn: date }));
          if (ctx.json) return printJson(ctx.io, quoteJson(db, updated, date));
          // The same stream as "Accepted ...": the outcome of the command, on stdout.
          ctx.io.out(`${t('documents.quote.declined', { number: q.number, date })}\n`);
        }),
      ),
    ['relance quote decline D-2026-0002', 'relance quote decline D-2026-0002 --date 2026-03-15'],
  );
}

