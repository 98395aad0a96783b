/**
 * What the document commands (invoice, quote, deposit) share on the command line: the line options
 * and the prompt for lines, the terms, operation and currency options, the terms warning, the lines
 * table of `show`, and writing a PDF to --out. The documents themselves are src/documents/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { parseDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { parseLineFlag, type LineDefaults } from '../core/lines.js';
import { parseAmount } from '../core/money.js';
import { formatBp, formatQuantity, numberText, parsePercent } from '../core/numbers.js';
import { checkPaymentLink, safeName } from '../core/links.js';
import { addressLines } from '../core/client-checks.js';
import { exceedsLegalMax, TERMS_KINDS, type Terms } from '../core/terms.js';
import { checkVatRate, type ComputedLine, type LineInput } from '../core/vat.js';
import { clientById, type Client } from '../store/clients.js';
import { documentRef, documentWithLines, freezesPdf, type Document, type Operation } from '../store/documents.js';
import type { Settings } from '../store/settings.js';
import { computeLines, lineDefaults, readLines } from '../documents/lines.js';
import { documentPdf, missingMentions, pdfData, writeFreshPdf } from '../documents/pdf.js';
import { money } from '../render/format.js';
import type { IO } from '../render/io.js';
import { printTable, warn } from '../render/output.js';
import { collect, validate } from './app.js';
import { missingFlag, type Context } from './context.js';

export interface LineOptions {
  line?: string[];
  lines?: string;
}

/**
 * The lines of a new document: from --line flags, then --lines FILE; with neither, asked on a
 * terminal; in a script, exit 2 when `required`. A VAT-exempt ledger puts every rate at 0.
 */
export async function gatherLines(ctx: Context, o: LineOptions, settings: Settings, required: boolean): Promise<ComputedLine[] | undefined> {
  const defaults = lineDefaults(settings);
  let lines = readLines(o.line ?? [], o.lines, ctx.io.cwd, defaults);
  if (lines.length === 0) {
    if (ctx.io.canPrompt) lines = await promptLines(ctx.io, defaults);
    else if (required) throw missingFlag('--line or --lines', 'e.g. --line "Développement | 3 | 450 | 20"');
    else return undefined;
    if (lines.length === 0 && required) throw new UsageError('no lines given; a document needs at least one line');
  }
  return computeLines(ctx.io, settings, lines);
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

/** Warn (stderr) when terms exceed the legal maximum between professionals. */
export function warnTerms(ctx: Context, client: Client, terms: Terms, issueDate?: IsoDate): void {
  if (client.kind !== 'b2b') return;
  const over = exceedsLegalMax(terms, issueDate);
  if (over) warn(ctx.io, `${client.code}: ${over}`);
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
    const { writePdfBytes } = await import('../render/pdf.js');
    writePdfBytes(bytes, file);
  } else await writeFreshPdf(data, file);
  return file;
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


export interface DraftOptions {
  po?: string;
  serviceDate?: string;
  terms?: string;
  termsKind?: string;
  paymentLink?: string;
  operation?: string;
  notes?: string;
  deliveryAddress?: string;
}

/** The fields of a new draft from its options (blank ones left out). */
export function draftFields(o: DraftOptions, createdOn: IsoDate) {
  return {
    poNumber: o.po?.trim() || undefined,
    serviceDate: parseOptionalDate(o.serviceDate, '--service-date'),
    ...termsOptions(o),
    paymentLink: o.paymentLink?.trim() ? checkPaymentLink(o.paymentLink, '--payment-link') : undefined,
    notes: o.notes?.trim() || undefined,
    operation: operationOption(o.operation),
    deliveryAddress: o.deliveryAddress?.trim() ? addressLines(o.deliveryAddress) : undefined,
    createdOn,
  };
}

/** The fields an edit changes: undefined left as is, "" cleared. */
export function editFields(o: DraftOptions): Partial<Document> {
  const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
  return {
    ...termsOptions(o),
    poNumber: clear(o.po),
    serviceDate: o.serviceDate === undefined ? undefined : o.serviceDate.trim() === '' ? null : parseDate(o.serviceDate, '--service-date'),
    paymentLink: o.paymentLink?.trim() ? checkPaymentLink(o.paymentLink, '--payment-link') : clear(o.paymentLink),
    operation: o.operation === undefined ? undefined : o.operation.trim() === '' ? null : operationOption(o.operation),
    notes: clear(o.notes),
    deliveryAddress: clear(o.deliveryAddress) === null ? null : o.deliveryAddress === undefined ? undefined : addressLines(o.deliveryAddress),
  };
}
