/**
 * Line amounts, VAT per rate and totals, in integer cents (EN 16931):
 * - a line's net amount is quantity x unit price, less its discount, rounded to the cent;
 * - VAT is computed once per rate, on the sum of that rate's line nets (BR-CO-17), rounded half
 *   away from zero to the cent; never line by line;
 * - total excl. VAT = sum of the nets, VAT = sum of the per-rate VAT, total incl. VAT = both.
 * Quantities are thousandths (1.5 -> 1500), rates and % discounts basis points (20 % -> 2000).
 */
import { UsageError } from './errors.js';
import { MAX_AMOUNT_TEXT, MAX_CENTS, roundDiv, splitProportionally, type Cents } from './money.js';
import { formatBp } from './numbers.js';
import { t } from '../i18n/index.js';

/** The French VAT rates, in basis points: 20, 10, 5.5, 2.1 and 0 %. */
export const VAT_RATES_BP = [2000, 1000, 550, 210, 0] as const;

export interface LineInput {
  description: string;
  quantityMilli: number;
  /** cents, excl. VAT */
  unitPrice: Cents;
  vatBp: number;
  /** a percentage discount, in basis points (1000 = 10 %); 0 when none */
  discountBp: number;
  /** a discount in cents on the whole line; 0 when none */
  discountAmount: Cents;
}

export interface ComputedLine extends LineInput {
  /** net amount excl. VAT, rounded to the cent */
  net: Cents;
}

export interface RateTotal {
  vatBp: number;
  /** sum of the nets of the lines at this rate */
  base: Cents;
  vat: Cents;
  gross: Cents;
}

export interface Totals {
  rates: RateTotal[];
  net: Cents;
  vat: Cents;
  gross: Cents;
}

export function checkVatRate(bp: number, what = 'VAT rate'): number {
  if (!(VAT_RATES_BP as readonly number[]).includes(bp)) {
    throw new UsageError(t('common.vat.badRate', { what, rate: formatBp(bp) }));
  }
  return bp;
}

/** The line's net: quantity x unit price, less the discount, rounded half away from zero. */
export function lineNet(l: LineInput): Cents {
  // Everything in thousandths of a cent until the one rounding at the end.
  const gross = BigInt(l.quantityMilli) * BigInt(l.unitPrice);
  let exact: bigint;
  let den: bigint;
  if (l.discountBp > 0 && l.discountAmount !== 0) throw new UsageError(t('common.vat.discountBoth', { line: l.description }));
  if (l.discountBp > 0) {
    if (l.discountBp > 10_000) throw new UsageError(t('common.vat.discountOver', { line: l.description }));
    exact = gross * BigInt(10_000 - l.discountBp);
    den = 10_000_000n;
  } else {
    exact = gross - BigInt(l.discountAmount) * 1000n;
    den = 1000n;
  }
  const exactNet = roundDiv(exact, den);
  if (exactNet > BigInt(MAX_CENTS) || exactNet < -BigInt(MAX_CENTS)) {
    throw new UsageError(t('common.vat.lineTooLarge', { line: l.description, max: MAX_AMOUNT_TEXT }));
  }
  const net = Number(exactNet);
  if (l.unitPrice >= 0 && net < 0) throw new UsageError(t('common.vat.discountLarger', { line: l.description }));
  return net;
}

export function computeLine(l: LineInput): ComputedLine {
  return { ...l, net: lineNet(l) };
}

/** VAT on a base at a rate, half away from zero. */
export function vatOn(base: Cents, vatBp: number): Cents {
  return Number(roundDiv(BigInt(base) * BigInt(vatBp), 10_000n));
}

/** Per-rate bases (from line nets or frozen breakdowns) to per-rate VAT and totals. Rates highest first. */
export function totalsFromBases(bases: ReadonlyMap<number, Cents> | Iterable<[number, Cents]>): Totals {
  const sums = new Map<number, Cents>();
  for (const [bp, base] of bases) sums.set(bp, (sums.get(bp) ?? 0) + base);
  const rates = [...sums.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([vatBp, base]) => {
      const vat = vatOn(base, vatBp);
      return { vatBp, base, vat, gross: base + vat };
    });
  const net = rates.reduce((s, r) => s + r.base, 0);
  const vat = rates.reduce((s, r) => s + r.vat, 0);
  return { rates, net, vat, gross: net + vat };
}

/** Refuse lines whose document total (incl. VAT) is more than a ledger can hold; returns the lines. */
export function checkLinesFit<L extends { vatBp: number; net: Cents }>(lines: L[]): L[] {
  const totals = computeTotals(lines);
  if (Math.abs(totals.gross) > MAX_CENTS || Math.abs(totals.net) > MAX_CENTS) {
    throw new UsageError(t('common.vat.totalTooLarge', { max: MAX_AMOUNT_TEXT }));
  }
  return lines;
}

/** Totals of a set of lines whose nets are known (BR-CO-17). */
export function computeTotals(lines: readonly { vatBp: number; net: Cents }[]): Totals {
  return totalsFromBases(lines.map((l) => [l.vatBp, l.net] as [number, Cents]));
}

/** The amount incl. VAT of a base at a rate. */
export function grossOf(base: Cents, vatBp: number): Cents {
  return base + vatOn(base, vatBp);
}

/**
 * The base (excl. VAT) whose amount incl. VAT is as close as possible to `gross` at this rate.
 * Exact whenever such a base exists (at 20 %, 1 in 6 gross amounts cannot be reached exactly).
 */
export function baseForGross(gross: Cents, vatBp: number): Cents {
  const guess = Number(roundDiv(BigInt(gross) * 10_000n, BigInt(10_000 + vatBp)));
  let best = guess;
  for (const b of [guess - 1, guess, guess + 1]) {
    if (Math.abs(grossOf(b, vatBp) - gross) < Math.abs(grossOf(best, vatBp) - gross)) best = b;
  }
  return best;
}

/**
 * Split an amount incl. VAT (a deposit, the rest of an invoice being cancelled) across VAT rates
 * in proportion to `weights` (each rate's amount incl. VAT on the source document), and return each
 * rate's base so that VAT computed per rate on those bases gives back `gross` exactly when possible,
 * else to the nearest cent. Rates with a zero share are left out.
 */
export function splitGrossAcrossRates(gross: Cents, weights: readonly { vatBp: number; gross: Cents }[]): { vatBp: number; base: Cents }[] {
  const usable = weights.filter((w) => w.gross !== 0);
  if (usable.length === 0) return [];
  const shares = splitProportionally(gross, usable.map((w) => w.gross));
  const parts = usable.map((w, i) => ({ vatBp: w.vatBp, base: baseForGross(shares[i]!, w.vatBp) }));
  const total = () => parts.reduce((s, p) => s + grossOf(p.base, p.vatBp), 0);
  // Rounding per rate can leave a cent or two; move bases by a cent where that closes the gap.
  for (let round = 0; round < 8 && total() !== gross; round++) {
    const gap = gross - total();
    let best: { i: number; delta: number; after: number } | undefined;
    parts.forEach((p, i) => {
      for (const delta of [-1, 1]) {
        const after = Math.abs(gap - (grossOf(p.base + delta, p.vatBp) - grossOf(p.base, p.vatBp)));
        if (after < Math.abs(gap) && (!best || after < best.after)) best = { i, delta, after };
      }
    });
    if (!best) break;
    parts[best.i]!.base += best.delta;
  }
  return parts.filter((p) => p.base !== 0);
}
