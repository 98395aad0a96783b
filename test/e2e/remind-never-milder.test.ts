/**
 * Issue 14 §2, end to end: never a milder message after a stronger one. One client, invoice A due
 * 01-31 and B due 03-01, `remind --due` on 01-28, 02-07, 02-15, 03-02, 03-09 (and on to the
 * handover): before the fix, 03-02 sent a formal notice listing A and B and 03-09 a level-1 email
 * listing both again. The same with a payment plan's two instalments. Emails go to the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { query, seed } from './remind-fixtures.js';

const DATES = ['2026-01-28', '2026-02-07', '2026-02-15', '2026-03-02', '2026-03-09', '2026-03-12', '2026-03-17'];

interface Msg {
  id: number;
  as_of: string;
  level: number;
  channel: string;
  invoices: string;
  copy_of: number | null;
}

function messages(sb: Sandbox): Msg[] {
  return query<Msg>(sb.ledger, `SELECT id, as_of, level, channel, invoices, copy_of FROM messages WHERE status IN ('sent', 'written') ORDER BY id`);
}

/** For every invoice (instalments count as their invoice), the levels of the messages that list it, in order. */
function levelsByInvoice(ms: Msg[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of ms) {
    if (m.channel === 'call') continue;
    for (const label of (m.invoices ?? '').split(', ').filter(Boolean)) {
      const inv = label.replace(/\/\d+$/, '');
      out.set(inv, [...(out.get(inv) ?? []), m.level]);
    }
  }
  return out;
}

function neverDown(levels: number[]): boolean {
  return levels.every((l, i) => i === 0 || l >= levels[i - 1]!);
}

/** One primary message per run: the letter when there is one, else the email, else the handover. */
function perRun(ms: Msg[]): [string, number, string][] {
  const primary = ms.filter((m) => m.copy_of === null && m.channel !== 'call');
  return primary.map((m) => [m.as_of, m.level, m.invoices]);
}

describe('two invoices of one client', () => {
  let sb: Sandbox;
  const runs = new Map<string, RunResult>();
  let dry0302: RunResult;
  let dry0302Json: RunResult;

  beforeAll(() => {
    sb = sandbox('relance-never-milder-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME');
      s.invoice({ client: c, number: 'A', issue: '2026-01-01', due: '2026-01-31', amount: 100_000 });
      s.invoice({ client: c, number: 'B', issue: '2026-01-30', due: '2026-03-01', amount: 50_000 });
    });
    for (const d of DATES) {
      if (d === '2026-03-02') {
        dry0302 = sb.run(['remind', '--due', '--dry-run', '--as-of', d]);
        dry0302Json = sb.run(['--json', 'remind', '--due', '--dry-run', '--as-of', d]);
      }
      runs.set(d, sb.run(['remind', '--due', '--as-of', d]));
    }
  }, 180_000);

  afterAll(() => sb?.cleanup());

  it('every run succeeds', () => {
    for (const [d, r] of runs) expect([d, r.code, r.stderr]).toEqual([d, 0, '']);
  });

  it('B joins the formal notice of 03-02; nothing milder follows on 03-09; both are handed over together', () => {
    expect(perRun(messages(sb))).toEqual([
      ['2026-01-28', 0, 'A'],
      ['2026-02-07', 1, 'A'],
      ['2026-02-15', 2, 'A'],
      ['2026-03-02', 3, 'A, B'],
      ['2026-03-17', 4, 'A, B'],
    ]);
    const b = query<{ level: number; date: string }>(sb.ledger, `SELECT r.level, r.date FROM reminders r JOIN documents d ON d.id = r.document_id WHERE d.number = 'B' ORDER BY r.level`);
    expect(b).toEqual([
      { level: 3, date: '2026-03-02' },
      { level: 4, date: '2026-03-17' },
    ]);
    for (const [inv, levels] of levelsByInvoice(messages(sb))) expect([inv, neverDown(levels)]).toEqual([inv, true]);
    expect(runs.get('2026-03-09')!.stdout).toMatch(/sent: 0/);
    expect(runs.get('2026-03-09')!.stdout).toMatch(/written to the outbox: 0/);
  });

  it('the dry run says which rule set the level, in its output and in --json', () => {
    expect(dry0302.code).toBe(0);
    expect(dry0302.stdout).toContain('rule: ACME: level 3 (mise en demeure), the highest level due; B joins level 3');
    expect(dry0302Json.code).toBe(0);
    const j = JSON.parse(dry0302Json.stdout) as { rules: unknown[] };
    expect(j.rules).toEqual([{ client: 'ACME', applied: 'due', dueLevel: 3, level: 3, heldBy: null, joined: ['B'], leftOut: [], text: 'ACME: level 3 (mise en demeure), the highest level due; B joins level 3' }]);
  });
});

describe('an invoice that falls due after the formal notice', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('relance-never-milder-raise-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME');
      s.invoice({ client: c, number: 'A', issue: '2026-01-01', due: '2026-01-31', amount: 100_000 });
      s.invoice({ client: c, number: 'B', issue: '2026-02-03', due: '2026-03-05', amount: 50_000 });
    });
    for (const d of ['2026-01-28', '2026-02-07', '2026-02-15', '2026-03-02']) expect(sb.run(['remind', '--due', '--as-of', d]).code).toBe(0);
  }, 120_000);
  afterAll(() => sb?.cleanup());

  it('is not sent a friendly reminder while A is under formal notice: it joins level 3 once level 3 may be sent again', () => {
    // 03-02: A's formal notice; B is not due yet (not listed in a stronger message).
    expect(perRun(messages(sb)).at(-1)).toEqual(['2026-03-02', 3, 'A']);
    // 03-12: B is due for level 1, A was in a level-3 message on 03-02 (10 days: level 3's interval is met).
    const dry = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-11']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/No reminder is due\./);
    const dry2 = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-12']);
    expect(dry2.stdout).toContain('rule: ACME: level 3 (mise en demeure), not 1: A has already been in a level-3 message, never a milder message after a stronger one; B joins level 3');
    expect(sb.run(['remind', '--due', '--as-of', '2026-03-12']).code).toBe(0);
    expect(perRun(messages(sb)).at(-1)).toEqual(['2026-03-12', 3, 'A, B']);
  });

  it('on demand, a milder level for an invoice that had a stronger one is refused (exit 2, ledger unchanged)', () => {
    const before = sb.snapshot();
    const r = sb.run(['remind', 'A', '--level', '1', '--as-of', '2026-03-13']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: invoice A has already been in a level-3 message \(mise en demeure\); a level-1 message would be milder/);
    expect(sb.snapshot()).toBe(before);
  });
});

describe('a payment plan: instalments of one invoice', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('relance-never-milder-plan-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME');
      s.invoice({ client: c, number: 'P', issue: '2026-01-01', due: '2026-01-31', amount: 100_000 });
    });
    const plan = sb.run(['plan', 'P', '--on', '2026-01-31=500', '--on', '2026-03-01=500', '--date', '2026-01-10']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    for (const d of DATES) expect(sb.run(['remind', '--due', '--as-of', d]).code).toBe(0);
  }, 180_000);
  afterAll(() => sb?.cleanup());

  it('the second instalment joins the formal notice and is never listed lower', () => {
    expect(perRun(messages(sb))).toEqual([
      ['2026-01-28', 0, 'P/1'],
      ['2026-02-07', 1, 'P/1'],
      ['2026-02-15', 2, 'P/1'],
      ['2026-03-02', 3, 'P/1, P/2'],
      ['2026-03-17', 4, 'P/1, P/2'],
    ]);
    for (const [inv, levels] of levelsByInvoice(messages(sb))) expect([inv, neverDown(levels)]).toEqual([inv, true]);
  });
});
