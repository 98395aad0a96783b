/**
 * Rendering data for people (tables, key/value blocks) and for scripts (JSON).
 *
 * Tables are drawn in one pass (renderTable): the same box as cli-table3 in its compact style (which
 * the tests keep as a reference, test/render/table.test.ts), without its layout manager, which
 * compares every cell with every other and took seconds for a few thousand rows (bench/README.md
 * item 1), and without loading it at start-up. Borders and headers are coloured only when the IO
 * says colour is on.
 */
import { createRequire } from 'node:module';
import type { IO } from './io.js';
import { t } from '../i18n/index.js';

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Column indices to right-align (amounts). */
  right?: number[];
  /** A last line in bold (totals). */
  footer?: Cell[];
  /** Columns that may be shortened to fit the terminal (default: the free-text ones, by header). */
  shrink?: number[];
}

// eslint-disable-next-line no-control-regex
const PLAIN = /^[\x20-\x7e]*$/;

type StringWidth = (s: string) => number;
let stringWidthFn: StringWidth | undefined;
/**
 * string-width, loaded the first time a cell needs it: its module builds an Intl.Segmenter (tens of
 * milliseconds) that most runs, whose cells are ASCII, accents and euro signs, never pay for.
 */
function stringWidth(s: string): number {
  stringWidthFn ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return stringWidthFn(s);
}

/**
 * Columns a single line takes on a terminal, as string-width counts them: colour codes and control
 * characters take none, combining accents none, wide (CJK) characters and emoji two, everything
 * else one ("é", "©", "™" and a text-style "❤" are one; "❤️" with its emoji selector is two).
 */
export function textWidth(s: string): number {
  if (PLAIN.test(s)) return s.length;
  // Most other cells are amounts and names: "€1,200.00", accents, (narrow) no-break spaces, dashes,
  // one column each. Anything else (colour, wide, combining, emoji, control) is string-width's.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0x300 && c !== 0xad) || (c >= 0x2000 && c <= 0x200a) || (c >= 0x2010 && c <= 0x2027) || c === 0x202f || (c >= 0x2030 && c <= 0x205e && c !== 0x203c && c !== 0x2049) || (c >= 0x20a0 && c <= 0x20c0)) continue;
    return stringWidth(s);
  }
  return s.length;
}

// eslint-disable-next-line no-control-regex
const SGR_AT = /^\u001b\[[0-9;]*m/;
let segmenter: Intl.Segmenter | undefined;

/**
 * The line cut to at most `width` columns, its end replaced by "…" (colour codes kept, closed by a
 * reset). Cut between graphemes, so that an accent or an emoji is never split.
 */
export function truncate(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  if (width <= 0) return '';
  if (PLAIN.test(s)) return s.slice(0, width - 1) + '…';
  segmenter ??= new Intl.Segmenter();
  let out = '';
  let w = 0;
  let coloured = false;
  for (let i = 0; i < s.length; ) {
    const sgr = SGR_AT.exec(s.slice(i, i + 32));
    if (sgr) {
      out += sgr[0];
      coloured = true;
      i += sgr[0].length;
      continue;
    }
    // The next grapheme, up to the next escape.
    const esc = s.indexOf('\u001b', i);
    const chunk = s.slice(i, esc === -1 ? s.length : esc);
    let stop = false;
    for (const { segment } of segmenter.segment(chunk)) {
      const g = textWidth(segment);
      if (w + g > width - 1) {
        stop = true;
        break;
      }
      out += segment;
      w += g;
    }
    if (stop) break;
    i += chunk.length || 1;
  }
  return out + '…' + (coloured ? '\u001b[0m' : '');
}

/**
 * Columns holding free text (names, labels, reasons, notes): the ones shortened with "…" when a
 * table is wider than the terminal. Codes, numbers, dates and amounts are never cut.
 */
const FREE_TEXT = new Set([
  'name', 'description', 'label', 'notes', 'reason', 'detail', 'subject', 'error', 'what', 'meaning',
  'source', 'result', 'outcome', 'last contact', 'promise', 'reminder', 'to / file', 'to', 'email',
  'file', 'invoices', 'with', 'csv columns', 'nom', 'libellé',
  // The same columns under their French headers.
  'désignation', 'intitulé', 'notes', 'motif', 'raison', 'détail', 'objet', 'erreur', 'quoi', 'sens', 'origine', 'résultat',
  'issue', 'dernier contact', 'promesse', 'relance', 'à / fichier', 'à', 'destinataire', 'courriel', 'e-mail', 'fichier', 'factures', 'avec', 'colonnes csv',
]);
/** A shortened column keeps at least this many columns (or its header, if wider). */
const MIN_SHORTENED = 8;

/**
 * New widths for the free-text columns so that the table fits `limit` columns, the widest shortened
 * first (to a common width, none below MIN_SHORTENED): null when it fits already or nothing can be
 * shortened. A table that cannot fit even so is shortened as far as it can and drawn wider.
 */
export function fitWidths(widths: readonly number[], head: readonly string[], limit: number, shrinkable: readonly boolean[]): number[] | null {
  const total = widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1;
  if (total <= limit) return null;
  const floor = widths.map((w, i) => (shrinkable[i] ? Math.min(w, Math.max(MIN_SHORTENED, textWidth(head[i] ?? ''))) : w));
  let excess = total - limit;
  const room = widths.reduce((a, w, i) => a + w - floor[i]!, 0);
  if (room === 0) return null;
  if (room <= excess) return floor;
  // The largest cap such that cutting every shrinkable column to max(cap, floor) frees `excess`.
  let lo = 0;
  let hi = Math.max(...widths);
  const freed = (cap: number) => widths.reduce((a, w, i) => a + (shrinkable[i] ? Math.max(0, w - Math.max(cap, floor[i]!)) : 0), 0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (freed(mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  const out = widths.map((w, i) => (shrinkable[i] ? Math.min(w, Math.max(lo, floor[i]!)) : w));
  // The cap is whole columns: give back what was freed beyond the excess, one column at a time.
  excess = freed(lo) - excess;
  for (let i = 0; i < out.length && excess > 0; i++) {
    if (shrinkable[i] && out[i]! < widths[i]! && out[i] === Math.max(lo, floor[i]!)) {
      out[i]!++;
      excess--;
    }
  }
  return out;
}

const text = (c: Cell): string => (c === null || c === undefined ? '' : String(c));

/**
 * The body rows of a table without an array per row: `count` rows whose cells `fill(i, into)` writes
 * into `into` (one scratch array, reused), e.g. the 32k invoice rows of `overdue` on mix-100k.
 */
export interface RowSource {
  count: number;
  /** Columns per row (default: the header's). */
  cols?: number;
  fill(i: number, into: Cell[]): void;
}

/**
 * A box table, linear in the number of cells: widths in one loop over every line of every cell
 * (no spread of a huge array: Math.max(...rows) overflows the stack above ~125k rows), then one
 * string per line, handed to `emit` as it is drawn. Multi-line cells make taller rows, top-aligned.
 * The body's cells are kept in two flat arrays (their text and width), not two arrays and an object
 * per row: on a 32k-row report, that was ~100k objects more for the garbage collector to move.
 */
function drawTable(io: IO, head: string[], rows: Cell[][] | RowSource, opts: TableOptions, emit: (line: string) => void): void {
  const source = !Array.isArray(rows);
  const count = source ? rows.count : rows.length;
  let cols = head.length;
  if (source) cols = Math.max(cols, rows.cols ?? 0);
  else for (const r of rows) if (r.length > cols) cols = r.length;
  if (opts.footer && opts.footer.length > cols) cols = opts.footer.length;
  const widths = new Array<number>(cols).fill(0);
  // The header and the footer: each cell's text and width (a multi-line cell holds its lines).
  type Laid = { t: (string | string[])[]; w: (number | number[])[]; height: number };
  const lay = (cells: readonly Cell[], measure = true): Laid => {
    const t: (string | string[])[] = new Array(cols);
    const w: (number | number[])[] = new Array(cols);
    let height = 1;
    for (let i = 0; i < cols; i++) {
      const x = text(cells[i]);
      if (!x.includes('\n')) {
        const n = textWidth(x);
        if (measure && n > widths[i]!) widths[i] = n;
        t[i] = x;
        w[i] = n;
        continue;
      }
      const ls = x.split('\n');
      const ws = ls.map(textWidth);
      if (measure) for (const n of ws) if (n > widths[i]!) widths[i] = n;
      if (ls.length > height) height = ls.length;
      t[i] = ls;
      w[i] = ws;
    }
    return { t, w, height };
  };
  const laidHead = lay(head);
  // The body, flat: cell (r, i) at r * cols + i; a row with a multi-line cell is marked, its lines
  // split again when drawn (rare).
  const texts = new Array<string>(count * cols);
  const cellWidths = new Int32Array(count * cols);
  let multi: Uint8Array | null = null;
  const scratch: Cell[] = new Array(cols);
  for (let r = 0; r < count; r++) {
    let cells: readonly Cell[];
    if (source) {
      for (let i = 0; i < cols; i++) scratch[i] = undefined;
      rows.fill(r, scratch);
      cells = scratch;
    } else cells = rows[r]!;
    const base = r * cols;
    for (let i = 0; i < cols; i++) {
      const x = text(cells[i]);
      texts[base + i] = x;
      if (!x.includes('\n')) {
        const n = textWidth(x);
        if (n > widths[i]!) widths[i] = n;
        cellWidths[base + i] = n;
        continue;
      }
      (multi ??= new Uint8Array(count))[r] = 1;
      for (const l of x.split('\n')) {
        const n = textWidth(l);
        if (n > widths[i]!) widths[i] = n;
      }
    }
  }
  const laidFooter = opts.footer ? lay(opts.footer) : null;

  const right = new Array<boolean>(cols).fill(false);
  for (const i of opts.right ?? []) if (i >= 0 && i < cols) right[i] = true;
  // On a terminal, a table wider than it is narrowed by shortening its free-text columns.
  const limit = io.columns;
  const natural = widths.slice();
  if (limit !== null) {
    const shrinkable = new Array<boolean>(cols).fill(false);
    if (opts.shrink) for (const i of opts.shrink) shrinkable[i] = i >= 0 && i < cols;
    else for (let i = 0; i < cols; i++) shrinkable[i] = !right[i] && FREE_TEXT.has((head[i] ?? '').toLowerCase());
    const fitted = fitWidths(widths, head, limit, shrinkable);
    if (fitted) for (let i = 0; i < cols; i++) widths[i] = fitted[i]!;
  }
  const bold = io.color ? (s: string) => (s === '' ? s : io.style.bold(s)) : null;
  const rule = (l: string, m: string, r: string) => {
    let s = l;
    for (let i = 0; i < cols; i++) s += (i ? m : '') + '─'.repeat(widths[i]! + 2);
    return s + r;
  };
  const spaces: string[] = [];
  const pad = (n: number) => spaces[n] ?? (spaces[n] = ' '.repeat(n));
  /** One cell of one line, padded and aligned, with its border: " text │". */
  const cell = (i: number, line: string, lw: number, style: ((s: string) => string) | null): string => {
    if (lw > widths[i]! && widths[i]! < natural[i]!) {
      line = truncate(line, widths[i]!);
      lw = textWidth(line);
    }
    const fill = pad(widths[i]! - lw);
    const shown = style ? style(line) : line;
    return ' ' + (right[i] ? fill + shown : shown + fill) + ' │';
  };
  const draw = (row: Laid, style: ((s: string) => string) | null) => {
    for (let k = 0; k < row.height; k++) {
      let s = '│';
      for (let i = 0; i < cols; i++) {
        const ti = row.t[i]!;
        const wi = row.w[i]!;
        s += cell(i, typeof ti === 'string' ? (k === 0 ? ti : '') : (ti[k] ?? ''), typeof wi === 'number' ? (k === 0 ? wi : 0) : (wi[k] ?? 0), style);
      }
      emit(s);
    }
  };
  emit(rule('┌', '┬', '┐'));
  draw(laidHead, bold);
  if (count || laidFooter) emit(rule('├', '┼', '┤'));
  for (let r = 0; r < count; r++) {
    const base = r * cols;
    if (multi !== null && multi[r] === 1) {
      // Measured already (the widths may have been narrowed to fit since).
      draw(lay(texts.slice(base, base + cols), false), null);
      continue;
    }
    let s = '│';
    for (let i = 0; i < cols; i++) s += cell(i, texts[base + i]!, cellWidths[base + i]!, null);
    emit(s);
  }
  if (laidFooter) draw(laidFooter, bold);
  emit(rule('└', '┴', '┘'));
}

export function renderTable(io: IO, head: string[], rows: Cell[][] | RowSource, opts: TableOptions = {}): string {
  const out: string[] = [];
  drawTable(io, head, rows, opts, (line) => out.push(line));
  return out.join('\n') + '\n';
}

/** Output is handed to the IO in pieces of about this many characters (never one huge string). */
const CHUNK = 1 << 20;

/** The table of renderTable, written as it is drawn. */
export function printTable(io: IO, head: string[], rows: Cell[][] | RowSource, opts: TableOptions = {}): void {
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
  io.err(`${t('common.warning', { text })}\n`);
}
