/** relance penalties and rates end to end: the worked examples, half-year split, unknown rates, --bill. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  setup(sb);
});
afterEach(() => sb.cleanup());

describe('penalties', () => {
  it('the partial-payment example: 10.32 + 5.99 = 16.31, plus the 40 EUR indemnity', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 }); // due 2025-09-30
    ok(sb, ['pay', f, '400', '--date', '2025-10-31']);
    const r = json(sb, ['penalties', f, '--as-of', '2025-11-30']);
    expect(r.lines.map((l: any) => [l.from, l.to, l.days, l.base, l.rate, l.amount])).toEqual([
      ['2025-10-01', '2025-10-31', 31, '1000.00', '12.15', '10.32'],
      ['2025-11-01', '2025-11-30', 30, '600.00', '12.15', '5.99'],
    ]);
    expect(r).toMatchObject({ interest: '16.31', indemnity: '40.00', daysLate: 61 });
    const text = ok(sb, ['penalties', f, '--as-of', '2025-11-30']);
    expect(text).toMatch(/2025-10-01 │ 2025-10-31 │\s+31 │\s+€1,000\.00 │ 12\.15 % \(2025-H2\) │\s+€10\.32/);
    expect(text).toMatch(/Interest: €16\.31\nRecovery indemnity: €40\.00\n/);
    expect(text).toMatch(/Total claimable \(no VAT\): €56\.31/);
  });

  it('a delay crossing 2025-07-01 is split at 13.15 % then 12.15 %', () => {
    const f = issueInvoice(sb, 'ACME', '10000', '2025-05-01', { terms: 30 }); // due 2025-05-31
    const r = json(sb, ['penalties', f, '--as-of', '2025-08-31']);
    expect(r.lines.map((l: any) => [l.from, l.to, l.days, l.rate, l.amount])).toEqual([
      ['2025-06-01', '2025-06-30', 30, '13.15', '108.08'],
      ['2025-07-01', '2025-08-31', 62, '12.15', '206.38'],
    ]);
    expect(r.interest).toBe('314.46');
  });

  it('the worked examples with a contractual rate: 184.93 at 15 %, 11.92 at 14.50 %', () => {
    ok(sb, ['ledger', 'set', 'penalty.mode', 'contract']);
    ok(sb, ['ledger', 'set', 'penalty.rate_bp', '1500']);
    const f = issueInvoice(sb, 'ACME', '15000', '2018-03-16', { terms: 30 }); // due 2018-04-15
    ok(sb, ['pay', f, '--date', '2018-05-15']);
    const r = json(sb, ['penalties', f, '--as-of', '2018-06-30']);
    expect(r.lines.map((l: any) => [l.from, l.to, l.days, l.amount])).toEqual([['2018-04-16', '2018-05-15', 30, '184.93']]);
    expect(r.interest).toBe('184.93');
    ok(sb, ['ledger', 'set', 'penalty.rate_bp', '1450']);
    const g = issueInvoice(sb, 'GLOBEX', '1000', '2018-07-01', { terms: 30 }); // due 2018-07-31
    expect(json(sb, ['penalties', g, '--as-of', '2018-08-30']).interest).toBe('11.92');
  });

  it('warns when the contractual rate is below 3 x the legal rate', () => {
    ok(sb, ['ledger', 'set', 'penalty.mode', 'contract']);
    ok(sb, ['ledger', 'set', 'penalty.rate_bp', '800']);
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 });
    const r = sb.run(['penalties', f, '--as-of', '2025-10-30']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: the contractual rate 8 % is below 3 x the legal interest rate of 2025-H2 \(3 x 2\.76 % = 8\.28 %\)/);
  });

  it('consumers: no indemnity, legal interest only from the formal notice', () => {
    const f = issueInvoice(sb, 'MARTIN', '1000', '2025-09-01', { terms: 29 });
    expect(json(sb, ['penalties', f, '--as-of', '2025-11-30'])).toMatchObject({ interest: '0.00', indemnity: '0.00', lines: [] });
    const r = json(sb, ['penalties', f, '--as-of', '2025-11-30', '--notice-date', '2025-11-10']);
    // 1 000 x 2.76 % x 20 / 365 = 1.512...
    expect(r.lines.map((l: any) => [l.from, l.days, l.rate, l.basis, l.amount])).toEqual([['2025-11-11', 20, '2.76', 'legal', '1.51']]);
    expect(r.indemnity).toBe('0.00');
  });

  it('refuses a period without a confirmed rate, naming the commands; works once confirmed', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-04-01', { terms: 30 });
    expectRefused(sb, ['penalties', f, '--as-of', '2026-07-20'], /rate for 2026-H2 is not known.*ECB main refinancing rate in force on 2026-07-01 is missing.*ECB.*Banque de France.*relance rates add 2026-07-01 RATE/);
    expectRefused(sb, ['penalties', f, '--as-of', '2026-07-20', '--bill'], /relance rates add 2026-07-01 RATE/);
    ok(sb, ['rates', 'add', '2026-06-10', '2.00']);
    // the change is known, but not whether it held on 1 July
    expectRefused(sb, ['penalties', f, '--as-of', '2026-07-20'], /2026-H2/);
    ok(sb, ['rates', 'confirm', '2026-07-01']);
    const r = json(sb, ['penalties', f, '--as-of', '2026-07-20']);
    expect(r.lines.map((l: any) => [l.half, l.rate])).toEqual([
      ['2026-H1', '12.15'],
      ['2026-H2', '12'],
    ]);
  });

  it('--bill issues a penalty invoice without VAT in the invoice sequence, and never bills twice', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 });
    ok(sb, ['pay', f, '400', '--date', '2025-10-31']);
    const bill = json(sb, ['penalties', f, '--bill', '--as-of', '2025-11-30']);
    expect(bill).toMatchObject({ number: 'F-2025-0002', invoice: f, interest: '16.31', indemnity: '40.00', total: '56.31' });
    const shown = ok(sb, ['invoice', 'show', 'F-2025-0002']);
    expect(shown).toMatch(/penalty/);
    expect(shown).toMatch(/Pénalités de retard sur la facture F-2025-0001 \(échéance 2025-09-30\), du 2025-10-01 au 2025-11-30/);
    expect(shown).toMatch(/Indemnité forfaitaire pour frais de recouvrement/);
    const list = json(sb, ['invoice', 'list']);
    expect(list.find((d: any) => d.number === 'F-2025-0002')).toMatchObject({ kind: 'penalty' });
    expectRefused(sb, ['penalties', f, '--bill', '--as-of', '2025-11-30'], /nothing left to bill/);
    // overdue shows only what is not billed yet, and the penalty invoice as an item of its own
    const o = json(sb, ['overdue', '--as-of', '2025-12-10']);
    const item = o.items.find((i: any) => i.invoice === f);
    expect(item).toMatchObject({ indemnity: '0.00' });
    expect(item.penalties).toBe('2.00'); // 600 x 12.15 % x 10 / 365 = 1.997
    expect(o.items.find((i: any) => i.invoice === 'F-2025-0002')).toMatchObject({ kind: 'penalty', balance: '56.31' });
    const again = json(sb, ['penalties', f, '--bill', '--as-of', '2025-12-10']);
    expect(again).toMatchObject({ interest: '2.00', indemnity: '0.00' });
    expect(ok(sb, ['invoice', 'show', again.number])).toMatch(/du 2025-12-01 au 2025-12-10/);
    expectRefused(sb, ['penalties', 'F-2025-0002'], /penalty invoice/);
  });

  it('says so when an invoice is not late', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 });
    expect(ok(sb, ['penalties', f, '--as-of', '2025-09-30'])).toMatch(/not late on 2025-09-30/);
    expectRefused(sb, ['penalties', f, '--bill', '--as-of', '2025-09-30'], /not late/);
    expectRefused(sb, ['penalties', 'F-1999-0001'], /unknown invoice/);
  });
});

describe('rates', () => {
  it('lists the shipped table, how far it is confirmed, and the derived rates', () => {
    const r = json(sb, ['rates', 'list']);
    expect(r.confirmedThrough).toBe('2026-04-01');
    expect(r.halfYears.map((h: any) => [h.half, h.penaltyRate, h.legalPro])).toEqual(
      expect.arrayContaining([
        ['2024-H1', '14.5', '5.07'],
        ['2025-H1', '13.15', '3.71'],
        ['2025-H2', '12.15', '2.76'],
        ['2026-H1', '12.15', '2.62'],
        ['2026-H2', null, null],
      ]),
    );
    const text = ok(sb, ['rates', 'list']);
    expect(text).toMatch(/confirmed through 2026-04-01/);
    expect(text).toMatch(/2026-H2 .*unknown/);
  });

  it('adds changes, confirmations and legal rates; refuses nonsense', () => {
    expect(ok(sb, ['rates', 'confirm', '2026-07-01'])).toMatch(/2.15 % on 2026-07-01.*confirmed through 2026-07-01/);
    ok(sb, ['rates', 'legal', '2026-H2', '2,50', '6.5']);
    const r = json(sb, ['rates', 'list']);
    expect(r.halfYears.find((h: any) => h.half === '2026-H2')).toMatchObject({ penaltyRate: '12.15', legalPro: '2.5', legalConsumer: '6.5' });
    expectRefused(sb, ['rates', 'add', '2026-13-01', '2'], /date/);
    expectRefused(sb, ['rates', 'add', '2026-09-01', 'abc'], /rate/);
    expectRefused(sb, ['rates', 'add', '2026-09-01', '215'], /not a plausible rate/);
    expectRefused(sb, ['rates', 'legal', '2026-H3', '2', '6'], /2026-H2/);
    expectRefused(sb, ['rates', 'confirm', '2020-01-01'], /no ECB rate before 2020-01-01/);
  });
});
