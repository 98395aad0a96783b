/**
 * Money is an integer number of minor units (cents). Never a float in a total.
 *
 * parseAmount accepts what people type in France and elsewhere:
 *   1234.5 · 1234,50 · 1 234,50 (space, no-break or narrow no-break space) · 1234.50 EUR · €12 · -5
 * and refuses anything ambiguous or malformed (1,234 · 12.34.5 · 1.234,5 · abc), quoting what was read.
 */
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

export type Cents = number;

/**
 * The largest amount a ledger holds: 9 999 999 999,99 (in cents). Amounts are SQLite INTEGERs and
 * JavaScript numbers; this bound keeps every product, VAT and sum of a ledger far inside the exact
 * integer range (2^53), so no total ever becomes a float ("cannot store REAL value in INTEGER column").
 */
export const MAX_CENTS = 999_999_999_999;
export const MAX_AMOUNT_TEXT = '9 999 999 999,99';

/** Refuse an amount (a line, a total) beyond MAX_CENTS, naming it. */
export function checkAmountRange(cents: Cents, what: string): Cents {
  if (!Number.isSafeInteger(cents) || Math.abs(cents) > MAX_CENTS) {
    throw new UsageError(t('common.money.tooLarge', { what, max: MAX_AMOUNT_TEXT }));
  }
  return cents;
}

const SPACES = /[\s\u00a0\u202f\u2009]/g;

/** Parse a decimal amount into cents. `what` names the field in error messages. */
export function parseAmount(text: string, what = t('common.money.what')): Cents {
  const original = text;
  let s = text.trim();
  const fail = (why: string): never => {
    throw new UsageError(
      t('common.money.bad', { what, text: original, why }),
    );
  };
  if (s === '') fail(t('common.money.empty'));
  // Currency marks at either end: EUR, €, the ledger's other ISO codes.
  s = s.replace(/^(€|EUR)\s*/i, '').replace(/\s*(€|EUR)$/i, '');
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1).trimStart();
  }
  // Thousands groups separated by spaces: "1 234,50". Only groups of exactly three digits.
  if (SPACES.test(s)) {
    SPACES.lastIndex = 0;
    if (!/^\d{1,3}([\s\u00a0\u202f\u2009]\d{3})+([.,]\d+)?$/.test(s)) fail(t('common.money.spaces'));
    s = s.replace(SPACES, '');
  }
  if (s.includes('.') && s.includes(',')) fail(t('common.money.mixed'));
  const m = /^(\d+)(?:([.,])(\d+))?$/.exec(s);
  if (!m) {
    if (/^\d+([.,]\d+){2,}$/.test(s)) fail(t('common.money.twoSeparators'));
    fail(t('common.money.notNumber'));
  }
  const [, intPart, sep, frac = ''] = m!;
  if (sep === ',' && frac.length === 3) fail(t('common.money.ambiguous'));
  if (sep && frac.length > 2) fail(t('common.money.decimals'));
  if (intPart!.replace(/^0+/, '').length > 10) throw new UsageError(t('common.money.textTooLarge', { what, text: original, max: MAX_AMOUNT_TEXT }));
  const cents = Number(intPart) * 100 + Number((frac + '00').slice(0, 2));
  return negative ? -cents : cents;
}

/** Parse an amount that must be strictly positive. */
export function parsePositiveAmount(text: string, what = 'amount'): Cents {
  const cents = parseAmount(text, what);
  if (cents <= 0) throw new UsageError(t('common.number.positive', { what, text }));
  return cents;
}

/** 123456 -> "1234.56" (machine form, used in JSON and CSV). */
export function centsToDecimal(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Human form: French "1 234,56 €" or English "€1,234.56". The currency symbol
 * is € for EUR, the ISO code otherwise.
 */
export function formatMoney(cents: Cents, currency = 'EUR', lang: 'fr' | 'en' = 'fr'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = String(Math.trunc(abs / 100));
  const dec = CENTS[abs % 100] ?? String(abs % 100).padStart(2, '0');
  const sym = currency === 'EUR' ? '€' : currency;
  if (lang === 'fr') return `${sign}${groupDigits(units, '\u202f')},${dec}\u00a0${sym}`;
  return currency === 'EUR' ? `${sign}€${groupDigits(units, ',')}.${dec}` : `${sign}${groupDigits(units, ',')}.${dec} ${sym}`;
}
const CENTS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Digits in groups of three from the right ("1234567" -> "1,234,567"), by hand: reports format ~100k amounts. */
function groupDigits(units: string, sep: string): string {
  if (units.length <= 3) return units;
  const head = units.length % 3 || 3;
  let out = units.slice(0, head);
  for (let i = head; i < units.length; i += 3) out += sep + units.slice(i, i + 3);
  return out;
}

/**
 * Round a rational number num/den (integers, den > 0) to the nearest integer,
 * halves away from zero. BigInt so that amount x rate x days never loses a cent.
 */
export function roundDiv(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('roundDiv: denominator must be positive');
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (a * 2n + den) / (2n * den);
  return neg ? -q : q;
}

/** Split `total` cents into `parts` amounts that add up exactly; leftover cents go to the first parts. */
export function splitEvenly(total: Cents, parts: number): Cents[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('splitEvenly: parts must be >= 1');
  const base = Math.trunc(total / parts);
  let rest = total - base * parts;
  return Array.from({ length: parts }, () => {
    const step = rest > 0 ? 1 : rest < 0 ? -1 : 0;
    rest -= step;
    return base + step;
  });
}

/**
 * Split `total` cents in proportion to `weights` (e.g. a deposit across VAT rates),
 * by the largest-remainder method, so the parts add up exactly to the total.
 */
export function splitProportionally(total: Cents, weights: readonly number[]): Cents[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (BigInt(total) * BigInt(w)) );
  const floors = raw.map((r) => Number(r / BigInt(sum)));
  let rest = total - floors.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, rem: Number(r % BigInt(sum)) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (rest === 0) break;
    floors[i]! += rest > 0 ? 1 : -1;
    rest += rest > 0 ? -1 : 1;
  }
  return floors;
}
