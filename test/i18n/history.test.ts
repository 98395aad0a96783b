/**
 * client show --history in both languages, end to end with bin/relance: the event column (kinds) and
 * the ref column (payment, message and contact numbers) are in the interface's language, the JSON's
 * kind and ref stay the English keywords, identical in both runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { seed } from '../e2e/call-log-seed.js';

const FR = { env: { LANG: 'fr_FR.UTF-8' } };
const EN = { env: { LANG: 'en_US.UTF-8' } };
let sb: Sandbox;

beforeAll(() => {
  sb = sandbox('relance-i18n-history-');
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
  const s = seed(sb.ledger);
  s.quote({ client: 'ACME', number: 'D-2026-0001', date: '2026-01-05', amount: 180000, acceptedOn: '2026-01-08' });
  const a = s.invoice({ client: 'ACME', number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 120000 });
  s.message({ client: 'ACME', level: 1, channel: 'email', asOf: '2026-02-26', invoices: [a], subject: 'Relance' });
  s.message({ client: 'ACME', level: 2, channel: 'email', asOf: '2026-03-20', status: 'failed', invoices: [a], subject: 'Relance 2' });
  s.payment({ client: 'ACME', date: '2026-03-05', amount: 60000, allocations: [[a, 60000]] });
  s.close();
  expect(sb.run(['call-log', 'add', 'ACME', '--channel', 'call', '--at', '2026-03-02 09:15', '--outcome', 'ok']).code).toBe(0);
});

afterAll(() => sb?.cleanup());

/** A table row with its borders taken out. */
const row = (out: string, date: string) => (out.split('\n').find((l) => l.includes(date)) ?? '').replace(/│/g, ' ');

describe('client show --history', () => {
  it('names the events and refs in French on a French terminal', () => {
    const r = sb.run(['client', 'show', 'ACME', '--history'], FR);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/│/g, ' ')).toMatch(/date\s+heure\s+événement\s+réf\.\s+quoi\s+montant/);
    expect(row(r.stdout, '2026-01-05')).toMatch(/devis\s+D-2026-0001/);
    expect(row(r.stdout, '2026-01-08')).toMatch(/devis accepté\s+D-2026-0001/);
    expect(row(r.stdout, '2026-01-10')).toMatch(/facture\s+F-2026-0001/);
    expect(row(r.stdout, '2026-02-26')).toMatch(/relance\s+message n° \d+/);
    expect(row(r.stdout, '2026-03-02')).toMatch(/09:15\s+contact\s+contact n° 1\s+appel : ok/);
    expect(row(r.stdout, '2026-03-05')).toMatch(/encaissement\s+paiement n° \d+\s+paiement par virement/);
    expect(row(r.stdout, '2026-03-20')).toMatch(/\[échec de l’envoi\]/);
    expect(r.stdout).not.toMatch(/#\d|quote-accepted|payment|reminder/);
    expect(englishLeft(r.stdout + r.stderr)).toEqual([]);
  });

  it('names them in English on an English terminal, and --json keeps the English keywords in both', () => {
    const r = sb.run(['client', 'show', 'ACME', '--history'], EN);
    expect(r.code, r.stderr).toBe(0);
    expect(row(r.stdout, '2026-01-08')).toMatch(/quote-accepted\s+D-2026-0001/);
    expect(row(r.stdout, '2026-02-26')).toMatch(/reminder\s+message #\d+/);
    expect(row(r.stdout, '2026-03-02')).toMatch(/contact\s+contact #1\s+call: ok/);
    expect(row(r.stdout, '2026-03-05')).toMatch(/payment\s+payment #\d+/);
    expect(row(r.stdout, '2026-03-20')).toMatch(/\[failed\]/);
    const fr = sb.run(['client', 'show', 'ACME', '--history', '--json'], FR);
    const en = sb.run(['client', 'show', 'ACME', '--history', '--json'], EN);
    expect(fr.stdout).toBe(en.stdout);
    const events = JSON.parse(en.stdout).events as { kind: string; ref: string }[];
    expect(events.map((e) => [e.kind, e.ref.replace(/#\d+$/, '#N')])).toEqual([
      ['quote', 'D-2026-0001'],
      ['quote-accepted', 'D-2026-0001'],
      ['invoice', 'F-2026-0001'],
      ['reminder', 'message #N'],
      ['contact', 'contact #N'],
      ['payment', 'payment #N'],
      ['reminder', 'message #N'],
    ]);
  });
});
