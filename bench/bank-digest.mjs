// What a bank import wrote, as one digest per table (bench/README.md, issue 17): payments,
// allocations, bank lines, their links, learned IBANs, imports, invoice statuses, the deferral's
// settlement_pending and every document's kept columns, the clock columns (created_at,
// imported_at, recorded_at, ignored_at) left out. Two runs of two builds on copies of the same
// ledger print the same lines when they wrote the same rows.
//   node bench/bank-digest.mjs LEDGER.db [...more ledgers]
import crypto from 'node:crypto';
import Database from 'better-sqlite3';

const QUERIES = {
  payments: 'SELECT id, client_id, date, amount, currency, method, reference, reverses_id FROM payments ORDER BY id',
  allocations: 'SELECT id, payment_id, document_id, date, amount FROM allocations ORDER BY id',
  bank_lines: 'SELECT id, account_id, import_id, identity, booking_date, value_date, amount, currency, bank_ref, label, remittance, refs, payer_name, payer_iban, reversal, note, ignored_reason FROM bank_lines ORDER BY id',
  bank_line_payments: 'SELECT id, line_id, payment_id, how, undone_by FROM bank_line_payments ORDER BY id',
  client_ibans: 'SELECT iban, client_id, line_id, learned_on FROM client_ibans ORDER BY iban, client_id',
  bank_imports: 'SELECT id, account_id, file, format, sha256, lines_new, lines_known FROM bank_imports ORDER BY id',
  bank_accounts: 'SELECT id, name, iban, currency, format, csv_json FROM bank_accounts ORDER BY id',
  invoice_statuses: 'SELECT id, document_id, status, code, date, reason, source FROM invoice_statuses ORDER BY id',
  settlement_pending: 'SELECT document_id FROM settlement_pending ORDER BY document_id',
  documents: 'SELECT id, balance, last_settlement, settled_on, disputed_on, disputed_until FROM documents ORDER BY id',
};

for (const file of process.argv.slice(2)) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const parts = [];
  for (const [name, sql] of Object.entries(QUERIES)) {
    const h = crypto.createHash('sha256');
    let n = 0;
    for (const row of db.prepare(sql).raw(true).iterate()) {
      h.update(JSON.stringify(row));
      h.update('\n');
      n++;
    }
    parts.push(`${name} ${n} ${h.digest('hex').slice(0, 16)}`);
  }
  db.close();
  console.log(`${file}\n  ${parts.join('\n  ')}`);
}
