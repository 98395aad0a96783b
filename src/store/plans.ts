/** Payment plans (echeanciers) of invoices. Writes run inside write(). */
import { t } from '../i18n/index.js';
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { Instalment } from '../core/plans.js';
import type { Db } from './db.js';

export interface StoredPlan {
  id: number;
  documentId: number;
  createdOn: IsoDate;
  cancelledOn: IsoDate | null;
  instalments: Instalment[];
}

/** The plan of an invoice that is active now (not cancelled), if any. */
export function activePlan(db: Db, documentId: number): StoredPlan | undefined {
  const p = db.prepare('SELECT id, document_id, created_on, cancelled_on FROM plans WHERE document_id = ? AND cancelled_on IS NULL ORDER BY id DESC LIMIT 1').get(documentId) as
    | { id: number; document_id: number; created_on: string; cancelled_on: string | null }
    | undefined;
  if (!p) return undefined;
  const instalments = (db.prepare('SELECT position, due_date, amount FROM plan_instalments WHERE plan_id = ? ORDER BY position').all(p.id) as { position: number; due_date: string; amount: number }[]).map(
    (i) => ({ position: i.position, dueDate: i.due_date, amount: i.amount }),
  );
  return { id: p.id, documentId: p.document_id, createdOn: p.created_on, cancelledOn: p.cancelled_on, instalments };
}

export function insertPlan(db: Db, documentId: number, createdOn: IsoDate, instalments: readonly Instalment[]): number {
  if (activePlan(db, documentId)) throw new UsageError(t('dunning.plans.err.exists'));
  const id = Number(db.prepare('INSERT INTO plans (document_id, created_on) VALUES (?, ?)').run(documentId, createdOn).lastInsertRowid);
  const ins = db.prepare('INSERT INTO plan_instalments (plan_id, position, due_date, amount) VALUES (?, ?, ?, ?)');
  for (const i of instalments) ins.run(id, i.position, i.dueDate, i.amount);
  return id;
}

export function cancelPlan(db: Db, planId: number, on: IsoDate): void {
  db.prepare('UPDATE plans SET cancelled_on = ? WHERE id = ? AND cancelled_on IS NULL').run(on, planId);
}
