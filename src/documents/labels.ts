/**
 * The words the terminal shows for a document's kind and status, in the interface's language
 * (invoice list, invoice show, quote list...). JSON keeps the English keywords (documents/json.ts).
 */
import type { DocumentKind } from '../core/documents.js';
import { formatBp } from '../core/numbers.js';
import { language, t } from '../i18n/index.js';

/** "invoice", "credit note"... / "facture", "avoir"... */
export function kindLabel(kind: DocumentKind): string {
  return t(`documents.kind.${kind}`);
}

const INVOICE_STATUS_KEY = {
  draft: 'documents.status.draft',
  open: 'documents.status.open',
  'partially paid': 'documents.status.partiallyPaid',
  paid: 'documents.status.paid',
  cancelled: 'documents.status.cancelled',
} as const;

/** An invoice's status: "open", "partially paid"... / "émise", "partiellement payée"... (an unknown one as is). */
export function invoiceStatusLabel(status: string): string {
  const key = INVOICE_STATUS_KEY[status as keyof typeof INVOICE_STATUS_KEY];
  return key ? t(key) : status;
}

const QUOTE_STATUS_KEY = {
  open: 'documents.quoteStatus.open',
  accepted: 'documents.quoteStatus.accepted',
  declined: 'documents.quoteStatus.declined',
  expired: 'documents.quoteStatus.expired',
  invoiced: 'documents.quoteStatus.invoiced',
} as const;

/** A quote's status: "open", "accepted"... / "en attente", "accepté"... */
export function quoteStatusLabel(status: string): string {
  const key = QUOTE_STATUS_KEY[status as keyof typeof QUOTE_STATUS_KEY];
  return key ? t(key) : status;
}

const OPERATION_KEY = { goods: 'documents.operation.goods', services: 'documents.operation.services', both: 'documents.operation.both' } as const;

/** The nature of the operation, as `invoice show` prints it. */
export function operationLabel(op: string | null): string | null {
  if (op === null) return null;
  const key = OPERATION_KEY[op as keyof typeof OPERATION_KEY];
  return key ? t(key) : op;
}

/** A rate in basis points as the terminal prints it: "5.5" / "5,5" (with " %" added by the caller). */
export function percentText(bp: number): string {
  const s = formatBp(bp);
  return language() === 'fr' ? s.replace('.', ',') : s;
}
