/**
 * The mandatory mentions of an invoice (french-rules.md section 3, Code de commerce L441-9, CGI art.
 * 242 nonies A, and the e-invoicing reform's décret 2022-1299) that the ledger, the client or the
 * document does not hold yet. Pure: the caller gathers the facts; `invoice issue` checks them before
 * the number is taken and the PDF frozen (warns, or refuses with --strict / invoice.strict), and
 * `invoice pdf` warns with the same list.
 */
import type { DocumentKind } from './documents.js';
import { t } from '../i18n/index.js';

export interface MentionFacts {
  kind: DocumentKind;
  /** how the document is named in commands: draft-12 or F-2026-0001 */
  ref: string;
  /** whether the document can still change (a draft): the fix is then `invoice edit` */
  draft: boolean;
  vatExempt: boolean;
  seller: { siren: string | null | undefined; address: string | null; vatNumber: string | null | undefined };
  /** country: ISO 3166 code read from the billing address (FR when it names none) */
  buyer: { code: string; kind: 'b2b' | 'b2c'; siren: string | null | undefined; vatNumber: string | null | undefined; address: string | null; country?: string };
  operation: 'goods' | 'services' | 'both' | null;
}

export interface MissingMention {
  /** a stable key, for --json and tests */
  key: 'seller.siren' | 'seller.address' | 'seller.vat_number' | 'buyer.address' | 'buyer.siren' | 'operation';
  /** what is missing, e.g. "the client's SIREN" */
  what: string;
  /** how to add it: a command line */
  fix: string;
}

/** Whether a VAT number is another country's than France (such a client has no SIREN to give). */
function foreignVat(vat: string | null | undefined): boolean {
  return !!vat && !/^FR/i.test(vat.replace(/\s/g, ''));
}

/** The mentions this document lacks, in the order they appear on the page; empty when complete. */
export function missingMentions(f: MentionFacts): MissingMention[] {
  const out: MissingMention[] = [];
  const invoiceEdit = (option: string) => (f.draft ? `relance invoice edit ${f.ref} ${option}` : `relance invoice new ... ${option}`);
  if (!f.seller.siren) out.push({ key: 'seller.siren', what: t('common.mention.sellerSiren'), fix: 'relance ledger set business.siren 123456789' });
  if (!f.seller.address) out.push({ key: 'seller.address', what: t('common.mention.sellerAddress'), fix: 'relance ledger set business.address "1 rue X;75001 Paris"' });
  if (!f.seller.vatNumber && !f.vatExempt) out.push({ key: 'seller.vat_number', what: t('common.mention.sellerVat'), fix: 'relance ledger set business.vat_number FR...' });
  if (!f.buyer.address) out.push({ key: 'buyer.address', what: t('common.mention.buyerAddress'), fix: `relance client edit ${f.buyer.code} --address ...` });
  // A French business client is identified by its SIREN (mandatory on invoices with the reform); a
  // client of another EU country by its VAT number instead, and one outside France has no SIREN at all.
  if (f.buyer.kind === 'b2b' && !f.buyer.siren && !foreignVat(f.buyer.vatNumber) && (f.buyer.country ?? 'FR') === 'FR') {
    out.push({ key: 'buyer.siren', what: t('common.mention.buyerSiren'), fix: `relance client edit ${f.buyer.code} --siren 123456789` });
  }
  // Goods, services or both: it also decides when VAT is due. A credit note follows the invoice it
  // cancels, and a penalty invoice is no sale (outside the scope of VAT).
  if (f.operation === null && f.kind !== 'credit_note' && f.kind !== 'penalty' && f.kind !== 'quote') {
    out.push({ key: 'operation', what: t('common.mention.operation'), fix: invoiceEdit('--operation services') });
  }
  return out;
}
