/**
 * Reading one spreadsheet cell as what a field needs: dates (ISO, French DD/MM/YYYY, Excel serial
 * numbers), amounts (1234.50, 1 234,50 €, XLSX numbers), VAT rates (20, 20 %, 5,5, 0.2 from a cell
 * formatted as a percentage), yes/no. Each parser throws a CellError saying what was wrong as a
 * catalogue key and its params (a Msg), so that the row validators keep it as a problem naming the
 * file, row and column, written in English for --json and in the interface's language on the
 * terminal, both at print time. Pure.
 */
import { MIN_YEAR, daysInMonth, isIsoDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { MAX_AMOUNT_TEXT, parseAmount, type Cents } from '../core/money.js';
import type { MessageKey } from '../i18n/index.js';
import { msg, render, type Msg } from '../i18n/msg.js';

export { msg, render, type Msg };

/** A cell that cannot be read: a UsageError in the interface's language that keeps its Msg. */
export class CellError extends UsageError {
  constructor(readonly msg: Msg) {
    super(render(msg));
  }
}

const fail = (key: MessageKey, params?: Msg['params']): never => {
  throw new CellError(msg(key, params));
};

/** YYYY-MM-DD from its parts, or the reason it is not a day (core/dates.ts parseDate's reasons). */
function isoDay(text: string, y: number, mo: number, d: number): IsoDate {
  const why = y < MIN_YEAR ? msg('common.date.tooOld', { year: MIN_YEAR })
    : mo < 1 || mo > 12 ? msg('common.date.noMonth', { month: mo })
    : d < 1 || d > daysInMonth(y, mo) ? msg('common.date.noDay', { month: String(mo).padStart(2, '0'), year: y, days: daysInMonth(y, mo) })
    : undefined;
  if (why) fail('common.date.bad', { what: msg('common.date.what'), text, why });
  return `${String(y).padStart(4, '0')}-${pad(mo)}-${pad(d)}`;
}

/** Why core/money.ts parseAmount refused a text, as its catalogue key (the same order of checks); undefined: too many digits. */
function amountWhy(text: string): Msg | undefined {
  let s = text.trim().replace(/^(€|EUR)\s*/i, '').replace(/\s*(€|EUR)$/i, '');
  if (text.trim() === '') return msg('common.money.empty');
  if (s.startsWith('-')) s = s.slice(1).trimStart();
  if (/[\s\u00a0\u202f\u2009]/.test(s)) {
    if (!/^\d{1,3}([\s\u00a0\u202f\u2009]\d{3})+([.,]\d+)?$/.test(s)) return msg('common.money.spaces');
    s = s.replace(/[\s\u00a0\u202f\u2009]/g, '');
  }
  if (s.includes('.') && s.includes(',')) return msg('common.money.mixed');
  const m = /^(\d+)(?:([.,])(\d+))?$/.exec(s);
  if (!m) return msg(/^\d+([.,]\d+){2,}$/.test(s) ? 'common.money.twoSeparators' : 'common.money.notNumber');
  if (m[2] === ',' && m[3]!.length === 3) return msg('common.money.ambiguous');
  if (m[2] && m[3]!.length > 2) return msg('common.money.decimals');
  return undefined;
}

export type SheetCell = string | number;

/** A1-style column letter of a 0-based column index. */
export function columnLetter(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function cellText(c: SheetCell | undefined): string {
  return c === undefined ? '' : typeof c === 'number' ? String(c) : c.trim();
}

export function isBlank(c: SheetCell | undefined): boolean {
  return cellText(c) === '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day number (1900 date system, as stored in XLSX) to an ISO date. */
export function excelSerialDate(n: number): IsoDate {
  const ms = Date.UTC(1899, 11, 30) + Math.round(n) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseCellDate(c: SheetCell): IsoDate {
  if (typeof c === 'number') {
    if (c >= 1 && c < 2_958_466 && Number.isInteger(c)) return excelSerialDate(c);
    return fail('books.cell.dateNumber', { value: c });
  }
  const s = c.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (iso) return isoDay(`${iso[1]}-${iso[2]}-${iso[3]}`, Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (fr) {
    const y = fr[3]!.length === 2 ? 2000 + Number(fr[3]) : Number(fr[3]);
    const d = `${y}-${pad(Number(fr[2]))}-${pad(Number(fr[1]))}`;
    if (!isIsoDate(d)) fail('books.cell.notCalendarDay', { text: s });
    return d;
  }
  const ymd = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
  if (ymd) return isoDay(`${ymd[1]}-${pad(Number(ymd[2]))}-${pad(Number(ymd[3]))}`, Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  return fail('books.cell.dateText', { text: s });
}

export function parseCellAmount(c: SheetCell): Cents {
  if (typeof c === 'number') {
    const cents = Math.round(c * 100);
    if (!Number.isFinite(c) || Math.abs(c * 100 - cents) > 1e-6) fail('books.cell.decimals', { value: c });
    return cents;
  }
  const text = c.replace(/\s*(€|EUR)\s*$/i, '');
  try {
    return parseAmount(text, 'amount');
  } catch {
    const why = amountWhy(text);
    return why ? fail('books.cell.amount', { text, why }) : fail('books.cell.amountTooLarge', { text, max: MAX_AMOUNT_TEXT });
  }
}

/** A VAT rate in basis points: "20", "20 %", "5,5", "0.055" (a percentage cell holds the fraction). */
export function parseCellRate(c: SheetCell): number {
  let pct: number;
  if (typeof c === 'number') pct = c > 0 && c < 1 ? c * 100 : c;
  else {
    const s = c.trim().replace(/\s*%$/, '').replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(s)) fail('books.cell.notRate', { text: c });
    pct = Number(s);
    if (pct > 0 && pct < 1 && !c.includes('%')) pct *= 100;
  }
  const bp = Math.round(pct * 100);
  if (![2000, 1000, 550, 210, 0].includes(bp)) fail('books.cell.notFrenchRate', { pct });
  return bp;
}

const YES = new Set(['yes', 'y', 'oui', 'o', 'true', 'vrai', '1', 'x']);
const NO = new Set(['no', 'n', 'non', 'false', 'faux', '0']);

export function parseCellBool(c: SheetCell): boolean {
  const s = cellText(c).toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return fail('books.cell.notBool', { text: cellText(c) });
}
