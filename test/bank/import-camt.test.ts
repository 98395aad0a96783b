/**
 * bank import end to end (real bin/relance) on the scenario ledger with the CAMT.053 fixtures:
 * every case of issue 17 §3, the ledger's contents checked after each import.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, json, ok } from '../e2e/pay-helpers.js';
import { balances, credit, fixture, rows, scenario } from './scenario.js';

const MARCH = fixture('camt053-001.08-march.xml');
const BATCH = fixture('camt053-001.02-batch.xml');
let sb: Sandbox;
afterEach(() => sb?.cleanup());
// The scenario ledger is made once (about twenty runs of relance), then copied per test.
beforeAll(() => scenario().cleanup(), 300_000);

const AFTER_MARCH = {
  'F-2026-0001': '0.00', // exact RF reference
  'F-2026-0002': '500.00', // paid by "f 2026 0002", then the bank reversed the transfer
  'F-2026-0003': '0.00', // } one transfer of 750.00 naming both
  'F-2026-0004': '0.00', // }
  'F-2026-0005': '600.00', // partial: 400.00 of 1000.00
  'F-2026-0006': '0.00', // 250.00 for 200.00: 50.00 credit
  'F-2026-0007': '900.00', // the USD payment is not applied to a EUR invoice
  'F-2026-0008': '640.00', // probable by IBAN: not recorded in a script
  'F-2026-0009': '80.00', // probable by name and amount: not recorded in a script
};

describe('bank import: CAMT.053.001.08', { timeout: 120_000 }, () => {
  it('records certain matches only in a script, every case as the fixture says, and the same file again changes nothing', () => {
    sb = scenario();
    const out = json(sb, ['bank', 'import', MARCH, '--no-input']);
    expect(out.new).toBe(11);
    expect(balances(sb)).toEqual(AFTER_MARCH);
    expect(credit(sb, 'ACME')).toBe('50.00');
    const kinds = out.lines.map((l: any) => [l.amount, l.match, l.recorded]);
    expect(kinds).toEqual([
      ['1200.00', 'certain', 'certain'],
      ['500.00', 'certain', 'certain'],
      ['750.00', 'certain', 'certain'],
      ['400.00', 'certain', 'certain'],
      ['250.00', 'certain', 'certain'],
      ['900.00', 'unmatched', null],
      ['640.00', 'probable', null],
      ['80.00', 'probable', null],
      ['-50.00', 'debit', null],
      ['-500.00', 'debit', 'reversal'],
      ['12.34', 'unmatched', null],
    ]);
    expect(out.lines[5].why).toMatch(/F-2026-0007, which is in EUR, but the money is USD/);
    expect(out.lines[6].why).toMatch(/paid from FR7611111111111111111111111 before; the amount is the balance of F-2026-0008/);
    expect(out.lines[7].why).toMatch(/close to Claire Martin; the amount is the balance of F-2026-0009/);
    // the transfer of two invoices is one payment with two allocations, in the order written
    const two = rows<{ number: string; amount: number }>(sb, `SELECT d.number, a.amount FROM allocations a JOIN documents d ON d.id = a.document_id JOIN payments p ON p.id = a.payment_id WHERE p.amount = 75000 ORDER BY a.id`);
    expect(two).toEqual([{ number: 'F-2026-0003', amount: 30000 }, { number: 'F-2026-0004', amount: 45000 }]);
    // payments say which bank line they came from; the reversal is a negative payment, nothing deleted
    const pays = rows<{ amount: number; method: string; reference: string }>(sb, 'SELECT amount, method, reference FROM payments ORDER BY id');
    expect(pays).toHaveLength(6);
    expect(pays[0]).toEqual({ amount: 120000, method: 'transfer', reference: 'bank line #1 (BQ2026030301)' });
    expect(pays[5]).toEqual({ amount: -50000, method: 'reversal', reference: 'bank line #10: reversal of bank line #2' });
    // the IBAN of the certain matches is kept on the client (not the probable's)
    expect(rows(sb, 'SELECT k.code, i.iban FROM client_ibans i JOIN clients k ON k.id = i.client_id ORDER BY k.code, i.iban')).toEqual([
      { code: 'ACME', iban: 'FR7611111111111111111111111' },
      { code: 'GLOBEX', iban: 'GB33BUKB20201555555555' },
      { code: 'MARTIN', iban: 'FR7622222222222222222222222' },
    ]);
    // pay list shows where the money came from
    expect(ok(sb, ['pay', 'list', '--client', 'ACME'])).toMatch(/bank line #1 \(BQ2026030301\)/);
    const unmatched = json(sb, ['bank', 'list', '--unmatched']).lines.map((l: any) => l.amount);
    // the credit the bank took back is no longer unmatched money: it is marked reversed
    expect(unmatched).toEqual(['900.00', '640.00', '80.00', '12.34']);
    expect(json(sb, ['bank', 'list']).lines[1]).toMatchObject({ amount: '500.00', status: 'ignored', ignoredReason: 'reversed by the bank (bank line #10)' });

    // The same file again: nothing recorded, not even the import.
    const before = sb.snapshot();
    const again = json(sb, ['bank', 'import', MARCH, '--no-input']);
    expect(again.new).toBe(0);
    expect(again.known).toBe(11);
    expect(sb.snapshot()).toBe(before);
  });

  it('overdue shows the paid invoices gone, and remind --due sends nothing for them', () => {
    sb = scenario();
    ok(sb, ['bank', 'import', MARCH, '--no-input', '--quiet']);
    const overdue = json(sb, ['overdue', '--as-of', '2026-05-15']);
    const listed = JSON.stringify(overdue);
    for (const paid of ['F-2026-0001', 'F-2026-0003', 'F-2026-0004', 'F-2026-0006']) expect(listed).not.toContain(paid);
    for (const open of ['F-2026-0002', 'F-2026-0005', 'F-2026-0007', 'F-2026-0008', 'F-2026-0009']) expect(listed).toContain(open);
    const remind = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-05-15', '--json']);
    expect(remind.code, remind.stderr).toBe(0);
    for (const paid of ['F-2026-0001', 'F-2026-0003', 'F-2026-0004', 'F-2026-0006']) expect(remind.stdout).not.toContain(paid);
    expect(remind.stdout).toContain('F-2026-0005');
  });

  it('--dry-run shows everything and records nothing', () => {
    sb = scenario();
    const before = sb.snapshot();
    const r = sb.run(['bank', 'import', MARCH, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Dry run \(nothing recorded\): 11 lines/);
    expect(r.stdout).toMatch(/would pay: F-2026-0003 \+ F-2026-0004/);
    expect(r.stdout).toMatch(/probable, not recorded: F-2026-0008/);
    expect(sb.snapshot()).toBe(before);
  });

  it('001.02: a batch entry is one line per transaction; a pending entry is not read', () => {
    sb = scenario();
    const out = json(sb, ['bank', 'import', BATCH, '--no-input']);
    expect(out.lines.map((l: any) => [l.bankRef, l.amount, l.invoices.map((i: any) => i.invoice)])).toEqual([
      ['BATCH-19-001-A', '1200.00', ['F-2026-0001']],
      ['BATCH-19-001-B', '300.00', ['F-2026-0003']],
    ]);
    const b = balances(sb);
    expect([b['F-2026-0001'], b['F-2026-0003']]).toEqual(['0.00', '0.00']);
  });

  it('overlapping statements: the entries of both are recorded once', () => {
    sb = scenario();
    ok(sb, ['bank', 'import', BATCH, '--no-input', '--quiet']);
    const out = json(sb, ['bank', 'import', MARCH, '--no-input']);
    // F-2026-0001 and -0003 were paid by the batch: March's references to them leave credit
    expect(out.new).toBe(11);
    expect(rows(sb, 'SELECT COUNT(*) AS n FROM bank_lines')).toEqual([{ n: 13 }]);
    const again = json(sb, ['bank', 'import', BATCH, '--no-input']);
    expect(again.known).toBe(2);
  });

  it('bank match, ignore and undo by hand', () => {
    sb = scenario();
    ok(sb, ['bank', 'import', MARCH, '--no-input', '--quiet']);
    const lines = json(sb, ['bank', 'list']).lines;
    const l640 = lines.find((l: any) => l.amount === '640.00').id;
    const l80 = lines.find((l: any) => l.amount === '80.00').id;
    const odd = lines.find((l: any) => l.amount === '12.34').id;
    const usd = lines.find((l: any) => l.currency === 'USD').id;
    ok(sb, ['bank', 'match', String(l640), 'F-2026-0008']);
    ok(sb, ['bank', 'match', String(l80), 'F-2026-0009']);
    expectRefused(sb, ['bank', 'match', String(usd), 'F-2026-0007'], /F-2026-0007 is in EUR but the money is USD/);
    expectRefused(sb, ['bank', 'match', String(l640), 'F-2026-0005'], /already matched/);
    ok(sb, ['bank', 'ignore', String(odd), '--reason', 'capital contribution']);
    expect(balances(sb)['F-2026-0008']).toBe('0.00');
    expect(json(sb, ['bank', 'list', '--unmatched']).lines.map((l: any) => l.amount)).toEqual(['900.00']);
    // a hand match does not teach the IBAN of a name-only payer twice; the undo reverses, deletes nothing
    const paymentsBefore = rows(sb, 'SELECT COUNT(*) AS n FROM payments')[0] as { n: number };
    ok(sb, ['bank', 'undo', String(l640), '--date', '2026-03-20']);
    expect(balances(sb)['F-2026-0008']).toBe('640.00');
    expect((rows(sb, 'SELECT COUNT(*) AS n FROM payments')[0] as { n: number }).n).toBe(paymentsBefore.n + 1);
    expect(json(sb, ['bank', 'list', '--unmatched']).lines.map((l: any) => l.amount)).toEqual(['900.00', '640.00']);
    expectRefused(sb, ['bank', 'undo', String(l640)], /no payment to undo/);
    // history and statement of account name the bank line
    expect(ok(sb, ['client', 'show', 'ACME', '--history'])).toMatch(/bank line #1 \(BQ2026030301\)/);
    expect(ok(sb, ['statement', 'ACME', '--as-of', '2026-03-31'])).toMatch(/bank line #1 \(BQ2026030301\)/);
  });

  it('refuses a file that is not what it claims, a bad field, an unknown currency: exit 2 naming file, line and field, nothing written', () => {
    sb = scenario();
    const write = (name: string, text: string) => {
      spawnSync('sh', ['-c', `cat > '${sb.dir}/${name}'`], { input: text });
      return `${sb.dir}/${name}`;
    };
    const good = require('node:fs').readFileSync(MARCH, 'utf8') as string;
    expectRefused(sb, ['bank', 'import', write('bad-amount.xml', good.replace('<Amt Ccy="EUR">750.00</Amt>', '<Amt Ccy="EUR">750,00</Amt>'))], /bad-amount\.xml line \d+, Amt: "750,00" is not an amount/);
    expectRefused(sb, ['bank', 'import', write('bad-ccy.xml', good.replace('<Amt Ccy="USD">', '<Amt Ccy="XYZ">'))], /bad-ccy\.xml line \d+, Amt Ccy: "XYZ" is not a known ISO 4217 currency code/);
    expectRefused(sb, ['bank', 'import', write('broken.xml', good.replace('</Ntry>', ''))], /broken\.xml line \d+, XML: /);
    expectRefused(sb, ['bank', 'import', write('claims.xml', good), '--format', 'ofx'], /claims\.xml line 1, format: is not OFX/);
    expectRefused(sb, ['bank', 'import', write('other.xml', '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>')], /other\.xml line 1, format: is not CAMT\.053 XML/);
  });
});

// On a terminal: the review asks about the probable ones; "accept all" records them.
const hasScript = spawnSync('script', ['--version']).status === 0;
describe.skipIf(!hasScript)('bank import on a terminal', { timeout: 120_000 }, () => {
  it('shows certain and probable matches, and accepting all records the probable ones too', async () => {
    sb = scenario();
    const command = [process.execPath, BIN, '-f', sb.ledger, 'bank', 'import', MARCH].map((a) => `'${a}'`).join(' ');
    const output = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm' } });
      let out = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!sent && /Record the probable matches\?/.test(out)) {
          sent = true;
          setTimeout(() => child.stdin.write('\r'), 200);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
    expect(output).toMatch(/5 certain matches will be recorded; 2 probable/);
    expect(balances(sb)).toEqual({ ...AFTER_MARCH, 'F-2026-0008': '0.00', 'F-2026-0009': '0.00' });
    const how = rows<{ how: string }>(sb, 'SELECT how FROM bank_line_payments ORDER BY id').map((r) => r.how);
    expect(how.filter((h) => h === 'probable')).toHaveLength(2);
  });
});
