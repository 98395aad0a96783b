/**
 * relance invoice new | edit | delete | issue | cancel | list | show | pdf | dispute | undispute.
 * Drafts have no number and are addressed as draft-<id> (shown by "invoice list"); issuing gives
 * the next number of the ledger's one invoice sequence. Also the helpers quote and deposit share:
 * reading lines (flags, file, prompts), JSON, and the data of a PDF.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { INVOICE_STATUSES, quoteValidUntil, type DocumentKind } from '../../core/documents.js';
import { UsageError } from '../../core/errors.js';
import { parseLineFlag, parseLinesFile, type LineDefaults } from '../../core/lines.js';
import { centsToDecimal, formatMoney, parseAmount } from '../../core/money.js';
import { formatBp, formatQuantity, numberText, parsePercent } from '../../core/numbers.js';
import { describeTerms, exceedsLegalMax, TERMS_KINDS, type Terms } from '../../core/terms.js';
import { checkLinesFit, checkVatRate, computeLine, type ComputedLine, type LineInput } from '../../core/vat.js';
import { checkPaymentLink, safeName } from '../../core/links.js';
import { clientById, requireClient, type Client } from '../../store/clients.js';
import { write, type Db } from '../../store/db.js';
import {
  cancelInvoice,
  closingInvoiceOf,
  creditNotesOf,
  deductionsForQuote,
  deleteDraft,
  documentById,
  documentRef,
  documentWithLines,
  documentsWithoutPdf,
  freezesPdf,
  insertDocument,
  issueDocument,
  listDocuments,
  paymentLinkFor,
  replaceDeductions,
  replaceLines,
  requireInvoice,
  requireQuote,
  settlement,
  settlementOf,
  storedPdf,
  storePdf,
  termsFor,
  updateDocument,
  type Document,
  type Operation,
} from '../../store/documents.js';
import { getSettings, type Settings } from '../../store/settings.js';
import { renderDocumentPdf, type DocumentPdfData } from '../../render/document-pdf.js';
import { note, printFields, printJson, printTable, warn } from '../../render/output.js';
import { collect, examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { missingFlag } from '../context.js';
import type { IO } from '../io.js';

// ---------------------------------------------------------------- shared helpers

export const KIND_LABEL: Record<DocumentKind, string> = {
  quote: 'quote',
  invoice: 'invoice',
  deposit: 'deposit',
  final: 'final',
  credit_note: 'credit note',
  penalty: 'penalty',
};

export interface LineOptions {
  line?: string[];
  lines?: string;
}

export function lineDefaults(settings: Settings): LineDefaults {
  return { vatBp: settings.vat_exempt ? 0 : 2000 };
}

/**
 * The lines of a new document: from --line flags, then --lines FILE; with neither, asked on a
 * terminal; in a script, exit 2 when `required`. A VAT-exempt ledger puts every rate at 0.
 */
export async function gatherLines(ctx: Context, o: LineOptions, settings: Settings, required: boolean): Promise<ComputedLine[] | undefined> {
  const defaults = lineDefaults(settings);
  let lines: LineInput[] = [];
  (o.line ?? []).forEach((text, i) => lines.push(parseLineFlag(text, defaults, (o.line?.length ?? 0) > 1 ? `--line ${i + 1}` : '--line')));
  if (o.lines !== undefined) {
    const file = path.resolve(ctx.io.cwd, o.lines);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--lines: cannot read ${o.lines} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a CSV or JSON file of lines`);
    }
    lines.push(...parseLinesFile(text, path.basename(file), defaults));
  }
  if (lines.length === 0) {
    if (ctx.io.canPrompt) lines = await promptLines(ctx.io, defaults);
    else if (required) throw missingFlag('--line or --lines', 'e.g. --line "Développement | 3 | 450 | 20"');
    else return undefined;
    if (lines.length === 0 && required) throw new UsageError('no lines given; a document needs at least one line');
  }
  if (settings.vat_exempt && lines.some((l) => l.vatBp !== 0)) {
    warn(ctx.io, 'the ledger is VAT-exempt (art. 293 B du CGI): VAT set to 0 on every line');
    lines = lines.map((l) => ({ ...l, vatBp: 0 }));
  }
  return checkLinesFit(lines.map(computeLine));
}

async function promptLines(io: IO, defaults: LineDefaults): Promise<LineInput[]> {
  const { input } = await import('@inquirer/prompts');
  const out: LineInput[] = [];
  io.err('Lines: one per question; an empty description ends the list.\n');
  for (;;) {
    const n = out.length + 1;
    const description = (await input({ message: `Line ${n} description` })).trim();
    if (description === '') break;
    const check = (fn: (s: string) => unknown) => (s: string) => {
      try {
        fn(s);
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const quantity = await input({ message: 'Quantity', default: '1', validate: check((s) => parseLineFlag(`x | ${s} | 0`, defaults)) });
    const price = await input({ message: 'Unit price excl. VAT', validate: check((s) => parseAmount(s, 'unit price')) });
    const vat = await input({ message: 'VAT %', default: formatBp(defaults.vatBp), validate: check((s) => checkVatRate(parsePercent(s))) });
    const discount = await input({ message: 'Discount (e.g. 10% or 50, empty for none)', default: '' });
    out.push(parseLineFlag([description.replace(/\|/g, '/'), quantity, price, vat, discount].join(' | '), defaults, `line ${n}`));
  }
  return out;
}

export function withLineOptions(cmd: Command): Command {
  return cmd
    .option('--line <text>', 'a line: "description | qty | unit price excl. VAT | vat%[ | discount]" (repeat for more; discount "10%" or an amount)', collect)
    .option('--lines <file>', 'lines from a CSV (description,quantity,unit_price,vat,discount) or JSON file');
}

export function parseOptionalDate(text: string | undefined, flag: string): IsoDate | undefined {
  return text === undefined ? undefined : parseDate(text, flag);
}

const TERMS_DAYS = numberText('a number of days').check(z.int('whole days'), z.minimum(0, 'at least 0 days'), z.maximum(365, 'at most 365 days'));

/** --terms N and --terms-kind K for a document; undefined when not given. */
export function termsOptions(o: { terms?: string; termsKind?: string }): { termsDays?: number; termsKind?: Terms['kind'] } {
  const out: { termsDays?: number; termsKind?: Terms['kind'] } = {};
  if (o.terms !== undefined) out.termsDays = validate(TERMS_DAYS, o.terms, '--terms');
  if (o.termsKind !== undefined) {
    out.termsKind = validate(z.enum(TERMS_KINDS, TERMS_KINDS.join(', ')), o.termsKind, '--terms-kind');
    if (out.termsDays === undefined) throw new UsageError('--terms-kind needs --terms DAYS too, e.g. --terms 45 --terms-kind 45eom-add-then-eom');
  }
  return out;
}

export const OPERATIONS = ['goods', 'services', 'both'] as const;

/** --operation goods|services|both (nature of the operation, a mandatory mention from 2026-09 / 2027-09). */
export function operationOption(text: string | undefined): Operation | undefined {
  return text === undefined ? undefined : validate(z.enum(OPERATIONS, 'goods, services or both'), text.trim().toLowerCase(), '--operation');
}

const CURRENCY = z.string().check(z.regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR or USD'));

export function currencyOption(text: string | undefined, settings: Settings): string {
  return text === undefined ? settings.currency : validate(CURRENCY, text.toUpperCase(), '--currency');
}

/** Money as the CLI prints it (English form, tables are for the user of the ledger). */
const dec = centsToDecimal;

export function money(cents: number, currency: string): string {
  return formatMoney(cents, currency, 'en');
}

/** Warn (stderr) when terms exceed the legal maximum between professionals. */
export function warnTerms(ctx: Context, client: Client, terms: Terms, issueDate?: IsoDate): void {
  if (client.kind !== 'b2b') return;
  const over = exceedsLegalMax(terms, issueDate);
  if (over) warn(ctx.io, `${client.code}: ${over}`);
}

/** A document as JSON: amounts as decimal strings ("1234.50", as every --json prints them), with its status as of the date. */
export function documentJson(db: Db, d: Document, asOf: IsoDate) {
  const full = documentWithLines(db, d.id);
  const client = clientById(db, d.clientId);
  const s = settlementOf(db, d.id, asOf);
  const quote = d.quoteId !== null ? documentById(db, d.quoteId) : undefined;
  const cancels = d.cancelsId !== null ? documentById(db, d.cancelsId) : undefined;
  return {
    ref: documentRef(d),
    id: d.id,
    kind: d.kind,
    number: d.number,
    client: client.code,
    currency: d.currency,
    issueDate: d.issueDate,
    serviceDate: d.serviceDate,
    dueDate: d.dueDate,
    terms: d.termsDays !== null ? { days: d.termsDays, kind: d.termsKind ?? 'net' } : null,
    poNumber: d.poNumber,
    operation: d.operation,
    quote: quote?.number ?? null,
    cancels: cancels?.number ?? null,
    lines: full.lines.map((l) => ({
      description: l.description,
      quantity: formatQuantity(l.quantityMilli),
      unitPrice: dec(l.unitPrice),
      vatRate: formatBp(l.vatBp),
      discountPercent: l.discountBp ? formatBp(l.discountBp) : null,
      discountAmount: l.discountAmount ? dec(l.discountAmount) : null,
      net: dec(l.net),
    })),
    vat: full.totals.rates.map((r) => ({ rate: formatBp(r.vatBp), base: dec(r.base), vat: dec(r.vat), gross: dec(r.gross) })),
    totalNet: dec(d.totalNet),
    totalVat: dec(d.totalVat),
    totalGross: dec(d.totalGross),
    deductions: full.deductions.map((x) => ({ deposit: x.depositNumber, date: x.depositDate, rate: formatBp(x.vatBp), base: dec(x.base), vat: dec(x.vat), gross: dec(x.base + x.vat) })),
    deductedGross: dec(d.deductedGross),
    amountDue: dec(d.amountDue),
    paid: dec(s.paid),
    credited: dec(s.credited),
    balance: dec(s.balance),
    status: s.status,
    disputed: s.disputed ? { since: d.disputedOn, reason: d.disputedReason, until: d.disputedUntil } : null,
    creditNotes: d.number ? creditNotesOf(db, d.id).map((c) => c.number) : [],
    paymentLink: d.kind === 'quote' || d.kind === 'credit_note' ? null : paymentLinkFor(db, d),
    notes: d.notes,
  };
}

/** Everything a PDF of this document shows, read from the ledger. */
export function pdfData(db: Db, d: Document, known: { settings?: Settings; client?: Client } = {}): DocumentPdfData {
  const st = known.settings ?? getSettings(db);
  const full = documentWithLines(db, d.id);
  const client = known.client?.id === d.clientId ? known.client : clientById(db, d.clientId);
  const quote = d.quoteId !== null ? documentById(db, d.quoteId) : undefined;
  const cancels = d.cancelsId !== null ? documentById(db, d.cancelsId) : undefined;
  const lang = client.lang;
  const terms = d.kind === 'credit_note' ? null : d.termsDays !== null ? { days: d.termsDays, kind: d.termsKind ?? 'net' } : termsFor(db, d, client);
  return {
    lang,
    kind: d.kind,
    number: d.number,
    reference: documentRef(d),
    currency: d.currency,
    issueDate: d.issueDate,
    serviceDate: d.serviceDate,
    dueDate: d.dueDate,
    termsText: terms ? describeTerms(terms, lang) : null,
    seller: {
      name: st['business.name'],
      legalForm: st['business.legal_form'],
      address: st['business.address'],
      siren: st['business.siren'],
      rcs: st['business.rcs'],
      vatNumber: st['business.vat_number'],
      email: st['business.email'] || null,
      phone: st['business.phone'],
      iban: st['business.iban'],
      bic: st['business.bic'],
    },
    buyer: {
      name: client.name,
      address: client.billingAddress ?? client.address,
      contactName: client.contactName,
      siren: client.siren,
      vatNumber: client.vatNumber,
      kind: client.kind,
      email: client.email,
    },
    deliveryAddress: client.billingAddress && client.address && client.address !== client.billingAddress ? client.address : null,
    poNumber: d.poNumber,
    operation: d.operation,
    lines: full.lines,
    totals: full.totals,
    deductions: full.deductions,
    deductedGross: d.deductedGross,
    amountDue: d.amountDue,
    vatExempt: st.vat_exempt,
    earlyDiscount: st.early_discount,
    penalty: { mode: st['penalty.mode'], rateBp: st['penalty.rate_bp'] },
    paymentLink: d.kind === 'quote' || d.kind === 'credit_note' ? null : paymentLinkFor(db, d),
    quote: quote?.number ? { number: quote.number, date: quote.issueDate } : null,
    cancels: cancels?.number ? { number: cancels.number, date: cancels.issueDate } : null,
    validUntil: d.kind === 'quote' && d.issueDate ? quoteValidUntil(d.issueDate, d.validityDays) : null,
    depositBp: d.depositBp,
    accepted: d.acceptedOn ? { on: d.acceptedOn, by: d.acceptedBy } : null,
    notes: d.notes,
  };
}

/** Write a document's PDF to --out (default: <number or draft-N>.pdf in the current folder). */
export async function writeDocumentPdf(ctx: Context, d: Document, out: string | undefined): Promise<string> {
  const file = path.resolve(ctx.io.cwd, out ?? `${safeName(documentRef(d))}.pdf`);
  if (!fs.existsSync(path.dirname(file))) throw new UsageError(`--out: the folder ${path.dirname(file)} does not exist; create it or choose another path`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`--out: ${file} is a folder; give a file name such as ${path.join(out ?? '.', `${documentRef(d)}.pdf`)}`);
  const data = pdfData(ctx.db(), d);
  const code = clientById(ctx.db(), d.clientId).code;
  const missing = missingMentions(data).map((m) => m.replace('CODE', code));
  if (missing.length > 0) warn(ctx.io, `${documentRef(d)}: the PDF lacks mandatory mentions: ${missing.join('; ')}`);
  if (freezesPdf(d)) {
    // An issued invoice: the PDF frozen when it was issued (the one the client received).
    const bytes = await documentPdf(ctx.db(), d, ctx.asOf());
    const { writePdfBytes } = await import('../../render/pdf.js');
    writePdfBytes(bytes, file);
  } else await renderDocumentPdf(data, file);
  return file;
}

/** Render a document's PDF now, from what the ledger holds today (pdfkit is loaded here, lazily). */
export async function renderPdfBytes(db: Db, d: Document, known: { settings?: Settings; client?: Client } = {}): Promise<Buffer> {
  const { buildDocumentPdf } = await import('../../render/document-pdf.js');
  const { pdfBuffer } = await import('../../render/pdf.js');
  return pdfBuffer(await buildDocumentPdf(pdfData(db, d, known)));
}

/**
 * The PDF of a document. An issued invoice (any kind but a quote) is immutable, and so is its PDF:
 * the bytes stored when it was issued, or, for one issued before relance stored them, rendered now
 * and stored for good (`on` is recorded as the date it was frozen). A draft or a quote renders fresh.
 */
export async function documentPdf(db: Db, d: Document, on: IsoDate): Promise<Buffer> {
  if (!freezesPdf(d)) return renderPdfBytes(db, d);
  const stored = storedPdf(db, d.id);
  if (stored) return stored;
  const bytes = await renderPdfBytes(db, d);
  return write(db, () => storePdf(db, d.id, bytes, on));
}

/**
 * Freeze the PDF of a document just issued, from the settings of the moment it was issued. The
 * issue itself is already committed: a failure here only warns, and the PDF is frozen on first need.
 */
export async function freezeIssued(ctx: Context, d: Document): Promise<void> {
  if (!freezesPdf(d)) return;
  try {
    await documentPdf(ctx.db(), d, d.issueDate!);
  } catch (err) {
    warn(ctx.io, `${documentRef(d)} is issued, but its PDF could not be stored yet (${(err as Error).message}); it will be at its first use`);
  }
}

/** Mentions French law requires on an invoice that the ledger or the client does not have yet. */
export function missingMentions(d: DocumentPdfData): string[] {
  const out: string[] = [];
  const set = (key: string, what: string) => `${what} (relance ledger set ${key} ...)`;
  if (!d.seller.siren) out.push(set('business.siren', 'your SIREN'));
  if (!d.seller.address) out.push(set('business.address', 'your address'));
  if (!d.seller.vatNumber && !d.vatExempt) out.push(set('business.vat_number', 'your VAT number'));
  if (!d.buyer.address) out.push(`the client's billing address (relance client edit CODE --address ...)`);
  return out;
}

/** Lines as a table for `show`. */
export function printLines(ctx: Context, d: Document): void {
  const full = documentWithLines(ctx.db(), d.id);
  const m = (c: number) => money(c, d.currency);
  printTable(
    ctx.io,
    ['#', 'description', 'qty', 'unit price', 'discount', 'VAT', 'net'],
    full.lines.map((l) => [
      l.position,
      l.description,
      formatQuantity(l.quantityMilli),
      m(l.unitPrice),
      l.discountBp ? `${formatBp(l.discountBp)} %` : l.discountAmount ? m(l.discountAmount) : '',
      `${formatBp(l.vatBp)} %`,
      m(l.net),
    ]),
    { right: [0, 2, 3, 4, 5, 6] },
  );
  printTable(
    ctx.io,
    ['VAT rate', 'base', 'VAT', 'incl. VAT'],
    full.totals.rates.map((r) => [`${formatBp(r.vatBp)} %`, m(r.base), m(r.vat), m(r.gross)]),
    { right: [0, 1, 2, 3], footer: ['total', m(full.totals.net), m(full.totals.vat), m(full.totals.gross)] },
  );
  if (full.deductions.length > 0) {
    printTable(
      ctx.io,
      ['deposit deducted', 'date', 'VAT rate', 'base', 'VAT', 'incl. VAT'],
      full.deductions.map((x) => [x.depositNumber, x.depositDate, `${formatBp(x.vatBp)} %`, m(x.base), m(x.vat), m(x.base + x.vat)]),
      { right: [2, 3, 4, 5] },
    );
  }
}

function statusText(s: { status: string; disputed: boolean }): string {
  return s.disputed ? `${s.status}, disputed` : s.status;
}

// ---------------------------------------------------------------- the command

interface NewOptions extends LineOptions {
  fromQuote?: string;
  operation?: string;
  po?: string;
  serviceDate?: string;
  terms?: string;
  termsKind?: string;
  paymentLink?: string;
  currency?: string;
  notes?: string;
  date?: string;
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
        .option('--service-date <date>', 'date of the sale or service, when different from the issue date')
        .option('--terms <days>', "payment terms in days (default: the client's, else the ledger's)")
        .option('--terms-kind <kind>', TERMS_KINDS.join(' | '))
        .option('--payment-link <url>', "this invoice's payment link (default: the ledger's payment_link.pattern)")
        .option('--currency <code>', "ISO 4217 currency (default: the ledger's)")
        .option('--operation <nature>', 'nature of the operation: goods | services | both (default for --from-quote: the quote\'s)')
        .option('--notes <text>', 'a note printed on the invoice')
        .option('--as-of <date>', 'today for this command (the draft\'s creation date)'),
    ).action(
      app.act(async (ctx, clientCode: string | undefined, o: NewOptions) => {
        const db = ctx.db();
        const settings = getSettings(db);
        const today = ctx.asOf(o.asOf);
        const terms = termsOptions(o);
        const serviceDate = parseOptionalDate(o.serviceDate, '--service-date');
        const common = {
          poNumber: o.po?.trim() || undefined,
          serviceDate,
          ...terms,
          paymentLink: o.paymentLink?.trim() ? checkPaymentLink(o.paymentLink, '--payment-link') : undefined,
          notes: o.notes?.trim() || undefined,
          operation: operationOption(o.operation),
          createdOn: today,
        };
        let created: Document;
        if (o.fromQuote !== undefined) {
          const quote = requireQuote(db, o.fromQuote);
          const client = clientById(db, quote.clientId);
          if (clientCode !== undefined && requireClient(db, clientCode).id !== client.id) {
            throw new UsageError(`${quote.number} is a quote for ${client.code}, not ${clientCode}; leave the client out with --from-quote`);
          }
          if (!quote.acceptedOn) throw new UsageError(`${quote.number} is not accepted; record the "bon pour accord" with "relance quote accept ${quote.number} --signed-by NAME" first`);
          const closing = closingInvoiceOf(db, quote.id);
          if (closing) throw new UsageError(`${quote.number} already has its invoice ${documentRef(closing)}; see it with "relance invoice show ${documentRef(closing)}"`);
          if (o.currency !== undefined && currencyOption(o.currency, settings) !== quote.currency) throw new UsageError(`--currency: the quote is in ${quote.currency}; its invoice must be too`);
          const extra = await gatherLines(ctx, o, settings, false);
          const quoteLines = documentWithLines(db, quote.id).lines.map(({ id: _i, documentId: _d, position: _p, ...l }) => l);
          created = write(db, () => {
            const deductions = deductionsForQuote(db, quote.id);
            const doc = insertDocument(
              db,
              { kind: deductions.length > 0 ? 'final' : 'invoice', clientId: client.id, currency: quote.currency, quoteId: quote.id, ...common, operation: common.operation ?? quote.operation ?? undefined },
              [...quoteLines, ...(extra ?? [])],
            );
            replaceDeductions(db, doc.id, deductions);
            return documentById(db, doc.id)!;
          });
          warnTerms(ctx, client, termsFor(db, created, client));
        } else {
          if (clientCode === undefined) throw new UsageError('missing client; e.g. relance invoice new ACME --line "Développement | 3 | 450 | 20", or --from-quote QUOTE');
          const client = requireClient(db, clientCode);
          const currency = currencyOption(o.currency, settings);
          const lines = (await gatherLines(ctx, o, settings, true))!;
          created = write(db, () => insertDocument(db, { kind: 'invoice', clientId: client.id, currency, ...common }, lines));
          warnTerms(ctx, client, termsFor(db, created, client));
        }
        if (ctx.json) return printJson(ctx.io, documentJson(db, created, today));
        const ref = documentRef(created);
        const client = clientById(db, created.clientId);
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
        const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
        const fields: Partial<Document> = {
          ...termsOptions(o),
          poNumber: clear(o.po),
          serviceDate: o.serviceDate === undefined ? undefined : o.serviceDate.trim() === '' ? null : parseDate(o.serviceDate, '--service-date'),
          paymentLink: o.paymentLink?.trim() ? checkPaymentLink(o.paymentLink, '--payment-link') : clear(o.paymentLink),
          operation: o.operation === undefined ? undefined : o.operation.trim() === '' ? null : operationOption(o.operation),
          notes: clear(o.notes),
        };
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
    invoice
      .command('issue')
      .argument('<draft>', 'the draft to issue, e.g. draft-12')
      .description('give a draft the next number of the invoice sequence, its issue date and its due date')
      .option('--date <date>', 'issue date (default: today, or --as-of)')
      .option('--as-of <date>', 'today for this command')
      .action(
        app.act(async (ctx, ref: string, o: { date?: string; asOf?: string }) => {
          const db = ctx.db();
          const date = o.date !== undefined ? parseDate(o.date, '--date') : ctx.asOf(o.asOf);
          const d = requireInvoice(db, ref);
          const { document, warnings } = write(db, () => issueDocument(db, d.id, date));
          await freezeIssued(ctx, document);
          for (const w of warnings) warn(ctx.io, w);
          if (ctx.json) return printJson(ctx.io, documentJson(db, document, date));
          ctx.io.out(`Issued ${document.number} (was ${documentRef(d)}) on ${document.issueDate}, due ${document.dueDate}: ${money(document.amountDue, document.currency)}\n`);
        }),
      ),
    ['relance invoice issue draft-12', 'relance invoice issue draft-12 --date 2026-03-31'],
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
          await freezeIssued(ctx, credit);
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
          if (status) {
            docs = docs.filter((d) => {
              const s = st.get(d.id)!;
              if (status === 'disputed') return s.disputed;
              if (status === 'unpaid') return d.kind !== 'credit_note' && (s.status === 'open' || s.status === 'partially paid');
              return d.kind !== 'credit_note' || status === 'draft' ? s.status === status : false;
            });
          }
          if (ctx.json) return printJson(ctx.io, docs.map((d) => documentJson(db, d, asOf)));
          if (docs.length === 0) {
            note(ctx.io, false, 'no invoices match; create one with "relance invoice new CLIENT --line ..."');
            return;
          }
          const codes = new Map<number, string>();
          const code = (id: number) => codes.get(id) ?? (codes.set(id, clientById(db, id).code), codes.get(id)!);
          printTable(
            ctx.io,
            ['number', 'kind', 'client', 'date', 'due', 'incl. VAT', 'to pay', 'balance', 'status'],
            docs.map((d) => {
              const s = st.get(d.id)!;
              return [
                documentRef(d),
                KIND_LABEL[d.kind],
                code(d.clientId),
                d.issueDate ?? '',
                d.dueDate ?? '',
                money(d.totalGross, d.currency),
                d.kind === 'credit_note' ? '' : money(d.amountDue, d.currency),
                d.kind === 'credit_note' ? '' : money(s.balance, d.currency),
                d.kind === 'credit_note' ? (d.number ? `cancels ${documentById(db, d.cancelsId!)?.number ?? ''}` : 'draft') : statusText(s),
              ];
            }),
            { right: [5, 6, 7] },
          );
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
          if (ctx.json) return printJson(ctx.io, documentJson(db, d, asOf));
          const j = documentJson(db, d, asOf);
          const st = settlementOf(db, d.id, asOf);
          const m = (c: number) => money(c, d.currency);
          printFields(ctx.io, [
            ['invoice', `${documentRef(d)} (${KIND_LABEL[d.kind]})`],
            ['client', `${j.client} (${clientById(db, d.clientId).name})`],
            ['issued', d.issueDate ?? 'not yet (draft)'],
            ['service date', d.serviceDate],
            ['due', d.dueDate],
            ['terms', j.terms ? describeTerms(j.terms as Terms) : null],
            ['PO number', d.poNumber],
            ['operation', d.operation],
            ['quote', j.quote],
            ['cancels', j.cancels],
            ['total excl. VAT', m(d.totalNet)],
            ['VAT', m(d.totalVat)],
            ['total incl. VAT', m(d.totalGross)],
            ['deposits deducted', d.deductedGross ? m(d.deductedGross) : null],
            ['amount due', d.kind === 'credit_note' ? null : m(d.amountDue)],
            ['paid', st.paid ? m(st.paid) : null],
            ['credited', st.credited ? `${m(st.credited)} (${j.creditNotes.join(', ')})` : null],
            ['balance', d.kind === 'credit_note' ? null : m(st.balance)],
            ['status', d.kind === 'credit_note' ? (d.number ? 'issued' : 'draft') : `${j.status}${asOf ? ` as of ${asOf}` : ''}`],
            ['disputed', j.disputed ? `since ${j.disputed.since}: ${j.disputed.reason}${j.disputed.until ? ` (until ${j.disputed.until})` : ''}` : null],
            ['payment link', j.paymentLink],
            ['notes', d.notes],
          ]);
          ctx.io.out('\n');
          printLines(ctx, d);
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

  // freeze
  examples(
    invoice
      .command('freeze')
      .description('store the PDF of every issued invoice that has none yet (issued before relance kept them), as it renders today')
      .option('--as-of <date>', 'today for this command (recorded as the date the PDFs were frozen)')
      .action(
        app.act(async (ctx, o: { asOf?: string }) => {
          const db = ctx.db();
          const on = ctx.asOf(o.asOf);
          const settings = getSettings(db);
          let frozen = 0;
          // 200 at a time: rendered outside any transaction, then stored in one.
          for (let batch = documentsWithoutPdf(db, 200); batch.length > 0; batch = documentsWithoutPdf(db, 200)) {
            const rendered: [Document, Buffer][] = [];
            for (const d of batch) rendered.push([d, await renderPdfBytes(db, d, { settings })]);
            write(db, () => {
              for (const [d, bytes] of rendered) storePdf(db, d.id, bytes, on);
            });
            frozen += rendered.length;
          }
          if (ctx.json) return printJson(ctx.io, { frozen });
          ctx.io.out(frozen === 0 ? 'Every issued invoice already has its PDF stored.\n' : `Stored the PDF of ${frozen} issued invoice(s).\n`);
        }),
      ),
    ['relance invoice freeze', 'relance invoice freeze --json'],
  );

  // xml (the e-invoice alone: src/einvoice/)
  examples(
    invoice
      .command('xml')
      .argument('<number>', 'an issued invoice (any kind: deposit, final, credit note, penalty)')
      .description('write the e-invoice XML (EN 16931): CII as embedded in the Factur-X PDF, or UBL 2.1')
      .option('--syntax <syntax>', 'cii or ubl', 'cii')
      .option('--out <file>', 'write to this file instead of stdout')
      .action(
        app.act(async (ctx, ref: string, o: { syntax: string; out?: string }) => {
          const { invoiceXml, SYNTAXES } = await import('../../einvoice/export.js');
          const syntax = o.syntax.toLowerCase() as 'cii' | 'ubl';
          if (!SYNTAXES.includes(syntax)) throw new UsageError(`--syntax: "${o.syntax}" is not one of ${SYNTAXES.join(', ')}; give --syntax cii (Factur-X, the default) or --syntax ubl`);
          const db = ctx.db();
          const d = requireInvoice(db, ref);
          if (d.number === null) throw new UsageError(`${documentRef(d)} is a draft; issue it first with "relance invoice issue ${documentRef(d)}" (an e-invoice needs its number)`);
          const { xml } = invoiceXml(pdfData(db, d), syntax, storedPdf(db, d.id));
          if (o.out === undefined) return ctx.io.out(xml);
          const file = path.resolve(ctx.io.cwd, o.out);
          if (!fs.existsSync(path.dirname(file))) throw new UsageError(`--out: the folder ${path.dirname(file)} does not exist; create it or choose another path`);
          fs.writeFileSync(file, xml);
          note(ctx.io, ctx.quiet, `${d.number}: ${syntax.toUpperCase()} written to ${file}`);
        }),
      ),
    ['relance invoice xml F-2026-0001 > F-2026-0001.xml', 'relance invoice xml F-2026-0001 --syntax ubl --out F-2026-0001-ubl.xml'],
  );

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

