/** relance pay and plan, end to end: partial payments, oldest-first allocation, credit, reversals, plans, refusals. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  setup(sb);
});
afterEach(() => sb.cleanup());

const balanceOf = (number: string, asOf = '2026-12-31') => {
  const r = json(sb, ['overdue', '--as-of', asOf]);
  return r.items.find((i: any) => i.invoice === number)?.balance ?? '0.00';
};

describe('pay INVOICE', () => {
  it('records partial payments, then the balance by default', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-01-10');
    const first = json(sb, ['pay', f, '400,50', '--date', '2026-02-01', '--method', 'cheque', '--ref', 'chq 123']);
    expect(first).toMatchObject({ payment: 1, amount: '400.50', allocations: [{ invoice: f, amount: '400.50', balance: '599.50' }], credit: '0.00' });
    const rest = json(sb, ['pay', f, '--date', '2026-02-15']);
    expect(rest).toMatchObject({ amount: '599.50', allocations: [{ invoice: f, balance: '0.00' }] });
    expect(balanceOf(f)).toBe('0.00');
    const list = json(sb, ['pay', 'list', '--invoice', f]).payments;
    expect(list.map((p: any) => [p.id, p.date, p.amount, p.method, p.reference])).toEqual([
      [1, '2026-02-01', '400.50', 'cheque', 'chq 123'],
      [2, '2026-02-15', '599.50', 'transfer', null],
    ]);
    // the invoice list (documents module) sees the same settlement
    const inv = json(sb, ['invoice', 'list', '--as-of', '2026-03-01']);
    expect(inv.find((d: any) => d.number === f)).toMatchObject({ status: 'paid' });
  });

  it('keeps what is paid over the balance as client credit, applied later with --from-credit', () => {
    const f1 = issueInvoice(sb, 'ACME', '300', '2026-01-10');
    const r = json(sb, ['pay', f1, '500', '--date', '2026-01-20']);
    expect(r).toMatchObject({ amount: '500.00', allocations: [{ invoice: f1, amount: '300.00', balance: '0.00' }], credit: '200.00' });
    const f2 = issueInvoice(sb, 'ACME', '150', '2026-02-01');
    const applied = json(sb, ['pay', f2, '--from-credit', '--date', '2026-02-02']);
    expect(applied).toMatchObject({ amount: '150.00', allocations: [{ invoice: f2, amount: '150.00', balance: '0.00' }] });
    expect(json(sb, ['pay', 'list', '--client', 'ACME']).credit).toEqual({ EUR: '50.00' });
    expectRefused(sb, ['pay', f2, '--from-credit', '--date', '2026-02-03'], /already paid/);
  });

  it('undo records a reversal; nothing is deleted and the balance comes back', () => {
    const f = issueInvoice(sb, 'ACME', '800', '2026-01-10');
    ok(sb, ['pay', f, '--date', '2026-02-01']);
    expect(balanceOf(f)).toBe('0.00');
    const out = ok(sb, ['pay', 'undo', '1', '--date', '2026-02-05', '--ref', 'cheque rejected']);
    expect(out).toMatch(/Recorded reversal #2 of payment #1/);
    expect(balanceOf(f)).toBe('800.00');
    const list = json(sb, ['pay', 'list']);
    expect(list.credit).toBeNull();
    expect(list.payments.map((p: any) => [p.id, p.amount, p.reverses, p.reversedBy])).toEqual([
      [1, '800.00', null, 2],
      [2, '-800.00', 1, null],
    ]);
    // as of before the reversal the invoice was paid
    expect(balanceOf(f, '2026-02-04')).toBe('0.00');
    expectRefused(sb, ['pay', 'undo', '1'], /already reversed by #2/);
    expectRefused(sb, ['pay', 'undo', '2'], /itself a reversal/);
    expectRefused(sb, ['pay', 'undo', '99'], /unknown payment #99/);
  });
});

describe('pay --client', () => {
  it('allocates to the oldest due first, prints the allocation and keeps the rest as credit', () => {
    const late = issueInvoice(sb, 'ACME', '500', '2026-01-05', { terms: 10 });
    const older = issueInvoice(sb, 'ACME', '300', '2026-01-06', { terms: 0 });
    const next = issueInvoice(sb, 'ACME', '400', '2026-01-20');
    issueInvoice(sb, 'GLOBEX', '999', '2026-01-21');
    const out = ok(sb, ['pay', '--client', 'ACME', '1300', '--date', '2026-02-01']);
    expect(out).toContain('Received from ACME: €1,300.00 on 2026-02-01');
    const r = json(sb, ['pay', '--client', 'ACME', '100', '--date', '2026-02-02']);
    expect(r.credit).toBe('100.00');
    const list = json(sb, ['pay', 'list', '--client', 'ACME']);
    expect(list.payments[0].allocations.map((a: any) => [a.invoice, a.amount])).toEqual([
      [older, '300.00'],
      [late, '500.00'],
      [next, '400.00'],
    ]);
    expect(list.payments[0].unallocated).toBe('100.00');
    expect(list.credit).toEqual({ EUR: '200.00' });
  });
});

describe('pay --client --invoices', () => {
  it('pays several named invoices with one transfer, oldest due first, the rest as credit', () => {
    const a = issueInvoice(sb, 'ACME', '500', '2026-01-05');
    const b = issueInvoice(sb, 'ACME', '300', '2026-01-06');
    const c = issueInvoice(sb, 'ACME', '400', '2026-01-07');
    const g = issueInvoice(sb, 'GLOBEX', '100', '2026-01-08');
    const r = json(sb, ['pay', '--client', 'ACME', '900', '--invoices', `${c},${a}`, '--date', '2026-02-01']);
    expect(r.allocations.map((x: any) => [x.invoice, x.amount])).toEqual([
      [a, '500.00'],
      [c, '400.00'],
    ]);
    expect(r.credit).toBe('0.00');
    expect(balanceOf(b)).toBe('300.00');
    expectRefused(sb, ['pay', '--client', 'ACME', '100', '--invoices', g, '--date', '2026-02-02'], /invoice of GLOBEX/);
    expectRefused(sb, ['pay', '--client', 'ACME', '100', '--invoices', a, '--date', '2026-02-02'], /already paid/);
    expectRefused(sb, ['pay', b, '100', '--invoices', a], /--invoices goes with --client/);
  });
});

// Refusals (exit 2, ledger unchanged): test/e2e/pay-refusals.test.ts.

describe('plan', () => {
  it('splits the balance exactly; a late instalment is overdue before the invoice is', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-01-10', { terms: 60 }); // due 2026-03-11
    ok(sb, ['pay', f, '100', '--date', '2026-01-15']);
    const p = json(sb, ['plan', f, '--instalments', '3', '--every', 'month', '--start', '2026-02-01', '--date', '2026-01-20']);
    expect(p.instalments.map((i: any) => [i.dueDate, i.amount])).toEqual([
      ['2026-02-01', '300.00'],
      ['2026-03-01', '300.00'],
      ['2026-04-01', '300.00'],
    ]);
    const o = json(sb, ['overdue', '--as-of', '2026-02-10']);
    const item = o.items.find((i: any) => i.invoice === f);
    expect(item).toMatchObject({ daysLate: 9, invoiceDaysLate: 0, bucket: '1-30', plan: { overdueInstalments: [{ position: 1, remaining: '300.00', daysLate: 9 }] } });
    // a payment settles the first instalment, then the second in part
    ok(sb, ['pay', f, '450', '--date', '2026-02-12']);
    const shown = json(sb, ['plan', 'show', f, '--as-of', '2026-03-05']);
    expect(shown.instalments.map((i: any) => [i.paid, i.remaining, i.late, i.daysLate])).toEqual([
      ['300.00', '0.00', false, 0],
      ['150.00', '150.00', true, 4],
      ['0.00', '300.00', false, 0],
    ]);
    expect(ok(sb, ['plan', 'show', f, '--as-of', '2026-03-05'])).toMatch(/late 4 d/);
    expectRefused(sb, ['plan', f, '--instalments', '2', '--every', 'month'], /already has a payment plan/);
    ok(sb, ['plan', 'cancel', f, '--date', '2026-03-06']);
    expect(json(sb, ['overdue', '--as-of', '2026-03-08']).items.find((i: any) => i.invoice === f)).toMatchObject({ plan: null, daysLate: 0, bucket: 'not_due' });
  });

  it('explicit instalments must add up to the balance, to the cent', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-01-10');
    expectRefused(sb, ['plan', f, '--on', '2026-02-01=400', '--on', '2026-03-01=599.99', '--date', '2026-01-20'], /does not add up.*missing 0.01/);
    expectRefused(sb, ['plan', f, '--on', '2026-02-01=400', '--on', '2026-03-01=700', '--date', '2026-01-20'], /does not add up.*too much by 100.00/);
    expectRefused(sb, ['plan', f, '--instalments', '3', '--every', 'fortnight', '--date', '2026-01-20'], /--every/);
    expectRefused(sb, ['plan', 'F-2099-0001', '--instalments', '3', '--every', 'month'], /unknown invoice/);
    const p = json(sb, ['plan', f, '--on', '2026-03-01=600', '--on', '2026-02-01=400', '--date', '2026-01-20']);
    expect(p.instalments.map((i: any) => [i.position, i.dueDate, i.amount])).toEqual([
      [1, '2026-02-01', '400.00'],
      [2, '2026-03-01', '600.00'],
    ]);
  });
});
