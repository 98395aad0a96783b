/**
 * Tables fit the terminal (issue 15 §5): on a TTY a table wider than the terminal is narrowed by
 * shortening its free-text columns with "…"; piped output stays whole; --wide keeps everything.
 * Widths are string-width's: "©", "™" and a text-style "❤" take one column each.
 * The terminal is a real pseudo-terminal from util-linux's `script`, sized with `stty cols`.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIO } from '../../src/cli/io.js';
import { fitWidths, renderTable, textWidth, truncate } from '../../src/render/output.js';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';

describe('widths and shortening', () => {
  it('counts ©, ™ and ❤ as one column, emoji and CJK as two (string-width)', () => {
    expect(textWidth('©')).toBe(1);
    expect(textWidth('™')).toBe(1);
    expect(textWidth('❤')).toBe(1);
    expect(textWidth('ACME © Société™ ❤')).toBe(17);
    expect(textWidth('❤️')).toBe(2);
    expect(textWidth('👍🏽')).toBe(2);
    expect(textWidth('東京')).toBe(4);
    expect(textWidth('1\u202f234,50\u00a0€')).toBe(10);
  });

  it('truncates to a width with "…", never splitting a grapheme', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefgh', 6)).toBe('abcde…');
    expect(truncate('東京東京', 5)).toBe('東京…');
    expect(textWidth(truncate('Fête 👍🏽 du client', 7))).toBeLessThanOrEqual(7);
    expect(truncate('Fête 👍🏽 du client', 7)).toBe('Fête …');
    expect(truncate('Cafe\u0301 noir', 5)).toBe('Cafe\u0301…');
    // Colour codes take no room and are closed after the cut.
    expect(truncate('\u001b[32mhello world\u001b[39m', 6)).toBe('\u001b[32mhello…\u001b[0m');
  });

  it('shortens the widest free-text columns first, none below 8 columns', () => {
    // 1 + (10+3) + (40+3) + (20+3) = 80 columns; fit in 60: take 20 from the 40.
    expect(fitWidths([10, 40, 20], ['code', 'name', 'notes'], 60, [false, true, true])).toEqual([10, 20, 20]);
    // Fit in 50: both come down to a common width of 15.
    expect(fitWidths([10, 40, 20], ['code', 'name', 'notes'], 50, [false, true, true])).toEqual([10, 15, 15]);
    // Cannot fit: as narrow as allowed.
    expect(fitWidths([10, 40, 20], ['code', 'name', 'notes'], 20, [false, true, true])).toEqual([10, 8, 8]);
    expect(fitWidths([10, 40, 20], ['code', 'name', 'notes'], 200, [false, true, true])).toBeNull();
  });

  it('draws a table within the terminal on a TTY, whole when piped or with --wide', () => {
    const head = ['client', 'name', 'balance', 'notes'];
    const rows = [['ACME', 'ACME © Société Générale des Très Longs Noms™ ❤', '€1,200.00', 'disputed: the client says the second line was never delivered']];
    const tty = renderTable(createTestIO({ tty: true, columns: 60 }), head, rows, { right: [2] });
    const lines = tty.trimEnd().split('\n');
    for (const l of lines) expect(textWidth(l)).toBe(60);
    expect(tty).toContain('…');
    expect(tty).toContain('ACME   ');
    expect(tty).toContain('€1,200.00');
    const piped = renderTable(createTestIO({ tty: false, columns: 60 }), head, rows, { right: [2] });
    expect(piped).toContain(rows[0]![1]);
    expect(piped).toContain(rows[0]![3]);
    const wide = renderTable(createTestIO({ tty: true, columns: 60 }, { wide: true, noColor: true }), head, rows, { right: [2] });
    expect(wide).toBe(piped);
  });
});

let sb: Sandbox;
const NAME = 'ACME © Société Générale des Très Longs Noms™ ❤';
const REASON = 'Le client conteste la quantité livrée et demande un avoir sur la deuxième ligne de la facture';

/** relance on a pseudo-terminal of `cols` columns; script merges stdout and stderr. */
function onTerminal(args: string[], cols: number): string {
  const command = [process.execPath, BIN, '-f', sb.ledger, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 50; ${command}`, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm', NO_COLOR: '1' }, encoding: 'utf8', input: '' });
  expect(r.status).toBe(0);
  return r.stdout.replace(/\r\n/g, '\n');
}
const tableLines = (out: string) => out.split('\n').filter((l) => /^[┌│├└]/.test(l));

beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', NAME, '--email', 'ap@acme.example']).code).toBe(0);
  expect(sb.run(['invoice', 'new', 'ACME', '--line', 'Développement | 1 | 1000 | 20', '--as-of', '2026-01-05']).code).toBe(0);
  expect(sb.run(['invoice', 'issue', 'draft-1', '--as-of', '2026-01-05']).code).toBe(0);
  expect(sb.run(['invoice', 'dispute', 'F-2026-0001', '--reason', REASON, '--as-of', '2026-02-01']).code).toBe(0);
});
afterAll(() => sb.cleanup());

describe('relance on a terminal and piped', () => {
  it('fits overdue into a 160-column terminal by shortening the notes', () => {
    const out = onTerminal(['overdue', '--as-of', '2026-04-01'], 160);
    const lines = tableLines(out);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(160);
    expect(out).toContain('disputed: Le client');
    expect(out).toContain('…');
    expect(out).not.toContain(REASON);
    // Codes, dates and amounts are whole.
    expect(out).toContain('F-2026-0001');
    expect(out).toContain('€1,200.00');
  });

  it('keeps overdue whole when piped, and on a terminal with --wide', () => {
    const piped = sb.run(['overdue', '--as-of', '2026-04-01']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(REASON);
    expect(piped.stdout).not.toContain('…');
    const wide = onTerminal(['--wide', 'overdue', '--as-of', '2026-04-01'], 160);
    expect(wide).toContain(REASON);
    expect(tableLines(wide)).toEqual(tableLines(piped.stdout));
  });

  it('aligns names with ©, ™ and ❤ (every line of the table is as wide as the others)', () => {
    const piped = sb.run(['client', 'list']);
    expect(piped.stdout).toContain(NAME);
    const widths = new Set(tableLines(piped.stdout).map(textWidth));
    expect(widths.size).toBe(1);
    const narrow = tableLines(onTerminal(['client', 'list'], 60));
    expect(new Set(narrow.map(textWidth))).toEqual(new Set([60]));
    expect(narrow.join('\n')).toContain('ACME © So…');
  });
});
