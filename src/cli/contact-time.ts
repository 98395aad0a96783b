/** The time of a contact: typed with --at, else the clock's now, as the ledger's local time with its UTC offset. */
import { formatWallTime, parseWallTime } from '../core/calllog.js';
import { wallTimeInZone } from '../core/timezone.js';
import type { IO } from './io.js';

export function contactTime(io: IO, text: string | undefined): string {
  if (text === undefined) return io.stamp();
  const w = parseWallTime(text, '--at');
  if (w.offset !== undefined) return formatWallTime({ ...w, offset: w.offset });
  // The offset the ledger's time zone has at that wall time (summer or winter time), whatever TZ says.
  return wallTimeInZone(w, io.timeZone);
}
