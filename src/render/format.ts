/**
 * Formatting, once for every command and engine: money on the terminal (in the interface's language,
 * €1,234.50 or 1 234,50 €; documents, letters and emails use the client's language), amounts in JSON
 * (decimal strings, so no script ever sees a float), and the business's identity as the settings
 * give it (letters, emails, invoice PDFs, statements, the doctor's sample).
 */
import { centsToDecimal, formatMoney, type Cents } from '../core/money.js';
import { language, t } from '../i18n/index.js';

/** Money as the CLI prints it, in the interface's language: €1,234.50 or 1 234,50 €. */
export function money(cents: Cents, currency: string): string {
  return formatMoney(cents, currency, language());
}

/** A money printer for tables: null (a penalty whose rate is unknown) prints "unknown". */
export function moneyFormatter(): (cents: Cents | null, currency?: string) => string {
  // The language and the "unknown" word once per formatter, not per amount: a report formats ~100k amounts.
  const lang = language();
  const unknown = t('common.money.unknown');
  return (cents, currency = 'EUR') => (cents === null ? unknown : formatMoney(cents, currency, lang));
}

/** JSON amounts are decimal strings ("1234.50"), like CSV. */
export const dec = (c: Cents | null): string | null => (c === null ? null : centsToDecimal(c));

/** An ISO timestamp's day. */
export const shortDate = (at: string): string => at.slice(0, 10);

/** The lines of a postal address as the ledger stores it (one per line). */
export function addressLines(text: string | null | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The client as the templates see it, in reminders and in document emails: its billing address in lines; consumer for a b2c client. */
export function templateClient(c: { code: string; name: string; contactName: string | null; email: string | null; address: string | null; billingAddress: string | null; kind: 'b2b' | 'b2c' }) {
  return { code: c.code, name: c.name, contactName: c.contactName, email: c.email, address: addressLines(c.billingAddress ?? c.address), consumer: c.kind === 'b2c' };
}

/** The settings that say who the business is (a structural subset of store/settings.ts's Settings). */
export interface BusinessSettings {
  'business.name': string;
  'business.legal_form': string | null;
  'business.siren': string | null;
  'business.rcs': string | null;
  'business.vat_number': string | null;
  'business.address': string | null;
  'business.email': string;
  'business.phone': string | null;
  'business.iban': string | null;
  'business.bic': string | null;
}

export interface Business {
  name: string;
  legalForm: string | null;
  siren: string | null;
  rcs: string | null;
  vatNumber: string | null;
  /** The postal address, one line each. */
  address: string[];
  email: string;
  phone: string | null;
  iban: string | null;
  bic: string | null;
}

/** Who the business is, from its settings. */
export function businessOf(s: BusinessSettings): Business {
  return {
    name: s['business.name'],
    legalForm: s['business.legal_form'],
    siren: s['business.siren'],
    rcs: s['business.rcs'],
    vatNumber: s['business.vat_number'],
    address: addressLines(s['business.address']),
    email: s['business.email'],
    phone: s['business.phone'],
    iban: s['business.iban'],
    bic: s['business.bic'],
  };
}

/** The one line at the foot of a page: "Name - SIREN 123456789". */
export function businessFooter(s: BusinessSettings): string {
  return `${s['business.name']}${s['business.siren'] ? ` - SIREN ${s['business.siren']}` : ''}`;
}
