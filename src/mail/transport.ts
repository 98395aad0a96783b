/**
 * The transport of reminder emails: SMTP through nodemailer (ONE pooled connection per run), or,
 * without smtp.host, .eml files in the outbox folder, written under a temp name and renamed so a
 * crash never leaves half a file. nodemailer is imported lazily.
 *
 * Test hook: RELANCE_TEST_CRASH_AT=point[:n] kills the process (SIGKILL) the n-th time (default 1st)
 * it reaches that point, to prove the exactly-once guarantees (see test/e2e/remind-crash.test.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
}

export interface Attachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface OutgoingEmail {
  fromName: string;
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  attachments: Attachment[];
  /** Extra headers (e.g. X-Relance-Level). */
  headers?: Record<string, string>;
}

export type SendResult = { ok: true; response: string; file: string | null } | { ok: false; error: string };

export interface Transport {
  kind: 'smtp' | 'outbox';
  /** "SMTP mail.example.com:587" or "outbox /path". */
  describe: string;
  /** The outbox file a message will be written to (null over SMTP): recorded before it is written. */
  plannedFile(name: string): string | null;
  send(mail: OutgoingEmail, file: string | null): Promise<SendResult>;
  close(): void;
}

const crashCounts = new Map<string, number>();

/** Kill the process here when RELANCE_TEST_CRASH_AT names this point (tests only). */
export function crashPoint(point: string, env: NodeJS.ProcessEnv = process.env): void {
  const spec = env.RELANCE_TEST_CRASH_AT;
  if (!spec) return;
  const [name, nth] = spec.split(':');
  if (name !== point) return;
  const n = (crashCounts.get(point) ?? 0) + 1;
  crashCounts.set(point, n);
  if (n === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
}

/** A Message-ID under the business's own domain: <random.relance@domain>. */
export function newMessageId(businessEmail: string): string {
  const domain = /@([^>\s]+)$/.exec(businessEmail)?.[1] ?? 'relance.invalid';
  return `<${crypto.randomBytes(12).toString('hex')}.relance@${domain}>`;
}

/** Write a file atomically: temp name in the same folder, fsync, rename. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  crashPoint('before-rename');
  fs.renameSync(tmp, file);
}

/** A file name made of safe characters, for outbox and letters. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

type NodemailerModule = typeof import('nodemailer');

async function loadNodemailer(): Promise<NodemailerModule> {
  const m = (await import('nodemailer')) as unknown as NodemailerModule & { default?: NodemailerModule };
  return m.default ?? m;
}

function mailOptions(mail: OutgoingEmail) {
  return {
    from: { name: mail.fromName, address: mail.from },
    replyTo: mail.replyTo,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date: mail.date,
    attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType ?? 'application/pdf' })),
    headers: { 'X-Mailer': 'relance', 'Auto-Submitted': 'auto-generated', ...mail.headers },
  };
}

/** The SMTP transport: one pooled connection (maxConnections 1) for the whole run. */
export async function smtpTransport(s: SmtpSettings): Promise<Transport> {
  const nodemailer = await loadNodemailer();
  const t = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    describe: `SMTP ${s.host}:${s.port}`,
    plannedFile: () => null,
    async send(mail) {
      try {
        const info = await t.sendMail(mailOptions(mail));
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0 && (info.accepted ?? []).length === 0) return { ok: false, error: `recipient refused: ${rejected.join(', ')} (${info.response})` };
        return { ok: true, response: String(info.response ?? 'accepted'), file: null };
      } catch (err) {
        const e = err as Error & { response?: string; code?: string };
        return { ok: false, error: (e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message}`).replace(/\s+/g, ' ').trim() };
      }
    },
    close() {
      t.close();
    },
  };
}

/** Without SMTP settings: each message becomes an .eml file in the outbox folder. */
export async function outboxTransport(dir: string): Promise<Transport> {
  const nodemailer = await loadNodemailer();
  // nodemailer's stream transport composes the exact MIME message SMTP would carry, into a Buffer.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'outbox',
    describe: `outbox ${dir}`,
    plannedFile: (name) => path.join(dir, `${safeName(name)}.eml`),
    async send(mail, file) {
      if (!file) return { ok: false, error: 'no outbox file name' };
      try {
        const info = await composer.sendMail(mailOptions(mail));
        const raw = info.message as Buffer;
        writeFileAtomic(file, raw);
        return { ok: true, response: `written to ${file}`, file };
      } catch (err) {
        return { ok: false, error: `cannot write ${file}: ${(err as Error).message}` };
      }
    },
    close() {},
  };
}
