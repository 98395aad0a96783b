/**
 * Done when of issue 6: a logged promise makes `remind --due --dry-run` skip those invoices with
 * the reason, until its date (plus the policy's grace); a broken promise shows in `overdue` and `todo`.
 * And the calls that a real `remind --due` asks for appear in `todo` until a call is logged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './call-log-seed.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example', '--phone', '04 00 00 00 00']).code).toBe(0);
  expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex', '--email', 'ap@globex.example']).code).toBe(0);
  const s = seed(sb.ledger);
  s.invoice({ client: 'ACME', number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 120000 });
  s.invoice({ client: 'ACME', number: 'F-2026-0002', issue: '2026-01-12', due: '2026-02-11', amount: 30000 });
  s.invoice({ client: 'GLOBEX', number: 'F-2026-0003', issue: '2026-01-10', due: '2026-02-09', amount: 50000 });
  s.close();
});
afterEach(() => sb.cleanup());

interface Plan {
  messages: { client: string; invoices: string[]; status: string }[];
  skipped: { invoice: string; reason: string; detail: string }[];
}

function dryRun(asOf: string): Plan {
  const r = sb.run(['remind', '--due', '--dry-run', '--as-of', asOf, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const planned = (p: Plan) => p.messages.filter((m) => m.status === 'planned').flatMap((m) => m.invoices).sort();

describe('a promise to pay holds reminders', () => {
  it('skips the promised invoice with the reason until the promise date plus grace, then reminds it again', () => {
    // without a promise both ACME invoices are due at level 1 (due + 7 days)
    expect(planned(dryRun('2026-02-20'))).toEqual(['F-2026-0001', 'F-2026-0002', 'F-2026-0003']);
    expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-02-19 15:00', '--outcome', 'will pay by the 25th', '--promise', '2026-02-25']).code).toBe(0);
    const held = dryRun('2026-02-20');
    expect(planned(held)).toEqual(['F-2026-0002', 'F-2026-0003']);
    const skip = held.skipped.find((s) => s.invoice === 'F-2026-0001')!;
    expect(skip.reason).toBe('promise');
    expect(skip.detail).toContain('2026-02-25');
    const human = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-02-20']);
    expect(human.stdout).toMatch(/F-2026-0001.*promise to pay/);
    // the grace: 3 days by default, so still held on the 28th, reminded on 1 March
    expect(planned(dryRun('2026-02-28'))).not.toContain('F-2026-0001');
    expect(planned(dryRun('2026-03-01'))).toContain('F-2026-0001');
    // and the promise is broken then, on the to-do list
    const todo = JSON.parse(sb.run(['todo', '--as-of', '2026-03-01', '--json']).stdout);
    expect(todo.brokenPromises.map((p: { client: string; invoices: string[] }) => [p.client, p.invoices])).toEqual([['ACME', ['F-2026-0001']]]);
  });

  it('a broken promise shows in overdue: "broken" in the promise column and status "broken" in --json; a kept one says kept', () => {
    expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-02-19 15:00', '--outcome', 'will pay by the 25th', '--promise', '2026-02-25']).code).toBe(0);
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--invoice', 'F-2026-0003', '--at', '2026-02-25 10:00', '--outcome', 'paying 200 now', '--promise', '2026-03-05', '--promise-amount', '200']).code).toBe(0);
    const s = seed(sb.ledger);
    const inv = (s.db.prepare("SELECT id FROM documents WHERE number = 'F-2026-0003'").get() as { id: number }).id;
    s.payment({ client: 'GLOBEX', date: '2026-02-27', amount: 20000, allocations: [[inv, 20000]] });
    s.close();
    type Item = { invoice: string; promise: { date: string; amount: string | null; status: string | null } | null };
    const promises = (asOf: string) => {
      const r = sb.run(['overdue', '--as-of', asOf, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return Object.fromEntries((JSON.parse(r.stdout).items as Item[]).map((i) => [i.invoice, i.promise]));
    };
    // within the grace (promise date + 3 days) it is still pending; the 200 paid on the 27th keep GLOBEX's
    expect(promises('2026-02-26')).toEqual({
      'F-2026-0001': { date: '2026-02-25', amount: null, status: 'pending' },
      'F-2026-0002': null, // the promise was about F-2026-0001 only
      'F-2026-0003': { date: '2026-03-05', amount: '200.00', status: 'pending' },
    });
    const broken = promises('2026-03-01');
    expect(broken['F-2026-0001']).toEqual({ date: '2026-02-25', amount: null, status: 'broken' });
    expect(broken['F-2026-0003']).toEqual({ date: '2026-03-05', amount: '200.00', status: 'kept' });
    const human = sb.run(['overdue', '--as-of', '2026-03-01']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ ACME +│ F-2026-0001 +│.*│ 2026-02-25 broken +│/);
    expect(human.stdout).toMatch(/│ GLOBEX +│ F-2026-0003 +│.*│ 2026-03-05 €200\.00 kept +│/);
    // the day the promise still holds, the column shows the date alone
    expect(sb.run(['overdue', '--as-of', '2026-02-26']).stdout).toMatch(/│ ACME +│ F-2026-0001 +│.*│ 2026-02-25 +│/);
  });

  it('a promise about the whole client holds all its invoices, not other clients', () => {
    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-02-19 15:00', '--outcome', 'will settle everything', '--promise', '2026-02-27']).code).toBe(0);
    const p = dryRun('2026-02-20');
    expect(planned(p)).toEqual(['F-2026-0003']);
    expect(p.skipped.filter((s) => s.reason === 'promise').map((s) => s.invoice).sort()).toEqual(['F-2026-0001', 'F-2026-0002']);
  });

  it('a kept promise no longer holds anything, and a promise logged after the as-of date does not count', () => {
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--invoice', 'F-2026-0003', '--at', '2026-02-25 10:00', '--outcome', 'paying 200 now', '--promise', '2026-03-05', '--promise-amount', '200']).code).toBe(0);
    // as of the 20th the call has not happened yet
    expect(planned(dryRun('2026-02-20'))).toContain('F-2026-0003');
    expect(dryRun('2026-02-26').skipped.find((s) => s.invoice === 'F-2026-0003')?.reason).toBe('promise');
    // the 200 promised arrive on the 27th: the promise is kept, the 300 left are reminded again
    const s = seed(sb.ledger);
    const inv = (s.db.prepare("SELECT id FROM documents WHERE number = 'F-2026-0003'").get() as { id: number }).id;
    s.payment({ client: 'GLOBEX', date: '2026-02-27', amount: 20000, allocations: [[inv, 20000]] });
    s.close();
    expect(dryRun('2026-02-26').skipped.find((s) => s.invoice === 'F-2026-0003')?.reason).toBe('promise');
    expect(planned(dryRun('2026-02-28'))).toContain('F-2026-0003');
    expect(JSON.parse(sb.run(['todo', '--as-of', '2026-03-20', '--json']).stdout).brokenPromises).toEqual([]);
  });

  it('a dispute logged in a call stops reminders of that invoice', () => {
    expect(sb.run(['call-log', 'add', 'GLOBEX', '--invoice', 'F-2026-0003', '--at', '2026-02-19 15:00', '--outcome', 'contests the quantities', '--dispute', 'quantities']).code).toBe(0);
    const p = dryRun('2026-02-20');
    expect(planned(p)).not.toContain('F-2026-0003');
    expect(p.skipped.find((s) => s.invoice === 'F-2026-0003')?.reason).toBe('disputed');
  });
});

describe('calls the policy asks for', () => {
  it('appear in todo after a real run reaches a call level, until a call is logged', () => {
    // level 2 (due + 15 days) is an email and a call to make; one level per run, so run twice
    expect(sb.run(['remind', '--due', '--as-of', '2026-02-20']).code).toBe(0);
    expect(sb.run(['remind', '--due', '--as-of', '2026-02-28']).code).toBe(0);
    const todo = JSON.parse(sb.run(['todo', '--as-of', '2026-02-28', '--json']).stdout);
    const acme = todo.calls.find((c: { client: string }) => c.client === 'ACME');
    expect(acme).toMatchObject({ client: 'ACME', phone: '04 00 00 00 00', level: 2 });
    expect(acme.invoices).toEqual(expect.arrayContaining(['F-2026-0001']));
    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-02-28 10:00', '--outcome', 'spoke to AP, paying Friday', '--promise', '2026-03-06']).code).toBe(0);
    const after = JSON.parse(sb.run(['todo', '--as-of', '2026-02-28', '--json']).stdout);
    expect(after.calls.map((c: { client: string }) => c.client)).not.toContain('ACME');
    // the history lists each reminder once
    const h = JSON.parse(sb.run(['client', 'show', 'ACME', '--history', '--json']).stdout);
    const kinds = h.events.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'reminder')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'call-to-make')).toHaveLength(1);
    expect(kinds.at(-1)).toBe('contact');
  });
});
