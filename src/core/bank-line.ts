/**
 * What a bank statement says of one movement of money: what the parsers read (bank/types.ts
 * StatementLine adds where it stands in the file) and what the store keeps of it (store/bank.ts
 * BankLine adds what became of it). Amounts in signed integer cents, dates YYYY-MM-DD. A type only.
 */
import type { IsoDate } from './dates.js';
import type { Cents } from './money.js';

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
