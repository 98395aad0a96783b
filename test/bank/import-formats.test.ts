/**
 * bank import end to end with the OFX, CFONB 120 and CSV fixtures on the scenario ledger, the
 * ledger checked after each; overlapping CSV exports (no bank reference) recorded once.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers/e2e.js';
import { expectRefused, json, ok } from '../e2e/pay-helpers.js';
import { balances, credit, fixture, rows, scenario } from './scenario.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());
// The scenario ledger is made once (about twenty runs of relance), then copied per test.
beforeAll(() => scenario().cleanup(), 300_000);

describe('bank import: OFX, CFONB 120, CSV', { timeout: 120_000 }, () => {
  it('OFX 1.0.2 SGML (Windows-1252) and OFX 2.2 XML', () => {
    sb = scenario();
    const one = json(sb, ['bank', 'import', fixture('ofx102-sgml.ofx'), '--no-input']);
    expect(one.format).toBe('ofx');
    expect(one.lines.map((l: any) => [l.date, l.amount, l.match])).toEqual([
      ['2026-03-03', '1200.00', 'certain'],
      ['2026-03-05', '400.00', 'certain'],
      ['2026-03-11', '-50.00', 'debit'],
    ]);
    expect(one.lines[1].label).toBe('VIR MME CLAIRE MARTIN Facture F 2026 0005 réglée en partie');
    const two = json(sb, ['bank', 'import', fixture('ofx220-xml.ofx'), '--no-input']);
    expect(two.lines.map((l: any) => [l.amount, l.currency, l.match])).toEqual([
      ['750.00', 'EUR', 'certain'],
      ['900.00', 'USD', 'unmatched'],
    ]);
    const b = balances(sb);
    expect([b['F-2026-0001'], b['F-2026-0003'], b['F-2026-0004'], b['F-2026-0005'], b['F-2026-0007']]).toEqual(['0.00', '0.00', '0.00', '600.00', '900.00']);
    const before = sb.snapshot();
    expect(json(sb, ['bank', 'import', fixture('ofx102-sgml.ofx'), '--no-input']).known).toBe(3);
    expect(sb.snapshot()).toBe(before);
  });

  it('CFONB 120: movements with their complements (payer name, remittance), a fee', () => {
    sb = scenario();
    const out = json(sb, ['bank', 'import', fixture('cfonb120-march.txt'), '--no-input']);
    expect(out.format).toBe('cfonb120');
    expect(out.lines.map((l: any) => [l.date, l.amount, l.match, l.recorded])).toEqual([
      ['2026-03-03', '1200.00', 'certain', 'certain'],
      ['2026-03-05', '80.00', 'probable', null],
      ['2026-03-11', '-12.50', 'debit', null],
    ]);
    expect(out.lines[1].why).toMatch(/MME CLAIRE MARTIN" is close to Claire Martin; the amount is the balance of F-2026-0009/);
    expect(balances(sb)['F-2026-0001']).toBe('0.00');
    expect(balances(sb)['F-2026-0009']).toBe('80.00');
  });

  it('CSV, Latin-1, Date;Libellé;Débit;Crédit after a preamble line, header read from the file', () => {
    sb = scenario();
    const out = json(sb, ['bank', 'import', fixture('csv-fr-debit-credit-latin1.csv'), '--no-input']);
    expect(out.lines.map((l: any) => [l.date, l.amount, l.match])).toEqual([
      ['2026-03-03', '1200.00', 'certain'],
      ['2026-03-04', '750.00', 'certain'],
      ['2026-03-11', '-85.20', 'debit'],
    ]);
    const b = balances(sb);
    expect([b['F-2026-0001'], b['F-2026-0003'], b['F-2026-0004']]).toEqual(['0.00', '0.00', '0.00']);
  });

  it('CSV, UTF-8 with BOM, one signed Montant column, a quoted label with ";": partial and overpayment', () => {
    sb = scenario();
    const out = json(sb, ['bank', 'import', fixture('csv-fr-signed-bom.csv'), '--no-input']);
    expect(out.lines.map((l: any) => [l.amount, l.match])).toEqual([
      ['400.00', 'certain'],
      ['250.00', 'certain'],
      ['-8.50', 'debit'],
    ]);
    expect(out.lines[0].label).toBe('VIR MME CLAIRE MARTIN; acompte F-2026-0005');
    expect(balances(sb)['F-2026-0005']).toBe('600.00');
    expect(balances(sb)['F-2026-0006']).toBe('0.00');
    expect(credit(sb, 'ACME')).toBe('50.00');
  });

  it('CSV without a header: the column mapping saved on the account', () => {
    sb = scenario();
    expectRefused(sb, ['bank', 'import', fixture('csv-fr-value-date.csv')], /csv-fr-value-date\.csv line 1, header: no header naming the columns/);
    ok(sb, ['bank', 'account', 'add', 'pro', '--csv-date', '1', '--csv-value-date', '2', '--csv-label', '3', '--csv-debit', '4', '--csv-credit', '5']);
    expect(json(sb, ['bank', 'account', 'list']).accounts[0]).toMatchObject({ name: 'pro', format: 'csv', csv: { date: 1, valueDate: 2, label: 3, debit: 4, credit: 5 } });
    const out = json(sb, ['bank', 'import', fixture('csv-fr-value-date.csv'), '--account', 'pro', '--no-input']);
    expect(out.lines.map((l: any) => [l.date, l.valueDate, l.amount, l.match])).toEqual([
      ['2026-03-03', '2026-03-04', '500.00', 'certain'],
      ['2026-03-10', '2026-03-10', '80.00', 'probable'],
    ]);
    expect(balances(sb)['F-2026-0002']).toBe('0.00');
    // a ready profile does the same
    ok(sb, ['bank', 'account', 'add', 'perso', '--csv-profile', 'fr-value-date']);
    expect(json(sb, ['bank', 'account', 'list']).accounts.find((a: any) => a.name === 'perso').csv).toMatchObject({ date: 1, valueDate: 2, label: 3, debit: 4, credit: 5 });
  });

  it('overlapping CSV exports: lines known by (dates, amount, label, position in the day), recorded once', () => {
    sb = scenario();
    expect(json(sb, ['bank', 'import', fixture('csv-overlap-1.csv'), '--no-input']).new).toBe(3);
    const second = json(sb, ['bank', 'import', fixture('csv-overlap-2.csv'), '--no-input']);
    expect([second.new, second.known]).toEqual([1, 2]);
    expect(rows(sb, "SELECT COUNT(*) AS n FROM bank_lines WHERE label = 'REMISE CHEQUE'")).toEqual([{ n: 2 }]);
    expect(balances(sb)['F-2026-0001']).toBe('0.00');
    expect(balances(sb)['F-2026-0002']).toBe('0.00');
    expect(rows(sb, 'SELECT COUNT(*) AS n FROM payments')).toEqual([{ n: 2 }]);
  });

  it('a CSV line that does not parse: exit 2 naming the file, line and column; nothing written', () => {
    sb = scenario();
    const fs = require('node:fs') as typeof import('node:fs');
    const bad = `${sb.dir}/bad.csv`;
    fs.writeFileSync(bad, 'Date;Libellé;Débit;Crédit\n03/03/2026;VIR ACME;;1200,00\n31/02/2026;VIR X;;5,00\n');
    expectRefused(sb, ['bank', 'import', bad], /bad\.csv line 3, column 1 \(date\): "31\/02\/2026" is not a date/);
    fs.writeFileSync(bad, 'Date;Libellé;Débit;Crédit\n03/03/2026;VIR ACME;;12O0,00\n');
    expectRefused(sb, ['bank', 'import', bad], /bad\.csv line 2, column 4 \(credit\): "12O0,00" is not an amount/);
    fs.writeFileSync(bad, Buffer.from('Date;Libell\u00e9\u0000;D\n'));
    expectRefused(sb, ['bank', 'import', bad], /bad\.csv line 1, text: a NUL byte/);
  });
});
