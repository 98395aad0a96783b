/**
 * A client's history, every event once and in date order: quotes (made, accepted, declined),
 * invoices and credit notes, payments and their reversals, disputes, reminders (one per message,
 * whatever the number of invoices it carried), letters, calls and other contacts (the current
 * version of an edited contact, marked as edited), and letters marked posted.
 */
import { contactDay, instant, shortTime } from '../core/calllog.js';
import type { IsoDate } from '../core/dates.js';
import { formatMoney, type Cents } from '../core/money.js';
import { getSetting } from './settings.js';
import { listContacts, messageNumbers } from './contacts.js';
import type { Db } from './db.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';

const FR_METHODS: Record<string, string> = { transfer: 'virement', card: 'carte', cheque: 'chèque', cash: 'espèces', 'direct-debit': 'prélèvement', other: 'autre moyen' };
import { DOCUMENT_SEND_LEVEL } from './document-sends.js';

/** What a reminder's summary says of a message that did not simply go (sent, or written to the outbox). */
const MESSAGE_STATE: Record<string, MessageKey> = { sending: 'books.history.uncertain', failed: 'books.history.failed', cancelled: 'books.history.cancelled' };

export type HistoryKind =
  | 'quote'
  | 'quote-accepted'
  | 'quote-declined'
  | 'invoice'
  | 'credit-note'
  | 'dispute'
  | 'payment'
  | 'reversal'
  | 'reminder'
  | 'sent'
  | 'letter'
  | 'call-to-make'
  | 'contact'
  | 'letter-posted';

export interface HistoryEvent {
  date: IsoDate;
  /** "HH:MM" for events that have a time (contacts), else null. */
  time: string | null;
  kind: HistoryKind;
  /** The document, payment, message or contact number/id the event is about. */
  ref: string;
  summary: string;
  amount: Cents | null;
  currency: string | null;
  /** Invoice numbers the event concerns. */
  documents: string[];
}

const KIND_ORDER: Record<HistoryKind, number> = {
  quote: 0,
  'quote-accepted': 1,
  'quote-declined': 1,
  invoice: 2,
  sent: 2,
  'credit-note': 3,
  payment: 4,
  reversal: 4,
  dispute: 5,
  reminder: 6,
  letter: 6,
  'call-to-make': 6,
  contact: 7,
  'letter-posted': 7,
};

interface DocRow {
  id: number;
  kind: string;
  number: string | null;
  currency: string;
  created_on: string;
  issue_date: string | null;
  due_date: string | null;
  accepted_on: string | null;
  accepted_by: string | null;
  declined_on: string | null;
  total_gross: number;
  amount_due: number;
  disputed_on: string | null;
  disputed_reason: string | null;
  cancels_number: string | null;
}

/** Contact channels the catalogue names (dunning.channel.*). */
const CONTACT_CHANNELS = new Set(['call', 'email', 'letter', 'visit', 'meeting']);

const KIND_KEY: Record<string, MessageKey> = {
  invoice: 'books.history.kind.invoice',
  deposit: 'books.history.kind.deposit',
  final: 'books.history.kind.final',
  penalty: 'books.history.kind.penalty',
};

/**
 * Every event of a client once, in date order. The summaries are English unless `lang` says
 * otherwise: --json always takes them in English (scripts read them), the table in the interface's.
 */
export function clientHistory(db: Db, clientId: number, opts: { until?: IsoDate; lang?: Lang } = {}): HistoryEvent[] {
  const lang = opts.lang ?? 'en';
  const tl = (key: MessageKey, params?: Params) => t(key, params, lang);
  const events: (HistoryEvent & { seq: number; at?: number })[] = [];
  let seq = 0;
  const push = (e: HistoryEvent, at?: number) => events.push({ ...e, seq: seq++, at });

  const docs = db
    .prepare(
      `SELECT d.id, d.kind, d.number, d.currency, d.created_on, d.issue_date, d.due_date, d.accepted_on, d.accepted_by, d.declined_on,
              d.total_gross, d.amount_due, d.disputed_on, d.disputed_reason, c.number AS cancels_number
       FROM documents d LEFT JOIN documents c ON c.id = d.cancels_id
       WHERE d.client_id = ? ORDER BY d.id`,
    )
    .all(clientId) as DocRow[];
  const contacts = listContacts(db, { clientId });
  const disputesLogged = new Set<number>();
  for (const c of contacts) if (c.disputeReason !== null) for (const d of c.documents) disputesLogged.add(d.id);

  for (const d of docs) {
    if (d.kind === 'quote') {
      const ref = d.number ?? tl('books.history.draftQuote', { id: d.id });
      push({ date: d.issue_date ?? d.created_on, time: null, kind: 'quote', ref, summary: tl('books.history.quote', { ref }), amount: d.total_gross, currency: d.currency, documents: [] });
      if (d.accepted_on) {
        push({ date: d.accepted_on, time: null, kind: 'quote-accepted', ref, summary: d.accepted_by ? tl('books.history.acceptedBy', { ref, by: d.accepted_by }) : tl('books.history.accepted', { ref }), amount: null, currency: null, documents: [] });
      }
      if (d.declined_on) push({ date: d.declined_on, time: null, kind: 'quote-declined', ref, summary: tl('books.history.declined', { ref }), amount: null, currency: null, documents: [] });
      continue;
    }
    if (d.number === null) continue; // drafts have not happened yet for the client
    const issued = d.issue_date ?? d.created_on;
    if (d.kind === 'credit_note') {
      push({
        date: issued,
        time: null,
        kind: 'credit-note',
        ref: d.number,
        summary: d.cancels_number ? tl('books.history.creditNoteCancels', { number: d.number, cancels: d.cancels_number }) : tl('books.history.creditNote', { number: d.number }),
        amount: d.total_gross,
        currency: d.currency,
        documents: d.cancels_number ? [d.cancels_number] : [],
      });
      continue;
    }
    push({
      date: issued,
      time: null,
      kind: 'invoice',
      ref: d.number,
      summary: `${KIND_KEY[d.kind] ? tl(KIND_KEY[d.kind]!) : d.kind} ${d.number}${d.due_date ? tl('books.history.due', { date: d.due_date }) : ''}`,
      amount: d.amount_due,
      currency: d.currency,
      documents: [d.number],
    });
    if (d.disputed_on && !disputesLogged.has(d.id)) {
      push({ date: d.disputed_on, time: null, kind: 'dispute', ref: d.number, summary: d.disputed_reason ? tl('books.history.disputedBecause', { number: d.number, reason: d.disputed_reason }) : tl('books.history.disputed', { number: d.number }), amount: null, currency: null, documents: [d.number] });
    }
  }

  const payments = db
    .prepare(
      `SELECT p.id, p.date, p.amount, p.currency, p.method, p.reference, p.reverses_id,
              (SELECT json_group_array(d.number) FROM allocations a JOIN documents d ON d.id = a.document_id WHERE a.payment_id = p.id) AS docs
       FROM payments p WHERE p.client_id = ? AND p.method <> 'credit' ORDER BY p.date, p.id`,
    )
    .all(clientId) as { id: number; date: string; amount: number; currency: string; method: string; reference: string | null; reverses_id: number | null; docs: string }[];
  for (const p of payments) {
    const numbers = [...new Set((JSON.parse(p.docs) as (string | null)[]).filter((n): n is string => n !== null))];
    const reversal = p.reverses_id !== null;
    push({
      date: p.date,
      time: null,
      kind: reversal ? 'reversal' : 'payment',
      ref: tl('books.history.ref.payment', { id: p.id }),
      summary: reversal
        ? tl('books.history.reversed', { id: p.reverses_id })
        : `${tl('books.history.paymentBy', { method: lang === 'fr' ? (FR_METHODS[p.method] ?? p.method) : p.method })}${p.reference ? ` (${p.reference})` : ''}${numbers.length ? tl('books.history.for', { list: numbers.join(', ') }) : tl('books.history.keptAsCredit')}`,
      amount: p.amount,
      currency: p.currency,
      documents: numbers,
    });
  }

  const messages = db
    .prepare(
      `SELECT m.id, m.level, m.channel, m.status, m.as_of, m.subject, m.recipient, m.invoices, m.copy_of,
              (SELECT json_group_array(d.number) FROM reminders r JOIN documents d ON d.id = r.document_id WHERE r.message_id = m.id) AS docs
       FROM messages m WHERE m.client_id = ? ORDER BY m.as_of, m.id`,
    )
    .all(clientId) as { id: number; level: number; channel: string; status: string; as_of: string; subject: string | null; recipient: string | null; invoices: string | null; copy_of: number | null; docs: string }[];
  for (const m of messages) {
    const numbers = messageNumbers(m.docs, m.invoices);
    const kind: HistoryKind = m.channel === 'letter' ? 'letter' : m.channel === 'call' ? 'call-to-make' : 'reminder';
    const what =
      m.channel === 'letter'
        ? tl('books.history.letter')
        : m.channel === 'call'
          ? tl('books.history.callToMake')
          : m.channel === 'handover'
            ? tl('books.history.handover')
            : m.copy_of !== null
              ? tl('books.history.emailCopy', { id: m.copy_of })
              : tl('books.history.reminderEmail');
    if (m.level === DOCUMENT_SEND_LEVEL) {
      // invoice send / quote send: the document itself went to the client (store/document-sends.ts)
      if (m.status === 'failed' || m.status === 'cancelled') continue;
      const state = m.status === 'sending' ? tl('books.history.uncertain') : m.status === 'written' ? tl('books.history.written') : '';
      push({ date: m.as_of, time: null, kind: 'sent', ref: tl('books.history.ref.message', { id: m.id }), summary: `${tl('books.history.sentTo', { what: m.invoices ?? '', to: m.recipient ?? '?' })}${m.subject ? ` "${m.subject}"` : ''}${state}`, amount: null, currency: null, documents: m.invoices ? [m.invoices] : [] });
      continue;
    }
    push({
      date: m.as_of,
      time: null,
      kind,
      ref: tl('books.history.ref.message', { id: m.id }),
      summary: `${tl('books.history.level', { level: m.level, what })}${m.subject ? ` "${m.subject}"` : ''}${numbers.length ? tl('books.history.for', { list: numbers.join(', ') }) : ''}${MESSAGE_STATE[m.status] ? tl(MESSAGE_STATE[m.status]!) : ''}`,
      amount: null,
      currency: null,
      documents: numbers,
    });
  }

  const currency = getSetting(db, 'currency');
  for (const c of contacts) {
    const parts = [`${CONTACT_CHANNELS.has(c.channel) ? tl(`dunning.channel.${c.channel}` as MessageKey) : c.channel}${c.withWhom ? tl('books.history.with', { who: c.withWhom }) : ''}${lang === 'fr' ? ' : ' : ': '}${c.outcome}`];
    if (c.promiseDate) parts.push(c.promiseAmount !== null ? tl('books.history.promiseAmount', { amount: formatMoney(c.promiseAmount, currency, lang), date: c.promiseDate }) : tl('books.history.promise', { date: c.promiseDate }));
    if (c.disputeReason) parts.push(tl('books.history.dispute', { reason: c.disputeReason }));
    if (c.nextActionDate) parts.push(tl('books.history.next', { date: c.nextActionDate }));
    if (c.supersedesId !== null) parts.push(tl('books.history.edited'));
    push(
      {
        date: contactDay(c.at),
        time: shortTime(c.at).slice(11),
        kind: c.messageId !== null && c.channel === 'letter' ? 'letter-posted' : 'contact',
        ref: tl('books.history.ref.contact', { id: c.id }),
        summary: parts.join('; '),
        amount: null,
        currency: null,
        documents: c.documents.map((d) => d.number),
      },
      instant(c.at),
    );
  }

  const until = opts.until;
  return events
    .filter((e) => until === undefined || e.date <= until)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.at ?? 0) - (b.at ?? 0) || a.seq - b.seq)
    .map(({ seq: _seq, at: _at, ...e }) => e);
}
