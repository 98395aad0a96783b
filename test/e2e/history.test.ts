/**
 * client show CODE --history: a scenario client's quotes, invoices, payments, reminders, calls and
 * letters, every event once and in date order; nothing of another client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './call-log-seed.js';

let sb: Sandbox;
let letter: number;
beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
  expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex']).code).toBe(0);
  const s = seed(sb.ledger);
  s.quote({ client: 'ACME', number: 'D-2026-0001', date: '2026-01-05', amount: 180000, acceptedOn: '2026-01-08', acceptedBy: 'M. Martin' });
  const a = s.invoice({ client: 'ACME', number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 120000 });
  const b = s.invoice({ client: 'ACME', number: 'F-2026-0002', issue: '2026-01-20', due: '2026-02-19', amount: 60000 });
  s.invoice({ client: 'GLOBEX', number: 'F-2026-0003', issue: '2026-01-25', due: '2026-02-24', amount: 30000 });
  s.payment({ client: 'GLOBEX', date: '2026-02-01', amount: 30000 });
  // one reminder email carrying both invoices: one event, not two
  s.message({ client: 'ACME', level: 1, channel: 'email', asOf: '2026-02-26', invoices: [a, b], subject: 'Relance' });
  s.payment({ client: 'ACME', date: '2026-03-05', amount: 60000, allocations: [[b, 60000]], reference: 'VIR 123' });
  letter = s.message({ client: 'ACME', level: 3, channel: 'letter', asOf: '2026-03-11', invoices: [a] });
  s.close();
  expect(sb.run(['call-log', 'add', 'ACME', '--invoice', 'F-2026-0001', '--at', '2026-03-02 14:30', '--with', 'AP desk', '--outcome', 'will pay on the 10th', '--promise', '2026-03-10']).code).toBe(0);
  expect(sb.run(['call-log', 'add', 'ACME', '--at', '2026-03-02 09:15', '--outcome', 'no answer']).code).toBe(0);
  // an edit: the history shows the current version once
  expect(sb.run(['call-log', 'edit', '1', '--outcome', 'will pay on the 10th, confirmed by email']).code).toBe(0);
  expect(sb.run(['todo', 'posted', String(letter), '--at', '2026-03-12 10:00']).code).toBe(0);
  expect(sb.run(['call-log', 'add', 'GLOBEX', '--at', '2026-03-03 10:00', '--outcome', 'not ACME']).code).toBe(0);
});
afterAll(() => sb.cleanup());

describe('client show --history', () => {
  it('lists every event of the client once, in date order', () => {
    const r = sb.run(['client', 'show', 'ACME', '--history', '--json']);
    expect(r.code).toBe(0);
    const h = JSON.parse(r.stdout);
    expect(h.client).toBe('ACME');
    const rows = h.events.map((e: { date: string; time: string | null; kind: string; ref: string }) => [e.date, e.time, e.kind, e.ref]);
    expect(rows).toEqual([
      ['2026-01-05', null, 'quote', 'D-2026-0001'],
      ['2026-01-08', null, 'quote-accepted', 'D-2026-0001'],
      ['2026-01-10', null, 'invoice', 'F-2026-0001'],
      ['2026-01-20', null, 'invoice', 'F-2026-0002'],
      ['2026-02-26', null, 'reminder', expect.stringMatching(/^message #\d+$/)],
      ['2026-03-02', '09:15', 'contact', 'contact #2'],
      ['2026-03-02', '14:30', 'contact', 'contact #3'],
      ['2026-03-05', null, 'payment', expect.stringMatching(/^payment #\d+$/)],
      ['2026-03-11', null, 'letter', `message #${letter}`],
      ['2026-03-12', '10:00', 'letter-posted', 'contact #4'],
    ]);
    const byRef = Object.fromEntries(h.events.map((e: { ref: string; summary: string; documents: string[]; amount: string | null }) => [e.ref, e]));
    expect(byRef['contact #3'].summary).toContain('will pay on the 10th, confirmed by email');
    expect(byRef['contact #3'].summary).toContain('(edited)');
    expect(h.events.find((e: { kind: string }) => e.kind === 'reminder').documents).toEqual(['F-2026-0001', 'F-2026-0002']);
    expect(h.events.find((e: { kind: string }) => e.kind === 'payment')).toMatchObject({ amount: '600.00', documents: ['F-2026-0002'] });
    expect(JSON.stringify(h)).not.toContain('GLOBEX');
    expect(JSON.stringify(h)).not.toContain('F-2026-0003');
  });

  it('prints a table for people', () => {
    const r = sb.run(['client', 'show', 'ACME', '--history']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^│ \d{4}-/.test(l));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('quote D-2026-0001');
    expect(r.stdout).toContain('€1,800.00'); // the terminal's money follows the interface (English here)
    const fr = sb.run(['client', 'show', 'ACME', '--history'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(fr.stdout).toMatch(/1\s800,00\s€/);
    expect(fr.stdout).toContain('devis D-2026-0001 accepté par M. Martin');
    expect(fr.stdout).toContain('paiement par virement (VIR 123) pour F-2026-0002');
    expect(fr.stdout).toContain('promesse de paiement pour le 2026-03-10');
    // --json keeps its English summaries whatever the language (scripts read them)
    const json = (env: Record<string, string>) => sb.run(['client', 'show', 'ACME', '--history', '--json'], { env }).stdout;
    expect(json({ LANG: 'fr_FR.UTF-8' })).toBe(json({ LANG: 'en_US.UTF-8' }));
    expect(r.stdout).toContain('level 1 reminder email "Relance" for F-2026-0001, F-2026-0002');
  });

  it('exits 2 for an unknown client', () => {
    const r = sb.run(['client', 'show', 'NOPE', '--history']);
    expect(r.code).toBe(2);
  });
});
