/**
 * Rendering data for people (tables, key/value blocks) and for scripts (JSON).
 *
 * Tables are drawn in one pass (renderTable): the same box as cli-table3 in its compact style (which
 * the tests keep as a reference, test/render/table.test.ts), without its layout manager, which
 * compares every cell with every other and took seconds for a few thousand rows (bench/README.md
 * item 1), and without loading it at start-up. Borders and headers are coloured only when the IO
 * says colour is on.
 */
import type { IO } from './io.js';

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Column indices to right-align (amounts). */
  right?: number[];
  /** A last line in bold (totals). */
  footer?: Cell[];
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;
// eslint-disable-next-line no-control-regex
const PLAIN = /^[\x20-\x7e]*$/;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*|\p{Regional_Indicator}{2}/gu;

/** East Asian wide and fullwidth code points (the table string-width 4 uses). */
function wide(cp: number): boolean {
  return (
    cp >= 0x1100 &&
    (cp <= 0x115f ||
      cp === 0x2329 ||
      cp === 0x232a ||
      (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
      (cp >= 0x3250 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0xa4c6) ||
      (cp >= 0xa960 && cp <= 0xa97c) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe10 && cp <= 0xfe19) ||
      (cp >= 0xfe30 && cp <= 0xfe6b) ||
      (cp >= 0xff01 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1b000 && cp <= 0x1b001) ||
      (cp >= 0x1f200 && cp <= 0x1f251) ||
      (cp >= 0x20000 && cp <= 0x3fffd))
  );
}

/**
 * Columns a single line takes on a terminal: colour codes and control characters take none,
 * combining accents none, wide (CJK) characters and emoji two, everything else one ("é" is one).
 */
export function textWidth(s: string): number {
  if (PLAIN.test(s)) return s.length;
  // Most other cells are amounts and names: "€1,200.00", accents, (narrow) no-break spaces, dashes,
  // one column each. Anything else (colour, wide, combining, emoji, control) takes the long way.
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0x300 && c !== 0xa9 && c !== 0xae) || (c >= 0x2000 && c <= 0x20cf && c !== 0x203c && c !== 0x2049 && (c < 0x200b || c > 0x200f) && (c < 0x2028 || c > 0x202e) && (c < 0x2060 || c > 0x206f))) continue;
    simple = false;
    break;
  }
  if (simple) return s.length;
  const t = s.replace(SGR, '').replace(EMOJI, '  ');
  let w = 0;
  for (const ch of t) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x300 && cp <= 0x36f)) continue;
    w += wide(cp) ? 2 : 1;
  }
  return w;
}

const text = (c: Cell): string => (c === null || c === undefined ? '' : String(c));

/**
 * A box table, linear in the number of cells: widths in one loop over every line of every cell
 * (no spread of a huge array: Math.max(...rows) overflows the stack above ~125k rows), then one
 * string per line, handed to `emit` as it is drawn. Multi-line cells make taller rows, top-aligned.
 */
function drawTable(io: IO, head: string[], rows: Cell[][], opts: TableOptions, emit: (line: string) => void): void {
  let cols = head.length;
  for (const r of rows) if (r.length > cols) cols = r.length;
  if (opts.footer && opts.footer.length > cols) cols = opts.footer.length;
  const widths = new Array<number>(cols).fill(0);
  // Each row as its cells' text and width (computed once); a multi-line cell holds its lines. Two
  // arrays per row, not two per cell: a 300k-row report has 3.6M cells.
  type Laid = { t: (string | string[])[]; w: (number | number[])[]; height: number };
  const lay = (cells: readonly Cell[]): Laid => {
    const t: (string | string[])[] = new Array(cols);
    const w: (number | number[])[] = new Array(cols);
    let height = 1;
    for (let i = 0; i < cols; i++) {
      const x = text(cells[i]);
      if (!x.includes('\n')) {
        const n = textWidth(x);
        if (n > widths[i]!) widths[i] = n;
        t[i] = x;
        w[i] = n;
        continue;
      }
      const ls = x.split('\n');
      const ws = ls.map(textWidth);
      for (const n of ws) if (n > widths[i]!) widths[i] = n;
      if (ls.length > height) height = ls.length;
      t[i] = ls;
      w[i] = ws;
    }
    return { t, w, height };
  };
  const laidHead = lay(head);
  const laidRows = new Array<Laid>(rows.length);
  for (let r = 0; r < rows.length; r++) laidRows[r] = lay(rows[r]!);
  const laidFooter = opts.footer ? lay(opts.footer) : null;

  const right = new Array<boolean>(cols).fill(false);
  for (const i of opts.right ?? []) if (i >= 0 && i < cols) right[i] = true;
  const bold = io.color ? (s: string) => (s === '' ? s : io.style.bold(s)) : null;
  const rule = (l: string, m: string, r: string) => {
    let s = l;
    for (let i = 0; i < cols; i++) s += (i ? m : '') + '─'.repeat(widths[i]! + 2);
    return s + r;
  };
  const spaces: string[] = [];
  const pad = (n: number) => spaces[n] ?? (spaces[n] = ' '.repeat(n));
  const draw = (row: Laid, style: ((s: string) => string) | null) => {
    for (let k = 0; k < row.height; k++) {
      let s = '│';
      for (let i = 0; i < cols; i++) {
        const ti = row.t[i]!;
        const wi = row.w[i]!;
        const line = typeof ti === 'string' ? (k === 0 ? ti : '') : (ti[k] ?? '');
        const fill = pad(widths[i]! - (typeof wi === 'number' ? (k === 0 ? wi : 0) : (wi[k] ?? 0)));
        const shown = style ? style(line) : line;
        s += ' ' + (right[i] ? fill + shown : shown + fill) + ' │';
      }
      emit(s);
    }
  };
  emit(rule('┌', '┬', '┐'));
  draw(laidHead, bold);
  if (rows.length || laidFooter) emit(rule('├', '┼', '┤'));
  for (const r of laidRows) draw(r, null);
  if (laidFooter) draw(laidFooter, bold);
  emit(rule('└', '┴', '┘'));
}

export function renderTable(io: IO, head: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const out: string[] = [];
  drawTable(io, head, rows, opts, (line) => out.push(line));
  return out.join('\n') + '\n';
}

/** Output is handed to the IO in pieces of about this many characters (never one huge string). */
const CHUNK = 1 << 20;

/** The table of renderTable, written as it is drawn. */
export function printTable(io: IO, head: string[], rows: Cell[][], opts: TableOptions = {}): void {
  let buf = '';
  drawTable(io, head, rows, opts, (line) => {
    buf += line + '\n';
    if (buf.length >= CHUNK) {
      io.out(buf);
      buf = '';
    }
  });
  io.out(buf);
}

/** "key: value" lines with the keys aligned; empty values are left out. */
export function printFields(io: IO, fields: [string, Cell][]): void {
  const shown = fields.filter(([, v]) => v !== null && v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  for (const [k, v] of shown) {
    const label = (k + ':').padEnd(width + 1);
    const lines = String(v).split('\n');
    io.out(`${io.color ? io.style.dim(label) : label} ${lines[0]}\n`);
    for (const l of lines.slice(1)) io.out(`${' '.repeat(width + 2)}${l}\n`);
  }
}

/** Arrays at least this long are written by printJson in pieces of this many items. */
const STREAMED = 1000;
const OPEN = '{\n  "x": [\n';
const CLOSE = '\n  ]\n}';

/**
 * JSON for scripts, pretty-printed (2 spaces). A plain object with a long array (overdue's 300k
 * items) is written item by item: the same bytes as JSON.stringify(data, null, 2), without building
 * one string of hundreds of megabytes first.
 */
export function printJson(io: IO, data: unknown): void {
  const plain = data !== null && typeof data === 'object' && !Array.isArray(data) && Object.getPrototypeOf(data) === Object.prototype;
  if (!plain || !Object.values(data).some((v) => Array.isArray(v) && v.length >= STREAMED)) {
    io.out(JSON.stringify(data, null, 2) + '\n');
    return;
  }
  let buf = '{';
  let first = true;
  const flush = () => {
    if (buf.length >= CHUNK) {
      io.out(buf);
      buf = '';
    }
  };
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value) && value.length >= STREAMED) {
      buf += `${first ? '' : ','}\n  ${JSON.stringify(key)}: [`;
      // 1,000 items at a time, stringified at the depth they are printed at (inside {"x": [...]})
      // and cut out of that wrapper: no re-indenting of each item.
      for (let i = 0; i < value.length; i += STREAMED) {
        const s = JSON.stringify({ x: value.slice(i, i + STREAMED) }, null, 2);
        buf += (i ? ',\n' : '\n') + s.slice(OPEN.length, s.length - CLOSE.length);
        flush();
      }
      buf += '\n  ]';
    } else {
      const text = JSON.stringify(value, null, 2);
      if (text === undefined) continue; // left out, as JSON.stringify leaves it out
      buf += `${first ? '' : ','}\n  ${JSON.stringify(key)}: ${text.replace(/\n/g, '\n  ')}`;
    }
    first = false;
    flush();
  }
  io.out(buf + '\n}\n');
}

/** A message for people on stderr (not data): suppressed by --quiet. */
export function note(io: IO, quiet: boolean, text: string): void {
  if (!quiet) io.err(text.endsWith('\n') ? text : text + '\n');
}

export function warn(io: IO, text: string): void {
  io.err(`warning: ${text}\n`);
}
