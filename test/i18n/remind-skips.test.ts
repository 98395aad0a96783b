/**
 * The skip details of `remind --due --dry-run` in both languages, end to end with bin/relance: kept
 * as catalogue keys by the planner, written in French on a French terminal (no English catalogue
 * phrase left), in English on an English one, and English and identical in --json (skipped[].detail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { seed } from '../e2e/remind-fixtures.js';

const AS_OF = '2026-03-20';
const FR = { env: { LANG: 'fr_FR.UTF-8', RELANCE_NOW: '2026-03-20T15:00:00Z' } };
const EN = { env: { LANG: 'en_US.UTF-8', RELANCE_NOW: '2026-03-20T15:00:00Z' } };
let sb: Sandbox;

beforeAll(() => {
  sb = sandbox('relance-i18n-skips-');
  expect(sb.init().code).toBe(0);
  seed(sb.ledger, (s) => {
    const paused = s.client('PAUSE', { pausedUntil: '2026-04-30' });
    s.invoice({ client: paused, number: 'F-2026-0001', issue: '2026-01-10', due: '2026-02-09', amount: 50000 });
    const disputed = s.client('LITIGE');
    s.dispute(s.invoice({ client: disputed, number: 'F-2026-0002', issue: '2026-01-10', due: '2026-02-09', amount: 60000 }), '2026-02-15', null);
    const promised = s.client('PROMIS');
    const f3 = s.invoice({ client: promised, number: 'F-2026-0003', issue: '2026-01-10', due: '2026-02-09', amount: 70000 });
    s.promise({ client: promised, at: '2026-03-18T10:00:00+01:00', date: '2026-03-25', invoices: [f3] });
  });
});

afterAll(() => sb?.cleanup());

describe('remind --due --dry-run skip details', () => {
  it('are French on a French terminal, English on an English one, and the same English in --json', () => {
    const fr = sb.run(['remind', '--due', '--as-of', AS_OF, '--dry-run'], FR);
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toMatch(/F-2026-0001 .*les relances de ce client sont suspendues jusqu'au 2026-04-30/);
    expect(fr.stdout).toMatch(/F-2026-0002 .*le client conteste cette facture ; les relances reprennent quand elle n'est plus marquée contestée/);
    expect(fr.stdout).toMatch(/F-2026-0003 .*promesse de paiement au plus tard le 2026-03-25 \(délai de grâce \d+ jours\)/);
    expect(englishLeft(fr.stdout + fr.stderr)).toEqual([]);

    const en = sb.run(['remind', '--due', '--as-of', AS_OF, '--dry-run'], EN);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/F-2026-0001 .*reminders to this client are paused until 2026-04-30/);
    expect(en.stdout).toMatch(/F-2026-0002 .*the client disputes this invoice; reminders resume once it is marked undisputed/);
    expect(en.stdout).toMatch(/F-2026-0003 .*promise to pay by 2026-03-25 \(grace \d+ days\)/);

    const jsonFr = sb.run(['--json', 'remind', '--due', '--as-of', AS_OF, '--dry-run'], FR);
    const jsonEn = sb.run(['--json', 'remind', '--due', '--as-of', AS_OF, '--dry-run'], EN);
    expect(jsonFr.stdout).toBe(jsonEn.stdout);
    const skipped = JSON.parse(jsonEn.stdout).skipped as { invoice: string; reason: string; detail: string }[];
    expect(skipped.map((s) => [s.invoice, s.reason, s.detail]).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ['F-2026-0001', 'paused', 'reminders to this client are paused until 2026-04-30'],
      ['F-2026-0002', 'disputed', 'the client disputes this invoice; reminders resume once it is marked undisputed'],
      ['F-2026-0003', 'promise', expect.stringMatching(/^promise to pay by 2026-03-25 \(grace \d+ days\)$/)],
    ]);
  });
});
