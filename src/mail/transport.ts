/**
 * The transport of reminder emails: SMTP through nodemailer (ONE pooled connection per run), or,
 * without smtp.host, .eml files in the outbox folder, written under a temp name and renamed so a
 * crash never leaves half a file. nodemailer is imported lazily.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { safeName, writeFileAtomic } from '../system/files.js';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  /** Connection, greeting and reply timeout (smtp.timeout_ms). */
  timeoutMs?: number;
}

export interface Attachment {
  filename: string;
  content: Buffer;
  contentType?: string;
  /** Shown inside the HTML part (<img src="cid:...">) instead of attached: its Content-ID. */
  cid?: string;
}

export interface OutgoingEmail {
  fromName: string;
  from: string;
  replyTo: string;
  to: string;
  /** Copies: shown in the headers (cc), or only in the envelope (bcc). */
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  attachments: Attachment[];
  /** Extra headers (e.g. X-Relance-Level). */
  headers?: Record<string, string>;
}

/**
 * What became of a message handed to the transport. `uncertain`: the server took the whole message
 * and then no reply came (closed, reset, timed out): it may have been delivered, so it must not be
 * sent again blindly. A refusal (4xx/5xx) or an error before the data was handed over is a plain failure.
 */
export type SendResult = { ok: true; response: string; file: string | null } | { ok: false; error: string; uncertain?: boolean; timeout?: boolean };

export interface Transport {
  kind: 'smtp' | 'outbox';
  /** "SMTP mail.example.com:587" or "outbox /path". */
  describe: string;
  /** The outbox file a message will be written to (null over SMTP): recorded before it is written. */
  plannedFile(name: string): string | null;
  send(mail: OutgoingEmail, file: string | null): Promise<SendResult>;
  close(): void;
}

/** A Message-ID under the business's own domain: <random.relance@domain>. */
export function newMessageId(businessEmail: string): string {
  const domain = /@([^>\s]+)$/.exec(businessEmail)?.[1] ?? 'relance.invalid';
  return `<${crypto.randomBytes(12).toString('hex')}.relance@${domain}>`;
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
    cc: mail.cc?.length ? mail.cc : undefined,
    bcc: mail.bcc?.length ? mail.bcc : undefined,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date: mail.date,
    attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType ?? 'application/pdf', ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}) })),
    headers: { 'X-Mailer': 'relance', 'Auto-Submitted': 'auto-generated', ...mail.headers },
  };
}

/**
 * The SMTP transport: one pooled connection (maxConnections 1) for the whole run. Each message's
 * bytes pass through a tap (nodemailer's 'stream' step) that notes when the whole message has been
 * handed to the connection: an error after that without a reply from the server (closed, reset,
 * timed out) is `uncertain`, since the server may have taken it; an explicit 4xx/5xx reply, or an
 * error before the data was handed over, is a plain failure.
 */
export async function smtpTransport(s: SmtpSettings): Promise<Transport> {
  const nodemailer = await loadNodemailer();
  const { PassThrough } = await import('node:stream');
  const timeout = s.timeoutMs ?? 20_000;
  const t = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  t.use('stream', (mail, done) => {
    const state = (mail.data as { relance?: { handed: boolean } }).relance;
    if (state) {
      mail.message.transform(() => {
        const tap = new PassThrough();
        tap.once('end', () => (state.handed = true));
        return tap;
      });
    }
    done();
  });
  return {
    kind: 'smtp',
    describe: `SMTP ${s.host}:${s.port}`,
    plannedFile: () => null,
    async send(mail) {
      const state = { handed: false };
      try {
        const info = await t.sendMail({ ...mailOptions(mail), relance: state } as Parameters<typeof t.sendMail>[0]);
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0 && (info.accepted ?? []).length === 0) return { ok: false, error: `recipient refused: ${rejected.join(', ')} (${info.response})` };
        return { ok: true, response: String(info.response ?? 'accepted'), file: null };
      } catch (err) {
        const e = err as Error & { response?: string; code?: string; responseCode?: number };
        const error = (e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message}`).replace(/\s+/g, ' ').trim();
        const timedOut = e.code === 'ETIMEDOUT';
        // A reply (4xx/5xx) is an answer: failed. No reply after the whole message: nobody knows.
        if (state.handed && !e.responseCode) return { ok: false, error, uncertain: true, timeout: timedOut };
        return { ok: false, error, timeout: timedOut };
      }
    },
    close() {
      t.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A small MIME writer for the outbox: the same message SMTP would carry (multipart/alternative with
// a quoted-printable plain-text and HTML part, attachments in base64), at a fraction of the cost of
// composing through nodemailer, which matters when one run writes 10k files.

// Each byte as quoted-printable writes it (a space or a tab is literal, except at the end of a line).
const QP_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
);
/** A line that quoted-printable leaves as it is: printable ASCII without "=", not ending in a space or a tab. */
const QP_PLAIN = /^(?:[\t\x20-\x3c\x3e-\x7e]*[\x21-\x3c\x3e-\x7e])?$/;
/** The next character that needs encoding. */
const QP_UNSAFE = /[^\t\x20-\x3c\x3e-\x7e]/g;

/** The UTF-8 bytes of one code point (a lone surrogate as U+FFFD, as Buffer.from does). */
function utf8Of(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp >= 0xd800 && cp <= 0xdfff) return [0xef, 0xbf, 0xbd];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/**
 * Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, lines of at most 76 characters (a soft
 * break "=" after 75). Runs of characters that need no encoding are copied whole, the others are
 * encoded byte by byte: 10k messages a run go through here.
 */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.length <= 75 && QP_PLAIN.test(line)) {
      out.push(line);
      continue;
    }
    const n = line.length;
    // A space or a tab ending the line is encoded (a transport may strip it).
    const end = n > 0 && (line[n - 1] === ' ' || line[n - 1] === '\t') ? n - 1 : n;
    let cur = '';
    const put = (enc: string) => {
      if (cur.length + enc.length > 75) {
        out.push(cur + '=');
        cur = '';
      }
      cur += enc;
    };
    let i = 0;
    while (i < end) {
      QP_UNSAFE.lastIndex = i;
      const m = QP_UNSAFE.exec(line);
      const j = m && m.index < end ? m.index : end;
      while (i < j) {
        if (cur.length >= 75) {
          out.push(cur + '=');
          cur = '';
        }
        const take = Math.min(75 - cur.length, j - i);
        cur += line.slice(i, i + take);
        i += take;
      }
      if (j < end) {
        const cp = line.codePointAt(j)!;
        for (const b of utf8Of(cp)) put(QP_BYTE[b]!);
        i = j + (cp > 0xffff ? 2 : 1);
      }
    }
    if (end < n) put(line[n - 1] === ' ' ? '=20' : '=09');
    out.push(cur);
  }
  return out.join('\r\n');
}

/** A header value: as is when ASCII, else RFC 2047 encoded words (B), each at most 75 characters. */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function base64Lines(b: Buffer): string {
  const s = b.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += 76) lines.push(s.slice(i, i + 76));
  return lines.join('\r\n');
}

function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** The raw RFC 5322 message of an email (what the outbox file holds). */
export function composeEml(mail: OutgoingEmail): Buffer {
  const seed = crypto.createHash('sha1').update(mail.messageId).digest('hex').slice(0, 20);
  const alt = `relance-alt-${seed}`;
  const mixed = `relance-mixed-${seed}`;
  const name = /^[\w .-]*$/.test(mail.fromName) ? `"${mail.fromName}"` : encodeHeader(mail.fromName);
  const head = [
    `From: ${name} <${mail.from}>`,
    `Reply-To: ${mail.replyTo}`,
    `To: ${mail.to}`,
    ...(mail.cc?.length ? [`Cc: ${mail.cc.join(', ')}`] : []),
    // An outbox file is read by a person who forwards it: the business's own copy is named there.
    ...(mail.bcc?.length ? [`Bcc: ${mail.bcc.join(', ')}`] : []),
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${rfc5322Date(mail.date)}`,
    `Message-ID: ${mail.messageId}`,
    'MIME-Version: 1.0',
    'X-Mailer: relance',
    'Auto-Submitted: auto-generated',
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => `${k}: ${encodeHeader(v)}`),
  ];
  const alternative = [
    `--${alt}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.text),
    `--${alt}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.html),
    `--${alt}--`,
  ];
  let body: string[];
  if (mail.attachments.length === 0) {
    body = [`Content-Type: multipart/alternative; boundary="${alt}"`, '', ...alternative];
  } else {
    body = [`Content-Type: multipart/mixed; boundary="${mixed}"`, '', `--${mixed}`, `Content-Type: multipart/alternative; boundary="${alt}"`, '', ...alternative];
    for (const a of mail.attachments) {
      body.push(
        `--${mixed}`,
        `Content-Type: ${a.contentType ?? 'application/pdf'}; name="${a.filename}"`,
        'Content-Transfer-Encoding: base64',
        ...(a.cid ? [`Content-ID: <${a.cid}>`, `Content-Disposition: inline; filename="${a.filename}"`] : [`Content-Disposition: attachment; filename="${a.filename}"`]),
        '',
        base64Lines(a.content),
      );
    }
    body.push(`--${mixed}--`);
  }
  return Buffer.from([...head, ...body].join('\r\n') + '\r\n', 'utf8');
}

/** Without SMTP settings: each message becomes an .eml file in the outbox folder. */
export async function outboxTransport(dir: string): Promise<Transport> {
  return {
    kind: 'outbox',
    describe: `outbox ${dir}`,
    plannedFile: (name) => path.join(dir, `${safeName(name)}.eml`),
    async send(mail, file) {
      if (!file) return { ok: false, error: 'no outbox file name' };
      try {
        writeFileAtomic(file, composeEml(mail));
        return { ok: true, response: `written to ${file}`, file };
      } catch (err) {
        return { ok: false, error: `cannot write ${file}: ${(err as Error).message}` };
      }
    },
    close() {},
  };
}
