/**
 * Ledger settings: one typed key each. `ledger set KEY VALUE` parses VALUE with the key's zod
 * schema, so a setting can never hold something the rest of the code does not expect.
 * Other modules (SMTP, policy, numbering patterns) read their keys through getSetting/getSettings.
 */
import * as z from 'zod/mini';
import { lazy } from '../core/lazy.js';
import { numberText } from '../core/numbers.js';
import { UsageError } from '../core/errors.js';
import { sirenValid, normaliseSiren } from '../core/siren.js';
import { checkPattern } from '../core/numbering.js';
import { checkPaymentLink } from '../core/links.js';
import { DEFAULT_TIME_ZONE, canonicalTimeZone } from '../core/timezone.js';
import type { Db } from './db.js';
import { t } from '../i18n/index.js';

// zod/mini rather than zod: the same checks at a tenth of the start-up cost (measured: 5 ms vs 46 ms).
// Each schema is built on first use (core/lazy.ts): reading settings (getSettings, every command) builds none.
const text = lazy(() => z.string().check(z.trim(), z.minLength(1, t('books.settings.required'))));
const optionalText = lazy(() => z.nullable(text));
const bool = lazy(() =>
  z.pipe(
    z.transform((v: unknown) => (v === 'true' || v === 'yes' || v === '1' ? true : v === 'false' || v === 'no' || v === '0' ? false : v)),
    z.boolean(t('books.settings.bool')),
  ),
);
const int = (min: number, max: number) =>
  lazy(() => numberText(t('books.settings.int')).check(z.int(t('books.settings.int')), z.minimum(min, t('books.settings.atLeast', { min })), z.maximum(max, t('books.settings.atMost', { max }))));
const matching = (re: RegExp, what: () => string) => lazy(() => z.string().check(z.trim(), z.regex(re, what())));

/** A chart-of-accounts number (plan comptable general): a class digit, then digits or capitals. */
const account = matching(/^[1-9][0-9A-Z]{2,19}$/, () => t('books.settings.account'));

export const TERMS_KINDS = ['net', 'eom', '45eom-add-then-eom', '45eom-eom-then-add'] as const;
export type TermsKind = (typeof TERMS_KINDS)[number];

/** Every setting, with its type, its default and one line of help (shown by `ledger show`). */
export const SETTINGS = {
  'business.name': { schema: text, default: '', help: 'trading name on invoices and letters' },
  'business.legal_form': { schema: optionalText, default: null, help: 'legal form and capital, e.g. "SARL au capital de 10 000 EUR" or "EI"' },
  'business.siren': {
    schema: lazy(() => z.nullable(z.pipe(z.string(), z.transform(normaliseSiren)).check(z.refine(sirenValid, t('books.settings.siren'))))),
    default: null,
    help: 'SIREN (9 digits)',
  },
  'business.rcs': { schema: optionalText, default: null, help: 'RCS or RM registration, e.g. "RCS Lyon"' },
  'business.vat_number': { schema: lazy(() => z.nullable(z.pipe(z.string(), z.transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())).check(z.regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, t('books.settings.vatNumber'))))), default: null, help: 'intra-EU VAT number' },
  'business.address': { schema: optionalText, default: null, help: 'postal address, lines separated by "\\n" or ";"' },
  'business.iban': { schema: lazy(() => z.nullable(z.pipe(z.string(), z.transform((s) => s.replace(/\s/g, '').toUpperCase())).check(z.regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, t('books.settings.iban'))))), default: null, help: 'IBAN for transfers' },
  'business.bic': { schema: lazy(() => z.nullable(z.pipe(z.string(), z.transform((s) => s.replace(/\s/g, '').toUpperCase())).check(z.regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, t('books.settings.bic'))))), default: null, help: 'BIC' },
  'business.email': { schema: lazy(() => z.email(t('books.settings.email'))), default: '', help: 'sender and Reply-To address of reminders' },
  'business.phone': { schema: optionalText, default: null, help: 'phone number printed on documents' },
  currency: { schema: matching(/^[A-Z]{3}$/, () => t('books.pay.isoCurrency')), default: 'EUR', help: 'default currency (ISO 4217)' },
  timezone: {
    schema: lazy(() => z.pipe(z.string(), z.transform((s) => canonicalTimeZone(s) ?? s)).check(z.refine((s) => canonicalTimeZone(s) !== null, t('books.settings.timezone')))),
    default: DEFAULT_TIME_ZONE,
    help: 'the business\'s time zone (IANA name): "today", issue and reminder dates and typed times follow it, whatever TZ says',
  },
  language: { schema: lazy(() => z.enum(['fr', 'en'], t('books.settings.lang'))), default: 'fr', help: 'default language of documents and reminders' },
  'ui.language': { schema: lazy(() => z.nullable(z.enum(['fr', 'en'], t('books.settings.lang')))), default: null, help: 'language of the interface (messages, help, tables) for this ledger: fr or en; empty follows --lang, else LC_ALL, LC_MESSAGES, LANG' },
  'terms.days': { schema: int(0, 365), default: 30, help: 'default payment terms in days' },
  'terms.kind': { schema: lazy(() => z.enum(TERMS_KINDS, TERMS_KINDS.join(', '))), default: 'net', help: 'net | eom | 45eom-add-then-eom | 45eom-eom-then-add' },
  'penalty.mode': { schema: lazy(() => z.enum(['ecb+10', 'contract'], t('books.settings.penaltyMode'))), default: 'ecb+10', help: 'late-penalty rate: ECB rate + 10 points, or a contractual rate' },
  'penalty.rate_bp': { schema: lazy(() => z.nullable(int(0, 100_000))), default: null, help: 'contractual penalty rate in basis points (1500 = 15 %), when penalty.mode is contract' },
  'early_discount': { schema: optionalText, default: null, help: 'early-payment discount conditions; empty prints "Pas d\'escompte pour paiement anticipe"' },
  vat_exempt: { schema: bool, default: false, help: 'VAT-exempt micro-entrepreneur (art. 293 B du CGI)' },
  'vat.on_debits': { schema: bool, default: false, help: 'option pour le paiement de la taxe d\'après les débits (services: VAT due at invoicing, not at payment); printed on invoices' },
  'invoice.strict': { schema: bool, default: false, help: 'refuse to issue an invoice that lacks a mandatory mention (as invoice issue --strict); false only warns' },
  'invoice.pattern': { schema: matching(/\{seq(:\d+)?\}/, () => t('books.settings.pattern')), default: 'F-{YYYY}-{seq:4}', help: 'invoice number pattern: {YYYY} {YY} {MM} {seq:N}' },
  'invoice.bcc': { schema: lazy(() => z.nullable(z.email(t('books.settings.email')))), default: null, help: 'blind copy of every invoice and quote "invoice send"/"quote send" emails (the business\'s own copy)' },
  'quote.pattern': { schema: matching(/\{seq(:\d+)?\}/, () => t('books.settings.pattern')), default: 'D-{YYYY}-{seq:4}', help: 'quote number pattern' },
  'payment_link.pattern': { schema: optionalText, default: null, help: 'payment link, e.g. https://pay.example.com/{number}' },
  'smtp.host': { schema: optionalText, default: null, help: 'SMTP server; without it, emails are written to the outbox folder' },
  'smtp.port': { schema: int(1, 65535), default: 587, help: 'SMTP port' },
  'smtp.secure': { schema: bool, default: false, help: 'TLS from the start (port 465); otherwise STARTTLS when offered' },
  'smtp.timeout_ms': { schema: int(1000, 600000), default: 20000, help: 'how long to wait for the SMTP server (connection, greeting, each reply) before giving up; a run stops at the first timeout' },
  'smtp.user': { schema: optionalText, default: null, help: 'SMTP user; the password comes from RELANCE_SMTP_PASSWORD, never the ledger' },
  'accounts.receivable': { schema: account, default: '411', help: 'FEC: clients account (the client code is its auxiliary account)' },
  'accounts.services': { schema: account, default: '706', help: 'FEC: sales of services' },
  'accounts.goods': { schema: account, default: '707', help: 'FEC: sales of goods' },
  'accounts.vat': { schema: account, default: '44571', help: 'FEC: VAT collected (one line per rate)' },
  'accounts.deposits': { schema: account, default: '4191', help: 'FEC: deposits received on orders (factures d\'acompte), deducted by the final invoice' },
  'accounts.penalties': { schema: account, default: '7627', help: 'FEC: late-payment penalties and the recovery indemnity' },
  'accounts.bank': { schema: account, default: '512', help: 'FEC: bank account of the payments' },
  'journal.sales': { schema: matching(/^[A-Z0-9]{1,8}$/, () => t('books.settings.journal')), default: 'VE', help: 'FEC: code of the sales journal' },
  'journal.bank': { schema: matching(/^[A-Z0-9]{1,8}$/, () => t('books.settings.journal')), default: 'BQ', help: 'FEC: code of the bank journal' },
  'paths.outbox': { schema: optionalText, default: null, help: 'outbox folder (default: <ledger>-outbox beside the ledger)' },
  'paths.letters': { schema: optionalText, default: null, help: 'letters folder (default: <ledger>-letters beside the ledger)' },
  'paths.templates': { schema: optionalText, default: null, help: 'folder of template overrides (default: <ledger>-templates beside the ledger)' },
} as const satisfies Record<string, { schema: z.ZodMiniType; default: unknown; help: string }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, key);
}

/** Validate a value for a key; `null`/'' clears optional keys. Throws UsageError naming the key. */
export function parseSetting<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const def = SETTINGS[key];
  const value = typeof raw === 'string' && raw.trim() === '' ? null : raw;
  const result = def.schema.safeParse(value);
  if (!result.success) {
    const why = result.error.issues[0]?.message ?? t('books.settings.invalid');
    throw new UsageError(t('books.settings.cannotUse', { key, value: JSON.stringify(raw), why: value === null ? t('books.settings.required') : why }));
  }
  const value2 = result.data as SettingValue<K>;
  const extra = VALUE_CHECKS[key];
  return (extra && value2 !== null ? extra(value2 as never, key) : value2) as SettingValue<K>;
}

/** Rules beyond the type (pure, in core): names that become file names, links that become hrefs. */
const VALUE_CHECKS: Partial<Record<SettingKey, (v: string, key: string) => unknown>> = {
  'invoice.pattern': (v, key) => checkPattern(v, key),
  'quote.pattern': (v, key) => checkPattern(v, key),
  'payment_link.pattern': (v, key) => checkPaymentLink(v, key),
};

/**
 * The IBAN, BIC and VAT number checked by the kept libraries (ibantools, jsvat), loaded only here,
 * when one of them is written: call after parseSetting on the keys `init` and `ledger set` write.
 */
export async function checkedSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<SettingValue<K>> {
  if (value === null || typeof value !== 'string') return value;
  if (key !== 'business.iban' && key !== 'business.bic' && key !== 'business.vat_number') return value;
  const ids = await import('../core/identifiers.js');
  if (key === 'business.iban') return ids.checkIban(value, key) as SettingValue<K>;
  if (key === 'business.bic') return ids.checkBic(value, key) as SettingValue<K>;
  return ids.checkVatNumber(value, key) as SettingValue<K>;
}

export function getSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const out: Record<string, unknown> = {};
  for (const [k, def] of Object.entries(SETTINGS)) out[k] = def.default;
  for (const r of rows) out[r.key] = JSON.parse(r.value);
  return out as Settings;
}

export function getSetting<K extends SettingKey>(db: Db, key: K): SettingValue<K> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return (row ? JSON.parse(row.value) : SETTINGS[key].default) as SettingValue<K>;
}

/** Store an already-validated value. Call inside write(). */
export function putSetting<K extends SettingKey>(db: Db, key: K, value: SettingValue<K>): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/** Free-form JSON values kept by other modules (e.g. the dunning policy), outside the typed keys. */
export function getJson<T>(db: Db, key: string): T | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function putJson(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/**
 * The ledger's `ui.language`, read before the commands are registered (the help is in that language
 * too), through store/db.ts peekLedger: a connection that never waits for a lock, kept for the
 * command's own open. A value other than fr/en is undefined: the environment decides then; a failure
 * (not a ledger, locked, no settings table) throws, and peekLedger makes it undefined too.
 */
export function readUiLanguage(db: Db): 'fr' | 'en' | undefined {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'ui.language'").get() as { value: string } | undefined;
  const v = row ? (JSON.parse(row.value) as unknown) : undefined;
  return v === 'fr' || v === 'en' ? v : undefined;
}
