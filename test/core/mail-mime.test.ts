import { describe, expect, it } from 'vitest';
import { composeEml, quotedPrintable } from '../../src/mail/transport.js';

/** Decode quoted-printable (RFC 2045) back to text, to check the encoder round-trips. */
function decodeQp(qp: string): string {
  const bytes: number[] = [];
  for (const line of qp.split('\r\n')) {
    const soft = line.endsWith('=');
    const body = soft ? line.slice(0, -1) : line;
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '=') {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(body.charCodeAt(i));
    }
    if (!soft) bytes.push(10);
  }
  bytes.pop();
  return Buffer.from(bytes).toString('utf8');
}

describe('quoted-printable', () => {
  const samples = [
    '',
    'Bonjour,',
    'Total restant dû : 346,80\u00a0€ — merci',
    'a = b',
    'trailing space ',
    'trailing tab\t',
    'x'.repeat(75),
    'x'.repeat(76),
    'é'.repeat(40),
    `${'a'.repeat(73)}é and more text after the break, with = signs and\ttabs`,
    '<html lang="fr"><head><meta charset="utf-8"><title>Relance : facture en attente de règlement</title></head>',
  ];

  it('round-trips every line, keeps lines within 76 characters and encodes what must be', () => {
    for (const s of samples) {
      const qp = quotedPrintable(s);
      expect(decodeQp(qp)).toBe(s);
      for (const line of qp.split('\r\n')) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line).toMatch(/^[\x20-\x7e\t]*$/);
        expect(line).not.toMatch(/[ \t]$/);
      }
    }
    expect(quotedPrintable('a = b')).toBe('a =3D b');
    expect(quotedPrintable('fin ')).toBe('fin=20');
    expect(quotedPrintable('dû\r\nok')).toBe('d=C3=BB\r\nok');
    expect(quotedPrintable('x'.repeat(76))).toBe(`${'x'.repeat(75)}=\r\nx`);
  });
});

describe('the outbox message', () => {
  it('carries both parts and each attachment in base64 lines of 76', () => {
    const pdf = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const eml = composeEml({
      fromName: 'Atelier Dupont',
      from: 'a@b.fr',
      replyTo: 'a@b.fr',
      to: 'c@d.fr',
      subject: 'Relance : facture F-1',
      text: 'Reste dû : 10,00 €',
      html: '<p>Reste dû : 10,00 €</p>',
      messageId: '<x.relance@b.fr>',
      date: new Date('2026-11-20T08:00:00Z'),
      attachments: [{ filename: 'F-1.pdf', content: pdf, contentType: 'application/pdf' }],
    }).toString('utf8');
    expect(eml).toContain('Content-Type: multipart/mixed;');
    expect(eml).toContain('Reste d=C3=BB : 10,00 =E2=82=AC');
    const b64 = eml.split('filename="F-1.pdf"\r\n\r\n')[1]!.split('\r\n--')[0]!;
    const lines = b64.split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(Buffer.from(lines.join(''), 'base64').equals(pdf)).toBe(true);
  });
});
