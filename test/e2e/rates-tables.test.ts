/**
 * Issue 15 §1: the shipped rate tables cover every half-year from 2023-H2 to the last published one;
 * a missing rate is named with where it is published and the command that adds it (never a
 * `rates confirm` of a rate nobody checked); `rates add|confirm|legal --all` reaches every ledger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

describe('rates list on a fresh ledger', () => {
  it('has no unknown half-year from 2023-H2 to 2026-H1 (the last published one), and 2026-H2 unknown', () => {
    expect(sb.init().code).toBe(0);
    const list = json(sb, ['rates', 'list']);
    const halves = list.halfYears.map((h: any) => h.half);
    expect(halves.slice(0, 6)).toEqual(['2023-H2', '2024-H1', '2024-H2', '2025-H1', '2025-H2', '2026-H1']);
    for (const h of list.halfYears.filter((x: any) => x.half <= '2026-H1')) {
      expect(h, h.half).toMatchObject({ ecbOnStart: expect.any(String), penaltyRate: expect.any(String), legalPro: expect.any(String), legalConsumer: expect.any(String) });
    }
    const byHalf = Object.fromEntries(list.halfYears.map((h: any) => [h.half, h]));
    expect(byHalf['2023-H2']).toMatchObject({ ecbOnStart: '4', penaltyRate: '14', legalPro: '4.22', legalConsumer: '6.82' });
    expect(byHalf['2024-H1']).toMatchObject({ penaltyRate: '14.5', legalPro: '5.07', legalConsumer: '8.01' });
    expect(byHalf['2026-H2']).toMatchObject({ ecbOnStart: null, legalPro: null });
    expect(list.ecb[0]).toMatchObject({ date: '2023-06-21', rate: '4', note: expect.stringContaining('ECB decision') });
    expect(list.legal.every((l: any) => /arrete du/.test(l.note))).toBe(true);
    const human = ok(sb, ['rates', 'list']);
    expect(human).not.toMatch(/rates confirm/);
    expect(human.split('\n').filter((l) => /^│ 20(23-H2|24|25|26-H1)/.test(l)).join('\n')).not.toMatch(/unknown/);
  });

  it('computes penalties of a delay in the second half of 2023 at 14 %', () => {
    setup(sb);
    const f = issueInvoice(sb, 'ACME', '1000', '2023-07-03', { terms: 30 }); // due 2023-08-02
    const r = json(sb, ['penalties', f, '--as-of', '2023-09-01']);
    // 1 000 x 14 % x 30 / 365 = 11.51
    expect(r.lines.map((l: any) => [l.half, l.rate, l.days, l.amount])).toEqual([['2023-H2', '14', 30, '11.51']]);
  });
});

describe('a missing rate is named with where to find it', () => {
  beforeEach(() => setup(sb));

  it('the ECB rate of 1 July: ECB and Banque de France, "rates add", never "rates confirm"', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2026-04-01', { terms: 30 });
    expectRefused(sb, ['penalties', f, '--as-of', '2026-07-20'], /ECB main refinancing rate in force on 2026-07-01 is missing.*ECB.*Banque de France.*"relance rates add 2026-07-01 RATE"/);
    const r = sb.run(['penalties', f, '--as-of', '2026-07-20']);
    expect(r.stderr).not.toContain('rates confirm');
    const o = sb.run(['overdue', '--as-of', '2026-07-20']);
    expect(o.code).toBe(0);
    expect(o.stderr).toMatch(/^warning: penalties for 2026-H2 are shown as unknown: the ECB main refinancing rate in force on 2026-07-01 is missing/);
    expect(o.stderr).not.toContain('rates confirm');
    expect(o.stderr).not.toContain('rates legal');
  });

  it('once the ECB rate is known, a consumer claim names the legal rate of the half-year, not the ECB', () => {
    const f = issueInvoice(sb, 'MARTIN', '1000', '2026-04-01', { terms: 30 });
    ok(sb, ['rates', 'add', '2026-07-01', '2.15']);
    expectRefused(sb, ['penalties', f, '--as-of', '2026-08-20', '--notice-date', '2026-06-01'], /taux de l'intérêt légal of 2026-H2 is missing.*Journal officiel.*"relance rates legal 2026-H2 PRO_RATE CONSUMER_RATE"/);
    const r = sb.run(['penalties', f, '--as-of', '2026-08-20', '--notice-date', '2026-06-01']);
    expect(r.stderr).not.toMatch(/ECB main refinancing rate/);
    ok(sb, ['rates', 'legal', '2026-H2', '2.5', '6.5']);
    const known = json(sb, ['penalties', f, '--as-of', '2026-08-20', '--notice-date', '2026-06-01']);
    expect(known.lines.map((l: any) => [l.half, l.rate])).toEqual([
      ['2026-H1', '2.62'],
      ['2026-H2', '2.5'],
    ]);
  });

  it('overdue names the table actually missing: after the ECB rate of 1 July, the legal rate of a consumer claim', () => {
    ok(sb, ['ledger', 'set', 'business.address', '1 rue A;75001 Paris']);
    ok(sb, ['client', 'edit', 'MARTIN', '--address', '2 rue B;75002 Paris']);
    const f = issueInvoice(sb, 'MARTIN', '1000', '2026-04-01', { terms: 30 });
    ok(sb, ['remind', f, '--level', '3', '--as-of', '2026-06-05']); // the formal notice: interest runs from the next day
    const before = sb.run(['overdue', '--as-of', '2026-08-15']);
    expect(before.code).toBe(0);
    expect(before.stderr).toMatch(/taux de l'intérêt légal of 2026-H2 is missing.*"relance rates legal 2026-H2 PRO_RATE CONSUMER_RATE"/);
    expect(before.stderr).not.toMatch(/rates confirm|ECB main refinancing/);
    ok(sb, ['rates', 'legal', '2026-H2', '2.5', '6.5']);
    expect(sb.run(['overdue', '--as-of', '2026-08-15']).stderr).toBe('');
  });
});

describe('rates add|confirm|legal --all', () => {
  function ledger(name: string): string {
    const file = path.join(sb.dir, `${name}.db`);
    const r = sb.run(['init', file, '--name', `Cabinet ${name}`, '--email', `compta@${name}.example`, '--register', name], { noLedger: true });
    expect(r.code, r.stderr).toBe(0);
    return file;
  }

  it('applies to every registered ledger, one line each', () => {
    const files = ['alpha', 'beta', 'gamma'].map(ledger);
    const added = sb.run(['rates', 'add', '2026-07-01', '2.15', '--all']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^alpha: ECB rate 2.15 % from 2026-07-01/),
      expect.stringMatching(/^beta: ECB rate 2.15 % from 2026-07-01/),
      expect.stringMatching(/^gamma: ECB rate 2.15 % from 2026-07-01/),
    ]);
    const legal = JSON.parse(sb.run(['rates', 'legal', '2026-H2', '2.5', '6.5', '--all', '--json']).stdout);
    expect(legal.map((l: any) => [l.ledger, l.half, l.pro])).toEqual([
      ['alpha', '2026-H2', '2.5'],
      ['beta', '2026-H2', '2.5'],
      ['gamma', '2026-H2', '2.5'],
    ]);
    expect(sb.run(['rates', 'confirm', '2026-10-01', '--all']).code).toBe(0);
    for (const file of files) {
      const list = json(sb, ['-f', file, 'rates', 'list']);
      expect(list.confirmedThrough).toBe('2026-10-01');
      expect(list.halfYears.find((h: any) => h.half === '2026-H2')).toMatchObject({ penaltyRate: '12.15', legalPro: '2.5', legalConsumer: '6.5' });
    }
  });

  it('reports a missing ledger by name, still updates the others, and exits 1', () => {
    ledger('alpha');
    fs.rmSync(ledger('ghost'));
    const r = sb.run(['rates', 'legal', '2026-H2', '2.5', '6.5', '--all']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^alpha: Legal interest rate of 2026-H2/);
    expect(r.stderr).toMatch(/ledger ghost/);
    expect(sb.run(['rates', 'legal', '2026-H2', '2.5', '6.5', '--all', '-f', sb.ledger]).code).toBe(2);
  });
});
