/**
 * The EN 16931 semantic model of an issued invoice, built from the same data the PDF is drawn from
 * (DocumentPdfData), so the XML says what the PDF says. The CII and UBL writers (cii.ts, ubl.ts)
 * only serialise this model; every business decision (type code, VAT categories, notes, payment
 * means, prepaid amounts) is taken here. Pure: no I/O, no clock.
 *
 * Amounts are integer cents; dates YYYY-MM-DD; the BT-/BG- numbers are EN 16931-1's.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { invoiceReference } from '../core/payment-reference.js';
import type { DocumentPdfData } from '../render/document-pdf.js';

export interface PostalAddress {
  lines: string[];
  postcode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface EParty {
  name: string;
  /** SIREN, scheme 0002 (BT-30 / BT-47) */
  siren: string | null;
  vatNumber: string | null;
  /** BT-32 seller tax registration (scheme FC), for a seller without a VAT number */
  taxId?: string | null;
  address: PostalAddress;
  /** electronic address (BT-34 / BT-49) with its scheme (0225: the French directory's SIREN-based address; EM: email) */
  endpoint: { id: string; scheme: string } | null;
  /** seller's legal form and capital (BT-33) */
  legalInfo?: string | null;
  contact?: { name: string | null; phone: string | null; email: string | null } | null;
}

/** UNTDID 5305 VAT category: S standard, Z zero rated, E exempt, O outside the scope. */
export type VatCategory = 'S' | 'Z' | 'E' | 'O';

export interface ELine {
  id: string;
  name: string;
  /** decimal string, e.g. "1.5" */
  quantity: string;
  /** net unit price (BT-146), cents; never negative (BR-27) */
  unitPrice: Cents;
  /** line allowance (BT-136): quantity x price less the net, cents (0 when none) */
  allowance: Cents;
  allowanceReason: string | null;
  net: Cents;
  category: VatCategory;
  rateBp: number;
}

export interface EVat {
  category: VatCategory;
  rateBp: number;
  base: Cents;
  vat: Cents;
  exemptionReason: string | null;
  exemptionCode: string | null;
}

export interface ENote {
  /** UNTDID 4451 subject code (PMT, PMD, AAB, AAI...) */
  code: string | null;
  text: string;
}

export interface EInvoice {
  number: string;
  /** BT-23 the French billing framework: B goods, S services, M both; 1 an invoice, 4 a final invoice after deposits */
  businessProcess: string;
  /** BT-6 and BT-111: the accounting currency and the VAT in it, for an invoice not in EUR */
  taxCurrency: { code: string; vat: Cents } | null;
  /** UNTDID 1001: 380 commercial invoice, 381 credit note, 386 prepayment (deposit) invoice */
  typeCode: '380' | '381' | '386';
  issueDate: IsoDate;
  currency: string;
  notes: ENote[];
  seller: EParty;
  buyer: EParty;
  /** BT-72 actual delivery date, when the supply date differs from nothing */
  deliveryDate: IsoDate | null;
  /** BG-15 deliver-to address, when the goods or services go elsewhere than the billing address */
  deliveryAddress: PostalAddress | null;
  /** BT-13 */
  poNumber: string | null;
  /** BT-8 VAT point date code (UNTDID 2475): 5, the invoice date, when the seller opted to pay VAT on debits */
  vatPointCode: '5' | null;
  /** BT-12 contract reference: the quote an invoice comes from */
  contractReference: string | null;
  /** BG-3: the invoice a credit note cancels; the deposit invoices a final invoice deducts */
  preceding: { number: string; date: IsoDate | null }[];
  payment: {
    /** UNTDID 4461: 58 SEPA credit transfer, 30 credit transfer, 1 not defined */
    meansCode: '58' | '30' | '1';
    iban: string | null;
    bic: string | null;
    accountName: string;
    /** BT-83 remittance information: the ISO 11649 creditor reference */
    reference: string;
  };
  dueDate: IsoDate | null;
  termsText: string | null;
  lines: ELine[];
  vat: EVat[];
  totals: {
    /** BT-106 sum of line nets */
    lineTotal: Cents;
    /** BT-109 */
    taxBasis: Cents;
    /** BT-110 */
    taxTotal: Cents;
    /** BT-112 */
    grand: Cents;
    /** BT-113 deposits already paid (final invoices) */
    prepaid: Cents;
    /** BT-115 */
    due: Cents;
  };
}

export const EXEMPT_REASON = 'TVA non applicable, art. 293 B du CGI';
/** VATEX code of the French VAT franchise (franchise en base, art. 293 B du CGI). */
export const EXEMPT_CODE = 'VATEX-FR-FRANCHISE';
export const OUTSIDE_REASON = 'Pénalités de retard et indemnité forfaitaire de recouvrement : hors du champ de la TVA';

const COUNTRIES: Record<string, string> = {
  france: 'FR',
  belgique: 'BE',
  belgium: 'BE',
  suisse: 'CH',
  switzerland: 'CH',
  luxembourg: 'LU',
  allemagne: 'DE',
  germany: 'DE',
  deutschland: 'DE',
  espagne: 'ES',
  spain: 'ES',
  italie: 'IT',
  italy: 'IT',
  'royaume-uni': 'GB',
  'united kingdom': 'GB',
  uk: 'GB',
  'pays-bas': 'NL',
  netherlands: 'NL',
  monaco: 'MC',
  'états-unis': 'US',
  'etats-unis': 'US',
  usa: 'US',
  'united states': 'US',
  canada: 'CA',
  portugal: 'PT',
  irlande: 'IE',
  ireland: 'IE',
};

/**
 * A free-text address ("12 rue X; 69001 Lyon; France") as postal fields: the line "NNNNN City"
 * gives the postcode and city, a last line naming a country its code (default: `fallbackCountry`).
 */
export function parseAddress(text: string | null, fallbackCountry = 'FR'): PostalAddress {
  const parts = (text ?? '')
    .split(/\n|;/)
    .map((s) => s.trim())
    .filter(Boolean);
  let country: string | null = null;
  const last = parts[parts.length - 1];
  if (last) {
    const key = last.toLowerCase();
    if (COUNTRIES[key]) country = COUNTRIES[key]!;
    else if (/^[A-Z]{2}$/.test(last)) country = last;
    if (country) parts.pop();
  }
  let postcode: string | null = null;
  let city: string | null = null;
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = /^(?:([A-Z]{1,2})[- ])?(\d{4,5}|[A-Z0-9]{2,4} ?[A-Z0-9]{3})\s+(.+)$/.exec(parts[i]!);
    if (m && /\d/.test(m[2]!)) {
      postcode = m[2]!;
      city = m[3]!.trim();
      if (m[1] && !country && m[1].length === 2) country = m[1];
      parts.splice(i, 1);
      break;
    }
  }
  return { lines: parts, postcode, city, country: country ?? fallbackCountry };
}

/** The country a VAT number belongs to (EL is Greece's VAT prefix, GR its country code). */
function vatCountry(vat: string | null | undefined): string | null {
  if (!vat) return null;
  const p = vat.slice(0, 2).toUpperCase();
  return p === 'EL' ? 'GR' : /^[A-Z]{2}$/.test(p) ? p : null;
}

const TYPE_CODE: Record<string, EInvoice['typeCode']> = { invoice: '380', final: '380', penalty: '380', deposit: '386', credit_note: '381' };

/** The e-invoice of an issued document (any kind but a quote). */
export function invoiceModel(d: DocumentPdfData): EInvoice {
  if (d.kind === 'quote' || !d.number || !d.issueDate) throw new Error('an e-invoice is made of an issued invoice, not of a quote or a draft');
  const penalty = d.kind === 'penalty';
  const fr = d.lang === 'fr';

  const categoryOf = (rateBp: number): VatCategory => (rateBp > 0 ? 'S' : penalty ? 'O' : d.vatExempt ? 'E' : 'Z');
  const outside = d.lines.some((l) => categoryOf(l.vatBp) === 'O');

  const sellerAddress = parseAddress(d.seller.address, vatCountry(d.seller.vatNumber) ?? 'FR');
  const seller: EParty = {
    name: d.seller.name,
    siren: d.seller.siren ?? null,
    // BR-O-02: an invoice with lines outside the scope of VAT names no VAT identifier.
    vatNumber: outside ? null : (d.seller.vatNumber ?? null),
    // BR-E-02: an exempt invoice names a seller tax identifier; a micro-entrepreneur without a VAT number gives its SIREN.
    taxId: !d.seller.vatNumber && d.lines.some((l) => categoryOf(l.vatBp) === 'E') ? (d.seller.siren ?? null) : null,
    address: sellerAddress,
    endpoint: d.seller.siren ? { id: d.seller.siren, scheme: '0225' } : d.seller.email ? { id: d.seller.email, scheme: 'EM' } : null,
    legalInfo: d.seller.legalForm,
    contact: d.seller.email || d.seller.phone ? { name: null, phone: d.seller.phone, email: d.seller.email } : null,
  };
  const buyerAddress = parseAddress(d.buyer.address, vatCountry(d.buyer.vatNumber) ?? sellerAddress.country);
  const buyer: EParty = {
    name: d.buyer.name,
    siren: d.buyer.siren ?? null,
    vatNumber: outside ? null : (d.buyer.vatNumber ?? null),
    address: buyerAddress,
    endpoint: d.buyer.siren ? { id: d.buyer.siren, scheme: '0225' } : d.buyer.email ? { id: d.buyer.email, scheme: 'EM' } : null,
    contact: null,
  };

  const lines: ELine[] = d.lines.map((l, i) => {
    // BR-27: the price is never negative; a negative line (a rebate) is a negative quantity.
    const sign = l.unitPrice < 0 ? -1 : 1;
    const qtyMilli = l.quantityMilli * sign;
    const price = Math.abs(l.unitPrice);
    const gross = Math.round((qtyMilli * price) / 1000);
    const allowance = gross - l.net;
    const reason = l.discountBp > 0 ? `${fr ? 'Remise' : 'Discount'} ${(l.discountBp / 100).toString()} %` : allowance !== 0 ? (fr ? 'Remise' : 'Discount') : null;
    return {
      id: String(i + 1),
      name: l.description,
      quantity: (qtyMilli / 1000).toFixed(3).replace(/\.?0+$/, ''),
      unitPrice: price,
      allowance: allowance !== 0 && reason ? allowance : 0,
      allowanceReason: allowance !== 0 ? reason : null,
      net: allowance !== 0 && reason ? l.net : gross,
      category: categoryOf(l.vatBp),
      rateBp: l.vatBp,
    };
  });

  const vat: EVat[] = d.totals.rates.map((r) => {
    const category = categoryOf(r.vatBp);
    return {
      category,
      rateBp: r.vatBp,
      base: r.base,
      vat: r.vat,
      exemptionReason: category === 'E' ? EXEMPT_REASON : category === 'O' ? OUTSIDE_REASON : null,
      exemptionCode: category === 'E' ? EXEMPT_CODE : category === 'O' ? 'VATEX-EU-O' : null,
    };
  });

  const reference = invoiceReference(d.number);
  const preceding: EInvoice['preceding'] = [];
  if (d.cancels) preceding.push({ number: d.cancels.number, date: d.cancels.date });
  for (const x of d.deductions) if (!preceding.some((p) => p.number === x.depositNumber)) preceding.push({ number: x.depositNumber, date: x.depositDate });

  const prepaid = d.deductions.length > 0 ? d.deductedGross : 0;
  const due = d.kind === 'credit_note' ? d.totals.gross : d.amountDue;

  return {
    number: d.number,
    businessProcess: `${d.operation === 'goods' ? 'B' : d.operation === 'both' ? 'M' : 'S'}${d.deductions.length > 0 ? '4' : '1'}`,
    taxCurrency: d.currency !== 'EUR' && d.vatInEur !== undefined && d.vatInEur !== null ? { code: 'EUR', vat: d.vatInEur } : null,
    typeCode: TYPE_CODE[d.kind]!,
    issueDate: d.issueDate,
    currency: d.currency,
    notes: frenchNotes(d),
    seller,
    buyer,
    deliveryDate: d.serviceDate ?? null,
    deliveryAddress: d.deliveryAddress ? parseAddress(d.deliveryAddress, buyerAddress.country) : null,
    poNumber: d.poNumber,
    vatPointCode: d.vatOnDebits && !d.vatExempt ? '5' : null,
    contractReference: d.quote?.number ?? null,
    preceding,
    payment: {
      meansCode: d.seller.iban ? (isSepa(d.seller.iban) ? '58' : '30') : '1',
      iban: d.seller.iban,
      bic: d.seller.bic,
      accountName: d.seller.name,
      reference,
    },
    dueDate: d.kind === 'credit_note' ? null : d.dueDate,
    termsText:
      d.kind === 'credit_note'
        ? fr
          ? `Avoir à imputer sur la facture ${d.cancels?.number ?? ''}`.trim()
          : `Credit to be set against invoice ${d.cancels?.number ?? ''}`.trim()
        : d.termsText,
    lines,
    vat,
    totals: { lineTotal: d.totals.net, taxBasis: d.totals.net, taxTotal: d.totals.vat, grand: d.totals.gross, prepaid, due },
  };
}

/** IBANs of the SEPA area (the EPC's list of countries), for payment means 58. */
const SEPA = new Set(
  'AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM VA GF GP MQ YT RE PM BL MF'.split(' '),
);
function isSepa(iban: string): boolean {
  return SEPA.has(iban.slice(0, 2).toUpperCase());
}

/**
 * The notes the French rules require (BR-FR-05): PMT the 40 EUR recovery indemnity, PMD the
 * late-payment penalties, AAB the early-payment discount or its absence; AAI the free notes; the
 * VAT exemption sentence is carried by the VAT breakdown (BT-120), and also as a note for readers.
 */
export function frenchNotes(d: DocumentPdfData): ENote[] {
  const fr = d.lang === 'fr';
  const b2b = d.buyer.kind === 'b2b';
  const notes: ENote[] = [];
  // BAR: the treatment of the invoice under the reform (a French business, a foreign one, a consumer).
  const foreign = d.buyer.vatNumber ? !/^FR/i.test(d.buyer.vatNumber) : !d.buyer.siren;
  notes.push({ code: 'BAR', text: !b2b ? 'B2C' : d.buyer.siren && !foreign ? 'B2B' : 'B2BINT' });
  notes.push({
    code: 'PMT',
    text: b2b
      ? fr
        ? 'Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du Code de commerce).'
        : 'Fixed indemnity for recovery costs in case of late payment: EUR 40 (French Commercial Code, art. L441-10 and D441-5).'
      : fr
        ? "Pas d'indemnité forfaitaire pour frais de recouvrement (client non professionnel)."
        : 'No fixed recovery indemnity (consumer client).',
  });
  const rate = d.penalty.mode === 'contract' && d.penalty.rateBp !== null ? (d.penalty.rateBp / 100).toString() : null;
  notes.push({
    code: 'PMD',
    text: b2b
      ? fr
        ? rate
          ? `Pénalités de retard : ${rate.replace('.', ',')} % par an, exigibles dès le lendemain de la date d'échéance (art. L441-10 du Code de commerce).`
          : "Pénalités de retard : taux de refinancement de la BCE majoré de 10 points, exigibles dès le lendemain de la date d'échéance (art. L441-10 du Code de commerce)."
        : rate
          ? `Late-payment penalties: ${rate} % a year, due from the day after the due date (French Commercial Code, art. L441-10).`
          : 'Late-payment penalties: the ECB refinancing rate plus 10 points, due from the day after the due date (French Commercial Code, art. L441-10).'
      : fr
        ? 'En cas de retard de paiement, des intérêts au taux légal pourront être réclamés après mise en demeure.'
        : 'In case of late payment, interest at the statutory rate may be claimed after formal notice.',
  });
  notes.push({
    code: 'AAB',
    text: d.earlyDiscount ? `${fr ? 'Escompte pour paiement anticipé : ' : 'Early-payment discount: '}${d.earlyDiscount}` : fr ? "Pas d'escompte pour paiement anticipé." : 'No discount for early payment.',
  });
  if (d.vatExempt) notes.push({ code: 'AAI', text: EXEMPT_REASON });
  if (d.operation) {
    const op = { goods: fr ? 'livraison de biens' : 'supply of goods', services: fr ? 'prestation de services' : 'supply of services', both: fr ? 'livraison de biens et prestation de services' : 'goods and services' }[d.operation];
    notes.push({ code: 'AAI', text: `${fr ? "Nature de l'opération : " : 'Nature of the supply: '}${op}` });
  }
  if (d.notes) notes.push({ code: 'AAI', text: d.notes });
  return notes;
}

/** Cents as a decimal string with two places ("1234.50"), the form both syntaxes use. */
export function amount(c: Cents): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Basis points as a percentage ("20", "5.5", "2.1"). */
export function percent(bp: number): string {
  return (bp / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** XML text and attribute escaping. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
