/**
 * Numbered migrations. Each runs in one IMMEDIATE transaction together with the bump of
 * PRAGMA user_version, so a ledger is always at exactly one version. A ledger whose version is
 * higher than LATEST comes from a newer relance and is refused (exit 4) without being touched.
 * Once a version has shipped, its migration is frozen: changes go in a new, higher one.
 */
import { baseSchema } from './schema/base.js';
import { clientArchiveSchema, clientsSchema, deliveryAddressSchema } from './schema/clients.js';
import { documentsSchema, settlementMarkerSchema } from './schema/documents.js';
import { paymentsSchema } from './schema/payments.js';
import { ratesSchema } from './schema/rates.js';
import { dunningSchema } from './schema/dunning.js';
import { contactsSchema } from './schema/contacts.js';
import { indexesSchema, openItemsIndexSchema, openItemsIndexWithReminderSchema, settledIndexesSchema } from './schema/indexes.js';
import { pdfsSchema } from './schema/pdfs.js';
import { listedLevelsBackfill } from './schema/listed-levels.js';
import { importsSchema } from './schema/imports.js';
import { bankOpenIndexSchema, bankSchema } from './schema/bank.js';
import { eurRatesSchema, statusesSchema } from './schema/statuses.js';
import { keptBalanceSchema } from './schema/balance.js';
import { recurringSchema } from './schema/recurring.js';
import { lastReminderSchema } from './schema/last-reminder.js';
import { digestsSchema } from './schema/digests.js';
import { deferredSettlementSchema } from './schema/deferred.js';
import { logosSchema } from './schema/logos.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial ledger',
    sql: [baseSchema, clientsSchema, documentsSchema, paymentsSchema, ratesSchema, dunningSchema, contactsSchema, indexesSchema].join('\n'),
  },
  {
    version: 2,
    name: 'frozen PDFs of issued documents',
    sql: pdfsSchema,
  },
  {
    version: 3,
    name: 'settlement marker of invoices (documents.settled_on) and its report indices',
    sql: [settlementMarkerSchema, settledIndexesSchema].join('\n'),
  },
  {
    version: 4,
    name: 'invoices listed in a message are recorded at its level (never a milder message after a stronger one)',
    sql: listedLevelsBackfill,
  },
  {
    version: 5,
    name: 'imported clients and invoices (imports, import_id)',
    sql: importsSchema,
  },
  {
    version: 6,
    name: 'archived clients (clients.archived_on)',
    sql: clientArchiveSchema,
  },
  {
    version: 7,
    name: 'bank statements: accounts, imported lines, the payments made from them, payer IBANs',
    sql: bankSchema,
  },
  {
    version: 8,
    name: 'platform lifecycle statuses of invoices (invoice_statuses) and the EUR rate of invoices in another currency',
    sql: [statusesSchema, eurRatesSchema].join('\n'),
  },
  {
    version: 9,
    name: 'bank matching reads a payer\'s open invoices only (bank_documents_open)',
    sql: bankOpenIndexSchema,
  },
  {
    version: 10,
    name: 'documents sent on their own (invoice send, quote send): messages of level -1 found by document number',
    sql: "CREATE INDEX messages_document_sends ON messages(invoices, id) WHERE level = -1;",
  },
  {
    version: 11,
    name: 'kept balance of invoices (documents.balance, last_settlement) and the open items index',
    sql: [keptBalanceSchema, openItemsIndexSchema].join('\n'),
  },
  {
    version: 12,
    name: 'delivery addresses of clients and invoices (clients.delivery_address, documents.delivery_address)',
    sql: deliveryAddressSchema,
  },
  {
    version: 13,
    name: 'recurring invoices: schedules (recurring) and the periods issued (recurring_periods, one per period)',
    sql: recurringSchema,
  },
  {
    version: 14,
    name: 'kept last reminder of invoices (documents.last_reminder_level, last_reminder_date), covered by the open items index',
    sql: [lastReminderSchema, openItemsIndexWithReminderSchema].join('\n'),
  },
  {
    version: 15,
    name: 'digests sent to the business owner, once per period (digests)',
    sql: digestsSchema,
  },
  {
    version: 16,
    name: 'deferred settlement: one recomputation of the kept balance per invoice per bank import (settlement_pending)',
    sql: deferredSettlementSchema,
  },
  {
    version: 17,
    name: 'the business logo (logos) and the logo each document was issued with (document_logos)',
    sql: logosSchema,
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;

/** 'RLNC': stamped in the SQLite header so that any other SQLite file is recognised as not a ledger. */
export const APPLICATION_ID = 0x524c4e43;
