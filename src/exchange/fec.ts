/**
 * The Fichier des Écritures Comptables (art. L47 A and A47 A-1 of the Livre des procédures fiscales)
 * of what relance knows: its sales and bank journals (entries.ts), rendered as the 18 columns in
 * their order, one line per entry line, tab- or pipe-separated, dates AAAAMMJJ, amounts with a
 * decimal comma and no thousands separator, the file named SIRENFECAAAAMMJJ.txt after the closing
 * date. Pure: the command reads the ledger and writes the file.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { BookClient, Entry, EntryLine, Role } from './entries.js';

export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export interface FecSettings {
  accounts: Record<Role, string>;
  journals: { sales: string; bank: string };
}

const ACCOUNT_LABELS: Record<Role, string> = {
  receivable: 'Clients',
  services: 'Prestations de services',
  goods: 'Ventes de marchandises',
  vat: 'TVA collectée',
  deposits: 'Clients - avances et acomptes reçus sur commandes',
  penalties: 'Revenus des créances commerciales',
  bank: 'Banque',
};

const JOURNAL_LABELS = { sales: 'Journal des ventes', bank: 'Journal de banque' } as const;

/** 2026-03-31 -> 20260331 */
export const fecDate = (d: IsoDate | null | undefined) => (d ? d.replace(/-/g, '') : '');

/** 123456 -> "1234,56"; 0 -> "0,00" */
export function fecAmount(c: Cents): string {
  const a = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(a / 100)},${String(a % 100).padStart(2, '0')}`;
}

export function fecFileName(siren: string, closing: IsoDate): string {
  return `${siren}FEC${fecDate(closing)}.txt`;
}

const rateText = (bp: number) => `${(bp / 100).toString().replace('.', ',')} %`;

export interface FecResult {
  text: string;
  /** entries and lines written */
  entries: number;
  lines: number;
  debit: Cents;
  credit: Cents;
  /** currencies other than EUR met (their amounts are not converted) */
  foreign: string[];
}

/**
 * The FEC of the entries dated from..to (inclusive). EcritureNum runs 1, 2, 3... over the file in
 * date order (a continuous sequence); ValidDate is the entry's date (relance's documents and
 * payments are final when recorded).
 */
export function buildFec(all: readonly Entry[], clients: readonly BookClient[], s: FecSettings, o: { from: IsoDate; to: IsoDate; separator: '\t' | '|' }): FecResult {
  const sep = o.separator;
  const clean = (t: string) => t.replace(/[\t|\r\n]+/g, ' ').trim();
  const byId = new Map(clients.map((c) => [c.id, c]));
  const out: string[] = [FEC_COLUMNS.join(sep)];
  let n = 0;
  let lines = 0;
  let debit = 0;
  let credit = 0;
  const foreign = new Set<string>();
  for (const e of all) {
    if (e.date < o.from || e.date > o.to) continue;
    n++;
    if (e.currency !== 'EUR') foreign.add(e.currency);
    for (const l of e.lines) {
      const client = l.role === 'receivable' ? byId.get(l.clientId!) : undefined;
      const label = l.role === 'vat' ? `${e.label} TVA ${rateText(l.vatBp ?? 0)}` : e.label;
      const row = [
        s.journals[e.journal],
        JOURNAL_LABELS[e.journal],
        String(n),
        fecDate(e.date),
        s.accounts[l.role],
        l.role === 'vat' ? `${ACCOUNT_LABELS.vat} ${rateText(l.vatBp ?? 0)}` : ACCOUNT_LABELS[l.role],
        client?.code ?? '',
        client?.name ?? '',
        e.piece,
        fecDate(e.date),
        label,
        fecAmount(l.amount > 0 ? l.amount : 0),
        fecAmount(l.amount < 0 ? -l.amount : 0),
        l.letter ?? '',
        fecDate(l.letterDate),
        fecDate(e.date),
        e.currency === 'EUR' ? '' : fecAmount(Math.abs(l.amount)),
        e.currency === 'EUR' ? '' : e.currency,
      ].map(clean);
      out.push(row.join(sep));
      lines++;
      if (l.amount > 0) debit += l.amount;
      else credit -= l.amount;
    }
  }
  return { text: out.join('\r\n') + '\r\n', entries: n, lines, debit, credit, foreign: [...foreign] };
}

export type { EntryLine };
