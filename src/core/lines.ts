/**
 * Document lines as people type them:
 *   --line "description | qty | unit price | vat%[ | discount]"
 * e.g. "Développement | 3 | 450 | 20", "Livre | 2 | 12,50 | 5.5 | 10%", "Audit | 1 | 900 | 20 | 50".
 * The VAT rate may be left out (the caller's default applies); a discount ending in "%" is a
 * percentage, otherwise an amount off the whole line. And from a file: CSV (comma or semicolon,
 * optional header description,quantity,unit_price,vat,discount) or JSON (an array of objects with
 * those keys, or {"lines": [...]}). Everything is parsed to integers; nothing here reads a file.
 */
import { parse } from 'csv-parse/sync';
import { UsageError } from './errors.js';
import { parseAmount } from './money.js';
import { parsePercent, parseQuantity } from './numbers.js';
import { checkVatRate, type LineInput } from './vat.js';
import { t, tn } from '../i18n/index.js';

export interface LineDefaults {
  /** VAT rate when a line gives none (basis points). */
  vatBp: number;
}

export interface LineFields {
  description: string;
  quantity: string;
  unitPrice: string;
  vat?: string;
  discount?: string;
}

/** Parse one line's text fields; `where` names the line in errors (e.g. '--line 2'). */
export function parseLineFields(f: LineFields, defaults: LineDefaults, where: string): LineInput {
  const description = f.description.trim();
  if (description === '') throw new UsageError(t('common.line.noDescription', { where }));
  const quantityMilli = parseQuantity(f.quantity, t('common.line.quantity', { where }));
  const unitPrice = parseAmount(f.unitPrice, t('common.line.unitPrice', { where }));
  const vat = f.vat?.trim() ?? '';
  const vatBp = vat === '' ? defaults.vatBp : checkVatRate(parsePercent(vat, t('common.line.vatRate', { where })), t('common.line.vatRate', { where }));
  let discountBp = 0;
  let discountAmount = 0;
  const discount = f.discount?.trim() ?? '';
  if (discount !== '') {
    if (discount.endsWith('%')) {
      discountBp = parsePercent(discount, t('common.line.discount', { where }));
      if (discountBp > 10_000) throw new UsageError(t('common.line.discountOver', { where, discount }));
    } else {
      discountAmount = parseAmount(discount, t('common.line.discount', { where }));
      if (discountAmount < 0) throw new UsageError(t('common.line.discountNegative', { where, discount }));
    }
  }
  return { description, quantityMilli, unitPrice, vatBp, discountBp, discountAmount };
}

/** "description | qty | unit price | vat%[ | discount]" */
export function parseLineFlag(text: string, defaults: LineDefaults, where = '--line'): LineInput {
  const parts = text.split('|').map((p) => p.trim());
  if (parts.length < 3 || parts.length > 5) {
    throw new UsageError(
      tn('common.line.fields', parts.length, { where, text }),
    );
  }
  const [description, quantity, unitPrice, vat, discount] = parts as [string, string, string, string?, string?];
  return parseLineFields({ description, quantity, unitPrice, vat, discount }, defaults, where);
}

/**
 * Split CSV text into rows of fields (RFC 4180 quoting; separator "," or ";", else the one the
 * first line uses). The splitting is csv-parse's (the project's CSV library; pure, no I/O, so it
 * may sit in core); a NUL byte is refused: the file is not text (a spreadsheet saved as .csv?).
 */
export function parseCsv(text: string, separator?: ',' | ';'): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const nul = src.indexOf('\u0000');
  if (nul >= 0) {
    const line = src.slice(0, nul).split('\n').length;
    throw new UsageError(t('common.csv.nul', { line }));
  }
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = separator ?? (firstLine.includes(';') ? ';' : ',');
  try {
    return parse(src, { delimiter: sep, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true }) as string[][];
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') throw new UsageError(t('common.csv.quote'));
    throw new UsageError(t('common.csv.parse', { at: e.lines ? t('common.csv.onLine', { line: e.lines }) : '', message: e.message }));
  }
}

const COLUMN_NAMES: Record<string, keyof LineFields> = {
  description: 'description',
  designation: 'description',
  désignation: 'description',
  libelle: 'description',
  libellé: 'description',
  quantity: 'quantity',
  qty: 'quantity',
  quantite: 'quantity',
  quantité: 'quantity',
  qte: 'quantity',
  qté: 'quantity',
  unit_price: 'unitPrice',
  unitprice: 'unitPrice',
  price: 'unitPrice',
  prix: 'unitPrice',
  prix_unitaire: 'unitPrice',
  pu: 'unitPrice',
  vat: 'vat',
  tva: 'vat',
  vat_rate: 'vat',
  discount: 'discount',
  remise: 'discount',
};

function columnKey(name: string): keyof LineFields | undefined {
  return COLUMN_NAMES[name.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/_?\(.*\)$/, '').replace(/_?%$/, '')];
}

/** Lines from CSV text: with a header naming the columns, or in the order description, qty, price, vat, discount. */
export function parseLinesCsv(text: string, defaults: LineDefaults, file = t('common.line.file')): LineInput[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new UsageError(t('common.line.noneCsv', { file }));
  let order: (keyof LineFields | undefined)[] = ['description', 'quantity', 'unitPrice', 'vat', 'discount'];
  let start = 0;
  const header = rows[0]!.map(columnKey);
  if (header.includes('description') && header.includes('quantity')) {
    order = header;
    start = 1;
    for (const need of ['unitPrice'] as const) {
      if (!order.includes(need)) throw new UsageError(t('common.line.noPriceColumn', { file }));
    }
  }
  const lines: LineInput[] = [];
  for (let r = start; r < rows.length; r++) {
    const f: Partial<LineFields> = {};
    rows[r]!.forEach((v, i) => {
      const k = order[i];
      if (k) f[k] = v;
    });
    const where = t('common.line.row', { file, row: r + 1 });
    if (f.quantity === undefined || f.unitPrice === undefined) throw new UsageError(t('common.line.expectedCsv', { where }));
    lines.push(parseLineFields({ description: f.description ?? '', quantity: f.quantity, unitPrice: f.unitPrice, vat: f.vat, discount: f.discount }, defaults, where));
  }
  if (lines.length === 0) throw new UsageError(t('common.line.noneUnderHeader', { file }));
  return lines;
}

/** Lines from JSON text: [{description, quantity, unit_price, vat, discount}] or {"lines": [...]}. */
export function parseLinesJson(text: string, defaults: LineDefaults, file = t('common.line.file')): LineInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(t('common.line.badJson', { file, message: (err as Error).message }));
  }
  const list = Array.isArray(data) ? data : (data as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(t('common.line.expectedJsonArray', { file }));
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return list.map((item, i) => {
    const where = t('common.line.jsonLine', { file, line: i + 1 });
    if (typeof item !== 'object' || item === null) throw new UsageError(t('common.line.expectedObject', { where }));
    const o = item as Record<string, unknown>;
    const pick = (...keys: string[]) => str(keys.map((k) => o[k]).find((v) => v !== undefined));
    const quantity = pick('quantity', 'qty', 'quantite');
    const unitPrice = pick('unit_price', 'unitPrice', 'price', 'prix');
    if (quantity === undefined || unitPrice === undefined) throw new UsageError(t('common.line.needsFields', { where }));
    return parseLineFields(
      { description: pick('description', 'designation') ?? '', quantity, unitPrice, vat: pick('vat', 'tva', 'vat_rate'), discount: pick('discount', 'remise') },
      defaults,
      where,
    );
  });
}

/** CSV or JSON, decided by the file name, else by the first character. */
export function parseLinesFile(text: string, fileName: string, defaults: LineDefaults): LineInput[] {
  const json = /\.json$/i.test(fileName) || (!/\.(csv|txt)$/i.test(fileName) && /^\s*[[{]/.test(text));
  return json ? parseLinesJson(text, defaults, fileName) : parseLinesCsv(text, defaults, fileName);
}
