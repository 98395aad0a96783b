/**
 * The interface's language: one catalogue per language (`en/`, `fr/`, one file per area, the same
 * keys in both), `t(key, params)` to say something, `tn(key, n, params)` when it depends on a count.
 * Documents, letters and emails follow the client's language (templates/); this is the language of
 * the program itself: messages, errors, help, table headers, prompts and run summaries. JSON keys and
 * values never change with it.
 *
 * The language is chosen once per run by the CLI (`--lang`, else the ledger's `ui.language`, else
 * LC_ALL, LC_MESSAGES, LANG): `setLanguage`. Everything else only reads it. Pure: no I/O, no clock.
 */
import { EN_AREAS, type MessageKey } from './en/index.js';
import { FR_AREAS } from './fr/index.js';

export type Lang = 'fr' | 'en';
export type { MessageKey };
export type Params = Record<string, string | number | bigint | null | undefined>;

/**
 * Each language's messages area by area: a key is looked up in the area its first word names. The
 * program's bundles (scripts/build.mjs) replace the two index modules with ones that read an area's
 * messages (dist/i18n/<lang>/<area>.json) the first time a key of it is asked for: a run in English
 * never reads the French catalogue, and `client list` reads two areas of six.
 */
const AREAS: Record<Lang, Readonly<Record<string, Readonly<Record<string, string>>>>> = { en: EN_AREAS, fr: FR_AREAS };

const merged: Partial<Record<Lang, Record<MessageKey, string>>> = {};
const everything = (lang: Lang): Record<MessageKey, string> => (merged[lang] ??= Object.assign({}, ...Object.values(AREAS[lang])) as Record<MessageKey, string>);

/** Every message of a language in one object (reads every area: for tests and whole-catalogue scans, not for t()). */
export const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = {
  get en() {
    return everything('en');
  },
  get fr() {
    return everything('fr');
  },
};

/** The messages of the area of `key` in `lang`, or undefined for a key of no area. */
function areaOf(lang: Lang, key: string): Readonly<Record<string, string>> | undefined {
  const areas = AREAS[lang];
  if (!areas) return undefined;
  const dot = key.indexOf('.');
  const area = dot < 0 ? key : key.slice(0, dot);
  return Object.prototype.hasOwnProperty.call(areas, area) ? areas[area] : undefined;
}

/** True when the catalogue has this key. */
export function hasMessage(key: string): key is MessageKey {
  const m = areaOf('en', key);
  return m !== undefined && Object.prototype.hasOwnProperty.call(m, key);
}

let current: Lang = 'en';

export function setLanguage(lang: Lang): void {
  current = lang;
}

export function language(): Lang {
  return current;
}

/** "fr", "fr_FR.UTF-8", "fr-CA" -> fr; "en_US", "C", "POSIX" -> en; anything else -> undefined. */
export function parseLanguage(value: string | undefined | null): Lang | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v.startsWith('fr')) return 'fr';
  if (v.startsWith('en') || v === 'c' || v.startsWith('c.') || v === 'posix') return 'en';
  return undefined;
}

/** POSIX order: the first of LC_ALL, LC_MESSAGES, LANG that is set decides (fr... -> French, else English). */
export function languageFromEnv(env: Record<string, string | undefined>): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = env[name];
    if (v) return v.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  }
  return 'en';
}

/** `{name}` in the message is replaced by params.name (left as is when not given). */
export function format(message: string, params?: Params): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined || params[name] === null ? whole : String(params[name])));
}

/** The message `key` in the interface's language (or `lang`), with its `{params}` filled in. */
export function t(key: MessageKey, params?: Params, lang: Lang = current): string {
  return format(areaOf(lang, key)?.[key] ?? areaOf('en', key)?.[key] ?? key, params);
}

/**
 * A message that depends on a count: `key.one` or `key.other` (French counts 0 and 1 as singular,
 * English only 1), with `{n}` set to the count.
 */
export function tn(key: string, n: number, params?: Params, lang: Lang = current): string {
  const one = lang === 'fr' ? Math.abs(n) < 2 : n === 1;
  return t(`${key}.${one ? 'one' : 'other'}` as MessageKey, { n, ...params }, lang);
}
