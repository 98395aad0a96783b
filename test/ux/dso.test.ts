/**
 * DSO is defined (issue 15 §5): the count-back method, so that a client none of whose invoices is
 * due yet is not given "250 days" (the old ratio outstanding / invoiced over 365 days x 365 gave a
 * client invoiced once, ten days earlier, 365). Undefined is "—" / null, older than the window "> 365".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dso, dsoText } from '../../src/core/aging.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { issueInvoice, json, ok, setup } from '../e2e/pay-helpers.js';

describe('dso (count-back)', () => {
  const asOf = '2026-03-31';
  it('is the age in days of the invoicing the receivables make up, the as-of date being day 1', () => {
    expect(dso(120_000, new Map([['2026-03-21', 120_000]]), asOf)).toBe(11);
    expect(dso(120_000, new Map([['2026-03-31', 120_000]]), asOf)).toBe(1);
    // 1 000 € on the 1st of each month, paid at 30 days: on the 20th the March invoice is owed.
    const monthly = new Map([['2026-01-01', 100_000], ['2026-02-01', 100_000], ['2026-03-01', 100_000]]);
    expect(dso(100_000, monthly, '2026-03-20')).toBe(20);
    // Owed: March and half of February.
    expect(dso(150_000, monthly, '2026-03-20')).toBe(47.5);
  });

  it('deducts credit notes on their day, and is 0 when nothing is owed', () => {
    const sales = new Map([['2026-03-30', -20_000], ['2026-03-01', 100_000]]);
    // 03-30 takes back 200, so the 500 owed are 700 of the 1 000 of 03-01, 30 days back: 30 + 0.7.
    expect(dso(50_000, sales, asOf)).toBe(30.7);
    expect(dso(0, sales, asOf)).toBe(0);
    expect(dso(-5_000, sales, asOf)).toBe(0);
  });

  it('is undefined with nothing invoiced in the window, or receivables older than it', () => {
    expect(dso(10_000, new Map(), asOf)).toBeNull();
    expect(dso(0, new Map(), asOf)).toBeNull();
    expect(dso(10_000, new Map([['2025-01-01', 10_000]]), asOf)).toBeNull(); // outside the 365 days
    expect(dso(30_000, new Map([['2026-03-01', 10_000]]), asOf)).toBeNull();
    expect(dsoText(null, 0)).toBe('—');
    expect(dsoText(null, 30_000)).toBe('> 365');
    expect(dsoText(11, 30_000)).toBe('11.0');
  });
});

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
  setup(sb);
  issueInvoice(sb, 'ACME', '800', '2024-06-01', { terms: 30 }); // owed for almost two years
  issueInvoice(sb, 'GLOBEX', '1200', '2026-03-21', { terms: 45 }); // due 2026-05-05: nothing due yet
});
afterAll(() => sb.cleanup());

describe('overdue --by client and client show', () => {
  it('gives a client none of whose invoices is due yet the age of its invoicing, not 250 or 365 days', () => {
    const r = json(sb, ['overdue', '--as-of', '2026-03-31', '--by', 'client']);
    expect(r.dsoMethod).toBe('count-back');
    expect(r.dsoDefinition).toMatch(/count-back/);
    const globex = r.clients.find((c: any) => c.client === 'GLOBEX');
    expect(globex).toMatchObject({ 'not_due': '1200.00', dso: 11 });
    // Receivables older than the window: undefined in JSON, "> 365" in the table.
    expect(r.clients.find((c: any) => c.client === 'ACME').dso).toBeNull();
    const text = ok(sb, ['overdue', '--as-of', '2026-03-31', '--by', 'client']);
    expect(text).toMatch(/GLOBEX .*│\s+11\.0 │/);
    expect(text).toMatch(/ACME .*│\s+> 365 │/);
    const show = ok(sb, ['client', 'show', 'GLOBEX', '--as-of', '2026-03-31']);
    expect(show).toMatch(/DSO:\s+11\.0 days \(count-back/);
    const acme = ok(sb, ['client', 'show', 'ACME', '--as-of', '2026-03-31']);
    expect(acme).toMatch(/DSO:\s+over 365 days/);
    const none = ok(sb, ['client', 'show', 'MARTIN', '--as-of', '2026-03-31']);
    expect(none).not.toMatch(/DSO:\s+\d/);
  });

  it('says what DSO is in overdue --help and balance --help', () => {
    expect(ok(sb, ['overdue', '--help'])).toMatch(/DSO \(--by client\): by the count-back method/);
    expect(ok(sb, ['balance', '--help'])).toMatch(/count-back method/);
  });
});
