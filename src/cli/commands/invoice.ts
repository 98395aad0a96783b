/**
 * relance invoice new | edit | delete | issue | cancel | list | show | pdf | dispute | undispute.
 * Drafts have no number and are addressed as draft-<id> (shown by "invoice list"); issuing gives
 * the next number of the ledger's one invoice sequence. The documents' JSON and PDFs are
 * src/documents/; the options quote and deposit share, cli/document-options.ts.
 */
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate } from '../../core/dates.js';
import { INVOICE_STATUSES } from '../../core/documents.js';
import { UsageError } from '../../core/errors.js';
import { TERMS_KINDS } from '../../core/terms.js';
import { clientById, requireClient, type Client } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { cancelInvoice, deleteDraft, documentRef, insertDocument, listDocuments, replaceLines, requireInvoice, requireQuote, settlement, termsFor, updateDocument, type Document } from '../../store/documents.js';
import { getSettings } from '../../store/settings.js';
import { parseEurRate } from '../../core/eur-rate.js';
import { documentJson } from '../../documents/json.js';
import { checkQuoteInvoiceable, hasStatus, invoiceFields, invoiceFromQuote, invoiceRows } from '../../documents/invoices.js';
import { freezeIssued } from '../../documents/pdf.js';
import { recurringFields, recurringJson } from '../../recurring/of-invoice.js';
import { money } from '../../render/format.js';
import { currencyOption, type DraftOptions, draftFields, editFields, gatherLines, parseOptionalDate, printLines, warnTerms, withLineOptions, writeDocumentPdf, type LineOptions } from '../document-options.js';
import { note, printFields, printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import { registerInvoiceFiles } from '../invoice-files.js';
import { registerInvoiceDispute } from '../invoice-dispute.js';
import { platformStatusJson, printStatusHistory, registerInvoiceStatus } from '../invoice-status.js';
import { issueAndSend, registerInvoiceSend, sendsOf, sentCell, withSendOptions, withSends } from '../invoice-send.js';
import { language, t } from '../../i18n/index.js';
import { canonical } from '../../core/vocabulary.js';

// ---------------------------------------------------------------- the command

interface NewOptions extends LineOptions, DraftOptions {
  fromQuote?: string;
  currency?: string;
  date?: string;
  due?: string;
  issue?: boolean;
  send?: boolean;
  asOf?: string;
}

const STATUS_FILTER = [...INVOICE_STATUSES, 'disputed', 'unpaid'] as const;

export function registerInvoice(program: Command, app: App): void {
  const invoice = program.command('invoice').description(t('documents.invoice.description')).summary(t('documents.invoice.summary'));
  examples(invoice, [
    'relance invoice new ACME --line "Développement | 3 | 450 | 20" --line "Hébergement | 12 | 15 | 20"',
    'relance invoice issue draft-1',
    'relance invoice new --from-quote D-2026-0001',
    'relance invoice list --status open',
    'relance invoice pdf F-2026-0001 --out F-2026-0001.pdf',
  ]);

  // new
  examples(
    withLineOptions(
      invoice
        .command('new')
        .argument('[client]', t('documents.invoice.new.argClient'))
        .description(t('documents.invoice.new.description'))
        .option('--from-quote <quote>', t('documents.invoice.opt.fromQuote'))
        .option('--po <number>', t('documents.opt.po'))
        .option('--delivery-address <text>', t('documents.invoice.opt.deliveryAddress'))
        .option('--service-date <date>', t('documents.invoice.opt.serviceDate'))
        .option('--terms <days>', t('documents.invoice.opt.terms'))
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--payment-link <url>', t('documents.invoice.opt.paymentLink'))
        .option('--currency <code>', t('documents.opt.currency'))
        .option('--operation <nature>', t('documents.invoice.opt.operation'))
        .option('--notes <text>', t('documents.invoice.opt.notes'))
        .option('--due <date>', t('documents.invoice.opt.due'))
        .option('--issue', t('documents.invoice.opt.issue'))
        .option('--date <date>', t('documents.invoice.opt.date'))
        .option('--send', t('documents.invoice.opt.send'))
        .option('--as-of <date>', t('documents.invoice.opt.newAsOf')),
    ).action(
      app.act(async (ctx, clientCode: string | undefined, o: NewOptions) => {
        const db = ctx.db();
        const settings = getSettings(db);
        const today = ctx.asOf(o.asOf);
        if (o.date !== undefined && !o.issue) throw new UsageError(t('documents.invoice.dateNeedsIssue', { date: o.date }));
        if (o.send && !o.issue) throw new UsageError(t('documents.invoice.sendNeedsIssue'));
        const common = { ...draftFields(o, today), dueDate: parseOptionalDate(o.due, '--due') };
        // The draft is made by `make` (one transaction); with --issue, made and issued in the same one.
        let make: () => Document;
        let client: Client;
        if (o.fromQuote !== undefined) {
          const quote = requireQuote(db, o.fromQuote);
          client = clientById(db, quote.clientId);
          if (clientCode !== undefined && requireClient(db, clientCode).id !== client.id) {
            throw new UsageError(t('documents.invoice.quoteOfOther', { number: quote.number, client: client.code, given: clientCode }));
          }
          checkQuoteInvoiceable(db, quote, o.currency !== undefined ? currencyOption(o.currency, settings) : undefined);
          const extra = (await gatherLines(ctx, o, settings, false)) ?? [];
          make = () => invoiceFromQuote(db, quote, common, extra);
        } else {
          if (clientCode === undefined) throw new UsageError(t('documents.invoice.missingClient'));
          const c = (client = requireClient(db, clientCode));
          const currency = currencyOption(o.currency, settings);
          const lines = (await gatherLines(ctx, o, settings, true))!;
          make = () => insertDocument(db, { kind: 'invoice', clientId: c.id, currency, ...common }, lines);
        }
        if (o.issue) return issueAndSend(ctx, { clientId: client.id, make }, o.date !== undefined ? parseDate(o.date, '--date') : today, o);
        const created = write(db, make);
        warnTerms(ctx, client, termsFor(db, created, client));
        if (ctx.json) return printJson(ctx.io, documentJson(db, created, today));
        const ref = documentRef(created);
        const m = (c: number) => money(c, created.currency);
        ctx.io.out(
          `${t('documents.invoice.created', {
            ref,
            what: t(created.kind === 'final' ? 'documents.invoice.createdWhat.final' : 'documents.invoice.createdWhat.invoice'),
            client: client.code,
            total: m(created.totalGross),
            deductions: created.deductedGross ? t('documents.invoice.createdDeductions', { deposits: m(created.deductedGross), due: m(created.amountDue) }) : '',
          })}\n`,
        );
        note(ctx.io, ctx.quiet, t('documents.invoice.draftNext', { ref }));
      }),
    ),
    [
      'relance invoice new ACME --line "Développement | 3 | 450 | 20" --line "Formation | 1 | 800 | 20 | 10%"',
      'relance invoice new GLOBEX --lines lines.csv --po PO-7781 --terms 45',
      'relance invoice new --from-quote D-2026-0001 --as-of 2026-03-31',
      'relance invoice new ACME --line "Audit | 2 | 450 | 20" --due 2026-04-30 --issue --send',
    ],
  );

  // edit
  examples(
    withLineOptions(
      invoice
        .command('edit')
        .argument('<draft>', t('documents.invoice.edit.arg'))
        .description(t('documents.invoice.edit.description'))
        .option('--po <number>', t('documents.invoice.edit.opt.po'))
        .option('--delivery-address <text>', t('documents.invoice.edit.opt.deliveryAddress'))
        .option('--service-date <date>', t('documents.invoice.edit.opt.serviceDate'))
        .option('--terms <days>', t('documents.invoice.edit.opt.terms'))
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--payment-link <url>', t('documents.invoice.edit.opt.paymentLink'))
        .option('--operation <nature>', t('documents.invoice.edit.opt.operation'))
        .option('--notes <text>', t('documents.invoice.edit.opt.notes')),
    ).action(
      app.act(async (ctx, ref: string, o: NewOptions) => {
        const db = ctx.db();
        const d = requireInvoice(db, ref);
        if (d.number !== null) throw new UsageError(t('documents.invoice.issuedNoChange', { number: d.number }));
        if (d.kind === 'deposit' && (o.line || o.lines)) throw new UsageError(t('documents.invoice.depositLines', { ref }));
        const settings = getSettings(db);
        const lines = o.line || o.lines ? await gatherLines(ctx, o, settings, true) : undefined;
        const fields = editFields(o);
        if (!lines && Object.values(fields).every((v) => v === undefined)) throw new UsageError(t('documents.invoice.nothingToChange', { ref }));
        const updated = write(db, () => {
          if (lines) replaceLines(db, d.id, lines);
          return updateDocument(db, d.id, fields);
        });
        const client = clientById(db, updated.clientId);
        warnTerms(ctx, client, termsFor(db, updated, client));
        if (ctx.json) return printJson(ctx.io, documentJson(db, updated, ctx.asOf()));
        note(ctx.io, ctx.quiet, t('documents.invoice.updated', { ref: documentRef(updated), total: money(updated.totalGross, updated.currency) }));
      }),
    ),
    ['relance invoice edit draft-12 --po PO-7781', 'relance invoice edit draft-12 --line "Audit | 2 | 900 | 20"', 'relance invoice edit draft-12 --notes ""'],
  );

  // delete
  examples(
    invoice
      .command('delete')
      .argument('<draft>', t('documents.invoice.delete.arg'))
      .description(t('documents.invoice.delete.description'))
      .action(
        app.act((ctx, ref: string) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          write(db, () => deleteDraft(db, d.id));
          if (ctx.json) return printJson(ctx.io, { deleted: documentRef(d) });
          note(ctx.io, ctx.quiet, t('documents.invoice.deleted', { ref: documentRef(d) }));
        }),
      ),
    ['relance invoice delete draft-12'],
  );

  // issue
  examples(
    withSendOptions(
      invoice
        .command('issue')
        .argument('<draft>', t('documents.invoice.issue.arg'))
        .description(t('documents.invoice.issue.description'))
        .option('--date <date>', t('documents.invoice.issue.opt.date'))
        .option('--eur-rate <rate>', t('documents.invoice.issue.opt.eurRate'))
        .option('--send', t('documents.invoice.issue.opt.send'))
        .option('--strict', t('documents.invoice.issue.opt.strict'))
        .option('--as-of <date>', t('documents.opt.asOfToday')),
      false,
    ).action(
      app.act(async (ctx, ref: string, o: { date?: string; asOf?: string; send?: boolean; eurRate?: string; strict?: boolean }) => {
        const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
        const d = requireInvoice(ctx.db(), ref);
        await issueAndSend(ctx, d, date, { ...o, eurRate: o.eurRate === undefined ? null : parseEurRate(o.eurRate, d.currency) });
      }),
    ),
    ['relance invoice issue draft-12', 'relance invoice issue draft-12 --date 2026-03-31 --send', 'relance invoice issue draft-13 --eur-rate 1.0845'],
  );

  // cancel
  examples(
    invoice
      .command('cancel')
      .argument('<number>', t('documents.arg.issuedInvoice'))
      .description(t('documents.invoice.cancel.description'))
      .option('--date <date>', t('documents.invoice.cancel.opt.date'))
      .option('--reason <text>', t('documents.invoice.cancel.opt.reason'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act(async (ctx, ref: string, o: { date?: string; reason?: string; asOf?: string }) => {
          const db = ctx.db();
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const d = requireInvoice(db, ref);
          const lang = clientById(db, d.clientId).lang;
          const credit = write(db, () => cancelInvoice(db, d.id, date, o.reason?.trim() || null, lang));
          await freezeIssued(ctx.db(), ctx.io, credit);
          if (ctx.json) return printJson(ctx.io, documentJson(db, credit, date));
          ctx.io.out(`${t('documents.invoice.cancelled', { credit: credit.number, amount: money(credit.totalGross, credit.currency), number: d.number })}\n`);
        }),
      ),
    [`relance invoice cancel F-2026-0007 --reason "${t('documents.invoice.exampleReason')}"`, 'relance invoice cancel F-2026-0007 --date 2026-04-02'],
  );

  // list
  examples(
    invoice
      .command('list')
      .description(t('documents.invoice.list.description'))
      .option('--client <code>', t('documents.opt.client'))
      .option('--status <status>', t('documents.invoice.list.opt.status', { statuses: STATUS_FILTER.join(' | ') }))
      .option('--kind <kind>', 'invoice | deposit | final | credit_note | penalty')
      .option('--from <date>', t('documents.invoice.list.opt.from'))
      .option('--to <date>', t('documents.invoice.list.opt.to'))
      .option('--as-of <date>', t('documents.invoice.list.opt.asOf'))
      .action(
        app.act((ctx, o: { client?: string; status?: string; kind?: string; from?: string; to?: string; asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const status = o.status === undefined ? undefined : validate(z.enum(STATUS_FILTER, t('documents.invoice.statusChoices', { choices: STATUS_FILTER.map((s) => (language() === 'fr' ? s.replace(' ', '-') : s)).join(', ') })), canonical('invoiceStatus', o.status), '--status');
          const kind = o.kind === undefined ? undefined : validate(z.enum(['invoice', 'deposit', 'final', 'credit_note', 'penalty'], t('documents.invoice.kindChoices')), o.kind, '--kind');
          const from = parseOptionalDate(o.from, '--from');
          const to = parseOptionalDate(o.to, '--to');
          const client = o.client ? requireClient(db, o.client) : undefined;
          let docs = listDocuments(db, { kinds: kind ? [kind] : ['invoice', 'deposit', 'final', 'credit_note', 'penalty'], clientId: client?.id, from, to });
          const st = settlement(db, docs.map((d) => d.id), asOf);
          if (status) docs = docs.filter((d) => hasStatus(d, st.get(d.id)!, status));
          const sends = sendsOf(ctx, docs);
          if (ctx.json) return printJson(ctx.io, docs.map((d) => ({ ...documentJson(db, d, asOf), sent: sends.get(d.id) ?? [] })));
          if (docs.length === 0) {
            note(ctx.io, false, t('documents.invoice.none'));
            return;
          }
          const rows = invoiceRows(db, docs, st).map((r, i) => [...r, sentCell(sends.get(docs[i]!.id), docs[i]!.number !== null)]);
          const head = (['number', 'kind', 'client', 'date', 'due', 'gross', 'toPay', 'balance', 'status', 'sent'] as const).map((h) => t(`documents.invoice.col.${h}`));
          printTable(ctx.io, head, rows, { right: [5, 6, 7] });
        }),
      ),
    ['relance invoice list', 'relance invoice list --client ACME --status unpaid', 'relance invoice list --from 2026-01-01 --to 2026-03-31 --json', 'relance invoice list --status draft'],
  );

  // show
  examples(
    invoice
      .command('show')
      .argument('<number>', t('documents.invoice.show.arg'))
      .description(t('documents.invoice.show.description'))
      .option('--as-of <date>', t('documents.invoice.show.opt.asOf'))
      .action(
        app.act((ctx, ref: string, o: { asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const d = requireInvoice(db, ref);
          if (ctx.json) return printJson(ctx.io, { ...withSends(ctx, d, asOf), ...platformStatusJson(db, d), ...recurringJson(db, d) });
          const sent = sendsOf(ctx, [d]).get(d.id) ?? [];
          const sentText = sent.length ? sent.map((x) => t(x.status === 'uncertain' ? 'documents.invoice.sentToUncertain' : 'documents.invoice.sentTo', { date: x.date, to: x.to })).join('; ') : t('documents.invoice.neverSent', { number: d.number });
          printFields(ctx.io, [...invoiceFields(db, d, asOf), ...recurringFields(db, d), ...(d.number ? [[t('documents.invoice.field.sent'), sentText] as [string, string]] : [])]);
          ctx.io.out('\n');
          printLines(ctx, d);
          printStatusHistory(ctx.io, db, d);
        }),
      ),
    ['relance invoice show F-2026-0001', 'relance invoice show draft-12 --json', 'relance invoice show F-2026-0001 --as-of 2026-06-30'],
  );

  // pdf
  examples(
    invoice
      .command('pdf')
      .argument('<number>', t('documents.invoice.pdf.arg'))
      .description(t('documents.invoice.pdf.description'))
      .option('--out <path>', t('documents.opt.out'))
      .action(
        app.act(async (ctx, ref: string, o: { out?: string }) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          const file = await writeDocumentPdf(ctx, d, o.out);
          if (ctx.json) return printJson(ctx.io, { ref: documentRef(d), file });
          ctx.io.out(`${t('documents.wrote', { file })}\n`);
        }),
      ),
    ['relance invoice pdf F-2026-0001', 'relance invoice pdf F-2026-0001 --out ~/factures/F-2026-0001.pdf'],
  );

  // freeze, xml: the frozen files of issued invoices
  registerInvoiceFiles(invoice, app);
  registerInvoiceStatus(invoice, app); // status: platform lifecycle statuses (cli/invoice-status.ts)
  registerInvoiceSend(invoice, app);

  registerInvoiceDispute(invoice, app); // dispute / undispute (cli/invoice-dispute.ts)
}

