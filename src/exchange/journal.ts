/**
 * The receivables as a plain-text journal that hledger and ledger-cli read: the same entries as
 * the FEC (entries.ts), one transaction each, with accounts named for people (Assets:Receivables:CODE,
 * Revenue:Services, Liabilities:VAT:20%, Assets:Bank...). `hledger -f FILE balance Assets:Receivables`
 * gives each client's balance as `relance balance` does. Pure.
 */
import type { Cents } from '../core/money.js';
import type { BookClient, Entry, EntryLine } from './entries.js';

function account(l: EntryLine, clients: ReadonlyMap<number, BookClient>): string {
  switch (l.role) {
    case 'receivable':
      return `Assets:Receivables:${clients.get(l.clientId!)?.code ?? l.clientId}`;
    case 'bank':
      return 'Assets:Bank';
    case 'services':
      return 'Revenue:Services';
    case 'goods':
      return 'Revenue:Goods';
    case 'penalties':
      return 'Revenue:Penalties';
    case 'deposits':
      return 'Liabilities:Deposits received';
    case 'vat':
      return `Liabilities:VAT:${(l.vatBp ?? 0) / 100}%`;
  }
}

export function journalAmount(c: Cents, currency: string): string {
  const a = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')} ${currency}`;
}

/** The journal text; `header` lines become comments at the top. */
export function buildJournal(entries: readonly Entry[], clients: readonly BookClient[], header: readonly string[] = []): string {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const out: string[] = header.map((h) => `; ${h}`);
  if (out.length) out.push('');
  for (const c of [...clients].sort((a, b) => (a.code < b.code ? -1 : 1))) out.push(`account Assets:Receivables:${c.code}  ; ${c.name.replace(/[\r\n]+/g, ' ')}`);
  if (clients.length) out.push('');
  for (const e of entries) {
    // A description stops at ";" (a comment) in hledger: keep it out.
    const desc = `${e.piece} ${e.label}`.replace(/[;\r\n]+/g, ',');
    out.push(`${e.date} * ${desc}`);
    for (const l of e.lines) {
      const letter = l.letter ? `  ; lettrage:${l.letter}` : '';
      out.push(`    ${account(l, byId)}  ${journalAmount(l.amount, e.currency)}${letter}`);
    }
    out.push('');
  }
  return out.join('\n');
}
