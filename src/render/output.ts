/**
 * Rendering data for people (tables, key/value blocks) and for scripts (JSON).
 * Tables use cli-table3; borders and headers are coloured only when the IO says colour is on.
 */
import Table from 'cli-table3';
import type { IO } from '../cli/io.js';

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Column indices to right-align (amounts). */
  right?: number[];
  /** A last line in bold (totals). */
  footer?: Cell[];
}

export function renderTable(io: IO, head: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const table = new Table({
    head: head.map((h) => (io.color ? io.style.bold(h) : h)),
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (opts.right?.includes(i) ? 'right' : 'left')),
    wordWrap: false,
  });
  const cell = (c: Cell) => (c === null || c === undefined ? '' : String(c));
  for (const r of rows) table.push(r.map(cell));
  if (opts.footer) table.push(opts.footer.map((c) => (io.color ? io.style.bold(cell(c)) : cell(c))));
  return table.toString() + '\n';
}

export function printTable(io: IO, head: string[], rows: Cell[][], opts: TableOptions = {}): void {
  io.out(renderTable(io, head, rows, opts));
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

export function printJson(io: IO, data: unknown): void {
  io.out(JSON.stringify(data, null, 2) + '\n');
}

/** A message for people on stderr (not data): suppressed by --quiet. */
export function note(io: IO, quiet: boolean, text: string): void {
  if (!quiet) io.err(text.endsWith('\n') ? text : text + '\n');
}

export function warn(io: IO, text: string): void {
  io.err(`warning: ${text}\n`);
}
