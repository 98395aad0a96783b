import { describe, expect, it } from 'vitest';
import { parseCsv, parseLineFlag, parseLinesFile } from '../../src/core/lines.js';

const d = { vatBp: 2000 };

describe('--line', () => {
  it('reads description | qty | unit price | vat% [| discount]', () => {
    expect(parseLineFlag('Développement | 1,5 | 1 234,50 | 5.5', d)).toEqual({
      description: 'Développement',
      quantityMilli: 1500,
      unitPrice: 123_450,
      vatBp: 550,
      discountBp: 0,
      discountAmount: 0,
    });
    expect(parseLineFlag('Audit | 2 | 900 | 20 | 10%', d)).toMatchObject({ discountBp: 1000, discountAmount: 0 });
    expect(parseLineFlag('Audit | 2 | 900 | 20 | 50', d)).toMatchObject({ discountBp: 0, discountAmount: 5000 });
    expect(parseLineFlag('Audit | 2 | 900', { vatBp: 0 })).toMatchObject({ vatBp: 0 });
  });

  it('refuses malformed lines with a message naming the field', () => {
    expect(() => parseLineFlag('Audit | 2', d)).toThrow(/has 2 fields/);
    expect(() => parseLineFlag(' | 2 | 900 | 20', d)).toThrow(/description is empty/);
    expect(() => parseLineFlag('Audit | 0 | 900 | 20', d)).toThrow(/quantity.*more than zero/);
    expect(() => parseLineFlag('Audit | 2 | 9,00,0 | 20', d)).toThrow(/unit price/);
    expect(() => parseLineFlag('Audit | 2 | 900 | 19.6', d)).toThrow(/not a French VAT rate/);
    expect(() => parseLineFlag('Audit | 2 | 900 | 20 | 120%', d)).toThrow(/more than 100/);
  });
});

describe('--lines FILE', () => {
  it('reads CSV with a header, semicolons and French decimals', () => {
    const csv = 'désignation;quantité;prix;tva;remise\n"Conseil; stratégie";1,5;800,00;20;10%\nLivres;4;25,50;5,5;\n';
    const lines = parseLinesFile(csv, 'lignes.csv', d);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ description: 'Conseil; stratégie', quantityMilli: 1500, unitPrice: 80_000, discountBp: 1000 });
    expect(lines[1]).toMatchObject({ description: 'Livres', vatBp: 550, unitPrice: 2550 });
  });

  it('reads CSV without a header in the fixed order', () => {
    expect(parseLinesFile('Audit,2,900,20\n', 'l.csv', d)).toEqual([{ description: 'Audit', quantityMilli: 2000, unitPrice: 90_000, vatBp: 2000, discountBp: 0, discountAmount: 0 }]);
  });

  it('reads JSON arrays and {lines: [...]}, numbers or strings', () => {
    const json = JSON.stringify({ lines: [{ description: 'Audit', quantity: 1.5, unit_price: '900,00', vat: 5.5, discount: '10%' }] });
    expect(parseLinesFile(json, 'l.json', d)).toEqual([{ description: 'Audit', quantityMilli: 1500, unitPrice: 90_000, vatBp: 550, discountBp: 1000, discountAmount: 0 }]);
    expect(() => parseLinesFile('[]', 'l.json', d)).toThrow(/at least one line/);
    expect(() => parseLinesFile('{', 'l.json', d)).toThrow(/not valid JSON/);
    expect(() => parseLinesFile('[{"description":"x"}]', 'l.json', d)).toThrow(/l.json line 1: needs "quantity"/);
  });

  it('names the row of a bad CSV value', () => {
    expect(() => parseLinesFile('Audit,2,900,20\nBad,x,1,20\n', 'l.csv', d)).toThrow(/l.csv row 2 quantity/);
    expect(parseCsv('a,"b ""c""",d\r\n\r\ne,f,g')).toEqual([
      ['a', 'b "c"', 'd'],
      ['e', 'f', 'g'],
    ]);
  });
});

describe('--lines CSV through csv-parse', () => {
  it('refuses NUL bytes and unclosed quotes, keeps quoted separators and line breaks', () => {
    expect(() => parseCsv('a,b\nc,\u0000d\n')).toThrow(/NUL byte on line 2/);
    expect(() => parseCsv('a,"b\nc,d\n')).toThrow(/quote \(\"\) that is never closed/);
    expect(parseCsv('\uFEFFx;"y;z"\n"multi\nline";2\n')).toEqual([
      ['x', 'y;z'],
      ['multi\nline', '2'],
    ]);
  });
});
