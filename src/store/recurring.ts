/**
 * Recurring invoices (migration 13): the schedules and the periods issued. Writes run inside
 * write(); `claimPeriod` is the guard of exactly-once: it inserts the (schedule, period) row in the
 * transaction that issues the period's invoice, so a period already issued (by another run, or by
 * this one before a crash) is seen and skipped, never issued twice.
 */
import { t } from '../i18n/index.js';
import type Database from 'better-sqlite3';
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { periodsUpTo, type Every, type Recurrence } from '../core/recurrence.js';
import { clientById } from './clients.js';
import type { LineInput } from '../core/vat.js';
import type { Db } from './db.js';
import type { TermsKind } from './settings.js';

export type ScheduleStatus = 'active' | 'paused' | 'stopped';

export interface Schedule extends Recurrence {
  id: number;
  clientId: number;
  clientCode: string;
  send: boolean;
  status: ScheduleStatus;
  lines: LineInput[];
  currency: string;
  termsDays: number | null;
  termsKind: TermsKind | null;
  poNumber: string | null;
  operation: 'goods' | 'services' | 'both' | null;
  notes: string | null;
  skipBefore: IsoDate | null;
  createdOn: IsoDate;
  pausedOn: IsoDate | null;
  stoppedOn: IsoDate | null;
}

export type NewSchedule = Omit<Schedule, 'id' | 'clientCode' | 'status' | 'skipBefore' | 'pausedOn' | 'stoppedOn'>;

export interface IssuedPeriod {
  scheduleId: number;
  period: IsoDate;
  documentId: number;
  number: string | null;
  issueDate: IsoDate | null;
  totalGross: number;
  toSend: boolean;
  issuedAt: string;
}

interface Row {
  id: number;
  client_id: number;
  client_code: string;
  every: Every;
  weeks: number;
  on_day: number;
  start_on: string;
  end_on: string | null;
  send: number;
  status: ScheduleStatus;
  lines_json: string;
  currency: string;
  terms_days: number | null;
  terms_kind: TermsKind | null;
  po_number: string | null;
  operation: Schedule['operation'];
  notes: string | null;
  skip_before: string | null;
  created_on: string;
  paused_on: string | null;
  stopped_on: string | null;
}

const of = (r: Row): Schedule => ({
  id: r.id,
  clientId: r.client_id,
  clientCode: r.client_code,
  every: r.every,
  weeks: r.weeks,
  on: r.on_day,
  start: r.start_on,
  end: r.end_on,
  send: r.send === 1,
  status: r.status,
  lines: JSON.parse(r.lines_json) as LineInput[],
  currency: r.currency,
  termsDays: r.terms_days,
  termsKind: r.terms_kind,
  poNumber: r.po_number,
  operation: r.operation,
  notes: r.notes,
  skipBefore: r.skip_before,
  createdOn: r.created_on,
  pausedOn: r.paused_on,
  stoppedOn: r.stopped_on,
});

const statements = new WeakMap<Db, Map<string, Database.Statement>>();
function stmt(db: Db, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

const SELECT = 'SELECT r.*, c.code AS client_code FROM recurring r JOIN clients c ON c.id = r.client_id';

export function insertSchedule(db: Db, s: NewSchedule): Schedule {
  const info = stmt(
    db,
    `INSERT INTO recurring (client_id, every, weeks, on_day, start_on, end_on, send, lines_json, currency, terms_days, terms_kind, po_number, operation, notes, created_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.clientId, s.every, s.weeks, s.on, s.start, s.end, s.send ? 1 : 0, JSON.stringify(s.lines), s.currency, s.termsDays, s.termsKind, s.poNumber, s.operation, s.notes, s.createdOn);
  return scheduleById(db, Number(info.lastInsertRowid))!;
}

export function scheduleById(db: Db, id: number): Schedule | undefined {
  const r = stmt(db, `${SELECT} WHERE r.id = ?`).get(id) as Row | undefined;
  return r && of(r);
}

/** The schedule numbered `ref` ("3" or "#3"), or a one-line UsageError pointing at the list. */
export function requireSchedule(db: Db, ref: string): Schedule {
  const m = /^#?(\d{1,9})$/.exec(ref.trim());
  const s = m ? scheduleById(db, Number(m[1])) : undefined;
  if (!s) throw new UsageError(t('dunning.recurring.err.unknown', { ref }));
  return s;
}

export function listSchedules(db: Db, f: { status?: ScheduleStatus; clientId?: number } = {}): Schedule[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) (where.push('r.status = ?'), args.push(f.status));
  if (f.clientId !== undefined) (where.push('r.client_id = ?'), args.push(f.clientId));
  return (db.prepare(`${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id`).all(...args) as Row[]).map(of);
}

/** pause / resume / stop. Inside write(). */
export function setScheduleStatus(db: Db, id: number, status: ScheduleStatus, on: IsoDate, skipBefore?: IsoDate | null): Schedule {
  if (status === 'paused') stmt(db, "UPDATE recurring SET status = 'paused', paused_on = ? WHERE id = ?").run(on, id);
  else if (status === 'stopped') stmt(db, "UPDATE recurring SET status = 'stopped', stopped_on = ? WHERE id = ?").run(on, id);
  else stmt(db, "UPDATE recurring SET status = 'active', paused_on = NULL, skip_before = coalesce(?, skip_before) WHERE id = ?").run(skipBefore ?? null, id);
  return scheduleById(db, id)!;
}

/** What `recurring edit` may change: applies to the periods not issued yet. Inside write(). */
export type ScheduleEdit = Partial<Pick<Schedule, 'lines' | 'send' | 'end' | 'termsDays' | 'termsKind' | 'poNumber' | 'operation' | 'notes' | 'on' | 'start' | 'skipBefore'>>;

const EDIT_COLUMNS: Record<keyof ScheduleEdit, string> = {
  lines: 'lines_json',
  send: 'send',
  end: 'end_on',
  termsDays: 'terms_days',
  termsKind: 'terms_kind',
  poNumber: 'po_number',
  operation: 'operation',
  notes: 'notes',
  on: 'on_day',
  start: 'start_on',
  skipBefore: 'skip_before',
};

export function updateSchedule(db: Db, id: number, edit: ScheduleEdit): Schedule {
  const keys = (Object.keys(edit) as (keyof ScheduleEdit)[]).filter((k) => edit[k] !== undefined);
  if (keys.length) {
    const value = (k: keyof ScheduleEdit) => (k === 'lines' ? JSON.stringify(edit.lines) : k === 'send' ? (edit.send ? 1 : 0) : edit[k]);
    db.prepare(`UPDATE recurring SET ${keys.map((k) => `${EDIT_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(...keys.map(value), id);
  }
  return scheduleById(db, id)!;
}

/** The periods already issued of a schedule (or of all), oldest first, with their invoice. */
export function issuedPeriods(db: Db, scheduleId?: number): IssuedPeriod[] {
  const rows = db
    .prepare(
      `SELECT p.recurring_id, p.period, p.document_id, p.to_send, p.issued_at, d.number, d.issue_date, d.total_gross
       FROM recurring_periods p JOIN documents d ON d.id = p.document_id
       ${scheduleId === undefined ? '' : 'WHERE p.recurring_id = ?'} ORDER BY p.recurring_id, p.period`,
    )
    .all(...(scheduleId === undefined ? [] : [scheduleId])) as { recurring_id: number; period: string; document_id: number; to_send: number; issued_at: string; number: string | null; issue_date: string | null; total_gross: number }[];
  return rows.map((r) => ({ scheduleId: r.recurring_id, period: r.period, documentId: r.document_id, number: r.number, issueDate: r.issue_date, totalGross: r.total_gross, toSend: r.to_send === 1, issuedAt: r.issued_at }));
}

export function periodIssued(db: Db, scheduleId: number, period: IsoDate): boolean {
  return stmt(db, 'SELECT 1 FROM recurring_periods WHERE recurring_id = ? AND period = ?').get(scheduleId, period) !== undefined;
}

/** Record the period as issued by this invoice. Inside the write() that issued it. */
export function claimPeriod(db: Db, scheduleId: number, period: IsoDate, documentId: number, toSend: boolean, issuedAt: string): void {
  stmt(db, 'INSERT INTO recurring_periods (recurring_id, period, document_id, to_send, issued_at) VALUES (?, ?, ?, ?, ?)').run(scheduleId, period, documentId, toSend ? 1 : 0, issuedAt);
}

/** Invoices of recurring schedules still to send (issued; their email not gone out, nor maybe). */
export function periodsToSend(db: Db): IssuedPeriod[] {
  return issuedPeriods(db).filter((p) => p.toSend);
}

/** The invoice's email went out (or may have: uncertain is never resent): nothing left to send. */
export function markPeriodSent(db: Db, documentId: number): void {
  stmt(db, 'UPDATE recurring_periods SET to_send = 0 WHERE document_id = ?').run(documentId);
}

/** The schedule that issued this invoice, if any (invoice show). */
export function scheduleOfDocument(db: Db, documentId: number): { scheduleId: number; period: IsoDate } | undefined {
  const r = stmt(db, 'SELECT recurring_id, period FROM recurring_periods WHERE document_id = ?').get(documentId) as { recurring_id: number; period: string } | undefined;
  return r && { scheduleId: r.recurring_id, period: r.period };
}

/** A schedule's periods due by `asOf` that are not issued yet (nor skipped by a resume), oldest first. */
export function duePeriods(db: Db, s: Schedule, asOf: IsoDate): IsoDate[] {
  const done = new Set(issuedPeriods(db, s.id).map((p) => p.period));
  return periodsUpTo(s, asOf).filter((p) => !done.has(p) && (s.skipBefore === null || p >= s.skipBefore));
}

/** A schedule whose client is on stop work, and its due periods it does not issue. */
export interface HeldSchedule {
  schedule: number;
  client: string;
  periods: IsoDate[];
}

/** What stop work holds back as of a day: each active schedule of a client on stop work with periods due (todo, the run). */
export function heldByStopWork(db: Db, asOf: IsoDate): HeldSchedule[] {
  const out: HeldSchedule[] = [];
  for (const s of listSchedules(db, { status: 'active' })) {
    if (!clientById(db, s.clientId).stopWork) continue;
    const periods = duePeriods(db, s, asOf);
    if (periods.length) out.push({ schedule: s.id, client: s.clientCode, periods });
  }
  return out;
}
