/**
 * The OASIS UBL 2.1 Invoice (or CreditNote, type 381) of an e-invoice model, in the EN 16931 core
 * (CustomizationID urn:cen.eu:en16931:2017): what `invoice xml --syntax ubl` writes for platforms
 * that take UBL. UBL has no subject code on a note: the French notes carry it as a "#PMT#" prefix.
 * Elements follow the UBL 2.1 schema's order. Pure.
 */
import { amount, esc, percent, type EInvoice, type EParty, type PostalAddress, type VatCategory } from './model.js';

const NS_CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const NS_CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

function el(name: string, content: string | null | undefined, attrs = ''): string {
  if (content === null || content === undefined || content === '') return '';
  return `<${name}${attrs}>${content}</${name}>`;
}
const text = (name: string, v: string | null | undefined, attrs = '') => (v ? el(name, esc(v), attrs) : '');

function address(tag: string, a: PostalAddress): string {
  const [one, two, ...rest] = a.lines;
  return el(
    tag,
    text('cbc:StreetName', one) +
      text('cbc:AdditionalStreetName', two) +
      text('cbc:CityName', a.city) +
      text('cbc:PostalZone', a.postcode) +
      (rest.length ? el('cac:AddressLine', text('cbc:Line', rest.join(', '))) : '') +
      el('cac:Country', text('cbc:IdentificationCode', a.country)),
  );
}

function party(tag: string, p: EParty): string {
  const contact = p.contact && (p.contact.phone || p.contact.email) ? el('cac:Contact', text('cbc:Name', p.contact.name) + text('cbc:Telephone', p.contact.phone) + text('cbc:ElectronicMail', p.contact.email)) : '';
  return el(
    tag,
    el(
      'cac:Party',
      (p.endpoint ? text('cbc:EndpointID', p.endpoint.id, ` schemeID="${esc(p.endpoint.scheme)}"`) : '') +
        el('cac:PartyName', text('cbc:Name', p.name)) +
        address('cac:PostalAddress', p.address) +
        (p.vatNumber ? el('cac:PartyTaxScheme', text('cbc:CompanyID', p.vatNumber) + el('cac:TaxScheme', el('cbc:ID', 'VAT'))) : '') +
        (p.taxId ? el('cac:PartyTaxScheme', text('cbc:CompanyID', p.taxId) + el('cac:TaxScheme', el('cbc:ID', 'FC'))) : '') +
        el(
          'cac:PartyLegalEntity',
          text('cbc:RegistrationName', p.name) + (p.siren ? text('cbc:CompanyID', p.siren, ' schemeID="0002"') : '') + text('cbc:CompanyLegalForm', p.legalInfo ?? null),
        ) +
        contact,
    ),
  );
}

function category(tag: string, c: VatCategory, rateBp: number, exemption?: { code: string | null; reason: string | null }): string {
  return el(
    tag,
    el('cbc:ID', c) +
      (c === 'O' ? '' : el('cbc:Percent', percent(rateBp))) +
      text('cbc:TaxExemptionReasonCode', exemption?.code) +
      text('cbc:TaxExemptionReason', exemption?.reason) +
      el('cac:TaxScheme', el('cbc:ID', 'VAT')),
  );
}

export function toUbl(inv: EInvoice): string {
  const credit = inv.typeCode === '381';
  const root = credit ? 'CreditNote' : 'Invoice';
  const cur = ` currencyID="${esc(inv.currency)}"`;
  const p = inv.payment;

  const header =
    el('cbc:CustomizationID', 'urn:cen.eu:en16931:2017') +
    text('cbc:ProfileID', inv.businessProcess) +
    text('cbc:ID', inv.number) +
    el('cbc:IssueDate', inv.issueDate) +
    (!credit && inv.dueDate ? el('cbc:DueDate', inv.dueDate) : '') +
    el(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', inv.typeCode) +
    inv.notes.map((n) => text('cbc:Note', n.code ? `#${n.code}#${n.text}` : n.text)).join('') +
    el('cbc:DocumentCurrencyCode', esc(inv.currency)) +
    text('cbc:TaxCurrencyCode', inv.taxCurrency?.code) +
    // BT-8 in UBL: UNTDID 2005, where 3 (invoice date) stands for CII's 5
    (inv.vatPointCode ? el('cac:InvoicePeriod', el('cbc:DescriptionCode', '3')) : '') +
    (inv.poNumber ? el('cac:OrderReference', text('cbc:ID', inv.poNumber)) : '') +
    inv.preceding.map((r) => el('cac:BillingReference', el('cac:InvoiceDocumentReference', text('cbc:ID', r.number) + (r.date ? el('cbc:IssueDate', r.date) : '')))).join('') +
    (inv.contractReference ? el('cac:ContractDocumentReference', text('cbc:ID', inv.contractReference)) : '');

  const delivery =
    inv.deliveryDate || inv.deliveryAddress
      ? el(
          'cac:Delivery',
          (inv.deliveryDate ? el('cbc:ActualDeliveryDate', inv.deliveryDate) : '') +
            (inv.deliveryAddress ? el('cac:DeliveryLocation', address('cac:Address', inv.deliveryAddress)) + el('cac:DeliveryParty', el('cac:PartyName', text('cbc:Name', inv.buyer.name))) : ''),
        )
      : '';
  const means = el(
    'cac:PaymentMeans',
    el('cbc:PaymentMeansCode', p.meansCode) +
      (credit && inv.dueDate ? el('cbc:PaymentDueDate', inv.dueDate) : '') +
      text('cbc:PaymentID', p.reference) +
      (p.iban
        ? el('cac:PayeeFinancialAccount', text('cbc:ID', p.iban) + text('cbc:Name', p.accountName) + (p.bic ? el('cac:FinancialInstitutionBranch', text('cbc:ID', p.bic)) : ''))
        : ''),
  );
  const terms = inv.termsText ? el('cac:PaymentTerms', text('cbc:Note', inv.termsText)) : '';
  const taxTotal =
    el(
      'cac:TaxTotal',
      el('cbc:TaxAmount', amount(inv.totals.taxTotal), cur) +
        inv.vat
          .map((v) =>
            el(
              'cac:TaxSubtotal',
              el('cbc:TaxableAmount', amount(v.base), cur) + el('cbc:TaxAmount', amount(v.vat), cur) + category('cac:TaxCategory', v.category, v.rateBp, { code: v.exemptionCode, reason: v.exemptionReason }),
            ),
          )
          .join(''),
    ) + (inv.taxCurrency ? el('cac:TaxTotal', el('cbc:TaxAmount', amount(inv.taxCurrency.vat), ` currencyID="${esc(inv.taxCurrency.code)}"`)) : '');
  const t = inv.totals;
  const totals = el(
    'cac:LegalMonetaryTotal',
    el('cbc:LineExtensionAmount', amount(t.lineTotal), cur) +
      el('cbc:TaxExclusiveAmount', amount(t.taxBasis), cur) +
      el('cbc:TaxInclusiveAmount', amount(t.grand), cur) +
      (t.prepaid !== 0 ? el('cbc:PrepaidAmount', amount(t.prepaid), cur) : '') +
      el('cbc:PayableAmount', amount(t.due), cur),
  );
  const lineTag = credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const qtyTag = credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const lines = inv.lines
    .map((l) =>
      el(
        lineTag,
        text('cbc:ID', l.id) +
          el(qtyTag, l.quantity, ' unitCode="C62"') +
          el('cbc:LineExtensionAmount', amount(l.net), cur) +
          (l.allowance !== 0
            ? el('cac:AllowanceCharge', el('cbc:ChargeIndicator', 'false') + text('cbc:AllowanceChargeReason', l.allowanceReason) + el('cbc:Amount', amount(l.allowance), cur))
            : '') +
          el('cac:Item', text('cbc:Name', l.name) + category('cac:ClassifiedTaxCategory', l.category, l.rateBp)) +
          el('cac:Price', el('cbc:PriceAmount', amount(l.unitPrice), cur)),
      ),
    )
    .join('');

  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2" xmlns:cac="${NS_CAC}" xmlns:cbc="${NS_CBC}">` +
    header +
    party('cac:AccountingSupplierParty', inv.seller) +
    party('cac:AccountingCustomerParty', inv.buyer) +
    delivery +
    means +
    terms +
    taxTotal +
    totals +
    lines +
    `</${root}>\n`
  );
}
