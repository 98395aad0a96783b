/**
 * relance backup and restore. Done when: a backup taken while another process is writing opens
 * cleanly and passes the integrity check. Restore refuses to overwrite a newer ledger without
 * --force, keeps a copy of what it replaces, and never leaves a half-written ledger.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp } from '../helpers/smtp.js';
import { query, seed } from './remind-fixtures.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
});
afterEach(() => sb.cleanup());

function check(file: string): { integrity: string; clients: number; contacts: number; journal: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string),
      clients: (db.prepare('SELECT COUNT(*) AS n FROM clients').get() as { n: number }).n,
      contacts: (db.prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n,
      journal: db.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

describe('backup', () => {
  it('writes a checked, single-file copy beside the ledger by default', () => {
    const r = sb.run(['backup', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(path.dirname(out.backup)).toBe(sb.dir);
    expect(path.basename(out.backup)).toMatch(/^ledger-backup-\d{8}-\d{6}\.db$/);
    expect(out.integrity).toBe('ok');
    const c = check(out.backup);
    expect(c).toMatchObject({ integrity: 'ok', clients: 1, journal: 'delete' });
    expect(fs.statSync(out.backup).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${out.backup}-wal`)).toBe(false);
    // nothing but the ledger, its side files and the backup
    expect(fs.readdirSync(sb.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // two backups in the same second keep both
    const again = JSON.parse(sb.run(['backup', '--json']).stdout).backup;
    const third = JSON.parse(sb.run(['backup', '--json']).stdout).backup;
    expect(new Set([out.backup, again, third]).size).toBe(3);
    // the backup is a ledger relance can use
    expect(JSON.parse(sb.run(['-f', out.backup, 'client', 'list', '--json'], { noLedger: true }).stdout).map((x: { code: string }) => x.code)).toEqual(['ACME']);
  });

  it('puts the copy into a folder, and never overwrites a file', () => {
    const dir = path.join(sb.dir, 'sauvegardes');
    fs.mkdirSync(dir);
    const r = sb.run(['backup', dir, '--json']);
    expect(r.code).toBe(0);
    expect(path.dirname(JSON.parse(r.stdout).backup)).toBe(dir);
    const named = path.join(dir, 'mars.db');
    expect(sb.run(['backup', named]).code).toBe(0);
    const again = sb.run(['backup', named]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(sb.run(['backup', path.join(sb.dir, 'no', 'such', 'dir', 'x.db')]).code).toBe(2);
  });

  it('is consistent while another process is writing (Done when of issue 7)', async () => {
    // A writer in another process: transactions of 50 contacts each, as fast as it can, until stopped.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      const ins = db.prepare("INSERT INTO contacts (client_id, at, channel, outcome, created_at) VALUES (1, ?, 'call', ?, ?)");
      const tx = db.transaction((n) => { for (let i = 0; i < 50; i++) ins.run('2026-03-02T10:00:00+01:00', 'call ' + n + '-' + i + ' ' + 'x'.repeat(200), '2026-03-02T10:00:00+01:00'); });
      let n = 0;
      process.stdout.write('ready\\n');
      const stop = Date.now() + 120000;
      while (Date.now() < stop) { tx.immediate(n++); if (n % 20 === 0) { const fs = require('fs'); if (fs.existsSync(process.argv[2])) break; } }
      db.close();
      process.stdout.write('wrote ' + n + '\\n');
    `;
    const stopFile = path.join(sb.dir, 'stop');
    const writer = spawn(process.execPath, ['-e', script, sb.ledger, stopFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    writer.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
    const seen: number[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 300));
        const dest = path.join(sb.dir, `during-${i}.db`);
        const r = await sb.runAsync(['backup', dest, '--json']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const c = check(dest);
        expect(c.integrity).toBe('ok');
        // whole transactions only: the writer commits 50 contacts at a time
        expect(c.contacts % 50).toBe(0);
        seen.push(c.contacts);
      }
    } finally {
      fs.writeFileSync(stopFile, '');
      await new Promise((r) => writer.on('close', r));
    }
    expect(out).toMatch(/wrote \d+/);
    // the writer really was writing while the copies were taken
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]!);
    expect(seen[0]).toBeGreaterThan(0);
  });
});

describe('backup while remind --due is writing (Done when of issue 7)', () => {
  it('opens cleanly, passes the integrity check, and holds whole transactions of the run', async () => {
    // A real run: 12 clients, each message recorded "sending" then "sent" by its own transaction,
    // against an SMTP server that holds its answer to the first three messages until a copy has been
    // taken, so the copies are made while the run writes, however loaded the machine.
    const smtp = await startSmtp({ hold: true });
    try {
      expect(sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']).code).toBe(0);
      expect(sb.run(['ledger', 'set', 'smtp.port', String(smtp.port)]).code).toBe(0);
      const clients = Array.from({ length: 12 }, (_, i) => `C${String(i).padStart(2, '0')}`);
      seed(sb.ledger, (s) => {
        clients.forEach((code, i) => s.invoice({ client: s.client(code), number: `F-${i + 1}`, issue: '2026-02-01', due: '2026-03-01', amount: 10_000 + i }));
      });
      const run = sb.runAsync(['remind', '--due', '--as-of', '2026-03-12']);
      const copies: { file: string; messages: number }[] = [];
      // A copy while message 1, 2 and 3 wait for the server's answer (recorded "sending", the ones
      // before it "sent"), then the server answers it and the run goes on.
      for (let i = 1; i <= 3; i++) {
        await smtp.received(i);
        const dest = path.join(sb.dir, `during-${copies.length}.db`);
        const r = await sb.runAsync(['backup', dest]);
        expect(r.code, r.stderr).toBe(0);
        copies.push({ file: dest, messages: query<{ n: number }>(dest, 'SELECT COUNT(*) AS n FROM messages')[0]!.n });
        smtp.release(i === 3);
      }
      const done = await run;
      expect(done.code, done.stderr).toBe(0);
      expect(smtp.messages).toHaveLength(clients.length);
      expect(copies.map((c) => c.messages)).toEqual([1, 2, 3]);
      expect(copies.some((c) => c.messages > 0 && c.messages < clients.length)).toBe(true);
      for (const c of copies) {
        expect(check(c.file).integrity).toBe('ok');
        // every message in the copy has its reminders: no transaction cut in half
        const orphans = query(c.file, "SELECT m.id FROM messages m WHERE m.channel = 'email' AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.message_id = m.id)");
        expect(orphans).toEqual([]);
        // and relance itself opens it and reads the run from it
        const listed = sb.run(['-f', c.file, 'remind', 'list', '--json'], { noLedger: true });
        expect(listed.code, listed.stderr).toBe(0);
        expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(c.messages);
        const doctor = sb.run(['doctor', '-f', c.file, '--as-of', '2026-03-12', '--json'], { noLedger: true });
        const checks = (JSON.parse(doctor.stdout) as { ledgers: { checks: { check: string; status: string }[] }[] }).ledgers[0]!.checks;
        expect(checks.filter((x) => ['open', 'integrity', 'schema'].includes(x.check)).map((x) => [x.check, x.status])).toEqual([
          ['open', 'ok'],
          ['integrity', 'ok'],
          ['schema', 'ok'],
        ]);
      }
    } finally {
      smtp.release(true);
      await smtp.close();
    }
  });
});

describe('restore', () => {
  function backup(name: string): string {
    const dest = path.join(sb.dir, name);
    expect(sb.run(['backup', dest]).code).toBe(0);
    return dest;
  }

  it('refuses to overwrite a ledger that is newer than the backup, with the ledger unchanged', () => {
    const b = backup('b1.db');
    expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex']).code).toBe(0);
    const before = sb.snapshot();
    const r = sb.run(['restore', b]);
    expect(r.code).toBe(2);
    // Which reason is named depends on the clock: a client added in a later second has a later entry;
    // in the same second as the backup, the ledger has more rows.
    expect(r.stderr).toMatch(/is newer than the backup \(it has (entries up to .*|\d+ rows, the backup \d+)\); nothing was changed, add --force/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(sb.snapshot()).toBe(before);
  });

  it('counts a later edit as newer too (the ledger was written after the backup was made)', async () => {
    const b = backup('b1.db');
    // make the backup look a few seconds old, then change a field (no new row, no new timestamp)
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(b, old, old);
    expect(sb.run(['client', 'edit', 'ACME', '--email', 'new@acme.example']).code).toBe(0);
    const r = sb.run(['restore', b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('after the backup was made');
  });

  it('with --force replaces the ledger and keeps a copy of the one it replaced', () => {
    const b = backup('b1.db');
    const snapAtBackup = sb.snapshot(b);
    expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex']).code).toBe(0);
    const r = sb.run(['restore', b, '--force', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ledger: sb.ledger, backup: b, replaced: true, forced: true });
    expect(sb.snapshot()).toBe(snapAtBackup);
    expect(JSON.parse(sb.run(['client', 'list', '--json']).stdout).map((c: { code: string }) => c.code)).toEqual(['ACME']);
    // the replaced ledger is kept, and has GLOBEX
    expect(check(out.previousCopy)).toMatchObject({ integrity: 'ok', clients: 2 });
    expect(fs.statSync(sb.ledger).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(sb.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // the restored ledger works as a ledger
    expect(sb.run(['client', 'add', 'INITECH', '--name', 'Initech']).code).toBe(0);
  });

  it('restores over an older ledger without --force, and into a missing one', () => {
    const early = backup('early.db');
    expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex']).code).toBe(0);
    const late = backup('late.db');
    // the ledger goes back to the early state (forced), then forward to the late backup (not forced: it is newer)
    expect(sb.run(['restore', early, '--force']).code).toBe(0);
    const r = sb.run(['restore', late]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(sb.run(['client', 'list', '--json']).stdout)).toHaveLength(2);
    const fresh = path.join(sb.dir, 'fresh.db');
    const into = sb.run(['-f', fresh, 'restore', late], { noLedger: true });
    expect(into.code).toBe(0);
    expect(check(fresh)).toMatchObject({ integrity: 'ok', clients: 2, journal: 'wal' });
  });

  it('refuses what is not a relance backup (exit 4) and leaves the ledger alone', () => {
    const before = sb.snapshot();
    const junk = path.join(sb.dir, 'junk.db');
    fs.writeFileSync(junk, 'hello');
    expect(sb.run(['restore', junk]).code).toBe(4);
    expect(sb.run(['restore', path.join(sb.dir, 'missing.db')]).code).toBe(4);
    const foreign = path.join(sb.dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    const r = sb.run(['restore', foreign, '--force']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is not a relance ledger');
    expect(sb.run(['restore', sb.ledger]).code).toBe(2);
    expect(sb.snapshot()).toBe(before);
  });
});
