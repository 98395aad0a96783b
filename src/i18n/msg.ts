/**
 * A message not yet written: its catalogue key and params, written when it is printed, in the
 * interface's language on the terminal and in English for --json (JSON never changes with the
 * language). A param may be a message itself, or a list read "a or b" in the language it is
 * written in. Pure.
 */
import { t, type Lang, type MessageKey } from './index.js';

export interface Msg {
  key: MessageKey;
  params?: Record<string, string | number | Msg | { or: string[] }>;
}

export const msg = (key: MessageKey, params?: Msg['params']): Msg => ({ key, params });

/** The message in `lang` (default: the interface's language). */
export function render(m: Msg, lang?: Lang): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) {
    params[k] = typeof v === 'object' ? ('or' in v ? v.or.join(t('books.cell.or', undefined, lang)) : render(v, lang)) : v;
  }
  return t(m.key, params, lang);
}
