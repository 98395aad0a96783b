/**
 * Reading one spreadsheet cell as what a field needs: dates (ISO, French DD/MM/YYYY, Excel serial
 * numbers), amounts (1234.50, 1 234,50 €, XLSX numbers), VAT rates (20, 20 %, 5,5, 0.2 from a cell
 * formatted as a percentage), yes/no. Each parser throws a UsageError saying what was wrong; the row
 * validators turn it into a problem naming the file, row and column. Pure.
 */
import { isIsoDate, parseDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { parseAmount, type Cents } from '../core/money.js';

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
    throw new UsageError(`${c} is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY`);
  }
  const s = c.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (iso) return parseDate(`${iso[1]}-${iso[2]}-${iso[3]}`, 'date');
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (fr) {
    const y = fr[3]!.length === 2 ? 2000 + Number(fr[3]) : Number(fr[3]);
    const d = `${y}-${pad(Number(fr[2]))}-${pad(Number(fr[1]))}`;
    if (!isIsoDate(d)) throw new UsageError(`"${s}" is not a day of the calendar (read as day/month/year)`);
    return d;
  }
  const ymd = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
  if (ymd) return parseDate(`${ymd[1]}-${pad(Number(ymd[2]))}-${pad(Number(ymd[3]))}`, 'date');
  throw new UsageError(`"${s}" is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY`);
}

export function parseCellAmount(c: SheetCell): Cents {
  if (typeof c === 'number') {
    const cents = Math.round(c * 100);
    if (!Number.isFinite(c) || Math.abs(c * 100 - cents) > 1e-6) throw new UsageError(`${c} has more than two decimals`);
    return cents;
  }
  try {
    return parseAmount(c.replace(/\s*(€|EUR)\s*$/i, ''), 'amount');
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^amount: /, ''));
  }
}

/** A VAT rate in basis points: "20", "20 %", "5,5", "0.055" (a percentage cell holds the fraction). */
export function parseCellRate(c: SheetCell): number {
  let pct: number;
  if (typeof c === 'number') pct = c > 0 && c < 1 ? c * 100 : c;
  else {
    const s = c.trim().replace(/\s*%$/, '').replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(s)) throw new UsageError(`"${c}" is not a VAT rate; write 20, 10, 5.5, 2.1 or 0`);
    pct = Number(s);
    if (pct > 0 && pct < 1 && !c.includes('%')) pct *= 100;
  }
  const bp = Math.round(pct * 100);
  if (![2000, 1000, 550, 210, 0].includes(bp)) throw new UsageError(`${pct} % is not a French VAT rate; use 20, 10, 5.5, 2.1 or 0`);
  return bp;
}

const YES = new Set(['yes', 'y', 'oui', 'o', 'true', 'vrai', '1', 'x']);
const NO = new Set(['no', 'n', 'non', 'false', 'faux', '0']);

export function parseCellBool(c: SheetCell): boolean {
  const s = cellText(c).toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  throw new UsageError(`"${cellText(c)}" is not yes or no (oui/non, yes/no, 1/0, x)`);
}
