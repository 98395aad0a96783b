/** Clients: prepared statements over the clients table. Writes must run inside write(). */
import { UsageError } from '../core/errors.js';
import { t } from '../i18n/index.js';
import type { TermsKind } from './settings.js';
import type { Db } from './db.js';

export interface Client {
  id: number;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  billingAddress: string | null;
  /** where goods or services are delivered, when not at the billing address */
  deliveryAddress: string | null;
  contactName: string | null;
  siren: string | null;
  vatNumber: string | null;
  lang: 'fr' | 'en';
  kind: 'b2b' | 'b2c';
  termsDays: number | null;
  termsKind: TermsKind | null;
  poRequired: boolean;
  billingNote: string | null;
  pausedUntil: string | null;
  stopWork: boolean;
  policyJson: string | null;
  notes: string | null;
  createdAt: string;
  /** The day the client was archived (left out of lists), null while it is active. */
  archivedOn: string | null;
}

export type ClientFields = Omit<Client, 'id' | 'code' | 'createdAt' | 'archivedOn'>;

const COLUMNS: Record<keyof ClientFields, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  address: 'address',
  billingAddress: 'billing_address',
  deliveryAddress: 'delivery_address',
  contactName: 'contact_name',
  siren: 'siren',
  vatNumber: 'vat_number',
  lang: 'lang',
  kind: 'kind',
  termsDays: 'terms_days',
  termsKind: 'terms_kind',
  poRequired: 'po_required',
  billingNote: 'billing_note',
  pausedUntil: 'paused_until',
  stopWork: 'stop_work',
  policyJson: 'policy_json',
  notes: 'notes',
};

interface Row {
  id: number;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  billing_address: string | null;
  delivery_address: string | null;
  contact_name: string | null;
  siren: string | null;
  vat_number: string | null;
  lang: 'fr' | 'en';
  kind: 'b2b' | 'b2c';
  terms_days: number | null;
  terms_kind: TermsKind | null;
  po_required: number;
  billing_note: string | null;
  paused_until: string | null;
  stop_work: number;
  policy_json: string | null;
  notes: string | null;
  created_at: string;
  archived_on: string | null;
}

function fromRow(r: Row): Client {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    email: r.email,
    phone: r.phone,
    address: r.address,
    billingAddress: r.billing_address,
    deliveryAddress: r.delivery_address,
    contactName: r.contact_name,
    siren: r.siren,
    vatNumber: r.vat_number,
    lang: r.lang,
    kind: r.kind,
    termsDays: r.terms_days,
    termsKind: r.terms_kind,
    poRequired: r.po_required === 1,
    billingNote: r.billing_note,
    pausedUntil: r.paused_until,
    stopWork: r.stop_work === 1,
    policyJson: r.policy_json,
    notes: r.notes,
    createdAt: r.created_at,
    archivedOn: r.archived_on,
  };
}

function toDb(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export function findClient(db: Db, code: string): Client | undefined {
  const r = db.prepare('SELECT * FROM clients WHERE code = ?').get(code) as Row | undefined;
  return r && fromRow(r);
}

export function clientById(db: Db, id: number): Client {
  const r = db.prepare('SELECT * FROM clients WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new Error(`client #${id} not found`);
  return fromRow(r);
}

/** The client with this code, or a UsageError that says how to find the right one. */
export function requireClient(db: Db, code: string): Client {
  const c = findClient(db, code);
  if (!c) throw new UsageError(t('documents.client.unknown', { code }));
  return c;
}

/** Clients by code: all of them (the default, archived included), the active ones, or the archived ones. */
export function listClients(db: Db, which: 'active' | 'archived' | 'all' = 'all'): Client[] {
  const where = which === 'active' ? 'WHERE archived_on IS NULL' : which === 'archived' ? 'WHERE archived_on IS NOT NULL' : '';
  return (db.prepare(`SELECT * FROM clients ${where} ORDER BY code`).all() as Row[]).map(fromRow);
}

/** The ids of the archived clients (for leaving them out of lists). */
export function archivedClientIds(db: Db): Set<number> {
  return new Set(db.prepare('SELECT id FROM clients WHERE archived_on IS NOT NULL').pluck().all() as number[]);
}

/** Archive (a day) or unarchive (null) a client. Inside write(); the caller checks it owes nothing. */
export function setArchived(db: Db, id: number, on: string | null): Client {
  // A recurring invoice would bill an archived client every period (and fail every night): stop it first.
  if (on !== null) {
    const live = db.prepare("SELECT r.id, r.status, c.code FROM recurring r JOIN clients c ON c.id = r.client_id WHERE r.client_id = ? AND r.status != 'stopped' ORDER BY r.id").all(id) as { id: number; status: string; code: string }[];
    if (live.length) throw new UsageError(t('logo.recurring.archiveRefused', { client: live[0]!.code, ids: live.map((r) => t('logo.recurring.number', { id: r.id })).join(', '), first: live[0]!.id }));
  }
  db.prepare('UPDATE clients SET archived_on = ? WHERE id = ?').run(on, id);
  return clientById(db, id);
}

export function insertClient(db: Db, code: string, fields: Partial<ClientFields> & { name: string }, createdAt: string): Client {
  if (findClient(db, code)) throw new UsageError(t('documents.client.exists', { code }));
  const keys = Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined) as (keyof ClientFields)[];
  const cols = ['code', 'created_at', ...keys.map((k) => COLUMNS[k])];
  const values = [code, createdAt, ...keys.map((k) => toDb(fields[k]))];
  const info = db.prepare(`INSERT INTO clients (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
  return clientById(db, Number(info.lastInsertRowid));
}

export function updateClient(db: Db, id: number, fields: Partial<ClientFields>): Client {
  const keys = Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined) as (keyof ClientFields)[];
  if (keys.length > 0) {
    db.prepare(`UPDATE clients SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => toDb(fields[k])), id);
  }
  return clientById(db, id);
}
