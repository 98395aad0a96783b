/**
 * The payment reference printed on an invoice: an ISO 11649 structured creditor
 * reference ("RF" + two check digits + up to 21 letters and digits), the same
 * ISO 7064 mod 97-10 check as an IBAN. The payer's bank carries it unchanged in
 * the transfer's remittance information, so bank matching reads it back.
 *
 * An invoice's reference is derived from its number alone ("F-2026-0042" ->
 * "RF.. F20260042"), so it never needs storing to be found again.
 */

const MAX_BODY = 21;

/**
 * Letters as numbers (A=10 ... Z=35), then the remainder mod 97 of the digit string. Only ever
 * given [0-9A-Z] (referenceBody): a letter is two digits, so it shifts the rest by 100.
 */
function mod97(text: string): number {
  let rest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    rest = code >= 65 ? (rest * 100 + code - 55) % 97 : (rest * 10 + code - 48) % 97;
  }
  return rest;
}

/** What a reference body may hold once spaces and punctuation are gone. */
export function referenceBody(text: string): string {
  // ASCII (every invoice number of the default patterns) by char codes; anything else as toUpperCase says.
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return text.toUpperCase().replace(/[^0-9A-Z]/g, '');
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) out += text[i];
    else if (c >= 97 && c <= 122) out += String.fromCharCode(c - 32);
  }
  return out;
}

/** RF + check digits + body; the body is 1 to 21 letters or digits. */
export function creditorReference(body: string): string {
  const clean = referenceBody(body);
  if (clean.length === 0 || clean.length > MAX_BODY) {
    throw new RangeError(`a creditor reference holds 1 to ${MAX_BODY} letters or digits, not "${body}"`);
  }
  const check = 98 - mod97(`${clean}RF00`);
  return `RF${String(check).padStart(2, '0')}${clean}`;
}

/**
 * An invoice's reference. A number with more than 21 letters and digits keeps
 * its last 21 (the sequence is at the end of every default pattern).
 */
export function invoiceReference(invoiceNumber: string): string {
  const body = referenceBody(invoiceNumber);
  return creditorReference(body.length > MAX_BODY ? body.slice(-MAX_BODY) : body);
}

/** Whether text (spaces and case ignored) is a well-formed RF reference with valid check digits. */
export function isCreditorReference(text: string): boolean {
  const clean = referenceBody(text);
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(clean)) return false;
  return mod97(`${clean.slice(4)}${clean.slice(0, 4)}`) === 1;
}

/** The reference in groups of four, as it is printed for people to type ("RF18 F202 6004 2"). */
export function printReference(reference: string): string {
  return groupsOfFour(referenceBody(reference));
}

function groupsOfFour(s: string): string {
  let out = s.slice(0, 4);
  for (let i = 4; i < s.length; i += 4) out += ' ' + s.slice(i, i + 4);
  return out;
}

/**
 * printReference(invoiceReference(number)) in one pass over the number: a reminder prints the
 * reference of every invoice it lists (100k of them in a run over a large ledger).
 */
export function printedInvoiceReference(invoiceNumber: string): string {
  let body = referenceBody(invoiceNumber);
  if (body.length > MAX_BODY) body = body.slice(-MAX_BODY);
  if (body.length === 0) return printReference(invoiceReference(invoiceNumber)); // the RangeError
  const check = 98 - mod97(`${body}RF00`);
  return groupsOfFour(`RF${check < 10 ? '0' : ''}${check}${body}`);
}
