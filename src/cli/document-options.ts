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
import { t } from '../i18n/index.js';
import { percentText } from '../documents/labels.js';

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
    else if (required) throw missingFlag(t('documents.lines.flags'), t('documents.lines.missingExample'));
    else return undefined;
    if (lines.length === 0 && required) throw new UsageError(t('documents.lines.noLines'));
  }
  return computeLines(ctx.io, settings, lines);
}

async function promptLines(io: IO, defaults: LineDefaults): Promise<LineInput[]> {
  const { input } = await import('@inquirer/prompts');
  const out: LineInput[] = [];
  io.err(`${t('documents.lines.promptIntro')}\n`);
  for (;;) {
    const n = out.length + 1;
    const description = (await input({ message: t('documents.lines.promptDescription', { n }) })).trim();
    if (description === '') break;
    const check = (fn: (s: string) => unknown) => (s: string) => {
      try {
        fn(s);
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const quantity = await input({ message: t('documents.lines.promptQuantity'), default: '1', validate: check((s) => parseLineFlag(`x | ${s} | 0`, defaults)) });
    const price = await input({ message: t('documents.lines.promptPrice'), validate: check((s) => parseAmount(s, t('documents.lines.unitPrice'))) });
    const vat = await input({ message: t('documents.lines.promptVat'), default: formatBp(defaults.vatBp), validate: check((s) => checkVatRate(parsePercent(s))) });
    const discount = await input({ message: t('documents.lines.promptDiscount'), default: '' });
    out.push(parseLineFlag([description.replace(/\|/g, '/'), quantity, price, vat, discount].join(' | '), defaults, t('documents.lines.lineN', { n })));
  }
  return out;
}

export function withLineOptions(cmd: Command): Command {
  return cmd
    .option('--line <text>', t('documents.opt.line'), collect)
    .option('--lines <file>', t('documents.opt.lines'));
}

export function parseOptionalDate(text: string | undefined, flag: string): IsoDate | undefined {
  return text === undefined ? undefined : parseDate(text, flag);
}

const TERMS_DAYS = () => numberText(t('documents.terms.what')).check(z.int(t('documents.terms.whole')), z.minimum(0, t('documents.terms.min')), z.maximum(365, t('documents.terms.max')));

/** --terms N and --terms-kind K for a document; undefined when not given. */
export function termsOptions(o: { terms?: string; termsKind?: string }): { termsDays?: number; termsKind?: Terms['kind'] } {
  const out: { termsDays?: number; termsKind?: Terms['kind'] } = {};
  if (o.terms !== undefined) out.termsDays = validate(TERMS_DAYS(), o.terms, '--terms');
  if (o.termsKind !== undefined) {
    out.termsKind = validate(z.enum(TERMS_KINDS, TERMS_KINDS.join(', ')), o.termsKind, '--terms-kind');
    if (out.termsDays === undefined) throw new UsageError(t('documents.terms.kindNeedsDays'));
  }
  return out;
}

export const OPERATIONS = ['goods', 'services', 'both'] as const;

/** --operation goods|services|both (nature of the operation, a mandatory mention from 2026-09 / 2027-09). */
export function operationOption(text: string | undefined): Operation | undefined {
  return text === undefined ? undefined : validate(z.enum(OPERATIONS, t('documents.operation.choices')), text.trim().toLowerCase(), '--operation');
}

const CURRENCY = () => z.string().check(z.regex(/^[A-Z]{3}$/, t('documents.currency.iso')));

export function currencyOption(text: string | undefined, settings: Settings): string {
  return text === undefined ? settings.currency : validate(CURRENCY(), text.toUpperCase(), '--currency');
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
  if (!fs.existsSync(path.dirname(file))) throw new UsageError(t('documents.outNoFolder', { folder: path.dirname(file) }));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(t('documents.outIsFolder', { file, example: path.join(out ?? '.', `${documentRef(d)}.pdf`) }));
  const data = pdfData(ctx.db(), d);
  const code = clientById(ctx.db(), d.clientId).code;
  const missing = missingMentions(data).map((m) => m.replace('CODE', code));
  if (missing.length > 0) warn(ctx.io, t('documents.pdf.lacksMentions', { ref: documentRef(d), missing: missing.join('; ') }));
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
    (['position', 'description', 'qty', 'unitPrice', 'discount', 'vat', 'net'] as const).map((h) => t(`documents.col.${h}`)),
    full.lines.map((l) => [
      l.position,
      l.description,
      formatQuantity(l.quantityMilli),
      m(l.unitPrice),
      l.discountBp ? `${percentText(l.discountBp)} %` : l.discountAmount ? m(l.discountAmount) : '',
      `${percentText(l.vatBp)} %`,
      m(l.net),
    ]),
    { right: [0, 2, 3, 4, 5, 6] },
  );
  printTable(
    ctx.io,
    (['vatRate', 'base', 'vat', 'gross'] as const).map((h) => t(`documents.col.${h}`)),
    full.totals.rates.map((r) => [`${percentText(r.vatBp)} %`, m(r.base), m(r.vat), m(r.gross)]),
    { right: [0, 1, 2, 3], footer: [t('documents.col.total'), m(full.totals.net), m(full.totals.vat), m(full.totals.gross)] },
  );
  if (full.deductions.length > 0) {
    printTable(
      ctx.io,
      (['depositDeducted', 'date', 'vatRate', 'base', 'vat', 'gross'] as const).map((h) => t(`documents.col.${h}`)),
      full.deductions.map((x) => [x.depositNumber, x.depositDate, `${percentText(x.vatBp)} %`, m(x.base), m(x.vat), m(x.base + x.vat)]),
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
