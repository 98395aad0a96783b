/**
 * The one object that knows where output goes and what the terminal can do: whether stdout and
 * stdin are TTYs, whether colour is on, whether we may prompt, and the clock. Commands get it
 * from their context; tests build one over in-memory buffers with createTestIO.
 */
import { isatty } from 'node:tty';
import { Chalk } from 'chalk';
import { localDate } from '../core/dates.js';
import type { IO } from '../render/io.js';

export type { IO } from '../render/io.js';

export interface IOOptions {
  noColor?: boolean;
  noInput?: boolean;
}

export function colorAllowed(env: NodeJS.ProcessEnv, isTTY: boolean, noColor = false): boolean {
  if (noColor || !isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

function build(base: Omit<IO, 'color' | 'style' | 'canPrompt' | 'today'>, opts: IOOptions): IO {
  const color = colorAllowed(base.env, base.stdoutIsTTY, opts.noColor);
  return {
    ...base,
    color,
    style: new Chalk({ level: color ? 1 : 0 }),
    canPrompt: base.stdinIsTTY && base.stdoutIsTTY && !opts.noInput,
    today: () => localDate(base.now()),
  };
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
      now: () => new Date(),
    },
    opts,
  );
}

export interface TestIO extends IO {
  stdout(): string;
  stderr(): string;
}

/** An IO over buffers, for tests that call commands in-process. */
export function createTestIO(
  init: { tty?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; now?: Date } = {},
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
    },
    opts,
  );
  return Object.assign(io, { stdout: () => out, stderr: () => err });
}
