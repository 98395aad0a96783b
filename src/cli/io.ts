/**
 * The one object that knows where output goes and what the terminal can do: whether stdout and
 * stdin are TTYs, whether colour is on, whether we may prompt, and the clock. Commands get it
 * from their context; tests build one over in-memory buffers with createTestIO.
 */
import fs from 'node:fs';
import { Chalk } from 'chalk';
import { UsageError } from '../core/errors.js';
import { localDate } from '../core/dates.js';
import { DEFAULT_TIME_ZONE, dateInZone, timestampInZone } from '../core/timezone.js';
import type { IO } from '../render/io.js';
import { timestamp } from '../store/db.js';
import { t } from '../i18n/index.js';

export type { IO } from '../render/io.js';

export interface IOOptions {
  noColor?: boolean;
  noInput?: boolean;
  /** --wide: tables keep every column whole, even wider than the terminal. */
  wide?: boolean;
}

/** The width of a terminal: its own size when known, else $COLUMNS, else 80. */
export function terminalColumns(env: NodeJS.ProcessEnv, size: number | undefined): number {
  if (size !== undefined && Number.isInteger(size) && size > 0) return size;
  const c = Number(env.COLUMNS);
  return Number.isInteger(c) && c > 0 ? c : 80;
}

export function colorAllowed(env: NodeJS.ProcessEnv, isTTY: boolean, noColor = false): boolean {
  if (noColor || !isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

/**
 * RELANCE_NOW (an instant, e.g. 2026-03-01T23:30:00Z) stands in for the clock: tests and replays
 * run at a chosen moment without faking the system time.
 */
export function fixedClock(env: NodeJS.ProcessEnv): Date | null {
  const v = env.RELANCE_NOW;
  if (v === undefined || v === '') return null;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim()) ? Date.parse(v.trim()) : NaN;
  if (Number.isNaN(at)) throw new UsageError(t('common.io.badNow', { value: v }));
  return new Date(at);
}

type BaseIO = Omit<IO, 'color' | 'style' | 'canPrompt' | 'today' | 'timeZone' | 'setTimeZone' | 'stamp' | 'columns'> & { terminalSize(): number | undefined };

function build({ terminalSize, ...base }: BaseIO, opts: IOOptions, onZone?: (tz: string) => void): IO {
  const color = colorAllowed(base.env, base.stdoutIsTTY, opts.noColor);
  let zone = DEFAULT_TIME_ZONE;
  onZone?.(zone);
  // When the process's local time mirrors the zone (onZone sets TZ), Date's own local reading is
  // the zone's and costs nothing; Intl's first formatter costs tens of milliseconds at start-up.
  const mirrored = onZone !== undefined;
  return {
    ...base,
    color,
    style: new Chalk({ level: color ? 1 : 0 }),
    canPrompt: base.stdinIsTTY && base.stdoutIsTTY && !opts.noInput,
    today: () => (mirrored ? localDate(base.now()) : dateInZone(base.now(), zone)),
    get timeZone() {
      return zone;
    },
    // Read when a table is drawn (the terminal may have been resized since start-up).
    get columns() {
      return base.stdoutIsTTY && !opts.wide ? terminalColumns(base.env, terminalSize()) : null;
    },
    setTimeZone(tz: string) {
      zone = tz;
      onZone?.(tz);
    },
    stamp: () => (mirrored ? timestamp(base.now()) : timestampInZone(base.now(), zone)),
  };
}

/**
 * Whether a descriptor is a terminal. node:tty is asked only about a character device other than
 * /dev/null: a file, a pipe, a socket or /dev/null (cron, `> /dev/null`, `< /dev/null`) is never one,
 * and loading node:tty costs ~4 ms of every start (it loads net and the streams).
 */
export function isTerminal(fd: number): boolean {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  try {
    const devNull = fs.statSync('/dev/null');
    if (devNull.isCharacterDevice() && devNull.rdev === st.rdev) return false;
  } catch {
    // no /dev/null to compare with: ask node:tty
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** process.stdout, made on first use; a reader that went away (EPIPE, `relance ... | head`) ends the run quietly. */
function stdoutStream(): NodeJS.WriteStream {
  const s = process.stdout;
  if (s.listenerCount('error') === 0) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  return s;
}

/** Where stdoutWriter() writes: the descriptor, the stream, and what ends the run when the reader left. */
export interface StdoutSink {
  writeSync(buf: Buffer, offset: number): number;
  stream(): { write(chunk: string | Buffer): unknown };
  readerGone(): void;
}

const processStdout: StdoutSink = {
  writeSync: (buf, offset) => fs.writeSync(1, buf, offset),
  stream: stdoutStream,
  readerGone: () => process.exit(process.exitCode ?? 0),
};

/**
 * What goes to stdout. Not a terminal: straight to the descriptor, in order (process.stdout would
 * build a stream for it, ~3 ms of start-up); a full non-blocking pipe (EAGAIN) hands the rest, and
 * everything after it, to the stream, which waits. A terminal gets the stream (prompts share it).
 */
export function stdoutWriter(terminal: boolean, sink: StdoutSink = processStdout): (text: string) => void {
  let viaStream = terminal;
  return (text) => {
    if (viaStream) {
      sink.stream().write(text);
      return;
    }
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    try {
      while (off < buf.length) off += sink.writeSync(buf, off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return sink.readerGone();
      if (code !== 'EAGAIN') throw err;
      viaStream = true;
      sink.stream().write(buf.subarray(off));
    }
  };
}

/**
 * The process's local time follows the ledger's zone too, so every local reading below the CLI
 * (timestamps of created_at columns, the run lock's clock, file names with a time) agrees with "today".
 */
function setProcessZone(tz: string): void {
  if (process.env.TZ !== tz) process.env.TZ = tz;
}

export function processIO(opts: IOOptions = {}): IO {
  // The descriptors, not process.stdin and co: touching process.stdin builds a stream (~1.5 ms of every start).
  const stdoutIsTTY = isTerminal(1);
  return build(
    {
      out: stdoutWriter(stdoutIsTTY),
      err: (t) => void process.stderr.write(t),
      stdoutIsTTY,
      stdinIsTTY: isTerminal(0),
      stderrIsTTY: isTerminal(2),
      env: process.env,
      cwd: process.cwd(),
      now: () => fixedClock(process.env) ?? new Date(),
      terminalSize: () => process.stdout.columns,
    },
    opts,
    setProcessZone,
  );
}

export interface TestIO extends IO {
  stdout(): string;
  stderr(): string;
}

/** An IO over buffers, for tests that call commands in-process. */
export function createTestIO(
  init: { tty?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; now?: Date; timeZone?: string; columns?: number } = {},
  opts: IOOptions = {},
): TestIO {
  let out = '';
  let err = '';
  const io = build(
    {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      stdoutIsTTY: init.tty ?? false,
      stdinIsTTY: init.tty ?? false,
      stderrIsTTY: init.tty ?? false,
      env: init.env ?? {},
      cwd: init.cwd ?? process.cwd(),
      now: () => init.now ?? new Date(),
      terminalSize: () => init.columns,
    },
    // Without a terminal width given, tables are drawn whole, as they were before they could fit one.
    { ...opts, wide: opts.wide ?? init.columns === undefined },
  );
  if (init.timeZone) io.setTimeZone(init.timeZone);
  return Object.assign(io, { stdout: () => out, stderr: () => err });
}
