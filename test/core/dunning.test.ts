/** The pure planner of remind --due (dunning.md): stop rules, levels, grouping, intervals, catch-up. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../../src/core/dates.js';
import { scalingRatio } from '../helpers/scaling.js';
import { DEFAULT_POLICY, checkPolicy, describeRule, dayNumber, mergePolicy, nextLevel, planOnDemand, planReminders, type ClientState, type OpenItem, type PlanInput, type Policy, type ReminderState } from '../../src/core/dunning.js';

const client = (id: number, o: Partial<ClientState> = {}): ClientState => ({ id, code: `C${id}`, pausedUntil: null, stopWork: false, ...o });
const item = (documentId: number, o: Partial<OpenItem> = {}): OpenItem => ({
  documentId,
  instalment: 0,
  number: `F-${documentId}`,
  clientId: 1,
  currency: 'EUR',
  issueDate: '2026-02-01',
  dueDate: '2026-03-01',
  amount: 10_000,
  balance: 10_000,
  disputed: false,
  paymentLink: null,
  ...o,
});
const reached = (documentId: number, level: number, lastDate: string, o: Partial<ReminderState> = {}): ReminderState => ({ documentId, instalment: 0, level, lastDate, uncertainMessageId: null, ...o });

function plan(asOf: string, items: OpenItem[], o: Partial<PlanInput> = {}) {
  return planReminders({ asOf, items, reminders: [], clients: [client(1), client(2)], promises: [], policy: DEFAULT_POLICY, ...o });
}

describe('levels by offset from the due date', () => {
  it('courtesy 3 days before, then +7, +15, +30, +45', () => {
    const due = '2026-03-01';
    const levelOn = (asOf: string, state?: ReminderState) => {
      const r = nextLevel(item(1), state, DEFAULT_POLICY, asOf);
      return r && 'level' in r ? r.level.level : null;
    };
    expect(levelOn(addDays(due, -4))).toBeNull();
    expect(levelOn(addDays(due, -3))).toBe(0);
    expect(levelOn(addDays(due, 6), reached(1, 0, addDays(due, -3)))).toBeNull();
    expect(levelOn(addDays(due, 7), reached(1, 0, addDays(due, -3)))).toBe(1);
    expect(levelOn(addDays(due, 15), reached(1, 1, addDays(due, 7)))).toBe(2);
    expect(levelOn(addDays(due, 30), reached(1, 2, addDays(due, 15)))).toBe(3);
    expect(levelOn(addDays(due, 45), reached(1, 3, addDays(due, 30)))).toBe(4);
  });

  it('the courtesy reminder is never sent once the invoice is late', () => {
    const r = nextLevel(item(1), undefined, DEFAULT_POLICY, '2026-03-02');
    expect(r).toBeNull();
    const p = plan('2026-03-08', [item(1)]);
    expect(p.clients[0]!.level.level).toBe(1);
  });

  it('never jumps: one level per run after a long pause, unless the policy allows catch-up', () => {
    const p = plan('2026-06-01', [item(1)]);
    expect(p.clients[0]!.level.level).toBe(1);
    const c = plan('2026-06-01', [item(1)], { policy: { ...DEFAULT_POLICY, catchUp: true } });
    expect(c.clients[0]!.level.level).toBe(4);
  });

  it('waits the minimum interval since the previous reminder, and says so', () => {
    const p = plan('2026-03-17', [item(1)], { reminders: [reached(1, 1, '2026-03-12')] });
    expect(p.clients).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ reason: 'min-interval', detail: expect.stringContaining('5 day(s) ago on 2026-03-12; level 2 waits 7 days') })]);
    expect(plan('2026-03-19', [item(1)], { reminders: [reached(1, 1, '2026-03-12')] }).clients[0]!.level.level).toBe(2);
  });

  it('reports an invoice that reached every level', () => {
    const p = plan('2026-09-01', [item(1)], { reminders: [reached(1, 4, '2026-04-15')] });
    expect(p.skipped.map((s) => s.reason)).toEqual(['all-levels-reached']);
  });
});

describe('stop rules, each with its reason', () => {
  const asOf = '2026-03-10';
  it.each([
    ['paid', { items: [item(1, { balance: 0 })] }],
    ['disputed', { items: [item(1, { disputed: true })] }],
    ['stop-work', { clients: [client(1, { stopWork: true })] }],
    ['paused', { clients: [client(1, { pausedUntil: '2026-03-10' })] }],
    ['promise', { promises: [{ clientId: 1, documentIds: [1], date: '2026-03-08' }] }],
    ['promise', { promises: [{ clientId: 1, documentIds: null, date: '2026-03-09' }] }],
    ['below-minimum', { policy: { ...DEFAULT_POLICY, minAmount: 10_001 } }],
    ['uncertain', { reminders: [reached(1, 0, '2026-02-26', { uncertainMessageId: 7 })] }],
  ] as [string, Partial<PlanInput>][])('%s', (reason, o) => {
    const p = planReminders({ asOf, items: [item(1)], reminders: [], clients: [client(1)], promises: [], policy: DEFAULT_POLICY, ...o });
    expect(p.clients).toEqual([]);
    expect(p.skipped.map((s) => s.reason)).toEqual([reason]);
  });

  it('a pause ends the day after paused_until; a promise holds to its date plus the grace', () => {
    expect(plan('2026-03-11', [item(1)], { clients: [client(1, { pausedUntil: '2026-03-10' })] }).clients).toHaveLength(1);
    const promised = { promises: [{ clientId: 1, documentIds: [1], date: '2026-03-08' }] };
    expect(plan('2026-03-11', [item(1)], promised).skipped[0]!.reason).toBe('promise');
    expect(plan('2026-03-12', [item(1)], promised).clients).toHaveLength(1);
  });

  it('a promise about another invoice does not hold this one', () => {
    const p = plan('2026-03-10', [item(1), item(2)], { promises: [{ clientId: 1, documentIds: [2], date: '2026-03-20' }] });
    expect(p.clients[0]!.items.map((i) => i.number)).toEqual(['F-1']);
  });
});

describe('grouping per client', () => {
  it('one message per client, at the highest level due, listing every overdue invoice', () => {
    const items = [
      item(1, { dueDate: '2026-02-01' }),
      item(2, { dueDate: '2026-03-01' }),
      item(3, { dueDate: '2026-03-20' }), // not due yet: not listed
      item(4, { clientId: 2, dueDate: '2026-03-01' }),
      item(5, { dueDate: '2026-02-20', disputed: true }), // disputed: not listed
    ];
    const p = plan('2026-03-09', items, { reminders: [reached(1, 1, '2026-03-05')] });
    expect(p.clients.map((c) => [c.clientCode, c.level.level])).toEqual([
      ['C1', 1],
      ['C2', 1],
    ]);
    const c1 = p.clients[0]!;
    expect(c1.items.map((i) => [i.number, i.newLevel, i.previousLevel, i.daysLate])).toEqual([
      ['F-1', null, 1, 36],
      ['F-2', 1, null, 8],
    ]);
    expect(p.skipped.map((s) => [s.item.number, s.reason])).toEqual([
      ['F-1', 'min-interval'],
      ['F-5', 'disputed'],
    ]);
  });

  it('uses the highest level due and asks for a call when it says so', () => {
    const p = plan('2026-03-16', [item(1, { dueDate: '2026-03-01' }), item(2, { dueDate: '2026-03-09' })], { reminders: [reached(1, 1, '2026-03-08')] });
    expect(p.clients[0]!.level.level).toBe(2);
    expect(p.clients[0]!.call).toBe(true);
    // F-2 is due for level 1 only, but a level-2 message lists it: it joins level 2.
    expect(p.clients[0]!.items.map((i) => i.newLevel)).toEqual([2, 2]);
    expect(p.clients[0]!.rule).toMatchObject({ applied: 'due', dueLevel: 2, level: 2, joined: ['F-2'] });
  });

  it('restricts to one client', () => {
    expect(plan('2026-03-09', [item(1), item(2, { clientId: 2 })], { clientId: 2 }).clients.map((c) => c.clientId)).toEqual([2]);
  });

  it('instalments are reminded on their own due dates', () => {
    const p = plan('2026-04-09', [item(1, { instalment: 1, dueDate: '2026-03-01', balance: 0 }), item(1, { instalment: 2, dueDate: '2026-04-01' }), item(1, { instalment: 3, dueDate: '2026-05-01' })]);
    expect(p.clients[0]!.items.map((i) => [i.instalment, i.newLevel])).toEqual([[2, 1]]);
    expect(p.skipped.map((s) => [s.item.instalment, s.reason])).toEqual([[1, 'paid']]);
  });

  it('a client policy overrides the ledger one', () => {
    const strict: Policy = mergePolicy(DEFAULT_POLICY, { minAmount: 50_000 });
    const p = plan('2026-03-09', [item(1), item(2, { clientId: 2 })], { clientPolicies: new Map([[2, strict]]) });
    expect(p.clients.map((c) => c.clientId)).toEqual([1]);
    expect(p.skipped.map((s) => [s.item.clientId, s.reason])).toEqual([[2, 'below-minimum']]);
  });
});

/** Run the planner on each date, recording what each message lists as the store does (one state per item). */
function simulate(items: OpenItem[], dates: string[], policy: Policy = DEFAULT_POLICY) {
  const states = new Map<string, ReminderState>();
  const messages: { date: string; level: number; items: string[]; rule: string }[] = [];
  for (const asOf of dates) {
    const p = planReminders({ asOf, items, reminders: [...states.values()], clients: [client(1)], promises: [], policy });
    for (const c of p.clients) {
      messages.push({ date: asOf, level: c.level.level, items: c.items.map((i) => (i.instalment ? `${i.number}/${i.instalment}` : i.number)), rule: describeRule(c) });
      for (const i of c.items) if (i.newLevel !== null) states.set(`${i.documentId}/${i.instalment}`, reached(i.documentId, i.newLevel, asOf, { instalment: i.instalment }));
    }
  }
  return messages;
}

describe('never a milder message after a stronger one', () => {
  const dates = ['2026-01-28', '2026-02-07', '2026-02-15', '2026-03-02', '2026-03-09', '2026-03-12', '2026-03-17', '2026-04-15'];

  it('the issue 14 sequence: A due 01-31, B due 03-01; B joins the formal notice and is never listed lower', () => {
    const m = simulate([item(1, { number: 'A', dueDate: '2026-01-31' }), item(2, { number: 'B', dueDate: '2026-03-01' })], dates);
    expect(m.map((x) => [x.date, x.level, x.items.join(' ')])).toEqual([
      ['2026-01-28', 0, 'A'],
      ['2026-02-07', 1, 'A'],
      ['2026-02-15', 2, 'A'],
      ['2026-03-02', 3, 'A B'],
      // 03-09: B's level 1 is due on its own schedule, but B was in the formal notice: nothing milder.
      ['2026-03-17', 4, 'A B'],
    ]);
    expect(m[3]!.rule).toBe('C1: level 3 (mise en demeure), the highest level due; B joins level 3');
  });

  it('the same with a payment plan: instalments of one invoice', () => {
    const m = simulate([item(1, { instalment: 1, dueDate: '2026-01-31' }), item(1, { instalment: 2, dueDate: '2026-03-01' })], dates);
    expect(m.map((x) => [x.date, x.level, x.items.join(' ')])).toEqual([
      ['2026-01-28', 0, 'F-1/1'],
      ['2026-02-07', 1, 'F-1/1'],
      ['2026-02-15', 2, 'F-1/1'],
      ['2026-03-02', 3, 'F-1/1 F-1/2'],
      ['2026-03-17', 4, 'F-1/1 F-1/2'],
    ]);
  });

  it('an invoice newly overdue raises the message to the level an invoice it lists already had, after that level\'s interval', () => {
    // B falls due after the formal notice on A: on 03-12 it is due for level 1, A had level 3 on 03-02.
    const items = [item(1, { number: 'A', dueDate: '2026-01-31' }), item(2, { number: 'B', dueDate: '2026-03-05' })];
    const reminders = [reached(1, 3, '2026-03-02')];
    const early = plan('2026-03-13', items, { reminders: [reached(1, 3, '2026-03-04')] });
    expect(early.clients).toEqual([]);
    expect(early.skipped.map((s) => [s.item.number, s.reason])).toEqual([['B', 'min-interval']]);
    expect(early.skipped[0]!.detail).toMatch(/joins level 3 \(mise en demeure\): A has already been in a level-3 message; last reminder 9 day\(s\) ago on 2026-03-04, level 3 waits 10 days/);
    const p = plan('2026-03-12', items, { reminders });
    expect(p.clients.map((c) => [c.level.level, c.items.map((i) => [i.number, i.newLevel])])).toEqual([[3, [['A', null], ['B', 3]]]]);
    expect(p.clients[0]!.rule).toEqual({ applied: 'client-level', dueLevel: 1, level: 3, heldBy: { invoice: 'A', level: 3 }, joined: ['B'], leftOut: [] });
    expect(describeRule(p.clients[0]!)).toBe('C1: level 3 (mise en demeure), not 1: A has already been in a level-3 message, never a milder message after a stronger one; B joins level 3');
  });

  it('a paid invoice no longer holds the level: a later invoice starts at its own level', () => {
    const p = plan('2026-03-12', [item(1, { number: 'A', dueDate: '2026-01-31', balance: 0 }), item(2, { number: 'B', dueDate: '2026-03-05' })], { reminders: [reached(1, 3, '2026-03-02')] });
    expect(p.clients.map((c) => [c.level.level, c.rule.applied, c.items.map((i) => i.number)])).toEqual([[1, 'due', ['B']]]);
  });

  it('an invoice not yet due is never listed in a stronger message: its courtesy reminder is left out', () => {
    const items = [item(1, { number: 'A', dueDate: '2026-02-01' }), item(2, { number: 'C', dueDate: '2026-03-12' })];
    const p = plan('2026-03-09', items, { reminders: [reached(1, 1, '2026-02-08')] });
    expect(p.clients.map((c) => [c.level.level, c.items.map((i) => [i.number, i.newLevel])])).toEqual([[2, [['A', 2]]]]);
    expect(p.clients[0]!.rule.leftOut).toEqual(['C']);
    expect(p.skipped.map((s) => [s.item.number, s.reason])).toEqual([['C', 'stronger-level']]);
    // Nothing due for A: the courtesy of C alone would still sit beside A's level 1, so it is not sent.
    const q = plan('2026-03-09', items, { reminders: [reached(1, 1, '2026-03-05')] });
    expect(q.clients).toEqual([]);
    expect(q.skipped.map((s) => [s.item.number, s.reason])).toEqual([['A', 'min-interval'], ['C', 'stronger-level']]);
  });

  it('a promised invoice is not listed, so it does not raise the message', () => {
    const items = [item(1, { number: 'A', dueDate: '2026-01-31' }), item(2, { number: 'B', dueDate: '2026-03-05' })];
    const p = plan('2026-03-12', items, { reminders: [reached(1, 3, '2026-03-02')], promises: [{ clientId: 1, documentIds: [1], date: '2026-03-20' }] });
    expect(p.clients.map((c) => [c.level.level, c.items.map((i) => i.number)])).toEqual([[1, ['B']]]);
  });
});

describe('properties', () => {
  it('dayNumber agrees with the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20000, max: 60000 }), (n) => {
        const d = addDays('1970-01-01', n);
        expect(dayNumber(d)).toBe(n);
      }),
    );
  });

  it('never plans a level already reached, never two messages for a client, and is linear', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ client: fc.integer({ min: 1, max: 4 }), due: fc.integer({ min: 0, max: 120 }), reached: fc.integer({ min: -1, max: 4 }), last: fc.integer({ min: 0, max: 60 }) }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 200 }),
        fc.boolean(),
        (rows, day, catchUp) => {
          const asOf = addDays('2026-01-01', day);
          const items = rows.map((r, i) => item(i + 1, { clientId: r.client, dueDate: addDays('2026-01-01', r.due) }));
          const reminders = rows.flatMap((r, i) => (r.reached < 0 ? [] : [reached(i + 1, r.reached, addDays(asOf, -r.last))]));
          const p = planReminders({ asOf, items, reminders, clients: [1, 2, 3, 4].map((id) => client(id)), promises: [], policy: { ...DEFAULT_POLICY, catchUp } });
          expect(new Set(p.clients.map((c) => c.clientId)).size).toBe(p.clients.length);
          for (const c of p.clients) {
            for (const i of c.items) {
              const r = rows[i.documentId - 1]!;
              // Never a milder message: nothing listed has been in a stronger one; all listed end at its level.
              expect(r.reached).toBeLessThanOrEqual(c.level.level);
              if (i.newLevel === null) continue;
              expect(i.newLevel).toBe(c.level.level);
              expect(i.newLevel).toBeGreaterThan(r.reached);
              if (!catchUp && !c.rule.joined.includes(i.number)) expect(DEFAULT_POLICY.levels.filter((l) => l.level > r.reached && l.level < i.newLevel!).every((l) => l.offsetDays < 0)).toBe(true);
              expect(c.level.level).toBeGreaterThanOrEqual(i.newLevel);
            }
          }
        },
      ),
    );
  });

  it('plans 100 000 open invoices, in linear time (ten times the invoices and clients, about ten times as long)', () => {
    const input = (n: number): PlanInput => ({
      asOf: '2026-03-15',
      items: Array.from({ length: n }, (_, i) => item(i + 1, { clientId: (i % (n / 20)) + 1, dueDate: addDays('2026-01-01', i % 90) })),
      reminders: [],
      clients: Array.from({ length: n / 20 }, (_, i) => client(i + 1)),
      promises: [],
      policy: DEFAULT_POLICY,
    });
    const small = input(10_000);
    const large = input(100_000);
    const p = planReminders(large);
    expect(p.clients.length).toBe(5000);
    // Linear is ~10 (7-23 measured at a load average of 12 on 2 cores); quadratic would be ~100. The speed itself is measured by npm run bench (remind row).
    const ratio = scalingRatio(() => planReminders(small), () => planReminders(large), 10, 5);
    expect(ratio).toBeLessThan(40);
  });
});

describe('policy checks', () => {
  it('accepts the defaults and refuses what cannot work', () => {
    expect(checkPolicy(DEFAULT_POLICY).levels).toHaveLength(5);
    const bad = (p: Partial<Policy>) => () => checkPolicy({ ...DEFAULT_POLICY, ...p });
    expect(bad({ levels: [] })).toThrow(/at least one level/);
    expect(bad({ levels: [DEFAULT_POLICY.levels[0]!, DEFAULT_POLICY.levels[0]!] })).toThrow(/appears twice/);
    expect(bad({ levels: [{ ...DEFAULT_POLICY.levels[1]!, offsetDays: 40 }, DEFAULT_POLICY.levels[2]!] })).toThrow(/offsets must grow/);
    expect(bad({ levels: [{ ...DEFAULT_POLICY.levels[1]!, channels: ['fax' as never] }] })).toThrow(/channels must be/);
    expect(bad({ levels: [{ ...DEFAULT_POLICY.levels[1]!, template: '../x' }] })).toThrow(/template/);
    expect(bad({ noticeDays: 0 })).toThrow(/at least 1 day/);
  });

  it('on demand: refuses an unknown level; every invoice the message lists joins its level', () => {
    expect(() => planOnDemand(1, 'C1', [item(1)], [], DEFAULT_POLICY, 7, '2026-03-10')).toThrow(/--level 7/);
    const p = planOnDemand(1, 'C1', [item(1), item(2)], [], DEFAULT_POLICY, 2, '2026-03-10', 2);
    expect(p.items.map((i) => [i.number, i.newLevel])).toEqual([
      ['F-1', 2],
      ['F-2', 2],
    ]);
    expect(p.rule).toMatchObject({ applied: 'on-demand', level: 2, joined: ['F-1'], leftOut: [] });
  });

  it('on demand: a milder level leaves out the invoices already in a stronger message, and refuses one asked for', () => {
    const items = [item(1, { dueDate: '2026-01-31' }), item(2, { dueDate: '2026-03-01' })];
    const states = [reached(1, 3, '2026-03-02')];
    expect(() => planOnDemand(1, 'C1', items, states, DEFAULT_POLICY, 1, '2026-03-10', 1)).toThrow(/already been in a level-3 message \(mise en demeure\); a level-1 message would be milder/);
    const p = planOnDemand(1, 'C1', items, states, DEFAULT_POLICY, 1, '2026-03-10', 2);
    expect(p.items.map((i) => [i.number, i.newLevel])).toEqual([['F-2', 1]]);
    expect(p.rule.leftOut).toEqual(['F-1']);
    expect(describeRule(p)).toMatch(/left out, already in a stronger message .*F-1/);
    // An instalment of an invoice that was in a stronger message counts as that invoice.
    expect(() => planOnDemand(1, 'C1', [item(1, { instalment: 2, dueDate: '2026-03-01' })], states, DEFAULT_POLICY, 1, '2026-03-10')).toThrow(/every open invoice of C1 .* stronger message \(F-1\/2\)/);
  });
});
