/** relance overdue end to end: buckets, totals per currency, as-of replay, unknown rates, by client with DSO. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  setup(sb);
});
afterEach(() => sb.cleanup());

/** A small ledger with invoices in every bucket, a partial payment, a dollar invoice and a consumer. */
function story() {
  const a = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 }); // due 2025-09-30
  const b = issueInvoice(sb, 'ACME', '500', '2025-10-15', { terms: 30 }); // due 2025-11-14
  const c = issueInvoice(sb, 'GLOBEX', '2000', '2025-11-20', { terms: 30, currency: 'USD' }); // due 2025-12-20
  const d = issueInvoice(sb, 'MARTIN', '300', '2025-11-25', { terms: 0 }); // due 2025-11-25
  const e = issueInvoice(sb, 'GLOBEX', '750', '2025-12-10', { terms: 45 }); // due 2026-01-24
  ok(sb, ['pay', a, '400', '--date', '2025-10-31']);
  return { a, b, c, d, e };
}

describe('overdue', () => {
  it('ages every open item into buckets, with penalties, and totals per currency', () => {
    const { a, b, c, d, e } = story();
    const r = json(sb, ['overdue', '--as-of', '2025-12-31']);
    const by = Object.fromEntries(r.items.map((i: any) => [i.invoice, i]));
    expect(by[a]).toMatchObject({ client: 'ACME', balance: '600.00', daysLate: 92, bucket: '90+', indemnity: '40.00' });
    expect(by[b]).toMatchObject({ balance: '500.00', daysLate: 47, bucket: '31-60' });
    expect(by[c]).toMatchObject({ currency: 'USD', daysLate: 11, bucket: '1-30' });
    expect(by[d]).toMatchObject({ client: 'MARTIN', clientKind: 'b2c', daysLate: 36, bucket: '31-60', penalties: '0.00', indemnity: '0.00' });
    expect(by[e]).toMatchObject({ daysLate: 0, bucket: 'not_due', penalties: '0.00', indemnity: '0.00' });
    // a: 31 days on 1 000 (10.32) + 61 days on 600 (12.18) at 12.15 %, one half-year
    expect(by[a].penalties).toBe('22.50');
    expect(r.totals.EUR).toMatchObject({ not_due: '750.00', '1-30': '0.00', '31-60': '800.00', '61-90': '0.00', '90+': '600.00', total: '2150.00' });
    expect(r.totals.USD).toMatchObject({ '1-30': '2000.00', total: '2000.00' });
    const text = ok(sb, ['overdue', '--as-of', '2025-12-31']);
    expect(text).toMatch(/EUR .*€2,150\.00/);
    expect(text).toMatch(/USD .*2,000\.00 USD/);
    expect(text).not.toMatch(/4,150/); // never adds dollars to euros
  });

  it('a past --as-of prints exactly what it printed that day', () => {
    const { a, b, e } = story();
    const args = (more: string[] = []) => ['overdue', '--as-of', '2025-12-31', ...more];
    const before = [ok(sb, args()), ok(sb, args(['--json'])), ok(sb, args(['--by', 'client'])), ok(sb, args(['--client', 'ACME', '--json']))];
    // Later events: payments, a client payment, a credit note, a plan, a reversal, a penalty invoice.
    ok(sb, ['pay', b, '--date', '2026-01-05']);
    ok(sb, ['pay', '--client', 'ACME', '100', '--date', '2026-01-06']);
    ok(sb, ['invoice', 'cancel', e, '--date', '2026-01-07']);
    ok(sb, ['plan', a, '--instalments', '2', '--every', 'month', '--date', '2026-01-08']);
    ok(sb, ['pay', 'undo', '2', '--date', '2026-01-09']);
    ok(sb, ['penalties', a, '--bill', '--as-of', '2026-01-10']);
    // ...and a reminder run and a call with a promise, also after the day replayed
    ok(sb, ['remind', '--due', '--as-of', '2026-01-12']);
    ok(sb, ['call-log', 'add', 'ACME', '--invoice', a, '--at', '2026-01-13 10:00', '--outcome', 'will pay', '--promise', '2026-01-20']);
    const later = json(sb, ['overdue', '--as-of', '2026-01-13']).items;
    expect(later.filter((i: any) => i.lastReminder !== null).length).toBeGreaterThan(0); // the run did remind someone
    expect(later.find((i: any) => i.invoice === a)).toMatchObject({ promise: { date: '2026-01-20' }, lastContact: { channel: 'call', outcome: 'will pay' } });
    expect(ok(sb, ['overdue', '--as-of', '2026-01-10'])).not.toBe(before[0]);
    const after = [ok(sb, args()), ok(sb, args(['--json'])), ok(sb, args(['--by', 'client'])), ok(sb, args(['--client', 'ACME', '--json']))];
    expect(after).toEqual(before);
  });

  it('shows penalties of a half-year without a confirmed rate as unknown, with one warning line', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-04-01', { terms: 30 }); // due 2026-05-01
    issueInvoice(sb, 'ACME', '2000', '2026-04-02', { terms: 30 });
    const r = sb.run(['overdue', '--as-of', '2026-08-15']);
    expect(r.code).toBe(0);
    const warnings = r.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: penalties for 2026-H2 are shown as unknown: the ECB main refinancing rate in force on 2026-07-01 is missing.*relance rates add 2026-07-01 RATE/);
    expect(warnings[0]).not.toContain('rates confirm');
    expect(r.stdout).toMatch(/unknown/);
    const j = json(sb, ['overdue', '--as-of', '2026-08-15']);
    expect(j.items.find((i: any) => i.invoice === f)).toMatchObject({ penalties: null, penaltiesKnown: false, indemnity: '40.00' });
    expect(j.totals.EUR.penaltiesComplete).toBe(false);
    ok(sb, ['rates', 'confirm', '2026-07-01']);
    const known = sb.run(['overdue', '--as-of', '2026-08-15', '--json']);
    expect(known.stderr).toBe('');
    expect(JSON.parse(known.stdout).items.find((i: any) => i.invoice === f).penalties).toMatch(/^\d+\.\d\d$/);
  });

  it('by client: buckets, DSO with its formula, average days late; also in client show', () => {
    story();
    const r = json(sb, ['overdue', '--as-of', '2025-12-31', '--by', 'client']);
    const acme = r.clients.find((c: any) => c.client === 'ACME');
    // count-back: the 1 100 owed are the 500 of 2025-10-15 (77 days back) and 600 of the 1 000 of 2025-09-01 (121 days back)
    expect(acme).toMatchObject({ currency: 'EUR', invoices: 2, total: '1100.00', '90+': '600.00', '31-60': '500.00', dso: 121.6, avgDaysLate: 69.5 });
    expect(r.dso.find((d: any) => d.currency === 'EUR')).toMatchObject({ outstanding: '2150.00', invoiced: '2550.00', dso: 121.6 });
    const text = ok(sb, ['overdue', '--as-of', '2025-12-31', '--by', 'client']);
    expect(text).toMatch(/DSO \(all clients\), EUR: 121\.6 days \(count-back: the outstanding €2,150\.00 is what was invoiced in the last 121\.6 days up to 2025-12-31\)/);
    const show = ok(sb, ['client', 'show', 'ACME', '--as-of', '2025-12-31']);
    expect(show).toMatch(/DSO:\s+121\.6 days \(count-back/);
    expect(show).toMatch(/avg days late:\s+69\.5/);
  });

  it('filters by client and refuses bad input', () => {
    story();
    const r = json(sb, ['overdue', '--as-of', '2025-12-31', '--client', 'GLOBEX']);
    expect(new Set(r.items.map((i: any) => i.client))).toEqual(new Set(['GLOBEX']));
    expectRefused(sb, ['overdue', '--client', 'NOPE'], /unknown client "NOPE"/);
    expectRefused(sb, ['overdue', '--as-of', '2025-13-01'], /--as-of/);
    expectRefused(sb, ['overdue', '--by', 'month'], /--by/);
  });
});
