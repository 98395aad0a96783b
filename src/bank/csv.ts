/**
 * Bank CSV exports with the French habits: ";" between fields, dd/mm/yyyy dates, a decimal comma
 * (thousands with spaces or dots), separate Débit / Crédit columns or one signed Montant, in
 * Latin-1 or UTF-8 (with or without BOM: decoding is statement-files.ts's job). Fields are split by
 * csv-parse (the project's CSV library: quoting, embedded ";" and line breaks); which column holds
 * what comes from a mapping: saved per account, one of the ready PROFILES, or read from the header.
 * Rows before the first one whose date parses (the bank's preamble and header) are skipped; after it,
 * a row that does not parse is an error naming its line and column. Pure.
 */
import { parse } from 'csv-parse/sync';
import { bad, checkCurrency, clean, dateOf, parseDecimal } from './common.js';
import type { Statement, StatementLine } from './types.js';

export const DATE_FORMATS = ['dd/mm/yyyy', 'dd/mm/yy', 'yyyy-mm-dd', 'dd.mm.yyyy', 'dd-mm-yyyy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Columns are 1-based, as people count them in a spreadsheet. */
export interface CsvMapping {
  delimiter?: ';' | ',' | '\t';
  date: number;
  valueDate?: number;
  label: number;
  /** More columns appended to the label (e.g. a "détail" column). */
  detail?: number;
  /** One signed amount... */
  amount?: number;
  /** ...or separate columns (a debit may be written with or without its minus sign). */
  debit?: number;
  credit?: number;
  currency?: number;
  reference?: number;
  dateFormat?: DateFormat;
  decimal?: ',' | '.';
}

/** Ready layouts of the common French bank exports. */
export const PROFILES: Record<string, { description: string; mapping: CsvMapping }> = {
  'fr-debit-credit': {
    description: 'Date;Libellé;Débit;Crédit (Crédit Agricole, Société Générale, LCL style)',
    mapping: { delimiter: ';', date: 1, label: 2, debit: 3, credit: 4, dateFormat: 'dd/mm/yyyy', decimal: ',' },
  },
  'fr-value-date': {
    description: 'Date opération;Date valeur;Libellé;Débit;Crédit (Banque Populaire, Caisse d\'Épargne style)',
    mapping: { delimiter: ';', date: 1, valueDate: 2, label: 3, debit: 4, credit: 5, dateFormat: 'dd/mm/yyyy', decimal: ',' },
  },
  'fr-signed': {
    description: 'Date;Libellé;Montant signed (BNP Paribas, Boursorama, Qonto style)',
    mapping: { delimiter: ';', date: 1, label: 2, amount: 3, dateFormat: 'dd/mm/yyyy', decimal: ',' },
  },
};

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** A mapping read from a header row (Date, Libellé, Débit, Crédit, Montant, Date valeur...), or null. */
export function mappingFromHeader(row: readonly string[]): CsvMapping | null {
  const m: Partial<CsvMapping> = {};
  row.forEach((cell, i) => {
    const h = norm(cell);
    const col = i + 1;
    if (/^date (de )?valeur|^value date/.test(h)) m.valueDate ??= col;
    else if (/^date/.test(h)) m.date ??= col;
    else if (/^(libelle|label|description|intitule|nature)/.test(h)) m.label ??= col;
    else if (/^(detail|info|complement)/.test(h)) m.detail ??= col;
    else if (/^debit/.test(h)) m.debit ??= col;
    else if (/^credit/.test(h)) m.credit ??= col;
    else if (/^(montant|amount)/.test(h)) m.amount ??= col;
    else if (/^(devise|currency)/.test(h)) m.currency ??= col;
    else if (/^(reference|ref)\b/.test(h)) m.reference ??= col;
  });
  if (!m.date || !m.label || !(m.amount || (m.debit && m.credit))) return null;
  return m as CsvMapping;
}

function csvDate(raw: string, fmt: DateFormat, file: string, line: number, field: string): string | null {
  const t = raw.trim();
  let m: RegExpExecArray | null;
  if (fmt === 'yyyy-mm-dd') {
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    return m ? dateOf(Number(m[1]), Number(m[2]), Number(m[3]), t, file, line, field) : null;
  }
  const sep = fmt[2]!;
  m = new RegExp(`^(\\d{1,2})\\${sep}(\\d{1,2})\\${sep}(\\d{${fmt.endsWith('yyyy') ? 4 : 2}})$`).exec(t);
  if (!m) return null;
  const y = fmt.endsWith('yyyy') ? Number(m[3]) : 2000 + Number(m[3]);
  return dateOf(y, Number(m[2]), Number(m[1]), t, file, line, field);
}

function detectDelimiter(text: string): ';' | ',' | '\t' {
  const sample = text.split(/\r?\n/).slice(0, 20).join('\n');
  const count = (c: string) => sample.split(c).length;
  const semi = count(';');
  const tab = count('\t');
  const comma = count(',');
  return semi >= tab && semi >= comma / 2 ? ';' : tab > comma ? '\t' : ',';
}

/** Lines from CSV text. Without a mapping, the header must name the columns. */
export function parseBankCsv(text: string, file: string, o: { mapping?: CsvMapping; currency: string }): Statement {
  const delimiter = o.mapping?.delimiter ?? detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: false }) as never;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw bad(file, e.lines ?? null, 'CSV', e.message.replace(/^Invalid Record Length: /, ''));
  }
  let mapping = o.mapping ?? null;
  if (!mapping) {
    for (const r of records.slice(0, 30)) {
      mapping = mappingFromHeader(r.record);
      if (mapping) break;
    }
    if (!mapping) {
      throw bad(file, 1, 'header', `no header naming the columns (Date, Libellé, Débit/Crédit or Montant); save a mapping with "relance bank account add NAME --csv-date 1 --csv-label 2 --csv-credit 4 ..." or use --csv-profile ${Object.keys(PROFILES).join('|')}`);
    }
  }
  const fmt = mapping.dateFormat ?? 'dd/mm/yyyy';
  const dec = mapping.decimal ?? (delimiter === ',' ? '.' : ',');
  const lines: StatementLine[] = [];
  let started = false;
  const cell = (r: string[], col: number | undefined) => (col === undefined ? '' : (r[col - 1] ?? ''));
  for (const { record: r, info } of records) {
    const line = info.lines;
    if (r.some((c) => c.includes('\u0000'))) throw bad(file, line, 'CSV', 'a NUL byte: this is not a text file');
    const rawDate = cell(r, mapping.date);
    const bookingDate = csvDate(rawDate, fmt, file, line, `column ${mapping.date} (date)`);
    if (!bookingDate) {
      if (!started) continue; // preamble or header
      if (r.every((c) => c.trim() === '')) continue;
      throw bad(file, line, `column ${mapping.date} (date)`, `"${rawDate.trim()}" is not a date (${fmt})`);
    }
    started = true;
    const rawValue = cell(r, mapping.valueDate);
    const valueDate = mapping.valueDate && rawValue.trim() ? csvDate(rawValue, fmt, file, line, `column ${mapping.valueDate} (value date)`) : null;
    if (mapping.valueDate && rawValue.trim() && !valueDate) throw bad(file, line, `column ${mapping.valueDate} (value date)`, `"${rawValue.trim()}" is not a date (${fmt})`);
    let amount: number;
    if (mapping.amount) {
      const a = cell(r, mapping.amount);
      if (!a.trim()) throw bad(file, line, `column ${mapping.amount} (amount)`, 'empty');
      amount = parseDecimal(a, file, line, `column ${mapping.amount} (amount)`, dec);
    } else {
      const d = cell(r, mapping.debit).trim();
      const c = cell(r, mapping.credit).trim();
      if (d && c) throw bad(file, line, `columns ${mapping.debit}/${mapping.credit} (debit/credit)`, 'both a debit and a credit on one line');
      if (!d && !c) throw bad(file, line, `columns ${mapping.debit}/${mapping.credit} (debit/credit)`, 'neither a debit nor a credit');
      amount = d ? -Math.abs(parseDecimal(d, file, line, `column ${mapping.debit} (debit)`, dec)) : Math.abs(parseDecimal(c, file, line, `column ${mapping.credit} (credit)`, dec));
    }
    const currency = mapping.currency ? checkCurrency(cell(r, mapping.currency), file, line, `column ${mapping.currency} (currency)`) : o.currency;
    const label = clean([cell(r, mapping.label), cell(r, mapping.detail)].filter((s) => s.trim()).join(' '));
    const ref = clean(cell(r, mapping.reference));
    lines.push({
      position: lines.length + 1,
      sourceLine: line,
      bookingDate,
      valueDate,
      amount,
      currency,
      bankRef: ref || null,
      label,
      remittance: [],
      references: [],
      payerName: null,
      payerIban: null,
      reversal: false,
    });
  }
  if (lines.length === 0) throw bad(file, null, 'CSV', 'no line with a date in the date column; check the mapping (relance bank account list)');
  return { format: 'csv', accountId: null, currency: o.currency, lines };
}
