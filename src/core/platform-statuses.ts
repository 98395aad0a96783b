/**
 * The lifecycle statuses of an e-invoice under the French 2026 reform (the platforms' "statuts du
 * cycle de vie", codes of the DGFiP external specifications / AFNOR XP Z12-012): the ones a seller
 * records in relance, their codes, their French names, and which of them pause dunning.
 *
 * 200 Déposée, 205 Approuvée, 207 En litige, 208 Suspendue, 210 Refusée, 211 Paiement transmis,
 * 212 Encaissée, 213 Rejetée. Déposée, Rejetée, Refusée and Encaissée are the four mandatory ones;
 * Encaissée is the seller's own (owed for services, whose VAT is due when paid).
 */
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

export const PLATFORM_STATUSES = ['deposited', 'approved', 'disputed', 'suspended', 'refused', 'payment-sent', 'cashed', 'rejected'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

export const STATUS_CODE: Record<PlatformStatus, number> = {
  deposited: 200,
  approved: 205,
  disputed: 207,
  suspended: 208,
  refused: 210,
  'payment-sent': 211,
  cashed: 212,
  rejected: 213,
};

export const STATUS_FRENCH: Record<PlatformStatus, string> = {
  deposited: 'déposée',
  approved: 'approuvée',
  disputed: 'en litige',
  suspended: 'suspendue',
  refused: 'refusée',
  'payment-sent': 'paiement transmis',
  cashed: 'encaissée',
  rejected: 'rejetée',
};

/** Statuses under which the client is not chased: the invoice is blocked, contested or on hold. */
export const PAUSING_STATUSES: readonly PlatformStatus[] = ['rejected', 'refused', 'disputed', 'suspended'];

export function pausesDunning(s: PlatformStatus): boolean {
  return PAUSING_STATUSES.includes(s);
}

/** Lower case, no accents, spaces/underscores as hyphens: "Paiement transmis" -> "paiement-transmis". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

const ALIASES: ReadonlyMap<string, PlatformStatus> = new Map<string, PlatformStatus>([
  ...PLATFORM_STATUSES.map((s) => [fold(s), s] as [string, PlatformStatus]),
  ...PLATFORM_STATUSES.map((s) => [fold(STATUS_FRENCH[s]), s] as [string, PlatformStatus]),
  ...PLATFORM_STATUSES.map((s) => [String(STATUS_CODE[s]), s] as [string, PlatformStatus]),
  ['payment-transmitted', 'payment-sent'],
  ['paid', 'cashed'],
  ['encaisse', 'cashed'],
  ['litige', 'disputed'],
]);

/** A status by its English or French name or its code ("refusée", "en litige", "210"); else a UsageError. */
export function parsePlatformStatus(text: string): PlatformStatus {
  const s = ALIASES.get(fold(text));
  if (s === undefined) {
    throw new UsageError(
      t('common.platformStatus.unknown', { text, statuses: PLATFORM_STATUSES.join(', '), french: PLATFORM_STATUSES.map((x) => STATUS_FRENCH[x]).join(', ') }),
    );
  }
  return s;
}
