/**
 * Document numbers from a pattern: {YYYY} (year of the issue date), {YY}, {MM} (month), {seq} or
 * {seq:N} (the sequence number, zero-padded to N digits). The sequence itself is one continuous
 * counter per ledger (store/documents.ts takes it inside the issuing transaction); the pattern only
 * decides how it is written, so a new year never restarts or reuses a number.
 */
import { UsageError } from './errors.js';
import type { IsoDate } from './dates.js';
import { t } from '../i18n/index.js';

const TOKEN = /\{(YYYY|YY|MM|seq(?::(\d{1,2}))?)\}/g;

/**
 * Refuse a pattern that is not exactly one {seq} / {seq:N} (N from 1 to 9), that has unknown
 * {tokens}, or characters unsafe in a file name: the number names the PDF (`invoice pdf` writes
 * NUMBER.pdf), so "/", "\\" or ".." would write outside the folder.
 */
export function checkPattern(pattern: string, what = t('common.pattern.what')): string {
  const seqs = pattern.match(/\{seq(?::[^}]*)?\}/g) ?? [];
  if (seqs.length === 0) throw new UsageError(t('common.pattern.noSeq', { what, pattern }));
  if (seqs.length > 1) throw new UsageError(t('common.pattern.manySeq', { what, pattern, count: seqs.length }));
  if (!/^\{seq(?::[1-9])?\}$/.test(seqs[0]!)) throw new UsageError(t('common.pattern.width', { what, pattern, token: seqs[0] }));
  const rest = pattern.replace(TOKEN, '');
  const unknown = /\{[^}]*\}/.exec(rest);
  if (unknown) throw new UsageError(t('common.pattern.unknownToken', { what, pattern, token: unknown[0] }));
  if (/[/\\]/.test(rest) || pattern.replace(TOKEN, 'X').includes('..')) throw new UsageError(t('common.pattern.slash', { what, pattern }));
  if (/[\s:*?"<>|#%\u0000-\u001f]/.test(rest)) throw new UsageError(t('common.pattern.chars', { what, pattern }));
  if (/^[.]/.test(pattern)) throw new UsageError(t('common.pattern.dot', { what, pattern }));
  return pattern;
}

/** The number for sequence value `seq` issued on `date`. */
export function formatNumber(pattern: string, seq: number, date: IsoDate): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`formatNumber: bad sequence value ${seq}`);
  const [yyyy, mm] = date.split('-') as [string, string];
  return pattern.replace(TOKEN, (_all, token: string, width?: string) => {
    if (token === 'YYYY') return yyyy;
    if (token === 'YY') return yyyy.slice(2);
    if (token === 'MM') return mm;
    return String(seq).padStart(width ? Number(width) : 1, '0');
  });
}
