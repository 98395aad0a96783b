/**
 * The outbox's hand-written MIME writer (src/mail/transport.ts composeEml) checked by a real parser:
 * mailparser reads back From, To, Reply-To, a Subject with accents and emoji, Message-ID, Date, the
 * text and HTML parts and each attachment byte for byte, for a French and an English reminder with
 * long lines and a 1 MB attachment; and the same email sent by the SMTP transport (nodemailer) to a
 * real smtp-server on 127.0.0.1 parses to the same content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { composeEml, quotedPrintable, smtpTransport, type OutgoingEmail } from '../../src/mail/transport.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { content, lf, parseMail, pseudoRandomBytes } from './parse.js';

const MB = 1024 * 1024;

/** A long paragraph: a line far past 76 characters, accented letters falling on soft-break positions. */
const longFr =
  "Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement des factures suivantes, arrivées à échéance : " +
  'é'.repeat(90) +
  ' — merci de procéder au règlement dans les meilleurs délais (indemnité forfaitaire de 40 € par facture, article L441-10 du Code de commerce).';
const longEn = `We have not yet received payment of the following invoices, now past their due date; if your payment has crossed this message, please disregard it. ${'x'.repeat(200)} 🙂 end.`;

function reminder(lang: 'fr' | 'en'): OutgoingEmail {
  const fr = lang === 'fr';
  const lines = fr
    ? ['Bonjour,', '', longFr, '', '  F-2026-0001   12/01/2026   1 500,00 €   ', 'Ligne avec = signe et\ttabulation', '.ligne qui commence par un point', 'From the start of a line', '', 'Bien cordialement,', 'Atelier Dupont ☀️']
    : ['Dear Sir or Madam,', '', longEn, '', 'F-2026-0002   2026-01-12   €1,500.00', 'trailing space ', '', 'Kind regards,', 'Atelier Dupont ☀️'];
  const text = lines.join('\n');
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${fr ? 'Relance' : 'Reminder'}</title></head><body>${lines.map((l) => `<p style="margin:0 0 8px 0;font-family:Helvetica,Arial,sans-serif">${l.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('')}</body></html>`;
  return {
    fromName: 'Atelier Dupont & Fils ☀️',
    from: 'compta@dupont.example',
    replyTo: 'compta@dupont.example',
    to: fr ? 'compta@acme.example' : 'ap@globex.example',
    subject: fr
      ? 'Atelier Dupont ☀️ – relance : 2 factures en attente de règlement (échéance dépassée, été 2026) 🔔'
      : 'Atelier Dupont ☀️ – reminder: 2 invoices awaiting payment, now past their due date 🔔',
    text,
    html,
    messageId: `<${fr ? 'a1b2c3' : 'd4e5f6'}.relance@dupont.example>`,
    date: new Date('2026-03-12T08:30:15Z'),
    attachments: [
      { filename: fr ? 'F-2026-0001.pdf' : 'F-2026-0002.pdf', content: Buffer.concat([Buffer.from('%PDF-1.7\n'), pseudoRandomBytes(MB, fr ? 1 : 2)]), contentType: 'application/pdf' },
      { filename: 'releve.csv', content: Buffer.from('facture;montant\r\nF-2026-0001;1500,00\r\n', 'utf8'), contentType: 'text/csv' },
    ],
    headers: { 'X-Relance-Level': '1' },
  };
}

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

/** Send one email through the SMTP transport to the test server; its raw message as received. */
async function overSmtp(mail: OutgoingEmail): Promise<string> {
  const t = await smtpTransport({ host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null });
  try {
    const before = smtp.messages.length;
    const r = await t.send(mail, null);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(smtp.messages).toHaveLength(before + 1);
    return smtp.messages[before]!.raw;
  } finally {
    t.close();
  }
}

describe.each(['fr', 'en'] as const)('a %s reminder written by composeEml', (lang) => {
  const mail = reminder(lang);

  it('parses back to every header, both parts and each attachment byte for byte', async () => {
    const raw = composeEml(mail);
    const v = await parseMail(raw);
    expect(v.from).toEqual([{ name: mail.fromName, address: mail.from }]);
    expect(v.to).toEqual([{ name: '', address: mail.to }]);
    expect(v.replyTo).toEqual([{ name: '', address: mail.replyTo }]);
    expect(v.subject).toBe(mail.subject);
    expect(v.messageId).toBe(mail.messageId);
    expect(v.date.toISOString()).toBe(mail.date.toISOString());
    expect(v.text).toBe(mail.text);
    expect(v.html).toBe(mail.html);
    expect(v.headers['x-relance-level']).toBe('1');
    expect(v.headers['auto-submitted']).toBe('auto-generated');
    expect(v.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual(mail.attachments.map((a) => [a.filename, a.contentType, a.content.length]));
    mail.attachments.forEach((a, i) => expect(v.attachments[i]!.content.equals(a.content), a.filename).toBe(true));
  });

  it('keeps every line within the limits of RFC 5322 and 2045 (no line over 998, encoded lines at most 76)', () => {
    const raw = composeEml(mail).toString('utf8');
    expect(/[^\r]\n/.test(raw), 'bare LF').toBe(false);
    const lines = raw.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    // The encoded content (quoted-printable and base64 lines; part headers aside) within 76 characters.
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4).split('\r\n');
    expect(body.filter((l) => l.length > 76 && !/^Content-[\w-]+: /.test(l))).toEqual([]);
    // Nothing but 7-bit ASCII on the wire: every accent and emoji is encoded.
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    expect(mail.text.split('\n').some((l) => l.length > 200)).toBe(true);
  });

  it('parses to the same content as the same email sent over SMTP by nodemailer to a real server', async () => {
    const outbox = await parseMail(composeEml(mail));
    const sent = await parseMail(await overSmtp(mail));
    expect(content(sent)).toEqual(content(outbox));
    expect(sent.messageId).toBe(outbox.messageId);
    expect(sent.date.toISOString()).toBe(outbox.date.toISOString());
    mail.attachments.forEach((a, i) => expect(sent.attachments[i]!.content.equals(a.content), a.filename).toBe(true));
  });
});

describe('edge cases of the writer, read back by mailparser', () => {
  it('subjects and sender names of any length and script, split into encoded words on whole characters', async () => {
    const subjects = ['Plain ASCII subject', 'é', '🔔'.repeat(40), `${'relance '.repeat(12)}— échéance`, 'Ça coûte 1 500,00 € 👨‍👩‍👧 (famille) ✔︎', 'a'.repeat(200)];
    for (const subject of subjects) {
      const mail = { ...reminder('fr'), subject, fromName: subject.slice(0, 60), attachments: [] };
      const v = await parseMail(composeEml(mail));
      expect(v.subject).toBe(subject);
      expect(v.from[0]!.name).toBe(mail.fromName);
      expect(v.text).toBe(mail.text);
    }
  });

  it('text of lines exactly at, just under and just over the soft-break width, in any script', async () => {
    const text = [74, 75, 76, 77, 151, 152].flatMap((n) => ['x'.repeat(n), `${'x'.repeat(n - 1)}é`, `${'x'.repeat(n - 1)} `, `${'x'.repeat(n - 2)}🙂`, `${'x'.repeat(n - 1)}=`]).join('\n');
    const mail = { ...reminder('en'), text, html: `<p>${text}</p>`, attachments: [] };
    const v = await parseMail(composeEml(mail));
    expect(v.text).toBe(lf(text));
    expect(v.html).toBe(`<p>${text}</p>`);
  });
});

// The first quoted-printable encoder, by strings (runs of plain characters copied, the others encoded
// byte by byte): the oracle of the byte encoder.
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
function qpByString(text: string): string {
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

/** UTF-8 length of one UTF-16 code unit (a surrogate pair counts 2 + 2). */
const utf8Units = (c: number) => (c < 0x80 ? 1 : c < 0x800 ? 2 : 3);

/**
 * The message as the first version of the writer built it, line by line through strings (one string
 * per base64 line, the whole message encoded to UTF-8 at the end): the oracle the Buffer writer
 * (base64 straight into the message) must equal byte for byte.
 */
function lineByLine(mail: OutgoingEmail): Buffer {
  const seed = crypto.createHash('sha1').update(mail.messageId).digest('hex').slice(0, 20);
  const alt = `relance-alt-${seed}`;
  const mixed = `relance-mixed-${seed}`;
  const header = (v: string) => {
    if (/^[\x20-\x7e]*$/.test(v)) return v;
    const words: string[] = [];
    let chunk = '';
    for (const ch of v) {
      if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
        words.push(chunk);
        chunk = '';
      }
      chunk += ch;
    }
    if (chunk) words.push(chunk);
    return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
  };
  const b64 = (b: Buffer) => {
    const s = b.toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < s.length; i += 76) lines.push(s.slice(i, i + 76));
    return lines.join('\r\n');
  };
  const name = /^[\w .-]*$/.test(mail.fromName) ? `"${mail.fromName}"` : header(mail.fromName);
  const head = [
    `From: ${name} <${mail.from}>`,
    `Reply-To: ${mail.replyTo}`,
    `To: ${mail.to}`,
    ...(mail.cc?.length ? [`Cc: ${mail.cc.join(', ')}`] : []),
    ...(mail.bcc?.length ? [`Bcc: ${mail.bcc.join(', ')}`] : []),
    `Subject: ${header(mail.subject)}`,
    `Date: ${mail.date.toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: ${mail.messageId}`,
    'MIME-Version: 1.0',
    'X-Mailer: relance',
    'Auto-Submitted: auto-generated',
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => `${k}: ${header(v)}`),
  ];
  const part = (type: string, s: string) => [`--${alt}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable', '', qpByString(s)];
  const alternative = [...part('text/plain', mail.text), ...part('text/html', mail.html), `--${alt}--`];
  let body: string[];
  if (mail.attachments.length === 0) body = [`Content-Type: multipart/alternative; boundary="${alt}"`, '', ...alternative];
  else {
    body = [`Content-Type: multipart/mixed; boundary="${mixed}"`, '', `--${mixed}`, `Content-Type: multipart/alternative; boundary="${alt}"`, '', ...alternative];
    for (const a of mail.attachments) {
      body.push(
        `--${mixed}`,
        `Content-Type: ${a.contentType ?? 'application/pdf'}; name="${a.filename}"`,
        'Content-Transfer-Encoding: base64',
        ...(a.cid ? [`Content-ID: <${a.cid}>`, `Content-Disposition: inline; filename="${a.filename}"`] : [`Content-Disposition: attachment; filename="${a.filename}"`]),
        '',
        b64(a.content),
      );
    }
    body.push(`--${mixed}--`);
  }
  return Buffer.from([...head, ...body].join('\r\n') + '\r\n', 'utf8');
}

describe('the Buffer writer (base64 straight into the message) against the line-by-line one', () => {
  const french: OutgoingEmail = {
    ...reminder('fr'),
    fromName: "Société d'Électricité Générale — Éric Müller & Fils",
    subject: 'Relance n° 2 : facture « F-2026-0042 » échue depuis le 12 février — pénalités dues',
    cc: ['comptabilité@dupont.example'],
    bcc: ['archives@dupont.example'],
    headers: { 'X-Relance-Level': '2', 'X-Relance-Note': 'Échéance dépassée' },
  };

  it('writes the same bytes for attachments of every length modulo a line (57 bytes), empty ones, inline images', () => {
    for (const n of [0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 116, 171, 1000, 28_731]) {
      const mail: OutgoingEmail = {
        ...french,
        attachments: [
          { filename: `F-${n}.pdf`, content: pseudoRandomBytes(n, n + 7), contentType: 'application/pdf' },
          { filename: 'logo.png', content: pseudoRandomBytes((n * 7) % 300, n + 11), contentType: 'image/png', cid: 'logo@relance' },
          { filename: 'vide.txt', content: Buffer.alloc(0), contentType: 'text/plain' },
        ],
      };
      expect(composeEml(mail).equals(lineByLine(mail)), `attachment of ${n} bytes`).toBe(true);
    }
    for (const mail of [reminder('fr'), reminder('en'), { ...french, attachments: [] }, { ...french, cc: [], bcc: [], headers: undefined }]) {
      expect(composeEml(mail).equals(lineByLine(mail))).toBe(true);
    }
  });

  it('splits headers into the same encoded words, whatever the script (accents, emoji, lone surrogates)', () => {
    for (const subject of ['é'.repeat(23), 'é'.repeat(22) + 'x', '🔔'.repeat(12), `x${'🔔'.repeat(11)}`, 'a\ud800b', 'fin \udc00', '€'.repeat(16), 'Ça coûte 1 500,00 € 👨‍👩‍👧 (famille) ✔︎']) {
      const mail = { ...french, subject, fromName: subject, attachments: [] };
      expect(composeEml(mail).toString('latin1')).toBe(lineByLine(mail).toString('latin1'));
    }
  });

  it('a French reminder with accented names reads the same through mailparser as the one nodemailer sends over SMTP', async () => {
    // (mailparser leaves X- headers encoded as they came, and nodemailer picks Q where the writer writes B)
    const french2: OutgoingEmail = { ...french, headers: { 'X-Relance-Level': '2' } };
    const outbox = await parseMail(composeEml(french2));
    const sent = await parseMail(await overSmtp(french2));
    expect(outbox.from).toEqual([{ name: french.fromName, address: french.from }]);
    expect(outbox.subject).toBe(french.subject);
    expect(outbox.text).toBe(lf(french.text));
    expect(content(sent)).toEqual(content(outbox));
    french.attachments.forEach((a, i) => {
      expect(outbox.attachments[i]!.filename).toBe(a.filename);
      expect(outbox.attachments[i]!.content.equals(a.content)).toBe(true);
      expect(sent.attachments[i]!.content.equals(a.content)).toBe(true);
    });
  });
});

describe('quoted-printable written as bytes', () => {
  it('equals the string encoder on every text: accents, emoji, lone surrogates, CR and CRLF, spaces and tabs at the ends, long lines', () => {
    const piece = fc.oneof(
      fc.constantFrom('é', 'ü', '€', '🔔', '\ud800', '\udc00', '=', ' ', '\t', '\r', '\n', '\r\n', '.', 'x'.repeat(70), 'é'.repeat(30), ' \n', '\t\r\n'),
      fc.string({ maxLength: 90 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(quotedPrintable(text)).toBe(qpByString(text));
      }),
      { numRuns: 3000 },
    );
  });
});
