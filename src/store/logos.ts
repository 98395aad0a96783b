/**
 * The business's logo in the ledger (migration 17): set (the bytes kept once by digest, made the
 * current logo), removed (no current logo), read for a document (the logo it was issued with, bound
 * by the triggers of schema/logos.ts; a draft's is the current one). A logo no document was issued
 * with and that is no longer current is deleted when the logo changes: the ledger keeps only what a
 * PDF may still need. Writes inside write().
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/dates.js';
import type { LogoImage, LogoInfo } from '../core/logo.js';
import type { Db } from './db.js';

export interface StoredLogo extends LogoInfo {
  id: number;
  sha256: string;
  size: number;
  addedOn: IsoDate;
}

interface Row {
  id: number;
  sha256: string;
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
  size: number;
  added_on: string;
}

const COLUMNS = 'id, sha256, kind, width, height, length(bytes) AS size, added_on';

function stored(r: Row): StoredLogo {
  return { id: r.id, sha256: r.sha256, kind: r.kind, width: r.width, height: r.height, size: r.size, addedOn: r.added_on };
}

/** The current logo's description (no bytes), or null. */
export function currentLogo(db: Db): StoredLogo | null {
  const r = db.prepare(`SELECT ${COLUMNS} FROM logos WHERE current = 1`).get() as Row | undefined;
  return r ? stored(r) : null;
}

/** Make these (checked) bytes the current logo. Inside write(). */
export function putLogo(db: Db, bytes: Uint8Array, info: LogoInfo, on: IsoDate): StoredLogo {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  db.prepare('UPDATE logos SET current = 0 WHERE current = 1').run();
  db.prepare('INSERT INTO logos (sha256, kind, width, height, bytes, added_on) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING').run(
    sha256,
    info.kind,
    info.width,
    info.height,
    Buffer.from(bytes),
    on,
  );
  db.prepare('UPDATE logos SET current = 1 WHERE sha256 = ?').run(sha256);
  dropUnused(db);
  return currentLogo(db)!;
}

/** No logo from now on (documents issued with one keep it). Returns whether there was one. Inside write(). */
export function removeLogo(db: Db): boolean {
  const had = db.prepare('UPDATE logos SET current = 0 WHERE current = 1').run().changes > 0;
  dropUnused(db);
  return had;
}

function dropUnused(db: Db): void {
  db.prepare('DELETE FROM logos WHERE current = 0 AND id NOT IN (SELECT logo_id FROM document_logos)').run();
}

function image(r: { kind: 'png' | 'jpeg'; width: number; height: number; bytes: Buffer } | undefined): LogoImage | null {
  return r ? { kind: r.kind, width: r.width, height: r.height, bytes: r.bytes } : null;
}

/** The current logo with its bytes (drafts, letters, statements), or null. */
export function currentLogoImage(db: Db): LogoImage | null {
  return image(db.prepare('SELECT kind, width, height, bytes FROM logos WHERE current = 1').get() as never);
}

/**
 * The logo a document shows: an issued one (it has a number), the logo current when it was issued
 * (none if there was none, or it was issued before logos existed); a draft, the current logo.
 */
export function logoOfDocument(db: Db, d: { id: number; number: string | null }): LogoImage | null {
  if (d.number === null) return currentLogoImage(db);
  return image(db.prepare('SELECT l.kind, l.width, l.height, l.bytes FROM document_logos dl JOIN logos l ON l.id = dl.logo_id WHERE dl.document_id = ?').get(d.id) as never);
}
