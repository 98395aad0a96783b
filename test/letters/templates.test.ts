/**
 * The shipped templates in-process: what was sent before decides "Malgré nos relances" and the
 * handover's first sentence; the contact's civility decides the greeting and the closing; the
 * client's references head the emails. Every template of both languages renders both ways.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/dunning.js';
import { sampleContext } from '../../src/dunning/sample.js';
import { loadTemplates, type MessageContext, type Templates } from '../../src/render/templates.js';
import type { Settings } from '../../src/store/settings.js';

const settings = { currency: 'EUR', 'business.name': 'Atelier Dupont', 'business.email': 'a@example.fr', 'business.iban': null, 'business.bic': null, 'payment_link.pattern': null } as unknown as Settings;
const ctx = (lang: 'fr' | 'en', over: Partial<MessageContext> = {}, contactName: string | null = null): MessageContext => {
  const c = sampleContext(lang, settings, '2026-03-17', DEFAULT_POLICY);
  return { ...c, ...over, client: { ...c.client, contactName } };
};

describe('the shipped reminder templates', () => {
  let t: Templates;
  beforeAll(async () => {
    t = await loadTemplates();
  });

  it('"Malgré nos relances" only after reminders went out; one earlier reminder is named by its date', () => {
    const none = { earlierReminders: 0, lastReminderDate: null, noticeDate: null };
    expect(t.letter('fr', 'formal-notice', ctx('fr', none)).text).toContain('À ce jour, les factures suivantes demeurent impayées');
    expect(t.letter('fr', 'formal-notice', ctx('fr', none)).text).not.toContain('Malgré');
    expect(t.email('fr', 'formal-notice', ctx('fr', none)).text).not.toContain('Malgré');
    expect(t.letter('fr', 'formal-notice', ctx('fr', { earlierReminders: 1, lastReminderDate: '2026-03-02' })).text).toContain('Malgré notre relance du 2 mars 2026, les factures suivantes');
    expect(t.letter('fr', 'formal-notice', ctx('fr', { earlierReminders: 2 })).text).toContain('Malgré nos relances, les factures suivantes');
    expect(t.letter('fr', 'second', ctx('fr', none)).text).not.toContain('Malgré');
    expect(t.email('fr', 'second', ctx('fr', { earlierReminders: 1, lastReminderDate: '2026-02-22' })).text).toContain('Malgré notre relance du 22 février 2026');
    expect(t.letter('en', 'formal-notice', ctx('en', none)).text).not.toContain('Despite');
    expect(t.email('en', 'formal-notice', ctx('en', { earlierReminders: 3 })).text).toContain('Despite our reminders,');
  });

  it('the handover names the formal notice only when one was sent', () => {
    expect(t.letter('fr', 'handover', ctx('fr', { noticeDate: '2026-03-02' })).text).toContain('Notre mise en demeure du 2 mars 2026 étant restée sans effet');
    const noNotice = t.letter('fr', 'handover', ctx('fr', { noticeDate: null, earlierReminders: 0 })).text;
    expect(noNotice).not.toContain('mise en demeure');
    expect(noNotice).toContain('Faute de règlement à ce jour');
    expect(t.email('en', 'handover', ctx('en', { noticeDate: null, earlierReminders: 2 })).text).toContain('As our reminders have remained unanswered');
  });

  it('greets by name when the contact gives a civility, and closes to the same person', () => {
    const fr = t.email('fr', 'formal-notice', ctx('fr', {}, 'Mme Claire Martin')).text;
    expect(fr).toContain('\nMadame Martin,\n');
    expect(fr).toContain('Veuillez agréer, Madame, nos salutations distinguées.');
    const neutral = t.letter('fr', 'first', ctx('fr', {}, 'Service comptabilité')).text;
    expect(neutral).toContain("À l'attention de Service comptabilité\n\nMadame, Monsieur,");
    expect(neutral).toContain("Nous vous prions d'agréer, Madame, Monsieur,");
    const en = t.letter('en', 'second', ctx('en', {}, 'M. Dupont')).text;
    expect(en).toContain('Dear Mr Dupont,');
    expect(en).toContain('Yours sincerely,');
    expect(t.letter('en', 'second', ctx('en')).text).toContain('Yours faithfully,');
    expect(t.email('en', 'formal-notice', ctx('en', {}, 'Ms Jane Smith')).html).toContain('Dear Ms Smith,');
  });

  it("emails show the client's references, then ours", () => {
    const fr = t.email('fr', 'first', ctx('fr', { references: 'BC-4512' }));
    expect(fr.text).toContain('Vos références : BC-4512\nNos références : SAMPLE');
    expect(fr.html).toContain('Vos références : BC-4512<br>Nos références : SAMPLE');
    expect(t.email('fr', 'first', ctx('fr', { references: null })).text).not.toContain('Vos références');
    expect(t.email('en', 'first', ctx('en', { references: 'PO-77' })).text).toContain('Your reference: PO-77\nOur reference: SAMPLE');
  });

  it('every shipped template renders in both languages, both ways', () => {
    for (const lang of ['fr', 'en'] as const)
      for (const name of ['courtesy', 'first', 'second', 'formal-notice', 'handover']) {
        for (const c of [ctx(lang), ctx(lang, { earlierReminders: 0, lastReminderDate: null, noticeDate: null, references: null }, 'Mme Martin')]) {
          expect(t.letter(lang, name, c).text.length).toBeGreaterThan(100);
          expect(t.email(lang, name, c).html.length).toBeGreaterThan(100);
        }
      }
  });
});
