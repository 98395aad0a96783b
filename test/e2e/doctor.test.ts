/**
 * relance doctor: every registered ledger, or the chosen one; integrity, schema, rates for the day,
 * templates, stuck reminders, SMTP. Exit 1 and a fix when anything is wrong.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
});
afterEach(() => sb.cleanup());

interface Report {
  ok: boolean;
  ledgers: { ledger: string | null; file: string; ok: boolean; checks: { check: string; status: string; detail: string; fix?: string }[] }[];
}

function doctor(args: string[], opts: { noLedger?: boolean; env?: NodeJS.ProcessEnv } = {}): { code: number; report: Report; stderr: string } {
  const r = sb.run(['doctor', '--json', ...args], opts);
  return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
}

const status = (l: Report['ledgers'][number], check: string) => l.checks.filter((c) => c.check === check).map((c) => c.status);

describe('doctor on one ledger', () => {
  it('passes a fresh ledger when the rate tables cover the day', () => {
    const { code, report } = doctor(['--as-of', '2026-03-15']);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    const [l] = report.ledgers;
    expect(l!.file).toBe(sb.ledger);
    for (const c of ['open', 'integrity', 'schema', 'rates', 'templates', 'reminders']) expect(status(l!, c)).toEqual(['ok']);
    expect(l!.checks.find((c) => c.check === 'templates')!.detail).toMatch(/^\d+ templates render/);
    const human = sb.run(['doctor', '--as-of', '2026-03-15']);
    expect(human.stdout).toContain('1 ledger(s) healthy');
  });

  it('fails when the rate table does not reach the day, says how to fix it, and passes once it does', () => {
    const { code, report } = doctor(['--as-of', '2026-09-15']);
    expect(code).toBe(1);
    const rates = report.ledgers[0]!.checks.find((c) => c.check === 'rates')!;
    expect(rates.status).toBe('error');
    expect(rates.detail).toContain('known up to 2026-04-01, not 2026-09-15');
    expect(rates.fix).toContain('relance rates add DATE RATE');
    expect(rates.fix).not.toContain('rates confirm');
    const db = new Database(sb.ledger);
    db.prepare("INSERT INTO ecb_rates (date, rate_bp, note, added_at) VALUES ('2026-09-15', 215, 'confirmed', '2026-09-15T09:00:00+02:00')").run();
    db.close();
    // The ECB rate is known now; the legal rate of 2026-H2 is not: a warning without consumer clients, an error with one.
    const again = doctor(['--as-of', '2026-09-15']);
    expect(again.code).toBe(0);
    expect(status(again.report.ledgers[0]!, 'rates')).toEqual(['warning']);
    expect(sb.run(['client', 'add', 'JEAN', '--name', 'Jean Martin', '--b2c']).code).toBe(0);
    const b2c = doctor(['--as-of', '2026-09-15']);
    expect(b2c.code).toBe(1);
    expect(b2c.report.ledgers[0]!.checks.find((c) => c.check === 'rates')!.fix).toContain('relance rates legal 2026-H2');
  });

  it('names a template that does not render, with the variable', () => {
    const dir = path.join(sb.dir, 'ledger-templates', 'fr', 'email');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'first.hbs'), '---\nsubject: Relance {{business.name}}\n---\nBonjour {{client.nom}},\n');
    const { code, report } = doctor(['--as-of', '2026-03-15']);
    expect(code).toBe(1);
    const t = report.ledgers[0]!.checks.find((c) => c.check === 'templates')!;
    expect(t.status).toBe('error');
    expect(t.detail).toContain(path.join(dir, 'first.hbs'));
    expect(t.detail).toContain('unknown variable "nom"');
  });

  it('reports reminders left "sending" by an interrupted run', () => {
    sb.run(['client', 'add', 'ACME', '--name', 'ACME']);
    const db = new Database(sb.ledger);
    db.prepare("INSERT INTO messages (client_id, level, channel, status, as_of, created_at) VALUES (1, 1, 'email', 'sending', '2026-03-10', '2026-03-10T02:00:00+01:00')").run();
    db.close();
    const { code, report } = doctor(['--as-of', '2026-03-15']);
    expect(code).toBe(1);
    const r = report.ledgers[0]!.checks.find((c) => c.check === 'reminders')!;
    expect(r.detail).toContain("left 'sending' by an interrupted run");
    expect(r.fix).toContain('relance remind --resolve');
  });

  it('finds a damaged file', () => {
    // Fill the client table with enough rows to span pages, then overwrite one page in the middle.
    const db = new Database(sb.ledger);
    const ins = db.prepare("INSERT INTO clients (code, name, created_at) VALUES (?, ?, '2026-01-01T00:00:00+01:00')");
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(`C${i}`, `Client number ${i} with a long enough name to fill pages`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const size = fs.statSync(sb.ledger).size;
    const fd = fs.openSync(sb.ledger, 'r+');
    const page = 4096;
    const target = Math.floor(size / page / 2) * page;
    fs.writeSync(fd, Buffer.alloc(page, 0x5a), 0, page, target);
    fs.closeSync(fd);
    const { code, report } = doctor(['--as-of', '2026-03-15']);
    expect(code).toBe(1);
    const l = report.ledgers[0]!;
    expect(l.ok).toBe(false);
    const bad = l.checks.filter((c) => c.status === 'error');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.some((c) => (c.fix ?? '').includes('relance restore'))).toBe(true);
  });
});

describe('doctor over the registry', () => {
  it('checks every registered ledger, reports each by name, and exits 1 when one is wrong', () => {
    const other = path.join(sb.dir, 'other.db');
    expect(sb.run(['init', other, '--name', 'Other', '--email', 'o@example.fr'], { noLedger: true }).code).toBe(0);
    expect(sb.run(['ledger', 'add', 'main', sb.ledger], { noLedger: true }).code).toBe(0);
    expect(sb.run(['ledger', 'add', 'other', other], { noLedger: true }).code).toBe(0);
    const healthy = doctor(['--as-of', '2026-03-15'], { noLedger: true });
    expect(healthy.code).toBe(0);
    expect(healthy.report.ledgers.map((l) => [l.ledger, l.ok])).toEqual([
      ['main', true],
      ['other', true],
    ]);
    // one ledger goes missing, another file is not a ledger
    const gone = path.join(sb.dir, 'gone.db');
    expect(sb.run(['init', gone, '--name', 'Gone', '--email', 'g@example.fr'], { noLedger: true }).code).toBe(0);
    expect(sb.run(['ledger', 'add', 'gone', gone], { noLedger: true }).code).toBe(0);
    fs.rmSync(gone);
    const junk = path.join(sb.dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all, just text'.repeat(200));
    const reg = JSON.parse(fs.readFileSync(path.join(sb.dir, 'config', 'relance', 'ledgers.json'), 'utf8'));
    reg.ledgers.junk = junk;
    fs.writeFileSync(path.join(sb.dir, 'config', 'relance', 'ledgers.json'), JSON.stringify(reg));
    const r = doctor(['--as-of', '2026-03-15'], { noLedger: true });
    expect(r.code).toBe(1);
    expect(r.report.ledgers.map((l) => [l.ledger, l.ok])).toEqual([
      ['gone', false],
      ['junk', false],
      ['main', true],
      ['other', true],
    ]);
    expect(r.report.ledgers[0]!.checks[0]!.detail).toContain(`no ledger at ${gone}`);
    const human = sb.run(['doctor', '--as-of', '2026-03-15'], { noLedger: true });
    expect(human.stdout).toContain('2 of 4 ledger(s) need attention');
    expect(human.stdout).toMatch(/^gone \(/m);
    // -f checks only the chosen ledger
    const one = doctor(['--as-of', '2026-03-15', '-f', other], { noLedger: true });
    expect(one.report.ledgers.map((l) => l.file)).toEqual([other]);
    const named = doctor(['--as-of', '2026-03-15', '--ledger', 'main'], { noLedger: true });
    expect(named.report.ledgers.map((l) => l.ledger)).toEqual(['main']);
  });
});

describe('doctor --smtp', () => {
  it('fails when the SMTP server does not answer', async () => {
    // a port nobody listens on
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']);
    sb.run(['ledger', 'set', 'smtp.port', String(port)]);
    const { code, report } = doctor(['--as-of', '2026-03-15', '--smtp']);
    expect(code).toBe(1);
    const s = report.ledgers[0]!.checks.find((c) => c.check === 'smtp')!;
    expect(s.status).toBe('error');
    expect(s.detail).toContain(`SMTP server 127.0.0.1:${port} does not answer`);
    // without --smtp the server is not contacted
    expect(doctor(['--as-of', '2026-03-15']).code).toBe(0);
  });

  it('passes when the SMTP server answers and accepts the login', async () => {
    const { SMTPServer } = await import('smtp-server');
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, cb) {
        if (auth.username === 'compta' && auth.password === 's3cret') cb(null, { user: 'compta' });
        else cb(new Error('Invalid username or password'));
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as net.AddressInfo).port;
    try {
      sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']);
      sb.run(['ledger', 'set', 'smtp.port', String(port)]);
      sb.run(['ledger', 'set', 'smtp.user', 'compta']);
      const noPassword = await sb.runAsync(['doctor', '--json', '--as-of', '2026-03-15', '--smtp']);
      expect(noPassword.code).toBe(1);
      expect(noPassword.stdout).toContain('RELANCE_SMTP_PASSWORD is not set');
      const wrong = await sb.runAsync(['doctor', '--json', '--as-of', '2026-03-15', '--smtp'], { env: { RELANCE_SMTP_PASSWORD: 'nope' } });
      expect(wrong.code).toBe(1);
      const good = await sb.runAsync(['doctor', '--json', '--as-of', '2026-03-15', '--smtp'], { env: { RELANCE_SMTP_PASSWORD: 's3cret' } });
      expect(good.code).toBe(0);
      const rep = JSON.parse(good.stdout) as Report;
      expect(rep.ledgers[0]!.checks.find((c) => c.check === 'smtp')!.detail).toBe(`SMTP server 127.0.0.1:${port} answers and accepts compta`);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
