/**
 * CSV for spreadsheets (RFC 4180 quoting, CRLF line ends), safe to open in Excel or LibreOffice:
 * a text cell that begins with = + - @, a tab or a carriage return would be read as a formula
 * ("CSV injection"), so it is neutralised with a leading single quote. A cell that is a plain
 * number (-12.50) is left alone: it cannot be a formula and must stay a number.
 */

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Field separator: ',' (default) or ';' (what French Excel expects). */
  separator?: ',' | ';' | '\t';
  /** Start with a UTF-8 byte-order mark so that Excel reads accents correctly. */
  bom?: boolean;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const DANGEROUS_START = /^[=+\-@\t\r]/;

/** Neutralise a text cell that a spreadsheet would run as a formula. */
export function neutralise(text: string): string {
  if (PLAIN_NUMBER.test(text)) return text;
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}

function cellText(c: CsvCell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  return neutralise(c);
}

/** One field, quoted when it holds the separator, a quote or a line break. */
export function csvField(c: CsvCell, separator = ','): string {
  const s = cellText(c);
  return s.includes(separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV document: the header line, then one line per row, each ended by CRLF. */
export function toCsv(head: readonly string[], rows: readonly (readonly CsvCell[])[], opts: CsvOptions = {}): string {
  const sep = opts.separator ?? ',';
  const line = (cells: readonly CsvCell[]) => cells.map((c) => csvField(c, sep)).join(sep) + '\r\n';
  return (opts.bom ? '\uFEFF' : '') + line(head) + rows.map(line).join('');
}
