/**
 * What every command receives: the IO object, the global flags, the chosen ledger and the date.
 * Ledger choice: -f PATH > --ledger NAME > RELANCE_FILE > ./relance.db.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDate, type IsoDate } from '../core/dates.js';
import { LedgerError, UsageError } from '../core/errors.js';
import { openLedger, type Db } from '../store/db.js';
import { ledgerTimeZone } from '../store/timezone.js';
import type { IO } from './io.js';
import { readRegistry, registryPath } from './registry.js';
import { t } from '../i18n/index.js';

export interface GlobalOptions {
  file?: string;
  ledger?: string;
  json?: boolean;
  /** commander's --no-input: false when given */
  input?: boolean;
  color?: boolean;
  quiet?: boolean;
}

export interface Context {
  io: IO;
  global: GlobalOptions;
  /** Where the chosen ledger is (absolute), and how it was chosen. */
  ledgerPath(): { file: string; source: 'file' | 'ledger' | 'env' | 'default'; name?: string };
  /** Open the chosen ledger (once per run); exit 4 if it is missing or not a ledger. */
  db(): Db;
  /** --as-of when given (validated), else today in the ledger's time zone from the IO clock. */
  asOf(text?: string): IsoDate;
  json: boolean;
  quiet: boolean;
  close(): void;
}

export function resolveLedgerPath(io: IO, g: GlobalOptions): ReturnType<Context['ledgerPath']> {
  if (g.file) return { file: path.resolve(io.cwd, g.file), source: 'file' };
  if (g.ledger) {
    const reg = readRegistry(io.env);
    const p = reg.ledgers[g.ledger];
    if (!p) {
      const known = Object.keys(reg.ledgers);
      throw new LedgerError(t('common.ledger.unknownName', { name: g.ledger, registry: registryPath(io.env), known: known.length ? t('common.ledger.known', { names: known.join(', ') }) : '' }));
    }
    return { file: p, source: 'ledger', name: g.ledger };
  }
  if (io.env.RELANCE_FILE) return { file: path.resolve(io.cwd, io.env.RELANCE_FILE), source: 'env' };
  return { file: path.resolve(io.cwd, 'relance.db'), source: 'default' };
}

export function createContext(io: IO, global: GlobalOptions): Context {
  let db: Db | undefined;
  let where: ReturnType<Context['ledgerPath']> | undefined;
  const ctx: Context = {
    io,
    global,
    json: Boolean(global.json),
    quiet: Boolean(global.quiet),
    ledgerPath() {
      where ??= resolveLedgerPath(io, global);
      return where;
    },
    db() {
      if (!db) {
        const { file, source } = ctx.ledgerPath();
        try {
          db = openLedger(file);
        } catch (err) {
          if (err instanceof LedgerError && source === 'default') {
            const what = fs.existsSync(file) ? err.message.replace(/\s*;.*$/, '') : t('common.ledger.noneAt', { file });
            throw new LedgerError(t('common.ledger.noneChosen', { what }));
          }
          throw err;
        }
        // The ledger's time zone: "today", issue and reminder dates and local times follow it.
        const zone = ledgerTimeZone(db);
        if (!zone.valid) io.err(`relance: ${t('common.warning', { text: t('common.ledger.unknownZone', { stored: zone.stored, zone: zone.timeZone }) })}\n`);
        io.setTimeZone(zone.timeZone);
      }
      return db;
    },
    asOf(text) {
      if (text !== undefined) return parseDate(text, '--as-of');
      // Today is the ledger's day: open it first when it exists, so its time zone is known.
      if (!db) {
        try {
          ctx.db();
        } catch {
          // No ledger (yet): the default zone; the command reports the missing ledger itself.
        }
      }
      return io.today();
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
  return ctx;
}

/** For options that must be given when prompting is impossible. */
export function missingFlag(flag: string, hint = ''): UsageError {
  return new UsageError(t('common.missingFlag', { flag, hint: hint ? ` (${hint})` : '' }));
}
