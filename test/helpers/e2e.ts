/**
 * End-to-end harness: runs the real bin/relance (built dist/) in a child process with a non-TTY
 * stdin, a private HOME / XDG_CONFIG_HOME and a temp folder, and returns stdout, stderr and the
 * exit code. Helpers also snapshot the ledger file so tests can prove it was left unchanged.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'relance');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  /** The default ledger of this sandbox: <dir>/ledger.db (passed as -f unless the args have -f/--ledger/--all). */
  ledger: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: RunOptions): RunResult;
  runAsync(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Initialise the sandbox ledger with a plain business identity. */
  init(extra?: string[]): RunResult;
  /** A digest of the ledger's contents (every table's rows, and user_version), to prove "unchanged". */
  snapshot(file?: string): string;
  cleanup(): void;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Do not add "-f <sandbox ledger>". */
  noLedger?: boolean;
  cwd?: string;
  timeoutMs?: number;
}

function withLedger(sb: { ledger: string }, args: string[], opts: RunOptions): string[] {
  const chooses = args.some((a) => a === '-f' || a === '--file' || a === '--ledger' || a === '--all' || a.startsWith('--file='));
  return opts.noLedger || chooses ? args : ['-f', sb.ledger, ...args];
}

export function sandbox(prefix = 'relance-e2e-'): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    TZ: 'Europe/Paris',
    LANG: 'C.UTF-8',
  };
  const sb: Sandbox = {
    dir,
    ledger: path.join(dir, 'ledger.db'),
    env,
    run(args, opts = {}) {
      const r = spawnSync(process.execPath, [BIN, ...withLedger(sb, args, opts)], {
        cwd: opts.cwd ?? dir,
        env: { ...env, ...opts.env },
        input: opts.input ?? '',
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync(args, opts = {}) {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...withLedger(sb, args, opts)], {
          cwd: opts.cwd ?? dir,
          env: { ...env, ...opts.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(opts.input ?? '');
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    },
    init(extra = []) {
      return sb.run([
        'init',
        sb.ledger,
        '--name',
        'Atelier Dupont',
        '--email',
        'compta@dupont.example',
        '--siren',
        '732829320',
        '--vat-number',
        'FR44732829320',
        '--address',
        '12 rue des Lilas;69003 Lyon',
        '--iban',
        'FR7630006000011234567890189',
        ...extra,
      ], { noLedger: true });
    },
    snapshot(file = sb.ledger) {
      return ledgerDigest(file);
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return sb;
}

/**
 * Hash of every row of every table plus user_version: equal digests mean an unchanged ledger. Read in
 * the test's own process (a child process per snapshot cost two Node start-ups per refusal checked).
 */
export function ledgerDigest(file: string): string {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const out: { v: unknown; t: Record<string, unknown[]> } = { v: db.pragma('user_version', { simple: true }), t: {} };
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) out.t[name] = db.prepare(`SELECT * FROM "${name}"`).all();
    return crypto.createHash('sha256').update(JSON.stringify(out)).digest('hex');
  } finally {
    db.close();
  }
}

/** True when the text holds an ANSI escape sequence. */
export function hasEscapes(text: string): boolean {
  return /\u001b\[/.test(text);
}
