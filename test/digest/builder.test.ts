/**
 * The digest's builder in-process on a seeded ledger (test/digest/fixture.ts) as of 2026-03-09: each
 * section's content exactly, the period rules, two ledgers combined; the aging chart as a PNG
 * (decoded with pngjs: the bars' heights in proportion to the amounts) and as vectors in the PDF.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../src/store/db.js';
import { agingBars, buildDigest, combineDigests, digestJson, digestSections, digestText, nextPeriod } from '../../src/reports/digest.js';
import { agingPng, BAR_COLOURS, PNG_BOX, type ChartBar } from '../../src/render/aging-chart.js';
import { reportPdf } from '../../src/render/report-pdf.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { pdfPages } from '../helpers/pdf.js';
import { AS_OF, seedDigestLedger } from './fixture.js';

let sb: Sandbox;
let db: Db;
const PERIOD = { from: '2026-03-03', to: AS_OF };

beforeAll(() => {
  sb = sandbox('relance-digest-builder-');
  expect(sb.init().code).toBe(0);
  seedDigestLedger(sb.ledger);
  db = openLedger(sb.ledger);
});

afterAll(() => {
  db?.close();
  sb?.cleanup();
});

describe('buildDigest', () => {
  it('gives every section of the period exactly', () => {
    const j = digestJson(buildDigest(db, PERIOD));
    expect(j.period).toEqual({ from: '2026-03-03', to: '2026-03-09' });
    expect(j.currency).toBe('EUR');
    // Due on 03-03, first late on 03-04: inside the period. F-2 (late since 01-31) is not new.
    expect(j.fellOverdue).toEqual([{ client: 'ACME', invoice: 'F-1', dueDate: '2026-03-03', daysLate: 6, balance: '1200.00', currency: 'EUR' }]);
    expect(j.brokenPromises).toEqual([{ client: 'GAMMA', promisedBy: '2026-02-27', amount: '800.00', paid: '0.00', invoices: ['F-4'] }]);
    expect(j.calls).toEqual([{ client: 'GAMMA', phone: '+33 4 00 00 00 01', level: 2, since: '2026-03-06', invoices: ['F-4'] }]);
    expect(j.letters).toEqual([{ client: 'DELTA', level: 3, produced: '2026-03-06', file: '/letters/delta-3.pdf', invoices: ['F-5'] }]);
    // The reminder of 03-01 is before the period; the failed one of 03-07 never left; the call is in "calls".
    expect(j.sent).toEqual([
      { date: '2026-03-04', client: 'BETA', kind: 'document', level: null, to: 'compta@beta.example', about: 'F-3', status: 'sent' },
      { date: '2026-03-05', client: 'ACME', kind: 'reminder', level: 1, to: 'compta@acme.example', about: 'F-2', status: 'sent' },
      { date: '2026-03-06', client: 'DELTA', kind: 'letter', level: 3, to: 'Delta EURL', about: 'F-5', status: 'written' },
      { date: '2026-03-06', client: 'DELTA', kind: 'letter-copy', level: 3, to: 'compta@delta.example', about: 'F-5', status: 'sent' },
      { date: '2026-03-08', client: 'ACME', kind: 'reminder', level: 2, to: 'compta@acme.example', about: 'F-2', status: 'uncertain' },
    ]);
    // The payment of 03-01 is before the period.
    expect(j.received).toEqual([{ date: '2026-03-05', client: 'BETA', payment: 2, amount: '1000.00', currency: 'EUR', method: 'transfer', invoices: ['F-3'], reversal: false }]);
    expect(j.aging).toEqual({ EUR: { not_due: '2015.00', '1-30': '1200.00', '31-60': '400.00', '61-90': '800.00', '90+': '250.00', total: '4665.00' } });
    // Six clients owe something: the five largest, ZETA (5.00) left out.
    expect(j.topDebtors).toEqual([
      { client: 'BETA', name: 'Beta SARL', currency: 'EUR', balance: '2000.00' },
      { client: 'ACME', name: 'ACME SAS', currency: 'EUR', balance: '1600.00' },
      { client: 'GAMMA', name: 'Gamma SA', currency: 'EUR', balance: '800.00' },
      { client: 'DELTA', name: 'Delta EURL', currency: 'EUR', balance: '250.00' },
      { client: 'EPS', name: 'Epsilon', currency: 'EUR', balance: '10.00' },
    ]);
    expect(j.unreadable).toEqual([]);
  });

  it('a period that starts later leaves out what happened before it', () => {
    const j = digestJson(buildDigest(db, { from: '2026-03-06', to: AS_OF }));
    expect(j.fellOverdue).toEqual([]);
    expect(j.sent.map((s) => s.date)).toEqual(['2026-03-06', '2026-03-06', '2026-03-08']);
    expect(j.received).toEqual([]);
    // What is to do does not depend on the period.
    expect(j.calls).toHaveLength(1);
    expect(j.letters).toHaveLength(1);
  });

  it('prints in the language asked, French by its own words and punctuation', () => {
    const d = buildDigest(db, PERIOD);
    const en = digestText(d, 'en');
    expect(en).toContain('Receivables digest: Atelier Dupont\nFrom 2026-03-03 to 2026-03-09\n');
    expect(en).toContain('Fallen overdue in the period:\n  client  invoice  due         days late    balance\n  ACME    F-1      2026-03-03          6  €1,200.00\n');
    expect(en).toContain('  2026-03-06  DELTA   letter level 3                Delta EURL            F-5\n');
    expect(en).toContain('reminder level 2 (uncertain)');
    const fr = digestText(d, 'fr');
    expect(fr).toContain('Synthèse des créances : Atelier Dupont\nDu 2026-03-03 au 2026-03-09\n');
    expect(fr).toContain('Encaissements de la période :\n');
    expect(fr).toMatch(/2026-03-05 {2}BETA {4}1\u202f?\s?000,00\s€ {2}virement {2}F-3/);
    expect(fr).toContain('non échu');
  });

  it('says each empty section in words', () => {
    const d = buildDigest(db, { from: '2026-03-09', to: '2026-03-09' });
    const s = digestSections({ ...d, calls: [], letters: [] }, 'en');
    expect(s.find((x) => x.heading === 'Calls to make')).toMatchObject({ rows: [], empty: 'No call to make.' });
    expect(digestText(d, 'en')).toContain('On 2026-03-09\n');
  });
});

describe('the period', () => {
  it('starts the day after the last digest, else at --since, else 7 days before', () => {
    expect(nextPeriod('2026-03-16', undefined, '2026-03-09')).toEqual({ from: '2026-03-10', to: '2026-03-16' });
    expect(nextPeriod('2026-03-16', '2026-03-01', '2026-03-09')).toEqual({ from: '2026-03-01', to: '2026-03-16' });
    expect(nextPeriod('2026-03-09', undefined, undefined)).toEqual({ from: '2026-03-03', to: '2026-03-09' });
  });
});

describe('combineDigests (--all)', () => {
  it('names the ledger on every item, sums the aging and keeps the five largest over both', () => {
    const a = buildDigest(db, PERIOD, 'dupont');
    const b = { ...buildDigest(db, PERIOD, 'martin'), business: 'Cabinet Martin' };
    const j = digestJson(combineDigests(PERIOD, [{ ledger: 'dupont', digest: a }, { ledger: 'martin', digest: b }], [{ ledger: 'zinc', error: 'not a ledger' }]));
    expect(j.ledgers).toEqual(['dupont', 'martin', 'zinc']);
    expect(j.fellOverdue.map((x) => `${x.ledger}:${x.invoice}`)).toEqual(['dupont:F-1', 'martin:F-1']);
    expect(j.aging).toEqual({ EUR: { not_due: '4030.00', '1-30': '2400.00', '31-60': '800.00', '61-90': '1600.00', '90+': '500.00', total: '9330.00' } });
    expect(j.topDebtors.map((x) => `${x.ledger}:${x.client}`)).toEqual(['dupont:BETA', 'martin:BETA', 'dupont:ACME', 'martin:ACME', 'dupont:GAMMA']);
    expect(j.unreadable).toEqual([{ ledger: 'zinc', error: 'not a ledger' }]);
    const text = digestText(combineDigests(PERIOD, [{ ledger: 'dupont', digest: a }, { ledger: 'martin', digest: b }], []), 'en');
    expect(text).toContain('Receivables digest: 2 ledgers');
    expect(text).toMatch(/ledger {2}client {2}invoice/);
  });
});

/** The rows of each bar's middle column that have the bar's colour. */
function barHeights(png: PNG, bars: number): number[] {
  const slot = PNG_BOX.width / bars;
  return Array.from({ length: bars }, (_, i) => {
    const x = Math.round(PNG_BOX.x + i * slot + slot / 2);
    const [r, g, b] = BAR_COLOURS[i]!;
    let n = 0;
    for (let y = 0; y < png.height; y++) {
      const o = (y * png.width + x) * 4;
      if (png.data[o] === r && png.data[o + 1] === g && png.data[o + 2] === b) n++;
    }
    return n;
  });
}

describe('the aging chart', () => {
  const bars = (amounts: number[]): ChartBar[] => amounts.map((a, i) => ({ key: String(i), label: '1-30', amount: a, text: `${a / 100} €` }));

  it('PNG: bars in proportion to the amounts, the largest the full plot height, none for zero', async () => {
    const png = PNG.sync.read(await agingPng(bars([201_500, 120_000, 40_000, 80_000, 0])));
    expect([png.width, png.height]).toEqual([700, 260]);
    const h = barHeights(png, 5);
    expect(h[0]).toBe(PNG_BOX.plot);
    expect(h[4]).toBe(0);
    const ratio = (i: number) => h[i]! / h[0]!;
    expect(ratio(1)).toBeCloseTo(120_000 / 201_500, 2);
    expect(ratio(2)).toBeCloseTo(40_000 / 201_500, 2);
    expect(ratio(3)).toBeCloseTo(80_000 / 201_500, 2);
  });

  it('PNG of a ledger that owes nothing: no bar at all', async () => {
    const png = PNG.sync.read(await agingPng(bars([0, 0, 0, 0, 0])));
    expect(barHeights(png, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('PDF: the bars are vectors in the bucket colours (no image), with the amounts and bucket names as text', async () => {
    const d = buildDigest(db, PERIOD);
    const pdf = await reportPdf({ title: 'Digest', lines: ['From 2026-03-03 to 2026-03-09'], chartHeading: 'Aging', chart: agingBars(d.aging, 'EUR', 'en'), sections: digestSections(d, 'en'), footer: 'relance', creationDate: new Date('2026-03-09T00:00:00Z') });
    const text = (await pdfPages(pdf)).join('\n');
    for (const s of ['Aging', '€2,015.00', '€1,200.00', '€400.00', '€800.00', '€250.00', 'not due', '1-30', '31-60', '61-90', '90+', 'The five largest debtors', 'Epsilon']) expect(text).toContain(s);
    const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    const ops = await (await doc.getPage(1)).getOperatorList();
    expect(ops.fnArray).not.toContain(OPS.paintImageXObject);
    const fills = ops.fnArray.flatMap((f, i) => (f === OPS.setFillRGBColor ? [String(ops.argsArray[i])] : []));
    const colours = BAR_COLOURS.map((c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    const seen = (c: string) => fills.some((f) => f.toLowerCase() === c || f === String(BAR_COLOURS[colours.indexOf(c)]));
    for (const c of colours) expect(seen(c), `${c} in ${[...new Set(fills)].join(' ')}`).toBe(true);
  });
});
