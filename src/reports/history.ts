/**
 * A client's history and call log as data: every event once in date order (store/history.ts), the
 * JSON of a contact (call-log, todo), and the table `client show --history` prints.
 */
import { language, t, type MessageKey } from '../i18n/index.js';
import { centsToDecimal, formatMoney } from '../core/money.js';
import type { Client } from '../store/clients.js';
import type { Contact } from '../store/contacts.js';
import type { Db } from '../store/db.js';
import { clientHistory, type HistoryEvent } from '../store/history.js';
import { getSetting } from '../store/settings.js';
import type { IO } from '../render/io.js';
import { printJson, printTable } from '../render/output.js';
import { money } from '../render/format.js';

export function contactJson(c: Contact) {
  return {
    id: c.id,
    client: c.clientCode,
    at: c.at,
    channel: c.channel,
    with: c.withWhom,
    outcome: c.outcome,
    invoices: c.documents.map((d) => d.number),
    promiseDate: c.promiseDate,
    promiseAmount: c.promiseAmount === null ? null : centsToDecimal(c.promiseAmount),
    nextActionDate: c.nextActionDate,
    dispute: c.disputeReason,
    messageId: c.messageId,
    supersedes: c.supersedesId,
    supersededBy: c.supersededById,
    createdAt: c.createdAt,
  };
}

export function historyJson(client: Client, events: HistoryEvent[]) {
  return { client: client.code, events: events.map((e) => ({ ...e, amount: e.amount === null ? null : centsToDecimal(e.amount) })) };
}

/** `client show CODE --history`: every event of a client once, in date order. */
export function showHistory(db: Db, io: IO, o: { json: boolean; quiet: boolean }, client: Client): void {
  // --json keeps the English kinds, refs and summaries (scripts read them); the table is in the interface's language.
  const events = clientHistory(db, client.id, { lang: o.json ? 'en' : language() });
  if (o.json) {
    printJson(io, historyJson(client, events));
    return;
  }
  if (events.length === 0) {
    if (!o.quiet) io.err(t('dunning.history.nothing', { client: client.code }) + '\n');
    return;
  }
  const cur = getSetting(db, 'currency');
  printTable(
    io,
    [t('books.history.col.date'), t('books.history.col.time'), t('books.history.col.event'), t('books.history.col.ref'), t('books.history.col.what'), t('books.history.col.amount')],
    events.map((e) => [e.date, e.time, t(`books.history.event.${e.kind}` as MessageKey), e.ref, e.summary, e.amount === null ? '' : money(e.amount, e.currency ?? cur)]),
    { right: [5] },
  );
}

