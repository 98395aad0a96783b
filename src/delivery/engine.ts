/**
 * The delivery engine: everything relance sends goes through here, exactly once (dunning.md).
 *   1. record: the message is written 'sending' in the ledger (with its Message-ID, kept across
 *      retries, and the file it will be written to) inside the caller's write() transaction;
 *   2. deliver: the email is handed to the transport (SMTP, or an .eml file in the outbox), or the
 *      file (letter PDF, collection folder) is written;
 *   3. mark: 'sent' / 'written' after success, 'failed' when it certainly did not leave (the next
 *      run retries it with the same row and Message-ID), 'uncertain' (the row stays 'sending' with
 *      why) when the server took it and no reply came: reported until "remind --resolve".
 * The engine knows nothing of reminders: a caller hangs what its message carries (the reminders
 * table's rows) on the record step with `attach`, in the same transaction.
 */
import type { IsoDate } from '../core/dates.js';
import { write, timestamp, type Db } from '../store/db.js';
import { attachReminders, markDone, markFailed, markUncertain, recordMessage, reopenMessage, setMessageFile, type FailedMessages, type MessageRow, type NewMessage } from '../store/reminders.js';
import { newMessageId, type OutgoingEmail, type Transport } from '../mail/transport.js';
import { crashPoint } from '../system/crash.js';
import { t as tr } from '../i18n/index.js';

export type OutgoingChannel = 'email' | 'letter' | 'handover' | 'call';

/** One message relance sends: what the ledger keeps of it. */
export interface OutgoingMessage {
  clientId: number;
  channel: OutgoingChannel;
  /** What it is about as a number: the reminder level; a document sent on its own uses 0. */
  level: number;
  asOf: IsoDate;
  subject: string | null;
  text: string | null;
  html: string | null;
  /** Email address, or the name on the letter. */
  recipient: string | null;
  /** The documents it carries, for people ("F-2026-0001, F-2026-0002"). */
  about: string;
  /** An email copy of a letter points at the letter. */
  copyOf?: number | null;
  onDemand?: boolean;
  /** false: no Message-ID (a letter, a folder, a call); an email always gets one. */
  needsMessageId?: boolean;
}

export interface Recorded {
  id: number;
  messageId: string | null;
  /** The file the message will be written to (outbox .eml, letter PDF, collection folder); null over SMTP. */
  file: string | null;
  /** 1 the first time, 2 on the first retry... */
  attempts: number;
}

export type DeliveryStatus = 'sent' | 'written' | 'failed' | 'uncertain';

export interface Delivered {
  status: DeliveryStatus;
  id: number;
  messageId: string | null;
  file: string | null;
  error?: string;
  /** The server did not answer in time: a run stops sending after this (the rest waits for the next run). */
  timedOut?: boolean;
}

/** How marks are committed: each in its own transaction (default), or collected by the caller for one. */
export type Commit = (fn: () => void) => void;

export interface Delivery {
  db: Db;
  /** Needed for emails; a run that only writes letters may have none. */
  transport: Transport | null;
  /** The run's clock: the times recorded and the email's Date header. */
  now: () => Date;
  /** The domain of Message-IDs (the business's email address). */
  senderEmail: string;
}

/**
 * Step 1 (inside the caller's write()): record the message 'sending'. `file` names the file it will
 * be (for an email over the outbox, the transport's planned file is used). `attach` runs in the same
 * transaction with the row id (a reminder hangs its reminders there). `failed`: the failed messages
 * read once in this transaction (store/reminders.ts failedMessages), for a caller recording many.
 */
export function recordOutgoing(d: Delivery, m: OutgoingMessage, opts: { file?: (id: number) => string | null; outboxName?: string; attach?: (id: number) => void; failed?: FailedMessages } = {}): Recorded {
  const isEmail = m.channel === 'email';
  const rec = recordMessage(
    d.db,
    {
      clientId: m.clientId,
      level: m.level,
      channel: m.channel,
      messageId: isEmail || m.needsMessageId ? '' : null,
      asOf: m.asOf,
      subject: m.subject,
      text: m.text,
      html: m.html,
      recipient: m.recipient,
      filePath: null,
      invoices: m.about,
      copyOf: m.copyOf ?? null,
      onDemand: m.onDemand ?? false,
    },
    timestamp(d.now()),
    () => newMessageId(d.senderEmail),
    opts.failed,
  );
  let file: string | null = null;
  if (isEmail && opts.outboxName !== undefined) file = d.transport?.plannedFile(`${opts.outboxName}-${rec.id}`) ?? null;
  else if (opts.file) file = opts.file(rec.id);
  if (file) setMessageFile(d.db, rec.id, file);
  opts.attach?.(rec.id);
  return { ...rec, file };
}

/**
 * Step 1 for a failed message sent again as recorded (its text, recipient and Message-ID kept):
 * back to 'sending' with one more attempt, and its outbox file named. Inside the caller's write();
 * null when it is no longer failed (another run took it).
 */
export function reopenOutgoing(d: Delivery, m: MessageRow, outboxName: string): Recorded | null {
  if (!reopenMessage(d.db, m.id, timestamp(d.now()))) return null;
  const file = m.channel === 'email' ? (d.transport?.plannedFile(outboxName) ?? null) : m.file_path;
  if (file) setMessageFile(d.db, m.id, file);
  return { id: m.id, messageId: m.message_id, file, attempts: m.attempts + 1 };
}

/** The reminders a message carries, for `attach`. */
export function withReminders(d: Delivery, asOf: IsoDate, reminders: NewMessage['reminders']): (id: number) => void {
  return (id) => attachReminders(d.db, id, asOf, reminders);
}

/**
 * Steps 2 and 3 for an email recorded by recordOutgoing(). Over SMTP the mark is its own
 * transaction right after the server's answer (never batched: a crash must not lose it); to the
 * outbox it goes through `commit` (a file on disk settles a crash either way).
 */
export async function sendRecorded(d: Delivery, rec: Recorded, mail: Omit<OutgoingEmail, 'messageId' | 'date'>, commit: Commit = (fn) => write(d.db, fn)): Promise<Delivered> {
  const t = d.transport;
  if (!t) throw new Error('no transport to send an email with');
  let res: Awaited<ReturnType<Transport['send']>>;
  try {
    res = await t.send({ ...mail, messageId: rec.messageId!, date: d.now() }, rec.file);
  } catch (err) {
    res = { ok: false, error: (err as Error).message };
  }
  const base = { id: rec.id, messageId: rec.messageId };
  if (res.ok) {
    crashPoint(t.kind === 'smtp' ? 'after-smtp' : 'after-outbox');
    const status = t.kind === 'smtp' ? 'sent' : 'written';
    const mark = () => markDone(d.db, rec.id, status, timestamp(d.now()));
    if (t.kind === 'smtp') write(d.db, mark);
    else commit(mark);
    return { ...base, status, file: res.file };
  }
  if (res.uncertain) {
    const why = tr('documents.delivery.uncertain', { error: res.error, id: rec.id });
    write(d.db, () => markUncertain(d.db, rec.id, why));
    return { ...base, status: 'uncertain', file: null, error: why, timedOut: Boolean(res.timeout) };
  }
  commit(() => markFailed(d.db, rec.id, res.error));
  return { ...base, status: 'failed', file: null, error: res.error, timedOut: Boolean(res.timeout) };
}

/**
 * A message that is a file (letter PDF, collection folder): `make` writes it at rec.file; then it is
 * marked written, with `done` (e.g. putting the client on stop work) in the same transaction.
 */
export async function writeRecorded(d: Delivery, rec: Recorded, make: (file: string) => Promise<void>, opts: { commit?: Commit; crashAt?: string; done?: () => void } = {}): Promise<Delivered> {
  const commit = opts.commit ?? ((fn) => write(d.db, fn));
  const file = rec.file!;
  try {
    await make(file);
  } catch (err) {
    const error = (err as Error).message;
    commit(() => markFailed(d.db, rec.id, error));
    return { status: 'failed', id: rec.id, messageId: rec.messageId, file: null, error };
  }
  if (opts.crashAt) crashPoint(opts.crashAt);
  commit(() => {
    markDone(d.db, rec.id, 'written', timestamp(d.now()));
    opts.done?.();
  });
  return { status: 'written', id: rec.id, messageId: rec.messageId, file };
}

/**
 * The whole path for one email: record (one transaction) -> send -> mark. What `invoice send` or a
 * digest calls: `deliverEmail(delivery, { clientId, channel: 'email', level: 0, asOf, subject, text,
 * html, recipient, about: 'F-2026-0001' }, { fromName, from, replyTo, to, subject, text, html,
 * attachments })`. A retry of a failed message reuses its row and Message-ID.
 */
export async function deliverEmail(d: Delivery, m: OutgoingMessage, mail: Omit<OutgoingEmail, 'messageId' | 'date'>, opts: { outboxName: string; attach?: (id: number) => void }): Promise<Delivered> {
  const rec = write(d.db, () => recordOutgoing(d, { ...m, channel: 'email' }, { outboxName: opts.outboxName, attach: opts.attach }));
  crashPoint('after-record');
  return sendRecorded(d, rec, mail);
}

/** How a message kept outside the messages table (a digest, store/digests.ts) is marked, each in its own transaction. */
export interface TrackedMarks {
  done(status: 'sent' | 'written', at: string): void;
  failed(error: string): void;
  uncertain(why: string): void;
}

/**
 * Steps 2 and 3 for an email its caller recorded 'sending' in its own table (with its Message-ID
 * and planned outbox file), e.g. the owner's digest: handed to the transport, then marked sent /
 * written, failed (certainly did not leave), or uncertain (the server took it, no reply: never
 * resent blindly). Each mark is its own transaction right after the answer.
 */
export async function sendTracked(d: Delivery, rec: { messageId: string; file: string | null }, mail: Omit<OutgoingEmail, 'messageId' | 'date'>, marks: TrackedMarks): Promise<Omit<Delivered, 'id'>> {
  const t = d.transport;
  if (!t) throw new Error('no transport to send an email with');
  let res: Awaited<ReturnType<Transport['send']>>;
  try {
    res = await t.send({ ...mail, messageId: rec.messageId, date: d.now() }, rec.file);
  } catch (err) {
    res = { ok: false, error: (err as Error).message };
  }
  if (res.ok) {
    crashPoint(t.kind === 'smtp' ? 'after-smtp' : 'after-outbox');
    const status = t.kind === 'smtp' ? 'sent' : 'written';
    write(d.db, () => marks.done(status, timestamp(d.now())));
    return { status, messageId: rec.messageId, file: res.file };
  }
  if (res.uncertain) {
    write(d.db, () => marks.uncertain(res.error));
    return { status: 'uncertain', messageId: rec.messageId, file: null, error: res.error, timedOut: Boolean(res.timeout) };
  }
  write(d.db, () => marks.failed(res.error));
  return { status: 'failed', messageId: rec.messageId, file: null, error: res.error, timedOut: Boolean(res.timeout) };
}
