/**
 * Decimal quantities and percentages, kept as integers: quantities in thousandths (1.5 -> 1500),
 * rates in basis points (20 % -> 2000, 5.5 % -> 550, 12.15 % -> 1215).
 */
import * as z from 'zod/mini';
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

function parseDecimal(text: string, decimals: number, what: string, example: string): number {
  const s = text.trim().replace(/\s*%$/, '');
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) throw new UsageError(t('common.number.bad', { what, text, example }));
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new UsageError(t('common.number.decimals', { what, text, decimals, example }));
  return Number(m[1]) * 10 ** decimals + Number((frac + '0'.repeat(decimals)).slice(0, decimals));
}

/** "20", "5,5", "12.15 %" -> basis points. */
export function parsePercent(text: string, what = t('common.number.rate')): number {
  return parseDecimal(text, 2, what, t('common.number.percentExample'));
}

/** The largest quantity of a line: 999 999 999 (thousandths stay exact integers). */
export const MAX_QUANTITY_TEXT = '999 999 999';

/** "3", "1,5", "0.25" -> thousandths. Zero is refused. */
export function parseQuantity(text: string, what = t('common.number.quantity')): number {
  if (/^\s*\d{10,}/.test(text)) throw new UsageError(t('common.money.textTooLarge', { what, text: text.trim(), max: MAX_QUANTITY_TEXT }));
  const q = parseDecimal(text, 3, what, t('common.number.quantityExample'));
  if (q === 0) throw new UsageError(t('common.number.positive', { what, text }));
  return q;
}

/** 1215 -> "12.15", 2000 -> "20", 550 -> "5.5" */
export function formatBp(bp: number): string {
  const s = (bp / 100).toFixed(2);
  return s.replace(/\.?0+$/, '');
}

/** 1500 -> "1.5", 3000 -> "3" */
export function formatQuantity(milli: number): string {
  return (milli / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/**
 * A number the user typed, read only when written in decimal digits ("12", "-3", "1.5" or "1,5"):
 * Number() would also take "0x1F" (31), "1e3" (1000), "" (0), " " or "Infinity", which are never what
 * a person means by a count of days or a level. Anything else gives NaN, which the schema refuses.
 */
export function decimalNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return Number.NaN;
  const s = v.trim();
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  if (/^[+-]?\d+[.,]\d+$/.test(s)) return Number(s.replace(',', '.'));
  return Number.NaN;
}

/** The zod schema of such a number (instead of z.coerce.number, which takes "0x1F" and "1e3"). */
export const numberText = (what: string) => z.pipe(z.transform(decimalNumber), z.number(what));

/** A whole number between min and max, its messages in the interface's language ("what" names it). */
export const wholeNumber = (what: string, min: number, max?: number) => {
  const base = numberText(what).check(z.int(t('common.zod.whole', { what })), z.minimum(min, t('common.zod.atLeast', { min })));
  return max === undefined ? base : base.check(z.maximum(max, t('common.zod.atMost', { max })));
};

/** The seconds of --wait (how long to wait for a ledger another run holds). */
export const waitSeconds = () => wholeNumberOrDecimal(t('common.zod.seconds'), 0, 3600);

const wholeNumberOrDecimal = (what: string, min: number, max: number) => numberText(what).check(z.minimum(min, t('common.zod.atLeast', { min })), z.maximum(max, t('common.zod.atMost', { max })));
