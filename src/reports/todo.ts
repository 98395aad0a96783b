/**
 * What a person has to do as of a date: calls the dunning policy asks for, next actions whose date
 * has come, broken promises nobody has followed up, and reminder letters to post; and its JSON.
 */
import { daysBetween, type IsoDate } from '../core/dates.js';
import { centsToDecimal } from '../core/money.js';
import { brokenPromises, callsToMake, lettersToPost, nextActionsDue, type Contact, type PendingMessage, type PromiseState } from '../store/contacts.js';
import { archivedClientIds } from '../store/clients.js';
import type { Db } from '../store/db.js';
import { contactJson } from './history.js';
import { heldByStopWork, type HeldSchedule } from '../store/recurring.js';

export interface Todo {
  asOf: IsoDate;
  calls: PendingMessage[];
  nextActions: Contact[];
  brokenPromises: PromiseState[];
  letters: PendingMessage[];
  /** Recurring invoices not issued because their client is on stop work. */
  heldRecurring: HeldSchedule[];
}

export function todoList(db: Db, asOf: IsoDate): Todo {
  // Archived clients are done with: nothing of theirs is on the list.
  const archived = archivedClientIds(db);
  const active = <T extends { clientId: number }>(list: T[]) => (archived.size ? list.filter((x) => !archived.has(x.clientId)) : list);
  return {
    asOf,
    calls: active(callsToMake(db, asOf)),
    nextActions: active(nextActionsDue(db, asOf)),
    brokenPromises: active(brokenPromises(db, asOf).filter((p) => p.followedUpAt === null)),
    letters: active(lettersToPost(db, asOf)),
    heldRecurring: heldByStopWork(db, asOf),
  };
}

export function todoJson(t: Todo) {
  return {
    asOf: t.asOf,
    calls: t.calls.map((m) => ({ messageId: m.messageId, client: m.clientCode, phone: m.phone, level: m.level, since: m.asOf, invoices: m.documentNumbers })),
    nextActions: t.nextActions.map((c) => ({ client: c.clientCode, due: c.nextActionDate, daysLate: daysBetween(c.nextActionDate!, t.asOf), contact: contactJson(c) })),
    brokenPromises: t.brokenPromises.map((p) => ({
      contactId: p.contactId,
      client: p.clientCode,
      promisedBy: p.date,
      amount: centsToDecimal(p.target),
      paid: centsToDecimal(p.paid),
      invoices: p.documentNumbers,
      brokenSince: p.holdsUntil,
    })),
    letters: t.letters.map((m) => ({ messageId: m.messageId, client: m.clientCode, level: m.level, produced: m.asOf, file: m.filePath, invoices: m.documentNumbers })),
    recurringHeld: t.heldRecurring.map((h) => ({ recurring: h.schedule, client: h.client, periods: h.periods, why: 'stop work' })),
  };
}

