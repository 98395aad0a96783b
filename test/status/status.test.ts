/**
 * Issue 16 §2, platform statuses: `invoice status NUMBER STATUS` records the reform's lifecycle
 * statuses with their codes (French names too); rejected/refused/disputed/suspended pause dunning
 * like `invoice dispute`, a later status resumes it; 'cashed' is recorded when a services invoice is
 * paid in full, not for goods; `invoice show` and `--json` give the history; bad input exits 2 with
 * the ledger unchanged.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
const ok = (args: string[]) => {
  const r = sb.run(args);
  expect(r.stderr + r.stdout, args.join(' ')).toBeTruthy();
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

function issue(client: string, asOf: string, extra: string[] = []): string {
  ok(['invoice', 'new', client, '--line', 'Mission | 1 | 1000 | 20', '--as-of', asOf, ...extra]);
  const drafts = JSON.parse(ok(['invoice', 'list', '--status', 'draft', '--json']).stdout) as { ref: string }[];
  const r = ok(['invoice', 'issue', drafts[0]!.ref, '--as-of', asOf, '--json']);
  return (JSON.parse(r.stdout) as { number: string }).number;
}

interface Plan {
  messages: { client: string; invoices: string[]; status: string }[];
  skipped: { invoice: string; reason: string; detail: string }[];
}
const planned = (asOf: string): string[] => {
  const p = JSON.parse(ok(['remind', '--due', '--dry-run', '--as-of', asOf, '--json']).stdout) as Plan;
  return p.messages.filter((m) => m.status === 'planned').flatMap((m) => m.invoices).sort();
};
const show = (n: string) => JSON.parse(ok(['invoice', 'show', n, '--json']).stdout);

let a: string; // refused then approved
let b: string; // services, paid in full
let c: string; // goods, paid in full
let d: string; // untouched
beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example', '--siren', '552100554']);
  a = issue('ACME', '2026-01-05');
  b = issue('ACME', '2026-01-06', ['--operation', 'services']);
  c = issue('ACME', '2026-01-07', ['--operation', 'goods']);
  d = issue('ACME', '2026-01-08');
});
afterAll(() => sb.cleanup());

describe('invoice status', () => {
  it('records a status with its code, in English or French, and shows the history', () => {
    const dep = JSON.parse(ok(['invoice', 'status', a, 'Déposée', '--date', '2026-01-05', '--json']).stdout);
    expect(dep).toMatchObject({ number: a, status: 'deposited', code: 200, date: '2026-01-05', dunning: null });
    const human = ok(['invoice', 'status', a, 'paiement transmis', '--date', '2026-01-06']);
    expect(human.stderr + human.stdout).toContain(`${a}: payment-sent (211) on 2026-01-06`);
    const j = show(a);
    expect(j.platformStatuses.map((s: { status: string; code: number }) => [s.status, s.code])).toEqual([
      ['deposited', 200],
      ['payment-sent', 211],
    ]);
    expect(j.platformStatus.status).toBe('payment-sent');
    const text = ok(['invoice', 'show', a]).stdout;
    expect(text).toContain('Platform statuses');
    expect(text).toMatch(/2026-01-05.*deposited.*200/);
  });

  it('refused pauses reminders as a dispute does, with the reason; approved resumes them from its date', () => {
    expect(planned('2026-02-20')).toContain(a);
    const r = JSON.parse(ok(['invoice', 'status', a, 'refusée', '--date', '2026-02-10', '--reason', 'Bon de commande manquant', '--json']).stdout);
    expect(r).toMatchObject({ status: 'refused', code: 210, dunning: 'paused', reason: 'Bon de commande manquant' });
    expect(show(a).disputed).toEqual({ since: '2026-02-10', reason: 'Bon de commande manquant', until: null });
    const p = JSON.parse(ok(['remind', '--due', '--dry-run', '--as-of', '2026-02-20', '--json']).stdout) as Plan;
    expect(p.messages.flatMap((m) => m.invoices)).not.toContain(a);
    expect(p.skipped.find((s) => s.invoice === a)?.reason).toBe('disputed');
    expect(planned('2026-02-20')).toContain(d);
    const ap = JSON.parse(ok(['invoice', 'status', a, 'approved', '--date', '2026-02-25', '--json']).stdout);
    expect(ap.dunning).toBe('resumed');
    expect(show(a).disputed).toBeNull();
    expect(planned('2026-03-01')).toContain(a);
    // as of a day inside the pause, it is still skipped (the pause ended the day before approval)
    expect(planned('2026-02-20')).not.toContain(a);
  });

  it('rejected, disputed and suspended pause too (code 213, 207, 208)', () => {
    for (const [s, code] of [['rejected', 213], ['en litige', 207], ['suspendue', 208]] as const) {
      const r = JSON.parse(ok(['invoice', 'status', d, s, '--date', '2026-02-12', '--json']).stdout);
      expect(r.code).toBe(code);
      expect(r.dunning).toBe('paused');
      expect(planned('2026-02-20')).not.toContain(d);
    }
    ok(['invoice', 'status', d, 'deposited', '--date', '2026-02-15']);
    expect(planned('2026-02-20')).toContain(d);
  });

  it('cashed is recorded when a services invoice is paid in full, not on a part payment, not for goods', () => {
    ok(['pay', b, '300', '--date', '2026-02-01']);
    expect(show(b).platformStatuses).toEqual([]);
    ok(['pay', b, '--date', '2026-02-03']);
    const hist = show(b).platformStatuses;
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ status: 'cashed', code: 212, date: '2026-02-03', source: 'payment' });
    ok(['pay', c, '--date', '2026-02-03']);
    expect(show(c).platformStatuses).toEqual([]);
    // by hand it can still be given (goods sellers may report it too)
    expect(JSON.parse(ok(['invoice', 'status', c, 'encaissée', '--date', '2026-02-04', '--json']).stdout)).toMatchObject({ status: 'cashed', code: 212, source: 'manual' });
  });

  it('bad input: unknown status, a date before issue, a draft, an unknown number: exit 2, one line, nothing written', () => {
    ok(['invoice', 'new', 'ACME', '--line', 'Draft | 1 | 10 | 20', '--as-of', '2026-03-01']);
    const draft = (JSON.parse(ok(['invoice', 'list', '--status', 'draft', '--json']).stdout) as { ref: string }[])[0]!.ref;
    const before = sb.snapshot();
    const cases: [string[], RegExp][] = [
      [['invoice', 'status', a, 'paid-maybe'], /unknown status "paid-maybe"; give one of deposited/],
      [['invoice', 'status', a, 'approved', '--date', '2025-12-31'], /before .* was issued \(2026-01-05\)/],
      [['invoice', 'status', draft, 'deposited'], /is a draft; issue it first/],
      [['invoice', 'status', 'F-1999-0001', 'deposited'], /unknown invoice/],
      [['invoice', 'status', a, 'refused', '--reason', '  '], /--reason is empty/],
    ];
    for (const [args, msg] of cases) {
      const r = sb.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    expect(sb.snapshot()).toBe(before);
  });

  it('keeps each status as a row with its code in the ledger', () => {
    const db = new Database(sb.ledger, { readonly: true });
    const rows = db.prepare(`SELECT d.number, s.status, s.code, s.source FROM invoice_statuses s JOIN documents d ON d.id = s.document_id WHERE d.number = ? ORDER BY s.date, s.id`).all(b);
    db.close();
    expect(rows).toEqual([{ number: b, status: 'cashed', code: 212, source: 'payment' }]);
  });
});
