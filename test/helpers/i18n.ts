/**
 * The catalogue check of the French runs: which English phrases of the catalogue are left in a text.
 * A phrase is a run of words between the `{params}` of an English message whose French message
 * differs, at least two words and 10 characters long (so "email", "ACME" or a code do not count).
 */
import { CATALOGUES } from '../../src/i18n/index.js';

let phrases: string[] | undefined;

function englishPhrases(): string[] {
  if (phrases) return phrases;
  const set = new Set<string>();
  const fr = new Set(Object.values(CATALOGUES.fr));
  for (const [key, en] of Object.entries(CATALOGUES.en)) {
    if ((CATALOGUES.fr as Record<string, string>)[key] === en) continue;
    for (const part of en.split(/\{\w+\}/)) {
      const p = part.trim().replace(/^[\s:;,.()"'-]+|[\s:;,.()"'-]+$/g, '');
      if (p.length >= 10 && /\s/.test(p) && ![...fr].some((f) => f.includes(p))) set.add(p);
    }
  }
  return (phrases = [...set]);
}

/** The English catalogue phrases found in this text (none, in a French run). */
export function englishLeft(text: string): string[] {
  return englishPhrases().filter((p) => text.includes(p));
}
