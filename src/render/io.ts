/**
 * Where output goes and what the terminal can do (the type only; cli/io.ts makes one for the
 * process, createTestIO one over buffers). Here so that render/ and the engines can take an IO
 * without importing cli/.
 */
import type { ChalkInstance } from 'chalk';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /**
   * The width tables must fit in: the terminal's columns when stdout is a TTY (its size, else
   * $COLUMNS, else 80), null when stdout is piped or --wide was given (tables stay whole).
   */
  readonly columns: number | null;
  /** Colour on stdout: only on a TTY, never under NO_COLOR, TERM=dumb or --no-color. */
  readonly color: boolean;
  readonly style: ChalkInstance;
  /** Prompting allowed: stdin and stdout are TTYs and --no-input was not given. */
  readonly canPrompt: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  now(): Date;
  /** Today in the ledger's time zone (the default zone until a ledger is opened). */
  today(): string;
  /** The time zone "today" and local times follow: the ledger's setting `timezone`, whatever TZ says. */
  readonly timeZone: string;
  /** Called by the context when it opens a ledger. */
  setTimeZone(timeZone: string): void;
  /** Now as the ledger's zone reads it, with its UTC offset ("2026-03-02T00:30:00+01:00"), for stored instants. */
  stamp(): string;
}

