/**
 * Bank and tax identifiers that end up printed on every invoice: IBAN (ISO 13616, mod-97 check
 * digits and each country's BBAN format), BIC (ISO 9362) and VAT numbers (each country's format and
 * check key; for France the key computed from the SIREN, (12 + 3 x (SIREN mod 97)) mod 97).
 * The kept libraries do the checking (ibantools, jsvat: pure code, no I/O), so this module is the one
 * place that imports them; it is loaded lazily (`await import`) by the commands that write these
 * values, because evaluating the two libraries costs more than a whole `relance client list`.
 * Each check returns the normalised value or throws a one-line UsageError that says how to fix it.
 */
import { electronicFormatIBAN, validateBIC, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { checkVAT, countries } from 'jsvat';
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

/** "fr76 3000 6000 0112 3456 7890 189" -> "FR7630006000011234567890189", or a refusal. */
export function checkIban(text: string, what = 'IBAN'): string {
  const iban = electronicFormatIBAN(text.trim()) ?? '';
  const r = validateIBAN(iban);
  if (r.valid) return iban;
  const codes = r.errorCodes;
  const why = codes.includes(ValidationErrorsIBAN.NoIBANCountry)
    ? t('common.iban.noCountry')
    : codes.includes(ValidationErrorsIBAN.WrongBBANLength)
      ? t('common.iban.length', { country: iban.slice(0, 2) })
      : codes.includes(ValidationErrorsIBAN.WrongIBANChecksum) || codes.includes(ValidationErrorsIBAN.ChecksumNotNumber)
        ? t('common.iban.checksum')
        : codes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)
          ? t('common.iban.ribKey')
          : t('common.iban.notIban');
  throw new UsageError(t('common.iban.bad', { what, text, why }));
}

/** 8 or 11 characters: bank (4 letters), country (2 letters), location (2), branch (3, optional). */
export function checkBic(text: string, what = 'BIC'): string {
  const bic = text.replace(/\s/g, '').toUpperCase();
  if (validateBIC(bic).valid) return bic;
  throw new UsageError(t('common.bic.bad', { what, text }));
}

/** An intra-EU VAT number (or GB, CH, NO...): the country's format and check key. */
export function checkVatNumber(text: string, what = t('common.vatNumber.what')): string {
  const vat = text.replace(/[\s.-]/g, '').toUpperCase();
  const r = checkVAT(vat, countries);
  if (r.isValid) return vat;
  if (!r.isSupportedCountry) throw new UsageError(t('common.vatNumber.country', { what, text }));
  if (vat.startsWith('FR') && /^FR[0-9A-Z]{2}\d{9}$/.test(vat)) {
    const siren = vat.slice(4);
    const key = /^\d{2}$/.test(vat.slice(2, 4)) ? t('common.vatNumber.keyIs', { siren, key: frenchVatKey(siren) }) : '';
    throw new UsageError(t('common.vatNumber.key', { what, text, key }));
  }
  throw new UsageError(t('common.vatNumber.bad', { what, text, country: r.country?.name ?? '' }).replace('  ', ' '));
}

/** The two-digit key of a French VAT number: (12 + 3 x (SIREN mod 97)) mod 97, zero-padded. */
export function frenchVatKey(siren: string): string {
  return String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0');
}
