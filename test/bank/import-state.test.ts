/**
 * bank import reads the ledger once per statement and keeps what it read exact as its own payments
 * are written (bank/engine.ts ImportState): a later line of the same file sees the balance an
 * earlier line left, the payer IBAN an earlier line taught, and a bank reference it already wrote.
 * End to end (real bin/relance) on the scenario ledger, with the ledger's contents checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers/e2e.js';
import { json } from '../e2e/pay-helpers.js';
import { balances, rows, scenario } from './scenario.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());
beforeAll(() => scenario().cleanup(), 300_000);

const ACME_IBAN = 'FR7699999999999999999999999';
interface Entry {
  ref: string;
  amount: string;
  name: string;
  iban?: string;
  rf?: string;
  text?: string;
}
const entry = (e: Entry) =>
  `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-20</Dt></BookgDt><ValDt><Dt>2026-03-20</Dt></ValDt><AcctSvcrRef>${e.ref}</AcctSvcrRef>` +
  `<NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>${e.name}</Nm></Pty></Dbtr>${e.iban ? `<DbtrAcct><Id><IBAN>${e.iban}</IBAN></Id></DbtrAcct>` : ''}</RltdPties>` +
  `<RmtInf>${e.text ? `<Ustrd>${e.text}</Ustrd>` : '<Ustrd>virement</Ustrd>'}</RmtInf></TxDtls></NtryDtls><AddtlNtryInf>VIR SEPA RECU ${e.name.toUpperCase()}</AddtlNtryInf></Ntry>`;
const camt = (entries: Entry[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>STATE</MsgId><CreDtTm>2026-03-21T06:00:00</CreDtTm></GrpHdr><Stmt><Id>STATE-1</Id>` +
  `<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\n${entries.map(entry).join('\n')}\n</Stmt></BkToCstmrStmt></Document>\n`;

const ENTRIES: Entry[] = [
  { ref: 'S1', amount: '400.00', name: 'Claire Martin', text: 'facture F-2026-0005 acompte' }, // certain, partial: 1000.00 -> 600.00
  { ref: 'S2', amount: '600.00', name: 'Claire Martin' }, // no reference: the amount is the balance S1 left
  { ref: 'S3', amount: '1200.00', name: 'ACME SAS', iban: ACME_IBAN, text: 'F-2026-0001' }, // certain: ACME's IBAN learned
  { ref: 'S4', amount: '640.00', name: 'A C M E', iban: ACME_IBAN }, // no reference, a name of no client: the IBAN S3 taught
  { ref: 'S1', amount: '400.00', name: 'Claire Martin', text: 'facture F-2026-0005 acompte' }, // the bank's reference again: known
  { ref: 'S5', amount: '650.00', name: 'Claire Martin', text: 'solde F 2026 0005' }, // certain: the 600.00 left, 50.00 as credit
];

describe('bank import: what one import reads stays exact while it writes', { timeout: 120_000 }, () => {
  it('a later line sees the balance, the IBAN and the line an earlier one wrote; the same file again changes nothing', () => {
    sb = scenario();
    const file = path.join(sb.dir, 'state.xml');
    fs.writeFileSync(file, camt(ENTRIES));
    const out = json(sb, ['bank', 'import', file, '--no-input']);
    expect(out.new).toBe(5);
    expect(out.known).toBe(1);
    expect(out.lines.map((l: any) => [l.bankRef, l.match, l.recorded])).toEqual([
      ['S1', 'certain', 'certain'],
      ['S2', 'probable', null],
      ['S3', 'certain', 'certain'],
      ['S4', 'probable', null],
      ['S1', null, null],
      ['S5', 'certain', 'certain'],
    ]);
    expect(out.lines[1].why).toMatch(/close to Claire Martin; the amount is the balance of F-2026-0005/);
    expect(out.lines[3].why).toMatch(new RegExp(`paid from ${ACME_IBAN} before; the amount is the balance of F-2026-0008`));
    expect(out.lines[4].known).toBe(true);
    // S5 paid what S1 left, not the 1000.00 read before the import: 600.00 allocated, 50.00 credit
    expect(out.lines[5].invoices).toEqual([{ invoice: 'F-2026-0005', amount: '600.00' }]);
    expect(out.lines[5].credit).toBe('50.00');
    const b = balances(sb);
    expect([b['F-2026-0001'], b['F-2026-0005'], b['F-2026-0008']]).toEqual(['0.00', '0.00', '640.00']);
    expect(rows(sb, `SELECT d.number, a.amount FROM allocations a JOIN documents d ON d.id = a.document_id ORDER BY a.id`)).toEqual([
      { number: 'F-2026-0005', amount: 40000 },
      { number: 'F-2026-0001', amount: 120000 },
      { number: 'F-2026-0005', amount: 60000 },
    ]);
    expect(rows(sb, `SELECT iban, c.code FROM client_ibans i JOIN clients c ON c.id = i.client_id`)).toEqual([{ iban: ACME_IBAN, code: 'ACME' }]);
    expect(rows(sb, `SELECT bank_ref, note IS NOT NULL AS noted FROM bank_lines ORDER BY id`)).toEqual([
      { bank_ref: 'S1', noted: 0 },
      { bank_ref: 'S2', noted: 1 },
      { bank_ref: 'S3', noted: 0 },
      { bank_ref: 'S4', noted: 1 },
      { bank_ref: 'S5', noted: 0 },
    ]);
    const before = sb.snapshot();
    const again = json(sb, ['bank', 'import', file, '--no-input']);
    expect([again.new, again.known]).toEqual([0, 6]);
    expect(sb.snapshot()).toBe(before);
  });

  it('--dry-run shows the same matches and records nothing', () => {
    sb = scenario();
    const file = path.join(sb.dir, 'state.xml');
    fs.writeFileSync(file, camt(ENTRIES));
    const before = sb.snapshot();
    const out = json(sb, ['bank', 'import', file, '--dry-run']);
    expect(out.lines.map((l: any) => l.match)).toEqual(['certain', 'probable', 'certain', 'probable', null, 'certain']);
    expect(out.lines[5].credit).toBe('50.00');
    expect(sb.snapshot()).toBe(before);
  });
});
