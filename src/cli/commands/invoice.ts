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
  const invoice = program.command('invoice').description('invoices: create, issue (gapless number), list, show, PDF, cancel by credit note, dispute').summary('invoices: issue, list, PDF, cancel, dispute');
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
        .argument('[client]', 'client code (optional with --from-quote)')
        .description('create a draft invoice (no number until "invoice issue"); --from-quote makes the final invoice of a quote')
        .option('--from-quote <quote>', "the quote's final invoice: its lines, less every deposit invoice, per VAT rate")
        .option('--po <number>', "the client's purchase-order number")
        .option('--delivery-address <text>', "where this invoice's goods or services are delivered (default: the client's delivery address); lines separated by \";\"")
        .option('--service-date <date>', 'date of the sale or service, when different from the issue date')
        .option('--terms <days>', "payment terms in days (default: the client's, else the ledger's)")
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--payment-link <url>', "this invoice's payment link (default: the ledger's payment_link.pattern)")
        .option('--currency <code>', "ISO 4217 currency (default: the ledger's)")
        .option('--operation <nature>', 'nature of the operation: goods | services | both (default for --from-quote: the quote\'s)')
        .option('--notes <text>', 'a note printed on the invoice')
        .option('--due <date>', 'a due date agreed with the client (instead of the terms)')
        .option('--issue', 'issue it at once (its number, frozen PDF); --date gives the issue date')
        .option('--date <date>', 'with --issue: the invoice date (default: today, or --as-of)')
        .option('--send', 'with --issue: email it to the client ("invoice send")')
        .option('--as-of <date>', 'today for this command (the draft\'s creation date)'),
    ).action(
      app.act(async (ctx, clientCode: string | undefined, o: NewOptions) => {
        const db = ctx.db();
        const settings = getSettings(db);
        const today = ctx.asOf(o.asOf);
        if (o.date !== undefined && !o.issue) throw new UsageError(`--date is the invoice date, given when it is issued: add --issue (relance invoice new ... --issue --date ${o.date}), or later "relance invoice issue draft-N --date ${o.date}"`);
        if (o.send && !o.issue) throw new UsageError('--send emails the issued invoice: add --issue (a draft is never sent)');
        const common = { ...draftFields(o, today), dueDate: parseOptionalDate(o.due, '--due') };
        // The draft is made by `make` (one transaction); with --issue, made and issued in the same one.
        let make: () => Document;
        let client: Client;
        if (o.fromQuote !== undefined) {
          const quote = requireQuote(db, o.fromQuote);
          client = clientById(db, quote.clientId);
          if (clientCode !== undefined && requireClient(db, clientCode).id !== client.id) {
            throw new UsageError(`${quote.number} is a quote for ${client.code}, not ${clientCode}; leave the client out with --from-quote`);
          }
          checkQuoteInvoiceable(db, quote, o.currency !== undefined ? currencyOption(o.currency, settings) : undefined);
          const extra = (await gatherLines(ctx, o, settings, false)) ?? [];
          make = () => invoiceFromQuote(db, quote, common, extra);
        } else {
          if (clientCode === undefined) throw new UsageError('missing client; e.g. relance invoice new ACME --line "Développement | 3 | 450 | 20", or --from-quote QUOTE');
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
          `Created ${ref}: ${created.kind === 'final' ? 'final invoice' : 'invoice'} for ${client.code}, total ${m(created.totalGross)} incl. VAT` +
            (created.deductedGross ? `, deposits ${m(created.deductedGross)}, net due ${m(created.amountDue)}` : '') +
            '\n',
        );
        note(ctx.io, ctx.quiet, `It is a draft: change it with "relance invoice edit ${ref}", give it its number with "relance invoice issue ${ref}".`);
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
        .argument('<draft>', 'the draft, e.g. draft-12 (as "invoice list" shows it)')
        .description('change a draft (issued invoices never change: cancel them with a credit note); --line/--lines replace all its lines')
        .option('--po <number>', 'purchase-order number ("" clears it)')
        .option('--delivery-address <text>', 'delivery address of this invoice ("" clears it: the client\'s applies)')
        .option('--service-date <date>', 'date of the sale or service ("" clears it)')
        .option('--terms <days>', 'payment terms in days')
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--payment-link <url>', 'payment link ("" clears it)')
        .option('--operation <nature>', 'goods | services | both ("" clears it)')
        .option('--notes <text>', 'note ("" clears it)'),
    ).action(
      app.act(async (ctx, ref: string, o: NewOptions) => {
        const db = ctx.db();
        const d = requireInvoice(db, ref);
        if (d.number !== null) throw new UsageError(`${d.number} is issued and cannot change; cancel it with "relance invoice cancel ${d.number}" and make a new one`);
        if (d.kind === 'deposit' && (o.line || o.lines)) throw new UsageError(`${ref} is a deposit invoice; its lines come from the quote: delete it and run "relance deposit" again`);
        const settings = getSettings(db);
        const lines = o.line || o.lines ? await gatherLines(ctx, o, settings, true) : undefined;
        const fields = editFields(o);
        if (!lines && Object.values(fields).every((v) => v === undefined)) throw new UsageError(`nothing to change for ${ref}; give at least one option, see "relance invoice edit --help"`);
        const updated = write(db, () => {
          if (lines) replaceLines(db, d.id, lines);
          return updateDocument(db, d.id, fields);
        });
        const client = clientById(db, updated.clientId);
        warnTerms(ctx, client, termsFor(db, updated, client));
        if (ctx.json) return printJson(ctx.io, documentJson(db, updated, ctx.asOf()));
        note(ctx.io, ctx.quiet, `Updated ${documentRef(updated)}: total ${money(updated.totalGross, updated.currency)} incl. VAT`);
      }),
    ),
    ['relance invoice edit draft-12 --po PO-7781', 'relance invoice edit draft-12 --line "Audit | 2 | 900 | 20"', 'relance invoice edit draft-12 --notes ""'],
  );

  // delete
  examples(
    invoice
      .command('delete')
      .argument('<draft>', 'the draft, e.g. draft-12')
      .description('delete a draft (an issued invoice is cancelled with "invoice cancel" instead)')
      .action(
        app.act((ctx, ref: string) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          write(db, () => deleteDraft(db, d.id));
          if (ctx.json) return printJson(ctx.io, { deleted: documentRef(d) });
          note(ctx.io, ctx.quiet, `Deleted ${documentRef(d)}`);
        }),
      ),
    ['relance invoice delete draft-12'],
  );

  // issue
  examples(
    withSendOptions(
      invoice
        .command('issue')
        .argument('<draft>', 'the draft to issue, e.g. draft-12')
        .description('give a draft the next number of the invoice sequence, its issue date and its due date; --send emails it')
        .option('--date <date>', 'issue date (default: today, or --as-of)')
        .option('--eur-rate <rate>', 'an invoice not in EUR: its currency for 1 EUR, the ECB rate of the issue day (e.g. 1.0845), for the VAT in EUR')
        .option('--send', 'then email it to the client with its Factur-X PDF ("invoice send")')
        .option('--strict', "refuse when a mandatory mention is missing (default: the ledger's invoice.strict; else only warn)")
        .option('--as-of <date>', 'today for this command'),
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
      .argument('<number>', 'an issued invoice')
      .description('cancel an issued invoice by a credit note (avoir) for what remains unpaid, numbered in the same sequence')
      .option('--date <date>', 'date of the credit note (default: today, or --as-of)')
      .option('--reason <text>', 'why (printed on the credit note)')
      .option('--as-of <date>', 'today for this command')
      .action(
        app.act(async (ctx, ref: string, o: { date?: string; reason?: string; asOf?: string }) => {
          const db = ctx.db();
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const d = requireInvoice(db, ref);
          const lang = clientById(db, d.clientId).lang;
          const credit = write(db, () => cancelInvoice(db, d.id, date, o.reason?.trim() || null, lang));
          await freezeIssued(ctx.db(), ctx.io, credit);
          if (ctx.json) return printJson(ctx.io, documentJson(db, credit, date));
          ctx.io.out(`Issued credit note ${credit.number} for ${money(credit.totalGross, credit.currency)} incl. VAT: ${d.number} is cancelled\n`);
        }),
      ),
    ['relance invoice cancel F-2026-0007 --reason "Order cancelled"', 'relance invoice cancel F-2026-0007 --date 2026-04-02'],
  );

  // list
  examples(
    invoice
      .command('list')
      .description('list invoices (drafts as draft-N), with their balance and status as of a date')
      .option('--client <code>', 'one client')
      .option('--status <status>', `${STATUS_FILTER.join(' | ')} (unpaid = open or partially paid)`)
      .option('--kind <kind>', 'invoice | deposit | final | credit_note | penalty')
      .option('--from <date>', 'issued on or after')
      .option('--to <date>', 'issued on or before')
      .option('--as-of <date>', 'balances and status as of this date')
      .action(
        app.act((ctx, o: { client?: string; status?: string; kind?: string; from?: string; to?: string; asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const status = o.status === undefined ? undefined : validate(z.enum(STATUS_FILTER, STATUS_FILTER.join(', ')), o.status, '--status');
          const kind = o.kind === undefined ? undefined : validate(z.enum(['invoice', 'deposit', 'final', 'credit_note', 'penalty'], 'invoice, deposit, final, credit_note or penalty'), o.kind, '--kind');
          const from = parseOptionalDate(o.from, '--from');
          const to = parseOptionalDate(o.to, '--to');
          const client = o.client ? requireClient(db, o.client) : undefined;
          let docs = listDocuments(db, { kinds: kind ? [kind] : ['invoice', 'deposit', 'final', 'credit_note', 'penalty'], clientId: client?.id, from, to });
          const st = settlement(db, docs.map((d) => d.id), asOf);
          if (status) docs = docs.filter((d) => hasStatus(d, st.get(d.id)!, status));
          const sends = sendsOf(ctx, docs);
          if (ctx.json) return printJson(ctx.io, docs.map((d) => ({ ...documentJson(db, d, asOf), sent: sends.get(d.id) ?? [] })));
          if (docs.length === 0) {
            note(ctx.io, false, 'no invoices match; create one with "relance invoice new CLIENT --line ..."');
            return;
          }
          const rows = invoiceRows(db, docs, st).map((r, i) => [...r, sentCell(sends.get(docs[i]!.id), docs[i]!.number !== null)]);
          printTable(ctx.io, ['number', 'kind', 'client', 'date', 'due', 'incl. VAT', 'to pay', 'balance', 'status', 'sent'], rows, { right: [5, 6, 7] });
        }),
      ),
    ['relance invoice list', 'relance invoice list --client ACME --status unpaid', 'relance invoice list --from 2026-01-01 --to 2026-03-31 --json', 'relance invoice list --status draft'],
  );

  // show
  examples(
    invoice
      .command('show')
      .argument('<number>', 'an invoice number or draft-N')
      .description('show an invoice: lines, VAT per rate, deposits deducted, payments and status')
      .option('--as-of <date>', 'balance and status as of this date')
      .action(
        app.act((ctx, ref: string, o: { asOf?: string }) => {
          const db = ctx.db();
          const asOf = ctx.asOf(o.asOf);
          const d = requireInvoice(db, ref);
          if (ctx.json) return printJson(ctx.io, { ...withSends(ctx, d, asOf), ...platformStatusJson(db, d), ...recurringJson(db, d) });
          const sent = sendsOf(ctx, [d]).get(d.id) ?? [];
          printFields(ctx.io, [...invoiceFields(db, d, asOf), ...recurringFields(db, d), ...(d.number ? [['sent', sent.length ? sent.map((x) => `${x.date} to ${x.to}${x.status === 'uncertain' ? ' (uncertain)' : ''}`).join('; ') : 'never (relance invoice send ' + d.number + ')'] as [string, string]] : [])]);
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
      .argument('<number>', 'an invoice number (or draft-N, for a preview marked as a draft)')
      .description('write the invoice as an A4 PDF with every mandatory mention')
      .option('--out <path>', 'where to write it (default: ./<number>.pdf)')
      .action(
        app.act(async (ctx, ref: string, o: { out?: string }) => {
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          const file = await writeDocumentPdf(ctx, d, o.out);
          if (ctx.json) return printJson(ctx.io, { ref: documentRef(d), file });
          ctx.io.out(`Wrote ${file}\n`);
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

