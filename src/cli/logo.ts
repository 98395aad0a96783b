/**
 * `relance ledger set business.logo FILE|""` and the logo's line in `ledger show` (called from
 * cli/commands/ledger.ts with one line each). The file is checked by its bytes (core/logo.ts: PNG or
 * JPEG, at most 1 MB, sane dimensions) and drawn once (render/logo-check.ts) before it is kept in
 * the ledger; a refusal is one line, exit 2, the ledger unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { inspectLogo, LOGO_MAX_BYTES, type LogoRefusal } from '../core/logo.js';
import { t } from '../i18n/index.js';
import { write, type Db } from '../store/db.js';
import { currentLogo, putLogo, removeLogo, type StoredLogo } from '../store/logos.js';
import { printJson } from '../render/output.js';
import type { Context } from './context.js';

export const LOGO_KEY = 'business.logo';

/** 12 345 bytes -> "12 KB" (decimal point in the interface's language). */
function size(bytes: number): string {
  if (bytes < 1024) return t('logo.size.bytes', { n: bytes });
  const kb = bytes / 1024;
  const text = kb < 10 ? kb.toFixed(1) : String(Math.round(kb));
  return t('logo.size.kb', { n: t('logo.size.decimal') === ',' ? text.replace('.', ',') : text });
}

/** "PNG, 400 x 120 px, 12 KB". */
export function describeLogo(l: StoredLogo): string {
  return t('logo.describe', { kind: l.kind.toUpperCase(), width: l.width, height: l.height, size: size(l.size) });
}

export function logoJson(l: StoredLogo | null) {
  return l ? { kind: l.kind, width: l.width, height: l.height, bytes: l.size, sha256: l.sha256, addedOn: l.addedOn } : null;
}

/** The logo's row of `ledger show`'s table: setting, value, meaning. */
export function logoRow(db: Db): [string, string, string] {
  const l = currentLogo(db);
  return [LOGO_KEY, l ? describeLogo(l) : '', t('logo.help')];
}

/** `ledger show --json`: the logo's description (no bytes), or null. */
export function logoShown(db: Db): ReturnType<typeof logoJson> {
  return logoJson(currentLogo(db));
}

function refusal(file: string, r: LogoRefusal): string {
  switch (r.reason) {
    case 'empty':
      return t('logo.refused.empty', { file });
    case 'too-big':
      return t('logo.refused.tooBig', { file, size: size(r.bytes), max: size(r.max) });
    case 'damaged':
      return t('logo.refused.damaged', { file, kind: r.kind.toUpperCase() });
    case 'cmyk':
      return t('logo.refused.cmyk', { file });
    case 'dimensions':
      return t('logo.refused.dimensions', { file, width: r.width, height: r.height });
    case 'unknown':
      return t('logo.refused.unknown', { file });
    default:
      return t('logo.refused.kind', { file, kind: r.reason.toUpperCase() });
  }
}

/** `ledger set business.logo FILE` ("" removes the logo). */
export async function setLogo(ctx: Context, value: string): Promise<void> {
  const db = ctx.db();
  if (value.trim() === '') {
    const had = write(db, () => removeLogo(db));
    if (ctx.json) return printJson(ctx.io, { key: LOGO_KEY, value: null });
    if (!ctx.quiet) ctx.io.out(`${had ? t('logo.removed') : t('logo.noneToRemove')}\n`);
    return;
  }
  const file = path.resolve(ctx.io.cwd, value);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(t('logo.refused.missing', { file }));
  }
  if (!stat.isFile()) throw new UsageError(t('logo.refused.notFile', { file }));
  if (stat.size > LOGO_MAX_BYTES) throw new UsageError(refusal(file, { reason: 'too-big', bytes: stat.size, max: LOGO_MAX_BYTES }));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(t('logo.refused.unreadable', { file, why: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
  const check = inspectLogo(bytes);
  if (!check.ok) throw new UsageError(refusal(file, check));
  const { logoProblem } = await import('../render/logo-check.js');
  if (await logoProblem(bytes, check.info.kind)) throw new UsageError(refusal(file, { reason: 'damaged', kind: check.info.kind }));
  const on = ctx.asOf();
  const logo = write(db, () => putLogo(db, bytes, check.info, on));
  if (ctx.json) return printJson(ctx.io, { key: LOGO_KEY, value: logoJson(logo), file });
  if (!ctx.quiet) ctx.io.out(`${t('logo.set', { key: LOGO_KEY, file: path.basename(file), description: describeLogo(logo) })}\n`);
}
