/**
 * What the statement parsers share: one error shape naming the file, the line and the field, strict
 * decimal amounts, dates, currency codes. Pure.
 */
import { isIsoDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Cents } from '../core/money.js';

/** "statement.xml line 12, Amt: ..." as one UsageError (exit 2). */
export function bad(file: string, line: number | null, field: string, what: string): UsageError {
  return new UsageError(`${file}${line === null ? '' : ` line ${line}`}, ${field}: ${what}`);
}

let known: Set<string> | null = null;
/** ISO 4217 codes as Node's ICU knows them. */
export function isKnownCurrency(code: string): boolean {
  if (!known) known = new Set((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'));
  return known.has(code);
}

export function checkCurrency(code: string | null | undefined, file: string, line: number, field: string): string {
  const c = (code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c) || !isKnownCurrency(c)) throw bad(file, line, field, `"${code ?? ''}" is not a known ISO 4217 currency code`);
  return c;
}

/**
 * A decimal amount to cents: digits, an optional sign, one decimal separator ("." or "," as
 * told, or either), at most two decimals; spaces (also non-breaking) or "'" between thousands.
 */
export function parseDecimal(text: string, file: string, line: number, field: string, sep: '.' | ',' | 'any' = 'any'): Cents {
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  } else if (t.endsWith('-')) {
    sign = -1;
    t = t.slice(0, -1);
  }
  const re = sep === '.' ? /^(\d+)(?:\.(\d{1,2}))?$/ : sep === ',' ? /^(\d+)(?:,(\d{1,2}))?$/ : /^(\d+)(?:[.,](\d{1,2}))?$/;
  let m = re.exec(t);
  if (!m && sep === '.') {
    // 1,234.56: commas between thousands with a decimal point
    const g = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/.exec(t);
    if (g) m = [t, g[1]!.replace(/,/g, ''), g[2]] as unknown as RegExpExecArray;
  }
  if (!m && sep !== '.') {
    // 1.234,56: dots between thousands with a decimal comma
    const g = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(t);
    if (g) m = [t, g[1]!.replace(/\./g, ''), g[2]!] as unknown as RegExpExecArray;
  }
  if (!m) throw bad(file, line, field, `"${text.trim()}" is not an amount`);
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) throw bad(file, line, field, `"${text.trim()}" is too large`);
  return sign * cents;
}

/** YYYY-MM-DD (optionally followed by a time, as CAMT's DtTm). */
export function isoDate(text: string | null | undefined, file: string, line: number, field: string): IsoDate {
  const d = (text ?? '').trim().slice(0, 10);
  if (!isIsoDate(d)) throw bad(file, line, field, `"${text ?? ''}" is not a date (YYYY-MM-DD)`);
  return d;
}

/** A date from its parts, checked. */
export function dateOf(y: number, m: number, d: number, raw: string, file: string, line: number, field: string): IsoDate {
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (!isIsoDate(iso)) throw bad(file, line, field, `"${raw}" is not a date`);
  return iso;
}

/** Spaces collapsed, trimmed. */
export const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** An IBAN without spaces, upper case, or null. */
export const compactIban = (s: string | null | undefined): string | null => {
  const t = (s ?? '').replace(/\s+/g, '').toUpperCase();
  return t ? t : null;
};
