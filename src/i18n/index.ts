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
import { EN, type MessageKey } from './en/index.js';
import { FR } from './fr/index.js';

export type Lang = 'fr' | 'en';
export type { MessageKey };
export type Params = Record<string, string | number | bigint | null | undefined>;

export const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en: EN, fr: FR };

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
  return format(CATALOGUES[lang][key] ?? EN[key] ?? key, params);
}

/**
 * A message that depends on a count: `key.one` or `key.other` (French counts 0 and 1 as singular,
 * English only 1), with `{n}` set to the count.
 */
export function tn(key: string, n: number, params?: Params, lang: Lang = current): string {
  const one = lang === 'fr' ? Math.abs(n) < 2 : n === 1;
  return t(`${key}.${one ? 'one' : 'other'}` as MessageKey, { n, ...params }, lang);
}
