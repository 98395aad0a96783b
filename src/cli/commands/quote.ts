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
import { formatBp, numberText, parsePercent } from '../../core/numbers.js';
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

const VALIDITY = numberText('a number of days').check(z.int('whole days'), z.minimum(1, 'at least 1 day'), z.maximum(3650, 'at most 3650 days'));

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
  const quote = program.command('quote').description('quotes (devis): create, list, show, PDF, accept ("bon pour accord"), decline').summary('quotes (devis): create, PDF, accept, decline');
  examples(quote, [
    'relance quote new ACME --line "Développement | 10 | 450 | 20" --line "Livres | 4 | 25 | 5.5" --deposit 30',
    'relance quote accept D-2026-0001 --signed-by "Jeanne Martin" --date 2026-03-02',
    'relance quote pdf D-2026-0001 --out devis.pdf',
  ]);

  examples(
    withLineOptions(
      quote
        .command('new')
        .argument('<client>', 'client code')
        .description('create and number a quote')
        .option('--validity <days>', 'days the quote stays valid', '30')
        .option('--deposit <percent>', 'deposit requested on acceptance, e.g. 30')
        .option('--operation <nature>', 'nature of the operation: goods | services | both')
        .option('--notes <text>', 'a note printed on the quote')
        .option('--date <date>', 'date of the quote (default: today, or --as-of)')
        .option('--currency <code>', "ISO 4217 currency (default: the ledger's)")
        .option('--as-of <date>', 'today for this command'),
    ).action(
      app.act(async (ctx, code: string, o: NewOptions) => {
        const db = ctx.db();
        const settings = getSettings(db);
        const client = requireClient(db, code);
        const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
        const validityDays = validate(VALIDITY, o.validity ?? '30', '--validity');
        let depositBp: number | undefined;
        if (o.deposit !== undefined) {
          depositBp = parsePercent(o.deposit, '--deposit');
          if (depositBp <= 0 || depositBp > 10_000) throw new UsageError(`--deposit: ${o.deposit} must be more than 0 and at most 100 (%)`);
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
          `Created quote ${created.number} for ${client.code}: ${money(created.totalGross, currency)} incl. VAT, valid until ${quoteValidUntil(date, validityDays)}\n`,
        );
        note(ctx.io, ctx.quiet, `PDF: relance quote pdf ${created.number} · when signed: relance quote accept ${created.number} --signed-by NAME`);
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
      .description('list quotes with their status as of a date')
      .option('--client <code>', 'one client')
      .option('--status <status>', QUOTE_STATUSES.join(' | '))
      .option('--as-of <date>', 'status as of this date (expiry)')
      .action(
        app.act((ctx, o: { client?: string; status?: string; asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const status = o.status === undefined ? undefined : validate(z.enum(QUOTE_STATUSES, QUOTE_STATUSES.join(', ')), o.status, '--status');
          const client = o.client ? requireClient(db, o.client) : undefined;
          const quotes = listDocuments(db, { kinds: ['quote'], clientId: client?.id }).filter((q) => !status || statusOfQuote(db, q, asOf) === status);
          if (ctx.json) return printJson(ctx.io, quotes.map((q) => quoteJson(db, q, asOf)));
          if (quotes.length === 0) return note(ctx.io, false, 'no quotes match; create one with "relance quote new CLIENT --line ..."');
          printTable(
            ctx.io,
            ['number', 'client', 'date', 'valid until', 'excl. VAT', 'incl. VAT', 'status'],
            quotes.map((q) => [
              q.number,
              clientById(db, q.clientId).code,
              q.issueDate,
              quoteValidUntil(q.issueDate!, q.validityDays),
              money(q.totalNet, q.currency),
              money(q.totalGross, q.currency),
              statusOfQuote(db, q, asOf),
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
      .argument('<number>', 'quote number')
      .description('show a quote: lines, VAT per rate, status, deposits and invoice')
      .option('--as-of <date>', 'status as of this date')
      .action(
        app.act((ctx, ref: string, o: { asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const q = requireQuote(db, ref);
          const j = quoteJson(db, q, asOf);
          if (ctx.json) return printJson(ctx.io, j);
          printFields(ctx.io, [
            ['quote', q.number],
            ['client', `${j.client} (${clientById(db, q.clientId).name})`],
            ['date', q.issueDate],
            ['valid until', j.validUntil],
            ['status', `${j.status} as of ${asOf}`],
            ['accepted', q.acceptedOn ? `${q.acceptedOn}${q.acceptedBy ? ` by ${q.acceptedBy}` : ''} (bon pour accord)` : null],
            ['declined', q.declinedOn],
            ['deposit asked', j.depositPercent ? `${j.depositPercent} %` : null],
            ['total excl. VAT', money(q.totalNet, q.currency)],
            ['VAT', money(q.totalVat, q.currency)],
            ['total incl. VAT', money(q.totalGross, q.currency)],
            ['deposit invoices', j.deposits.join(', ')],
            ['invoice', j.invoice],
            ['notes', q.notes],
          ]);
          ctx.io.out('\n');
          printLines(ctx, q);
        }),
      ),
    ['relance quote show D-2026-0001', 'relance quote show D-2026-0001 --json'],
  );

  examples(
    quote
      .command('pdf')
      .argument('<number>', 'quote number')
      .description('write the quote as an A4 PDF, with its "bon pour accord" block')
      .option('--out <path>', 'where to write it (default: ./<number>.pdf)')
      .action(
        app.act(async (ctx, ref: string, o: { out?: string }) => {
          const q = requireQuote(ctx.db(), ref);
          const file = await writeDocumentPdf(ctx, q, o.out);
          if (ctx.json) return printJson(ctx.io, { ref: q.number, file });
          ctx.io.out(`Wrote ${file}\n`);
        }),
      ),
    ['relance quote pdf D-2026-0001', 'relance quote pdf D-2026-0001 --out ~/devis/D-2026-0001.pdf'],
  );
  registerQuoteSend(quote, app);

  examples(
    quote
      .command('accept')
      .argument('<number>', 'quote number')
      .description('record the client\'s "bon pour accord": who signed and when')
      .requiredOption('--signed-by <name>', 'who signed for the client')
      .option('--date <date>', 'date of the signature (default: today, or --as-of)')
      .option('--force', 'accept a quote past its validity')
      .option('--as-of <date>', 'today for this command')
      .action(
        app.act((ctx: Context, ref: string, o: { signedBy: string; date?: string; force?: boolean; asOf?: string }) => {
          const db = ctx.db();
          const q = requireQuote(db, ref);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const by = o.signedBy.trim();
          if (by === '') throw new UsageError('--signed-by: give the name of who signed for the client');
          if (q.acceptedOn) throw new UsageError(`${q.number} was already accepted on ${q.acceptedOn}${q.acceptedBy ? ` by ${q.acceptedBy}` : ''}`);
          if (q.declinedOn) throw new UsageError(`${q.number} was declined on ${q.declinedOn}; make a new quote with "relance quote new"`);
          if (date < q.issueDate!) throw new UsageError(`--date ${date} is before the quote's date ${q.issueDate}`);
          const until = quoteValidUntil(q.issueDate!, q.validityDays);
          if (until && date > until && !o.force) {
            throw new UsageError(`${q.number} expired on ${until} (valid ${q.validityDays} days from ${q.issueDate}); accept it anyway with --force, or make a new quote`);
          }
          const updated = write(db, () => updateDocument(db, q.id, { acceptedOn: date, acceptedBy: by }));
          if (ctx.json) return printJson(ctx.io, quoteJson(db, updated, date));
          ctx.io.out(`Accepted ${q.number} on ${date}, signed by ${by} (bon pour accord)\n`);
          note(
            ctx.io,
            ctx.quiet,
            q.depositBp
              ? `Deposit asked: ${formatBp(q.depositBp)} %; invoice it with "relance deposit ${q.number}"`
              : `Next: "relance deposit ${q.number} --percent 30" or "relance invoice new --from-quote ${q.number}"`,
          );
        }),
      ),
    ['relance quote accept D-2026-0001 --signed-by "Jeanne Martin"', 'relance quote accept D-2026-0001 --signed-by "J. Martin" --date 2026-03-02', 'relance quote accept D-2025-0042 --signed-by "J. Martin" --force'],
  );

  examples(
    quote
      .command('decline')
      .argument('<number>', 'quote number')
      .description('record that the client declined the quote')
      .option('--date <date>', 'date of the refusal (default: today, or --as-of)')
      .option('--as-of <date>', 'today for this command')
      .action(
        app.act((ctx, ref: string, o: { date?: string; asOf?: string }) => {
          const db = ctx.db();
          const q = requireQuote(db, ref);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          if (q.acceptedOn) throw new UsageError(`${q.number} was accepted on ${q.acceptedOn}; it cannot be declined`);
          if (q.declinedOn) throw new UsageError(`${q.number} was already declined on ${q.declinedOn}`);
          if (date < q.issueDate!) throw new UsageError(`--date ${date} is before the quote's date ${q.issueDate}`);
          const updated = write(db, () => updateDocument(db, q.id, { declinedOn: date }));
          if (ctx.json) return printJson(ctx.io, quoteJson(db, updated, date));
          // The same stream as "Accepted ...": the outcome of the command, on stdout.
          ctx.io.out(`Declined ${q.number} on ${date}\n`);
        }),
      ),
    ['relance quote decline D-2026-0002', 'relance quote decline D-2026-0002 --date 2026-03-15'],
  );
}

