/**
 * CFONB 120: the French banks' fixed-width statement ("relevé de compte sur support informatique",
 * CFONB 2004, completed 2007 for SEPA transfers), written from that layout. Lines of 120 characters:
 *   01 previous balance, 04 movement, 05 complement of the movement before it, 07 new balance.
 * Positions (1-based) used here, common to 01/04/05/07: 1-2 record code, 3-7 bank, 12-16 branch,
 * 17-19 currency, 20 number of decimals, 22-32 account number, 35-40 date (JJMMAA).
 * 04: 8-11 interbank operation code, 43-48 value date, 49-79 label, 82-88 entry number,
 *     91-104 amount (its last character carries the sign and the last digit: "{" A-I positive 0-9,
 *     "}" J-R negative 0-9), 105-120 reference.
 * 05: 46-48 qualifier (LIB label, NPY payer's name, IPY payer's id, RCN client reference, LCC/LC2
 *     remittance text, REF...), 49-118 the information.
 * Pure.
 */
import { bad, checkCurrency, clean, dateOf } from './common.js';
import type { Statement, StatementLine } from './types.js';

const POSITIVE = '{ABCDEFGHI';
const NEGATIVE = '}JKLMNOPQR';

export function looksLikeCfonb(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return /^0[1457]/.test(first) && first.replace(/\s+$/, '').length <= 120 && first.length >= 100;
}

function amount(raw: string, decimals: number, file: string, line: number): number {
  const last = raw[raw.length - 1]!;
  let digit = POSITIVE.indexOf(last);
  let sign = 1;
  if (digit < 0) {
    digit = NEGATIVE.indexOf(last);
    sign = -1;
  }
  const body = raw.slice(0, -1);
  if (digit < 0 || !/^\d{13}$/.test(body)) throw bad(file, line, 'amount (positions 91-104)', `"${raw}" is not a CFONB signed amount`);
  const units = Number(body + String(digit));
  if (decimals > 2) throw bad(file, line, 'decimals (position 20)', `${decimals} decimals: only 0 to 2 are supported`);
  return sign * units * 10 ** (2 - decimals);
}

function jjmmaa(raw: string, file: string, line: number, field: string): string {
  if (!/^\d{6}$/.test(raw)) throw bad(file, line, field, `"${raw}" is not a date (JJMMAA)`);
  const yy = Number(raw.slice(4, 6));
  // Two-digit years: 00-69 are 20xx, 70-99 19xx (the standard dates from 1979 to today).
  return dateOf(yy < 70 ? 2000 + yy : 1900 + yy, Number(raw.slice(2, 4)), Number(raw.slice(0, 2)), raw, file, line, field);
}

export function parseCfonb120(text: string, file: string): Statement {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines: StatementLine[] = [];
  let accountId: string | null = null;
  let currency: string | null = null;
  let open = false;
  let current: StatementLine | null = null;
  rows.forEach((full, i) => {
    const n = i + 1;
    if (full.trim() === '') return;
    // Some banks drop the trailing spaces of a record; never more than 120 characters.
    if (full.length > 120 || full.length < 104) throw bad(file, n, 'record', `is ${full.length} characters long; CFONB 120 records are 120`);
    const raw = full.padEnd(120);
    const code = raw.slice(0, 2);
    const decimals = Number(raw[19]);
    if (!/^\d$/.test(raw[19]!)) throw bad(file, n, 'decimals (position 20)', `"${raw[19]}" is not a digit`);
    const ccy = checkCurrency(raw.slice(16, 19), file, n, 'currency (positions 17-19)');
    const account = raw.slice(21, 32).trim();
    if (code === '01') {
      if (open) throw bad(file, n, 'record 01', 'a new statement starts before the previous one ended (07)');
      amount(raw.slice(90, 104), decimals, file, n);
      jjmmaa(raw.slice(34, 40), file, n, 'date (positions 35-40)');
      open = true;
      accountId ??= `${raw.slice(2, 7)}${raw.slice(11, 16)}${account}`;
      currency ??= ccy;
      current = null;
    } else if (code === '04') {
      if (!open) throw bad(file, n, 'record 04', 'a movement outside a statement (no 01 before it)');
      const bookingDate = jjmmaa(raw.slice(34, 40), file, n, 'booking date (positions 35-40)');
      const v = raw.slice(42, 48);
      const valueDate = v.trim() === '' ? null : jjmmaa(v, file, n, 'value date (positions 43-48)');
      const label = clean(raw.slice(48, 79));
      const entry = raw.slice(81, 88).trim();
      const ref = raw.slice(104, 120).trim();
      current = {
        position: lines.length + 1,
        sourceLine: n,
        bookingDate,
        valueDate,
        amount: amount(raw.slice(90, 104), decimals, file, n),
        currency: ccy,
        // The entry number is the bank's own reference when it gives one (with the account and date: numbers restart).
        bankRef: entry && /[1-9]/.test(entry) ? `${bookingDate}/${entry}` : null,
        label,
        remittance: ref ? [ref] : [],
        references: [],
        payerName: null,
        payerIban: null,
        reversal: false,
      };
      lines.push(current);
    } else if (code === '05') {
      if (!current) throw bad(file, n, 'record 05', 'a complement with no movement (04) before it');
      const qualifier = raw.slice(45, 48).trim();
      const info = clean(raw.slice(48, 118));
      if (!info) return;
      if (qualifier === 'NPY') current.payerName = info;
      else if (qualifier === 'LIB' || qualifier === 'LCC' || qualifier === 'LC2' || qualifier === 'RCN' || qualifier === 'REF' || qualifier === '') current.remittance.push(info);
    } else if (code === '07') {
      if (!open) throw bad(file, n, 'record 07', 'a new balance with no statement started (01)');
      amount(raw.slice(90, 104), decimals, file, n);
      jjmmaa(raw.slice(34, 40), file, n, 'date (positions 35-40)');
      open = false;
      current = null;
    } else {
      throw bad(file, n, 'record code (positions 1-2)', `"${code}" is not 01, 04, 05 or 07`);
    }
  });
  if (open) throw bad(file, rows.length, 'record 07', 'the statement never ends (no new balance 07)');
  if (accountId === null) throw bad(file, 1, 'record 01', 'no statement in the file');
  return { format: 'cfonb120', accountId, currency, lines };
}
