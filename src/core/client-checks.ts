/**
 * The checks a client's fields pass, wherever they come from: `client add` / `client edit` flags and
 * `import clients` spreadsheet cells use the same schemas, so a client imported from a spreadsheet
 * can hold nothing `client add` would refuse.
 */
import * as z from 'zod/mini';
import { lazy } from './lazy.js';
import { numberText } from './numbers.js';
import { normaliseSiren, sirenValid } from './siren.js';
import { t } from '../i18n/index.js';

// Built on first use (core/lazy.ts): `client list` and the other commands that check no field skip them.
export const CLIENT_CODE = lazy(() => z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, t('common.client.code'))));
export const CLIENT_EMAIL = lazy(() => z.email(t('common.client.email')));
export const CLIENT_SIREN = lazy(() =>
  z.pipe(z.string(), z.transform(normaliseSiren)).check(
    z.regex(/^\d{9}$/, t('common.client.sirenDigits')),
    z.refine(sirenValid, t('common.client.sirenKey')),
  ),
);
export const CLIENT_VAT = lazy(() => z.pipe(z.string(), z.transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())).check(z.regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, t('common.client.vat'))));
export const CLIENT_TERMS = lazy(() => numberText(t('common.client.days')).check(z.int(t('common.client.wholeDays')), z.minimum(0, t('common.client.minDays')), z.maximum(365, t('common.client.maxDays'))));
export const CLIENT_LANG = lazy(() => z.enum(['fr', 'en'], t('common.client.lang')));

/** Multi-line addresses are typed with ";" or "\n" between lines. */
export function addressLines(text: string): string {
  return text
    .split(/\s*(?:;|\\n|\n)\s*/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}
