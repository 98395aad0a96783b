/** relance policy show | set: the dunning levels for the ledger and per client, and their effect on remind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './remind-fixtures.js';

let sb: Sandbox;

beforeAll(() => {
  sb = sandbox('relance-policy-');
  expect(sb.init().code).toBe(0);
  seed(sb.ledger, (s) => {
    const a = s.client('ACME');
    const b = s.client('BETA');
    s.invoice({ client: a, number: 'F-1', issue: '2026-02-01', due: '2026-03-05', amount: 50_000 });
    s.invoice({ client: b, number: 'F-2', issue: '2026-02-01', due: '2026-03-05', amount: 1_500 });
  });
});
afterAll(() => sb.cleanup());

type PolicyJson = {
  levels: { level: number; name: string; offsetDays: number; channels: string[]; template: string; claimsPenalties: boolean; claimsIndemnity: boolean; minIntervalDays: number }[];
  minAmount: string;
  catchUp: boolean;
  promiseGraceDays: number;
  noticeDays: number;
  attachInvoices: boolean;
  override?: unknown;
};
const show = (...args: string[]): PolicyJson => JSON.parse(sb.run(['policy', 'show', '--json', ...args]).stdout);

describe('policy show', () => {
  it('starts with the five levels of dunning.md', () => {
    const p = show();
    expect(p.levels.map((l) => [l.level, l.offsetDays, l.channels.join('+'), l.template, l.claimsPenalties, l.claimsIndemnity])).toEqual([
      [0, -3, 'email', 'courtesy', false, false],
      [1, 7, 'email', 'first', false, false],
      [2, 15, 'email+call', 'second', true, true],
      [3, 30, 'letter+email', 'formal-notice', true, true],
      [4, 45, 'handover', 'handover', true, true],
    ]);
    expect(p).toMatchObject({ minAmount: '0.00', catchUp: false, promiseGraceDays: 3, noticeDays: 8, attachInvoices: true });
    const human = sb.run(['policy', 'show']);
    expect(human.stdout).toContain('mise en demeure');
    expect(human.stdout).toContain('letter + email');
    expect(human.stdout).toContain('catch-up: no (one level per run)');
  });
});

describe('policy set', () => {
  it('changes a level, the minimum amount, catch-up and the deadline, and remind follows', () => {
    expect(sb.run(['policy', 'set', '--level', '1', '--offset', '10', '--min-interval', '3']).code).toBe(0);
    expect(sb.run(['policy', 'set', '--min-amount', '20', '--notice-days', '15', '--promise-grace', '5']).code).toBe(0);
    const p = show();
    expect(p.levels[1]).toMatchObject({ offsetDays: 10, minIntervalDays: 3 });
    expect(p).toMatchObject({ minAmount: '20.00', noticeDays: 15, promiseGraceDays: 5 });
    // Level 1 is now due on 03-15, not 03-12; BETA's 15.00 is below the minimum.
    const early = JSON.parse(sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-12', '--json']).stdout);
    expect(early.messages).toEqual([]);
    const due = JSON.parse(sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-15', '--json']).stdout);
    expect(due.messages.map((m: { client: string; level: number }) => [m.client, m.level])).toEqual([['ACME', 1]]);
    expect(due.skipped.map((s: { invoice: string; reason: string }) => [s.invoice, s.reason])).toEqual([['F-2', 'below-minimum']]);
  });

  it('a client override changes only that client, and --reset drops it', () => {
    expect(sb.run(['policy', 'set', '--client', 'BETA', '--min-amount', '0', '--catch-up']).code).toBe(0);
    const beta = show('--client', 'BETA');
    expect(beta).toMatchObject({ minAmount: '0.00', catchUp: true, override: { minAmount: 0, catchUp: true } });
    expect(show()).toMatchObject({ minAmount: '20.00', catchUp: false });
    const plan = JSON.parse(sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-04-10', '--json']).stdout);
    // ACME moves one level per run (level 1); BETA catches up to the formal notice (letter + email).
    expect(plan.messages.map((m: { client: string; level: number; channel: string }) => [m.client, m.level, m.channel])).toEqual([
      ['ACME', 1, 'email'],
      ['BETA', 3, 'letter'],
      ['BETA', 3, 'email'],
    ]);
    expect(sb.run(['policy', 'set', '--client', 'BETA', '--reset']).code).toBe(0);
    expect(show('--client', 'BETA')).toMatchObject({ catchUp: false, override: null });
  });

  it('adds and removes a level, with its template', () => {
    expect(sb.run(['policy', 'set', '--level', '5', '--name', 'rappel final', '--offset', '60', '--channels', 'letter', '--template', 'formal-notice', '--no-penalties']).code).toBe(0);
    expect(show().levels.at(-1)).toMatchObject({ level: 5, name: 'rappel final', channels: ['letter'], claimsPenalties: false });
    expect(sb.run(['policy', 'set', '--remove-level', '5']).code).toBe(0);
    expect(show().levels).toHaveLength(5);
    expect(sb.run(['policy', 'set', '--reset']).code).toBe(0);
    expect(show()).toMatchObject({ minAmount: '0.00', noticeDays: 8 });
  });

  it('refuses what cannot work, in one line, exit 2, ledger unchanged', () => {
    const before = sb.snapshot();
    const cases: [string[], RegExp][] = [
      [['policy', 'set'], /nothing to change/],
      [['policy', 'set', '--offset', '3'], /add --level N/],
      [['policy', 'set', '--level', '2', '--offset', '45'], /offsets must grow with the level/],
      [['policy', 'set', '--level', '1', '--channels', 'fax'], /"fax" is not a channel/],
      [['policy', 'set', '--level', '1', '--template', '../../etc/passwd'], /must be a file name/],
      [['policy', 'set', '--level', '7', '--offset', '90'], /level 7 does not exist; to add it give --name, --offset, --channels and --template/],
      [['policy', 'set', '--level', 'x', '--offset', '1'], /--level: "x" is not valid/],
      [['policy', 'set', '--min-amount', '12,345'], /--min-amount: cannot read "12,345"/],
      [['policy', 'set', '--notice-days', '0'], /--notice-days: "0" is not valid/],
      [['policy', 'set', '--remove-level', '8'], /no such level/],
      [['policy', 'set', '--client', 'NOPE', '--catch-up'], /unknown client "NOPE"/],
      [['policy', 'show', '--client', 'NOPE'], /unknown client "NOPE"/],
    ];
    for (const [args, msg] of cases) {
      const r = sb.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(sb.snapshot()).toBe(before);
  });

  it('every subcommand has examples in its help', () => {
    for (const args of [['policy'], ['policy', 'show'], ['policy', 'set'], ['remind'], ['remind', 'list'], ['remind', 'show'], ['remind', 'preview']]) {
      const r = sb.run([...args, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
  });
});
