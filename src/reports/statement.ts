/**
 * A client's statement of account (relevé de compte) as of a date: every invoice, credit note,
 * payment and reversal with a running balance per currency, the open items and the unallocated
 * credit; its JSON, and its PDF (in the client's language).
 */
import type { IsoDate } from '../core/dates.js';
import { formatMoney, type Cents } from '../core/money.js';
import type { Client } from '../store/clients.js';
import type { Db } from '../store/db.js';
import { clientCredit } from '../store/payments.js';
import { openItems, statementEntries, type OpenItem, type StatementEntry } from '../store/receivables.js';
import { getSettings } from '../store/settings.js';
import { currentLogoImage } from '../store/logos.js';
import { businessFooter, dec } from '../render/format.js';

export interface Statement {
  client: Client;
  asOf: IsoDate;
  currencies: {
    currency: string;
    entries: (StatementEntry & { balance: Cents })[];
    open: OpenItem[];
    /** Sum of open balances. */
    due: Cents;
    /** Money received and not allocated yet. */
    credit: Cents;
    /** due - credit = the last running balance. */
    net: Cents;
  }[];
}

export function buildStatement(db: Db, client: Client, asOf: IsoDate): Statement {
  const entries = statementEntries(db, client.id, asOf);
  const open = openItems(db, { asOf, clientId: client.id });
  const currencies = [...new Set([...entries.map((e) => e.currency), ...open.map((o) => o.currency)])].sort();
  return {
    client,
    asOf,
    currencies: currencies.map((currency) => {
      let running = 0;
      const mine = entries.filter((e) => e.currency === currency).map((e) => ({ ...e, balance: (running += e.debit - e.credit) }));
      const items = open.filter((o) => o.currency === currency);
      const due = items.reduce((s, o) => s + o.balance, 0);
      const credit = clientCredit(db, client.id, currency, asOf);
      return { currency, entries: mine, open: items, due, credit, net: due - credit };
    }),
  };
}

const LABELS = {
  en: { invoice: 'Invoice', deposit: 'Deposit invoice', final: 'Final invoice', penalty: 'Penalty invoice', credit_note: 'Credit note', payment: 'Payment', reversal: 'Reversal of payment' },
  fr: { invoice: 'Facture', deposit: "Facture d'acompte", final: 'Facture de solde', penalty: 'Facture de pénalités', credit_note: 'Avoir', payment: 'Règlement', reversal: 'Annulation du règlement' },
} as const;

const METHODS_FR: Record<string, string> = { transfer: 'virement', card: 'carte', cheque: 'chèque', cash: 'espèces', 'direct-debit': 'prélèvement', other: 'autre' };

export function describe(e: StatementEntry, lang: 'fr' | 'en'): string {
  const l = LABELS[lang];
  if (e.kind === 'invoice') return l[(e.documentKind ?? 'invoice') as keyof typeof l] ?? l.invoice;
  if (e.kind === 'credit_note') return `${l.credit_note}${e.about ? (lang === 'fr' ? ` sur ${e.about}` : ` on ${e.about}`) : ''}`;
  if (e.kind === 'reversal') return `${l.reversal} ${e.about ?? ''}`.trim();
  const method = lang === 'fr' ? (METHODS_FR[e.method ?? ''] ?? e.method) : e.method;
  return `${l.payment} (${method})`;
}

export function statementJson(s: Statement) {
  return {
    client: s.client.code,
    name: s.client.name,
    asOf: s.asOf,
    currencies: s.currencies.map((c) => ({
      currency: c.currency,
      entries: c.entries.map((e) => ({ date: e.date, kind: e.kind, reference: e.reference, about: e.about, debit: dec(e.debit), credit: dec(e.credit), balance: dec(e.balance) })),
      open: c.open.map((o) => ({ invoice: o.number, issueDate: o.issueDate, dueDate: o.dueDate, amountDue: dec(o.amountDue), paid: dec(o.paid), credited: dec(o.credited), balance: dec(o.balance), daysLate: o.daysLate })),
      due: dec(c.due),
      credit: dec(c.credit),
      net: dec(c.net),
    })),
  };
}

export async function writeStatementPdf(db: Db, s: Statement, file: string): Promise<void> {
  const pdf = await import('../render/pdf.js');
  const settings = getSettings(db);
  const lang = s.client.lang;
  const fr = lang === 'fr';
  // The client reads it: amounts in the client's language (1 234,56 € in French).
  const m = (cents: Cents, currency: string) => formatMoney(cents, currency, lang);
  const doc = await pdf.createPdf({ title: `${fr ? 'Releve de compte' : 'Statement of account'} ${s.client.code} ${s.asOf}`, author: settings['business.name'], creationDate: new Date(`${s.asOf}T12:00:00Z`) });
  const width = pdf.A4.width - 2 * pdf.MARGIN;
  // The business's logo (the current one) top left, the business under it.
  const logo = currentLogoImage(db);
  const top = logo ? (await pdf.drawLogo(doc, logo, pdf.MARGIN, pdf.MARGIN, { width: 160, height: 56 })) + 8 : pdf.MARGIN;
  let y = pdf.addressBlock(doc, { name: settings['business.name'], lines: [settings['business.address'], settings['business.siren'] ? `SIREN ${settings['business.siren']}` : null, settings['business.email']] }, { x: pdf.MARGIN, y: top, width: width / 2 });
  pdf.addressBlock(doc, { heading: fr ? 'Client' : 'Client', name: s.client.name, lines: [s.client.contactName, s.client.billingAddress ?? s.client.address] }, { x: pdf.MARGIN + width / 2 + 20, y: pdf.MARGIN + 60, width: width / 2 - 20 });
  y = Math.max(y, pdf.MARGIN + 150);
  y = pdf.write(doc, `${fr ? 'Relevé de compte au' : 'Statement of account as of'} ${s.asOf}`, { x: pdf.MARGIN, y, size: 14, bold: true }) + 10;
  for (const c of s.currencies) {
    y = pdf.write(doc, `${fr ? 'Mouvements' : 'Movements'} (${c.currency})`, { x: pdf.MARGIN, y, bold: true }) + 4;
    y = pdf.table(
      doc,
      [
        { header: 'Date', width: 65 },
        { header: fr ? 'Référence' : 'Reference', width: 95 },
        { header: fr ? 'Libellé' : 'Description', width: 135 },
        { header: fr ? 'Débit' : 'Debit', width: 65, align: 'right' },
        { header: fr ? 'Crédit' : 'Credit', width: 65, align: 'right' },
        { header: fr ? 'Solde' : 'Balance', width: width - 425, align: 'right' },
      ],
      c.entries.map((e) => [e.date, e.reference, describe(e, lang), e.debit ? m(e.debit, c.currency) : '', e.credit ? m(e.credit, c.currency) : '', m(e.balance, c.currency)]),
      { y },
    ) + 12;
    pdf.ensureSpace(doc, 80);
    y = pdf.write(doc, fr ? 'Factures ouvertes' : 'Open invoices', { x: pdf.MARGIN, y: doc.y, bold: true }) + 4;
    y = pdf.table(
      doc,
      [
        { header: fr ? 'Facture' : 'Invoice', width: 95 },
        { header: fr ? 'Émise le' : 'Issued', width: 70 },
        { header: fr ? 'Échéance' : 'Due', width: 70 },
        { header: fr ? 'Montant TTC' : 'Amount', width: 85, align: 'right' },
        { header: fr ? 'Reste dû' : 'Balance', width: 85, align: 'right' },
        { header: fr ? 'Jours de retard' : 'Days late', width: width - 405, align: 'right' },
      ],
      [
        ...c.open.map((o) => [o.number, o.issueDate, o.dueDate, m(o.amountDue, c.currency), m(o.balance, c.currency), o.daysLate ? String(o.daysLate) : '']),
        ['', '', '', fr ? 'Total dû' : 'Total due', m(c.due, c.currency), ''],
      ],
      { y, boldRows: [c.open.length] },
    ) + 8;
    if (c.credit) y = pdf.write(doc, `${fr ? 'Avoir disponible (règlements non affectés)' : 'Unallocated credit'}: ${m(c.credit, c.currency)}`, { x: pdf.MARGIN, y }) + 4;
    y = pdf.write(doc, `${fr ? 'Solde net' : 'Net balance'}: ${m(c.net, c.currency)}`, { x: pdf.MARGIN, y, bold: true }) + 16;
  }
  if (settings['business.iban']) pdf.write(doc, `${fr ? 'Règlement par virement' : 'Pay by transfer'}: IBAN ${settings['business.iban']}${settings['business.bic'] ? ` BIC ${settings['business.bic']}` : ''}`, { x: pdf.MARGIN, y });
  pdf.footer(doc, businessFooter(settings));
  await pdf.writePdf(doc, file);
}

