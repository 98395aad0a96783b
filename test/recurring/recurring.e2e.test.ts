/**
 * Recurring invoices end to end (issue 20 §3), with the real bin/relance on temporary ledgers and a
 * real SMTP server on 127.0.0.1:
 *   - the Done-when: a monthly schedule with --send, run daily (--as-of) for 90 simulated days, one run
 *     killed with SIGKILL right after it issued a period (RELANCE_TEST_CRASH_AT, system/crash.ts) and
 *     two runs at once on another day, issues exactly 3 invoices with the periods' dates and sends
 *     each exactly once;
 *   - missed periods are caught up one by one with their own dates, a kill between two of them loses
 *     nothing and repeats nothing;
 *   - a client on stop work gets none and `todo` says so; lifted, the held period is issued;
 *   - pause / resume (the pause's periods are skipped) / stop / edit (from the next period); bad input is exit 2, one line, nothing written;
 *   - remind --due issues them first (the nightly habit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { query } from '../e2e/remind-fixtures.js';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const SLOW = 600_000;
const LINE = 'Maintenance mensuelle | 1 | 300 | 20';

let smtp: TestSmtp;
const boxes: Sandbox[] = [];

async function fresh(name: string, smtpOn: boolean): Promise<Sandbox> {
  const sb = sandbox(`relance-recurring-${name}-`);
  boxes.push(sb);
  expect(sb.init().code).toBe(0);
  for (const args of [
    ...(smtpOn ? [['ledger', 'set', 'smtp.host', '127.0.0.1'], ['ledger', 'set', 'smtp.port', String(smtp.port)]] : []),
    ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example'],
  ]) {
    const r = sb.run(args);
    expect(r.code, r.stderr).toBe(0);
  }
  return sb;
}

async function ok(sb: Sandbox, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const r = await sb.runAsync(args, { env });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** Rows of the sandbox's ledger, read-only (the shared query() of the reminder fixtures). */
const rows = <T>(sb: Sandbox, sql: string): T[] => query<T>(sb.ledger, sql);
const invoices = (sb: Sandbox) => rows<{ number: string; issue_date: string; service_date: string | null; total_gross: number }>(sb, "SELECT number, issue_date, service_date, total_gross FROM documents WHERE kind = 'invoice' ORDER BY id");
const periods = (sb: Sandbox) => rows<{ period: string; number: string; to_send: number }>(sb, 'SELECT p.period, d.number, p.to_send FROM recurring_periods p JOIN documents d ON d.id = p.document_id ORDER BY p.period');

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  for (const b of boxes) b.cleanup();
  await smtp?.close();
});

describe('recurring invoices', { timeout: SLOW }, () => {
  it('Done-when: monthly, run daily for 90 days with a kill -9 and two runs at once: exactly 3 invoices, each sent once', async () => {
    const sb = await fresh('daily', true);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '15', '--line', LINE, '--operation', 'services', '--send', '--as-of', '2026-01-01']);
    const mails = smtp.messages.length;
    let killed = 0;
    for (let i = 0; i < 90; i++) {
      const day = addDays('2026-01-01', i);
      if (day === '2026-01-15') {
        // Killed right after the period's transaction committed: issued, not sent yet.
        const r = await sb.runAsync(['recurring', 'run', '--due', '--as-of', day], { env: { RELANCE_TEST_CRASH_AT: 'recurring-after-issue' } });
        expect(r.code).toBe(-1); // no exit status: the process was killed (SIGKILL)
        killed++;
        expect(invoices(sb).map((x) => x.number)).toEqual(['F-2026-0001']);
        expect(smtp.messages.length - mails).toBe(0);
        continue;
      }
      if (day === '2026-02-15') {
        const [a, b] = await Promise.all([sb.runAsync(['recurring', 'run', '--due', '--as-of', day]), sb.runAsync(['recurring', 'run', '--due', '--as-of', day])]);
        expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
        expect((a.stdout + b.stdout).match(/Issued F-2026-0002/g)).toHaveLength(1);
        continue;
      }
      const r = await ok(sb, ['recurring', 'run', '--due', '--as-of', day]);
      if (day === '2026-01-16') {
        // The killed run's lock is stale (its process is gone): taken over; its invoice is sent, not issued again.
        expect(r.stderr).toMatch(/took over a stale lock left by process \d+/);
        expect(r.stdout).toMatch(/^Sent F-2026-0001 to ap@acme\.example \(message #\d+\)\n$/);
      }
    }
    expect(killed).toBe(1);
    expect(invoices(sb).map((x) => [x.number, x.issue_date, x.service_date, x.total_gross])).toEqual([
      ['F-2026-0001', '2026-01-15', null, 360_00],
      ['F-2026-0002', '2026-02-15', null, 360_00],
      ['F-2026-0003', '2026-03-15', null, 360_00],
    ]);
    expect(periods(sb)).toEqual([
      { period: '2026-01-15', number: 'F-2026-0001', to_send: 0 },
      { period: '2026-02-15', number: 'F-2026-0002', to_send: 0 },
      { period: '2026-03-15', number: 'F-2026-0003', to_send: 0 },
    ]);
    // Sent exactly once each, over the real SMTP server: the one the killed run issued by the next day's run.
    const got = smtp.messages.slice(mails);
    expect(got.map((m) => /X-Relance-Document: (\S+)/.exec(m.raw)?.[1]).sort()).toEqual(['F-2026-0001', 'F-2026-0002', 'F-2026-0003']);
    expect(got.every((m) => m.to.includes('ap@acme.example'))).toBe(true);
    expect(rows<{ n: number }>(sb, "SELECT count(*) AS n FROM messages WHERE level = -1 AND status = 'sent'")[0]!.n).toBe(3);
    const show = JSON.parse((await ok(sb, ['--json', 'recurring', 'show', '1', '--as-of', '2026-03-31'])).stdout);
    expect(show).toMatchObject({ id: 1, client: 'ACME', every: 'month', on: 15, send: true, status: 'active', next: '2026-04-15', total: '360.00' });
    expect(show.issued.map((p: { period: string; invoice: string }) => [p.period, p.invoice])).toEqual([['2026-01-15', 'F-2026-0001'], ['2026-02-15', 'F-2026-0002'], ['2026-03-15', 'F-2026-0003']]);
    const inv = JSON.parse((await ok(sb, ['--json', 'invoice', 'show', 'F-2026-0001'])).stdout);
    expect(inv.sent).toHaveLength(1);
  });

  it('a run killed after recording the email, before it left: the send is uncertain, never resent, and the invoice not issued again', async () => {
    const sb = await fresh('uncertain', true);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '1', '--start', '2026-03-01', '--line', LINE, '--operation', 'services', '--send', '--as-of', '2026-03-01']);
    const mails = smtp.messages.length;
    const killed = await sb.runAsync(['recurring', 'run', '--due', '--as-of', '2026-03-01'], { env: { RELANCE_TEST_CRASH_AT: 'after-record' } });
    expect(killed.code).toBe(-1);
    const next = await sb.runAsync(['--json', 'recurring', 'run', '--due', '--as-of', '2026-03-02']);
    expect(next.code).toBe(1);
    expect(JSON.parse(next.stdout).sent).toMatchObject([{ number: 'F-2026-0001', status: 'uncertain' }]);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-03']);
    expect(smtp.messages.length).toBe(mails);
    expect(invoices(sb).map((x) => x.number)).toEqual(['F-2026-0001']);
    expect(periods(sb)).toEqual([{ period: '2026-03-01', number: 'F-2026-0001', to_send: 0 }]);
  });

  it('a transport that cannot open (smtp.user without its password): issued, the send failed (exit 1), and the next run sends it once', async () => {
    const sb = await fresh('nopassword', true);
    await ok(sb, ['ledger', 'set', 'smtp.user', 'bob']);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '1', '--start', '2026-03-01', '--line', LINE, '--operation', 'services', '--send', '--as-of', '2026-03-01']);
    const mails = smtp.messages.length;
    const r = await sb.runAsync(['recurring', 'run', '--due', '--as-of', '2026-03-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/F-2026-0001 was not sent: smtp\.user is set but RELANCE_SMTP_PASSWORD is not.*the next run sends it/);
    await ok(sb, ['ledger', 'set', 'smtp.user', '']);
    const again = await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-02']);
    expect(again.stdout).toMatch(/^Sent F-2026-0001 to ap@acme\.example/);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-03']);
    expect(smtp.messages.length - mails).toBe(1);
    expect(invoices(sb).map((x) => x.number)).toEqual(['F-2026-0001']);
  });

  it('catches up missed periods one by one with their own dates; a kill between two loses and repeats nothing', async () => {
    const sb = await fresh('catchup', false);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '31', '--start', '2026-01-01', '--line', LINE, '--operation', 'services', '--as-of', '2026-04-02']);
    const dry = JSON.parse((await ok(sb, ['--json', 'recurring', 'run', '--due', '--dry-run', '--as-of', '2026-04-02'])).stdout);
    expect(dry.issued.map((i: { period: string }) => i.period)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(invoices(sb)).toEqual([]);
    // Killed after the second period's commit.
    const killed = await sb.runAsync(['recurring', 'run', '--due', '--as-of', '2026-04-02'], { env: { RELANCE_TEST_CRASH_AT: 'recurring-after-issue:2' } });
    expect(killed.code).toBe(-1);
    expect(invoices(sb).map((x) => x.issue_date)).toEqual(['2026-01-31', '2026-02-28']);
    const r = await ok(sb, ['--json', 'recurring', 'run', '--due', '--as-of', '2026-04-02']);
    expect(JSON.parse(r.stdout).issued.map((i: { period: string; number: string }) => [i.period, i.number])).toEqual([['2026-03-31', 'F-2026-0003']]);
    expect(invoices(sb).map((x) => [x.number, x.issue_date])).toEqual([['F-2026-0001', '2026-01-31'], ['F-2026-0002', '2026-02-28'], ['F-2026-0003', '2026-03-31']]);
    // An invoice made by hand later than the next period: numbers follow the calendar, the period is its service date.
    await ok(sb, ['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20', '--operation', 'services', '--issue', '--date', '2026-05-05', '--as-of', '2026-05-05']);
    const late = await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-05-06']);
    expect(late.stdout).toMatch(/Issued F-2026-0005 for ACME \(#1\) dated 2026-05-05 \(period 2026-04-30/);
    expect(invoices(sb).at(-1)).toMatchObject({ number: 'F-2026-0005', issue_date: '2026-05-05', service_date: '2026-04-30' });
  });

  it('a client on stop work gets none and todo says so; lifted, the held period is issued', async () => {
    const sb = await fresh('stopwork', false);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'quarter', '--on', '1', '--start', '2026-01-01', '--line', LINE, '--operation', 'services', '--as-of', '2026-01-01']);
    await ok(sb, ['client', 'edit', 'ACME', '--stop-work']);
    const r = await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-01-02']);
    expect(r.stderr).toMatch(/ACME is on stop work: recurring invoice #1 holds 1 period \(2026-01-01\)/);
    expect(invoices(sb)).toEqual([]);
    const todo = await ok(sb, ['todo', '--as-of', '2026-01-02']);
    expect(todo.stdout).toMatch(/Recurring invoices held \(stop work\) \(1\)/);
    expect(todo.stdout).toMatch(/ACME .*#1 .*2026-01-01/);
    expect(JSON.parse((await ok(sb, ['--json', 'todo', '--as-of', '2026-01-02'])).stdout).recurringHeld).toEqual([{ recurring: 1, client: 'ACME', periods: ['2026-01-01'], why: 'stop work' }]);
    await ok(sb, ['client', 'edit', 'ACME', '--no-stop-work']);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-01-03']);
    expect(invoices(sb).map((x) => x.issue_date)).toEqual(['2026-01-01']);
    expect(JSON.parse((await ok(sb, ['--json', 'todo', '--as-of', '2026-01-03'])).stdout).recurringHeld).toEqual([]);
  });

  it('pause skips its periods, resume starts again (or --catch-up issues them), stop is for good; bad input is exit 2 with nothing written', async () => {
    const sb = await fresh('pause', false);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', '2weeks', '--on', 'mon', '--start', '2026-03-02', '--line', LINE, '--operation', 'services', '--as-of', '2026-03-01']);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-02']);
    await ok(sb, ['recurring', 'pause', '1', '--as-of', '2026-03-03']);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-20']); // 2026-03-16 falls in the pause
    expect(invoices(sb).map((x) => x.issue_date)).toEqual(['2026-03-02']);
    const resumed = await ok(sb, ['recurring', 'resume', '1', '--as-of', '2026-03-20']);
    expect(resumed.stdout).toMatch(/Resumed recurring invoice #1 \(ACME\); next invoice 2026-03-30/);
    expect(resumed.stderr).toMatch(/1 period before today \(2026-03-16\) will not be invoiced/);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-30']);
    expect(invoices(sb).map((x) => x.issue_date)).toEqual(['2026-03-02', '2026-03-30']);
    await ok(sb, ['recurring', 'stop', '1', '--as-of', '2026-04-01']);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-05-01']);
    expect(invoices(sb)).toHaveLength(2);
    const list = JSON.parse((await ok(sb, ['--json', 'recurring', 'list', '--as-of', '2026-05-01'])).stdout);
    expect(list).toMatchObject([{ id: 1, every: '2weeks', status: 'stopped', next: null }]);

    // A second schedule, paused then resumed with --catch-up: the pause's period is issued with its date.
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '10', '--start', '2026-05-01', '--line', LINE, '--operation', 'services', '--as-of', '2026-05-01']);
    await ok(sb, ['recurring', 'pause', '2', '--as-of', '2026-05-02']);
    await ok(sb, ['recurring', 'resume', '2', '--catch-up', '--as-of', '2026-05-20']);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-05-20']);
    expect(invoices(sb).map((x) => x.issue_date)).toEqual(['2026-03-02', '2026-03-30', '2026-05-10']);
    // edit: the new price from the next period; the issued invoices never change.
    const edited = await ok(sb, ['recurring', 'edit', '2', '--line', 'Maintenance mensuelle | 1 | 320 | 20', '--as-of', '2026-05-20']);
    expect(edited.stdout).toMatch(/Updated recurring invoice #2 \(ACME\): every month on day 10, €384\.00 incl\. VAT; from the next invoice \(2026-06-10\)/);
    await ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-06-10']);
    expect(invoices(sb).slice(-2).map((x) => [x.issue_date, x.total_gross])).toEqual([['2026-05-10', 360_00], ['2026-06-10', 384_00]]);

    const before = sb.snapshot();
    for (const [args, msg] of [
      [['recurring', 'add', 'ACME', '--every', 'daily', '--line', LINE], /--every: "daily" is not a period/],
      [['recurring', 'add', 'ACME', '--every', 'month', '--on', '32', '--line', LINE], /--on: "32" is not a day of the month/],
      [['recurring', 'add', 'ACME', '--every', 'month'], /--line/],
      [['recurring', 'add', 'NOBODY', '--every', 'month', '--line', LINE], /NOBODY/],
      [['recurring', 'add', 'ACME', '--every', 'month', '--start', '2026-05-01', '--end', '2026-04-01', '--line', LINE], /--end 2026-04-01 is before --start/],
      [['recurring', 'add', 'ACME', '--every', '2weeks', '--on', '15', '--line', LINE], /not a weekday/],
      [['recurring', 'resume', '1'], /stopped for good/],
      [['recurring', 'show', '9'], /no recurring invoice "9"/],
      [['recurring', 'run'], /needs --due/],
      [['recurring', 'edit', '2'], /nothing to change/],
      [['recurring', 'edit', '1', '--notes', 'x'], /stopped for good/],
      [['recurring', 'edit', '2', '--end', '2020-01-01'], /--end 2020-01-01 is before its start/],
    ] as [string[], RegExp][]) {
      const r = await sb.runAsync(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(sb.snapshot()).toBe(before);
  });

  it('remind --due issues the recurring invoices due first (the nightly habit), and a second night issues nothing', async () => {
    const sb = await fresh('remind', false);
    await ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '1', '--start', '2026-02-01', '--line', LINE, '--operation', 'services', '--as-of', '2026-01-20']);
    const r = await ok(sb, ['remind', '--due', '--as-of', '2026-02-01']);
    expect(r.stdout).toMatch(/Issued F-2026-0001 for ACME \(#1\) dated 2026-02-01/);
    await ok(sb, ['remind', '--due', '--as-of', '2026-02-02']);
    expect(invoices(sb).map((x) => x.number)).toEqual(['F-2026-0001']);
  });
});
