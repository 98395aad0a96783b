/**
 * Which recurring invoice issued an invoice (issue 20 §3): `invoice show` prints it as a field and
 * carries it in --json (`recurring: { schedule, period }`, null for an invoice made by hand).
 */
import { t } from '../i18n/index.js';
import type { Db } from '../store/db.js';
import { scheduleOfDocument } from '../store/recurring.js';

export function recurringJson(db: Db, d: { id: number }): { recurring: { schedule: number; period: string } | null } {
  const r = scheduleOfDocument(db, d.id);
  return { recurring: r ? { schedule: r.scheduleId, period: r.period } : null };
}

/** The field of `invoice show` (none for an invoice made by hand). */
export function recurringFields(db: Db, d: { id: number }): [string, string][] {
  const r = scheduleOfDocument(db, d.id);
  return r ? [[t('logo.recurring.field'), t('logo.recurring.schedule', { schedule: r.scheduleId, period: r.period })]] : [];
}
