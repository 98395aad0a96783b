/**
 * Files relance writes next to a ledger: the folders beside it (outbox, letters, templates), and
 * writes that never leave half a file under the real name. Everything relance writes holds personal
 * data, so files are 0600 and folders 0700, like the ledger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crashPoint } from './crash.js';
import { pidAlive } from './process.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** A folder setting (relative to the ledger's folder), else <ledger name>-<suffix> beside the ledger. */
export function ledgerFolder(ledgerFile: string, setting: string | null, suffix: string): string {
  const base = path.dirname(ledgerFile);
  if (setting) return path.resolve(base, setting);
  const name = path.basename(ledgerFile).replace(/\.[^.]+$/, '');
  return path.join(base, `${name}-${suffix}`);
}

/** mkdir -p with 0700 for the folders it makes. */
export function makeDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/** A file name made of safe characters, for outbox and letters. */
export { safeName } from '../core/links.js';

const madeDirs = new Set<string>();
const TMP = /^\..+(?:\.tmp-(\d+)|\.(\d+)\.tmp)$/

/** The temp name a write uses before its rename: hidden, with the writer's pid. */
export function tempNameOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
}

/**
 * Write a file atomically: temp name in the same folder, then rename, so a killed process never
 * leaves half a file under the real name. No fsync per file: 10k outbox files a run would cost
 * minutes on an ordinary disk; the ledger (WAL) says what was written, and the next run tells a file
 * that is there from one that is not.
 */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    makeDir(dir);
    madeDirs.add(dir);
  }
  const tmp = tempNameOf(file);
  fs.writeFileSync(tmp, data, { mode: FILE_MODE });
  crashPoint('before-rename');
  fs.renameSync(tmp, file);
}

/**
 * Remove the temp files (".name.tmp-PID") that processes no longer running left in these folders
 * (a crash before the rename). Returns the files removed. A missing folder is nothing to clean.
 */
export function removeDeadTempFiles(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = TMP.exec(n);
      if (!m || pidAlive(Number(m[1] ?? m[2]))) continue;
      const f = path.join(dir, n);
      try {
        fs.rmSync(f, { recursive: true, force: true });
        removed.push(f);
      } catch {
        // Not ours to remove (permissions): doctor reports it.
      }
    }
  }
  return removed;
}
