/**
 * Every refusal of the documents commands: exit 2, one line on stderr naming what to do, nothing
 * on stdout, and the ledger unchanged (sb.snapshot()).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk, expectRefused } from '../helpers/expect-run.js';

let sb: Sandbox;

const ok = (args: string[]) => expectOk(sb, args);

/** Exit 2, one line on stderr, nothing on stdout, ledger unchanged. */
const refused = (args: string[], message: RegExp) => expectRefused(sb, args, message);

// One ledger for the whole file (each refusal leaves it unchanged, which is the point):
//   D-2026-0001 ACME open (valid to 2026-01-31)   D-2026-0002 ACME accepted, deposit F-2026-0001 issued
//   D-2026-0003 ACME declined                      F-2026-0002 ACME standard invoice, paid in full
//   draft GLOBEX invoice without a PO              draft-N ACME draft
let globexDraft = '';
let acmeDraft = '';
beforeAll(() => {
  sb = sandbox('relance-refusals-');
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
  ok(['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--lang', 'en', '--po-required']);
  ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-01']);
  ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--line', 'Livres | 2 | 10 | 5.5', '--date', '2026-01-01']);
  ok(['quote', 'accept', 'D-2026-0002', '--signed-by', 'A. Client', '--date', '2026-01-02']);
  ok(['deposit', 'D-2026-0002', '--percent', '60', '--issue', '--date', '2026-01-03']);
  ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-01']);
  ok(['quote', 'decline', 'D-2026-0003', '--date', '2026-01-05']);
  const std = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20', '--json']).stdout);
  ok(['invoice', 'issue', std.ref, '--date', '2026-01-10']);
  const db = new Database(sb.ledger);
  const doc = db.prepare("SELECT id, client_id FROM documents WHERE number = 'F-2026-0002'").get() as { id: number; client_id: number };
  const pay = db.prepare("INSERT INTO payments (client_id, date, amount, created_at) VALUES (?, '2026-01-20', 12000, 'now')").run(doc.client_id);
  db.prepare("INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, '2026-01-20', 12000)").run(pay.lastInsertRowid, doc.id);
  db.close();
  globexDraft = JSON.parse(ok(['invoice', 'new', 'GLOBEX', '--line', 'Audit | 1 | 300 | 20', '--json']).stdout).ref;
  acmeDraft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 300 | 20', '--json']).stdout).ref;
});
afterAll(() => sb.cleanup());

describe('quote refusals', () => {
  it('bad input to quote new', () => {
    refused(['quote', 'new', 'NOPE', '--line', 'X | 1 | 1 | 20'], /unknown client "NOPE"; see the codes with "relance client list"/);
    refused(['quote', 'new', 'ACME'], /missing --line or --lines/);
    refused(['quote', 'new', 'ACME', '--line', 'X | 1 | 1,234 | 20'], /unit price: cannot read "1,234"/);
    refused(['quote', 'new', 'ACME', '--line', 'X | 1 | 100 | 7'], /7 % is not a French VAT rate/);
    refused(['quote', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--validity', '0'], /--validity/);
    refused(['quote', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--deposit', '120'], /--deposit: 120 must be/);
    refused(['quote', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--date', '2026-02-30'], /--date: "2026-02-30" does not exist/);
    refused(['quote', 'new', 'ACME', '--lines', 'missing.csv'], /--lines: cannot read missing.csv/);
  });

  it('accepting an expired quote needs --force; declined or accepted ones cannot be accepted', () => {
    refused(['quote', 'accept', 'D-2026-0001', '--signed-by', 'X', '--date', '2026-02-01'], /expired on 2026-01-31.*--force/);
    refused(['quote', 'accept', 'D-2026-0003', '--signed-by', 'X', '--date', '2026-01-06'], /was declined on 2026-01-05/);
    refused(['quote', 'accept', 'D-2026-0002', '--signed-by', 'X'], /already accepted on 2026-01-02 by A. Client/);
    refused(['quote', 'accept', 'D-2026-0001', '--signed-by', ' ', '--date', '2026-01-02'], /--signed-by/);
    refused(['quote', 'accept', 'D-2026-0001', '--date', '2026-01-02'], /--signed-by/);
    refused(['quote', 'accept', 'D-2026-0099', '--signed-by', 'X'], /unknown quote "D-2026-0099"; list them with "relance quote list"/);
    refused(['quote', 'accept', 'F-2026-0001', '--signed-by', 'X'], /is an invoice, not a quote/);
    refused(['quote', 'decline', 'D-2026-0002'], /was accepted on 2026-01-02; it cannot be declined/);
  });

  it('an expired quote shows as expired, and --force accepts it', () => {
    expect(JSON.parse(ok(['quote', 'show', 'D-2026-0001', '--as-of', '2026-02-01', '--json']).stdout).status).toBe('expired');
    const other = sandbox('relance-force-');
    try {
      expect(other.init().code).toBe(0);
      other.run(['client', 'add', 'ACME', '--name', 'ACME SAS']);
      other.run(['quote', 'new', 'ACME', '--line', 'T | 1 | 10 | 20', '--date', '2026-01-01', '--validity', '10']);
      const r = other.run(['quote', 'accept', 'D-2026-0001', '--signed-by', 'X', '--date', '2026-01-12', '--force']);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      other.cleanup();
    }
  });
});

describe('deposit refusals', () => {
  it('refuses a quote not accepted, and deposits beyond the quote total', () => {
    refused(['deposit', 'D-2026-0001', '--percent', '30', '--as-of', '2026-01-10'], /D-2026-0001 is open; a deposit needs an accepted quote: "relance quote accept D-2026-0001/);
    refused(['deposit', 'D-2026-0003', '--percent', '30', '--as-of', '2026-01-10'], /^relance: D-2026-0003 was declined; a deposit needs an accepted quote: make a new one with "relance quote new ACME --line ..."\n$/);
    // D-2026-0002: 1 200.00 + 21.10 = 1 221.10 incl. VAT; 60 % (732.66) already asked; 488.44 left.
    refused(['deposit', 'D-2026-0002', '--percent', '41', '--as-of', '2026-01-10'], /more than the quote's €1,221.10 incl. VAT; at most €488.44 can still be asked/);
    refused(['deposit', 'D-2026-0002', '--amount', '488.45', '--as-of', '2026-01-10'], /at most €488.44/);
    refused(['deposit', 'D-2026-0002', '--as-of', '2026-01-10'], /give --percent .* or --amount/);
    refused(['deposit', 'D-2026-0002', '--percent', '10', '--amount', '10'], /not both/);
    refused(['deposit', 'D-2026-0002', '--amount', '-5'], /--amount: "-5" must be more than zero/);
    refused(['deposit', 'D-2026-0002', '--percent', '0'], /--percent: 0 % must be more than 0/);
  });
});

describe('invoice refusals', () => {
  it('bad input to invoice new', () => {
    refused(['invoice', 'new', 'NOPE', '--line', 'X | 1 | 1 | 20'], /unknown client "NOPE"/);
    refused(['invoice', 'new', '--line', 'X | 1 | 1 | 20'], /missing client/);
    refused(['invoice', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--terms', '-3'], /--terms/);
    refused(['invoice', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--terms-kind', 'eom'], /--terms-kind needs --terms/);
    refused(['invoice', 'new', 'ACME', '--line', 'X | 1 | 100 | 20', '--currency', 'euros'], /--currency/);
    refused(['invoice', 'new', '--from-quote', 'D-2026-0001'], /is not accepted; record the "bon pour accord"/);
    refused(['invoice', 'new', 'GLOBEX', '--from-quote', 'D-2026-0002'], /is a quote for ACME, not GLOBEX/);
  });

  it('issuing: PO number required, dates follow the sequence, no second issue', () => {
    refused(['invoice', 'issue', globexDraft, '--date', '2026-01-15'], /GLOBEX requires a purchase-order number.*relance invoice edit draft-\d+ --po NUMBER/);
    refused(['invoice', 'issue', acmeDraft, '--date', '2026-01-09'], /the last invoice was issued on 2026-01-10.*--date/);
    refused(['invoice', 'issue', 'F-2026-0002'], /already issued/);
    refused(['invoice', 'issue', 'draft-999'], /unknown invoice "draft-999"; list them with "relance invoice list"/);
    refused(['invoice', 'issue', 'D-2026-0002'], /is a quote, not an invoice/);
  });

  it('issued invoices are never edited or deleted; drafts are not cancelled', () => {
    refused(['invoice', 'edit', 'F-2026-0002', '--po', 'X'], /is issued and cannot change; cancel it/);
    refused(['invoice', 'delete', 'F-2026-0002'], /is issued and cannot be deleted; cancel it with "relance invoice cancel F-2026-0002"/);
    refused(['invoice', 'edit', acmeDraft], /nothing to change/);
    refused(['invoice', 'cancel', acmeDraft], /is a draft; delete it/);
  });

  it('cancelling: nothing left to pay, before the issue date, unknown', () => {
    refused(['invoice', 'cancel', 'F-2026-0002', '--date', '2026-01-25'], /has nothing left to pay as of 2026-01-25/);
    refused(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-01-01'], /was issued on 2026-01-03; cancel it on or after that date/);
    refused(['invoice', 'cancel', 'F-2026-0404'], /unknown invoice "F-2026-0404"/);
  });

  it('list, show, pdf and dispute refuse bad input', () => {
    refused(['invoice', 'list', '--status', 'late'], /--status: "late" is not valid/);
    refused(['invoice', 'list', '--from', '2026-13-01'], /--from: "2026-13-01" has no month 13/);
    refused(['invoice', 'list', '--client', 'NOPE'], /unknown client "NOPE"/);
    refused(['invoice', 'show', 'F-2099-0001'], /unknown invoice/);
    refused(['invoice', 'pdf', 'F-2026-0002', '--out', '/nonexistent-dir/x.pdf'], /--out: the folder \/nonexistent-dir does not exist/);
    refused(['invoice', 'dispute', 'F-2026-0002'], /--reason/);
    refused(['invoice', 'dispute', acmeDraft, '--reason', 'x'], /is a draft; only an issued invoice can be disputed/);
    refused(['invoice', 'dispute', 'F-2026-0002', '--reason', 'x', '--date', '2026-02-01', '--until', '2026-01-01'], /--until 2026-01-01 is before the dispute's start, 2026-02-01 \(--date\); give a later --until/);
    refused(['invoice', 'dispute', 'F-2026-0002', '--reason', 'x', '--as-of', '2026-02-01', '--until', '2026-01-01'], /before the dispute's start, 2026-02-01 \(--as-of\)/);
    refused(['invoice', 'undispute', 'F-2026-0002'], /is not disputed/);
  });

  it('cancelling a credit note, or a deposit a final invoice deducts', () => {
    const main = sb;
    sb = sandbox('relance-refusals-2-');
    try {
      expect(sb.init().code).toBe(0);
      ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
      ok(['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-01']);
      ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'A. Client', '--date', '2026-01-02']);
      ok(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-01-03']); // F-0001
      const fin = JSON.parse(ok(['invoice', 'new', '--from-quote', 'D-2026-0001', '--json']).stdout);
      refused(['deposit', 'D-2026-0001', '--percent', '10', '--as-of', '2026-01-04'], /already has its final invoice draft-\d+; no more deposits/);
      refused(['invoice', 'new', '--from-quote', 'D-2026-0001'], /already has its invoice draft-\d+/);
      ok(['invoice', 'issue', fin.ref, '--date', '2026-01-05']); // F-0002
      refused(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-01-06'], /is deducted on the final invoice F-2026-0002; cancel F-2026-0002 first/);
      ok(['invoice', 'cancel', 'F-2026-0002', '--date', '2026-01-06']); // F-0003
      refused(['invoice', 'cancel', 'F-2026-0003', '--date', '2026-01-06'], /is a credit note; a credit note cannot be cancelled/);
      refused(['invoice', 'cancel', 'F-2026-0002', '--date', '2026-01-07'], /already cancelled by F-2026-0003/);
      refused(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-01-05'], /the last invoice was issued on 2026-01-06/);
      // deposit --issue makes and issues in one transaction: a refused issue leaves no draft behind.
      ok(['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--po-required']);
      ok(['quote', 'new', 'GLOBEX', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-06']);
      ok(['quote', 'accept', 'D-2026-0002', '--signed-by', 'B. Client', '--date', '2026-01-06']);
      refused(['deposit', 'D-2026-0002', '--percent', '30', '--issue', '--date', '2026-01-07'], /GLOBEX requires a purchase-order number/);
      expect(JSON.parse(ok(['deposit', 'D-2026-0002', '--percent', '30', '--issue', '--date', '2026-01-07', '--po', 'PO-1', '--json']).stdout)).toMatchObject({ number: 'F-2026-0004', poNumber: 'PO-1' });
    } finally {
      sb.cleanup();
      sb = main;
    }
  });
});
