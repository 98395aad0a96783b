/**
 * Spreadsheets in: a CSV (csv-parse) or an XLSX workbook (exceljs, its first worksheet) read into a
 * header row and data rows of plain cells. Both libraries are imported here, lazily, so that no other
 * command pays for them. Cells are strings, numbers (XLSX numbers as stored) or ISO dates (XLSX date
 * cells, read in UTC as exceljs gives them). Row numbers are the spreadsheet's own (the header is row
 * 1 unless blank lines come first), so that an error can name the row the user sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { t } from '../i18n/index.js';
import type { SheetCell } from './sheet-cells.js';

export type { SheetCell };

export interface Sheet {
  /** The file name as given (for messages). */
  file: string;
  sha256: string;
  header: string[];
  /** Data rows, each with its row number in the spreadsheet; blank rows are left out. */
  rows: { row: number; cells: SheetCell[] }[];
}

const blank = (c: SheetCell | undefined) => c === undefined || (typeof c === 'string' && c.trim() === '');

/** The CSV separator: the one of ; , or tab the header line holds most of. */
export function csvSeparator(text: string): ',' | ';' | '\t' {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const count = (ch: string) => first.split(ch).length - 1;
  const seps = [';', ',', '\t'] as const;
  return seps.reduce((best, s) => (count(s) > count(best) ? s : best), ',' as ',' | ';' | '\t');
}

/** Parse CSV text (a BOM, CRLF or LF, quoted fields, separator guessed from the header line). */
export async function parseCsvText(text: string, file: string): Promise<Omit<Sheet, 'sha256'>> {
  const { parse } = await import('csv-parse/sync');
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: csvSeparator(text.replace(/^\uFEFF/, '')), relax_column_count: true, skip_empty_lines: false, trim: false }) as string[][];
  } catch (err) {
    throw new UsageError(t('books.sheet.badCsv', { file, error: (err as Error).message }));
  }
  return fromRecords(records.map((cells, i) => ({ row: i + 1, cells })), file);
}

function fromRecords(records: { row: number; cells: SheetCell[] }[], file: string): Omit<Sheet, 'sha256'> {
  const nonBlank = records.filter((r) => !r.cells.every(blank));
  const head = nonBlank.shift();
  if (!head) throw new UsageError(t('books.sheet.empty', { file }));
  return { file, header: head.cells.map((c) => String(c).trim()), rows: nonBlank };
}

/** An exceljs cell value as a plain cell. */
function xlsxCell(v: unknown): SheetCell {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; hyperlink?: string; error?: string };
    if ('result' in o) return xlsxCell(o.result);
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return xlsxCell(o.text);
    if (o.error) return String(o.error);
  }
  return String(v);
}

async function readXlsx(bytes: Buffer, file: string): Promise<Omit<Sheet, 'sha256'>> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new UsageError(t('books.sheet.badXlsx', { file, error: (err as Error).message }));
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new UsageError(t('books.sheet.noWorksheet', { file }));
  const records: { row: number; cells: SheetCell[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: SheetCell[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(xlsxCell(row.getCell(c).value));
    records.push({ row: n, cells });
  });
  return fromRecords(records, file);
}

/** Read FILE (relative to cwd) as CSV or XLSX, by its extension. */
export async function readSheet(cwd: string, file: string): Promise<Sheet> {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full)) throw new UsageError(t('books.sheet.missing', { file }));
  if (fs.statSync(full).isDirectory()) throw new UsageError(t('books.sheet.folder', { file }));
  const bytes = fs.readFileSync(full);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = path.extname(full).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return { ...(await readXlsx(bytes, file)), sha256 };
  if (ext === '.xls' || ext === '.ods') throw new UsageError(t('books.sheet.format', { file, ext }));
  if (bytes.subarray(0, 2).toString('latin1') === 'PK') return { ...(await readXlsx(bytes, file)), sha256 };
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) throw new UsageError(t('books.sheet.notUtf8', { file }));
  return { ...(await parseCsvText(text, file)), sha256 };
}
