/**
 * Glue between commander and the commands: each command module exports register(program, app);
 * its actions call app.ctx() for the context made from the parsed global flags, and may return an
 * exit code (default 0). Helpers here keep every command's help and validation alike.
 */
import type { Command } from 'commander';
import { safeParse, type $ZodType, type output } from 'zod/v4/core';
import { UsageError } from '../core/errors.js';
import type { Context } from './context.js';
import { t } from '../i18n/index.js';

export interface App {
  /** The context of the command being run (made from the parsed global flags). */
  ctx(): Context;
  /**
   * Wrap a commander action: the wrapped function gets the context first, then commander's
   * arguments (positionals, options, the command). A returned number becomes the exit code.
   */
  act<A extends unknown[]>(fn: (ctx: Context, ...args: A) => unknown): (...args: A) => Promise<void>;
}

export type CommandModule = (program: Command, app: App) => void;

/** Add an "Examples:" block to a command's --help (every command has one). */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\n${t('common.help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** Validate with zod; the first issue becomes a one-line UsageError naming the flag. */
export function validate<S extends $ZodType>(schema: S, value: unknown, what: string): output<S> {
  const r = safeParse(schema, value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError(t('common.invalid', { what, value: JSON.stringify(value), why: issue?.message ?? t('common.invalidValue') }));
}

/** Commander option parser that keeps every value of a repeated flag. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Multi-line addresses are typed with ";" or "\n" between lines (the rule lives in core, shared with import). */
export { addressLines } from '../core/client-checks.js';
