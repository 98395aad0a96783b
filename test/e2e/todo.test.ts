/**
 * relance todo: next actions due, broken promises (promise date + the policy's grace passed without
 * the promised amount), calls the policy asks for, and letters to post (until `todo posted`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './call-log-seed.js';

let sb: Sandbox;
let inv: number;
beforeEach(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--phone', '+33 4 00 00 00 00']).code).toBe(0);
  expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex']).code).toBe(0);
  const s = seed(sb.ledger);
  inv = s.invoice({ client: 'ACME', number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 100000 });
  s.invoice({ client: 'GLOBEX', number: 'F-2026-0002', issue: '2026-01-10', due: '2026-02-09', amount: 50000 });
  s.close();
});
afterEach(() => sb.cleanup());

function todo(asOf: string) {
  const r = sb.run(['todo', '--as-of', asOf, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('next actions', () => {
  it('puts the client on the list from the --next date until the client is contacted again', () => {
    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-02 10:00', '--outcome', 'call back Thursday', '--next', '2026-03-05']).code).toBe(0);
    expect(todo('2026-03-04').nextActions).toEqual([]);
    const due = todo('2026-03-05').nextActions;
    expect(due.map((a: { client: string; due: string; daysLate: number }) => [a.client, a.due, a.daysLate])).toEqual([['ACME', '2026-03-05', 0]]);
    expect(todo('2026-03-09').nextActions[0].daysLate).toBe(4);
    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-06 11:00', '--outcome', 'reached them, all good']).code).toBe(0);
    expect(todo('2026-03-09').nextActions).toEqual([]);
    // as of a day before that second call, the action was still due
    expect(todo('2026-03-05').nextActions).toHaveLength(1);
  });

  it('prints a table for people and says when there is nothing to do', () => {
    const empty = sb.run(['todo', '--as-of', '2026-03-01']);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('nothing to do as of 2026-03-01');
    sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-02 10:00', '--outcome', 'call back Thursday', '--next', '2026-03-05']);
    const r = sb.run(['todo', '--as-of', '2026-03-06']);
    expect(r.stdout).toContain('Next actions due (1)');
    expect(r.stdout).toContain('call back Thursday');
    expect(r.stdout).toContain('1 d');
  });
});

describe('promises to pay', () => {
  it('a promise not kept is broken once its date plus the 3-day default grace has passed', () => {
    expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--outcome', 'will pay by the 10th', '--promise', '2026-03-10']).code).toBe(0);
    expect(todo('2026-03-13').brokenPromises).toEqual([]);
    const broken = todo('2026-03-14').brokenPromises;
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ client: 'ACME', promisedBy: '2026-03-10', amount: '1000.00', paid: '0.00', invoices: ['F-2026-0001'], brokenSince: '2026-03-13' });
    const r = sb.run(['todo', '--as-of', '2026-03-14']);
    expect(r.stdout).toContain('Broken promises (1)');
  });

  it('a promise kept by a payment since the call is not broken; a partial payment below the amount is', () => {
    sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--outcome', 'will pay 600', '--promise', '2026-03-10', '--promise-amount', '600']);
    const s = seed(sb.ledger);
    s.payment({ client: 'ACME', date: '2026-03-09', amount: 40000, allocations: [[inv, 40000]] });
    s.close();
    expect(todo('2026-03-20').brokenPromises.map((p: { paid: string }) => p.paid)).toEqual(['400.00']);
    const s2 = seed(sb.ledger);
    s2.payment({ client: 'ACME', date: '2026-03-11', amount: 20000, allocations: [[inv, 20000]] });
    s2.close();
    expect(todo('2026-03-20').brokenPromises).toEqual([]);
  });

  it('money received before the call does not keep a promise made after it', () => {
    const s = seed(sb.ledger);
    s.payment({ client: 'ACME', date: '2026-02-20', amount: 30000, allocations: [[inv, 30000]] });
    s.close();
    sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--outcome', 'will pay the rest', '--promise', '2026-03-10']);
    const [p] = todo('2026-03-20').brokenPromises;
    expect(p).toMatchObject({ amount: '700.00', paid: '0.00' });
  });

  it('a promise about the whole client counts every payment of the client', () => {
    sb.run(['call-log', 'add', 'GLOBEX', '--at', '2026-03-02 14:30', '--outcome', 'will pay everything', '--promise', '2026-03-10']);
    expect(todo('2026-03-20').brokenPromises.map((p: { client: string; invoices: string[] }) => [p.client, p.invoices])).toEqual([['GLOBEX', []]]);
    const s = seed(sb.ledger);
    s.payment({ client: 'GLOBEX', date: '2026-03-05', amount: 50000 });
    s.close();
    expect(todo('2026-03-20').brokenPromises).toEqual([]);
  });

  it('a broken promise leaves the to-do list once the client is contacted again, or replaced by a new promise', () => {
    sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--outcome', 'will pay', '--promise', '2026-03-10']);
    expect(todo('2026-03-16').brokenPromises).toHaveLength(1);
    sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-16 09:00', '--outcome', 'sorry, next week', '--promise', '2026-03-23']);
    expect(todo('2026-03-16').brokenPromises).toEqual([]);
    expect(todo('2026-03-27').brokenPromises.map((p: { promisedBy: string }) => p.promisedBy)).toEqual(['2026-03-23']);
  });

  it('the grace comes from the ledger policy when it sets one', () => {
    const db = new Database(sb.ledger);
    db.prepare("INSERT INTO settings (key, value) VALUES ('policy', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify({ levels: [], minAmount: 0, catchUp: false, promiseGraceDays: 0, noticeDays: 8 }),
    );
    db.close();
    sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--outcome', 'will pay', '--promise', '2026-03-10']);
    expect(todo('2026-03-10').brokenPromises).toEqual([]);
    expect(todo('2026-03-11').brokenPromises).toHaveLength(1);
  });
});

describe('letters and calls from the reminders', () => {
  it('marking a letter posted does not count as talking to the client', () => {
    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-02 10:00', '--outcome', 'call back Thursday', '--next', '2026-03-05', '--promise', '2026-03-03']).code).toBe(0);
    const s = seed(sb.ledger);
    const letter = s.message({ client: 'ACME', level: 3, channel: 'letter', asOf: '2026-03-06', invoices: [inv] });
    s.close();
    expect(sb.run(['todo', 'posted', String(letter), '--at', '2026-03-07 09:00']).code).toBe(0);
    const t = todo('2026-03-08');
    expect(t.nextActions.map((a: { client: string }) => a.client)).toEqual(['ACME']);
    expect(t.brokenPromises.map((p: { client: string }) => p.client)).toEqual(['ACME']);
  });


  it('lists letters to post until they are marked posted, and calls to make until a call is logged', () => {
    const s = seed(sb.ledger);
    const letter = s.message({ client: 'ACME', level: 3, channel: 'letter', asOf: '2026-03-11', invoices: [inv], filePath: '/tmp/letters/acme-3.pdf' });
    s.message({ client: 'ACME', level: 2, channel: 'call', asOf: '2026-02-24', invoices: [inv] });
    s.message({ client: 'GLOBEX', level: 3, channel: 'letter', asOf: '2026-03-11', status: 'failed' });
    s.close();
    const t = todo('2026-03-12');
    expect(t.letters.map((l: { messageId: number; client: string; file: string; invoices: string[] }) => [l.messageId, l.client, l.file, l.invoices])).toEqual([[letter, 'ACME', '/tmp/letters/acme-3.pdf', ['F-2026-0001']]]);
    expect(t.calls.map((c: { client: string; phone: string; level: number }) => [c.client, c.phone, c.level])).toEqual([['ACME', '+33 4 00 00 00 00', 2]]);
    expect(todo('2026-02-23').calls).toEqual([]);

    const posted = sb.run(['todo', 'posted', String(letter), '--tracking', '1A01234567890', '--at', '2026-03-12 11:00']);
    expect(posted.code).toBe(0);
    expect(posted.stdout).toContain(`Letter #${letter} to ACME marked posted`);
    const after = todo('2026-03-12');
    expect(after.letters).toEqual([]);
    // posting a letter is not a call: the call is still to make
    expect(after.calls).toHaveLength(1);
    const log = JSON.parse(sb.run(['call-log', 'list', '--client', 'ACME', '--json']).stdout);
    expect(log.at(-1)).toMatchObject({ channel: 'letter', messageId: letter, invoices: ['F-2026-0001'], outcome: `reminder letter #${letter} posted, registered mail 1A01234567890` });

    const before = sb.snapshot();
    const twice = sb.run(['todo', 'posted', String(letter)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already marked posted');
    expect(sb.run(['todo', 'posted', '9999']).code).toBe(2);
    expect(sb.snapshot()).toBe(before);

    expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-12 15:00', '--outcome', 'spoke to AP']).code).toBe(0);
    expect(todo('2026-03-12').calls).toEqual([]);
  });
});
