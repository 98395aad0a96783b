/**
 * Mail as a real parser reads it: mailparser (the nodemailer project's parser), reduced to what a
 * reader of the message sees, so two messages can be compared field by field.
 */
import crypto from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

export interface ParsedView {
  from: { name: string; address: string }[];
  to: { name: string; address: string }[];
  replyTo: { name: string; address: string }[];
  subject: string;
  messageId: string;
  date: Date;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number; sha256: string; content: Buffer }[];
  headers: Record<string, string>;
}

function addresses(a: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  return [a ?? []].flat().flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address ?? '' })));
}

/** Line ends as a reader sees them (\n), whatever the transport carried. */
export const lf = (s: string): string => s.replace(/\r\n/g, '\n');

export async function parseMail(raw: Buffer | string): Promise<ParsedView> {
  const m: ParsedMail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const headers: Record<string, string> = {};
  for (const [k, v] of m.headers) if (k.startsWith('x-') || k === 'auto-submitted' || k === 'mime-version') headers[k] = String(typeof v === 'object' && v !== null && 'value' in v ? v.value : v);
  return {
    from: addresses(m.from),
    to: addresses(m.to),
    replyTo: addresses(m.replyTo),
    subject: m.subject ?? '',
    messageId: m.messageId ?? '',
    date: m.date ?? new Date(NaN),
    text: lf(m.text ?? ''),
    html: lf(typeof m.html === 'string' ? m.html : ''),
    attachments: m.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      size: a.content.length,
      sha256: crypto.createHash('sha256').update(a.content).digest('hex'),
      content: a.content,
    })),
    headers,
  };
}

/** What two transports must agree on: everything but the Message-ID and Date of each send. */
export function content(v: ParsedView) {
  const { messageId: _id, date: _date, attachments, ...rest } = v;
  return { ...rest, attachments: attachments.map(({ content: _c, ...a }) => a) };
}

/** Deterministic bytes (a seeded xorshift), so a failure shows the same attachment every run. */
export function pseudoRandomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}
