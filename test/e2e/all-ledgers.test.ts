/**
 * --all over the registry (issue 7): one overview over several ledgers, with the ledger named in a
 * column and in the JSON; a ledger that fails is reported by name on stderr, the others still run,
 * and the exit status is the worst of them (1 over 3 over 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { freePort, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query, seed } from './remind-fixtures.js';

let sb: Sandbox;
let smtp: TestSmtp | null = null;
let holder: ChildProcess | null = null;

afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = null;
  await smtp?.close();
  smtp = null;
  sb?.cleanup();
});

const AS_OF = '2026-03-12';

/** A ledger registered under `name`, beside the sandbox's own. */
function ledger(name: string): string {
  const file = path.join(sb.dir, `${name}.db`);
  const r = sb.run(['init', file, '--name', `Cabinet ${name}`, '--email', `compta@${name}.example`, '--register', name], { noLedger: true });
  expect(r.code, r.stderr).toBe(0);
  return file;
}

/** One overdue invoice of one client, with a next action due, in that ledger. */
function seedLedger(file: string, code: string, amount: number): void {
  seed(file, (s) => {
    const c = s.client(code);
    s.invoice({ client: c, number: `F-${code}-1`, issue: '2026-02-01', due: '2026-03-01', amount });
  });
  const r = sb.run(['-f', file, 'call-log', 'add', code, '--at', '2026-03-02 10:00', '--outcome', 'no answer', '--next', '2026-03-05'], { noLedger: true });
  expect(r.code, r.stderr).toBe(0);
}

/** A registry entry pointing at a file that is not a relance ledger. */
function registerJunk(name: string): string {
  const junk = path.join(sb.dir, `${name}.db`);
  fs.writeFileSync(junk, 'not a database, just text '.repeat(100));
  const regFile = path.join(sb.dir, 'config', 'relance', 'ledgers.json');
  const reg = JSON.parse(fs.readFileSync(regFile, 'utf8')) as { ledgers: Record<string, string> };
  reg.ledgers[name] = junk;
  fs.writeFileSync(regFile, JSON.stringify(reg));
  return junk;
}

describe('todo --all', () => {
  it('lists every ledger\'s to-do with the ledger named, reports a broken ledger by name, exits 1', () => {
    sb = sandbox('relance-all-todo-');
    seedLedger(ledger('dupont'), 'ACME', 12_000);
    seedLedger(ledger('martin'), 'BETA', 30_000);
    const junk = registerJunk('zinc');
    const before = fs.readFileSync(junk);

    const r = sb.run(['todo', '--all', '--as-of', AS_OF]);
    expect(r.code).toBe(1);
    const rows = r.stdout.split('\n').filter((l) => /^│ (dupont|martin)/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^│ dupont +│ ACME +│ 2026-03-05 │ 7 d/);
    expect(rows[1]).toMatch(/^│ martin +│ BETA +│ 2026-03-05 │ 7 d/);
    expect(r.stdout).toMatch(/│ ledger +│ client/);
    const errors = r.stderr.trimEnd().split('\n');
    expect(errors).toEqual([`relance: ledger zinc (${junk}): ${junk} is not a relance ledger (file is not a database); check the path`]);
    expect(fs.readFileSync(junk)).toEqual(before);

    const j = sb.run(['todo', '--all', '--as-of', AS_OF, '--json']);
    expect(j.code).toBe(1);
    const data = JSON.parse(j.stdout) as { ledger: string; nextActions?: { client: string; daysLate: number }[]; error?: string; exit?: number }[];
    expect(data.map((d) => d.ledger)).toEqual(['dupont', 'martin', 'zinc']);
    expect(data[0]!.nextActions!.map((n) => [n.client, n.daysLate])).toEqual([['ACME', 7]]);
    expect(data[1]!.nextActions!.map((n) => [n.client, n.daysLate])).toEqual([['BETA', 7]]);
    expect(data[2]).toMatchObject({ ledger: 'zinc', exit: 4 });
    expect(data[2]!.error).toContain('is not a relance ledger');
  });

  it('exits 0 when every ledger is fine, and refuses --all with -f or a bad date before opening anything', () => {
    sb = sandbox('relance-all-todo-');
    const a = ledger('dupont');
    seedLedger(a, 'ACME', 12_000);
    ledger('martin');
    const ok = sb.run(['todo', '--all', '--as-of', AS_OF]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^│ dupont +│ ACME/m);
    const withFile = sb.run(['todo', '--all', '-f', a]);
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toBe('relance: --all runs over every registered ledger; drop -f/--ledger, or drop --all\n');
    const badDate = sb.run(['todo', '--all', '--as-of', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(badDate.stderr).toContain('2026-02-30');
  });

  it('says how to register ledgers when there are none', () => {
    sb = sandbox('relance-all-todo-');
    const r = sb.run(['todo', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: no named ledgers in .*ledgers\.json; register them with "relance ledger add NAME PATH"\n$/);
  });
});

describe('overdue --all', () => {
  it('one overview with a ledger column and JSON field; a broken ledger is named and the exit is 1', () => {
    sb = sandbox('relance-all-overdue-');
    seedLedger(ledger('dupont'), 'ACME', 12_000);
    seedLedger(ledger('martin'), 'BETA', 30_000);
    const junk = registerJunk('zinc');
    const r = sb.run(['overdue', '--all', '--as-of', AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/│ ledger +│ client +│ invoice/);
    expect(r.stdout).toMatch(/^│ dupont +│ ACME +│ F-ACME-1 +│ 2026-03-01 │ +11 │ 1-30 +│ +€120\.00 │/m);
    expect(r.stdout).toMatch(/^│ martin +│ BETA +│ F-BETA-1 +│ 2026-03-01 │ +11 │ 1-30 +│ +€300\.00 │/m);
    // the totals: each ledger, then every ledger together
    expect(r.stdout).toMatch(/^│ dupont +│ EUR +│.*│ +€120\.00 │/m);
    expect(r.stdout).toMatch(/^│ \(all\) +│ EUR +│ +€0\.00 │ +€420\.00 │.*│ +€420\.00 │/m);
    expect(r.stderr.trimEnd().split('\n')).toEqual([`relance: ledger zinc (${junk}): ${junk} is not a relance ledger (file is not a database); check the path`]);
    const j = sb.run(['overdue', '--all', '--as-of', AS_OF, '--json']);
    expect(j.code).toBe(1);
    const data = JSON.parse(j.stdout) as { ledger: string; asOf?: string; items?: { invoice: string; balance: string; daysLate: number }[]; error?: string; exit?: number }[];
    expect(data.map((d) => d.ledger)).toEqual(['dupont', 'martin', 'zinc']);
    expect(data[0]!.items!.map((i) => [i.invoice, i.balance, i.daysLate])).toEqual([['F-ACME-1', '120.00', 11]]);
    expect(data[1]!.items!.map((i) => [i.invoice, i.balance, i.daysLate])).toEqual([['F-BETA-1', '300.00', 11]]);
    expect(data[1]!.asOf).toBe(AS_OF);
    expect(data[2]).toMatchObject({ ledger: 'zinc', exit: 4 });
  });

  it('exits 0 when every ledger is fine; refuses --client, --by client and -f with --all (exit 2, one line)', () => {
    sb = sandbox('relance-all-overdue-');
    const a = ledger('dupont');
    seedLedger(a, 'ACME', 12_000);
    ledger('martin');
    const ok = sb.run(['overdue', '--all', '--as-of', AS_OF]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^│ dupont +│ ACME +│ F-ACME-1/m);
    expect(ok.stdout).not.toMatch(/^│ \(all\) /m); // one ledger owed something: no grand total to add
    for (const args of [
      ['overdue', '--all', '--client', 'ACME'],
      ['overdue', '--all', '--by', 'client'],
      ['overdue', '--all', '--by', 'ledger'],
      ['overdue', '--all', '-f', a],
      ['overdue', '--all', '--as-of', '2026-13-01'],
    ]) {
      const r = sb.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('remind --due --all', () => {
  /** Hold the run lock of a ledger from a live process, as a run in progress would. */
  function lockLedger(file: string): void {
    holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    seed(file, (s) => {
      s.db.prepare('INSERT INTO locks (name, owner, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?)').run('remind', 'other-run', holder!.pid, os.hostname(), '2026-03-12T02:30:00+01:00');
    });
  }

  it('sends for the healthy ledger, reports the locked one and the one whose SMTP is down by name, exits 1; a second run that day sends nothing', async () => {
    sb = sandbox('relance-all-remind-');
    smtp = await startSmtp();
    const healthy = ledger('alpha');
    const locked = ledger('bravo');
    const down = ledger('charlie');
    for (const [file, code, port] of [
      [healthy, 'ACME', smtp.port],
      [locked, 'BETA', smtp.port],
      [down, 'GAMMA', await freePort()],
    ] as const) {
      seedLedger(file, code, 24_000);
      expect(sb.run(['-f', file, 'ledger', 'set', 'smtp.host', '127.0.0.1'], { noLedger: true }).code).toBe(0);
      expect(sb.run(['-f', file, 'ledger', 'set', 'smtp.port', String(port)], { noLedger: true }).code).toBe(0);
    }
    lockLedger(locked);
    const log = path.join(sb.dir, 'remind.log');
    const env = { RELANCE_LOCK_WAIT_MS: '300' };

    const r1 = await sb.runAsync(['remind', '--due', '--all', '--as-of', AS_OF, '--log', log], { env });
    expect(r1.code).toBe(1);
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['compta@acme.example']);
    expect(r1.stderr).toMatch(/ledger bravo\b.*another "relance remind" run holds this ledger/);
    expect(r1.stderr).toMatch(/ledger charlie\b/);
    expect(r1.stderr).not.toMatch(/ledger alpha\b/);
    expect(r1.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(r1.stdout).toMatch(/^│ alpha +│ SMTP 127\.0\.0\.1:\d+ +│ +1 │ .*│ ok +│$/m);
    expect(r1.stdout).toMatch(/^│ bravo +│.*│ locked │$/m);
    expect(r1.stdout).toMatch(/^│ charlie +│ SMTP .*│ +1 │ failed │$/m);
    expect(query(locked, 'SELECT id FROM messages')).toEqual([]);
    expect(query<{ status: string }>(down, "SELECT status FROM messages WHERE channel = 'email'").map((m) => m.status)).toEqual(['failed']);
    const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.ledger).sort()).toEqual(['alpha', 'bravo', 'charlie']);
    const alpha = lines.find((l) => l.ledger === 'alpha')!;
    expect(alpha).toMatchObject({ asOf: AS_OF, sent: 1, written: 0, letters: 0, calls: 0, skipped: 0, failed: 0, exit: 0 });
    for (const k of ['time', 'ledger', 'sent', 'written', 'letters', 'calls', 'skipped', 'failed', 'exit']) expect(alpha).toHaveProperty(k);
    expect(alpha.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(lines.find((l) => l.ledger === 'bravo')).toMatchObject({ sent: 0, failed: 0, exit: 3, error: expect.stringContaining('another "relance remind" run holds this ledger') });
    expect(lines.find((l) => l.ledger === 'charlie')).toMatchObject({ sent: 0, failed: 1, exit: 1 });

    // The same day again, everything up: the healthy ledger has nothing left to send.
    holder?.kill('SIGKILL');
    holder = null;
    const sentBefore = smtp.messages.length;
    const r2 = await sb.runAsync(['remind', '--due', '--all', '--as-of', AS_OF], { env });
    const r3 = await sb.runAsync(['remind', '--due', '--all', '--as-of', AS_OF], { env });
    const againForAlpha = smtp.messages.slice(sentBefore).filter((m) => m.to[0] === 'compta@acme.example');
    expect(againForAlpha).toEqual([]);
    expect([r2.code, r3.code]).toEqual([1, 1]); // charlie's server is still down
    // r2 sent bravo's (its lock was released); r3 sent nothing anywhere
    expect(smtp.messages.filter((m) => m.to[0] === 'compta@beta.example')).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
  });

  it('--quiet prints nothing when nothing happened (the cron recipe)', () => {
    sb = sandbox('relance-all-remind-');
    ledger('alpha');
    ledger('bravo');
    const r = sb.run(['remind', '--due', '--all', '--quiet', '--as-of', AS_OF]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--quiet still prints what was done; run again the same day, nothing; --log without --all logs the chosen ledger', () => {
    sb = sandbox('relance-all-remind-');
    const a = ledger('alpha'); // no SMTP server set: the reminder is written to the outbox
    seedLedger(a, 'ACME', 24_000);
    ledger('bravo');
    const log = path.join(sb.dir, 'remind.log');
    const first = sb.run(['remind', '--due', '--all', '--quiet', '--as-of', AS_OF, '--log', log]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^│ alpha +│ outbox .*│ ok +│$/m);
    expect(first.stdout).not.toMatch(/^│ bravo/m); // nothing happened there
    expect(first.stdout).toMatch(/^│ alpha +│ ACME +│ 1 +│ email +│ written/m);
    expect(fs.readdirSync(path.join(sb.dir, 'alpha-outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const again = sb.run(['remind', '--due', '--all', '--quiet', '--as-of', AS_OF, '--log', log]);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(path.join(sb.dir, 'alpha-outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const one = sb.run(['--ledger', 'alpha', 'remind', '--due', '--quiet', '--as-of', AS_OF, '--log', log]);
    expect(one).toEqual({ code: 0, stdout: '', stderr: '' });
    const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.ledger, l.written, l.exit])).toEqual([
      ['alpha', 1, 0],
      ['bravo', 0, 0],
      ['alpha', 0, 0],
      ['bravo', 0, 0],
      ['alpha', 0, 0],
    ]);
  });

  it('--json gives one entry per ledger with its name; --dry-run lists the plan with a ledger column and sends nothing', () => {
    sb = sandbox('relance-all-remind-');
    seedLedger(ledger('alpha'), 'ACME', 24_000);
    seedLedger(ledger('bravo'), 'BETA', 30_000);
    const dry = sb.run(['remind', '--due', '--all', '--dry-run', '--as-of', AS_OF]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^│ alpha +│ ACME +│ 1 +│ email +│ planned/m);
    expect(dry.stdout).toMatch(/^│ bravo +│ BETA +│ 1 +│ email +│ planned/m);
    const j = sb.run(['remind', '--due', '--all', '--dry-run', '--as-of', AS_OF, '--json']);
    const data = JSON.parse(j.stdout) as { ledger: string; dryRun: boolean; messages: { client: string; status: string }[]; exit: number }[];
    expect(data.map((d) => [d.ledger, d.dryRun, d.messages.map((m) => `${m.client} ${m.status}`), d.exit])).toEqual([
      ['alpha', true, ['ACME planned'], 0],
      ['bravo', true, ['BETA planned'], 0],
    ]);
    expect(fs.existsSync(path.join(sb.dir, 'alpha-outbox'))).toBe(false);
    expect(query(path.join(sb.dir, 'alpha.db'), 'SELECT id FROM messages')).toEqual([]);
  });

  it('refuses bad input before any ledger runs: exit 2, one line, nothing sent', () => {
    sb = sandbox('relance-all-remind-');
    const a = ledger('alpha');
    seedLedger(a, 'ACME', 24_000);
    const before = sb.snapshot(a);
    for (const args of [
      ['remind', '--due', '--all', '--as-of', '2026-02-30'],
      ['remind', '--due', '--all', '--client', 'ACME', '--as-of', AS_OF],
      ['remind', '--due', '--all', '--wait', 'soon', '--as-of', AS_OF],
      ['remind', '--due', '--all', '--dry-run', '--log', path.join(sb.dir, 'x.log'), '--as-of', AS_OF],
      ['remind', '--due', '--all', '--log', path.join(sb.dir, 'no', 'such', 'dir', 'x.log'), '--as-of', AS_OF],
      ['remind', '--all', '--as-of', AS_OF],
      ['remind', '--due', '--all', '-f', a, '--as-of', AS_OF],
    ]) {
      const r = sb.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(sb.snapshot(a)).toBe(before);
    expect(fs.existsSync(path.join(sb.dir, 'alpha-outbox'))).toBe(false);
  });
});
