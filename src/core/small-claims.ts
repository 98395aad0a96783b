/**
 * The simplified recovery of small claims (procédure simplifiée de recouvrement des petites
 * créances, CPCE L125-1 and R125-1): a commissaire de justice can recover a claim of contractual
 * origin that does not exceed 5 000 EUR "en principal et intérêts". So the test adds the interest
 * accrued at the letter's date to the principal still due.
 *
 * The 40 EUR recovery indemnity (C. com. L441-10, D441-5) is NOT counted: it is a fixed compensation
 * for recovery costs, neither principal nor interest (the injonction de payer forms list it apart,
 * among the "frais accessoires"). A claim of 4 980 EUR with 230 EUR of interest is over the ceiling;
 * one of 4 980 EUR with 20 EUR of interest and a 40 EUR indemnity is at it, and eligible.
 *
 * The ceiling is in euros: a claim with any part in another currency is not offered the procedure
 * (its euro value is not known here). Pure: no I/O.
 */
import type { Cents } from './money.js';

/** R125-1 CPCE: 5 000 EUR in principal and interest. */
export const SMALL_CLAIM_CEILING: Cents = 500_000;

export interface ClaimTotal {
  currency: string;
  /** principal still due (incl. VAT) */
  balance: Cents;
  /** interest (late-payment penalties or legal interest) accrued at the letter's date */
  penalty: Cents;
  /** the fixed recovery indemnities: not counted */
  indemnity?: Cents;
}

export interface SmallClaimCheck {
  eligible: boolean;
  /** principal + interest in euros, or null when a part of the claim is in another currency */
  amount: Cents | null;
  ceiling: Cents;
}

/** Whether a claim (its totals per currency) may go the simplified small-claims way. */
export function smallClaimCheck(totals: readonly ClaimTotal[]): SmallClaimCheck {
  const owed = totals.filter((t) => t.balance !== 0 || t.penalty !== 0);
  if (owed.some((t) => t.currency !== 'EUR')) return { eligible: false, amount: null, ceiling: SMALL_CLAIM_CEILING };
  const amount = owed.reduce((s, t) => s + t.balance + t.penalty, 0);
  return { eligible: amount > 0 && amount <= SMALL_CLAIM_CEILING, amount, ceiling: SMALL_CLAIM_CEILING };
}

/** Shorthand: eligible or not. */
export function isSmallClaim(totals: readonly ClaimTotal[]): boolean {
  return smallClaimCheck(totals).eligible;
}
