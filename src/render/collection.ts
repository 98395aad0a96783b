/**
 * The level-4 handover: a collection file for an agency, a commissaire de justice (simplified
 * recovery of small claims up to 5 000 EUR) or an injonction de payer. One folder per client and
 * date holding dossier.pdf (summary, invoices, penalty computation, reminders sent, call log), copies
 * of the letters sent, and the invoice PDFs when given. The folder is built under a temporary name
 * and renamed, so it either exists complete or not at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatMoney, type Cents } from '../core/money.js';
import { createPdf, ensureSpace, footer, MARGIN, table, write, writePdf } from './pdf.js';
import { invoiceRows } from './letter-pdf.js';
import { formatDateLong, formatRate, type MessageContext } from './templates.js';
import { crashPoint } from '../system/crash.js';
import { DIR_MODE, FILE_MODE, makeDir } from '../system/files.js';
import { SMALL_CLAIM_CEILING } from '../core/penalties.js';

export interface CollectionInput {
  ctx: MessageContext;
  penalties: {
    number: string;
    rule: string;
    lines: { from: string; to: string; days: number; base: Cents; rateBp: number | null; amount: Cents | null }[];
    interest: Cents | null;
    indemnity: Cents;
    currency: string;
  }[];
  history: { date: string; level: number; channel: string | null; status: string | null; subject: string | null; number: string }[];
  contacts: { at: string; channel: string; withWhom: string | null; outcome: string; promiseDate: string | null; promiseAmount: Cents | null }[];
  /** Letter PDFs already sent to the client, copied into the folder. */
  letters: string[];
  invoicePdfs: { filename: string; content: Buffer }[];
}

/** Write the collection folder `dir` (temp name, then rename). Returns the folder. */
export async function writeCollection(dir: string, input: CollectionInput): Promise<string> {
  const parent = path.dirname(dir);
  makeDir(parent);
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { mode: DIR_MODE });
  try {
    await writeDossier(path.join(tmp, 'dossier.pdf'), input);
    for (const f of input.letters) {
      if (fs.existsSync(f)) {
        const copy = path.join(tmp, `courrier-${path.basename(f)}`);
        fs.copyFileSync(f, copy);
        fs.chmodSync(copy, FILE_MODE);
      }
    }
    for (const a of input.invoicePdfs) fs.writeFileSync(path.join(tmp, a.filename), a.content, { mode: FILE_MODE });
    crashPoint('before-rename');
    fs.renameSync(tmp, dir);
    return dir;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function writeDossier(file: string, input: CollectionInput): Promise<void> {
  const { ctx } = input;
  const fr = ctx.lang === 'fr';
  const doc = await createPdf({
    title: `${fr ? 'Dossier de recouvrement' : 'Collection file'} – ${ctx.client.name}`,
    author: ctx.business.name,
    creationDate: new Date(`${ctx.reminderDate}T09:00:00Z`),
  });
  const width = doc.page.width - 2 * MARGIN;
  const h = (t: string) => {
    ensureSpace(doc, 60);
    doc.y += 10;
    write(doc, t, { x: MARGIN, y: doc.y, width, size: 12, bold: true });
    doc.y += 4;
  };
  const p = (t: string, o: { size?: number; color?: string } = {}) => {
    ensureSpace(doc, 20);
    write(doc, t, { x: MARGIN, y: doc.y, width, ...o });
    doc.y += 3;
  };
  const m = (c: Cents | null, cur = 'EUR') => (c === null ? '?' : formatMoney(c, cur, ctx.lang));

  write(doc, fr ? 'Dossier de recouvrement' : 'Collection file', { x: MARGIN, y: MARGIN, width, size: 16, bold: true });
  doc.y += 6;
  p(`${fr ? 'Établi le' : 'Prepared on'} ${formatDateLong(ctx.reminderDate, ctx.lang)}`);

  h(fr ? 'Créancier' : 'Creditor');
  p([ctx.business.name, ctx.business.legalForm, ...ctx.business.address, ctx.business.siren ? `SIREN ${ctx.business.siren}` : null, ctx.business.vatNumber ? `TVA ${ctx.business.vatNumber}` : null, ctx.business.email, ctx.business.phone, ctx.business.iban ? `IBAN ${ctx.business.iban}` : null].filter(Boolean).join('\n'));
  h(fr ? 'Débiteur' : 'Debtor');
  p(
    [
      `${ctx.client.name} (${ctx.client.code})`,
      ctx.client.contactName,
      ...ctx.client.address,
      ctx.client.email,
      ctx.client.consumer ? (fr ? 'Particulier (consommateur)' : 'Consumer') : fr ? 'Professionnel' : 'Professional',
    ]
      .filter(Boolean)
      .join('\n'),
  );

  h(fr ? 'Créances' : 'Claims');
  const t = invoiceRows(ctx);
  table(doc, t.columns, t.rows, { x: MARGIN, boldRows: t.bold, size: 8.5 });
  doc.y += 6;
  for (const tot of ctx.totals) {
    p(`${fr ? 'Principal' : 'Principal'} ${m(tot.balance, tot.currency)} · ${fr ? 'pénalités' : 'interest'} ${m(tot.penalty, tot.currency)} · ${fr ? 'indemnités' : 'recovery fees'} ${m(tot.indemnity, tot.currency)} · ${fr ? 'total' : 'total'} ${m(tot.total, tot.currency)}`, { size: 10 });
  }
  const principal = ctx.total.balance;
  p(
    fr
      ? principal <= SMALL_CLAIM_CEILING
        ? `Montant en principal inférieur ou égal à 5 000 € : procédure simplifiée de recouvrement des petites créances possible par un commissaire de justice ; sinon injonction de payer (Cerfa 12948 tribunal judiciaire, 12946 tribunal de commerce) ou agence de recouvrement.`
        : `Montant en principal supérieur à 5 000 € : injonction de payer (Cerfa 12948 tribunal judiciaire, 12946 tribunal de commerce) auprès du tribunal du domicile du débiteur, ou agence de recouvrement.`
      : principal <= SMALL_CLAIM_CEILING
        ? `Principal up to 5 000 EUR: the simplified small-claims recovery through a commissaire de justice is available; otherwise an injonction de payer (Cerfa 12948 / 12946) or a collection agency.`
        : `Principal above 5 000 EUR: injonction de payer (Cerfa 12948 tribunal judiciaire, 12946 tribunal de commerce) at the debtor's court, or a collection agency.`,
    { size: 9, color: '#333333' },
  );

  h(fr ? `Calcul des pénalités au ${formatDateLong(ctx.reminderDate, ctx.lang)}` : `Penalty computation as of ${formatDateLong(ctx.reminderDate, ctx.lang)}`);
  if (input.penalties.length === 0) p(fr ? 'Aucune pénalité réclamée.' : 'No penalties claimed.');
  for (const pen of input.penalties) {
    p(`${pen.number} – ${pen.rule}`, { size: 9 });
    if (pen.lines.length > 0) {
      table(
        doc,
        [
          { header: fr ? 'Du' : 'From', width: 70 },
          { header: fr ? 'Au' : 'To', width: 70 },
          { header: fr ? 'Jours' : 'Days', width: 45, align: 'right' },
          { header: fr ? 'Base TTC' : 'Base incl. VAT', width: 90, align: 'right' },
          { header: fr ? 'Taux' : 'Rate', width: 60, align: 'right' },
          { header: fr ? 'Montant' : 'Amount', width: 80, align: 'right' },
        ],
        pen.lines.map((l) => [l.from, l.to, String(l.days), m(l.base, pen.currency), l.rateBp === null ? '?' : formatRate(l.rateBp, ctx.lang), m(l.amount, pen.currency)]),
        { x: MARGIN, size: 8 },
      );
      doc.y += 3;
    }
    p(`${fr ? 'Pénalités' : 'Interest'} ${m(pen.interest, pen.currency)} · ${fr ? 'indemnité forfaitaire' : 'recovery fee'} ${m(pen.indemnity, pen.currency)}`, { size: 9 });
    doc.y += 4;
  }

  h(fr ? 'Relances envoyées' : 'Reminders sent');
  if (input.history.length === 0) p('–');
  else
    table(
      doc,
      [
        { header: 'Date', width: 70 },
        { header: fr ? 'Niveau' : 'Level', width: 45, align: 'right' },
        { header: fr ? 'Facture' : 'Invoice', width: 90 },
        { header: fr ? 'Canal' : 'Channel', width: 60 },
        { header: fr ? 'Statut' : 'Status', width: 55 },
        { header: fr ? 'Objet' : 'Subject', width: width - 320 },
      ],
      input.history.map((r) => [r.date, String(r.level), r.number, r.channel ?? '', r.status ?? '', r.subject ?? '']),
      { x: MARGIN, size: 8 },
    );

  h(fr ? 'Journal des contacts' : 'Call log');
  if (input.contacts.length === 0) p('–');
  else
    table(
      doc,
      [
        { header: fr ? 'Quand' : 'When', width: 90 },
        { header: fr ? 'Canal' : 'Channel', width: 50 },
        { header: fr ? 'Avec' : 'With', width: 80 },
        { header: fr ? 'Résultat' : 'Outcome', width: width - 310 },
        { header: fr ? 'Promesse' : 'Promise', width: 90 },
      ],
      input.contacts.map((c) => [c.at.slice(0, 16).replace('T', ' '), c.channel, c.withWhom ?? '', c.outcome, c.promiseDate ? `${c.promiseDate}${c.promiseAmount !== null ? ` ${m(c.promiseAmount)}` : ''}` : '']),
      { x: MARGIN, size: 8 },
    );

  if (input.letters.length > 0) {
    h(fr ? 'Courriers joints' : 'Letters enclosed');
    for (const f of input.letters) p(`courrier-${path.basename(f)}`, { size: 9 });
  }

  footer(doc, `${ctx.business.name} – ${fr ? 'dossier de recouvrement' : 'collection file'} ${ctx.client.code}`);
  await writePdf(doc, file);
}
