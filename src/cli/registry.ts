/**
 * Named ledgers: a small JSON file in the user's config folder ($XDG_CONFIG_HOME/relance, default
 * ~/.config/relance) mapping names to absolute paths. Written to a temp file and renamed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { t } from '../i18n/index.js';

export interface Registry {
  ledgers: Record<string, string>;
}

/** The home folder when HOME is not set; node:os is loaded only then (it is not loaded at node's start: ~0.3 ms). */
const homedir = (): string => (createRequire(import.meta.url)('node:os') as typeof import('node:os')).homedir();

export function configDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? homedir(), '.config');
  return path.join(base, 'relance');
}

export function registryPath(env: NodeJS.ProcessEnv): string {
  return path.join(configDir(env), 'ledgers.json');
}

export function readRegistry(env: NodeJS.ProcessEnv): Registry {
  const file = registryPath(env);
  if (!fs.existsSync(file)) return { ledgers: {} };
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Registry;
    return { ledgers: { ...(data.ledgers ?? {}) } };
  } catch (err) {
    throw new UsageError(t('common.registry.badJson', { file, message: (err as Error).message }));
  }
}

export function writeRegistry(env: NodeJS.ProcessEnv, reg: Registry): void {
  const file = registryPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(reg, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export const LEDGER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkLedgerName(name: string): string {
  if (!LEDGER_NAME.test(name)) throw new UsageError(t('common.registry.badName', { name }));
  return name;
}
