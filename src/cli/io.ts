/**
 * The one object that knows where output goes and what the terminal can do: whether stdout and
 * stdin are TTYs, whether colour is on, whether we may prompt, and the clock. Commands get it
 * from their context; tests build one over in-memory buffers with createTestIO.
 */
import { isatty } from 'node:tty';
import { Chalk } from 'chalk';
import { UsageError } from '../core/errors.js';
import { localDate } from '../core/dates.js';
import { DEFAULT_TIME_ZONE, dateInZone, timestampInZone } from '../core/timezone.js';
import type { IO } from '../render/io.js';
import { timestamp } from '../store/db.js';

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
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim()) ? Date.parse(v.trim()) : NaN;
  if (Number.isNaN(t)) throw new UsageError(`RELANCE_NOW: "${v}" is not an instant; write it as 2026-03-01T23:30:00Z (with Z or a UTC offset), or unset it`);
  return new Date(t);
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
 * The process's local time follows the ledger's zone too, so every local reading below the CLI
 * (timestamps of created_at columns, the run lock's clock, file names with a time) agrees with "today".
 */
function setProcessZone(tz: string): void {
  if (process.env.TZ !== tz) process.env.TZ = tz;
}

export function processIO(opts: IOOptions = {}): IO {
  return build(
    {
      out: (t) => void process.stdout.write(t),
      err: (t) => void process.stderr.write(t),
      // isatty() on the descriptors: touching process.stdin builds a stream (~1.5 ms of every start).
      stdoutIsTTY: isatty(1),
      stdinIsTTY: isatty(0),
      stderrIsTTY: isatty(2),
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
