/**
 * Matching a statement line to invoices. Pure: the ledger is seen through LedgerView, which the
 * engine (bank/engine.ts) fills from the store. For each credit line, in this order:
 *  1. certain: an invoice's payment reference (its RF creditor reference, core/payment-reference.ts)
 *     or its number, found in the remittance information or the label, spacing and case ignored,
 *     in the line's currency: the money goes to those invoices in the order they are written, each
 *     up to its balance, the rest as client credit;
 *  2. probable: no reference, but the payer is known (an IBAN learned from an earlier certain match
 *     of one client, or a name close to a client's) and the amount is exactly the balance of one of
 *     that client's open invoices, of a set of them, or a due instalment of a plan;
 *  3. otherwise unmatched, with why.
 * A reference to an invoice in another currency never matches automatically.
 */
import type { Cents } from '../core/money.js';
import { isCreditorReference, referenceBody } from '../core/payment-reference.js';
import type { StatementLine } from './types.js';
import { t, type MessageKey, type Params } from '../i18n/index.js';

/** A match's reason is stored and printed in --json in English; the terminal shows it translated (cli/bank-output.ts). */
const en = (key: MessageKey, params?: Params) => t(key, params, 'en');

export interface ViewInvoice {
  id: number;
  number: string;
  clientId: number;
  currency: string;
  issueDate: string;
  dueDate: string;
  balance: Cents;
  /** Amounts still owed on the instalments of an active plan due on or before the line's date + 10 days. */
  dueInstalments: Cents[];
  /** A credit note cancels it: nothing is payable (store/payments.ts checkPayable). */
  credited?: boolean;
}

export interface ViewClient {
  id: number;
  code: string;
  name: string;
  /** nameWords(name), computed once. */
  words?: string[];
}

export interface LedgerView {
  /** The open invoice whose key (referenceKey of its number) this is. */
  invoiceByKey(key: string): { id: number; clientId: number } | undefined;
  /** An invoice's current figures. */
  invoice(id: number, onDate: string): ViewInvoice;
  /** The clients that paid from this IBAN before (learned from certain matches). */
  clientsByIban(iban: string): number[];
  /** Clients whose name shares a word with these normalised words. */
  clientsByWords(words: readonly string[]): ViewClient[];
  client(id: number): ViewClient;
  /** A client's open invoices (balance > 0) in a currency, issued on or before the date, oldest due first. */
  openInvoices(clientId: number, currency: string, onDate: string): ViewInvoice[];
  /**
   * The parts of openInvoices(clientId, currency, onDate) matchLine reads for an amount, each read
   * only when asked (a view that can read them apart: bank/engine.ts); without it, openInvoices.
   */
  payerInvoices?(clientId: number, currency: string, onDate: string, amount: Cents): PayerInvoices;
}

/** What matchLine reads of a payer's open invoices for an amount, in the order it needs them. */
export interface PayerInvoices {
  /** Those whose balance is the amount (any order; others may be there too). */
  exact(): readonly ViewInvoice[];
  /** Those with instalments due (any order; others may be there too). */
  planned(): readonly ViewInvoice[];
  /** The SUBSET_MAX oldest due first (more may follow). */
  oldest(): readonly ViewInvoice[];
}

const wholeList = (open: readonly ViewInvoice[]): PayerInvoices => ({ exact: () => open, planned: () => open, oldest: () => open });

export interface Allocation {
  invoiceId: number;
  number: string;
  amount: Cents;
}

export type Match =
  | { kind: 'certain'; clientId: number; allocations: Allocation[]; credit: Cents; why: string }
  | { kind: 'probable'; clientId: number; allocations: Allocation[]; credit: Cents; why: string }
  | { kind: 'unmatched'; why: string }
  | { kind: 'debit'; why: string };

/** The key an invoice is found by: its number's letters and digits, upper case (the RF body, 21 at most). */
export function referenceKey(number: string): string {
  const body = referenceBody(number);
  return body.length > 21 ? body.slice(-21) : body;
}

const MAX_WINDOW = 7;
/** More candidate clients than this for one payer: too vague to propose anything. */
export const MAX_PAYERS = 5;

/**
 * Every invoice a text names, in order of first mention, each once: RF references (checked with
 * their check digits) and invoice numbers, read across spaces the payer may have typed inside them
 * ("F 2026 0042", "rf18f20260042") and after a prefix glued to them ("REF:F-2026-0042").
 */
export function findInvoices(texts: readonly string[], view: Pick<LedgerView, 'invoiceByKey'>): { id: number; clientId: number }[] {
  const found = new Map<number, { id: number; clientId: number }>();
  const add = (hit: { id: number; clientId: number } | undefined) => {
    if (hit && !found.has(hit.id)) found.set(hit.id, hit);
  };
  for (const text of texts) {
    const tokens = text
      .split(/[\s:;,()=#+*"'<>[\]{}]+/)
      .map(referenceBody)
      .filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      let joined = '';
      for (let w = 0; w < MAX_WINDOW && i + w < tokens.length; w++) {
        joined += tokens[i + w]!;
        if (joined.length > 40) break;
        if (/^RF\d\d/.test(joined)) {
          // an RF reference: its check digits decide; a wrong one is a typo, never read as the number inside it
          if (joined.length >= 5 && isCreditorReference(joined)) add(view.invoiceByKey(joined.slice(4)));
          continue;
        }
        if (!/\d$/.test(joined)) continue;
        add(view.invoiceByKey(joined));
        if (w === 0) {
          // a prefix glued to the number: try what follows each letter run of the token
          for (let k = 1; k < joined.length - 2; k++) {
            const suffix = joined.slice(k);
            if (/^\d+$/.test(suffix) && suffix.length < 5) break; // a short bare number is an amount or a day, not a reference
            add(view.invoiceByKey(suffix));
          }
        }
      }
    }
  }
  return [...found.values()];
}

/** Every key findInvoices would look up in these texts: what to fetch from the ledger first. */
export function candidateKeys(texts: readonly string[], into: Set<string> = new Set()): Set<string> {
  findInvoices(texts, {
    invoiceByKey: (k) => {
      into.add(k);
      return undefined;
    },
  });
  return into;
}

const STOP = new Set(['SA', 'SAS', 'SASU', 'SARL', 'EURL', 'SCI', 'SNC', 'SCOP', 'SELARL', 'STE', 'SOCIETE', 'STE', 'ETS', 'ETABLISSEMENTS', 'CIE', 'ET', 'DE', 'DU', 'DES', 'LA', 'LE', 'LES', 'M', 'MR', 'MME', 'MLLE', 'MONSIEUR', 'MADAME', 'VIR', 'VIREMENT', 'SEPA', 'RECU', 'DE', 'INST', 'INSTANTANE', 'FACTURE', 'FACT', 'REF', 'PAIEMENT', 'REGLEMENT', 'THE', 'LTD', 'GMBH', 'INC', 'LLC', 'AND']);

/** Name words without accents, legal forms or small words, upper case. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w.length >= 2 && !STOP.has(w) && !/^\d+$/.test(w));
}

/** Whether a payer's name (or a label holding it) is close to a client's: every word of the client's name is in it, allowing one typo in words of 5 letters or more. */
export function namesClose(clientName: string | readonly string[], payerText: string | readonly string[]): boolean {
  const want = typeof clientName === 'string' ? nameWords(clientName) : clientName;
  if (want.length === 0) return false;
  const have = typeof payerText === 'string' ? nameWords(payerText) : payerText;
  return want.every((w) => have.some((h) => h === w || (w.length >= 5 && h.length >= 5 && editDistanceAtMost1(w, h))));
}

function editDistanceAtMost1(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Spread an amount over invoices in order, each up to its balance; the rest is credit. */
export function allocateInOrder(amount: Cents, invoices: readonly ViewInvoice[]): { allocations: Allocation[]; credit: Cents } {
  let left = amount;
  const allocations: Allocation[] = [];
  for (const inv of invoices) {
    if (left <= 0) break;
    if (inv.balance <= 0) continue;
    const part = Math.min(left, inv.balance);
    allocations.push({ invoiceId: inv.id, number: inv.number, amount: part });
    left -= part;
  }
  return { allocations, credit: left };
}

/** How many of a payer's oldest due open invoices uniqueSubset tries sets of. */
export const SUBSET_MAX = 12;

/** The one subset of invoices (up to SUBSET_MAX of them, oldest due first) whose balances add up to the amount, or null when none or several do. */
export function uniqueSubset(amount: Cents, invoices: readonly ViewInvoice[]): ViewInvoice[] | null {
  const list = invoices.slice(0, SUBSET_MAX);
  const n = list.length;
  // sums[mask] from the mask without its lowest bit: one addition per subset
  const sums = new Float64Array(1 << n);
  let hit = -1;
  for (let mask = 1; mask < 1 << n; mask++) {
    const low = mask & -mask;
    sums[mask] = sums[mask ^ low]! + list[31 - Math.clz32(low)]!.balance;
    if (sums[mask] === amount) {
      if (hit >= 0) return null;
      hit = mask;
    }
  }
  return hit < 0 ? null : list.filter((_, k) => hit & (1 << k));
}

const fmt = (c: Cents, cur: string) => `${(c / 100).toFixed(2)} ${cur}`;

/** The texts of a line where an invoice may be named. */
export const lineTexts = (line: StatementLine): string[] => [...line.references, ...line.remittance, line.label];

/**
 * Who may have paid a line that names no invoice: the clients that paid from its IBAN before, or,
 * only when the IBAN is not known, those whose name is close to the payer's. Client id -> why.
 * More than MAX_PAYERS is too vague to propose anything (matchLine says so).
 */
export function payerCandidates(line: StatementLine, view: Pick<LedgerView, 'clientsByIban' | 'clientsByWords'>): Map<number, string> {
  const payer = new Map<number, string>();
  if (line.payerIban) for (const id of view.clientsByIban(line.payerIban)) payer.set(id, en('books.match.knownIban', { iban: line.payerIban }));
  if (payer.size === 0) {
    // a known IBAN says who pays; only without one is the name read
    const nameText = line.payerName ?? line.label;
    const words = nameWords(nameText);
    if (words.length) for (const c of view.clientsByWords(words)) if (namesClose(c.words ?? c.name, words)) payer.set(c.id, en('books.match.closeName', { payer: nameText, client: c.name }));
  }
  return payer;
}

/** Match one line; `hits` are findInvoices of its texts when the caller has them already. */
export function matchLine(line: StatementLine, view: LedgerView, hits: readonly { id: number; clientId: number }[] = line.amount > 0 && !line.reversal ? findInvoices(lineTexts(line), view) : []): Match {
  if (line.amount <= 0) return { kind: 'debit', why: line.reversal ? en('books.match.reversalOut') : en('books.match.moneyOut') };
  if (line.reversal) return { kind: 'unmatched', why: en('books.match.reversalIn') };
  if (hits.length > 0) {
    const invoices = hits.map((h) => view.invoice(h.id, line.bookingDate));
    const other = invoices.find((i) => i.currency !== line.currency);
    if (other) return { kind: 'unmatched', why: en('books.match.otherCurrency', { number: other.number, currency: other.currency, money: line.currency }) };
    const cancelled = invoices.find((i) => i.credited);
    if (cancelled) return { kind: 'unmatched', why: en('books.match.cancelled', { number: cancelled.number }) };
    const clients = new Set(invoices.map((i) => i.clientId));
    if (clients.size > 1) return { kind: 'unmatched', why: en('books.match.severalClients', { n: clients.size, numbers: invoices.map((i) => i.number).join(', ') }) };
    const late = invoices.find((i) => i.issueDate > line.bookingDate);
    if (late) return { kind: 'unmatched', why: en('books.match.issuedAfter', { number: late.number, date: late.issueDate }) };
    const { allocations, credit } = allocateInOrder(line.amount, invoices);
    // the reason is written when read (printed, --json): a script's import of thousands of certain lines never reads it
    return {
      kind: 'certain',
      clientId: invoices[0]!.clientId,
      allocations,
      credit,
      get why() {
        const names = invoices.map((i) => i.number).join(', ');
        return credit > 0 ? en('books.match.referenceCredit', { numbers: names, credit: fmt(credit, line.currency) }) : en('books.match.reference', { numbers: names });
      },
    };
  }
  // Probable: a known payer and an amount that fits.
  const payer = payerCandidates(line, view);
  if (payer.size > MAX_PAYERS) return { kind: 'unmatched', why: en('books.match.anyOf', { n: payer.size }) };
  const proposals: Match[] = [];
  for (const [clientId, who] of payer) {
    const open = view.payerInvoices?.(clientId, line.currency, line.bookingDate, line.amount) ?? wholeList(view.openInvoices(clientId, line.currency, line.bookingDate));
    const exact = open.exact().filter((i) => i.balance === line.amount);
    if (exact.length === 1) {
      proposals.push({ kind: 'probable', clientId, allocations: [{ invoiceId: exact[0]!.id, number: exact[0]!.number, amount: line.amount }], credit: 0, why: en('books.match.balanceOf', { who, numbers: exact[0]!.number }) });
      continue;
    }
    if (exact.length > 1) continue; // several invoices of that amount: which one is for a person to say
    const instal = open.planned().filter((i) => i.dueInstalments.includes(line.amount));
    if (instal.length === 1) {
      proposals.push({ kind: 'probable', clientId, allocations: [{ invoiceId: instal[0]!.id, number: instal[0]!.number, amount: line.amount }], credit: 0, why: en('books.match.instalment', { who, number: instal[0]!.number }) });
      continue;
    }
    const set = uniqueSubset(line.amount, open.oldest());
    if (set && set.length > 1) {
      proposals.push({ kind: 'probable', clientId, allocations: set.map((i) => ({ invoiceId: i.id, number: i.number, amount: i.balance })), credit: 0, why: en('books.match.balanceOf', { who, numbers: set.map((i) => i.number).join(' + ') }) });
    }
  }
  if (proposals.length === 1) return proposals[0]!;
  if (proposals.length > 1) return { kind: 'unmatched', why: en('books.match.fitsSeveral', { n: proposals.length }) };
  if (payer.size) return { kind: 'unmatched', why: en('books.match.noFit', { who: [...payer.values()][0] }) };
  return { kind: 'unmatched', why: en('books.match.nothing') };
}
