/**
 * The PDF of a quote or an invoice (standard, deposit, final, credit note), A4, carrying every
 * mention french-rules.md section 3 requires: seller identity, legal form, SIREN, RCS, VAT number;
 * buyer name and billing address; PO number; each line with quantity, unit price and discount;
 * VAT per rate; totals excl. and incl. VAT; deposits deducted and net due on a final invoice; due
 * date; the early-payment discount sentence; the late-penalty rate; the 40 EUR indemnity for
 * professional clients; "TVA non applicable, art. 293 B du CGI" when VAT-exempt; IBAN/BIC and the
 * payment link. In French, or in English for clients whose language is English.
 * The caller gathers the data (render/ never reads the ledger).
 */
import { finalAmounts, type DocumentKind } from '../core/documents.js';
import type { IsoDate } from '../core/dates.js';
import { formatMoney, type Cents } from '../core/money.js';
import { formatBp, formatQuantity } from '../core/numbers.js';
import { epcPayload } from '../core/epc-qr.js';
import { invoiceReference, printReference } from '../core/payment-reference.js';
import type { ComputedLine, Totals } from '../core/vat.js';
import { addressBlock, createPdf, drawLogo, ensureSpace, face, FONT, FONT_BOLD, footer, MARGIN, pdfText, table, write, writePdf, type Column, type Pdf, type PdfLogo } from './pdf.js';

export interface Party {
  name: string;
  address: string | null;
  siren?: string | null;
  vatNumber?: string | null;
}

export interface DocumentPdfData {
  lang: 'fr' | 'en';
  kind: DocumentKind;
  /** null for a draft (the PDF then says so) */
  number: string | null;
  reference: string;
  currency: string;
  issueDate: IsoDate | null;
  serviceDate: IsoDate | null;
  dueDate: IsoDate | null;
  /** e.g. "30 jours net" */
  termsText: string | null;
  seller: Party & {
    legalForm: string | null;
    rcs: string | null;
    email: string | null;
    phone: string | null;
    iban: string | null;
    bic: string | null;
  };
  buyer: Party & { contactName: string | null; kind: 'b2b' | 'b2c'; email?: string | null };
  /** invoices in another currency than EUR: the VAT total in euros (French rule BR-FR-CO-12) */
  vatInEur?: Cents | null;
  /** ...at this rate: units of the invoice's currency for 1 EUR ("1.0845") */
  eurRate?: string | null;
  /** where the goods or services go, when not the billing address (the e-invoice's deliver-to) */
  deliveryAddress?: string | null;
  poNumber: string | null;
  /** nature of the operation, when stated */
  operation: 'goods' | 'services' | 'both' | null;
  lines: ComputedLine[];
  totals: Totals;
  /** final invoices: each deposit invoice deducted, per rate */
  deductions: { depositNumber: string; depositDate: IsoDate; vatBp: number; base: Cents; vat: Cents }[];
  deductedGross: Cents;
  amountDue: Cents;
  vatExempt: boolean;
  /** the ledger opted to pay VAT on debits (option pour le paiement de la taxe d'après les débits) */
  vatOnDebits?: boolean;
  earlyDiscount: string | null;
  /** ecb+10: `currentBp` is that rate for the half-year of the document's date, when the rate table knows it */
  penalty: { mode: 'ecb+10' | 'contract'; rateBp: number | null; currentBp?: number | null; half?: string | null };
  paymentLink: string | null;
  /** deposit and final invoices: the quote they come from */
  quote: { number: string; date: IsoDate | null } | null;
  /** credit notes: the invoice cancelled */
  cancels: { number: string; date: IsoDate | null } | null;
  /** quotes */
  validUntil: IsoDate | null;
  depositBp: number | null;
  accepted: { on: IsoDate; by: string | null } | null;
  notes: string | null;
  /** the business's logo, top left: the one the document was issued with (a draft: the current one) */
  logo?: PdfLogo | null;
}

/** The box the logo is fitted in, top left (points): about 56 x 20 mm. */
export const LOGO_BOX = { width: 160, height: 56 } as const;

const T = {
  fr: {
    quote: 'DEVIS',
    invoice: 'FACTURE',
    deposit: "FACTURE D'ACOMPTE",
    final: 'FACTURE DE SOLDE',
    credit_note: 'AVOIR',
    penalty: 'FACTURE DE PÉNALITÉS DE RETARD',
    draft: 'BROUILLON - sans numéro, non valable comme facture',
    number: 'N°',
    date: 'Date',
    serviceDate: 'Date de la prestation / vente',
    dueDate: "Date d'échéance",
    validUntil: "Valable jusqu'au",
    seller: 'Émetteur',
    buyer: 'Client',
    delivery: 'Adresse de livraison',
    po: 'Bon de commande',
    operation: "Nature de l'opération",
    operations: { goods: 'livraison de biens', services: 'prestation de services', both: 'livraison de biens et prestation de services' },
    quoteRef: 'Devis',
    cancels: 'Avoir sur la facture',
    of: 'du',
    siren: 'SIREN',
    vat: 'N° TVA intracommunautaire',
    desc: 'Désignation',
    qty: 'Qté',
    unit: 'PU HT',
    unitExempt: 'Prix unitaire',
    lineExempt: 'Montant',
    depositColsExempt: ["Facture d'acompte", 'Date', 'Montant'],
    depositsTotalExempt: 'Total des acomptes',
    creditTotalExempt: "Montant de l'avoir",
    discount: 'Remise',
    rate: 'TVA',
    lineNet: 'Total HT',
    rateTable: ['Taux de TVA', 'Base HT', 'Montant TVA', 'Total TTC'],
    totalNet: 'Total HT',
    totalVat: 'Total TVA',
    totalGross: 'Total TTC',
    depositsHeading: 'Acomptes déduits',
    depositCols: ["Facture d'acompte", 'Date', 'Taux de TVA', 'Base HT', 'TVA', 'Montant TTC'],
    depositsTotal: 'Total des acomptes TTC',
    operationVat: "Total TVA de l'opération",
    dueHeading: 'TVA restant due après déduction des acomptes',
    dueCols: ['Taux de TVA', 'Base HT restant due', 'TVA restant due', 'Total TTC restant dû'],
    dueVat: 'dont TVA restant due',
    netDue: 'Net à payer',
    creditTotal: "Montant de l'avoir TTC",
    terms: 'Conditions de paiement',
    payment: 'Paiement',
    iban: 'IBAN',
    bic: 'BIC',
    link: 'Payer en ligne',
    reference: 'Référence de paiement (à indiquer sur le virement)',
    qr: 'Virement SEPA : scannez avec votre application bancaire (IBAN, montant et référence préremplis).',
    noDiscount: "Pas d'escompte pour paiement anticipé.",
    discountIntro: 'Escompte pour paiement anticipé : ',
    penaltyEcb: (figure: string | null) =>
      `Pénalités de retard : taux d'intérêt appliqué par la Banque centrale européenne à son opération de refinancement la plus récente, majoré de 10 points (taux BCE + 10 points${figure ? `, soit ${figure}` : ''}), exigibles dès le lendemain de la date d'échéance sans qu'un rappel soit nécessaire (art. L441-10 du Code de commerce).`,
    half: (h: string) => `${h.endsWith('H1') ? '1er' : '2e'} semestre ${h.slice(0, 4)}`,
    penaltyContract: (rate: string) =>
      `Pénalités de retard : ${rate} % par an, exigibles dès le lendemain de la date d'échéance sans qu'un rappel soit nécessaire (art. L441-10 du Code de commerce).`,
    penaltyB2c: "En cas de retard de paiement, des intérêts au taux légal pourront être réclamés après mise en demeure.",
    indemnity:
      'Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du Code de commerce).',
    exempt: 'TVA non applicable, art. 293 B du CGI',
    onDebits: "Option pour le paiement de la taxe d'après les débits",
    depositAsked: (p: string) => `Acompte demandé à la commande : ${p} %`,
    signature: 'Bon pour accord - date et signature du client :',
    acceptedBy: (on: string, by: string | null) => `Bon pour accord signé le ${on}${by ? ` par ${by}` : ''}.`,
    notes: 'Notes',
    onReceipt: 'à réception',
  },
  en: {
    quote: 'QUOTE',
    invoice: 'INVOICE',
    deposit: 'DEPOSIT INVOICE',
    final: 'FINAL INVOICE',
    credit_note: 'CREDIT NOTE',
    penalty: 'LATE-PAYMENT PENALTY INVOICE',
    draft: 'DRAFT - no number yet, not valid as an invoice',
    number: 'No.',
    date: 'Date',
    serviceDate: 'Date of supply',
    dueDate: 'Due date',
    validUntil: 'Valid until',
    seller: 'From',
    buyer: 'Bill to',
    delivery: 'Deliver to',
    po: 'Purchase order',
    operation: 'Nature of the supply',
    operations: { goods: 'goods', services: 'services', both: 'goods and services' },
    quoteRef: 'Quote',
    cancels: 'Credit note for invoice',
    of: 'of',
    siren: 'SIREN',
    vat: 'VAT number',
    desc: 'Description',
    qty: 'Qty',
    unit: 'Unit price excl. VAT',
    unitExempt: 'Unit price',
    lineExempt: 'Amount',
    depositColsExempt: ['Deposit invoice', 'Date', 'Amount'],
    depositsTotalExempt: 'Total deposits',
    creditTotalExempt: 'Credit note total',
    discount: 'Discount',
    rate: 'VAT',
    lineNet: 'Amount excl. VAT',
    rateTable: ['VAT rate', 'Net amount', 'VAT', 'Total incl. VAT'],
    totalNet: 'Total excl. VAT',
    totalVat: 'Total VAT',
    totalGross: 'Total incl. VAT',
    depositsHeading: 'Deposits deducted',
    depositCols: ['Deposit invoice', 'Date', 'VAT rate', 'Net amount', 'VAT', 'Amount incl. VAT'],
    depositsTotal: 'Total deposits incl. VAT',
    operationVat: 'Total VAT of the whole sale',
    dueHeading: 'VAT still due after the deposits',
    dueCols: ['VAT rate', 'Net amount still due', 'VAT still due', 'Total still due incl. VAT'],
    dueVat: 'of which VAT still due',
    netDue: 'Balance due',
    creditTotal: 'Credit note total incl. VAT',
    terms: 'Payment terms',
    payment: 'Payment',
    iban: 'IBAN',
    bic: 'BIC',
    link: 'Pay online',
    reference: 'Payment reference (quote it with your transfer)',
    qr: 'SEPA transfer: scan with your banking app (IBAN, amount and reference filled in).',
    noDiscount: 'No discount for early payment.',
    discountIntro: 'Early-payment discount: ',
    penaltyEcb: (figure: string | null) =>
      `Late-payment penalties: the European Central Bank main refinancing rate plus 10 percentage points (ECB rate + 10 points${figure ? `, that is ${figure}` : ''}), due from the day after the due date without any reminder (French Commercial Code, art. L441-10).`,
    half: (h: string) => `${h.endsWith('H1') ? 'first' : 'second'} half of ${h.slice(0, 4)}`,
    penaltyContract: (rate: string) =>
      `Late-payment penalties: ${rate} % a year, due from the day after the due date without any reminder (French Commercial Code, art. L441-10).`,
    penaltyB2c: 'In case of late payment, interest at the statutory rate may be claimed after formal notice.',
    indemnity: 'Fixed indemnity for recovery costs in case of late payment: €40 (French Commercial Code, art. L441-10 and D441-5).',
    exempt: 'TVA non applicable, art. 293 B du CGI (VAT not applicable, French General Tax Code art. 293 B)',
    onDebits: "Option pour le paiement de la taxe d'après les débits (the seller pays VAT on invoicing, not on payment)",
    depositAsked: (p: string) => `Deposit requested on acceptance: ${p} %`,
    signature: 'Accepted ("bon pour accord") - date and signature:',
    acceptedBy: (on: string, by: string | null) => `Accepted on ${on}${by ? ` by ${by}` : ''}.`,
    notes: 'Notes',
    onReceipt: 'on receipt',
  },
} as const;

/** 2026-03-05 -> 05/03/2026 in French, 2026-03-05 in English. */
export function formatDate(d: IsoDate, lang: 'fr' | 'en'): string {
  if (lang === 'en') return d;
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

function percent(bp: number, lang: 'fr' | 'en'): string {
  const s = formatBp(bp);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

function quantity(milli: number, lang: 'fr' | 'en'): string {
  const s = formatQuantity(milli);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** Build the document and write it to `file` (atomically). */
export async function renderDocumentPdf(data: DocumentPdfData, file: string): Promise<void> {
  const doc = await buildDocumentPdf(data);
  await writePdf(doc, file);
}

export async function buildDocumentPdf(d: DocumentPdfData): Promise<Pdf> {
  const t = T[d.lang];
  const money = (c: Cents) => formatMoney(c, d.currency, d.lang);
  const date = (x: IsoDate) => formatDate(x, d.lang);
  const pct = (bp: number) => `${percent(bp, d.lang)} %`;
  // French puts a space before a colon, English does not.
  const c = d.lang === 'fr' ? ' : ' : ': ';
  const title = t[d.kind];
  // An issued document is dated by its issue date, not by the clock: the same document gives the same bytes.
  const creationDate = d.issueDate && d.number ? new Date(`${d.issueDate}T00:00:00Z`) : undefined;
  // An issued invoice (every kind but a quote) is a Factur-X e-invoice: PDF/A-3b with its CII XML.
  const facturX = isEInvoice(d);
  const doc = await createPdf({ title: `${title} ${d.number ?? d.reference}`, author: d.seller.name, subject: `${title} ${d.buyer.name}`, creationDate, pdfa: facturX });
  const reference = facturX ? invoiceReference(d.number!) : null;
  const width = doc.page.width - 2 * MARGIN;
  const right = MARGIN + width / 2 + 20;
  const rightWidth = width / 2 - 20;

  // The logo, top left, then the seller under it (left) and the title block (right).
  const sellerTop = d.logo ? (await drawLogo(doc, d.logo, MARGIN, MARGIN, LOGO_BOX)) + 8 : MARGIN;
  const s = d.seller;
  const sellerEnd = addressBlock(
    doc,
    {
      name: s.name,
      lines: [
        s.legalForm,
        s.address,
        s.siren ? `${t.siren} ${s.siren}${s.rcs ? ` - ${s.rcs}` : ''}` : s.rcs,
        s.vatNumber ? `${t.vat}${c}${s.vatNumber}` : null,
        [s.email, s.phone].filter(Boolean).join(' - ') || null,
      ],
    },
    { x: MARGIN, y: sellerTop, width: width / 2 - 10, size: 9 },
  );
  let y = write(doc, title, { x: right, y: MARGIN, width: rightWidth, size: 16, bold: true });
  if (d.number) y = write(doc, `${t.number} ${d.number}`, { x: right, y: y + 2, width: rightWidth, size: 11, bold: true });
  else y = write(doc, t.draft, { x: right, y: y + 2, width: rightWidth, size: 9, bold: true, color: '#b00000' });
  const meta: [string, string][] = [];
  if (d.issueDate) meta.push([t.date, date(d.issueDate)]);
  if (d.serviceDate && d.serviceDate !== d.issueDate) meta.push([t.serviceDate, date(d.serviceDate)]);
  if (d.dueDate && d.kind !== 'quote' && d.kind !== 'credit_note') meta.push([t.dueDate, date(d.dueDate)]);
  if (d.kind === 'quote' && d.validUntil) meta.push([t.validUntil, date(d.validUntil)]);
  if (d.poNumber) meta.push([t.po, d.poNumber]);
  if (d.operation) meta.push([t.operation, t.operations[d.operation]]);
  if (d.quote) meta.push([t.quoteRef, `${d.quote.number}${d.quote.date ? ` ${t.of} ${date(d.quote.date)}` : ''}`]);
  if (d.cancels) meta.push([t.cancels, `${d.cancels.number}${d.cancels.date ? ` ${t.of} ${date(d.cancels.date)}` : ''}`]);
  for (const [k, v] of meta) y = write(doc, `${k}${c}${v}`, { x: right, y: y + 1, width: rightWidth, size: 9 });

  // Buyer, on the right under the title (where a window envelope shows it).
  const b = d.buyer;
  const buyerEnd = addressBlock(
    doc,
    {
      heading: t.buyer,
      name: b.name,
      lines: [b.contactName, b.address, b.siren ? `${t.siren} ${b.siren}` : null, b.vatNumber ? `${t.vat}${c}${b.vatNumber}` : null],
    },
    { x: right, y: Math.max(y + 14, 150), width: rightWidth },
  );
  // The delivery address when it differs from the billing address (décret 2022-1299), under the seller.
  let deliveryEnd = sellerEnd;
  if (d.deliveryAddress && d.deliveryAddress.trim() !== (b.address ?? '').trim()) {
    let dy = write(doc, t.delivery, { x: MARGIN, y: Math.max(sellerEnd + 14, 150), width: width / 2 - 10, size: 8, color: '#555555' }) + 2;
    for (const l of d.deliveryAddress.split('\n')) if (l.trim()) dy = write(doc, l, { x: MARGIN, y: dy, width: width / 2 - 10, size: 9 });
    deliveryEnd = dy;
  }
  doc.y = Math.max(deliveryEnd, buyerEnd) + 20;

  // Lines. The amount columns are as wide as their widest figure (an amount never wraps), the
  // description takes the rest. A VAT-exempt ledger has no VAT column (every rate is 0).
  const exempt = d.vatExempt;
  const showDiscount = d.lines.some((l) => l.discountBp > 0 || l.discountAmount !== 0);
  const cols: Column[] = [
    { header: t.desc, width: 0 },
    { header: t.qty, width: 40, align: 'right' },
    { header: exempt ? t.unitExempt : t.unit, width: 75, align: 'right' },
    ...(showDiscount ? [{ header: t.discount, width: 50, align: 'right' as const }] : []),
    ...(exempt ? [] : [{ header: t.rate, width: 45, align: 'right' as const }]),
    { header: exempt ? t.lineExempt : t.lineNet, width: showDiscount ? 95 : 115, align: 'right' },
  ];
  const rows = d.lines.map((l) => [
    l.description,
    quantity(l.quantityMilli, d.lang),
    money(l.unitPrice),
    ...(showDiscount ? [l.discountBp > 0 ? pct(l.discountBp) : l.discountAmount !== 0 ? money(l.discountAmount) : ''] : []),
    ...(exempt ? [] : [pct(l.vatBp)]),
    money(l.net),
  ]);
  table(doc, fitColumns(doc, cols, rows, width), rows, { y: doc.y });
  doc.y += 12;

  // VAT per rate, then totals.
  if (!d.vatExempt) {
    ensureSpace(doc, 20 + 16 * (d.totals.rates.length + 1));
    const half = width / 2;
    const rateRows = d.totals.rates.map((r) => [pct(r.vatBp), money(r.base), money(r.vat), money(r.gross)]);
    const rateCols: Column[] = [
      { header: t.rateTable[0], width: 0 },
      { header: t.rateTable[1], width: half / 4, align: 'right' },
      { header: t.rateTable[2], width: half / 4, align: 'right' },
      { header: t.rateTable[3], width: half / 4 - 10, align: 'right' },
    ];
    table(doc, fitColumns(doc, rateCols, rateRows, half, half / 4 + 10), rateRows, { y: doc.y, x: MARGIN });
    doc.y += 8;
  }
  const totals: [string, string][] = exempt ? [] : [[t.totalNet, money(d.totals.net)]];
  if (!exempt) totals.push([d.deductions.length > 0 ? t.operationVat : t.totalVat, money(d.totals.vat)]);
  totals.push([exempt ? 'Total' : t.totalGross, money(d.totals.gross)]);
  const boxX = MARGIN + width / 2 + 20;
  const boxCols: Column[] = [
    { header: '', width: width / 2 - 20 - 100 },
    { header: '', width: 100, align: 'right' },
  ];
  const totalRows = totals.map(([k, v]) => [k, v]);
  const boldRows = [totalRows.length - 1];
  if (d.kind === 'credit_note') {
    totalRows.push([exempt ? t.creditTotalExempt : t.creditTotal, money(d.totals.gross)]);
    boldRows.push(totalRows.length - 1);
  }
  if (d.kind !== 'quote' && d.kind !== 'credit_note' && d.deductions.length === 0) {
    totalRows.push([t.netDue, money(d.amountDue)]);
    boldRows.push(totalRows.length - 1);
  }
  ensureSpace(doc, 16 * (totalRows.length + 1));
  tableNoHeader(doc, boxCols, totalRows, boxX, boldRows);
  doc.y += 10;
  // Not in EUR: the VAT in euros (CGI art. 242 nonies A; BT-111 of the e-invoice) and the rate used.
  if (d.currency !== 'EUR' && d.vatInEur !== undefined && d.vatInEur !== null && d.eurRate) {
    const rate = d.lang === 'fr' ? d.eurRate.replace('.', ',') : d.eurRate;
    const eur = formatMoney(d.vatInEur, 'EUR', d.lang);
    const text = d.lang === 'fr' ? `TVA en euros : ${eur} (taux de change BCE : 1 EUR = ${rate} ${d.currency})` : `VAT in euros: ${eur} (ECB exchange rate: 1 EUR = ${rate} ${d.currency})`;
    ensureSpace(doc, 16);
    write(doc, text, { x: MARGIN, y: doc.y, width, size: 8.5, align: 'right' });
    doc.y += 6;
  }

  // Final invoice: the deposits, per rate, and the net due.
  if (d.deductions.length > 0) {
    ensureSpace(doc, 60 + 16 * d.deductions.length);
    write(doc, t.depositsHeading, { x: MARGIN, y: doc.y, bold: true, size: 11 });
    doc.y += 4;
    const headers = exempt ? t.depositColsExempt : t.depositCols;
    const w = width / headers.length;
    const depositRows = d.deductions.map((x) => (exempt ? [x.depositNumber, date(x.depositDate), money(x.base + x.vat)] : [x.depositNumber, date(x.depositDate), pct(x.vatBp), money(x.base), money(x.vat), money(x.base + x.vat)]));
    const depositCols = headers.map((h, i) => ({ header: h, width: i === 0 ? 0 : i === 1 ? w - 10 : w - 2, align: i < 2 ? ('left' as const) : ('right' as const) }));
    table(doc, fitColumns(doc, depositCols, depositRows, width, w + 20), depositRows, { y: doc.y });
    doc.y += 8;
    // What the final invoice itself charges per rate: the sale's VAT less the VAT the deposit invoices
    // already charged (the figures an accountant books from this invoice, so no VAT counts twice).
    const due = finalAmounts(d.totals.rates, d.deductions).rates;
    if (!d.vatExempt) {
      ensureSpace(doc, 40 + 16 * due.length);
      write(doc, t.dueHeading, { x: MARGIN, y: doc.y, bold: true, size: 11 });
      doc.y += 4;
      const q = width / 4;
      table(
        doc,
        t.dueCols.map((h, i) => ({ header: h, width: q, align: i === 0 ? ('left' as const) : ('right' as const) })),
        due.map((r) => [pct(r.vatBp), money(r.dueBase), money(r.dueVat), money(r.dueBase + r.dueVat)]),
        { y: doc.y },
      );
      doc.y += 8;
    }
    const rows = [
      [exempt ? 'Total' : t.totalGross, money(d.totals.gross)],
      [exempt ? t.depositsTotalExempt : t.depositsTotal, `- ${money(d.deductedGross)}`],
      [t.netDue, money(d.amountDue)],
    ];
    if (!d.vatExempt) rows.push([t.dueVat, money(due.reduce((sum, r) => sum + r.dueVat, 0))]);
    ensureSpace(doc, 16 * (rows.length + 1));
    tableNoHeader(doc, boxCols, rows, boxX, [2]);
    doc.y += 10;
  }

  // Quotes: requested deposit and "bon pour accord".
  if (d.kind === 'quote') {
    ensureSpace(doc, 90);
    if (d.depositBp) write(doc, t.depositAsked(percent(d.depositBp, d.lang)), { x: MARGIN, y: doc.y, size: 9 });
    if (d.accepted) write(doc, t.acceptedBy(date(d.accepted.on), d.accepted.by), { x: MARGIN, y: doc.y + 4, size: 9, bold: true });
    else {
      const top = doc.y + 6;
      write(doc, t.signature, { x: MARGIN + width / 2 + 20, y: top, size: 9 });
      doc.save().rect(MARGIN + width / 2 + 20, doc.y + 4, width / 2 - 20, 60).lineWidth(0.5).strokeColor('#999999').stroke().restore();
      doc.y += 70;
    }
    doc.y += 8;
  }

  // Payment and the legal mentions; the EPC QR code on their right (EUR only, something to pay), so
  // the payer's banking app fills in the transfer.
  const qr = reference && d.kind !== 'credit_note' && d.seller.iban && d.amountDue > 0
    ? epcPayload({ bic: d.seller.bic, name: d.seller.name, iban: d.seller.iban, amount: d.amountDue, reference }, d.currency)
    : null;
  const textWidth = qr ? width - QR_SIZE - 14 : width;
  const items: { text: string; bold?: boolean }[] = [];
  const small = (text: string, bold = false) => items.push({ text, bold });
  if (d.kind !== 'credit_note') {
    if (d.dueDate && d.kind !== 'quote') small(`${t.dueDate}${c}${date(d.dueDate)}${d.termsText ? ` (${d.termsText})` : ''}`, true);
    else if (d.termsText) small(`${t.terms}${c}${d.termsText}`, true);
    const bank = [d.seller.iban ? `${t.iban} ${formatIban(d.seller.iban)}` : null, d.seller.bic ? `${t.bic} ${d.seller.bic}` : null].filter(Boolean).join(' - ');
    if (bank) small(`${t.payment}${c}${bank}`);
    if (reference) small(`${t.reference}${c}${printReference(reference)}`, true);
    if (d.paymentLink) small(`${t.link}${c}${d.paymentLink}`);
    small(d.earlyDiscount ? `${t.discountIntro}${d.earlyDiscount}` : t.noDiscount);
    if (d.buyer.kind === 'b2b') {
      const p = d.penalty;
      const figure = p.currentBp != null && p.half ? `${pct(p.currentBp)} ${d.lang === 'fr' ? 'pour le' : 'for the'} ${t.half(p.half)}` : null;
      small(p.mode === 'contract' && p.rateBp !== null ? t.penaltyContract(percent(p.rateBp, d.lang)) : t.penaltyEcb(figure));
      small(t.indemnity);
    } else small(t.penaltyB2c);
  }
  if (d.vatExempt) small(t.exempt, true);
  else if (d.vatOnDebits && d.kind !== 'quote') small(t.onDebits, true);

  // The block is kept together: measured first, it moves to a new page only when it does not fit
  // in what is left of this one (never split, leaving its last sentences alone on a second page).
  const SIZE = 8.5;
  const heightOf = (text: string, bold: boolean) => {
    face(doc, bold ? FONT_BOLD : FONT, SIZE);
    const h = doc.heightOfString(pdfText(text), { width: textWidth });
    face(doc, FONT, 10);
    return h + 2;
  };
  const blockHeight = items.reduce((sum, i) => sum + heightOf(i.text, !!i.bold), 0);
  ensureSpace(doc, Math.max(blockHeight, qr ? QR_SIZE + 30 : 0));
  const qrTop = doc.y;
  if (qr) {
    const { drawQr } = await import('./qr.js');
    await drawQr(doc, qr, MARGIN + width - QR_SIZE, qrTop, QR_SIZE);
    write(doc, t.qr, { x: MARGIN + width - QR_SIZE, y: qrTop + QR_SIZE + 2, width: QR_SIZE, size: 6.5, color: '#555555' });
    doc.y = qrTop;
  }
  for (const i of items) doc.y = write(doc, i.text, { x: MARGIN, y: doc.y, width: textWidth, size: SIZE, bold: !!i.bold }) + 2;
  if (qr) doc.y = Math.max(doc.y, qrTop + QR_SIZE + 30);
  if (d.notes) {
    const notes = `${t.notes}${c}${d.notes}`;
    const h = heightOf(notes, false) + 4;
    // A note that fits on a page stays whole; a longer one flows on.
    if (h < doc.page.height - 2 * MARGIN - 30) ensureSpace(doc, h);
    doc.y = write(doc, notes, { x: MARGIN, y: doc.y + 4, width, size: SIZE }) + 2;
  }

  const id = [s.name, s.legalForm, s.siren ? `${t.siren} ${s.siren}` : null, s.rcs, s.vatNumber ? `${t.vat} ${s.vatNumber}` : null].filter(Boolean).join(' - ');
  footer(doc, id);
  if (facturX) {
    const [{ invoiceModel }, { toCii }, { attachFacturX }] = await Promise.all([import('../einvoice/model.js'), import('../einvoice/cii.js'), import('../einvoice/facturx.js')]);
    attachFacturX(doc, toCii(invoiceModel(d)), creationDate!);
  }
  return doc;
}

/** Side of the EPC QR code, in points (about 3.2 cm: EPC069-12 recommends at least 2 cm). */
const QR_SIZE = 90;

/** Whether this document's PDF is a Factur-X e-invoice: issued, and not a quote. */
export function isEInvoice(d: Pick<DocumentPdfData, 'kind' | 'number' | 'issueDate'>): boolean {
  return d.kind !== 'quote' && d.number !== null && d.issueDate !== null;
}

/** The width `text` takes on one line in a table cell (3 pt of padding each side, and a point to spare). */
function oneLine(doc: Pdf, text: string, bold: boolean, size = 9): number {
  face(doc, bold ? FONT_BOLD : FONT, size);
  const w = doc.widthOfString(pdfText(text));
  face(doc, FONT, 10);
  return w + 2 * 3 + 1;
}

/**
 * Columns where no figure wraps: every column but the first is at least as wide as its widest cell
 * and its header's longest word (a header may wrap between words), and at least its given width
 * while the first keeps `minFirst`; the first column takes what is left of `total` (when the figures
 * need more than `total`, the table grows past it).
 */
function fitColumns(doc: Pdf, cols: Column[], rows: string[][], total: number, minFirst = 120): Column[] {
  const need = cols.map((c, i) =>
    i === 0 ? 0 : Math.max(...rows.map((r) => oneLine(doc, r[i] ?? '', false)), ...c.header.split(/\s+/).map((word) => oneLine(doc, word, true))),
  );
  const firstNeed = Math.max(...rows.map((r) => Math.min(oneLine(doc, r[0] ?? '', false), minFirst)), ...cols[0]!.header.split(/\s+/).map((word) => oneLine(doc, word, true)));
  const preferred = cols.map((c, i) => (i === 0 ? 0 : Math.max(need[i]!, c.width)));
  const widths = total - preferred.reduce((a, b) => a + b, 0) >= minFirst ? preferred : need;
  const first = Math.max(total - widths.reduce((a, b) => a + b, 0), firstNeed);
  return cols.map((c, i) => ({ ...c, width: i === 0 ? first : widths[i]! }));
}

/** Two-column label/amount rows without a header (the totals box). */
function tableNoHeader(doc: Pdf, cols: Column[], rows: string[][], x: number, boldRows: number[]): void {
  let y = doc.y;
  const widths = cols.map((c) => c.width);
  rows.forEach((r, i) => {
    const bold = boldRows.includes(i);
    const yy = y;
    let xx = x;
    let h = 0;
    r.forEach((cell, j) => {
      const end = write(doc, cell, { x: xx + 3, y: yy + 3, width: widths[j]! - 6, size: bold ? 10 : 9, bold, align: cols[j]!.align ?? 'left' });
      h = Math.max(h, end - yy + 3);
      xx += widths[j]!;
    });
    y = yy + h;
    if (bold) doc.save().moveTo(x, yy).lineTo(x + widths.reduce((a, b) => a + b, 0), yy).lineWidth(0.7).strokeColor('#333333').stroke().restore();
  });
  doc.x = MARGIN;
  doc.y = y;
}

function formatIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}
