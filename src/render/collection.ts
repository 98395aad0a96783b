/**
 * The level-4 handover: a collection file for an agency, a commissaire de justice (simplified
 * recovery of small claims up to 5 000 EUR in principal and interest) or an injonction de payer. One folder per client and
 * date holding dossier.pdf (summary, invoices, penalty computation, reminders sent, call log), copies
 * of the letters sent, and the invoice PDFs when given. The folder is built under a temporary name
 * and renamed, so it either exists complete or not at all. Wholly in the client's language: every
 * word comes from DOSSIER_LABELS (statuses, channels and subjects included). The business logo, when
 * the ledger has one, heads dossier.pdf as it heads the documents and letters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatMoney, type Cents } from '../core/money.js';
import { createPdf, drawLogo, ensureSpace, footer, MARGIN, table, write, writePdf, type PdfLogo } from './pdf.js';
import { invoiceRows } from './letter-pdf.js';
import { formatRate, type Lang, type MessageContext } from './templates.js';
import { crashPoint } from '../system/crash.js';
import { DIR_MODE, FILE_MODE, makeDir } from '../system/files.js';
import type { IsoDate } from '../core/dates.js';
import { smallClaimCheck } from '../core/small-claims.js';

export interface CollectionInput {
  ctx: MessageContext;
  /** The debtor's identifiers, printed on the file (a professional debtor without SIREN says so). */
  debtor: { siren: string | null; vatNumber: string | null };
  penalties: {
    number: string;
    dueDate: IsoDate;
    /** interest runs from this day (a consumer: the day after the formal notice; null: not yet) */
    startsOn: IsoDate | null;
    lines: { from: string; to: string; days: number; base: Cents; rateBp: number | null; basis: 'ecb+10' | 'contract' | 'legal'; amount: Cents | null }[];
    interest: Cents | null;
    indemnity: Cents;
    currency: string;
  }[];
  /** Reminders sent before this handover (the handover itself is not listed). */
  history: { date: string; level: number; channel: string | null; status: string | null; subject: string | null; number: string }[];
  /** Each formal notice sent, with its proof of posting (`relance todo posted`), or null when none was recorded. */
  notices: { date: IsoDate; numbers: string[]; posted: { at: string; tracking: string | null } | null }[];
  /** The call log; a letter marked posted carries `posted` (its message and tracking number). */
  contacts: { at: string; channel: string; withWhom: string | null; outcome: string; promiseDate: string | null; promiseAmount: Cents | null; posted: { message: number; tracking: string | null } | null }[];
  /** Letter PDFs already sent to the client, copied into the folder. */
  letters: string[];
  invoicePdfs: { filename: string; content: Buffer }[];
  /** The business logo (the ledger's current one, as letters have it), drawn at the top; none: no logo. */
  logo?: PdfLogo | null;
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

// ---------------------------------------------------------------------------------------------
// The catalogue: every word the collection file prints, per language (nothing raw: statuses,
// channels and subjects go through it). One date format: DD/MM/YYYY (with HH:MM for a time).

type Basis = 'ecb+10' | 'contract' | 'legal';

export interface DossierLabels {
  title: string;
  prepared: (d: string) => string;
  creditor: string;
  debtor: string;
  clientCode: (code: string) => string;
  siren: (s: string) => string;
  noSiren: string;
  vat: (v: string) => string;
  consumer: string;
  professional: string;
  claims: string;
  totals: (principal: string, interest: string, indemnity: string, total: string) => string;
  recourse: string;
  smallClaimYes: (amount: string) => string;
  smallClaimNo: (amount: string) => string;
  smallClaimOtherCurrency: string;
  court: (form: CourtForm) => string;
  agency: string;
  computation: (d: string) => string;
  noPenalties: string;
  rule: (o: { consumer: boolean; basis: Basis; rate: string | null; startsOn: string | null; due: string }) => string;
  cols: { from: string; to: string; days: string; base: string; rate: string; amount: string };
  interestLine: (interest: string, indemnity: string) => string;
  reminders: string;
  none: string;
  histCols: { date: string; level: string; invoice: string; channel: string; status: string; subject: string };
  notice: string;
  noNotice: string;
  noticePosted: (date: string, numbers: string, at: string, tracking: string | null) => string;
  noticeNotPosted: (date: string, numbers: string) => string;
  callLog: string;
  contactCols: { when: string; channel: string; with: string; outcome: string; promise: string };
  posted: (message: number, tracking: string | null) => string;
  enclosed: string;
  footer: string;
  channels: Record<string, string>;
  statuses: Record<string, string>;
  subjects: { call: string; handover: string };
}

export const DOSSIER_LABELS: Record<Lang, DossierLabels> = {
  fr: {
    title: 'Dossier de recouvrement',
    prepared: (d) => `Établi le ${d}`,
    creditor: 'Créancier',
    debtor: 'Débiteur',
    clientCode: (c) => `Code client : ${c}`,
    siren: (s) => `SIREN ${s}`,
    noSiren: 'SIREN non renseigné',
    vat: (v) => `TVA intracommunautaire ${v}`,
    consumer: 'Particulier (consommateur)',
    professional: 'Professionnel',
    claims: 'Créances',
    totals: (p, i, f, t) => `Principal ${p} · pénalités ${i} · indemnités forfaitaires ${f} · total ${t}`,
    recourse: 'Voies de recouvrement',
    smallClaimYes: (a) => `Montant en principal et intérêts : ${a}, au plus 5 000 € : la procédure simplifiée de recouvrement des petites créances est ouverte, par un commissaire de justice (articles L125-1 et R125-1 du Code des procédures civiles d'exécution).`,
    smallClaimNo: (a) => `Montant en principal et intérêts : ${a}, au-delà de 5 000 € : la procédure simplifiée de recouvrement des petites créances n'est pas ouverte (article R125-1 du Code des procédures civiles d'exécution).`,
    smallClaimOtherCurrency: "Une partie de la créance n'est pas en euros : la procédure simplifiée de recouvrement des petites créances (plafond de 5 000 € en principal et intérêts) n'est pas proposée.",
    court: (f) =>
      f.cerfa === '12948'
        ? `Injonction de payer : requête devant le ${f.court} du domicile du débiteur (formulaire Cerfa n° ${f.cerfa}), le débiteur étant un particulier.`
        : `Injonction de payer : requête devant le président du ${f.court} du siège du débiteur (formulaire Cerfa n° ${f.cerfa}), la créance étant commerciale.`,
    agency: 'Ou remise du dossier à une agence de recouvrement.',
    computation: (d) => `Calcul des pénalités au ${d}`,
    noPenalties: 'Aucune pénalité réclamée.',
    rule: ({ consumer, basis, rate, startsOn, due }) =>
      consumer
        ? startsOn
          ? `Débiteur particulier : intérêts au taux de l'intérêt légal à compter du ${startsOn}, lendemain de la mise en demeure (article 1344-1 du Code civil) ; pas d'indemnité forfaitaire.`
          : "Débiteur particulier : pas de pénalités de l'article L441-10 ni d'indemnité forfaitaire ; l'intérêt légal ne court qu'à compter d'une mise en demeure."
        : basis === 'contract'
          ? `Débiteur professionnel : taux contractuel${rate ? ` de ${rate}` : ''} à compter du lendemain de l'échéance du ${due}, plus l'indemnité forfaitaire de 40 € (articles L441-10 et D441-5 du Code de commerce).`
          : `Débiteur professionnel : taux de la BCE en vigueur au 1er janvier ou au 1er juillet majoré de 10 points, à compter du lendemain de l'échéance du ${due}, plus l'indemnité forfaitaire de 40 € (articles L441-10 et D441-5 du Code de commerce).`,
    cols: { from: 'Du', to: 'Au', days: 'Jours', base: 'Base TTC', rate: 'Taux', amount: 'Montant' },
    interestLine: (i, f) => `Pénalités ${i} · indemnité forfaitaire ${f}`,
    reminders: 'Relances envoyées',
    none: 'Aucune.',
    histCols: { date: 'Date', level: 'Niveau', invoice: 'Facture', channel: 'Canal', status: 'Statut', subject: 'Objet' },
    notice: 'Mise en demeure et preuve de dépôt',
    noNotice: "Aucune mise en demeure n'a été envoyée à ce débiteur.",
    noticePosted: (d, n, at, t) => `Mise en demeure du ${d} (${n}) : déposée à la Poste le ${at}${t ? `, lettre recommandée avec accusé de réception n° ${t}` : ', sans numéro de recommandé enregistré'}.`,
    noticeNotPosted: (d, n) => `Mise en demeure du ${d} (${n}) : aucune preuve de dépôt n'a été enregistrée (relance todo posted).`,
    callLog: 'Journal des contacts',
    contactCols: { when: 'Date', channel: 'Canal', with: 'Interlocuteur', outcome: 'Résultat', promise: 'Promesse' },
    posted: (m, t) => `Courrier de relance n° ${m} déposé à la Poste${t ? `, recommandé n° ${t}` : ''}`,
    enclosed: 'Courriers joints',
    footer: 'dossier de recouvrement',
    channels: { email: 'courriel', letter: 'courrier', call: 'appel', handover: 'recouvrement', visit: 'visite', meeting: 'rendez-vous' },
    statuses: { sent: 'envoyé', written: 'produit', outbox: "en boîte d'envoi", failed: 'échec', uncertain: 'incertain', sending: 'en cours' },
    subjects: { call: 'Appel à passer', handover: 'Transmission au recouvrement' },
  },
  en: {
    title: 'Collection file',
    prepared: (d) => `Prepared on ${d}`,
    creditor: 'Creditor',
    debtor: 'Debtor',
    clientCode: (c) => `Client code: ${c}`,
    siren: (s) => `SIREN ${s}`,
    noSiren: 'SIREN not recorded',
    vat: (v) => `VAT number ${v}`,
    consumer: 'Private individual (consumer)',
    professional: 'Business',
    claims: 'Claims',
    totals: (p, i, f, t) => `Principal ${p} · interest ${i} · fixed recovery fees ${f} · total ${t}`,
    recourse: 'Ways to recover',
    smallClaimYes: (a) => `Principal and interest: ${a}, at most €5,000: the simplified small-claims recovery is available through a commissaire de justice (articles L125-1 and R125-1 of the French Code of Civil Enforcement Procedures).`,
    smallClaimNo: (a) => `Principal and interest: ${a}, above €5,000: the simplified small-claims recovery is not available (article R125-1 of the French Code of Civil Enforcement Procedures).`,
    smallClaimOtherCurrency: 'Part of the claim is not in euros: the simplified small-claims recovery (capped at €5,000 in principal and interest) is not offered.',
    court: (f) =>
      f.cerfa === '12948'
        ? `Order to pay (injonction de payer): an application to the ${f.court} of the debtor's domicile (form Cerfa ${f.cerfa}), the debtor being a private individual.`
        : `Order to pay (injonction de payer): an application to the president of the ${f.court} of the debtor's registered office (form Cerfa ${f.cerfa}), the claim being commercial.`,
    agency: 'Or hand the file over to a collection agency.',
    computation: (d) => `Interest computed as of ${d}`,
    noPenalties: 'No interest claimed.',
    rule: ({ consumer, basis, rate, startsOn, due }) =>
      consumer
        ? startsOn
          ? `Private debtor: interest at the statutory rate from ${startsOn}, the day after the formal notice (article 1344-1 of the French Civil Code); no fixed recovery fee.`
          : 'Private debtor: no L441-10 late-payment interest and no fixed recovery fee; statutory interest runs only from a formal notice.'
        : basis === 'contract'
          ? `Business debtor: contractual rate${rate ? ` of ${rate}` : ''} from the day after the due date ${due}, plus the fixed recovery fee of €40 (articles L441-10 and D441-5 of the French Commercial Code).`
          : `Business debtor: ECB rate in force on 1 January or 1 July plus 10 points, from the day after the due date ${due}, plus the fixed recovery fee of €40 (articles L441-10 and D441-5 of the French Commercial Code).`,
    cols: { from: 'From', to: 'To', days: 'Days', base: 'Base incl. VAT', rate: 'Rate', amount: 'Amount' },
    interestLine: (i, f) => `Interest ${i} · fixed recovery fee ${f}`,
    reminders: 'Reminders sent',
    none: 'None.',
    histCols: { date: 'Date', level: 'Level', invoice: 'Invoice', channel: 'Channel', status: 'Status', subject: 'Subject' },
    notice: 'Formal notice and proof of posting',
    noNotice: 'No formal notice was sent to this debtor.',
    noticePosted: (d, n, at, t) => `Formal notice of ${d} (${n}): posted on ${at}${t ? `, registered letter with acknowledgement of receipt no. ${t}` : ', no registered-mail number recorded'}.`,
    noticeNotPosted: (d, n) => `Formal notice of ${d} (${n}): no proof of posting was recorded (relance todo posted).`,
    callLog: 'Call log',
    contactCols: { when: 'Date', channel: 'Channel', with: 'With', outcome: 'Outcome', promise: 'Promise' },
    posted: (m, t) => `Reminder letter no. ${m} posted${t ? `, registered mail no. ${t}` : ''}`,
    enclosed: 'Letters enclosed',
    footer: 'collection file',
    channels: { email: 'email', letter: 'letter', call: 'call', handover: 'collection', visit: 'visit', meeting: 'meeting' },
    statuses: { sent: 'sent', written: 'produced', outbox: 'in the outbox', failed: 'failed', uncertain: 'uncertain', sending: 'in progress' },
    subjects: { call: 'Call to make', handover: 'Handed over for collection' },
  },
};

/** 2026-03-05 -> 05/03/2026; a local time 2026-03-02T14:30:00+01:00 -> 02/03/2026 14:30. */
export function dossierDate(d: string): string {
  const [y, m, day] = d.slice(0, 10).split('-');
  const time = /T(\d{2}:\d{2})/.exec(d)?.[1];
  return `${day}/${m}/${y}${time ? ` ${time}` : ''}`;
}

export interface CourtForm {
  cerfa: '12948' | '12946';
  court: 'tribunal judiciaire' | 'tribunal de commerce';
}

/**
 * The injonction de payer that applies to this debtor, one and never both: a consumer's debt is
 * civil (tribunal judiciaire, Cerfa 12948); a business's is taken as commercial (tribunal de
 * commerce, Cerfa 12946), as french-rules.md §6 says.
 */
export function courtForm(consumer: boolean): CourtForm {
  return consumer ? { cerfa: '12948', court: 'tribunal judiciaire' } : { cerfa: '12946', court: 'tribunal de commerce' };
}

async function writeDossier(file: string, input: CollectionInput): Promise<void> {
  const { ctx } = input;
  const L = DOSSIER_LABELS[ctx.lang];
  const doc = await createPdf({
    title: `${L.title} – ${ctx.client.name}`,
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
  const d = dossierDate;

  // The business logo at the top left, as on its documents and letters (the same box as statements).
  const top = input.logo ? (await drawLogo(doc, input.logo, MARGIN, MARGIN, { width: 160, height: 56 })) + 8 : MARGIN;
  write(doc, L.title, { x: MARGIN, y: top, width, size: 16, bold: true });
  doc.y += 6;
  p(L.prepared(d(ctx.reminderDate)));

  h(L.creditor);
  p([ctx.business.name, ctx.business.legalForm, ...ctx.business.address, ctx.business.siren ? L.siren(ctx.business.siren) : null, ctx.business.vatNumber ? L.vat(ctx.business.vatNumber) : null, ctx.business.email, ctx.business.phone, ctx.business.iban ? `IBAN ${ctx.business.iban}` : null].filter(Boolean).join('\n'));
  h(L.debtor);
  const consumer = ctx.client.consumer;
  p(
    [
      ctx.client.name,
      L.clientCode(ctx.client.code),
      ctx.client.contactName,
      ...ctx.client.address,
      ctx.client.email,
      consumer ? L.consumer : L.professional,
      input.debtor.siren ? L.siren(input.debtor.siren) : consumer ? null : L.noSiren,
      input.debtor.vatNumber ? L.vat(input.debtor.vatNumber) : null,
    ]
      .filter(Boolean)
      .join('\n'),
  );

  h(L.claims);
  const t = invoiceRows(ctx);
  table(doc, t.columns, t.rows, { x: MARGIN, boldRows: t.bold, size: 8.5 });
  doc.y += 6;
  for (const tot of ctx.totals) p(L.totals(m(tot.balance, tot.currency), m(tot.penalty, tot.currency), m(tot.indemnity, tot.currency), m(tot.total, tot.currency)), { size: 10 });

  h(L.recourse);
  const small = smallClaimCheck(ctx.totals);
  p(small.amount === null ? L.smallClaimOtherCurrency : small.eligible ? L.smallClaimYes(m(small.amount)) : L.smallClaimNo(m(small.amount)), { size: 9.5 });
  p(L.court(courtForm(consumer)), { size: 9.5 });
  p(L.agency, { size: 9.5 });

  h(L.computation(d(ctx.reminderDate)));
  if (input.penalties.length === 0) p(L.noPenalties);
  for (const pen of input.penalties) {
    const contractRate = pen.lines.find((l) => l.basis === 'contract')?.rateBp ?? null;
    const basis: Basis = pen.lines[0]?.basis ?? (consumer ? 'legal' : 'ecb+10');
    p(`${pen.number} – ${L.rule({ consumer, basis, rate: contractRate === null ? null : formatRate(contractRate, ctx.lang), startsOn: pen.startsOn ? d(pen.startsOn) : null, due: d(pen.dueDate) })}`, { size: 9 });
    if (pen.lines.length > 0) {
      table(
        doc,
        [
          { header: L.cols.from, width: 70 },
          { header: L.cols.to, width: 70 },
          { header: L.cols.days, width: 45, align: 'right' },
          { header: L.cols.base, width: 90, align: 'right' },
          { header: L.cols.rate, width: 60, align: 'right' },
          { header: L.cols.amount, width: 80, align: 'right' },
        ],
        pen.lines.map((l) => [d(l.from), d(l.to), String(l.days), m(l.base, pen.currency), l.rateBp === null ? '?' : formatRate(l.rateBp, ctx.lang), m(l.amount, pen.currency)]),
        { x: MARGIN, size: 8 },
      );
      doc.y += 3;
    }
    p(L.interestLine(m(pen.interest, pen.currency), m(pen.indemnity, pen.currency)), { size: 9 });
    doc.y += 4;
  }

  h(L.reminders);
  const word = (dict: Record<string, string>, v: string | null) => (v === null ? "" : (dict[v] ?? v));
  if (input.history.length === 0) p(L.none);
  else
    table(
      doc,
      [
        { header: L.histCols.date, width: 70 },
        { header: L.histCols.level, width: 38, align: 'right' },
        { header: L.histCols.invoice, width: 90 },
        { header: L.histCols.channel, width: 60 },
        { header: L.histCols.status, width: 72 },
        { header: L.histCols.subject, width: width - 330 },
      ],
      input.history.map((r) => [d(r.date), String(r.level), r.number, word(L.channels, r.channel), word(L.statuses, r.status === 'written' && r.channel === 'email' ? 'outbox' : r.status), r.channel === 'call' || r.channel === 'handover' ? L.subjects[r.channel] : (r.subject ?? '')]),
      { x: MARGIN, size: 8 },
    );

  h(L.notice);
  if (input.notices.length === 0) p(L.noNotice, { size: 9.5 });
  for (const n of input.notices) {
    const numbers = n.numbers.join(', ');
    p(n.posted ? L.noticePosted(d(n.date), numbers, d(n.posted.at), n.posted.tracking) : L.noticeNotPosted(d(n.date), numbers), { size: 9.5 });
  }

  h(L.callLog);
  if (input.contacts.length === 0) p(L.none);
  else
    table(
      doc,
      [
        { header: L.contactCols.when, width: 90 },
        { header: L.contactCols.channel, width: 60 },
        { header: L.contactCols.with, width: 80 },
        { header: L.contactCols.outcome, width: width - 320 },
        { header: L.contactCols.promise, width: 90 },
      ],
      input.contacts.map((c) => [d(c.at), word(L.channels, c.channel), c.withWhom ?? '', c.posted ? L.posted(c.posted.message, c.posted.tracking) : c.outcome, c.promiseDate ? `${d(c.promiseDate)}${c.promiseAmount !== null ? ` ${m(c.promiseAmount)}` : ''}` : '']),
      { x: MARGIN, size: 8 },
    );

  if (input.letters.length > 0) {
    h(L.enclosed);
    for (const f of input.letters) p(`courrier-${path.basename(f)}`, { size: 9 });
  }

  footer(doc, `${ctx.business.name} – ${L.footer} ${ctx.client.code}`);
  await writePdf(doc, file);
}
