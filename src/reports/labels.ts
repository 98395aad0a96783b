/**
 * The words the dunning tables print for stored keywords (aging buckets, why an invoice was skipped),
 * in the interface's language. The keywords themselves stay in JSON and in the ledger.
 */
import type { Bucket } from '../core/aging.js';
import { language, t, type MessageKey } from '../i18n/index.js';

/** "not due" / "non échu"; the day ranges print as they are. */
export function bucketLabel(b: Bucket): string {
  return b === 'not_due' ? t('dunning.bucket.notDue') : b;
}

const REASON_KEYS: Record<string, MessageKey> = {
  paid: 'dunning.reason.paid',
  disputed: 'dunning.reason.disputed',
  'stop-work': 'dunning.reason.stopWork',
  paused: 'dunning.reason.paused',
  promise: 'dunning.reason.promise',
  'below-minimum': 'dunning.reason.belowMinimum',
  uncertain: 'dunning.reason.uncertain',
  'all-levels-reached': 'dunning.reason.allLevels',
  'min-interval': 'dunning.reason.minInterval',
  'stronger-level': 'dunning.reason.strongerLevel',
};

/** Why the planner left an invoice alone, for people (the keyword when it is not known). */
export function reasonLabel(reason: string): string {
  const key = REASON_KEYS[reason];
  return key ? t(key) : reason;
}

const CHANNEL_KEYS: Record<string, MessageKey> = {
  call: 'dunning.channel.call',
  email: 'dunning.channel.email',
  letter: 'dunning.channel.letter',
  visit: 'dunning.channel.visit',
  meeting: 'dunning.channel.meeting',
  handover: 'dunning.channel.handover',
};

/** A contact or message channel for people ("call" / "appel"); JSON keeps the keyword. */
export function channelLabel(channel: string): string {
  const key = CHANNEL_KEYS[channel];
  return key ? t(key) : channel;
}

/** A number printed with one decimal in the interface's language ("48.0" / "48,0"). */
export function oneDecimal(value: number | string): string {
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  return language() === 'fr' ? text.replace('.', ',') : text;
}

/** A decimal number already written with a point ("12.15") in the interface's language ("12,15"). */
export const localNumber = (text: string): string => oneDecimal(text);
