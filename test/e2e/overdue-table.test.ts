/** The overdue report's one-pass table draws exactly what cli-table3 (render/output.ts) draws. */
import { describe, expect, it } from 'vitest';
import { renderLongTable } from '../../src/cli/commands/overdue.js';
import { createTestIO } from '../../src/cli/io.js';
import { renderTable } from '../../src/render/output.js';

describe('renderLongTable', () => {
  const head = ['client', 'invoice', 'days late', 'balance', 'notes'];
  const rows = [
    ['ACME', 'F-2026-0001', 50, '€1,200.00', 'of €1,500.00; disputed: quantité'],
    ['GLOBEX', 'F-2026-0002', '', '2,000.00 USD', null],
    ['M', 'F-2026-0010', 123, '€0.50', undefined],
  ];
  it('matches cli-table3 without colour, with right-aligned columns and a footer', () => {
    const io = createTestIO();
    expect(renderLongTable(io, head, rows, { right: [2, 3] })).toBe(renderTable(io, head, rows, { right: [2, 3] }));
    const footer = ['total', '', '', '€1,200.50', ''];
    expect(renderLongTable(io, head, rows, { right: [2, 3], footer })).toBe(renderTable(io, head, rows, { right: [2, 3], footer }));
    expect(renderLongTable(io, head, [], {})).toBe(renderTable(io, head, [], {}));
  });
  it('draws 30,000 rows in well under a second', () => {
    const io = createTestIO();
    const many = Array.from({ length: 30_000 }, (_, i) => ['C' + (i % 2000), `F-2026-${String(i).padStart(6, '0')}`, i % 400, `€${i}.00`, '']);
    const t = performance.now();
    const out = renderLongTable(io, head, many, { right: [2, 3] });
    expect(performance.now() - t).toBeLessThan(1000);
    expect(out.split('\n')).toHaveLength(30_000 + 5);
  });
});
