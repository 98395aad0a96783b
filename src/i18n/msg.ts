/**
 * A message not yet written: its catalogue key and params, written when it is printed, in the
 * interface's language on the terminal and in English for --json (JSON never changes with the
 * language). A param may be a message itself, a list read "a or b" in the language it is
 * written in, or a decimal number written with a point ("2.76") that French writes "2,76". Pure.
 */
import { language, t, type Lang, type MessageKey } from './index.js';

export interface Msg {
  key: MessageKey;
  params?: Record<string, string | number | Msg | { or: string[] } | { decimal: string }>;
}

export const msg = (key: MessageKey, params?: Msg['params']): Msg => ({ key, params });

/** The message in `lang` (default: the interface's language). */
export function render(m: Msg, lang?: Lang): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) {
    if (typeof v !== 'object') params[k] = v;
    else if ('or' in v) params[k] = v.or.join(t('books.cell.or', undefined, lang));
    else if ('decimal' in v) params[k] = (lang ?? language()) === 'fr' ? v.decimal.replace('.', ',') : v.decimal;
    else params[k] = render(v, lang);
  }
  return t(m.key, params, lang);
}
