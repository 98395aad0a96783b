/**
 * The payload of an EPC QR code (EPC069-12 "Quick Response Code: guidelines to enable data capture
 * for the initiation of a SEPA credit transfer", version 002): what a banking app reads to fill in a
 * transfer. Lines separated by LF: BCD, 002, 1 (UTF-8), SCT, BIC, beneficiary name, IBAN, amount
 * ("EUR12.34"), purpose, structured reference (an ISO 11649 RF reference), unstructured remittance,
 * information to the payer. A structured reference and an unstructured text exclude each other; the
 * whole payload is at most 331 bytes; the amount is in euros only. Pure.
 */
import type { Cents } from './money.js';

export interface EpcTransfer {
  bic: string | null;
  name: string;
  iban: string;
  /** null: the payer types the amount */
  amount: Cents | null;
  /** an ISO 11649 creditor reference, in the structured field */
  reference: string | null;
  /** free remittance text, when there is no structured reference */
  text?: string | null;
}

const MAX_BYTES = 331;

/** The EPC QR payload, or null when no code can be made (another currency than EUR, an amount out of range). */
export function epcPayload(t: EpcTransfer, currency = 'EUR'): string | null {
  if (currency !== 'EUR') return null;
  if (t.amount !== null && (t.amount < 1 || t.amount > 99_999_999_999)) return null;
  const iban = t.iban.replace(/\s/g, '').toUpperCase();
  const name = clip(t.name.replace(/[\r\n]+/g, ' ').trim(), 70);
  if (!name || !/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return null;
  const reference = t.reference ? t.reference.replace(/\s/g, '').toUpperCase() : '';
  const lines = [
    'BCD',
    '002',
    '1',
    'SCT',
    (t.bic ?? '').replace(/\s/g, '').toUpperCase(),
    name,
    iban,
    t.amount === null ? '' : `EUR${Math.trunc(t.amount / 100)}.${String(t.amount % 100).padStart(2, '0')}`,
    '',
    clip(reference, 35),
    reference ? '' : clip((t.text ?? '').replace(/[\r\n]+/g, ' '), 140),
  ];
  while (lines[lines.length - 1] === '') lines.pop();
  const payload = lines.join('\n');
  return new TextEncoder().encode(payload).length <= MAX_BYTES ? payload : null;
}

/** Read an EPC QR payload back (the tests and bank matching): the fields, or null when it is not one. */
export function parseEpcPayload(payload: string): (EpcTransfer & { currency: string }) | null {
  const l = payload.split(/\r?\n/);
  if (l[0] !== 'BCD' || (l[1] !== '001' && l[1] !== '002') || l[3] !== 'SCT') return null;
  const m = /^([A-Z]{3})(\d+(?:\.\d{1,2})?)$/.exec(l[7] ?? '');
  return {
    bic: l[4] || null,
    name: l[5] ?? '',
    iban: l[6] ?? '',
    currency: m ? m[1]! : 'EUR',
    amount: m ? Math.round(Number(m[2]) * 100) : null,
    reference: l[9] || null,
    text: l[10] || null,
  };
}

function clip(s: string, max: number): string {
  return [...s].slice(0, max).join('');
}
