/**
 * Reminder letters as PDF, one file per letter, laid out for a French window envelope (DL 110 x 220
 * with the window on the right, the A4 sheet folded in three): the sender at the top left, the
 * recipient's address in the window zone (110 mm from the left, 45 mm from the top), then place and
 * date, the registered-mail mention for a formal notice, the subject, the body with the invoice
 * table where the template put it, and the signature. Uses the shared helpers of render/pdf.ts.
 */
import { epcPayload } from '../core/epc-qr.js';
import { formatMoney } from '../core/money.js';
import { invoiceReference } from '../core/payment-reference.js';
import { addressBlock, createPdf, drawLogo, ensureSpace, footer, MARGIN, table, write, writePdf, type Column, type PdfLogo } from './pdf.js';
import { formatDateLong, TABLE_MARKER, type MessageContext } from './templates.js';

const MM = 72 / 25.4;

export interface LetterInput {
  ctx: MessageContext;
  subject: string;
  /** Body from templates.letter(): TABLE_MARKER on its own line where the invoice table goes. */
  body: string;
  /** "Lettre recommandée avec accusé de réception" on a formal notice. */
  registered: boolean;
  /** The town printed before the date ("Lyon, le ..."), taken from the business address. */
  town: string | null;
  /** The business's logo, top left above the sender (the current one: a letter is written when it is sent). */
  logo?: PdfLogo | null;
}

export const LETTER_LABELS = {
  fr: {
    registered: 'Lettre recommandée avec accusé de réception',
    subject: 'Objet',
    ref: 'Vos références',
    ourRef: 'Nos références',
    dated: (town: string | null, d: string) => `${town ? `${town}, le` : 'Le'} ${d}`,
    cols: ['Facture', 'Date', 'Échéance', 'Retard', 'Reste dû', 'Pénalités', 'Indemnité'],
    total: 'Total',
    instalment: (number: string, n: number) => `${number}\néchéance n° ${n}`,
    days: (n: number) => `${n} j`,
    footer: (name: string, siren: string | null) => `${name}${siren ? ` – SIREN ${siren}` : ''}`,
    qr: (amount: string) => `Pour régler les ${amount} restant dus par virement SEPA, scannez ce code avec votre application bancaire : IBAN, montant et référence sont préremplis.`,
  },
  en: {
    registered: 'Registered letter with acknowledgement of receipt (lettre recommandée avec accusé de réception)',
    subject: 'Subject',
    ref: 'Your reference',
    ourRef: 'Our reference',
    dated: (town: string | null, d: string) => `${town ? `${town}, ` : ''}${d}`,
    cols: ['Invoice', 'Date', 'Due', 'Days late', 'Outstanding', 'Interest', 'Recovery fee'],
    total: 'Total',
    instalment: (number: string, n: number) => `${number}\ninstalment no. ${n}`,
    days: (n: number) => `${n} d`,
    footer: (name: string, siren: string | null) => `${name}${siren ? ` – SIREN ${siren}` : ''}`,
    qr: (amount: string) => `To pay the ${amount} still due by SEPA transfer, scan this code with your banking app: IBAN, amount and reference are filled in.`,
  },
} as const;

/**
 * The EPC QR code of a reminder: the transfer of what is still due on the invoices in euros (their
 * balances; penalties are invoiced apart), with the invoice's structured reference when the letter
 * is about one invoice, the invoice numbers as free text when about several. null without an IBAN.
 */
export function letterQrPayload(ctx: MessageContext): string | null {
  if (!ctx.business.iban) return null;
  const eur = ctx.invoices.filter((i) => i.currency === 'EUR' && i.balance > 0);
  if (eur.length === 0) return null;
  const amount = eur.reduce((s, i) => s + i.balance, 0);
  const numbers = [...new Set(eur.map((i) => i.number))];
  return epcPayload({
    bic: ctx.business.bic,
    name: ctx.business.name,
    iban: ctx.business.iban,
    amount,
    reference: numbers.length === 1 ? invoiceReference(numbers[0]!) : null,
    text: numbers.length === 1 ? null : numbers.join(' '),
  });
}

/** The town of a French address: the last line's words after a 5-digit postcode. */
export function townOf(address: string[]): string | null {
  for (let i = address.length - 1; i >= 0; i--) {
    const m = /\b\d{5}\s+(.+)$/.exec(address[i]!);
    if (m) return m[1]!.trim();
  }
  return null;
}

/** The invoice table of a letter (rows as text), shared by the letter and the collection file. */
export function invoiceRows(ctx: MessageContext): { columns: Column[]; rows: string[][]; bold: number[] } {
  const L = LETTER_LABELS[ctx.lang];
  const withPenalties = ctx.claimsPenalties;
  const widths = withPenalties ? [95, 62, 62, 45, 80, 75, 76] : [130, 80, 80, 65, 140];
  const columns: Column[] = widths.map((w, i) => ({ header: L.cols[i]!, width: w, align: i >= 3 ? 'right' : 'left' }));
  const money = (c: number | null, cur: string) => (c === null ? '–' : formatMoney(c, cur, ctx.lang));
  const rows = ctx.invoices.map((inv) => {
    const r = [
      inv.instalment ? L.instalment(inv.number, inv.instalment) : inv.number,
      formatDateShort(inv.issueDate),
      formatDateShort(inv.dueDate),
      inv.late ? L.days(inv.daysLate) : '–',
      money(inv.balance, inv.currency),
    ];
    if (withPenalties) r.push(money(inv.penalty, inv.currency), money(inv.indemnity, inv.currency));
    return r;
  });
  const bold: number[] = [];
  for (const t of ctx.totals) {
    bold.push(rows.length);
    const r = [`${L.total}${ctx.totals.length > 1 ? ` ${t.currency}` : ''}`, '', '', '', money(t.balance, t.currency)];
    if (withPenalties) r.push(money(t.penalty, t.currency), money(t.indemnity, t.currency));
    rows.push(r);
  }
  return { columns, rows, bold };
}

function formatDateShort(d: string): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/** Write one letter to `file` (temp name, then rename). */
export async function writeLetterPdf(file: string, input: LetterInput): Promise<void> {
  const { ctx } = input;
  const L = LETTER_LABELS[ctx.lang];
  const doc = await createPdf({
    title: input.subject,
    author: ctx.business.name,
    subject: input.subject,
    creationDate: new Date(`${ctx.reminderDate}T09:00:00Z`),
  });
  const width = doc.page.width - 2 * MARGIN;

  // The logo, then the sender, top left (the logo's box ends above the window zone).
  const senderTop = input.logo ? (await drawLogo(doc, input.logo, 20 * MM, 12 * MM, { width: 60 * MM, height: 18 * MM })) + 3 * MM : 15 * MM;
  addressBlock(
    doc,
    {
      name: ctx.business.name,
      lines: [
        ctx.business.legalForm,
        ...ctx.business.address,
        ctx.business.phone ? `Tél. ${ctx.business.phone}` : null,
        ctx.business.email,
        ctx.business.siren ? `SIREN ${ctx.business.siren}${ctx.business.rcs ? ` – ${ctx.business.rcs}` : ''}` : null,
      ],
    },
    { x: 20 * MM, y: senderTop, width: 80 * MM, size: 9 },
  );

  // Registered-mail mention, just above the window.
  if (input.registered) write(doc, L.registered, { x: 110 * MM, y: 36 * MM, width: 85 * MM, size: 8, bold: true });

  // Recipient, in the window zone of a DL envelope (window 45 x 100 mm on the right).
  addressBlock(
    doc,
    { name: ctx.client.name, lines: [ctx.client.contactName ? (ctx.lang === 'fr' ? `À l'attention de ${ctx.client.contactName}` : `Attn: ${ctx.client.contactName}`) : null, ...ctx.client.address] },
    { x: 110 * MM, y: 46 * MM, width: 85 * MM, size: 10 },
  );

  // Place and date, then references and subject.
  let y = write(doc, L.dated(input.town, formatDateLong(ctx.reminderDate, ctx.lang)), { x: 110 * MM, y: 100 * MM, width: 85 * MM });
  y = Math.max(y, 112 * MM);
  // The client's own references (their order numbers) first, then ours (our code for them).
  const sep = ctx.lang === 'fr' ? ' : ' : ': ';
  if (ctx.references) y = write(doc, `${L.ref}${sep}${ctx.references}`, { x: MARGIN, y, width, size: 9, color: '#444444' }) + 2;
  y = write(doc, `${L.ourRef}${sep}${ctx.client.code}`, { x: MARGIN, y, width, size: 9, color: '#444444' }) + 2;
  y = write(doc, `${L.subject}${sep}${input.subject}`, { x: MARGIN, y, width, bold: true }) + 12;
  doc.y = y;

  const parts = input.body.split(TABLE_MARKER);
  parts.forEach((part, i) => {
    const text = part.replace(/^\n+|\n+$/g, '');
    if (text) {
      for (const para of text.split(/\n\s*\n/)) {
        ensureSpace(doc, 30);
        write(doc, para.trim(), { x: MARGIN, y: doc.y, width, align: 'left' });
        doc.y += 8;
      }
    }
    if (i < parts.length - 1) {
      const t = invoiceRows(ctx);
      table(doc, t.columns, t.rows, { x: MARGIN, y: doc.y + 2, boldRows: t.bold, size: 8.5 });
      doc.y += 10;
    }
  });

  const qr = letterQrPayload(ctx);
  if (qr) {
    const size = 80;
    ensureSpace(doc, size + 20);
    const top = doc.y + 4;
    const { drawQr } = await import('./qr.js');
    await drawQr(doc, qr, MARGIN, top, size);
    const due = formatMoney(ctx.invoices.filter((i) => i.currency === 'EUR').reduce((s, i) => s + i.balance, 0), 'EUR', ctx.lang);
    write(doc, L.qr(due), { x: MARGIN + size + 10, y: top + 12, width: width - size - 10, size: 8.5, color: '#444444' });
    doc.y = top + size + 6;
  }

  footer(doc, L.footer(ctx.business.name, ctx.business.siren));
  await writePdf(doc, file);
}
