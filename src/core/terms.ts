/**
 * Payment terms and due dates (Code de commerce L441-10 I):
 * - net: the issue date + N days;
 * - eom ("N jours fin de mois"): the issue date + N days, then the end of that month;
 * - "45 jours fin de mois", in its two accepted readings, named explicitly:
 *   45eom-add-then-eom: (issue date + 45 days), then the end of that month;
 *   45eom-eom-then-add: the end of the issue month, then + 45 days.
 *   (Both take their number of days from the terms, normally 45.)
 * Between professionals the agreed delay may not exceed 60 days from the invoice date, or 45 days
 * end of month; longer terms are flagged (the CLI warns, it does not refuse).
 */
import { addDays, endOfMonth, maxDate, type IsoDate } from './dates.js';

export const TERMS_KINDS = ['net', 'eom', '45eom-add-then-eom', '45eom-eom-then-add'] as const;
export type TermsKind = (typeof TERMS_KINDS)[number];

export interface Terms {
  days: number;
  kind: TermsKind;
}

export function dueDate(issueDate: IsoDate, terms: Terms): IsoDate {
  switch (terms.kind) {
    case 'net':
      return addDays(issueDate, terms.days);
    case 'eom':
    case '45eom-add-then-eom':
      return endOfMonth(addDays(issueDate, terms.days));
    case '45eom-eom-then-add':
      return addDays(endOfMonth(issueDate), terms.days);
  }
}

/** The latest due date the law allows between professionals for an invoice issued on this date. */
export function legalMaxDueDate(issueDate: IsoDate): IsoDate {
  return maxDate(
    addDays(issueDate, 60),
    maxDate(endOfMonth(addDays(issueDate, 45)), addDays(endOfMonth(issueDate), 45)),
  );
}

/**
 * Why these terms exceed the legal maximum between professionals (L441-10: 60 days from the
 * invoice date, or 45 days end of month), or null when they do not. With an issue date, the
 * check is on the actual due date; without one, on the terms themselves.
 */
export function exceedsLegalMax(terms: Terms, issueDate?: IsoDate): string | null {
  const what = describeTerms(terms);
  // One sentence: what is wrong, then the rule (the CLI prints it after "warning: CODE: ").
  const limit = '60 days from the invoice date or 45 days end of month (Code de commerce L441-10)';
  if (issueDate) {
    const due = dueDate(issueDate, terms);
    const max = legalMaxDueDate(issueDate);
    return due > max ? `terms of ${what} put the due date on ${due}, after ${max}, the latest the legal maximum between professionals allows: ${limit}` : null;
  }
  const over = terms.kind === 'net' ? terms.days > 60 : terms.days > 45;
  return over ? `terms of ${what} exceed the legal maximum between professionals: ${limit}` : null;
}

export function describeTerms(terms: Terms, lang: 'fr' | 'en' = 'en'): string {
  const d = terms.days;
  if (lang === 'fr') {
    switch (terms.kind) {
      case 'net':
        return d === 0 ? 'à réception' : `${d} jours net`;
      case 'eom':
        return d === 0 ? 'fin de mois' : `${d} jours fin de mois`;
      case '45eom-add-then-eom':
        return `${d} jours fin de mois (date + ${d} jours, puis fin de mois)`;
      case '45eom-eom-then-add':
        return `${d} jours fin de mois (fin de mois, puis + ${d} jours)`;
    }
  }
  switch (terms.kind) {
    case 'net':
      return d === 0 ? 'on receipt' : `${d} days net`;
    case 'eom':
      return d === 0 ? 'end of month' : `${d} days end of month`;
    case '45eom-add-then-eom':
      return `${d} days end of month (date + ${d} days, then end of month)`;
    case '45eom-eom-then-add':
      return `${d} days end of month (end of month, then + ${d} days)`;
  }
}
