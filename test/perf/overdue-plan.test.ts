/**
 * Issue 15 §5: an overdue row of an invoice on a payment plan shows the due date of the instalment
 * its days late count from (the oldest late one, else the next one to pay), not the invoice's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { issueInvoice, json, ok, setup } from '../e2e/pay-helpers.js';

let sb: Sandbox;
let inv: string;
let plain: string;
beforeAll(() => {
  sb = sandbox();
  setup(sb);
  inv = issueInvoice(sb, 'ACME', '900', '2026-01-01', { terms: 30 }); // due 2026-01-31
  plain = issueInvoice(sb, 'GLOBEX', '100', '2026-01-01', { terms: 30 }); // due 2026-01-31, no plan
  ok(sb, ['plan', inv, '--on', '2026-03-15=300', '--on', '2026-04-15=300', '--on', '2026-05-15=300', '--date', '2026-02-10']);
});
afterAll(() => sb.cleanup());

/** The "due" cell of an invoice's row in the human table. */
function dueCell(text: string, number: string): string {
  const line = text.split('\n').find((l) => l.includes(number));
  expect(line, `a row for ${number}`).toBeDefined();
  const m = new RegExp(`${number.replace(/[-/]/g, '\\$&')}[\\s│|]+(\\d{4}-\\d{2}-\\d{2})`).exec(line!);
  expect(m, line).not.toBeNull();
  return m![1]!;
}

describe('overdue: a plan instalment', () => {
  it('on schedule: shows the next instalment to pay, not the invoice\'s passed due date', () => {
    const text = ok(sb, ['overdue', '--as-of', '2026-03-01']);
    expect(dueCell(text, inv)).toBe('2026-03-15');
    expect(dueCell(text, plain)).toBe('2026-01-31');
    const item = json(sb, ['overdue', '--as-of', '2026-03-01']).items.find((i: any) => i.invoice === inv);
    expect(item).toMatchObject({ dueDate: '2026-01-31', daysLate: 0, plan: { dueDate: '2026-03-15' } });
  });

  it('late: shows the oldest late instalment, whose days late the row counts', () => {
    const text = ok(sb, ['overdue', '--as-of', '2026-04-20']);
    expect(dueCell(text, inv)).toBe('2026-03-15');
    const item = json(sb, ['overdue', '--as-of', '2026-04-20']).items.find((i: any) => i.invoice === inv);
    expect(item).toMatchObject({ daysLate: 36, plan: { dueDate: '2026-03-15' } });
    expect(text.split('\n').find((l) => l.includes(inv))).toMatch(/2026-03-15[\s│|]+36\b/);
  });

  it('after the first instalment is paid: the next one', () => {
    ok(sb, ['pay', inv, '300', '--date', '2026-03-14']);
    expect(dueCell(ok(sb, ['overdue', '--as-of', '2026-04-20']), inv)).toBe('2026-04-15');
    expect(dueCell(ok(sb, ['overdue', '--as-of', '2026-04-01']), inv)).toBe('2026-04-15');
  });
});
