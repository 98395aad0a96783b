/**
 * Done-when of issue 5: 3 clients and 8 invoices replayed day by day over 60 days with --as-of,
 * against a real SMTP server on 127.0.0.1: exactly the expected levels on the expected days, one
 * message per client per run, nothing after payment, nothing while disputed, paused or under a
 * promise to pay. Expected days are worked out by hand below from the default policy
 * (L0 -3 d, L1 +7, L2 +15, L3 +30, L4 +45; minimum intervals 0/5/7/10/10 days; one level per run), and
 * never a milder message after a stronger one (issue 14: a message takes the highest level an invoice
 * it lists has been in, and every invoice it lists joins that level).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { days, query, seed } from './remind-fixtures.js';

let sb: Sandbox;
let smtp: TestSmtp;

// Expected reminders: invoice -> [date, level][]
const EXPECTED: Record<string, [string, number][]> = {
  // ACME: A1 and A3 share a due date (one message for both); A3 is paid on 03-15; A1 reaches the handover.
  'A-1': [['2026-03-02', 0], ['2026-03-12', 1], ['2026-03-20', 2], ['2026-04-04', 3], ['2026-04-19', 4]],
  'A-3': [['2026-03-02', 0], ['2026-03-12', 1]],
  // A2 is listed in A1's level-2 message of 03-20, so it joins level 2 there (never a milder message
  // after a stronger one), then A1's formal notice of 04-04 and the handover of 04-19.
  'A-2': [['2026-03-09', 0], ['2026-03-19', 1], ['2026-03-20', 2], ['2026-04-04', 3], ['2026-04-19', 4]],
  // GLOBEX: G1 disputed 03-26..04-09, so level 2 (due 04-01) waits to 04-10; level 3 (due 04-16) waits the 10-day interval, 04-20.
  'G-1': [['2026-03-14', 0], ['2026-03-24', 1], ['2026-04-10', 2], ['2026-04-20', 3]],
  // G2: promise made 04-05 to pay by 04-10 holds to 04-13 (grace 3). From 04-14 its level 1 is due, but
  // the message lists G1, which had level 2 on 04-10: it is raised to level 2, which waits 7 days since
  // 04-10, so G2 joins level 2 on 04-17, then G1's formal notice on 04-20.
  'G-2': [['2026-03-28', 0], ['2026-04-17', 2], ['2026-04-20', 3]],
  // G3 is below the policy's minimum amount (10.00): never reminded.
  'G-3': [],
  // MARTIN (consumer) paused to 04-05: the courtesy level expired, one level per run from 04-06.
  'M-1': [['2026-04-06', 1], ['2026-04-13', 2], ['2026-04-23', 3]],
  // M2's courtesy reminder (04-17) is not sent: M1 had level 2, and an invoice not yet due is never
  // listed in a stronger message. Once late, it joins M1's formal notice of 04-23.
  'M-2': [['2026-04-23', 3]],
};

// Expected emails: [date, client, level] (level 3 = email copy of the registered letter; level 4 = handover, no email).
const EMAILS: [string, string, number][] = [
  ['2026-03-02', 'ACME', 0], ['2026-03-09', 'ACME', 0], ['2026-03-12', 'ACME', 1], ['2026-03-19', 'ACME', 1], ['2026-03-20', 'ACME', 2],
  ['2026-04-04', 'ACME', 3],
  ['2026-03-14', 'GLOBEX', 0], ['2026-03-24', 'GLOBEX', 1], ['2026-03-28', 'GLOBEX', 0], ['2026-04-10', 'GLOBEX', 2], ['2026-04-17', 'GLOBEX', 2],
  ['2026-04-20', 'GLOBEX', 3],
  ['2026-04-06', 'MARTIN', 1], ['2026-04-13', 'MARTIN', 2], ['2026-04-23', 'MARTIN', 3],
];

const received: { date: string; to: string; level: number; subject: string; messageId: string; raw: string }[] = [];
const outputs = new Map<string, { code: number; stdout: string; stderr: string }>();

beforeAll(async () => {
  sb = sandbox('relance-remind-replay-');
  expect(sb.init().code).toBe(0);
  smtp = await startSmtp();
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)]]) expect(sb.run(['ledger', 'set', k!, v!]).code).toBe(0);
  expect(sb.run(['policy', 'set', '--min-amount', '10']).code).toBe(0);
  seed(sb.ledger, (s) => {
    const acme = s.client('ACME', { name: 'ACME SAS', phone: '01 02 03 04 05' });
    const globex = s.client('GLOBEX', { name: 'Globex Ltd', lang: 'en', address: '10 Downing Street\nLondon SW1A 2AA\nUnited Kingdom' });
    const martin = s.client('MARTIN', { name: 'Claire Martin', kind: 'b2c', pausedUntil: '2026-04-05', address: '4 place Bellecour\n69002 Lyon' });
    s.invoice({ client: acme, number: 'A-1', issue: '2026-02-01', due: '2026-03-05', amount: 100_000 });
    s.invoice({ client: acme, number: 'A-2', issue: '2026-02-10', due: '2026-03-12', amount: 50_000 });
    const a3 = s.invoice({ client: acme, number: 'A-3', issue: '2026-02-01', due: '2026-03-05', amount: 20_000 });
    s.pay({ client: acme, invoice: a3, date: '2026-03-15', amount: 20_000 });
    const g1 = s.invoice({ client: globex, number: 'G-1', issue: '2026-02-15', due: '2026-03-17', amount: 300_000 });
    s.dispute(g1, '2026-03-26', '2026-04-09');
    const g2 = s.invoice({ client: globex, number: 'G-2', issue: '2026-03-01', due: '2026-03-31', amount: 80_000 });
    s.promise({ client: globex, at: '2026-04-05T10:00:00+02:00', date: '2026-04-10', invoices: [g2] });
    s.invoice({ client: globex, number: 'G-3', issue: '2026-02-01', due: '2026-03-10', amount: 500 });
    s.invoice({ client: martin, number: 'M-1', issue: '2026-02-20', due: '2026-03-22', amount: 15_000 });
    s.invoice({ client: martin, number: 'M-2', issue: '2026-03-21', due: '2026-04-20', amount: 9_000 });
  });
  for (const day of days('2026-03-01', '2026-04-29')) {
    const before = smtp.messages.length;
    const r = await sb.runAsync(['remind', '--due', '--as-of', day]);
    outputs.set(day, r);
    for (const m of smtp.messages.slice(before)) received.push({ date: day, to: m.to[0]!, level: Number(m.level), subject: m.subject, messageId: m.messageId, raw: m.raw });
  }
}, 600_000);

afterAll(async () => {
  await smtp?.close();
  sb?.cleanup();
});

describe('remind --due replayed over 60 days', () => {
  it('every run succeeds', () => {
    for (const [day, r] of outputs) expect({ day, code: r.code, stderr: r.stderr }).toEqual({ day, code: 0, stderr: '' });
  });

  it('records exactly the expected levels on the expected days', () => {
    const rows = query<{ number: string; date: string; level: number }>(sb.ledger, 'SELECT d.number, r.date, r.level FROM reminders r JOIN documents d ON d.id = r.document_id ORDER BY d.number, r.date');
    const got: Record<string, [string, number][]> = {};
    for (const n of Object.keys(EXPECTED)) got[n] = [];
    for (const r of rows) got[r.number]!.push([r.date, r.level]);
    expect(got).toEqual(EXPECTED);
  });

  it('sends exactly the expected emails, one per client per run, over one SMTP connection per run', () => {
    const code = (to: string) => ({ 'compta@acme.example': 'ACME', 'compta@globex.example': 'GLOBEX', 'compta@martin.example': 'MARTIN' })[to] ?? to;
    const got = received.map((m) => [m.date, code(m.to), m.level] as [string, string, number]);
    const sort = (a: [string, string, number][]) => [...a].sort((x, y) => (x[0] + x[1]).localeCompare(y[0] + y[1]));
    expect(sort(got)).toEqual(sort(EMAILS));
    const perClientDay = new Set(got.map(([d, c]) => `${d}/${c}`));
    expect(perClientDay.size).toBe(got.length);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
    // Runs that sent something opened one connection each.
    expect(smtp.connections).toBe(new Set(received.map((m) => m.date)).size);
  });

  it('lists every overdue invoice of the client in its message, and nothing paid, disputed or promised', () => {
    const on = (date: string, to: string) => received.find((m) => m.date === date && m.to === to)!.raw;
    // 03-12: one message for A-1 and A-3 (same due date), level 1.
    expect(on('2026-03-12', 'compta@acme.example')).toMatch(/A-1[\s\S]*A-3/);
    // 03-20: A-3 was paid on 03-15: not listed any more.
    const l2 = on('2026-03-20', 'compta@acme.example');
    expect(l2).toContain('A-1');
    expect(l2).toContain('A-2');
    expect(l2).not.toContain('A-3');
    // 03-28: G-1 is disputed: the courtesy reminder of G-2 does not list it.
    const g = on('2026-03-28', 'compta@globex.example');
    expect(g).toContain('G-2');
    expect(g).not.toContain('G-1');
    // 04-10: G-2 is under a promise to pay: not listed.
    expect(on('2026-04-10', 'compta@globex.example')).not.toContain('G-2');
  });

  it('writes the registered letters and the handover file, and stops automatic messages after the handover', () => {
    const letters = query<{ as_of: string; code: string; file_path: string; status: string }>(
      sb.ledger,
      "SELECT m.as_of, c.code, m.file_path, m.status FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.channel = 'letter' ORDER BY m.as_of",
    );
    expect(letters.map((l) => [l.as_of, l.code, l.status])).toEqual([
      ['2026-04-04', 'ACME', 'written'],
      ['2026-04-20', 'GLOBEX', 'written'],
      ['2026-04-23', 'MARTIN', 'written'],
    ]);
    for (const l of letters) {
      expect(fs.existsSync(l.file_path)).toBe(true);
      expect(path.basename(l.file_path)).toMatch(new RegExp(`^${l.as_of}-${l.code}-3-formal-notice`));
    }
    const handover = query<{ file_path: string; status: string }>(sb.ledger, "SELECT file_path, status FROM messages WHERE channel = 'handover'");
    expect(handover).toHaveLength(1);
    expect(handover[0]!.status).toBe('written');
    expect(fs.existsSync(path.join(handover[0]!.file_path, 'dossier.pdf'))).toBe(true);
    expect(query<{ stop_work: number }>(sb.ledger, "SELECT stop_work FROM clients WHERE code = 'ACME'")[0]!.stop_work).toBe(1);
    expect(outputs.get('2026-04-19')!.stdout).toContain('handed over for collection: 1');
    expect(outputs.get('2026-04-04')!.stdout).toMatch(/letters to post: 1\n\s+\S+2026-04-04-ACME-3-formal-notice\.pdf \(lettre recommandée/);
  });

  it('asks for a call with each level-2 reminder', () => {
    const calls = query<{ as_of: string; code: string }>(sb.ledger, "SELECT m.as_of, c.code FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.channel = 'call' ORDER BY m.as_of, c.code");
    expect(calls.map((c) => [c.as_of, c.code])).toEqual([
      ['2026-03-20', 'ACME'],
      ['2026-04-10', 'GLOBEX'],
      ['2026-04-13', 'MARTIN'],
      ['2026-04-17', 'GLOBEX'],
    ]);
    expect(outputs.get('2026-03-20')!.stdout).toMatch(/calls to make: 1\n\s+ACME \(ACME SAS\) 01 02 03 04 05: level 2/);
  });

  it('writes English for an English client and French otherwise, with Reply-To the business', () => {
    const g = received.find((m) => m.to === 'compta@globex.example' && m.level === 1)!;
    expect(g.subject).toContain('reminder');
    const a = received.find((m) => m.to === 'compta@acme.example' && m.level === 1)!;
    expect(a.subject).toContain('relance');
    expect(a.raw).toMatch(/^Reply-To: compta@dupont\.example/m);
    expect(a.raw).toMatch(/Content-Type: text\/plain/);
    expect(a.raw).toMatch(/Content-Type: text\/html/);
  });
});
