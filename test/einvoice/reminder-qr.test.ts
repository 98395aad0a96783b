/**
 * Reminders carry the invoice's payment reference (the `paymentReference` template variable, in the
 * payment partial) and, on a letter, an EPC QR code for what is still due: decoded from the rendered
 * page, every field compared.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEpcPayload } from '../../src/core/epc-qr.js';
import { invoiceReference, printReference } from '../../src/core/payment-reference.js';
import { seed } from '../e2e/remind-fixtures.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { qrCodes } from './pdf-read.js';
import { pdfText } from '../helpers/pdf.js';

// Heavy checks (Saxon, pdftoppm, spawning bin/relance): seconds each alone, far more on a loaded machine.
const SLOW = 180_000;

function textPart(raw: string): string {
  const m = /Content-Type: text\/plain; charset=utf-8\r?\nContent-Transfer-Encoding: quoted-printable\r?\n\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  if (!m) throw new Error(`no quoted-printable text part in:\n${raw.slice(0, 2000)}`);
  const bytes = m[1]!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('a formal notice about one invoice', { timeout: SLOW }, () => {
  let sb: Sandbox;
  let smtp: TestSmtp;
  beforeAll(async () => {
    sb = sandbox('relance-einv-remind-');
    expect(sb.init().code).toBe(0);
    smtp = await startSmtp();
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['business.bic', 'AGRIFRPP']] as const) expect(sb.run(['ledger', 'set', k, v]).code).toBe(0);
    expect(sb.run(['policy', 'set', '--catch-up']).code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME', { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris' });
      const f = s.invoice({ client: c, number: 'F-2026-0001', issue: '2026-01-15', due: '2026-02-15', amount: 100_000 });
      s.pay({ client: c, invoice: f, date: '2026-03-10', amount: 40_000 });
    });
  }, SLOW);
  afterAll(async () => {
    await smtp.close();
    sb.cleanup();
  });

  it('quotes the payment reference in the email and puts the QR code of the 600 EUR still due on the letter', async () => {
    const r = await sb.runAsync(['remind', '--due', '--as-of', '2026-03-21']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = /letters to post: 1\n\s+(\S+\.pdf)/.exec(r.stdout)![1]!;
    const reference = invoiceReference('F-2026-0001');
    expect(textPart(smtp.messages[0]!.raw)).toContain(`Référence de paiement à indiquer sur le virement : ${printReference(reference)}`);
    // the letter is the formal notice (level 3 of the default policy), and its code asks what is still due
    expect((await pdfText(fs.readFileSync(file))).toLowerCase()).toContain('mise en demeure');
    const codes = await qrCodes(fs.readFileSync(file));
    expect(codes).toHaveLength(1);
    expect(parseEpcPayload(codes[0]!)).toEqual({
      bic: 'AGRIFRPP',
      name: 'Atelier Dupont',
      iban: 'FR7630006000011234567890189',
      currency: 'EUR',
      amount: 60_000,
      reference,
      text: null,
    });
  });
});
