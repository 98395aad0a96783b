import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, neutralise, toCsv } from '../../src/core/csv.js';

/** A small RFC 4180 reader, to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('neutralise', () => {
  it('prefixes cells a spreadsheet would read as formulas', () => {
    expect(neutralise('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(neutralise('+33 1 23')).toBe("'+33 1 23");
    expect(neutralise('-2+3')).toBe("'-2+3");
    expect(neutralise('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutralise('\t=1')).toBe("'\t=1");
    expect(neutralise('\r=1')).toBe("'\r=1");
  });
  it('leaves plain text and plain numbers alone', () => {
    expect(neutralise('will pay on Friday')).toBe('will pay on Friday');
    expect(neutralise('-12.50')).toBe('-12.50');
    expect(neutralise('1200.00')).toBe('1200.00');
    expect(neutralise('')).toBe('');
  });
});

describe('csvField and toCsv', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });
  it('writes CRLF lines, a BOM on request, and any separator', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
    expect(toCsv(['a'], [], { bom: true })).toBe('\uFEFFa\r\n');
    expect(toCsv(['a', 'b'], [['x;y', 'z']], { separator: ';' })).toBe('a;b\r\n"x;y";z\r\n');
  });
  it('reads back to the same cells (neutralised ones with their quote), and no cell starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        const width = Math.max(1, ...rows.map((r) => r.length));
        const full = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
        const head = Array.from({ length: width }, (_, i) => `c${i}`);
        const back = parseCsv(toCsv(head, full));
        expect(back[0]).toEqual(head);
        expect(back.slice(1)).toEqual(full.map((r) => r.map(neutralise)));
        for (const r of back.slice(1)) for (const c of r) expect(/^[=+@\t\r]/.test(c) || (/^-/.test(c) && !/^-?\d+(\.\d+)?$/.test(c))).toBe(false);
      }),
    );
  });
});
