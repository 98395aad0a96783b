/**
 * `recurring edit --on DAY` and `--start DATE` (issue 20 §3): the calendar a schedule may still
 * change. The day moves from the next period not issued yet (core/recurrence.ts movedPeriod: the same
 * month, or the same week, on the new day), the calendar restarting there, so the cycles already
 * billed are not billed again and none is skipped. The start moves only while nothing is issued.
 */
import { addDays, parseDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { movedPeriod, nextPeriod, parseOn, periodAt } from '../core/recurrence.js';
import { t } from '../i18n/index.js';
import type { Db } from '../store/db.js';
import { issuedPeriods, type Schedule, type ScheduleEdit } from '../store/recurring.js';

/** The first period of the schedule not issued yet (nor skipped by a resume), or null when it has ended. */
export function nextUnissued(db: Db, s: Schedule): IsoDate | null {
  const issued = issuedPeriods(db, s.id).map((p) => p.period);
  const done = new Set(issued);
  const lastIssued = issued.reduce<IsoDate | null>((a, p) => (a === null || p > a ? p : a), null);
  for (let k = 0; ; k++) {
    const d = periodAt(s, k);
    if (s.end !== null && d > s.end) return null;
    if (done.has(d) || (s.skipBefore !== null && d < s.skipBefore) || (lastIssued !== null && d <= lastIssued)) continue;
    return d;
  }
}

export function calendarEdit(db: Db, s: Schedule, o: { on?: string; start?: string }): ScheduleEdit {
  const e: ScheduleEdit = {};
  if (o.start !== undefined) {
    if (issuedPeriods(db, s.id).length > 0) throw new UsageError(t('logo.recurring.startIssued', { schedule: s.id }));
    e.start = parseDate(o.start, '--start');
    if (s.end !== null && s.end < e.start) throw new UsageError(t('logo.recurring.pastEnd', { date: e.start, end: s.end }));
  }
  if (o.on !== undefined) {
    const on = parseOn(o.on, s.every);
    const from = e.start ?? s.start;
    if (issuedPeriods(db, s.id).length === 0 && s.skipBefore === null) {
      // Nothing issued: the calendar is simply the new day from the start.
      e.on = on;
      const first = nextPeriod({ ...s, start: from, on }, addDays(from, -1));
      if (first === null) throw new UsageError(t('logo.recurring.pastEnd', { date: nextPeriod({ ...s, start: from, on, end: null }, addDays(from, -1))!, end: s.end! }));
      return e;
    }
    const next = nextUnissued(db, s);
    if (next === null) throw new UsageError(t('logo.recurring.ended', { schedule: s.id }));
    const moved = movedPeriod(s.every, next, on);
    if (s.end !== null && moved > s.end) throw new UsageError(t('logo.recurring.pastEnd', { date: moved, end: s.end }));
    Object.assign(e, { on, start: moved, skipBefore: moved });
  }
  return e;
}
