/**
 * call-log add / list / show / edit end to end: times stored with their UTC offset, invoices
 * linked, disputes marked in the same write, edits that keep the original, CSV that a spreadsheet
 * opens safely, and bad input refused with exit 2 and the ledger unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './call-log-seed.js';

let sb: Sandbox;
let inv1: number;
let inv2: number;

beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']).code).toBe(0);
  expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex', '--email', 'ap@globex.example']).code).toBe(0);
  const s = seed(sb.ledger);
  inv1 = s.invoice({ client: 'ACME', number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 120000 });
  inv2 = s.invoice({ client: 'ACME', number: 'F-2026-0002', issue: '2026-01-20', due: '2026-02-19', amount: 60000 });
  s.invoice({ client: 'GLOBEX', number: 'F-2026-0003', issue: '2026-01-25', due: '2026-02-24', amount: 30000 });
  s.close();
});
afterAll(() => sb.cleanup());

function json(args: string[]) {
  const r = sb.run([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('call-log add', () => {
  it('stores the local time with its UTC offset (winter and summer time in Europe/Paris)', () => {
    const winter = json(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--with', 'accounts payable desk', '--outcome', 'invoice approved, paid next run', '--promise', '2026-03-10', '--promise-amount', '1 200,00']);
    expect(winter.at).toBe('2026-03-02T14:30:00+01:00');
    expect(winter.invoices).toEqual(['F-2026-0001']);
    expect(winter.with).toBe('accounts payable desk');
    expect(winter.promiseDate).toBe('2026-03-10');
    expect(winter.promiseAmount).toBe('1200.00');
    expect(winter.channel).toBe('call');
    const summer = json(['call-log', 'add', 'ACME', '--at', '2026-07-02 09:05', '--channel', 'visit', '--outcome', 'met the CFO']);
    expect(summer.at).toBe('2026-07-02T09:05:00+02:00');
    expect(summer.channel).toBe('visit');
  });

  it('defaults --at to now, with the offset of the local time zone', () => {
    // The clock read between these two instants (to the second it is printed in), however slow the run.
    const before = Math.floor(Date.now() / 1000) * 1000;
    const c = json(['call-log', 'add', 'GLOBEX', '--outcome', 'no answer, voicemail left']);
    const after = Date.now();
    expect(c.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    expect(Date.parse(c.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(c.at)).toBeLessThanOrEqual(after);
  });

  it('prints what the contact does to dunning', () => {
    const r = sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0002', '--at', '2026-03-03 10:00', '--outcome', 'will pay', '--promise', '2026-03-20', '--next', '2026-03-21']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reminders of F-2026-0002 wait until 2026-03-23');
    expect(r.stdout).toContain('next action on 2026-03-21');
  });

  it('--dispute marks the invoices disputed in the same write', () => {
    const c = json(['call-log', 'add', 'GLOBEX', '--invoice', 'F-2026-0003', '--at', '2026-03-04 16:00', '--outcome', 'says the delivery was incomplete', '--dispute', 'delivery incomplete']);
    expect(c.dispute).toBe('delivery incomplete');
    const db = new Database(sb.ledger, { readonly: true });
    const d = db.prepare("SELECT disputed_on, disputed_reason FROM documents WHERE number = 'F-2026-0003'").get();
    db.close();
    expect(d).toEqual({ disputed_on: '2026-03-04', disputed_reason: 'delivery incomplete' });
  });

  it('--dispute opens a new dispute when an earlier one has ended, and keeps the start of one still running', () => {
    const db = new Database(sb.ledger);
    db.prepare("UPDATE documents SET disputed_on = '2026-01-05', disputed_reason = 'old', disputed_until = '2026-01-31' WHERE number = 'F-2026-0002'").run();
    db.close();
    expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0002', '--at', '2026-03-04 16:00', '--outcome', 'price disagreement', '--dispute', 'price']).code).toBe(0);
    expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0002', '--at', '2026-03-06 16:00', '--outcome', 'still disagree', '--dispute', 'price and delay']).code).toBe(0);
    const ro = new Database(sb.ledger, { readonly: true });
    const d = ro.prepare("SELECT disputed_on, disputed_reason, disputed_until FROM documents WHERE number = 'F-2026-0002'").get();
    ro.close();
    expect(d).toEqual({ disputed_on: '2026-03-04', disputed_reason: 'price and delay', disputed_until: null });
  });
});

describe('call-log list, show and edit', () => {
  it('lists by client, by invoice and since a date', () => {
    const all = json(['call-log', 'list']);
    expect(all.length).toBeGreaterThanOrEqual(5);
    // time order
    const times = all.map((c: { at: string }) => Date.parse(c.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const globex = json(['call-log', 'list', '--client', 'GLOBEX']);
    expect(globex.every((c: { client: string }) => c.client === 'GLOBEX')).toBe(true);
    const byInvoice = json(['call-log', 'list', '--invoice', 'F-2026-0001']);
    expect(byInvoice.map((c: { outcome: string }) => c.outcome)).toEqual(['invoice approved, paid next run']);
    const since = json(['call-log', 'list', '--client', 'ACME', '--since', '2026-03-03']);
    expect(since.map((c: { at: string }) => c.at.slice(0, 10))).toEqual(['2026-03-03', '2026-03-04', '2026-03-06', '2026-07-02']);
  });

  it('edit writes a new version; the original stays, list shows the current one', () => {
    const [first] = json(['call-log', 'list', '--invoice', 'F-2026-0001']);
    const edited = json(['call-log', 'edit', String(first.id), '--promise', '2026-03-13', '--outcome', 'will pay on the 13th']);
    expect(edited.id).not.toBe(first.id);
    expect(edited.supersedes).toBe(first.id);
    expect(edited.promiseDate).toBe('2026-03-13');
    // unchanged fields are carried over
    expect(edited.at).toBe(first.at);
    expect(edited.with).toBe('accounts payable desk');
    expect(edited.invoices).toEqual(['F-2026-0001']);
    expect(edited.promiseAmount).toBe('1200.00');
    const current = json(['call-log', 'list', '--invoice', 'F-2026-0001']);
    expect(current.map((c: { id: number }) => c.id)).toEqual([edited.id]);
    const versions = json(['call-log', 'list', '--invoice', 'F-2026-0001', '--all-versions']);
    expect(versions.map((c: { outcome: string }) => c.outcome)).toEqual(['invoice approved, paid next run', 'will pay on the 13th']);
    const shown = json(['call-log', 'show', String(first.id)]);
    expect(shown.supersededBy).toBe(edited.id);
    expect(shown.versions.map((v: { id: number }) => v.id)).toEqual([first.id, edited.id]);
    // the old version cannot be edited again: that would fork the history
    const before = sb.snapshot();
    const again = sb.run(['call-log', 'edit', String(first.id), '--outcome', 'x']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`edit that one ("relance call-log edit ${edited.id}`);
    expect(sb.snapshot()).toBe(before);
    // "" removes an optional field
    const cleared = json(['call-log', 'edit', String(edited.id), '--promise', '']);
    expect(cleared.promiseDate).toBeNull();
    expect(cleared.promiseAmount).toBeNull();
  });

  it('show prints the fields for people', () => {
    const [c] = json(['call-log', 'list', '--client', 'GLOBEX', '--since', '2026-03-04']);
    const r = sb.run(['call-log', 'show', String(c.id)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dispute:\s+delivery incomplete/);
    expect(r.stdout).toMatch(/invoices:\s+F-2026-0003/);
  });
});

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas and quotes the rest properly', () => {
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--at', '2026-03-05 09:00', '--outcome', '=HYPERLINK("http://evil.example","click")', '--with', '@finance, "AP"']).code).toBe(0);
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--at', '2026-03-05 09:10', '--outcome', '+33 1 23 45 67 89 then -sum\nsecond line']).code).toBe(0);
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--at', '2026-03-05 09:20', '--outcome', '-2+3 owed']).code).toBe(0);
    const r = sb.run(['call-log', 'list', '--client', 'GLOBEX', '--csv', '--since', '2026-03-05']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFFid,client,at,channel,with,invoices,outcome,promise_date,promise_amount,next_action,dispute,supersedes\r\n')).toBe(true);
    const lines = r.stdout.slice(1).split('\r\n');
    expect(lines[1]).toContain(`,"'@finance, ""AP""",`);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(r.stdout).toContain(`"'+33 1 23 45 67 89 then -sum\nsecond line"`);
    expect(r.stdout).toContain(`,'-2+3 owed,`);
    // (a leading tab or CR cannot come from the command line, which trims fields; core/csv.test.ts covers them)
    expect(r.stdout).not.toMatch(/(^|,)"?[=+@-]/m);
  });

  it('refuses --csv together with --json', () => {
    const r = sb.run(['call-log', 'list', '--csv', '--json']);
    expect(r.code).toBe(2);
  });
});

describe('bad input exits 2 with the ledger unchanged', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown client', ['call-log', 'add', 'NOPE', '--outcome', 'x'], /unknown client "NOPE"/],
    ['unknown invoice', ['call-log', 'add', 'ACME', '--invoice', 'F-2099-9999', '--outcome', 'x'], /no issued invoice numbered "F-2099-9999"/],
    ['invoice of another client', ['call-log', 'add', 'ACME', '--invoice', 'F-2026-0003', '--outcome', 'x'], /belongs to client GLOBEX/],
    ['malformed time', ['call-log', 'add', 'ACME', '--at', '2026-03-02 25:00', '--outcome', 'x'], /--at: "2026-03-02 25:00" has no hour 25/],
    ['time that is not a time', ['call-log', 'add', 'ACME', '--at', 'yesterday', '--outcome', 'x'], /--at: "yesterday" is not a date and time/],
    ['impossible date', ['call-log', 'add', 'ACME', '--at', '2026-02-30 10:00', '--outcome', 'x'], /is not a calendar date/],
    ['promise before the call', ['call-log', 'add', 'ACME', '--at', '2026-03-02 14:30', '--promise', '2026-03-01', '--outcome', 'x'], /--promise 2026-03-01 is before the contact \(2026-03-02\)/],
    ['next action before the call', ['call-log', 'add', 'ACME', '--at', '2026-03-02 14:30', '--next', '2026-02-01', '--outcome', 'x'], /--next 2026-02-01 is before the contact/],
    ['malformed promise date', ['call-log', 'add', 'ACME', '--promise', '10/03/2026', '--outcome', 'x'], /--promise: "10\/03\/2026"/],
    ['amount without a promise', ['call-log', 'add', 'ACME', '--promise-amount', '100', '--outcome', 'x'], /--promise-amount needs --promise/],
    ['malformed amount', ['call-log', 'add', 'ACME', '--promise', '2099-01-01', '--promise-amount', '1,234', '--outcome', 'x'], /--promise-amount: cannot read "1,234"/],
    ['dispute without invoices', ['call-log', 'add', 'ACME', '--dispute', 'wrong price', '--outcome', 'x'], /--dispute needs the invoices/],
    ['unknown channel', ['call-log', 'add', 'ACME', '--channel', 'fax', '--outcome', 'x'], /--channel: "fax" is not one of call, email, letter, visit, meeting/],
    ['missing outcome in a script', ['call-log', 'add', 'ACME'], /missing --outcome/],
    ['empty outcome', ['call-log', 'add', 'ACME', '--outcome', '  '], /--outcome/],
    ['unknown contact to edit', ['call-log', 'edit', '999', '--outcome', 'x'], /no contact #999/],
    ['edit with nothing to change', ['call-log', 'edit', '1'], /nothing to change/],
    ['edit with a promise before the call', ['call-log', 'edit', '2', '--promise', '2000-01-01'], /is before the contact/],
    ['list of an unknown invoice', ['call-log', 'list', '--invoice', 'F-0'], /no issued invoice/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const before = sb.snapshot();
      const r = sb.run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(sb.snapshot()).toBe(before);
    });
  }
});
