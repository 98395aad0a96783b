/**
 * The EUR rate of an invoice in another currency (BR-FR-CO-12 / EN 16931 BR-53; CGI art. 242
 * nonies A asks for the VAT in euros on such an invoice). Given as the ECB publishes it: units of the
 * invoice's currency for 1 EUR (1.0845 USD), kept in millionths; the VAT in EUR (BT-111) is the VAT
 * divided by it, rounded to the cent.
 */
import { UsageError } from './errors.js';
import { roundDiv, type Cents } from './money.js';
import { t } from '../i18n/index.js';

/** "1.0845" or "1,0845" -> 1084500 (at most 6 decimals, more than zero); else a UsageError. */
export function parseEurRate(text: string, currency: string, option = '--eur-rate'): number {
  const s = text.trim().replace(',', '.');
  const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(s);
  const micro = m ? Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0')) : 0;
  if (micro <= 0) {
    throw new UsageError(t('common.eurRate.bad', { option, text, currency }));
  }
  return micro;
}

/** 1084500 -> "1.0845" */
export function formatEurRate(micro: number): string {
  const whole = Math.floor(micro / 1_000_000);
  const frac = String(micro % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** An amount of the invoice's currency in EUR at the rate, to the cent (half away from zero). */
export function toEur(amount: Cents, micro: number): Cents {
  return Number(roundDiv(BigInt(amount) * 1_000_000n, BigInt(micro)));
}
