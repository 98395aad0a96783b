/**
 * store/db.ts peekLedger: the look at a ledger before the commands are registered (its ui.language)
 * keeps its connection for the run's own openLedger of the same file, which still runs every check
 * on it; any other open closes it first, a read-only open never takes it, a failed look keeps nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLedger, openLedger, openSqlite, peekLedger, releaseSpare, type Db } from '../../src/store/db.js';
import { putSetting, readUiLanguage } from '../../src/store/settings.js';
import { LedgerError } from '../../src/core/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-peek-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => releaseSpare());

let n = 0;
function ledger(lang: 'fr' | 'en' | null): string {
  const file = path.join(dir, `l${++n}.db`);
  createLedger(file, (d) => {
    putSetting(d, 'business.name', 'Atelier Dupont');
    putSetting(d, 'ui.language', lang);
  }).close();
  return file;
}

/** The language, read on a connection that is marked with an SQL function (known to that connection only). */
const markedLook = (db: Db) => {
  db.function('peeked', () => 1);
  return readUiLanguage(db);
};
const isPeeked = (db: Db) => db.prepare("SELECT count(*) AS n FROM pragma_function_list WHERE name = 'peeked'").get() as { n: number };

describe('peekLedger', () => {
  it("reads the ledger's language, and openLedger of the same file runs on that connection", () => {
    const file = ledger('fr');
    expect(peekLedger(file, markedLook)).toBe('fr');
    const db = openLedger(path.join(dir, '.', path.basename(file)));
    expect(isPeeked(db)).toEqual({ n: 1 });
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    // Taken once: the next open is a connection of its own.
    const again = openLedger(file);
    expect(isPeeked(again)).toEqual({ n: 0 });
    again.close();
  });

  it('is undefined for no language, no file, or a file that is not a ledger, and keeps no connection then', () => {
    expect(peekLedger(ledger(null), readUiLanguage)).toBeUndefined();
    expect(peekLedger(path.join(dir, 'none.db'), readUiLanguage)).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'none.db'))).toBe(false);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database, not at all: just some notes written by hand\n'.repeat(100));
    expect(peekLedger(text, markedLook)).toBeUndefined();
    expect(() => openLedger(text)).toThrow(LedgerError);
  });

  it("never hands its connection to a read-only open or another file's, and any other open closes it first", () => {
    const file = ledger('en');
    expect(peekLedger(file, markedLook)).toBe('en');
    const ro = openLedger(file, { readonly: true });
    expect(isPeeked(ro)).toEqual({ n: 0 });
    ro.close();
    // The read-only open closed the kept connection: a later open does not find it.
    const rw = openLedger(file);
    expect(isPeeked(rw)).toEqual({ n: 0 });
    rw.close();

    expect(peekLedger(file, markedLook)).toBe('en');
    const other = ledger('fr');
    const o = openLedger(other);
    expect(isPeeked(o)).toEqual({ n: 0 });
    o.close();
    const mem = openSqlite(':memory:');
    mem.close();
    const after = openLedger(file);
    expect(isPeeked(after)).toEqual({ n: 0 });
    after.close();
  });

  it("openLedger's checks still run on the kept connection: a ledger from a newer relance is refused", () => {
    const file = ledger('fr');
    const raw = openSqlite(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(peekLedger(file, markedLook)).toBe('fr');
    expect(() => openLedger(file)).toThrow(/newer|999/);
  });
});
