/**
 * The mandatory mentions of a document, checked from what its PDF would show (core/mentions.ts
 * decides; this module gathers the facts from the ledger). `invoice issue` runs it on the draft
 * before the number is taken: with --strict or the ledger's invoice.strict it refuses (nothing
 * written, no PDF frozen), otherwise the missing mentions are warned about once issued.
 */
import { UsageError } from '../core/errors.js';
import type { MissingMention } from '../core/mentions.js';
import { clientById } from '../store/clients.js';
import type { Db } from '../store/db.js';
import { documentRef, type Document } from '../store/documents.js';
import { getSetting } from '../store/settings.js';
import { mentionsOf, pdfData } from './pdf.js';
import { t, tn } from '../i18n/index.js';

/**
 * Before issuing the draft `d`: refuse when strict (the option, else the ledger's invoice.strict) and
 * a mention is missing; otherwise return what is missing, worded for the issued invoice (its fixes
 * apply to the next invoices), to warn about once it is issued.
 */
export function checkBeforeIssue(db: Db, d: Document, strictOption: boolean | undefined): MissingMention[] {
  if (d.number !== null || d.kind === 'quote') return [];
  const code = clientById(db, d.clientId).code;
  const data = pdfData(db, d);
  const missing = mentionsOf(data, code);
  if (missing.length === 0) return [];
  const strict = strictOption ?? getSetting(db, 'invoice.strict');
  if (strict) {
    const ref = documentRef(d);
    const list = missing.map((m) => `${m.what} (${m.fix})`).join('; ');
    throw new UsageError(tn('documents.issue.strictRefused', missing.length, { ref, list, how: t(strictOption ? 'documents.issue.strictWithout' : 'documents.issue.strictSetting') }));
  }
  return mentionsOf({ ...data, number: 'issued' }, code);
}

/** The warnings of an invoice issued without some mentions: one line each, saying how to add it next time. */
export function issuedWarnings(number: string, missing: readonly MissingMention[]): string[] {
  return missing.map((m) => t('documents.issue.issuedWithout', { number, what: m.what, fix: m.fix }));
}
