/**
 * Issue 14 §3, end to end: the ledger's time zone, not the server's. The clock is injected with
 * RELANCE_NOW at 23:30 UTC on 1 March 2026 (00:30 on 2 March in Paris), and every run is made under
 * TZ=UTC and under TZ=America/Los_Angeles (still the afternoon of 1 March there): "today", issue
 * dates, payment dates, reminder dates, stored instants and times typed in call-log --at follow the
 * ledger's zone (Europe/Paris by default, then another one set with `ledger set timezone`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { query } from './remind-fixtures.js';

const NOW = '2026-03-01T23:30:00Z';

describe.each(['UTC', 'America/Los_Angeles'])('under TZ=%s at 23:30 UTC on 1 March', (TZ) => {
  let sb: Sandbox;
  const env = { TZ, RELANCE_NOW: NOW };
  const run = (args: string[]): RunResult => sb.run(args, { env });
  const ok = (args: string[]): RunResult => {
    const r = run(args);
    expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    return r;
  };
  const json = (args: string[]) => JSON.parse(ok(['--json', ...args]).stdout);

  beforeAll(() => {
    sb = sandbox('relance-tz-');
    expect(sb.init().code).toBe(0);
  });
  afterAll(() => sb?.cleanup());

  it('the ledger says Europe/Paris unless told otherwise', () => {
    expect(ok(['ledger', 'show']).stdout).toMatch(/timezone\s+│\s+Europe\/Paris\s/);
  });

  it('"today" is 2 March, the day in Paris: the dry run, an issued invoice, a payment, a reminder', () => {
    expect(ok(['remind', '--due', '--dry-run']).stdout).toMatch(/^Dry run as of 2026-03-02:/);
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'compta@acme.example', '--address', '1 rue de la Paix;75002 Paris', '--siren', '552100554']);
    const draft = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20', '--terms', '0', '--operation', 'services']); // every mention known: issue warns of none
    const issued = json(['invoice', 'issue', draft.ref]);
    expect(issued).toMatchObject({ number: 'F-2026-0001', issueDate: '2026-03-02', dueDate: '2026-03-02' });
    ok(['pay', 'F-2026-0001', '10']);
    expect(query<{ date: string }>(sb.ledger, 'SELECT date FROM payments')).toEqual([{ date: '2026-03-02' }]);
    // The invoice is due today (2 March): a courtesy reminder goes out today, dated 2 March.
    ok(['remind', '--due']);
    expect(query<{ as_of: string; level: number; created_at: string }>(sb.ledger, "SELECT as_of, level, created_at FROM messages WHERE channel = 'email'")).toEqual([
      { as_of: '2026-03-02', level: 0, created_at: '2026-03-02T00:30:00+01:00' },
    ]);
    expect(query<{ date: string }>(sb.ledger, 'SELECT date FROM reminders')).toEqual([{ date: '2026-03-02' }]);
  });

  it('stored instants carry the Paris offset: a client created now, a call logged now', () => {
    expect(query<{ created_at: string }>(sb.ledger, "SELECT created_at FROM clients WHERE code = 'ACME'")).toEqual([{ created_at: '2026-03-02T00:30:00+01:00' }]);
    const c = json(['call-log', 'add', 'ACME', '--outcome', 'left a message']);
    expect(c.at).toBe('2026-03-02T00:30:00+01:00');
  });

  it('a time typed in call-log --at is Paris time, with its summer or winter offset', () => {
    expect(json(['call-log', 'add', 'ACME', '--outcome', 'will pay', '--at', '2026-03-02 14:30']).at).toBe('2026-03-02T14:30:00+01:00');
    expect(json(['call-log', 'add', 'ACME', '--outcome', 'paid', '--at', '2026-07-14 09:00']).at).toBe('2026-07-14T09:00:00+02:00');
    // An explicit offset is kept as typed.
    expect(json(['call-log', 'add', 'ACME', '--outcome', 'from NY', '--at', '2026-03-02T08:00-05:00']).at).toBe('2026-03-02T08:00:00-05:00');
  });

  it('another zone set on the ledger moves "today" and typed times with it; an unknown zone is refused', () => {
    const before = sb.snapshot();
    const bad = run(['ledger', 'set', 'timezone', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('relance: timezone: cannot use "Mars/Olympus": an IANA time zone such as Europe/Paris, Europe/Brussels or America/Martinique\n');
    expect(sb.snapshot()).toBe(before);

    ok(['ledger', 'set', 'timezone', 'america/martinique']);
    expect(ok(['ledger', 'show']).stdout).toMatch(/timezone\s+│\s+America\/Martinique\s/);
    // 23:30 UTC is 19:30 on 1 March in Martinique (UTC-4, no summer time).
    expect(ok(['remind', '--due', '--dry-run']).stdout).toMatch(/^Dry run as of 2026-03-01:/);
    expect(json(['call-log', 'add', 'ACME', '--outcome', 'called back']).at).toBe('2026-03-01T19:30:00-04:00');
    expect(json(['call-log', 'add', 'ACME', '--outcome', 'again', '--at', '2026-03-02 14:30']).at).toBe('2026-03-02T14:30:00-04:00');
    ok(['ledger', 'set', 'timezone', 'Europe/Paris']);
  });

  it('RELANCE_NOW that is not an instant is refused with the fix', () => {
    const r = sb.run(['remind', '--due', '--dry-run'], { env: { TZ, RELANCE_NOW: '2026-03-01 23:30' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: RELANCE_NOW: "2026-03-01 23:30" is not an instant; write it as 2026-03-01T23:30:00Z/);
  });
});
