/**
 * Document numbers from a pattern: {YYYY} (year of the issue date), {YY}, {MM} (month), {seq} or
 * {seq:N} (the sequence number, zero-padded to N digits). The sequence itself is one continuous
 * counter per ledger (store/documents.ts takes it inside the issuing transaction); the pattern only
 * decides how it is written, so a new year never restarts or reuses a number.
 */
import { UsageError } from './errors.js';
import type { IsoDate } from './dates.js';

const TOKEN = /\{(YYYY|YY|MM|seq(?::(\d{1,2}))?)\}/g;

/**
 * Refuse a pattern that is not exactly one {seq} / {seq:N} (N from 1 to 9), that has unknown
 * {tokens}, or characters unsafe in a file name: the number names the PDF (`invoice pdf` writes
 * NUMBER.pdf), so "/", "\\" or ".." would write outside the folder.
 */
export function checkPattern(pattern: string, what = 'number pattern'): string {
  const seqs = pattern.match(/\{seq(?::[^}]*)?\}/g) ?? [];
  if (seqs.length === 0) throw new UsageError(`${what}: "${pattern}" has no {seq} or {seq:N}; e.g. F-{YYYY}-{seq:4}`);
  if (seqs.length > 1) throw new UsageError(`${what}: "${pattern}" has ${seqs.length} {seq} tokens; put exactly one, e.g. F-{YYYY}-{seq:4}`);
  if (!/^\{seq(?::[1-9])?\}$/.test(seqs[0]!)) throw new UsageError(`${what}: "${pattern}" has ${seqs[0]}; the width N of {seq:N} is a digit from 1 to 9, e.g. {seq:4}`);
  const rest = pattern.replace(TOKEN, '');
  const unknown = /\{[^}]*\}/.exec(rest);
  if (unknown) throw new UsageError(`${what}: "${pattern}" has an unknown token ${unknown[0]}; use {YYYY} {YY} {MM} {seq:N}`);
  if (/[/\\]/.test(rest) || pattern.replace(TOKEN, 'X').includes('..')) throw new UsageError(`${what}: "${pattern}" has "/", "\\" or "..", which cannot go in a file name (the number names its PDF, which must stay in its folder); e.g. F-{YYYY}-{seq:4}`);
  if (/[\s:*?"<>|#%\u0000-\u001f]/.test(rest)) throw new UsageError(`${what}: "${pattern}" has spaces or characters that cannot go in a file name; use letters, digits, "-", "_" or "."`);
  if (/^[.]/.test(pattern)) throw new UsageError(`${what}: "${pattern}" starts with "." (a hidden file name); e.g. F-{YYYY}-{seq:4}`);
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
