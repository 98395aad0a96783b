/** The time of a contact: typed with --at, else the clock's now, as local time with its UTC offset. */
import { formatWallTime, parseWallTime } from '../core/calllog.js';
import { timestamp } from '../store/db.js';
import type { IO } from './io.js';

export function contactTime(io: IO, text: string | undefined): string {
  if (text === undefined) return timestamp(io.now());
  const w = parseWallTime(text, '--at');
  if (w.offset !== undefined) return formatWallTime({ ...w, offset: w.offset });
  // The offset the local time zone has at that wall time (summer or winter time).
  const [y, mo, d] = w.date.split('-').map(Number) as [number, number, number];
  const local = new Date(y, mo - 1, d, w.hour, w.minute, w.second);
  return timestamp(local);
}

