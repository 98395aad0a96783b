/**
 * From the bytes of a statement file to its lines: the text encoding (UTF-8 with or without BOM,
 * else Latin-1 / Windows-1252 as French bank CSV and OFX 1.x files often are), the format (told by
 * --format or the account, else recognised from the content), then the format's parser. A file
 * that is not what it claims is refused (exit 2) naming it. Pure: bytes in, lines out.
 */
import { bad } from './common.js';
import { looksLikeCamt, parseCamt053 } from './camt.js';
import { looksLikeCfonb, parseCfonb120 } from './cfonb.js';
import { parseBankCsv, type CsvMapping } from './csv.js';
import { looksLikeOfx, parseOfx } from './ofx.js';
import type { Statement, StatementFormat } from './types.js';

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), else Windows-1252 (a superset of Latin-1's printable range). */
export function decodeText(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 10) line++;
    throw bad(file, line, 'text', 'a NUL byte: this is not a text statement (a spreadsheet or a PDF?); export CAMT.053, OFX, CFONB 120 or CSV');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function detectFormat(text: string): StatementFormat | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (looksLikeOfx(head)) return 'ofx';
  if (head.startsWith('<')) return looksLikeCamt(head) ? 'camt053' : null;
  if (looksLikeCfonb(head)) return 'cfonb120';
  return 'csv';
}

/** What a file's name claims it is (.xml, .ofx/.qfx, .csv, .cfonb), or null. */
export function claimedFormat(file: string): StatementFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  return ext === 'xml' || ext === 'camt' ? 'camt053' : ext === 'ofx' || ext === 'qfx' ? 'ofx' : ext === 'csv' ? 'csv' : ext === 'cfonb' || ext === 'cfo' ? 'cfonb120' : null;
}

export interface ReadOptions {
  format?: StatementFormat;
  csv?: CsvMapping;
  /** The account's currency: CSV files seldom say theirs. */
  currency: string;
}

export function readStatement(bytes: Uint8Array, file: string, o: ReadOptions): Statement {
  const text = decodeText(bytes, file);
  const detected = detectFormat(text);
  const claimed = o.format ?? claimedFormat(file);
  const format = claimed ?? detected;
  if (!format) throw bad(file, 1, 'format', 'not a statement relance reads (CAMT.053, OFX, CFONB 120 or CSV); give --format if it is one');
  if (claimed && detected !== claimed) {
    const what = { camt053: 'CAMT.053 XML', ofx: 'OFX', cfonb120: 'CFONB 120', csv: 'CSV' }[claimed];
    throw bad(file, 1, 'format', `is not ${what}${detected ? ` (it looks like ${detected})` : ''}`);
  }
  switch (format) {
    case 'camt053':
      return parseCamt053(text, file);
    case 'ofx':
      return parseOfx(text, file);
    case 'cfonb120':
      return parseCfonb120(text, file);
    case 'csv':
      return parseBankCsv(text, file, { mapping: o.csv, currency: o.currency });
  }
}
