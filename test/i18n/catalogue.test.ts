/**
 * The catalogues (issue 20 §1): every area file of src/i18n/en has its French twin with the same
 * keys, every key starts with its area's name (so two areas never collide), no key is in two areas,
 * no French message is empty and each keeps the {params} of its English message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';
import { CATALOGUES, format, t, tn } from '../../src/i18n/index.js';
import { describeRecurrence } from '../../src/core/recurrence.js';

const dir = (lang: string) => path.join(ROOT, 'src', 'i18n', lang);
const areas = fs
  .readdirSync(dir('en'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

async function area(lang: string, name: string): Promise<Record<string, string>> {
  return (await import(path.join(dir(lang), `${name}.ts`))).default as Record<string, string>;
}

const params = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();

describe('the catalogues', () => {
  it('have one French file per English area file, and the index merges every area', () => {
    const fr = fs.readdirSync(dir('fr')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(fr.sort()).toEqual([...areas].sort());
    expect(areas).toContain('common');
    for (const lang of ['en', 'fr']) {
      const index = fs.readFileSync(path.join(dir(lang), 'index.ts'), 'utf8');
      for (const a of areas) expect(index, `${lang}/index.ts imports ${a}`).toContain(`from './${a}.js'`);
    }
  });

  it('have the same keys in both languages, each starting with its area, in one area only', async () => {
    const owner = new Map<string, string>();
    for (const a of areas) {
      const en = await area('en', a);
      const fr = await area('fr', a);
      expect(Object.keys(fr).sort(), `fr/${a}.ts has the keys of en/${a}.ts`).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(key.startsWith(`${a}.`), `${key} (in ${a}.ts) starts with "${a}."`).toBe(true);
        expect(owner.get(key), `${key} is in ${a}.ts and ${owner.get(key)}.ts`).toBeUndefined();
        owner.set(key, a);
      }
    }
    expect(Object.keys(CATALOGUES.en).sort()).toEqual([...owner.keys()].sort());
    expect(Object.keys(CATALOGUES.fr).sort()).toEqual([...owner.keys()].sort());
  });

  it('have no empty French message, and each keeps the {params} of its English one', () => {
    const bad: string[] = [];
    for (const [key, en] of Object.entries(CATALOGUES.en)) {
      const fr = (CATALOGUES.fr as Record<string, string>)[key]!;
      if (en.trim() !== '' && fr.trim() === '') bad.push(`${key}: empty`);
      if (params(fr).join() !== params(en).join()) bad.push(`${key}: ${params(en).join(' ')} in English, ${params(fr).join(' ')} in French`);
    }
    expect(bad).toEqual([]);
  });

  it('put the French typography in: a plain space before ":" ";" "?" "!" and inside « »', () => {
    const bad: string[] = [];
    for (const [key, fr] of Object.entries(CATALOGUES.fr)) {
      // URLs, {params}, JSON examples, "quoted" keywords, HH:MM and CSV header rows (Date;Libellé;...) aside.
      const text = fr.replace(/https?:\/\/\S+|\{[^}]*\}|"[^"]*"|\b[A-Z]+:[A-Z]+\b|\d+:\d+|[\p{L} ]+(;[\p{L} ]+){2,}/gu, '');
      if (/\S[;?!]/.test(text.replace(/\?\)/g, ' ?)')) || /[^\s\d]:(?![\d/])/.test(text.replace(/\b(https?|RELANCE_\w+|C)\b:/g, ''))) bad.push(`${key}: ${fr}`);
      if (/«\S|\S»/.test(fr)) bad.push(`${key}: ${fr}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('t() and tn()', () => {
  it('fill the params, pick the plural by count (French: 0 and 1 singular) and fall back to English', () => {
    expect(format('a {x} b {y}', { x: 1 })).toBe('a 1 b {y}');
    expect(t('common.date.noMonth', { month: 13 }, 'en')).toBe('has no month 13');
    expect(t('common.date.noMonth', { month: 13 }, 'fr')).toBe("n'a pas de mois 13");
    expect(tn('common.error.tooManyArguments', 1, { for: '', got: 2 }, 'en')).toBe('too many arguments. Expected 1 argument but got 2.');
    expect(tn('common.error.tooManyArguments', 0, { for: '', got: 2 }, 'en')).toBe('too many arguments. Expected 0 arguments but got 2.');
    expect(tn('common.error.tooManyArguments', 0, { for: '', got: 2 }, 'fr')).toBe("trop d'arguments (attendus : 0, donnés : 2).");
  });

  it('describe a recurrence in English by default (JSON) and in French when asked', () => {
    expect(describeRecurrence({ every: 'month', weeks: 1, on: 31 })).toBe('every month on the last day');
    expect(describeRecurrence({ every: 'quarter', weeks: 1, on: 30 })).toBe("every quarter on day 30 (or the month's last day)");
    expect(describeRecurrence({ every: 'weeks', weeks: 2, on: 1 })).toBe('every 2 weeks on Monday');
    expect(describeRecurrence({ every: 'weeks', weeks: 1, on: 5 }, 'fr')).toBe('toutes les semaines le vendredi');
    expect(describeRecurrence({ every: 'month', weeks: 1, on: 15 }, 'fr')).toBe('tous les mois, le 15');
  });
});
