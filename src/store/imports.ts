/**
 * Imports: what the checks of an import need to know about the ledger, and the writes of one import
 * (call the writers inside one write()). An imported invoice keeps its own number out of the invoice
 * sequence (seq = -id, schema/imports.ts), carries one line for its amounts, and its totals are those
 * of the spreadsheet; what was already paid goes through the payments module (payInvoice), so the
 * balance, settled_on, overdue and the statements agree; its last reminder becomes a reminder row
 * (with a message marked sent, "imported") so the dunning planner continues from that level.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { insertClient, listClients } from './clients.js';
import type { Db } from './db.js';
import { documentById, termsFor } from './documents.js';
import { clientById } from './clients.js';
import { dueDate } from '../core/terms.js';
import { payInvoice } from './payments.js';
import { getPolicy } from './reminders.js';
import { mergePolicy } from '../core/dunning.js';
import { parseOverride } from './reminders.js';

/** The rows an import creates, as the checks of src/exchange/import-rows.ts make them. */
export interface ClientImportFields {
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  billingAddress: string | null;
  contactName: string | null;
  siren: string | null;
  vatNumber: string | null;
  lang: 'fr' | 'en' | undefined;
  kind: 'b2b' | 'b2c' | undefined;
  termsDays: number | null;
  poRequired: boolean | undefined;
  notes: string | null;
}

export interface ClientImportRow {
  row: number;
  code: string;
  fields: ClientImportFields;
}

export interface ClientRef {
  id: number;
  code: string;
  name: string;
}

export interface ExistingNumber {
  imported: boolean;
  clientId: number;
  amountDue: Cents;
}

export interface InvoiceImportRow {
  row: number;
  number: string;
  client: ClientRef;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  gross: Cents;
  net: Cents;
  vat: Cents;
  vatBp: number;
  /** no rate nor amount excl. VAT in the file: the ledger's usual rate was assumed */
  rateAssumed: boolean;
  paid: Cents;
  paidOn: IsoDate | null;
  level: number | null;
  reminderDate: IsoDate | null;
  operation: 'goods' | 'services' | 'both' | null;
  po: string | null;
}

export interface ImportRecord {
  kind: 'clients' | 'invoices';
  file: string;
  sha256: string;
  rows: number;
  created: number;
  at: string;
}

/** Client codes and names (the clients import compares with them). */
export function clientNames(db: Db): Map<string, string> {
  return new Map((db.prepare('SELECT code, name FROM clients').all() as { code: string; name: string }[]).map((r) => [r.code, r.name]));
}

export function clientRefs(db: Db): ClientRef[] {
  return listClients(db).map((c) => ({ id: c.id, code: c.code, name: c.name }));
}

/** Every issued document's number, and whether an import made it. */
export function existingNumbers(db: Db): Map<string, ExistingNumber> {
  const rows = db.prepare('SELECT number, import_id, client_id, amount_due FROM documents WHERE number IS NOT NULL').all() as {
    number: string;
    import_id: number | null;
    client_id: number;
    amount_due: number;
  }[];
  return new Map(rows.map((r) => [r.number, { imported: r.import_id !== null, clientId: r.client_id, amountDue: r.amount_due }]));
}

/** The dunning levels of a client: its own policy override, else the ledger's. */
export function levelsOf(db: Db): (clientId: number) => { level: number; name: string }[] {
  const policy = getPolicy(db);
  return (clientId) => mergePolicy(policy, parseOverride(clientById(db, clientId).policyJson)).levels.map((l) => ({ level: l.level, name: l.name }));
}

/** Due date from the client's (else the ledger's) terms. */
export function dueFromTerms(db: Db): (clientId: number, issueDate: IsoDate) => IsoDate {
  return (clientId, issueDate) => dueDate(issueDate, termsFor(db, { termsDays: null, termsKind: null, kind: 'invoice' }, clientById(db, clientId)));
}

function recordImport(db: Db, r: ImportRecord): number {
  const info = db.prepare('INSERT INTO imports (kind, file, sha256, rows, created, imported_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.kind, r.file, r.sha256, r.rows, r.created, r.at);
  return Number(info.lastInsertRowid);
}

/** Create the clients of an import. Inside write(). */
export function importClients(db: Db, rows: readonly ClientImportRow[], record: Omit<ImportRecord, 'kind' | 'created'>): number {
  const importId = recordImport(db, { ...record, kind: 'clients', created: rows.length });
  const mark = db.prepare('UPDATE clients SET import_id = ? WHERE id = ?');
  for (const r of rows) {
    const f = r.fields;
    const c = insertClient(
      db,
      r.code,
      {
        name: f.name,
        email: f.email,
        phone: f.phone,
        address: f.address,
        billingAddress: f.billingAddress,
        contactName: f.contactName,
        siren: f.siren,
        vatNumber: f.vatNumber,
        lang: f.lang,
        kind: f.kind,
        termsDays: f.termsDays,
        poRequired: f.poRequired,
        notes: f.notes,
      },
      record.at,
    );
    mark.run(importId, c.id);
  }
  return importId;
}

/** Create the invoices of an import, their payments so far and their last reminders. Inside write(). */
export function importInvoices(db: Db, rows: readonly InvoiceImportRow[], record: Omit<ImportRecord, 'kind' | 'created'>, asOf: IsoDate): number {
  const importId = recordImport(db, { ...record, kind: 'invoices', created: rows.length });
  const insertDoc = db.prepare(`
    INSERT INTO documents (kind, client_id, currency, created_on, issue_date, due_date, po_number, operation, notes,
                           total_net, total_vat, total_gross, deducted_gross, amount_due, import_id)
    VALUES ('invoice', @clientId, @currency, @createdOn, @issueDate, @dueDate, @po, @operation, @notes, @net, @vat, @gross, 0, @gross, @importId)`);
  const insertLine = db.prepare(
    'INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price, vat_bp, discount_bp, discount_amount, net) VALUES (?, 1, ?, 1000, ?, ?, 0, 0, ?)',
  );
  const number = db.prepare('UPDATE documents SET number = ?, seq = -id WHERE id = ?');
  const message = db.prepare(`
    INSERT INTO messages (client_id, level, channel, status, as_of, subject, recipient, invoices, created_at, sent_at)
    VALUES (?, ?, 'email', 'sent', ?, ?, ?, ?, ?, ?)`);
  const reminder = db.prepare('INSERT INTO reminders (document_id, instalment, level, message_id, date) VALUES (?, 0, ?, ?, ?)');
  for (const r of rows) {
    const client = clientById(db, r.client.id);
    const notes = `${client.lang === 'fr' ? 'Importée de' : 'Imported from'} ${record.file} (${client.lang === 'fr' ? 'ligne' : 'row'} ${r.row})`;
    const id = Number(
      insertDoc.run({
        clientId: r.client.id,
        currency: r.currency,
        createdOn: asOf,
        issueDate: r.issueDate,
        dueDate: r.dueDate,
        po: r.po,
        operation: r.operation,
        notes,
        net: r.net,
        vat: r.vat,
        gross: r.gross,
        importId,
      }).lastInsertRowid,
    );
    insertLine.run(id, client.lang === 'fr' ? `Facture ${r.number} (reprise)` : `Invoice ${r.number} (brought over)`, r.net, r.vatBp, r.net);
    number.run(r.number, id);
    if (r.paid > 0) {
      const d = documentById(db, id)!;
      payInvoice(
        db,
        { id, kind: d.kind, number: d.number, clientId: d.clientId, issueDate: d.issueDate, dueDate: d.dueDate, currency: d.currency, amountDue: d.amountDue },
        { amount: r.paid, date: r.paidOn ?? r.issueDate, method: 'other', reference: `import ${record.file} row ${r.row}`, createdAt: record.at },
      );
    }
    if (r.level !== null && r.reminderDate !== null) {
      const subject = `${client.lang === 'fr' ? 'Relance importée' : 'Imported reminder'} (${record.file}, ${client.lang === 'fr' ? 'ligne' : 'row'} ${r.row})`;
      const m = Number(message.run(r.client.id, r.level, r.reminderDate, subject, client.email, r.number, record.at, r.reminderDate).lastInsertRowid);
      reminder.run(id, r.level, m, r.reminderDate);
    }
  }
  return importId;
}
