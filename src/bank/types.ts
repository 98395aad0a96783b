/**
 * What every statement parser returns: one line per booked movement of money, amounts in signed
 * integer cents (a credit to the account is positive, a debit negative), dates YYYY-MM-DD. Pure data.
 */
import type { LineFacts } from '../core/bank-line.js';

export const STATEMENT_FORMATS = ['camt053', 'ofx', 'csv', 'cfonb120'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export type { LineFacts } from '../core/bank-line.js';

/** A line as read from a file: its facts and where it stands in the file. */
export interface StatementLine extends LineFacts {
  /** 1-based order of the line in the file. */
  position: number;
  /** Where in the file it starts (text line), for messages. */
  sourceLine: number;
}

export interface Statement {
  format: StatementFormat;
  /** The account's IBAN (or bank account number) as the file states it. */
  accountId: string | null;
  currency: string | null;
  lines: StatementLine[];
}
