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

// Random bytes for Message-IDs, drawn 256 ids at a time: one randomBytes() call per message cost
// ~40 us in a run recording 10k (each a call into OpenSSL and a new Buffer).
let idPool = Buffer.alloc(0);
let idAt = 0;

/** A Message-ID under the business's own domain: <random.relance@domain>. */
export function newMessageId(businessEmail: string): string {
  const domain = /@([^>\s]+)$/.exec(businessEmail)?.[1] ?? 'relance.invalid';
  if (idAt + 12 > idPool.length) {
    idPool = crypto.randomBytes(12 * 256);
    idAt = 0;
  }
  const hex = idPool.toString('hex', idAt, idAt + 12);
  idAt += 12;
  return `<${hex}.relance@${domain}>`;
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

// Quoted-printable (RFC 2045) written as bytes: the text's UTF-8 read once, each byte copied or
// written "=XX" into a scratch buffer, no string per run or per encoded byte (10k messages a run,
// 3.5 KB of text and HTML each).

/** Bytes quoted-printable copies as they are (a space or a tab too, except at the end of a line). */
const QP_SAFE = new Uint8Array(256);
for (let b = 0; b < 256; b++) QP_SAFE[b] = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? 1 : 0;
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');

let qpScratch = Buffer.allocUnsafeSlow(16 * 1024);

/**
 * Quoted-printable of UTF-8 text into `out` from 0 (CRLF line ends, lines of at most 76 characters:
 * a soft break "=" after 75; a space or a tab ending a line encoded); returns the length written.
 * `out` must hold 3 * 26 / 25 of the text's bytes plus 2 per line (qpBound).
 */
function qpInto(src: Buffer, out: Buffer): number {
  const n = src.length;
  let o = 0;
  let i = 0;
  while (i <= n) {
    // One line: [i, e), without its \n and a \r just before it.
    let nl = src.indexOf(10, i);
    if (nl < 0) nl = n;
    let e = nl < n && nl > i && src[nl - 1] === 13 ? nl - 1 : nl;
    const last = e > i ? src[e - 1]! : -1;
    const trailing = last === 32 || last === 9;
    if (trailing) e--;
    let col = 0;
    for (let k = i; k < e; k++) {
      const c = src[k]!;
      if (QP_SAFE[c] === 1) {
        if (col >= 75) {
          out[o++] = 61;
          out[o++] = 13;
          out[o++] = 10;
          col = 0;
        }
        out[o++] = c;
        col++;
      } else {
        if (col + 3 > 75) {
          out[o++] = 61;
          out[o++] = 13;
          out[o++] = 10;
          col = 0;
        }
        out[o++] = 61;
        out[o++] = HEX[c >> 4]!;
        out[o++] = HEX[c & 15]!;
        col += 3;
      }
    }
    if (trailing) {
      if (col + 3 > 75) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
      }
      out[o++] = 61;
      out[o++] = 48 + (last === 32 ? 2 : 0);
      out[o++] = last === 32 ? 48 : 57;
    }
    if (nl >= n) break;
    out[o++] = 13;
    out[o++] = 10;
    i = nl + 1;
  }
  return o;
}

/** Room for the quoted-printable of `bytes` bytes: each may take 3, plus a soft break per 25 and the CRLFs. */
const qpBound = (bytes: number) => bytes * 3 + Math.ceil((bytes * 3) / 25) * 3 + 2 * bytes + 8;

/** The quoted-printable bytes of a text, in a buffer reused by the next call (copy before calling again). */
function qpBytes(text: string): Buffer {
  const src = Buffer.from(text, 'utf8');
  const need = qpBound(src.length);
  if (qpScratch.length < need) qpScratch = Buffer.allocUnsafeSlow(need);
  return qpScratch.subarray(0, qpInto(src, qpScratch));
}

/**
 * Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, lines of at most 76 characters (a soft
 * break "=" after 75), a space or a tab ending a line encoded (a transport may strip it).
 */
export function quotedPrintable(text: string): string {
  return qpBytes(text).toString('latin1');
}

/** UTF-8 length of one UTF-16 code unit (a surrogate pair counts 2 + 2). */
const utf8Units = (c: number) => (c < 0x80 ? 1 : c < 0x800 ? 2 : 3);

/** A header value: as is when ASCII, else RFC 2047 encoded words (B), each at most 75 characters. */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  // Words of at most 45 bytes of UTF-8 (60 of base64), cut between whole characters.
  const words: string[] = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < value.length; ) {
    const c = value.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const n = pair ? 4 : utf8Units(c);
    const w = pair ? 2 : 1;
    if (bytes + n > 45 && i > from) {
      words.push(value.slice(from, i));
      from = i;
      bytes = 0;
    }
    bytes += n;
    i += w;
  }
  if (from < value.length) words.push(value.slice(from));
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** Base64 lines of 76 characters, each followed by CRLF: the size of `n` bytes so encoded. */
function base64Size(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  return chars === 0 ? 2 : chars + 2 * Math.ceil(chars / 76);
}

/**
 * Write `b` base64-encoded at `at` in `out` as lines of 76 characters ending in CRLF (an empty
 * attachment: one empty line), in base64Size(b.length) bytes. Buffer encodes the whole content in
 * one call into its place, then each line is moved apart from the last one back, inside `out`:
 * no string per line, no copy of the message.
 */
function putBase64(out: Buffer, at: number, b: Buffer): number {
  const chars = out.write(b.toString('base64'), at, 'latin1');
  if (chars === 0) {
    out[at] = 13;
    out[at + 1] = 10;
    return at + 2;
  }
  const lines = Math.ceil(chars / 76);
  for (let l = lines - 1; l >= 0; l--) {
    const src = at + l * 76;
    const len = Math.min(76, chars - l * 76);
    const dst = at + l * 78;
    if (dst !== src) out.copyWithin(dst, src, src + len);
    out[dst + len] = 13;
    out[dst + len + 1] = 10;
  }
  return at + chars + 2 * lines;
}

// The Date header of the last second asked for: a run writes thousands within the same seconds.
let dateSecond = NaN;
let dateHeader = '';

function rfc5322Date(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = d.toUTCString().replace(/GMT$/, '+0000');
  }
  return dateHeader;
}

/**
 * The raw RFC 5322 message of an email (what the outbox file holds), in one Buffer: the headers and
 * the text parts as strings (a few KB), each attachment's bytes base64-encoded straight into the
 * message (a reminder attaches a 28 KB Factur-X PDF: 10k of them a run).
 */
export function composeEml(mail: OutgoingEmail): Buffer {
  return composeInto(mail, (size) => Buffer.allocUnsafe(size));
}

let emlScratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * composeEml into a buffer kept from one message to the next (valid until the next call): an outbox
 * file is written synchronously right after, and 10k messages of 45 KB a run allocated apart cost
 * the garbage collector more than the copy they save.
 */
function composeReused(mail: OutgoingEmail): Buffer {
  return composeInto(mail, (size) => {
    if (emlScratch.length < size) emlScratch = Buffer.allocUnsafeSlow(Math.max(size, emlScratch.length * 2));
    return emlScratch.subarray(0, size);
  });
}

function composeInto(mail: OutgoingEmail, alloc: (size: number) => Buffer): Buffer {
  const seed = crypto.createHash('sha1').update(mail.messageId).digest('hex').slice(0, 20);
  const alt = `relance-alt-${seed}`;
  const mixed = `relance-mixed-${seed}`;
  const name = /^[\w .-]*$/.test(mail.fromName) ? `"${mail.fromName}"` : encodeHeader(mail.fromName);
  let extra = '';
  for (const [k, v] of Object.entries(mail.headers ?? {})) extra += `${k}: ${encodeHeader(v)}\r\n`;
  const head =
    `From: ${name} <${mail.from}>\r\n` +
    `Reply-To: ${mail.replyTo}\r\n` +
    `To: ${mail.to}\r\n` +
    (mail.cc?.length ? `Cc: ${mail.cc.join(', ')}\r\n` : '') +
    // An outbox file is read by a person who forwards it: the business's own copy is named there.
    (mail.bcc?.length ? `Bcc: ${mail.bcc.join(', ')}\r\n` : '') +
    `Subject: ${encodeHeader(mail.subject)}\r\n` +
    `Date: ${rfc5322Date(mail.date)}\r\n` +
    `Message-ID: ${mail.messageId}\r\n` +
    'MIME-Version: 1.0\r\n' +
    'X-Mailer: relance\r\n' +
    'Auto-Submitted: auto-generated\r\n' +
    extra;
  const textQp = Buffer.from(qpBytes(mail.text));
  const htmlQp = qpBytes(mail.html);
  const part = (type: string) => `--${alt}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  // What the message is made of, in order: strings (UTF-8), quoted-printable bytes, attachments (base64).
  const segments: (string | Buffer | Attachment)[] = [];
  if (mail.attachments.length === 0) segments.push(`${head}Content-Type: multipart/alternative; boundary="${alt}"\r\n\r\n`);
  else segments.push(`${head}Content-Type: multipart/mixed; boundary="${mixed}"\r\n\r\n--${mixed}\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n\r\n`);
  segments.push(part('text/plain'), textQp, `\r\n${part('text/html')}`, htmlQp, `\r\n--${alt}--\r\n`);
  for (const a of mail.attachments) {
    segments.push(
      `--${mixed}\r\n` +
        `Content-Type: ${a.contentType ?? 'application/pdf'}; name="${a.filename}"\r\n` +
        'Content-Transfer-Encoding: base64\r\n' +
        (a.cid ? `Content-ID: <${a.cid}>\r\nContent-Disposition: inline; filename="${a.filename}"\r\n` : `Content-Disposition: attachment; filename="${a.filename}"\r\n`) +
        '\r\n',
      a,
    );
  }
  if (mail.attachments.length > 0) segments.push(`--${mixed}--\r\n`);
  let size = 0;
  for (const x of segments) size += typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : Buffer.isBuffer(x) ? x.length : base64Size(x.content.length);
  const out = alloc(size);
  let at = 0;
  for (const x of segments) {
    if (typeof x === 'string') at += out.write(x, at, 'utf8');
    else if (Buffer.isBuffer(x)) at += x.copy(out, at);
    else at = putBase64(out, at, x.content);
  }
  return out;
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
        writeFileAtomic(file, composeReused(mail));
        return { ok: true, response: `written to ${file}`, file };
      } catch (err) {
        return { ok: false, error: `cannot write ${file}: ${(err as Error).message}` };
      }
    },
    close() {},
  };
}
