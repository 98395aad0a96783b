/**
 * The receivables as double-entry bookkeeping, from plain ledger data (pure): the one model the FEC
 * (fec.ts) and the plain-text journal (journal.ts) both render, so the accountant's file and the
 * hledger journal cannot disagree.
 *
 * Sales journal, one entry per issued document (plan comptable general):
 *   invoice        411 client  D gross | 706 services / 707 goods  C base per rate | 44571 C VAT per rate
 *   deposit        411 D gross | 4191 deposits received C base | 44571 C VAT (VAT is due on the deposit)
 *   final invoice  411 D amount due | 4191 D each deposit's base | 706/707 C the whole sale's base |
 *                  44571 C the sale's VAT less the deposits' VAT, per rate
 *   penalty        411 D | 7627 C (no VAT)
 *   credit note    the entry of what it cancels, reversed (its own amounts)
 * Bank journal, one entry per payment: 512 D / 411 C; a reversal (a negative payment) the other way.
 *
 * Lettering: the 411 lines of documents and payments joined by allocations, credit notes and
 * reversals form groups; a group whose 411 lines sum to zero is lettered (upper-case code, dated
 * when its last line is), one that does not yet is partly lettered (lower-case code, no date).
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { BookClient, BookDocument, BookPayment } from '../store/exports.js';

export type { BookClient, BookDocument, BookPayment };

export type Role = 'receivable' | 'services' | 'goods' | 'vat' | 'deposits' | 'penalties' | 'bank';

export interface EntryLine {
  role: Role;
  /** VAT lines: the rate */
  vatBp?: number;
  /** receivable lines: the client */
  clientId?: number;
  /** positive: debit; negative: credit */
  amount: Cents;
  /** receivable lines: the lettering code and date, when lettered */
  letter?: string;
  letterDate?: IsoDate | null;
}

export interface Entry {
  journal: 'sales' | 'bank';
  date: IsoDate;
  /** the document number, or PAY-<id> */
  piece: string;
  label: string;
  currency: string;
  clientId: number;
  source: { kind: 'document'; id: number } | { kind: 'payment'; id: number };
  lines: EntryLine[];
}




const RECEIVABLE_SIGN = (kind: BookDocument['kind']) => (kind === 'credit_note' ? -1 : 1);

function revenueRole(kind: BookDocument['kind'], operation: BookDocument['operation']): Role {
  if (kind === 'penalty') return 'penalties';
  if (kind === 'deposit') return 'deposits';
  return operation === 'goods' ? 'goods' : 'services';
}

const KIND_LABEL: Record<BookDocument['kind'], string> = {
  invoice: 'Facture',
  deposit: "Facture d'acompte",
  final: 'Facture de solde',
  penalty: 'Facture de pénalités',
  credit_note: 'Avoir',
};

/** The sales entry of one issued document. */
export function documentEntry(d: BookDocument, client: BookClient): Entry {
  const s = RECEIVABLE_SIGN(d.kind);
  const role = d.kind === 'credit_note' && d.cancels ? revenueRole(d.cancels.kind, d.cancels.operation) : revenueRole(d.kind, d.operation);
  const lines: EntryLine[] = [{ role: 'receivable', clientId: d.clientId, amount: s * (d.kind === 'credit_note' ? d.totalGross : d.amountDue) }];
  const deducted = new Map(d.deductions.map((x) => [x.vatBp, { base: 0, vat: 0 }]));
  for (const x of d.deductions) {
    const t = deducted.get(x.vatBp)!;
    t.base += x.base;
    t.vat += x.vat;
  }
  for (const r of [...d.rates].sort((a, b) => b.vatBp - a.vatBp)) {
    if (r.base !== 0) lines.push({ role, amount: -s * r.base });
    const ded = deducted.get(r.vatBp);
    const vat = r.vat - (ded?.vat ?? 0);
    if (vat !== 0) lines.push({ role: 'vat', vatBp: r.vatBp, amount: -s * vat });
  }
  for (const [vatBp, x] of [...deducted.entries()].sort((a, b) => b[0] - a[0])) {
    if (x.base !== 0) lines.push({ role: 'deposits', amount: s * x.base });
    // A deposit's rate the sale no longer has (refused at issue, so only on odd data): keep the entry balanced.
    if (!d.rates.some((r) => r.vatBp === vatBp) && x.vat !== 0) lines.push({ role: 'vat', vatBp, amount: s * x.vat });
  }
  const of = d.kind === 'credit_note' && d.cancels ? ` (annule ${d.cancels.number})` : '';
  return {
    journal: 'sales',
    date: d.issueDate,
    piece: d.number,
    label: `${KIND_LABEL[d.kind]} ${d.number} ${client.name}${of}${d.imported ? ' (reprise)' : ''}`,
    currency: d.currency,
    clientId: d.clientId,
    source: { kind: 'document', id: d.id },
    lines,
  };
}

/** The bank entry of one payment (or reversal). */
export function paymentEntry(p: BookPayment, client: BookClient): Entry {
  const what = p.reversesId !== null ? `Annulation du règlement PAY-${p.reversesId}` : `Règlement ${client.name}`;
  return {
    journal: 'bank',
    date: p.date,
    piece: `PAY-${p.id}`,
    label: `${what}${p.reference ? ` ${p.reference}` : ''}`,
    currency: p.currency,
    clientId: p.clientId,
    source: { kind: 'payment', id: p.id },
    lines: [
      { role: 'bank', amount: p.amount },
      { role: 'receivable', clientId: p.clientId, amount: -p.amount },
    ],
  };
}

/** Lettering codes: A..Z, AA..ZZ, AAA... (upper case when the group balances). */
export function letterCode(n: number): string {
  let s = '';
  let k = n + 1;
  while (k > 0) {
    const r = (k - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    k = Math.floor((k - 1) / 26);
  }
  return s;
}

/**
 * Every entry of the ledger (all years, in date order, sales before bank on a day), lettered.
 * Callers keep the entries of the period they export; the codes are the same whatever the period.
 */
export function buildEntries(docs: readonly BookDocument[], payments: readonly BookPayment[], clients: readonly BookClient[]): Entry[] {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const entries: Entry[] = [
    ...docs.map((d) => documentEntry(d, byId.get(d.clientId)!)),
    ...payments.map((p) => paymentEntry(p, byId.get(p.clientId)!)),
  ].filter((e) => e.lines.some((l) => l.amount !== 0));
  for (const e of entries) e.lines = e.lines.filter((l) => l.amount !== 0);
  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.journal === b.journal ? (a.source.id - b.source.id) : a.journal === 'sales' ? -1 : 1));

  // Union-find over documents ("d<id>") and payments ("p<id>").
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const d of docs) {
    find(`d${d.id}`);
    if (d.cancels) union(`d${d.cancels.id}`, `d${d.id}`);
  }
  for (const p of payments) {
    find(`p${p.id}`);
    for (const id of p.documentIds) union(`d${id}`, `p${p.id}`);
    if (p.reversesId !== null) union(`p${p.reversesId}`, `p${p.id}`);
  }
  const groups = new Map<string, { sum: Cents; last: IsoDate; members: number; lines: EntryLine[] }>();
  for (const e of entries) {
    const key = find(`${e.source.kind === 'document' ? 'd' : 'p'}${e.source.id}`);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { sum: 0, last: e.date, members: 0, lines: [] }));
    g.members++;
    if (e.date > g.last) g.last = e.date;
    for (const l of e.lines) {
      if (l.role !== 'receivable') continue;
      g.sum += l.amount;
      g.lines.push(l);
    }
  }
  let n = 0;
  for (const g of groups.values()) {
    if (g.members < 2) continue;
    const code = letterCode(n++);
    for (const l of g.lines) {
      l.letter = g.sum === 0 ? code : code.toLowerCase();
      l.letterDate = g.sum === 0 ? g.last : null;
    }
  }
  return entries;
}

/** Debits minus credits of an entry (0 when it balances). */
export function entryBalance(e: Entry): Cents {
  return e.lines.reduce((s, l) => s + l.amount, 0);
}
