/**
 * Issue 6 in `overdue`: a promise to pay shows whether it is pending, kept or broken as of the
 * report's date (a broken one: its date plus the policy's grace passed without the amount received),
 * from the same verdict the dunning planner and `todo` use (store/contacts.ts, core/calllog.ts).
 */
import type { PromiseStatus } from '../../core/calllog.js';
import type { Db } from '../../store/db.js';
import { promisesAsOf } from '../../store/contacts.js';
import type { OverdueReport } from './overdue.js';

/** The report with each row's promise status (null: no promise, or one a later promise replaced). */
export function withPromiseStatus(db: Db, report: OverdueReport): OverdueReport {
  const shown = new Set<number>();
  for (const r of report.rows) if (r.contact?.promise) shown.add(r.contact.promise.id);
  if (shown.size === 0) return report;
  // Only the promises the report shows get their balances looked up.
  const states = new Map(promisesAsOf(db, report.asOf, { only: shown, followUps: false }).map((p) => [p.contactId, p]));
  return {
    ...report,
    rows: report.rows.map((r) => {
      const promise = r.contact?.promise;
      if (!promise) return r;
      const state = states.get(promise.id);
      return { ...r, promiseStatus: state?.status ?? null };
    }),
  };
}

/** What the promise column adds after the date: nothing while pending. */
export function promiseMark(status: PromiseStatus | null | undefined): string {
  return status === 'broken' ? ' broken' : status === 'kept' ? ' kept' : '';
}
