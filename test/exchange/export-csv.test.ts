/** export csv invoices|payments|clients|reminders: spreadsheet-safe (BOM, quoting, formulas neutralised), --from/--to, --out. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
const ok = (args: string[]) => {
  const r = sb.run(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')} -> ${r.code}\n${r.stderr}`);
  return r;
};

beforeAll(() => {
  sb = sandbox('relance-csv-');
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'EVIL', '--name', '=HYPERLINK("http://evil.example","clic")', '--email', 'x@evil.example', '--address', '1, rue "des Lilas";Lyon']);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
  for (const [client, date] of [['EVIL', '2026-01-10'], ['ACME', '2026-02-10'], ['ACME', '2026-03-10']]) {
    const d = JSON.parse(ok(['invoice', 'new', client!, '--line', 'Audit | 1 | 100 | 20', '--json']).stdout);
    ok(['invoice', 'issue', d.ref, '--date', date!]);
  }
  ok(['pay', 'F-2026-0001', '50', '--date', '2026-01-20', '--ref', '@virement']);
}, 60_000);
afterAll(() => sb.cleanup());

describe('export csv', () => {
  it('neutralises formulas, quotes separators and starts with a BOM', () => {
    const r = ok(['export', 'csv', 'clients']);
    expect(r.stdout.startsWith('\uFEFFcode,name,email,')).toBe(true);
    expect(r.stdout).toContain(`EVIL,"'=HYPERLINK(""http://evil.example"",""clic"")",x@evil.example`);
    expect(r.stdout).toContain('"1, rue ""des Lilas""\nLyon"');
    expect(r.stdout.split('\r\n')[0]).toBe('\uFEFFcode,name,email,phone,address,billing_address,delivery_address,contact,siren,vat_number,lang,kind,terms_days,terms_kind,po_required,billing_note,paused_until,stop_work,notes,created_at');
  }, 60_000);

  it('filters invoices by issue date and keeps amounts as numbers', () => {
    const file = path.join(sb.dir, 'factures.csv');
    ok(['export', 'csv', 'invoices', '--from', '2026-02-01', '--to', '2026-02-28', '--out', file, '--separator', 'semicolon']);
    const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('number;kind;client;issue_date;due_date;currency;net;vat;gross;deposits_deducted;amount_due;paid;credited;balance;status;cancels;po_number;imported');
    expect(lines.slice(1, -1)).toEqual(['F-2026-0002;invoice;ACME;2026-02-10;2026-03-12;EUR;100.00;20.00;120.00;0.00;120.00;0.00;0.00;120.00;open;;;false']);
  }, 60_000);

  it('lists payments with their allocations, and refuses an unknown table', () => {
    const r = ok(['export', 'csv', 'payments']);
    expect(r.stdout.split('\r\n')[1]).toMatch(/^1,2026-01-20,EVIL,50\.00,EUR,transfer,'@virement,,,F-2026-0001 50\.00,0\.00$/);
    const bad = sb.run(['export', 'csv', 'cheques']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('relance: unknown table "cheques"; use one of invoices, payments, clients, reminders\n');
    const inverted = sb.run(['export', 'csv', 'invoices', '--from', '2026-03-01', '--to', '2026-01-01']);
    expect(inverted.code).toBe(2);
  }, 60_000);
});
