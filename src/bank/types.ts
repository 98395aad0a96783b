/**
 * What every statement parser returns: one line per booked movement of money, amounts in signed
 * integer cents (a credit to the account is positive, a debit negative), dates YYYY-MM-DD. Pure data.
 */
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';

export const STATEMENT_FORMATS = ['camt053', 'ofx', 'csv', 'cfonb120'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** What a statement says of one movement of money: read by the parsers, stored as such (store/bank.ts bank_lines). */
export interface LineFacts {
  bookingDate: IsoDate;
  valueDate: IsoDate | null;
  /** Signed: money in is positive. */
  amount: Cents;
  currency: string;
  /** The bank's own reference of the entry (CAMT AcctSvcrRef, OFX FITID...), when it gives one. */
  bankRef: string | null;
  /** The bank's label for people (one line). */
  label: string;
  /** Unstructured remittance information and any other free text the payer wrote. */
  remittance: string[];
  /** Structured creditor references (CAMT CdtrRefInf/Ref). */
  references: string[];
  payerName: string | null;
  payerIban: string | null;
  /** The bank marked it as the reversal of an earlier entry (CAMT RvslInd). */
  reversal: boolean;
}

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
