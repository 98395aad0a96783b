/**
 * One continuous invoice sequence: deposits, finals, standard invoices and credit notes share it,
 * a refused issue takes no number, and processes issuing at the same time never get the same one.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox('relance-numbers-');
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
  expect(sb.run(['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--po-required']).code).toBe(0);
});
afterEach(() => sb.cleanup());

const ok = (args: string[]) => expectOk(sb, args);
const json = (args: string[]) => JSON.parse(ok([...args, '--json']).stdout);

function issuedNumbers(): { number: string; seq: number; kind: string }[] {
  const db = new Database(sb.ledger, { readonly: true });
  const rows = db.prepare("SELECT number, seq, kind FROM documents WHERE kind <> 'quote' AND number IS NOT NULL ORDER BY seq").all() as any[];
  db.close();
  return rows;
}

describe('invoice numbers', () => {
  it('have no gaps across deposits, finals, standard invoices and credit notes, even after refusals', () => {
    ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-02']);
    ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'A. Client', '--date', '2026-01-03']);
    ok(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-01-04']); // F-0001
    const std = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 200 | 20']);
    ok(['invoice', 'issue', std.ref, '--date', '2026-01-05']); // F-0002
    // Refused: GLOBEX needs a PO number; no number is used up.
    const g = json(['invoice', 'new', 'GLOBEX', '--line', 'Audit | 1 | 300 | 20']);
    expect(sb.run(['invoice', 'issue', g.ref, '--date', '2026-01-06']).code).toBe(2);
    // Refused: a date before the last invoice.
    expect(sb.run(['invoice', 'edit', g.ref, '--po', 'PO-9']).code).toBe(0);
    expect(sb.run(['invoice', 'issue', g.ref, '--date', '2026-01-01']).code).toBe(2);
    ok(['invoice', 'issue', g.ref, '--date', '2026-01-06']); // F-0003
    ok(['invoice', 'cancel', 'F-2026-0002', '--date', '2026-01-07']); // F-0004, credit note
    // A draft that is deleted never had a number.
    const gone = json(['invoice', 'new', 'ACME', '--line', 'X | 1 | 1 | 20']);
    ok(['invoice', 'delete', gone.ref]);
    const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-01-08']);
    ok(['invoice', 'issue', fin.ref, '--date', '2026-01-08']); // F-0005, final
    const rows = issuedNumbers();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => `${r.number} ${r.kind}`)).toEqual([
      'F-2026-0001 deposit',
      'F-2026-0002 invoice',
      'F-2026-0003 invoice',
      'F-2026-0004 credit_note',
      'F-2026-0005 final',
    ]);
  });

  it('follow the configured pattern, and keep counting across years', () => {
    ok(['ledger', 'set', 'invoice.pattern', 'FA{YY}{MM}-{seq:3}']);
    for (const date of ['2026-12-30', '2027-01-02']) {
      const d = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20']);
      ok(['invoice', 'issue', d.ref, '--date', date]);
    }
    expect(issuedNumbers().map((r) => r.number)).toEqual(['FA2612-001', 'FA2701-002']);
  });

  it('are never given twice when several processes issue at once', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 6; i++) refs.push(json(['invoice', 'new', 'ACME', '--line', `Audit ${i} | 1 | 100 | 20`]).ref);
    const results = await Promise.all(refs.map((ref) => sb.runAsync(['invoice', 'issue', ref, '--date', '2026-02-01', '--json'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const numbers = results.map((r) => JSON.parse(r.stdout).number as string);
    expect(new Set(numbers).size).toBe(6);
    expect([...numbers].sort()).toEqual(['F-2026-0001', 'F-2026-0002', 'F-2026-0003', 'F-2026-0004', 'F-2026-0005', 'F-2026-0006']);
    expect(issuedNumbers().map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('issuing the same draft twice at once gives it one number, and the other run is refused', async () => {
    const d = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20']);
    const [a, b] = await Promise.all([sb.runAsync(['invoice', 'issue', d.ref, '--date', '2026-02-01']), sb.runAsync(['invoice', 'issue', d.ref, '--date', '2026-02-01'])]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    expect((a.code === 2 ? a : b).stderr).toMatch(/already issued/);
    expect(issuedNumbers()).toHaveLength(1);
  });

  it('quotes have their own sequence', () => {
    ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-02']);
    const d = json(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20']);
    ok(['invoice', 'issue', d.ref, '--date', '2026-01-03']);
    ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-04']);
    expect(json(['quote', 'list']).map((q: any) => q.number)).toEqual(['D-2026-0001', 'D-2026-0002']);
    expect(issuedNumbers().map((r) => r.number)).toEqual(['F-2026-0001']);
  });
});
