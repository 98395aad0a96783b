/** relance statement end to end: movements with a running balance, open items, credit, PDF. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { pdfText } from '../helpers/pdf.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  setup(sb);
});
afterEach(() => sb.cleanup());

function story() {
  const a = issueInvoice(sb, 'ACME', '1000', '2026-01-10');
  const b = issueInvoice(sb, 'ACME', '500', '2026-02-01');
  const c = issueInvoice(sb, 'ACME', '200', '2026-02-05');
  ok(sb, ['pay', a, '400', '--date', '2026-02-10']);
  ok(sb, ['invoice', 'cancel', c, '--date', '2026-02-12']);
  ok(sb, ['pay', '--client', 'ACME', '1300', '--date', '2026-03-01']); // 600 to a, 500 to b, 200 credit
  ok(sb, ['pay', 'undo', '1', '--date', '2026-03-05']);
  return { a, b, c };
}

describe('statement', () => {
  it('lists every movement with a running balance that ends on open items minus credit', () => {
    const { a, b, c } = story();
    const s = json(sb, ['statement', 'ACME', '--as-of', '2026-03-31']);
    const eur = s.currencies[0];
    expect(eur.entries.map((e: any) => [e.date, e.kind, e.reference, e.debit, e.credit, e.balance])).toEqual([
      ['2026-01-10', 'invoice', a, '1000.00', '0.00', '1000.00'],
      ['2026-02-01', 'invoice', b, '500.00', '0.00', '1500.00'],
      ['2026-02-05', 'invoice', c, '200.00', '0.00', '1700.00'],
      ['2026-02-10', 'payment', '#1', '0.00', '400.00', '1300.00'],
      ['2026-02-12', 'credit_note', 'F-2026-0004', '0.00', '200.00', '1100.00'],
      ['2026-03-01', 'payment', '#2', '0.00', '1300.00', '-200.00'],
      ['2026-03-05', 'reversal', '#3', '400.00', '0.00', '200.00'],
    ]);
    expect(eur.open.map((o: any) => [o.invoice, o.balance])).toEqual([[a, '400.00']]);
    expect(eur).toMatchObject({ due: '400.00', credit: '200.00', net: '200.00' });
    // as of an earlier date the later movements are not there
    const early = json(sb, ['statement', 'ACME', '--as-of', '2026-02-11']).currencies[0];
    expect(early.entries).toHaveLength(4);
    expect(early).toMatchObject({ due: '1300.00', credit: '0.00', net: '1300.00' });
    const text = ok(sb, ['statement', 'ACME', '--as-of', '2026-03-31']);
    expect(text).toMatch(/Statement of account of ACME SAS \(ACME\) as of 2026-03-31/);
    expect(text).toMatch(/Unallocated credit: €200\.00\nNet balance \(EUR\): €200\.00/);
  });

  it('writes a PDF with the same figures', async () => {
    story();
    const out = path.join(sb.dir, 'releve.pdf');
    const r = sb.run(['statement', 'ACME', '--as-of', '2026-03-31', '--pdf', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Wrote ${out}`);
    const text = await pdfText(fs.readFileSync(out));
    expect(text).toMatch(/Relevé de compte au 2026-03-31/);
    expect(text).toMatch(/ACME SAS/);
    expect(text).toMatch(/Règlement \(virement\)/);
    expect(text).toMatch(/Annulation du règlement #1/);
    expect(text).toMatch(/Solde net: 200,00 €/);
    expect(text).toMatch(/Avoir disponible \(règlements non affectés\): 200,00 €/);
  });

  it('refuses an unknown client', () => {
    expectRefused(sb, ['statement', 'NOPE'], /unknown client "NOPE"/);
    expectRefused(sb, ['statement', 'ACME', '--out', 'x.pdf'], /--out goes with --pdf/);
  });
});
