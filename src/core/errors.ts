/**
 * Errors carry the process exit code they map to (product.md, "Exit codes").
 * The core throws them for bad input; the CLI's single top-level handler turns
 * them into one line on stderr and the exit status. Messages say what was
 * wrong and how to fix it, in one line, without a stack trace.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  locked: 3,
  ledger: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class RelanceError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Exit 1: the work ran but something failed (e.g. a reminder could not be sent). */
export class WorkFailedError extends RelanceError {
  constructor(message: string) {
    super(message, ExitCode.failed);
  }
}

/** Exit 2: bad usage or bad input; nothing was written. */
export class UsageError extends RelanceError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Exit 3: the ledger is locked by another run. */
export class LockedError extends RelanceError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}

/** Exit 4: the ledger file is missing, unreadable, not a ledger, or from a newer version. */
export class LedgerError extends RelanceError {
  constructor(message: string) {
    super(message, ExitCode.ledger);
  }
}
