/**
 * export fec and export journal, end to end on one year of a small business: a quote with a deposit
 * and its final invoice, a standard invoice partly paid then cancelled by a credit note, goods paid and
 * the payment reversed, a penalty invoice, money kept as credit. The FEC's columns, the balance of every
 * entry and of the file, and its lettering are checked against the ledger; the hledger journal's
 * balances against `relance balance`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
const ok = (args: string[]) => {
  const r = sb.run(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')} -> ${r.code}\n${r.stderr}`);
  return r.stdout;
};
const json = (args: string[]) => JSON.parse(ok([...args, '--json']));
const issue = (client: string, line: string, date: string, operation: string) => {
  const d = json(['invoice', 'new', client, '--line', line, '--operation', operation]);
  return json(['invoice', 'issue', d.ref, '--date', date]).number as string;
};

const COLUMNS = 'JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate Montantdevise Idevise'.split(' ');
type Row = Record<string, string>;
const cents = (s: string | undefined) => {
  expect(s).toMatch(/^\d+,\d{2}$/);
  return Number(s!.replace(',', ''));
};

function readFec(file: string, sep = '\t'): Row[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe('');
  const head = lines.shift()!.split(sep);
  expect(head).toEqual(COLUMNS);
  return lines.map((l) => {
    const cells = l.split(sep);
    expect(cells).toHaveLength(18);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]!]));
  }, 60_000);
}

let fec: Row[];
beforeAll(() => {
  sb = sandbox('relance-books-');
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']);
  ok(['client', 'add', 'SHOP', '--name', 'Boutique Martin', '--email', 'shop@martin.example']);
  // Quote with two rates, a 30 % deposit paid, then the final invoice paid in two parts.
  ok(['quote', 'new', 'ACME', '--line', 'Développement | 10 | 500 | 20', '--line', 'Livres | 2 | 30 | 5.5', '--date', '2026-01-05', '--operation', 'services']);
  ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'J. Martin', '--date', '2026-01-06']);
  ok(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-01-07']); // F-2026-0001
  ok(['pay', 'F-2026-0001', '--date', '2026-01-10']);
  const fin = json(['invoice', 'new', '--from-quote', 'D-2026-0001', '--as-of', '2026-02-01']);
  ok(['invoice', 'issue', fin.ref, '--date', '2026-02-01']); // F-2026-0002
  ok(['pay', 'F-2026-0002', '1000', '--date', '2026-02-15']);
  ok(['pay', 'F-2026-0002', '--date', '2026-03-01']);
  // An invoice partly paid, the rest cancelled by a credit note.
  expect(issue('ACME', 'Audit | 1 | 800 | 20', '2026-02-10', 'services')).toBe('F-2026-0003');
  ok(['pay', 'F-2026-0003', '300', '--date', '2026-02-20']);
  ok(['invoice', 'cancel', 'F-2026-0003', '--date', '2026-03-05']); // F-2026-0004
  // Goods: paid, the payment reversed (cheque rejected), a penalty invoice, and later money on account.
  expect(issue('SHOP', 'Chaise | 4 | 125 | 20', '2026-03-06', 'goods')).toBe('F-2026-0005');
  const paid = json(['pay', 'F-2026-0005', '600', '--date', '2026-03-10']);
  ok(['pay', 'undo', String(paid.payment), '--date', '2026-03-12', '--ref', 'chèque rejeté']);
  ok(['penalties', 'F-2026-0005', '--bill', '--as-of', '2026-05-20']); // F-2026-0006
  ok(['pay', '--client', 'SHOP', '250', '--date', '2026-05-25']);
  const r = sb.run(['export', 'fec', '--year', '2026', '--out', sb.dir]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/Wrote .*732829320FEC20261231\.txt: \d+ entries/);
  fec = readFec(path.join(sb.dir, '732829320FEC20261231.txt'));
}, 120_000);
afterAll(() => sb.cleanup());

describe('export fec', () => {
  it('writes the 18 columns, AAAAMMJJ dates and comma amounts; every entry and the file balance', () => {
    const byEntry = new Map<string, Row[]>();
    for (const row of fec) {
      for (const k of ['EcritureDate', 'PieceDate', 'ValidDate']) expect(row[k]).toMatch(/^2026\d{4}$/);
      expect(['VE', 'BQ']).toContain(row.JournalCode);
      const list = byEntry.get(row.EcritureNum!) ?? [];
      list.push(row);
      byEntry.set(row.EcritureNum!, list);
    }
    // EcritureNum is a continuous sequence 1..n
    expect([...byEntry.keys()].map(Number)).toEqual([...byEntry.keys()].map((_, i) => i + 1));
    for (const [num, rows] of byEntry) {
      const d = rows.reduce((s, r) => s + cents(r.Debit), 0);
      const c = rows.reduce((s, r) => s + cents(r.Credit), 0);
      expect(d, `entry ${num}`).toBe(c);
      expect(new Set(rows.map((r) => r.EcritureDate)).size).toBe(1);
    }
    const total = (k: string) => fec.reduce((s, r) => s + cents(r[k]!), 0);
    expect(total('Debit')).toBe(total('Credit'));
  }, 60_000);

  it('books each kind of document to its accounts', () => {
    const lines = (piece: string, account: string) => fec.filter((r) => r.PieceRef === piece && r.CompteNum === account);
    const amount = (r: Row) => cents(r.Debit) - cents(r.Credit);
    // Deposit F-2026-0001: 30 % of 5000 + 60 excl. VAT = 1518 (1500 at 20 %, 18 at 5.5 %).
    expect(lines('F-2026-0001', '411').map(amount)).toEqual([181_899]);
    expect(lines('F-2026-0001', '4191').map(amount)).toEqual([-150_000, -1_800]);
    expect(lines('F-2026-0001', '44571').map(amount)).toEqual([-30_000, -99]);
    // The final invoice: the whole sale to 706, the deposit's base back out of 4191, the VAT left.
    expect(lines('F-2026-0002', '706').map(amount)).toEqual([-500_000, -6_000]);
    expect(lines('F-2026-0002', '4191').map(amount)).toEqual([150_000, 1_800]);
    expect(lines('F-2026-0002', '44571').map(amount)).toEqual([-(100_000 - 30_000), -(330 - 99)]);
    expect(lines('F-2026-0002', '411').map(amount)).toEqual([600_000 + 6_330 - 181_899]);
    // The credit note reverses what was left of F-2026-0003 (960 - 300 = 660 incl. VAT).
    expect(lines('F-2026-0004', '411').map(amount)).toEqual([-66_000]);
    expect(lines('F-2026-0004', '706').map(amount)).toEqual([55_000]);
    expect(lines('F-2026-0004', '44571').map(amount)).toEqual([11_000]);
    // Goods go to 707, penalties to 7627 without VAT.
    expect(lines('F-2026-0005', '707').map(amount)).toEqual([-50_000]);
    const penalty = fec.filter((r) => r.PieceRef === 'F-2026-0006');
    expect(penalty.map((r) => r.CompteNum).sort()).toEqual(['411', '7627']);
    // Client lines carry the client as auxiliary account.
    for (const r of fec.filter((x) => x.CompteNum === '411')) expect(['ACME', 'SHOP']).toContain(r.CompAuxNum);
    for (const r of fec.filter((x) => x.CompteNum !== '411')) expect(r.CompAuxNum).toBe('');
  }, 60_000);

  it('books payments to 512 / 411 and the reversal the other way', () => {
    const bank = fec.filter((r) => r.JournalCode === 'BQ');
    const byPiece = new Map<string, Row[]>();
    for (const r of bank) byPiece.set(r.PieceRef!, [...(byPiece.get(r.PieceRef!) ?? []), r]);
    const payments = JSON.parse(ok(['pay', 'list', '--json'])).payments as any[];
    expect(byPiece.size).toBe(payments.length);
    for (const p of payments) {
      const rows = byPiece.get(`PAY-${p.id}`)!;
      const amount = Math.round(Number(p.amount) * 100);
      const b = rows.find((r) => r.CompteNum === '512')!;
      const c = rows.find((r) => r.CompteNum === '411')!;
      expect(cents(b.Debit) - cents(b.Credit)).toBe(amount);
      expect(cents(c.Debit) - cents(c.Credit)).toBe(-amount);
    }
    expect(payments.some((p) => Number(p.amount) < 0)).toBe(true);
  }, 60_000);

  it('letters each payment with the invoices it settles, as the ledger allocates them', () => {
    const client = fec.filter((r) => r.CompteNum === '411');
    const letterOf = new Map(client.map((r) => [r.PieceRef, r.EcritureLet]));
    const payments = JSON.parse(ok(['pay', 'list', '--json'])).payments as any[];
    for (const p of payments) {
      for (const a of p.allocations) expect(letterOf.get(`PAY-${p.id}`)!.toUpperCase(), `PAY-${p.id} / ${a.invoice}`).toBe(letterOf.get(a.invoice)!.toUpperCase());
    }
    // Upper case: the group is settled (411 sums to zero, dated); lower case: not yet.
    const groups = new Map<string, Row[]>();
    for (const r of client) if (r.EcritureLet) groups.set(r.EcritureLet, [...(groups.get(r.EcritureLet) ?? []), r]);
    const invoices = JSON.parse(ok(['invoice', 'list', '--json', '--as-of', '2026-12-31'])) as any[];
    const status = new Map(invoices.map((i) => [i.number, i.status]));
    for (const [letter, rows] of groups) {
      const sum = rows.reduce((s, r) => s + cents(r.Debit) - cents(r.Credit), 0);
      if (letter === letter.toUpperCase()) {
        expect(sum, letter).toBe(0);
        const last = rows.map((r) => r.EcritureDate).sort().pop();
        for (const r of rows) expect(r.DateLet).toBe(last);
        for (const r of rows.filter((x) => x.JournalCode === 'VE')) expect(['paid', 'cancelled', 'open']).toContain(status.get(r.PieceRef));
      } else {
        expect(sum, letter).not.toBe(0);
        for (const r of rows) expect(r.DateLet).toBe('');
      }
    }
    // The deposit and its payment, the final and its two payments, F-3 with its payment and credit note: settled.
    expect(letterOf.get('F-2026-0001')).toMatch(/^[A-Z]+$/);
    expect(letterOf.get('F-2026-0002')).toMatch(/^[A-Z]+$/);
    expect(letterOf.get('F-2026-0004')).toBe(letterOf.get('F-2026-0003'));
    expect(letterOf.get('F-2026-0003')).toMatch(/^[A-Z]+$/);
    // F-2026-0005: paid, reversed, still owed: partly lettered with its payment and the reversal.
    expect(letterOf.get('F-2026-0005')).toMatch(/^[a-z]+$/);
    expect(status.get('F-2026-0001')).toBe('paid');
  }, 60_000);

  it('is refused without a SIREN, and writes pipes with --separator pipe', () => {
    const r = sb.run(['export', 'fec', '--year', '2026', '--out', sb.dir, '--separator', 'pipe']);
    expect(r.code).toBe(0);
    expect(readFec(path.join(sb.dir, '732829320FEC20261231.txt'), '|')).toHaveLength(fec.length);
    const bad = sb.run(['export', 'fec', '--year', '2026', '--separator', 'comma']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--separator: "comma" is not tab or pipe/);
    const other = sandbox('relance-books-nosiren-');
    try {
      expect(other.run(['init', other.ledger, '--name', 'X', '--email', 'x@example.fr'], { noLedger: true }).code).toBe(0);
      const n = other.run(['export', 'fec', '--year', '2026']);
      expect(n.code).toBe(2);
      expect(n.stderr).toMatch(/ledger set business.siren/);
    } finally {
      other.cleanup();
    }
  }, 60_000);
});

describe('export journal', () => {
  it('gives in hledger the balance of every client that relance balance gives', () => {
    const file = path.join(sb.dir, 'receivables.journal');
    const r = sb.run(['export', 'journal', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const h = spawnSync('hledger', ['-f', file, 'balance', '^Assets:Receivables:', '--flat', '--empty', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
    expect(h.error, 'hledger must be installed (Debian package hledger)').toBeUndefined();
    expect(h.status, h.stderr).toBe(0);
    const toCents = (s: string) => Math.round(Number(s.replace(/\s*EUR$/, '')) * 100);
    const fromHledger = new Map<string, number>();
    for (const line of h.stdout.trim().split('\n').slice(1)) {
      const [acct, amount] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
      fromHledger.set(acct!.replace('Assets:Receivables:', ''), toCents(amount!));
    }
    expect([...fromHledger.keys()].sort()).toEqual(['ACME', 'SHOP']);
    for (const code of ['ACME', 'SHOP']) {
      const relance = JSON.parse(ok(['balance', '--client', code, '--json', '--as-of', '2026-12-31'])).clients as any[];
      expect(relance).toHaveLength(1);
      expect(fromHledger.get(code), code).toBe(toCents(relance[0].balance));
    }
    // SHOP still owes (the reversed payment, the penalties, less the money on account)
    expect(fromHledger.get('SHOP')).toBeGreaterThan(0);
    // --json: the same entries, each balanced
    const entries = JSON.parse(ok(['export', 'journal', '--json'])) as any[];
    expect(entries.length).toBe(new Set(fec.map((r) => r.EcritureNum)).size);
    for (const e of entries) expect(e.lines.reduce((s: number, l: any) => s + Math.round(Number(l.amount) * 100), 0), e.piece).toBe(0);
    // and the whole journal balances (hledger refuses an unbalanced transaction)
    const all = spawnSync('hledger', ['-f', file, 'balance', '--flat', '-O', 'csv'], { encoding: 'utf8' });
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout.trim().split('\n').pop()).toMatch(/"total","0"|"Total:","0"|,"0"$/);
  }, 60_000);
});
