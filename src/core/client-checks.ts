/**
 * The checks a client's fields pass, wherever they come from: `client add` / `client edit` flags and
 * `import clients` spreadsheet cells use the same schemas, so a client imported from a spreadsheet
 * can hold nothing `client add` would refuse.
 */
import * as z from 'zod/mini';
import { lazy } from './lazy.js';
import { numberText } from './numbers.js';
import { normaliseSiren, sirenValid } from './siren.js';

// Built on first use (core/lazy.ts): `client list` and the other commands that check no field skip them.
export const CLIENT_CODE = lazy(() => z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'a code is 1 to 32 letters, digits, ".", "_" or "-", starting with a letter or digit')));
export const CLIENT_EMAIL = lazy(() => z.email('an email address such as ap@client.fr'));
export const CLIENT_SIREN = lazy(() =>
  z.pipe(z.string(), z.transform(normaliseSiren)).check(
    z.regex(/^\d{9}$/, 'a SIREN has 9 digits'),
    z.refine(sirenValid, 'the check digit is wrong (Luhn); check the SIREN on annuaire-entreprises.data.gouv.fr'),
  ),
);
export const CLIENT_VAT = lazy(() => z.pipe(z.string(), z.transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())).check(z.regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'an intra-EU VAT number such as FR40303265045')));
export const CLIENT_TERMS = lazy(() => numberText('a number of days').check(z.int('whole days'), z.minimum(0, 'at least 0 days'), z.maximum(365, 'at most 365 days')));
export const CLIENT_LANG = lazy(() => z.enum(['fr', 'en'], 'fr or en'));

/** Multi-line addresses are typed with ";" or "\n" between lines. */
export function addressLines(text: string): string {
  return text
    .split(/\s*(?:;|\\n|\n)\s*/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}
