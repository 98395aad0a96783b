/**
 * The owner's digest, sent once per period on the delivery engine (engine.ts sendTracked): the
 * digest is claimed 'sending' (its Message-ID, its outbox file, this process) in one IMMEDIATE
 * transaction that first checks no digest covers the period (store/digests.ts claimDigest), then it
 * leaves, then it is marked. Where it is recorded: in the ledger for one ledger, in the digest
 * journal beside the registry for `--all` (one email covering every ledger, so one record). A digest
 * left 'sending' by a process that is gone is uncertain: reported, never resent blindly; over the
 * outbox a file on disk settles it as written.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { IsoDate } from '../core/dates.js';
import { write, timestamp, type Db } from '../store/db.js';
import { claimDigest, markDigestDone, markDigestFailed, markDigestUncertain, setDigestFile, type DigestRow, type DigestScope } from '../store/digests.js';
import { newMessageId, type OutgoingEmail, type Transport } from '../mail/transport.js';
import { crashPoint } from '../system/crash.js';
import { pidAlive } from '../system/process.js';
import { sendTracked } from './engine.js';

export interface DigestDelivery {
  /** Where the digest is recorded: the ledger, or the digest journal (--all). */
  db: Db;
  scope: DigestScope;
  transport: Transport;
  now: () => Date;
  senderEmail: string;
  from: IsoDate;
  to: IsoDate;
  recipient: string;
  ledgers: string | null;
  /** The outbox file's name (the row id is added). */
  outboxName: string;
  mail: Omit<OutgoingEmail, 'messageId' | 'date'>;
}

export type DigestOutcome =
  | { status: 'sent' | 'written'; digest: DigestRow; file: string | null }
  | { status: 'failed' | 'uncertain'; digest: DigestRow; error: string }
  /** A digest already went out for this period (or one ending later). */
  | { status: 'covered'; digest: DigestRow }
  /** Another run of this host is sending it right now. */
  | { status: 'busy'; digest: DigestRow }
  /** Left 'sending' by a run that is gone, or the server never answered: uncertain, not resent. */
  | { status: 'pending'; digest: DigestRow };

/** Record, send, mark: at most once per period, whatever runs at once or is killed. */
export async function sendDigestOnce(s: DigestDelivery): Promise<DigestOutcome> {
  const claim = write(s.db, () => {
    const c = claimDigest(s.db, {
      scope: s.scope,
      from: s.from,
      to: s.to,
      recipient: s.recipient,
      subject: s.mail.subject,
      ledgers: s.ledgers,
      pid: process.pid,
      host: os.hostname(),
      now: timestamp(s.now()),
      newMessageId: () => newMessageId(s.senderEmail),
    });
    if (c.claimed) {
      const file = s.transport.plannedFile(`${s.outboxName}-${c.digest.id}`);
      if (file) setDigestFile(s.db, c.digest.id, file);
      return { ...c, digest: { ...c.digest, filePath: file } };
    }
    return c;
  });
  if (!claim.claimed) return settleDigest(s.db, claim.digest, s.now);
  crashPoint('after-record');
  const d = claim.digest;
  const res = await sendTracked({ db: s.db, transport: s.transport, now: s.now, senderEmail: s.senderEmail }, { messageId: d.messageId, file: d.filePath }, s.mail, {
    done: (status, at) => markDigestDone(s.db, d.id, status, at),
    failed: (error) => markDigestFailed(s.db, d.id, error),
    uncertain: (why) => markDigestUncertain(s.db, d.id, why),
  });
  if (res.status === 'sent' || res.status === 'written') return { status: res.status, digest: d, file: res.file };
  return { status: res.status, digest: d, error: res.error ?? '' };
}

/**
 * What a digest that already covers the period means for this run: done (covered), being sent by a
 * live process of this host (busy), or uncertain (pending). Over the outbox, the file tells.
 */
export function settleDigest(db: Db, d: DigestRow, now: () => Date): DigestOutcome {
  if (d.status !== 'sending') return { status: 'covered', digest: d };
  if (d.error === null && d.host === os.hostname() && d.pid !== process.pid && pidAlive(d.pid)) return { status: 'busy', digest: d };
  // Written (renamed into place) before the run died.
  if (d.filePath && fs.existsSync(d.filePath)) {
    write(db, () => markDigestDone(db, d.id, 'written', timestamp(now())));
    return { status: 'covered', digest: { ...d, status: 'written' } };
  }
  return { status: 'pending', digest: d };
}
