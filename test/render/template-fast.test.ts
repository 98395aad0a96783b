/**
 * render/template-fast.ts against Handlebars itself: every shipped template (both languages, email
 * subject/text/HTML and letter subject/body/text) renders byte for byte the same through the fast
 * evaluator as through Handlebars, over generated contexts (fast-check); an override using what the
 * evaluator does not model is rendered by Handlebars; unknown variables give the same error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/dunning.js';
import { sampleContext } from '../../src/dunning/sample.js';
import { loadTemplates, shippedTemplatesDir, tidyText, type ContextInvoice, type MessageContext, type Templates } from '../../src/render/templates.js';
import type { Settings } from '../../src/store/settings.js';

const settings = (iban: string | null, bic: string | null, legal: string | null) =>
  ({ currency: 'EUR', 'business.name': 'Atelier Dupont', 'business.legal_form': legal, 'business.email': 'a@example.fr', 'business.address': '1 rue de la Paix\n75002 Paris', 'business.phone': null, 'business.siren': '123456789', 'business.rcs': null, 'business.iban': iban, 'business.bic': bic, 'payment_link.pattern': null }) as unknown as Settings;

const names = (lang: string, channel: string) => fs.readdirSync(path.join(shippedTemplatesDir(), lang, channel)).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4));

const invoice = fc.record({
  number: fc.constantFrom('F-2026-0001', 'F-2026-0042', 'A&B<1>', 'F-2025-9'),
  instalment: fc.constantFrom(0, 0, 1, 2),
  issueDate: fc.constantFrom('2026-01-05', '2025-12-31'),
  dueDate: fc.constantFrom('2026-02-04', '2026-03-01'),
  amount: fc.integer({ min: 0, max: 10_000_000 }),
  balance: fc.integer({ min: -100, max: 10_000_000 }),
  currency: fc.constantFrom('EUR', 'EUR', 'USD'),
  daysLate: fc.integer({ min: -10, max: 400 }),
  penalty: fc.option(fc.integer({ min: 0, max: 50_000 })),
  indemnity: fc.option(fc.constantFrom(0, 4000, 8000)),
  paymentLink: fc.option(fc.constantFrom('https://pay.example/F?a=1&b=2', 'https://p.example/x')),
  paymentReference: fc.constantFrom('RF18 F202 6000 1', 'RF71 A1'),
  newLevel: fc.option(fc.integer({ min: 0, max: 4 })),
}).map((i): ContextInvoice => ({ ...i, late: i.daysLate > 0 }));

const context = fc.record({
  lang: fc.constantFrom<'fr' | 'en'>('fr', 'en'),
  iban: fc.option(fc.constant('FR7630006000011234567890189')),
  bic: fc.option(fc.constant('AGRIFRPP')),
  legal: fc.option(fc.constant('SARL')),
  invoices: fc.array(invoice, { minLength: 0, maxLength: 6 }),
  contactName: fc.option(fc.constantFrom('Mme Claire Martin', 'M. Dupont', 'Service <compta>', 'Dr Who')),
  consumer: fc.boolean(),
  claimsPenalties: fc.boolean(),
  claimsIndemnity: fc.boolean(),
  penaltyRate: fc.option(fc.integer({ min: 0, max: 2000 })),
  earlierReminders: fc.integer({ min: 0, max: 3 }),
  lastReminderDate: fc.option(fc.constant('2026-03-02')),
  noticeDate: fc.option(fc.constant('2026-03-09')),
  references: fc.option(fc.constantFrom('BC-4512', 'PO 1, PO 2')),
  paymentLink: fc.option(fc.constant('https://pay.example/all')),
  paymentReference: fc.option(fc.constant('RF18 F202 6000 1')),
  smallClaim: fc.boolean(),
});

type Gen = typeof context extends fc.Arbitrary<infer T> ? T : never;

function build(c: Gen): MessageContext {
  const base = sampleContext(c.lang, settings(c.iban, c.bic, c.legal), '2026-03-17', DEFAULT_POLICY);
  const totals = new Map<string, { currency: string; balance: number; penalty: number; indemnity: number; total: number }>();
  for (const i of c.invoices) {
    const t = totals.get(i.currency) ?? { currency: i.currency, balance: 0, penalty: 0, indemnity: 0, total: 0 };
    t.balance += i.balance;
    t.penalty += i.penalty ?? 0;
    t.indemnity += i.indemnity ?? 0;
    t.total = t.balance + t.penalty + t.indemnity;
    totals.set(i.currency, t);
  }
  const list = [...totals.values()];
  return {
    ...base,
    client: { ...base.client, contactName: c.contactName, consumer: c.consumer },
    invoices: c.invoices.length > 0 ? c.invoices : base.invoices,
    count: c.invoices.length > 0 ? c.invoices.length : base.count,
    totals: c.invoices.length > 0 ? list : base.totals,
    total: list[0] ?? base.total,
    claimsPenalties: c.claimsPenalties,
    claimsIndemnity: c.claimsIndemnity,
    penaltyRate: c.penaltyRate,
    earlierReminders: c.earlierReminders,
    lastReminderDate: c.lastReminderDate,
    noticeDate: c.noticeDate,
    references: c.references,
    paymentLink: c.paymentLink,
    paymentReference: c.paymentReference,
    smallClaim: c.smallClaim,
    iban: c.iban,
    bic: c.bic,
  };
}

/** What a render gives, or the error it throws (message included). */
const outcome = (f: () => unknown) => {
  try {
    return { ok: f() };
  } catch (err) {
    return { error: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
};

describe('template-fast: the same output as Handlebars', () => {
  let fast: Templates;
  let slow: Templates;
  beforeAll(async () => {
    fast = await loadTemplates();
    slow = await loadTemplates({ fast: false });
  });

  it('every shipped email and letter template, both languages, over generated contexts', () => {
    fc.assert(
      fc.property(context, (c) => {
        const ctx = build(c);
        for (const name of names(c.lang, 'email')) expect(outcome(() => fast.email(c.lang, name, ctx))).toEqual(outcome(() => slow.email(c.lang, name, ctx)));
        for (const name of names(c.lang, 'letter')) expect(outcome(() => fast.letter(c.lang, name, ctx))).toEqual(outcome(() => slow.letter(c.lang, name, ctx)));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('the sample context renders every template (not only errors compared)', () => {
    for (const lang of ['fr', 'en'] as const) {
      const ctx = sampleContext(lang, settings('FR7630006000011234567890189', 'AGRIFRPP', 'SARL'), '2026-03-17', DEFAULT_POLICY);
      for (const name of ['courtesy', 'first', 'second', 'formal-notice', 'handover']) {
        const e = fast.email(lang, name, ctx);
        expect(e.text.length).toBeGreaterThan(100);
        expect(e).toEqual(slow.email(lang, name, ctx));
        expect(fast.letter(lang, name, ctx)).toEqual(slow.letter(lang, name, ctx));
      }
    }
    // every one of those renders went through the fast evaluator, none fell back to Handlebars
    const before = { ...fast.stats };
    const ctx = sampleContext('fr', settings(null, null, null), '2026-03-17', DEFAULT_POLICY);
    fast.email('fr', 'first', ctx);
    fast.letter('fr', 'formal-notice', ctx);
    expect(fast.stats.fast - before.fast).toBe(6);
    expect(fast.stats.handlebars - before.handlebars).toBe(0);
    expect(slow.stats.fast).toBe(0);
  });
});

describe('template-fast: overrides', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-fast-'));
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('fr/email/hash.hbs', '---\nsubject: "{{business.name}}"\n---\n{{#each invoices}}{{@index}}: {{number}} {{money balance currency}}\n{{/each}}{{#with client}}{{name}}{{/with}}\n');
  put('fr/email/unknown.hbs', '---\nsubject: "x"\n---\nBonjour {{client.name}},\n{{#each invoices}}{{numero}}{{/each}}\n');
  put('fr/email/deep.hbs', '---\nsubject: "{{invoices.0.number}}"\n---\n{{#each invoices}}{{../client.code}}-{{number}}{{#if ../claimsPenalties}}!{{/if}}{{else}}none{{/each}}\n{{{business.name}}} {{lines business.address}}\n{{#unless smallClaim}}big{{else}}small{{/unless}} {{#if (eq count 1)}}one{{else if (gt count 2)}}many{{/if}}\n');
  // a partial the evaluator leaves to Handlebars (@index): the shipped emails that include it render through Handlebars
  put('fr/partials/signature.txt.hbs', '{{business.name}}\n{{#each business.address}}{{@index}}: {{this}}\n{{/each}}');
  put('fr/email/proto.hbs', '---\nsubject: "x"\n---\n{{toString}} {{client.name.length}}\n');
  put('fr/email/helper.hbs', '---\nsubject: "x"\n---\n{{nohelper count}}\n');
  let fast: Templates;
  let slow: Templates;
  beforeAll(async () => {
    fast = await loadTemplates({ overrideDir: dir });
    slow = await loadTemplates({ overrideDir: dir, fast: false });
  });

  it('constructs the evaluator leaves to Handlebars (@index, #with) and paths across levels render the same', () => {
    fc.assert(
      fc.property(context, (c) => {
        const ctx = build({ ...c, lang: 'fr' });
        for (const name of ['hash', 'deep', 'unknown', 'helper', 'proto', 'first', 'second']) expect(outcome(() => fast.email('fr', name, ctx))).toEqual(outcome(() => slow.email('fr', name, ctx)));
      }),
      { numRuns: 40 },
    );
    expect(fast.stats.handlebars).toBeGreaterThan(0); // hash (@index, #with), helper and proto ({{toString}}) went to Handlebars
    expect(fast.stats.fast).toBeGreaterThan(0);
  });

  it('a shipped email with an overridden partial the evaluator leaves to Handlebars renders through Handlebars, the same', () => {
    const ctx = sampleContext('fr', settings(null, null, null), '2026-03-17', DEFAULT_POLICY);
    const before = fast.stats.handlebars;
    const e = fast.email('fr', 'first', ctx, { html: false });
    expect(e.text).toContain('0: 1 rue de la Paix\n1: 75002 Paris');
    expect(e).toEqual(slow.email('fr', 'first', ctx, { html: false }));
    expect(fast.stats.handlebars - before).toBe(1); // the text; the subject stays fast
  });

  it('an unknown variable is the same UsageError naming the file, the variable and the line', () => {
    const ctx = sampleContext('fr', settings(null, null, null), '2026-03-17', DEFAULT_POLICY);
    const e = outcome(() => fast.email('fr', 'unknown', ctx));
    expect(e).toEqual(outcome(() => slow.email('fr', 'unknown', ctx)));
    expect(String(e.error)).toMatch(/UsageError: .*unknown\.hbs.*numero.*line 2\b/);
  });
});

describe('tidyText', () => {
  it('is the split / trailing blanks / join / \\n{3,} / trim it replaced, on any text of blanks, newlines and letters', () => {
    const old = (s: string) =>
      s
        .split('\n')
        .map((l) => l.replace(/[ \t]+$/, ''))
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n';
    const text = fc.array(fc.constantFrom(' ', '\t', '\n', '\n', '\r', 'a', 'é', '\u00a0', '\u2028', '\ufeff'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (s) => {
        expect(tidyText(s)).toBe(old(s));
      }),
      { numRuns: 3000 },
    );
  });
});
