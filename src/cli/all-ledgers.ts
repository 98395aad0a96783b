/**
 * --all: run one command's work over every ledger of the registry. A failure in one ledger
 * (locked, missing, corrupt, SMTP down) is reported with the ledger's name and the others still
 * run. The exit status is the worst of them: 1 (something failed, including a missing or corrupt
 * ledger) over 3 (locked) over 0.
 */
import { ExitCode, RelanceError } from '../core/errors.js';
import { createContext, type Context } from './context.js';
import { readRegistry, registryPath } from './registry.js';
import { UsageError } from '../core/errors.js';
import { t } from '../i18n/index.js';

export interface LedgerOutcome<T> {
  ledger: string;
  file: string;
  /** Exit code of this ledger's run. */
  code: number;
  result?: T;
  error?: string;
}

export async function runOnAllLedgers<T>(
  ctx: Context,
  work: (sub: Context, ledger: string) => Promise<{ result: T; code?: number }> | { result: T; code?: number },
  /** Called as soon as each ledger is done (e.g. to append its log line before the next one runs). */
  each?: (outcome: LedgerOutcome<T>) => void,
): Promise<LedgerOutcome<T>[]> {
  if (ctx.global.file || ctx.global.ledger) throw new UsageError(t('books.all.withFile'));
  const reg = readRegistry(ctx.io.env);
  const names = Object.keys(reg.ledgers).sort((a, b) => a.localeCompare(b));
  if (names.length === 0) throw new UsageError(t('books.all.none', { file: registryPath(ctx.io.env) }));
  const outcomes: LedgerOutcome<T>[] = [];
  for (const name of names) {
    const file = reg.ledgers[name]!;
    const sub = createContext(ctx.io, { ...ctx.global, file, ledger: undefined });
    try {
      const { result, code = ExitCode.ok } = await work(sub, name);
      outcomes.push({ ledger: name, file, code, result });
    } catch (err) {
      const code = err instanceof RelanceError ? err.exitCode : ExitCode.failed;
      outcomes.push({ ledger: name, file, code, error: err instanceof Error ? err.message : String(err) });
    } finally {
      sub.close();
    }
    each?.(outcomes[outcomes.length - 1]!);
  }
  return outcomes;
}

/** 1 over 3 over 0: any failure wins, then a lock, then success. */
export function worstExit(codes: number[]): number {
  if (codes.some((c) => c !== ExitCode.ok && c !== ExitCode.locked)) return ExitCode.failed;
  if (codes.includes(ExitCode.locked)) return ExitCode.locked;
  return ExitCode.ok;
}

/** One stderr line per ledger that failed, naming it. */
export function reportFailures(ctx: Context, outcomes: LedgerOutcome<unknown>[]): void {
  for (const o of outcomes) {
    if (o.error) ctx.io.err(`relance: ${t('books.all.failed', { ledger: o.ledger, file: o.file, error: o.error })}\n`);
  }
}
