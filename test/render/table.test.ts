/**
 * render/output.ts draws its tables in one pass; cli-table3 (a devDependency, kept only for this
 * test) is the reference: for every table here, the one-pass renderer must draw exactly what
 * cli-table3 draws with the options relance used to give it (compact style, no word wrap, colour
 * off, right-aligned amount columns, a footer line, wide characters and accents, empty tables).
 */
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { createTestIO } from '../../src/cli/io.js';
import { printJson, printTable, renderTable, textWidth, type Cell, type TableOptions } from '../../src/render/output.js';
import { scalingRatio } from '../helpers/scaling.js';

/** What render/output.ts renderTable() was before: cli-table3, compact. */
function cliTable3(head: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (opts.right?.includes(i) ? 'right' : 'left')),
    wordWrap: false,
  });
  const cell = (c: Cell) => (c === null || c === undefined ? '' : String(c));
  for (const r of rows) table.push(r.map(cell));
  if (opts.footer) table.push(opts.footer.map(cell));
  return table.toString() + '\n';
}

const io = createTestIO();
const head = ['client', 'invoice', 'days late', 'balance', 'notes'];
const rows: Cell[][] = [
  ['ACME', 'F-2026-0001', 50, '€1,200.00', 'of €1,500.00; disputed: quantité'],
  ['GLOBEX', 'F-2026-0002', '', '2,000.00 USD', null],
  ['M', 'F-2026-0010', 123, '€0.50', undefined],
];

const cases: [string, string[], Cell[][], TableOptions][] = [
  ['plain, left-aligned', head, rows, {}],
  ['right-aligned amounts', head, rows, { right: [2, 3] }],
  ['a footer', head, rows, { right: [2, 3], footer: ['total', '', '', '€1,200.50', ''] }],
  ['empty table', head, [], {}],
  ['empty table with a footer', head, [], { footer: ['total', '', '', '€0.00', ''] }],
  ['one column', ['name'], [['a'], ['bb'], ['']], {}],
  ['header wider than every cell', ['a very long header', 'x'], [['1', '2']], { right: [0] }],
  [
    'accents, wide characters, emoji and combining marks',
    ['client', 'nom', 'montant'],
    [
      ['CAFE', 'Café de la Gare — Société générale', '1 234,50 €'],
      ['JP', '東京商事株式会社', '¥120,000'],
      ['KR', '서울 무역', '₩5,000'],
      ['EMO', 'Fête 🎉 du 👍🏽 client', '12,00 €'],
      ['NFD', 'Cafe\u0301 (e + accent)', '1,00 €'],
      ['NBSP', 'à\u00a0payer\u202fvite', '€\u00a0'],
    ],
    { right: [2] },
  ],
  ['multi-line cells', ['invoice', 'lines'], [['F-1', 'first line\nsecond, longer line'], ['F-2', 'one']], {}],
  ['numbers and null cells', ['n', 'v'], [[0, null], [-12, undefined], [3.5, '']], { right: [0, 1] }],
];

describe('renderTable draws exactly what cli-table3 draws', () => {
  for (const [name, h, r, o] of cases) {
    it(name, () => {
      expect(renderTable(io, h, r, o)).toBe(cliTable3(h, r, o));
    });
  }

  it('agrees on 300 rows of mixed widths (every column width decided by a different row)', () => {
    const many: Cell[][] = Array.from({ length: 300 }, (_, i) => [
      'C' + 'x'.repeat(i % 17),
      `F-2026-${String(i).padStart(i % 7, '0')}`,
      i % 400,
      `€${(i * 37) % 100000}.00`,
      i % 11 === 0 ? 'réglé — été' : '',
    ]);
    expect(renderTable(io, head, many, { right: [2, 3], footer: ['total', '', '', '€9,999,999.00', ''] })).toBe(
      cliTable3(head, many, { right: [2, 3], footer: ['total', '', '', '€9,999,999.00', ''] }),
    );
  });
});

describe('renderTable at scale', () => {
  const rows = (n: number): Cell[][] =>
    Array.from({ length: n }, (_, i) => ['C' + (i % 2000), `F-2026-${String(i).padStart(7, '0')}`, i % 400, `€${i}.00`, i === 123_456 ? 'the widest note of all' : '']);

  it('draws 200,000 rows (an overdue report of a large ledger) without overflowing the stack', () => {
    const out = renderTable(io, head, rows(200_000), { right: [2, 3] });
    const lines = out.split('\n');
    expect(lines).toHaveLength(200_000 + 5);
    // Every line is as wide as the top border: the widths were computed over all 200k rows.
    const w = lines[0]!.length;
    expect(lines.slice(0, -1).every((l) => l.length === w)).toBe(true);
    expect(lines[123_456 + 3]).toContain('the widest note of all │');
  });

  it('in linear time: ten times the rows take about ten times as long, not a hundred', () => {
    const small = rows(10_000);
    const large = rows(100_000);
    const ratio = scalingRatio(() => renderTable(io, head, small, { right: [2, 3] }), () => renderTable(io, head, large, { right: [2, 3] }), 10);
    // Linear is ~10 (7-23 measured at a load average of 12 on 2 cores); quadratic would be ~100. The speed itself is measured by npm run bench.
    expect(ratio).toBeLessThan(40);
  });
});

describe('textWidth', () => {
  it('counts terminal columns', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('é')).toBe(1);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('東京')).toBe(4);
    expect(textWidth('\u001b[1mbold\u001b[22m')).toBe(4);
    expect(textWidth('')).toBe(0);
  });
});

describe('colour', () => {
  it('on a TTY, bolds the header and footer as cli-table3 was given them, with the same layout', () => {
    const color = createTestIO({ tty: true });
    expect(color.color).toBe(true);
    const footer = ['total', '', '', '€1', ''];
    const out = renderTable(color, head, rows, { right: [3], footer });
    expect(out).toContain(color.style.bold('client'));
    const b = (c: Cell) => color.style.bold(c === null || c === undefined ? '' : String(c));
    const ref = new Table({ head: head.map(b), style: { head: [], border: [], compact: true }, colAligns: head.map((_, i) => (i === 3 ? 'right' : 'left')), wordWrap: false });
    for (const r of rows) ref.push(r.map((c) => (c === null || c === undefined ? '' : String(c))));
    ref.push(footer.map(b));
    expect(out).toBe(ref.toString() + '\n');
    expect(out.replace(/\u001b\[\d+m/g, '')).toBe(renderTable(io, head, rows, { right: [3], footer }));
  });
  it('never under NO_COLOR', () => {
    const off = createTestIO({ tty: true, env: { NO_COLOR: '1' } });
    expect(renderTable(off, head, rows)).not.toContain('\u001b[');
  });
});

describe('printJson', () => {
  const same = (data: unknown) => {
    const io = createTestIO();
    printJson(io, data);
    expect(io.stdout()).toBe(JSON.stringify(data, null, 2) + '\n');
  };
  it('writes long arrays item by item, byte for byte what JSON.stringify(data, null, 2) gives', () => {
    const items = Array.from({ length: 2500 }, (_, i) => ({
      invoice: `F-${i}`,
      plan: i % 3 ? null : { overdue: [{ position: 1, remaining: '1.00' }], createdOn: '2026-01-01' },
      empty: [],
      nested: { a: [], b: {} },
      skipped: undefined,
      text: 'é "quoted" \n\t',
    }));
    same({ asOf: '2026-11-20', by: 'invoice', totals: { EUR: { total: '1.00' } }, items, unknownRates: [], gone: undefined, n: null });
    same({ items: Array.from({ length: 1200 }, (_, i) => (i % 2 ? i : [i, 'x'])), after: { x: 1 } });
    same({ items: [], other: Array.from({ length: 1000 }, () => undefined) });
    same({ clients: Array.from({ length: 1500 }, (_, i) => ({ client: `C${i}` })) });
  });
  it('small data is unchanged', () => {
    same({ a: 1, b: [1, 2] });
    same([1, 2, 3]);
    same(null);
    same('text');
  });
});

describe('printTable', () => {
  it('writes in pieces what renderTable returns', () => {
    const many: Cell[][] = Array.from({ length: 20_000 }, (_, i) => ['C' + (i % 2000), `F-${i}`, i, `€${i}.00`, i % 3 ? '' : 'noté']);
    const io = createTestIO();
    const pieces: string[] = [];
    const out = io.out;
    printTable({ ...io, out: (t: string) => (pieces.push(t), out(t)) }, head, many, { right: [2, 3], footer: ['total', '', '', '€1', ''] });
    expect(io.stdout()).toBe(renderTable(io, head, many, { right: [2, 3], footer: ['total', '', '', '€1', ''] }));
    expect(pieces.length).toBeGreaterThan(1);
  });
});
