/**
 * The UN/CEFACT Cross Industry Invoice (D16B) of an e-invoice model, in the Factur-X 1.09 / ZUGFeRD
 * 2.3 EN 16931 profile: the `factur-x.xml` embedded in the PDF and what `invoice xml --syntax cii`
 * writes. Elements follow the order of the Factur-X EN 16931 XSD. Pure.
 */
import { amount, esc, percent, type EInvoice, type EParty, type PostalAddress } from './model.js';

export const CII_PROFILE = 'urn:cen.eu:en16931:2017';

const date102 = (d: string) => d.replace(/-/g, '');

function el(name: string, content: string | null | undefined, attrs = ''): string {
  if (content === null || content === undefined || content === '') return '';
  return `<${name}${attrs}>${content}</${name}>`;
}
const text = (name: string, v: string | null | undefined, attrs = '') => (v ? el(name, esc(v), attrs) : '');

function address(a: PostalAddress): string {
  const [one, two, ...rest] = a.lines;
  return el(
    'ram:PostalTradeAddress',
    text('ram:PostcodeCode', a.postcode) +
      text('ram:LineOne', one) +
      text('ram:LineTwo', two) +
      text('ram:LineThree', rest.length ? rest.join(', ') : null) +
      text('ram:CityName', a.city) +
      text('ram:CountryID', a.country),
  );
}

function party(tag: string, p: EParty): string {
  const contact = p.contact && (p.contact.phone || p.contact.email)
    ? el(
        'ram:DefinedTradeContact',
        text('ram:PersonName', p.contact.name) +
          (p.contact.phone ? el('ram:TelephoneUniversalCommunication', text('ram:CompleteNumber', p.contact.phone)) : '') +
          (p.contact.email ? el('ram:EmailURIUniversalCommunication', text('ram:URIID', p.contact.email)) : ''),
      )
    : '';
  return el(
    tag,
    text('ram:Name', p.name) +
      text('ram:Description', p.legalInfo ?? null) +
      (p.siren ? el('ram:SpecifiedLegalOrganization', text('ram:ID', p.siren, ' schemeID="0002"')) : '') +
      contact +
      address(p.address) +
      (p.endpoint ? el('ram:URIUniversalCommunication', text('ram:URIID', p.endpoint.id, ` schemeID="${esc(p.endpoint.scheme)}"`)) : '') +
      (p.vatNumber ? el('ram:SpecifiedTaxRegistration', text('ram:ID', p.vatNumber, ' schemeID="VA"')) : '') +
      (p.taxId ? el('ram:SpecifiedTaxRegistration', text('ram:ID', p.taxId, ' schemeID="FC"')) : ''),
  );
}

const dateTime = (tag: string, d: string) => el(tag, `<udt:DateTimeString format="102">${date102(d)}</udt:DateTimeString>`);

export function toCii(inv: EInvoice): string {
  const cur = ` currencyID="${esc(inv.currency)}"`;
  const lines = inv.lines
    .map((l) =>
      el(
        'ram:IncludedSupplyChainTradeLineItem',
        el('ram:AssociatedDocumentLineDocument', text('ram:LineID', l.id)) +
          el('ram:SpecifiedTradeProduct', text('ram:Name', l.name)) +
          el('ram:SpecifiedLineTradeAgreement', el('ram:NetPriceProductTradePrice', el('ram:ChargeAmount', amount(l.unitPrice)))) +
          el('ram:SpecifiedLineTradeDelivery', el('ram:BilledQuantity', l.quantity, ' unitCode="C62"')) +
          el(
            'ram:SpecifiedLineTradeSettlement',
            el('ram:ApplicableTradeTax', el('ram:TypeCode', 'VAT') + el('ram:CategoryCode', l.category) + (l.category === 'O' ? '' : el('ram:RateApplicablePercent', percent(l.rateBp)))) +
              (l.allowance !== 0
                ? el(
                    'ram:SpecifiedTradeAllowanceCharge',
                    el('ram:ChargeIndicator', '<udt:Indicator>false</udt:Indicator>') + el('ram:ActualAmount', amount(l.allowance)) + text('ram:Reason', l.allowanceReason),
                  )
                : '') +
              el('ram:SpecifiedTradeSettlementLineMonetarySummation', el('ram:LineTotalAmount', amount(l.net))),
          ),
      ),
    )
    .join('');

  const agreement = el(
    'ram:ApplicableHeaderTradeAgreement',
    party('ram:SellerTradeParty', inv.seller) +
      party('ram:BuyerTradeParty', inv.buyer) +
      (inv.poNumber ? el('ram:BuyerOrderReferencedDocument', text('ram:IssuerAssignedID', inv.poNumber)) : '') +
      (inv.contractReference ? el('ram:ContractReferencedDocument', text('ram:IssuerAssignedID', inv.contractReference)) : ''),
  );

  const delivery = el(
    'ram:ApplicableHeaderTradeDelivery',
    (inv.deliveryAddress ? el('ram:ShipToTradeParty', text('ram:Name', inv.buyer.name) + address(inv.deliveryAddress)) : '') +
      (inv.deliveryDate ? el('ram:ActualDeliverySupplyChainEvent', dateTime('ram:OccurrenceDateTime', inv.deliveryDate)) : ''),
  ) || '<ram:ApplicableHeaderTradeDelivery/>';

  const p = inv.payment;
  const means = el(
    'ram:SpecifiedTradeSettlementPaymentMeans',
    el('ram:TypeCode', p.meansCode) +
      (p.iban ? el('ram:PayeePartyCreditorFinancialAccount', text('ram:IBANID', p.iban) + text('ram:AccountName', p.accountName)) : '') +
      (p.iban && p.bic ? el('ram:PayeeSpecifiedCreditorFinancialInstitution', text('ram:BICID', p.bic)) : ''),
  );
  const taxes = inv.vat
    .map((v) =>
      el(
        'ram:ApplicableTradeTax',
        el('ram:CalculatedAmount', amount(v.vat)) +
          el('ram:TypeCode', 'VAT') +
          text('ram:ExemptionReason', v.exemptionReason) +
          el('ram:BasisAmount', amount(v.base)) +
          el('ram:CategoryCode', v.category) +
          text('ram:ExemptionReasonCode', v.exemptionCode) +
          (inv.vatPointCode ? el('ram:DueDateTypeCode', inv.vatPointCode) : '') +
          (v.category === 'O' ? '' : el('ram:RateApplicablePercent', percent(v.rateBp))),
      ),
    )
    .join('');
  const terms =
    inv.dueDate || inv.termsText ? el('ram:SpecifiedTradePaymentTerms', text('ram:Description', inv.termsText) + (inv.dueDate ? dateTime('ram:DueDateDateTime', inv.dueDate) : '')) : '';
  const t = inv.totals;
  const sums = el(
    'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
    el('ram:LineTotalAmount', amount(t.lineTotal)) +
      el('ram:TaxBasisTotalAmount', amount(t.taxBasis)) +
      el('ram:TaxTotalAmount', amount(t.taxTotal), cur) +
      (inv.taxCurrency ? el('ram:TaxTotalAmount', amount(inv.taxCurrency.vat), ` currencyID="${esc(inv.taxCurrency.code)}"`) : '') +
      el('ram:GrandTotalAmount', amount(t.grand)) +
      (t.prepaid !== 0 ? el('ram:TotalPrepaidAmount', amount(t.prepaid)) : '') +
      el('ram:DuePayableAmount', amount(t.due)),
  );
  const preceding = inv.preceding
    .map((r) =>
      el(
        'ram:InvoiceReferencedDocument',
        text('ram:IssuerAssignedID', r.number) + (r.date ? el('ram:FormattedIssueDateTime', `<qdt:DateTimeString format="102">${date102(r.date)}</qdt:DateTimeString>`) : ''),
      ),
    )
    .join('');
  const settlement = el(
    'ram:ApplicableHeaderTradeSettlement',
    text('ram:PaymentReference', p.reference) + text('ram:TaxCurrencyCode', inv.taxCurrency?.code) + el('ram:InvoiceCurrencyCode', esc(inv.currency)) + means + taxes + terms + sums + preceding,
  );

  const notes = inv.notes.map((n) => el('ram:IncludedNote', text('ram:Content', n.text) + text('ram:SubjectCode', n.code))).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"' +
    ' xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"' +
    ' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"' +
    ' xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">' +
    el(
      'rsm:ExchangedDocumentContext',
      el('ram:BusinessProcessSpecifiedDocumentContextParameter', el('ram:ID', inv.businessProcess)) + el('ram:GuidelineSpecifiedDocumentContextParameter', el('ram:ID', CII_PROFILE)),
    ) +
    el('rsm:ExchangedDocument', text('ram:ID', inv.number) + el('ram:TypeCode', inv.typeCode) + dateTime('ram:IssueDateTime', inv.issueDate) + notes) +
    el('rsm:SupplyChainTradeTransaction', lines + agreement + delivery + settlement) +
    '</rsm:CrossIndustryInvoice>\n'
  );
}
