/**
 * The digests sent to the business owner, once per period (schema/digests.ts): in the ledger for
 * `relance digest`, and in the digest journal (a small SQLite file beside the ledger registry) for
 * `relance digest --all`, whose one email covers every ledger. Writes run inside write(): the claim
 * checks and records in one IMMEDIATE transaction, so two runs at once send one digest.
 */
import type { IsoDate } from '../core/dates.js';
import { openSqlite, type Db } from './db.js';
import { digestsSchema } from './schema/digests.js';

export type DigestScope = 'ledger' | 'all';
export type DigestStatus = 'sending' | 'sent' | 'written' | 'failed';

export interface DigestRow {
  id: number;
  scope: DigestScope;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  status: DigestStatus;
  messageId: string;
  recipient: string;
  subject: string;
  ledgers: string | null;
  filePath: string | null;
  pid: number;
  host: string;
  error: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
}

interface Raw {
  id: number;
  scope: DigestScope;
  period_from: string;
  period_to: string;
  status: DigestStatus;
  message_id: string;
  recipient: string;
  subject: string;
  ledgers: string | null;
  file_path: string | null;
  pid: number;
  host: string;
  error: string | null;
  attempts: number;
  created_at: string;
  sent_at: string | null;
}

const row = (r: Raw): DigestRow => ({
  id: r.id,
  scope: r.scope,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  status: r.status,
  messageId: r.message_id,
  recipient: r.recipient,
  subject: r.subject,
  ledgers: r.ledgers,
  filePath: r.file_path,
  pid: r.pid,
  host: r.host,
  error: r.error,
  attempts: r.attempts,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** The digest journal of `digest --all` (created on first use), WAL like a ledger. */
export function openDigestJournal(file: string): Db {
  const db = openSqlite(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(digestsSchema);
  return db;
}

/** The latest digest that went out or may have (sent, written, sending): where the next period starts. */
export function lastDigest(db: Db, scope: DigestScope): DigestRow | undefined {
  const r = db.prepare(`SELECT * FROM digests WHERE scope = ? AND status <> 'failed' ORDER BY period_to DESC, id DESC LIMIT 1`).get(scope) as Raw | undefined;
  return r && row(r);
}

/** Digests left 'sending' (a run sending now, or one that died: uncertain). */
export function sendingDigests(db: Db, scope: DigestScope): DigestRow[] {
  return (db.prepare(`SELECT * FROM digests WHERE scope = ? AND status = 'sending' ORDER BY id`).all(scope) as Raw[]).map(row);
}

export function digestById(db: Db, id: number): DigestRow | undefined {
  const r = db.prepare('SELECT * FROM digests WHERE id = ?').get(id) as Raw | undefined;
  return r && row(r);
}

export function listDigests(db: Db, scope: DigestScope): DigestRow[] {
  return (db.prepare('SELECT * FROM digests WHERE scope = ? ORDER BY period_to, id').all(scope) as Raw[]).map(row);
}

export interface NewDigest {
  scope: DigestScope;
  from: IsoDate;
  to: IsoDate;
  recipient: string;
  subject: string;
  ledgers: string | null;
  pid: number;
  host: string;
  now: string;
  newMessageId: () => string;
}

/** What the claim found: recorded (send it), or a digest already covering the period (send nothing). */
export type Claim = { claimed: true; digest: DigestRow } | { claimed: false; digest: DigestRow };

/**
 * Record the digest of a period 'sending', BEFORE it leaves, unless a digest that went out or may
 * have (not failed) overlaps the period and ends on or after its end. A failed digest of the same
 * period is reused (same row, same Message-ID: a retry). Call inside write().
 */
export function claimDigest(db: Db, d: NewDigest): Claim {
  const covering = db
    .prepare(`SELECT * FROM digests WHERE scope = ? AND status <> 'failed' AND period_to >= ? AND period_from <= ? ORDER BY period_to DESC, id DESC LIMIT 1`)
    .get(d.scope, d.to, d.to) as Raw | undefined;
  if (covering) return { claimed: false, digest: row(covering) };
  const failed = db.prepare(`SELECT * FROM digests WHERE scope = ? AND period_from = ? AND period_to = ? AND status = 'failed'`).get(d.scope, d.from, d.to) as Raw | undefined;
  const fields = { recipient: d.recipient, subject: d.subject, ledgers: d.ledgers, pid: d.pid, host: d.host, now: d.now };
  if (failed) {
    db.prepare(
      `UPDATE digests SET status = 'sending', recipient = @recipient, subject = @subject, ledgers = @ledgers, pid = @pid, host = @host, error = NULL, file_path = NULL,
              attempts = attempts + 1, created_at = @now WHERE id = @id`,
    ).run({ ...fields, id: failed.id });
    return { claimed: true, digest: digestById(db, failed.id)! };
  }
  const id = Number(
    db
      .prepare(
        `INSERT INTO digests (scope, period_from, period_to, status, message_id, recipient, subject, ledgers, pid, host, created_at)
         VALUES (@scope, @from, @to, 'sending', @messageId, @recipient, @subject, @ledgers, @pid, @host, @now)`,
      )
      .run({ ...fields, scope: d.scope, from: d.from, to: d.to, messageId: d.newMessageId() }).lastInsertRowid,
  );
  return { claimed: true, digest: digestById(db, id)! };
}

export function setDigestFile(db: Db, id: number, file: string): void {
  db.prepare('UPDATE digests SET file_path = ? WHERE id = ?').run(file, id);
}

/** 'sent' (the SMTP server accepted it) or 'written' (the outbox file). Call inside write(). */
export function markDigestDone(db: Db, id: number, status: 'sent' | 'written', at: string): void {
  db.prepare(`UPDATE digests SET status = ?, sent_at = ?, error = NULL WHERE id = ? AND status = 'sending'`).run(status, at, id);
}

/** It certainly did not leave: the next run retries it. Call inside write(). */
export function markDigestFailed(db: Db, id: number, error: string): void {
  db.prepare(`UPDATE digests SET status = 'failed', error = ? WHERE id = ? AND status = 'sending'`).run(error.slice(0, 2000), id);
}

/** The server took it and never answered: it stays 'sending', with why. Call inside write(). */
export function markDigestUncertain(db: Db, id: number, why: string): void {
  db.prepare(`UPDATE digests SET error = ? WHERE id = ? AND status = 'sending'`).run(why.slice(0, 2000), id);
}

/** `digest --resolve ID --sent|--retry`: settle an uncertain digest. False when it is not 'sending'. Call inside write(). */
export function resolveDigest(db: Db, id: number, how: 'sent' | 'retry', at: string, why: string): boolean {
  const sql = how === 'sent' ? `UPDATE digests SET status = 'sent', sent_at = ?, error = ? WHERE id = ? AND status = 'sending'` : `UPDATE digests SET status = 'failed', sent_at = NULL, error = ? || ? WHERE id = ? AND status = 'sending'`;
  return (how === 'sent' ? db.prepare(sql).run(at, why, id) : db.prepare(sql).run('', why, id)).changes === 1;
}
