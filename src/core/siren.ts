/**
 * French company identifiers. A SIREN is 9 digits whose Luhn checksum is valid
 * (La Poste's SIREN 356000000 is the one documented exception); a SIRET is the
 * SIREN plus a 5-digit establishment number, 14 digits, also Luhn.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** Remove the spaces people put in SIRENs ("123 456 789"). */
export function normaliseSiren(text: string): string {
  return text.replace(/[\s\u00a0\u202f.]/g, '');
}

export function sirenValid(siren: string): boolean {
  return /^\d{9}$/.test(siren) && (luhnValid(siren) || siren === '356000000');
}
