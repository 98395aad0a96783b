/**
 * Issue 15 §3 and §5 (letters): the formal notice and the collection file, rendered by the real
 * bin/relance for a professional (PRO), a consumer (PART), an English-speaking business (GLOBEX),
 * and a client whose first reminder is the formal notice (NEW), read back as text (pdfjs-dist):
 *   - wholly in the client's language: no string of the other language's templates or catalogue;
 *   - the one court form that applies (Cerfa 12946 / 12948), the debtor's SIREN, the proof of
 *     posting recorded with `todo posted` (or "none recorded"), one date format;
 *   - small claims (R125-1 CPCE) in and out, interest included;
 *   - "Malgré nos relances" only after reminders went out; greetings by name; "Vos références".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIER_LABELS } from '../../src/render/collection.js';
import { LETTER_LABELS } from '../../src/render/letter-pdf.js';
import { ROOT, sandbox, type Sandbox } from '../helpers/e2e.js';
import { pdfText } from '../helpers/pdf.js';
import { query, seed } from '../e2e/remind-fixtures.js';

const spaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

/**
 * The fixed text of one language: every template of templates/<lang>/{letter,email,partials} and
 * every label of the letter and collection-file catalogues, cut at each inserted value, keeping the
 * pieces that are words of that language (a space and at least 10 characters).
 */
function fixedStrings(lang: 'fr' | 'en'): string[] {
  const pieces: string[] = [];
  for (const sub of ['letter', 'email', 'partials']) {
    const dir = path.join(ROOT, 'templates', lang, sub);
    for (const f of fs.readdirSync(dir)) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^---[\s\S]*?\n---\n/, (fm) => fm.replace(/^(---|subject:)/gm, ''));
      pieces.push(...src.replace(/<[^>]+>/g, '\n').split(/\{\{[^}]*\}\}|\n/));
    }
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') pieces.push(v);
    else if (typeof v === 'function') {
      const args = Array.from({ length: 5 }, () => '\u0001');
      const out = (v as (...a: unknown[]) => unknown)(...args);
      if (typeof out === 'string') pieces.push(...out.split('\u0001'));
      // the functions taking an object (the penalty rule): every branch
      for (const consumer of [true, false]) for (const basis of ['ecb+10', 'contract']) for (const startsOn of ['\u0001', null]) {
        try {
          const r = (v as (o: unknown) => unknown)({ consumer, basis, rate: '\u0001', startsOn, due: '\u0001', cerfa: consumer ? '12948' : '12946', court: '\u0001' });
          if (typeof r === 'string') pieces.push(...r.split('\u0001'));
        } catch {
          /* not that kind of function */
        }
      }
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(DOSSIER_LABELS[lang]);
  walk(LETTER_LABELS[lang]);
  return [...new Set(pieces.map((p) => spaces(p).trim().replace(/^[,.:;–()\s]+|[,.:;–()\s]+$/g, '')).filter((p) => p.length >= 10 && p.includes(' ') && /[a-zà-ÿ]{3}/i.test(p)))];
}

/** The pieces of the other language found in a document's text. */
function foreign(text: string, other: 'fr' | 'en'): string[] {
  const t = spaces(text);
  const mine = other === 'en' ? fixedStrings('fr') : fixedStrings('en');
  return fixedStrings(other).filter((p) => t.includes(p) && !mine.includes(p));
}

describe('formal notice and collection file, professional / consumer / English client', () => {
  let sb: Sandbox;
  const letterOf = (code: string, template: string) =>
    query<{ id: number; file_path: string }>(sb.ledger, `SELECT m.id, m.file_path FROM messages m JOIN clients c ON c.id = m.client_id WHERE c.code = ? AND m.channel = 'letter' AND m.file_path LIKE ? ORDER BY m.id`, code, `%${template}%`)[0]!;
  const dossierOf = (code: string) => {
    const m = query<{ file_path: string }>(sb.ledger, `SELECT m.file_path FROM messages m JOIN clients c ON c.id = m.client_id WHERE c.code = ? AND m.channel = 'handover'`, code)[0]!;
    return path.join(m.file_path, 'dossier.pdf');
  };
  const texts = new Map<string, string>();
  const read = async (file: string) => {
    let t = texts.get(file);
    if (t === undefined) texts.set(file, (t = spaces(await pdfText(file))));
    return t;
  };

  beforeAll(async () => {
    sb = sandbox('relance-letters-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => {
      // 4 980 EUR: under 5 000 EUR in principal, over it with the interest by the formal notice.
      const pro = s.client('PRO', { name: 'Martin Industrie SAS', address: '3 rue des Forges\n69002 Lyon' });
      const f1 = s.invoice({ client: pro, number: 'F-2026-0001', issue: '2026-01-15', due: '2026-02-15', amount: 498_000 });
      s.db.prepare(`UPDATE clients SET siren = '552100554', contact_name = 'Mme Claire Martin' WHERE id = ?`).run(pro);
      s.db.prepare(`UPDATE documents SET po_number = 'BC-4512' WHERE id = ?`).run(f1);
      // A consumer: 4 900 EUR, legal interest only from the formal notice: eligible.
      const part = s.client('PART', { name: 'Jean Dupont', kind: 'b2c', address: '8 avenue Foch\n75016 Paris' });
      s.invoice({ client: part, number: 'F-2026-0002', issue: '2026-01-15', due: '2026-02-15', amount: 490_000 });
      const globex = s.client('GLOBEX', { name: 'Globex Ltd', lang: 'en', address: '10 Downing Road\n75008 Paris' });
      s.invoice({ client: globex, number: 'F-2026-0003', issue: '2026-01-15', due: '2026-02-15', amount: 120_000 });
      s.db.prepare(`UPDATE clients SET contact_name = 'Mr John Smith', siren = '552100554' WHERE id = ?`).run(globex);
      const fresh = s.client('NEW', { name: 'Nouveau SARL', address: '1 place Bellecour\n69002 Lyon' });
      s.invoice({ client: fresh, number: 'F-2026-0004', issue: '2026-02-01', due: '2026-03-10', amount: 50_000 });
      s.db.prepare(`UPDATE clients SET contact_name = 'Service comptabilité' WHERE id = ?`).run(fresh);
    });
    // One level per run: courtesy, first, second (emails), formal notice (letter + email copy), handover.
    for (const d of ['2026-02-12', '2026-02-22', '2026-03-02']) expect((await sb.runAsync(['remind', '--due', '--as-of', d])).code).toBe(0);
    // NEW gets a formal notice as its very first reminder.
    const now = await sb.runAsync(['remind', 'F-2026-0004', '--level', '3', '--as-of', '2026-03-12']);
    expect(now.code, now.stderr).toBe(0);
    expect((await sb.runAsync(['remind', '--due', '--as-of', '2026-03-17'])).code).toBe(0);
    // The professional's notice is posted by registered mail; the consumer's is never marked.
    const posted = sb.run(['todo', 'posted', String(letterOf('PRO', 'formal-notice').id), '--tracking', '1A01234567890', '--at', '2026-03-18 10:30']);
    expect(posted.code, posted.stderr).toBe(0);
    const hand = await sb.runAsync(['remind', '--due', '--as-of', '2026-04-01']);
    expect(hand.code, hand.stderr).toBe(0);
    expect(hand.stdout).toContain('handed over for collection: 3');
  }, 120_000);
  afterAll(() => {
    if (process.env.KEEP_LETTERS) console.log(sb.dir);
    else sb.cleanup();
  });

  it('the catalogues give the test something to look for', () => {
    expect(fixedStrings('en')).toContain('Dear Sir or Madam');
    expect(fixedStrings('fr').some((p) => p.startsWith('Par la présente, nous vous mettons en demeure'))).toBe(true);
    expect(fixedStrings('en').length).toBeGreaterThan(80);
  });

  it('formal notice to a professional: greeting by name, its references, "Malgré nos relances", no small claim over 5 000 EUR with interest, all French', async () => {
    const t = await read(letterOf('PRO', 'formal-notice').file_path);
    expect(t).toContain('Madame Martin,');
    expect(t).not.toContain('Madame, Monsieur');
    expect(t).toContain("Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.");
    expect(t).toContain('Vos références : BC-4512');
    expect(t).toContain('Nos références : PRO');
    expect(t).toContain('Malgré nos relances, la facture suivante demeure impayée');
    expect(t).toContain('Lettre recommandée avec accusé de réception');
    // 4 980 EUR + 49.73 EUR of interest at 12.15 % over 30 days: over the ceiling.
    expect(t).not.toContain('petites créances');
    expect(foreign(t, 'en')).toEqual([]);
  });

  it('formal notice to a consumer: neutral greeting, no indemnity, small claim offered, all French', async () => {
    const t = await read(letterOf('PART', 'formal-notice').file_path);
    expect(t).toContain('Madame, Monsieur,');
    expect(t).toContain('Malgré nos relances');
    expect(t).not.toContain('Vos références');
    expect(t).toContain('procédure simplifiée de recouvrement des petites créances');
    expect(t).toContain('intérêt au taux légal');
    expect(foreign(t, 'en')).toEqual([]);
  });

  it('a formal notice that is the first reminder does not say "Malgré nos relances"', async () => {
    const t = await read(letterOf('NEW', 'formal-notice').file_path);
    expect(t).not.toContain('Malgré');
    expect(t).toContain('À ce jour, la facture suivante demeure impayée');
    // A contact name without a civility is not a person to greet by name.
    expect(t).toContain("À l'attention de Service comptabilité");
    expect(t).toContain('Madame, Monsieur,');
    expect(foreign(t, 'en')).toEqual([]);
  });

  it('formal notice in English: "Dear Mr Smith", "Despite our reminders", no French sentence', async () => {
    const t = await read(letterOf('GLOBEX', 'formal-notice').file_path);
    expect(t).toContain('Dear Mr Smith,');
    expect(t).toContain('Yours sincerely,');
    expect(t).toContain('Despite our reminders, the following invoice remains unpaid');
    expect(t).toContain('Our reference: GLOBEX');
    expect(foreign(t, 'fr')).toEqual([]);
  });

  it('collection file of a professional: SIREN, proof of posting, tribunal de commerce (Cerfa 12946) only, over 5 000 EUR with interest', async () => {
    const t = await read(dossierOf('PRO'));
    expect(t).toContain('Dossier de recouvrement');
    expect(t).toContain('SIREN 552100554');
    expect(t).toContain('Professionnel');
    expect(t).toContain('Mise en demeure du 17/03/2026 (F-2026-0001) : déposée à la Poste le 18/03/2026 10:30, lettre recommandée avec accusé de réception n° 1A01234567890.');
    expect(t).toContain('Courrier de relance n°');
    expect(t).toContain('Cerfa n° 12946');
    expect(t).toContain('tribunal de commerce');
    expect(t).not.toContain('12948');
    expect(t).not.toContain('tribunal judiciaire');
    expect(t).toMatch(/Montant en principal et intérêts : 5 0\d\d,\d\d € , au-delà de 5 000 €|Montant en principal et intérêts : 5 0\d\d,\d\d €, au-delà de 5 000 €/);
    expect(t).toContain("la procédure simplifiée de recouvrement des petites créances n'est pas ouverte");
    expect(t).toContain('taux de la BCE en vigueur au 1er janvier ou au 1er juillet majoré de 10 points');
  });

  it('collection file of a consumer: no SIREN asked, no proof of posting recorded, tribunal judiciaire (Cerfa 12948) only, small claim offered', async () => {
    const t = await read(dossierOf('PART'));
    expect(t).toContain('Particulier (consommateur)');
    expect(t).not.toContain('SIREN non renseigné');
    expect(t).toContain("Mise en demeure du 17/03/2026 (F-2026-0002) : aucune preuve de dépôt n'a été enregistrée");
    expect(t).toContain('Cerfa n° 12948');
    expect(t).toContain('tribunal judiciaire');
    expect(t).not.toContain('12946');
    expect(t).not.toContain('tribunal de commerce');
    expect(t).toContain('la procédure simplifiée de recouvrement des petites créances est ouverte');
  });

  it('the French collection files: no English, no raw status, channel or subject, one date format', async () => {
    for (const code of ['PRO', 'PART']) {
      const t = await read(dossierOf(code));
      expect(foreign(t, 'en'), code).toEqual([]);
      const body = t.replace(/courrier-\S+/g, '');
      expect(body, code).not.toMatch(/\b(written|handover|sending|sent|failed|letter|email|call|ECB|professional client)\b/);
      expect(body, code).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(body, code).not.toMatch(/\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/);
      expect(body, code).toMatch(/\d{2}\/\d{2}\/2026/);
    }
    const t = await read(dossierOf('PRO'));
    expect(t).toContain('courriel');
    expect(t).toContain("courriel en boîte d'envoi");
    expect(t).toContain('courrier produit');
  });

  it('the English collection file: no French sentence, tribunal de commerce form 12946, SIREN', async () => {
    const t = await read(dossierOf('GLOBEX'));
    expect(t).toContain('Collection file');
    expect(t).toContain('SIREN 552100554');
    expect(t).toContain('form Cerfa 12946');
    expect(t).not.toContain('12948');
    expect(t).toContain('Formal notice of 17/03/2026 (F-2026-0003): no proof of posting was recorded');
    expect(t).toContain('at most €5,000: the simplified small-claims recovery is available');
    expect(foreign(t, 'fr')).toEqual([]);
    // The check can see a language: the English file is full of the English catalogue's strings.
    expect(fixedStrings('en').filter((p) => t.includes(p)).length).toBeGreaterThan(10);
    expect(t.replace(/courrier-\S+/g, '')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
