/**
 * Allocating money received from a client across its open invoices: the oldest due first (then the
 * oldest issued, then the lowest number); whatever is left is client credit.
 */
import type { Cents } from './money.js';

export interface Allocatable {
  id: number;
  number: string;
  dueDate: string | null;
  issueDate: string;
  balance: Cents;
}

export interface AllocationPlan {
  parts: { id: number; number: string; amount: Cents; settles: boolean }[];
  /** What is left for the client's credit. */
  credit: Cents;
}

export function oldestDueFirst<T extends Allocatable>(items: readonly T[]): T[] {
  const key = (i: Allocatable) => i.dueDate ?? i.issueDate;
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : a.id - b.id));
}

/** Spread `amount` over the items with a positive balance, oldest due first. */
export function allocate(amount: Cents, items: readonly Allocatable[]): AllocationPlan {
  let left = amount;
  const parts: AllocationPlan['parts'] = [];
  for (const it of oldestDueFirst(items)) {
    if (left <= 0) break;
    if (it.balance <= 0) continue;
    const part = Math.min(left, it.balance);
    parts.push({ id: it.id, number: it.number, amount: part, settles: part === it.balance });
    left -= part;
  }
  return { parts, credit: left };
}
