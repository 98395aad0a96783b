/**
 * What a reminder's template sees (render/templates.ts MessageContext), built from one client's
 * plan. Pure once the penalties are given: penaltiesFor() is the one read of the ledger.
 */
import { t } from '../i18n/index.js';
import { addDays, type IsoDate } from '../core/dates.js';
import { printedInvoiceReference } from '../core/payment-reference.js';
import type { Channel, ClientPlan } from '../core/dunning.js';
import type { Cents } from '../core/money.js';
import { unknownRateError } from '../core/penalties.js';
import { isSmallClaim } from '../core/small-claims.js';
import type { Client } from '../store/clients.js';
import type { Db } from '../store/db.js';
import { penaltiesOf, type ItemPenalties } from '../store/receivables.js';
import { clientReminderHistory, hasReminders, poNumbersOf, type ClientReminderHistory } from '../store/reminders.js';
import type { Receivable } from '../store/reminders.js';
import type { Settings } from '../store/settings.js';
import { businessOf, templateClient } from '../render/format.js';
import type { ContextInvoice, ContextTotal, MessageContext } from '../render/templates.js';
import { isFormalNotice } from './pdfs.js';

export interface Built {
  ctx: MessageContext;
  /** Penalties per document id (only when the level claims them). */
  penalties: Map<number, ItemPenalties>;
}

/** The penalties a level claims for the invoices of a plan (none when it claims none). A rate not known yet is a UsageError. */
export function penaltiesFor(db: Db, client: Client, plan: ClientPlan, receivables: Map<number, Receivable>, asOf: IsoDate): Map<number, ItemPenalties> {
  if (!plan.level.claimsPenalties) return new Map();
  const docs = [...new Set(plan.items.map((i) => i.documentId))].map((id) => receivables.get(id)).filter((r): r is Receivable => Boolean(r));
  const penalties = penaltiesOf(db, docs, asOf);
  for (const p of penalties.values()) if (p.interest === null) throw unknownRateError(p, t('dunning.context.penaltiesOf', { level: plan.level.level, client: client.code }));
  return penalties;
}

/** What the ledger knows around this message: the reminders sent before it ("Malgré nos relances"), the formal notice, the client's references. */
export interface Earlier {
  /** Reminders after the due date (level >= 1, below this message's level) that went out, by email or letter. */
  count: number;
  /** The latest of them, or null. */
  lastDate: IsoDate | null;
  /** The date of the formal notice letter produced, or null. */
  noticeDate: IsoDate | null;
  /** The client's own references: the order numbers (PO) of the invoices listed, in their order. */
  references: string[];
}

export const NOTHING_EARLIER: Earlier = { count: 0, lastDate: null, noticeDate: null, references: [] };

/**
 * The reminders of this plan's invoices that actually went out before it (sent, or written to the
 * outbox or as a letter); a failed or unsettled message does not count, nor a courtesy reminder
 * before the due date (level 0), nor one of this message's level or above.
 */
export function earlierReminders(db: Db, client: Client, plan: ClientPlan): Earlier {
  return earlierReader(db, [plan])(client, plan);
}

/**
 * earlierReminders for every plan of a run, reading at once what can be read at once: the PO
 * numbers of every invoice planned (one statement, not one per client), and no history per client
 * when the ledger has never recorded a reminder.
 */
export function earlierReader(db: Db, plans: readonly ClientPlan[]): (client: Client, plan: ClientPlan) => Earlier {
  const ids = new Set<number>();
  for (const p of plans) for (const i of p.items) ids.add(i.documentId);
  const pos = poNumbersOf(db, [...ids]);
  const reminded = hasReminders(db);
  return (client, plan) => earlierOf(reminded ? clientReminderHistory(db, client.id) : [], plan, pos);
}

function earlierOf(history: readonly ClientReminderHistory[], plan: ClientPlan, pos: Map<number, string>): Earlier {
  const messages = new Map<number, { date: IsoDate; notice: boolean }>();
  if (history.length > 0) {
    const numbers = new Set(plan.items.map((i) => i.number));
    for (const h of history) {
      if (!numbers.has(h.number) || h.message_id === null || h.level < 1 || h.level >= plan.level.level) continue;
      if ((h.channel !== 'email' && h.channel !== 'letter') || (h.status !== 'sent' && h.status !== 'written')) continue;
      const notice = h.channel === 'letter' && isFormalNotice(plan.policy.levels.find((l) => l.level === h.level));
      const m = messages.get(h.message_id);
      if (!m) messages.set(h.message_id, { date: h.date, notice });
    }
  }
  const dates = [...messages.values()].map((m) => m.date).sort();
  const notices = [...messages.values()].filter((m) => m.notice).map((m) => m.date).sort();
  const references: string[] = [];
  if (pos.size > 0) {
    const seen = new Set<string>();
    for (const i of plan.items) {
      const r = pos.get(i.documentId);
      if (r && !seen.has(r)) {
        seen.add(r);
        references.push(r);
      }
    }
  }
  return { count: messages.size, lastDate: dates[dates.length - 1] ?? null, noticeDate: notices[notices.length - 1] ?? null, references };
}

export function buildContext(settings: Settings, client: Client, plan: ClientPlan, penalties: Map<number, ItemPenalties>, asOf: IsoDate, linkOf: (documentId: number, number: string) => string | null, earlier: Earlier = NOTHING_EARLIER): Built {
  const level = plan.level;
  const consumer = client.kind === 'b2c';
  const claims = level.claimsPenalties;
  const seenDoc = new Set<number>();
  let rateBp: number | null = null;
  const invoices: ContextInvoice[] = plan.items.map((i) => {
    let penalty: Cents | null = null;
    let indemnity: Cents | null = null;
    const p = penalties.get(i.documentId);
    if (claims && p && !seenDoc.has(i.documentId)) {
      seenDoc.add(i.documentId);
      penalty = p.unbilledInterest ?? 0;
      indemnity = level.claimsIndemnity && !consumer ? p.unbilledIndemnity : null;
      const last = p.lines[p.lines.length - 1];
      if (last?.rateBp != null) rateBp = last.rateBp;
      if (penalty === 0 && consumer) penalty = null;
      if (indemnity === 0) indemnity = null;
    }
    return {
      number: i.number,
      instalment: i.instalment,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amount,
      balance: i.balance,
      currency: i.currency,
      daysLate: i.daysLate,
      late: i.daysLate > 0,
      penalty,
      indemnity,
      paymentLink: linkOf(i.documentId, i.number),
      paymentReference: printedInvoiceReference(i.number),
      newLevel: i.newLevel,
    };
  });
  const totalsBy = new Map<string, ContextTotal>();
  for (const inv of invoices) {
    let t = totalsBy.get(inv.currency);
    if (!t) totalsBy.set(inv.currency, (t = { currency: inv.currency, balance: 0, penalty: 0, indemnity: 0, total: 0 }));
    t.balance += inv.balance;
    t.penalty += inv.penalty ?? 0;
    t.indemnity += inv.indemnity ?? 0;
    t.total = t.balance + t.penalty + t.indemnity;
  }
  const totals = [...totalsBy.values()];
  const currency = settings.currency;
  const total = totalsBy.get(currency) ?? totals[0] ?? { currency, balance: 0, penalty: 0, indemnity: 0, total: 0 };
  const ctx: MessageContext = {
    lang: client.lang,
    business: businessOf(settings),
    client: templateClient(client),
    level: { number: level.level, name: level.name },
    reminderDate: asOf,
    invoices,
    count: invoices.length,
    totals,
    total,
    claimsPenalties: claims,
    claimsIndemnity: level.claimsIndemnity && !consumer,
    penaltyRate: claims && !consumer ? rateBp : null,
    penaltiesAsOf: asOf,
    deadline: addDays(asOf, plan.policy.noticeDays),
    noticeDays: plan.policy.noticeDays,
    paymentLink: invoices.length === 1 ? invoices[0]!.paymentLink : null,
    paymentReference: invoices.length === 1 ? invoices[0]!.paymentReference : null,
    iban: settings['business.iban'],
    bic: settings['business.bic'],
    // R125-1 CPCE: principal and the interest accrued at this date (core/small-claims.ts).
    smallClaim: isSmallClaim(totals),
    earlierReminders: earlier.count,
    lastReminderDate: earlier.lastDate,
    noticeDate: earlier.noticeDate,
    references: earlier.references.length > 0 ? earlier.references.join(', ') : null,
  };
  return { ctx, penalties };
}

/** Which channels can be used for this client (an email needs an address, a letter a postal address). */
export function usableChannels(plan: ClientPlan, client: Client): { channels: Channel[]; missing: string[] } {
  const channels: Channel[] = [];
  const missing: string[] = [];
  for (const c of plan.level.channels) {
    if (c === 'email' && !client.email) missing.push(t('dunning.context.noEmail', { client: client.code }));
    else if (c === 'letter' && !(client.billingAddress ?? client.address)) missing.push(t('dunning.context.noAddress', { client: client.code }));
    else channels.push(c);
  }
  return { channels, missing };
}
