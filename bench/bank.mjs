// The bank import benchmark's statement: a CAMT.053.001.08 of N credit entries written against a
// generated ledger's open invoices (deterministic). Most entries carry the invoice's RF creditor
// reference, some its number with spacing and case typos, some only the payer's name; amounts are
// the balance, or part of it. Cached in bench/out/ next to its ledger.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OUT, ROOT } from './generate.mjs';

/**
 * The product's own RF creditor reference (src/core/payment-reference.ts invoiceReference, what
 * relance prints on an invoice), bundled on the fly with esbuild like bench/sql.mjs bundles the
 * overdue SQL: the statement carries exactly the references the matcher has to read back.
 * Synchronous (buildSync, CommonJS), and only when a statement is written.
 */
let invoiceReference = null;
function productReference(number) {
  if (!invoiceReference) {
    const require = createRequire(import.meta.url);
    const { buildSync } = require('esbuild');
    const outfile = path.join(OUT, 'capture', `payment-reference-${process.pid}.cjs`);
    buildSync({ entryPoints: [path.join(ROOT, 'src', 'core', 'payment-reference.ts')], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
    try {
      ({ invoiceReference } = require(outfile));
    } finally {
      fs.rmSync(outfile, { force: true });
    }
  }
  return invoiceReference(number);
}
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Returns the statement's path; `ledger` is read only. */
export function ensureCamtStatement(ledger, lines, asOf) {
  const file = ledger.replace(/\.db$/, `-camt-${lines}.xml`);
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(ledger).mtimeMs) return file;
  const db = new Database(ledger, { readonly: true });
  const open = db
    .prepare(
      `SELECT d.number, c.name, c.id AS client_id, d.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.document_id = d.id), 0) AS balance
       FROM documents d JOIN clients c ON c.id = d.client_id
       WHERE d.settled_on IS NULL AND d.number IS NOT NULL AND d.kind = 'invoice' AND d.currency = 'EUR' AND d.issue_date <= ?
       ORDER BY d.id LIMIT ?`,
    )
    .all(asOf, lines * 3);
  db.close();
  if (open.length < lines) throw new Error(`the ledger has ${open.length} open invoices, fewer than ${lines}`);
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-11-20T06:00:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id>');
  out.push('<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>');
  for (let i = 0; i < lines; i++) {
    const inv = open[i * 3]; // every third open invoice: the rest stay open
    const kind = i % 10; // 0-6 RF reference, 7-8 number with typos, 9 name only
    const amount = kind === 5 ? Math.floor(inv.balance / 2) : inv.balance;
    const iban = `FR76${String(10_000_000 + inv.client_id).padStart(23, '0')}`; // each client pays from its own account
    const rmt =
      kind <= 6
        ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${productReference(inv.number)}</Ref></CdtrRefInf></Strd>`
        : kind <= 8
          ? `<Ustrd>reglement facture ${esc(inv.number.toLowerCase().replace(/-/g, ' '))}</Ustrd>`
          : '<Ustrd>virement</Ustrd>';
    const ref = `B${String(i + 1).padStart(8, '0')}`;
    out.push(
      `<Ntry><Amt Ccy="EUR">${(amount / 100).toFixed(2)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${asOf}</Dt></BookgDt><ValDt><Dt>${asOf}</Dt></ValDt><AcctSvcrRef>${ref}</AcctSvcrRef>` +
        `<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>${esc(inv.name)}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>${iban}</IBAN></Id></DbtrAcct></RltdPties><RmtInf>${rmt}</RmtInf></TxDtls></NtryDtls>` +
        `<AddtlNtryInf>VIR SEPA RECU ${esc(inv.name.toUpperCase())}</AddtlNtryInf></Ntry>`,
    );
  }
  out.push('</Stmt></BkToCstmrStmt></Document>');
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/**
 * The same ledger with `settled` more invoices, all paid in full years before (a payment and an
 * allocation each, settled_on set by the ledger's own triggers), spread over the same clients as
 * its invoices: the history a real ledger gathers. The statement of ensureCamtStatement() reads the
 * same on it (same open invoices, same ids), so importing it into both shows what history costs.
 */
export function ensureHistoryLedger(ledger, settled) {
  const file = ledger.replace(/\.db$/, `-history-${settled}.db`);
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(ledger).mtimeMs) return file;
  const tmp = `${file}.tmp`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(ledger, tmp);
  const db = new Database(tmp);
  const docs = db.prepare(`SELECT client_id, currency, total_net, total_vat, total_gross, amount_due FROM documents WHERE kind = 'invoice' AND number IS NOT NULL ORDER BY id`).all();
  const { maxId, maxSeq } = db.prepare(`SELECT MAX(id) AS maxId, MAX(seq) AS maxSeq FROM documents`).get();
  const doc = db.prepare(`INSERT INTO documents (id, kind, number, seq, client_id, currency, created_on, issue_date, due_date, terms_days, terms_kind, total_net, total_vat, total_gross, amount_due)
    VALUES (?, 'invoice', ?, ?, ?, ?, ?, ?, ?, 30, 'net', ?, ?, ?, ?)`);
  const pay = db.prepare(`INSERT INTO payments (client_id, date, amount, currency, method, reference, created_at) VALUES (?, ?, ?, ?, 'transfer', 'history', '2023-01-01T00:00:00Z')`);
  const alloc = db.prepare(`INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)`);
  const day = (n) => new Date(Date.UTC(2018, 0, 1) + (n % 1500) * 86_400_000).toISOString().slice(0, 10);
  db.transaction(() => {
    for (let n = 1; n <= settled; n++) {
      const d = docs[n % docs.length];
      const id = maxId + n;
      doc.run(id, `H-${n}`, maxSeq + n, d.client_id, d.currency, day(n), day(n), day(n + 30), d.total_net, d.total_vat, d.total_gross, d.amount_due);
      const p = Number(pay.run(d.client_id, day(n + 40), d.amount_due, d.currency).lastInsertRowid);
      alloc.run(p, id, day(n + 40), d.amount_due);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.renameSync(tmp, file);
  return file;
}
