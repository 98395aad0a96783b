/**
 * Reminder templates: Handlebars files under templates/<lang>/<channel>/<name>.hbs, with partials
 * in templates/<lang>/partials/. A ledger's own templates folder overrides any file (same relative
 * path). Handlebars is loaded lazily, templates are compiled once per run, and strict mode makes an
 * unknown variable an error (at preview and dry-run) instead of a blank in a letter.
 *
 * One source renders three ways: 'html' (escaped, paragraphs become <p>), 'text' (the plain-text
 * part, and the stored copy), 'letter' (text, with the invoice table left as a marker the PDF draws).
 * A template starts with front matter giving its subject:
 *   ---
 *   subject: Relance : facture {{invoices.0.number}}
 *   ---
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { t as tr } from '../i18n/index.js';
import { formatMoney, type Cents } from '../core/money.js';
import { courtesyTitle, namedSalutation, salutation } from '../core/salutation.js';
import type { IsoDate } from '../core/dates.js';
import type { Business } from './format.js';
import { compileFast, FALLBACK, type FastTemplate } from './template-fast.js';

export type Lang = 'fr' | 'en';
export type TemplateChannel = 'email' | 'letter';
export type Mode = 'html' | 'text' | 'letter';

/** The line a letter body carries where the PDF draws the invoice table. */
export const TABLE_MARKER = '[[invoice-table]]';

type HB = typeof import('handlebars');
type RuntimeOptions = Parameters<HandlebarsTemplateDelegate>[1];
type Compiled = (ctx: unknown, options?: unknown) => string;

/** Where the shipped templates are: the first "templates" folder above this module (src/ or dist/). */
export function shippedTemplatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(candidate, 'fr', 'email'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the shipped templates folder (templates/fr/email); reinstall relance');
}

const MONTHS: Record<Lang, string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

export function formatDateLong(d: IsoDate, lang: Lang): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const month = MONTHS[lang][m - 1] ?? '';
  if (lang === 'fr') return `${day === 1 ? '1er' : day} ${month} ${y}`;
  return `${day} ${month} ${y}`;
}

/** 1215 -> "12,15 %" (fr) or "12.15%" (en). */
export function formatRate(bp: number, lang: Lang): string {
  const s = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
  return lang === 'fr' ? `${s.replace('.', ',')}\u00a0%` : `${s}%`;
}

interface Source {
  file: string;
  subject: string | null;
  body: string;
}

function splitFrontMatter(text: string, file: string): { subject: string | null; body: string } {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!t.startsWith('---\n')) return { subject: null, body: t };
  const end = t.indexOf('\n---\n', 3);
  if (end < 0) throw new UsageError(tr('common.template.frontMatter', { file }));
  let subject: string | null = null;
  for (const line of t.slice(4, end).split('\n')) {
    const m = /^\s*subject\s*:\s*(.*)$/.exec(line);
    if (m) subject = m[1]!.trim().replace(/^"(.*)"$/, '$1');
  }
  return { subject, body: t.slice(end + 5) };
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedLetter {
  subject: string;
  /** Body text with TABLE_MARKER on its own line where the table goes. */
  body: string;
  /** The same letter as plain text (table included), stored as the record of what was sent. */
  text: string;
}

export interface Templates {
  /** Render an email (subject, plain text, HTML). Throws UsageError naming the file and the variable. */
  email(lang: Lang, name: string, ctx: MessageContext, opts?: { html?: boolean }): RenderedMessage;
  letter(lang: Lang, name: string, ctx: MessageContext): RenderedLetter;
  /** Where a template comes from (override or shipped), for messages. */
  locate(lang: Lang, channel: TemplateChannel, name: string): string;
  overrideDir: string | null;
  /** Top-level renders by the fast evaluator and by Handlebars (a fast one that fell back counts as Handlebars). */
  readonly stats: { fast: number; handlebars: number };
}

/** Load Handlebars and prepare a template set for this run. Every file is compiled at most once. */
export async function loadTemplates(opts: { overrideDir?: string | null; shippedDir?: string; /** false: Handlebars only (tests compare both) */ fast?: boolean } = {}): Promise<Templates> {
  const hbModule = (await import('handlebars')) as unknown as HB & { default?: HB };
  const Handlebars: HB = hbModule.default ?? hbModule;
  const shipped = opts.shippedDir ?? shippedTemplatesDir();
  const override = opts.overrideDir && fs.existsSync(opts.overrideDir) ? opts.overrideDir : null;

  const find = (rel: string): string | null => {
    if (override) {
      const f = path.join(override, rel);
      if (fs.existsSync(f)) return f;
    }
    const f = path.join(shipped, rel);
    return fs.existsSync(f) ? f : null;
  };

  const sources = new Map<string, Source>();
  const readSource = (rel: string): Source | null => {
    if (sources.has(rel)) return sources.get(rel)!;
    const file = find(rel);
    if (!file) return null;
    const { subject, body } = splitFrontMatter(fs.readFileSync(file, 'utf8'), file);
    const s = { file, subject, body };
    sources.set(rel, s);
    return s;
  };

  const instances = new Map<string, HB>();
  const compiled = new Map<string, Compiled>();

  // Per language and mode, the partials as the fast evaluator runs them (render/template-fast.ts).
  const fastPartials = new Map<string, Map<string, FastTemplate | null>>();
  const stats = { fast: 0, handlebars: 0 };

  const compile = (hb: HB, src: string, file: string, mode: Mode, fastOf?: Map<string, FastTemplate | null>): Compiled => {
    const options = compileOptions(mode);
    let fn: HandlebarsTemplateDelegate;
    try {
      // HTML escapes what it inserts; the plain text and the letter insert values as they are.
      fn = hb.compile(src, options);
    } catch (err) {
      throw new UsageError(tr('common.template.syntax', { file, error: (err as Error).message.split('\n')[0] }));
    }
    // The same template through the fast evaluator when it can (the whole template, top level
    // only): a message it cannot model exactly is rendered by Handlebars (FALLBACK).
    const fast = fastOf ? compileFast(hb, src, mode === 'html', fastOf, options) : null;
    return (ctx, options) => {
      try {
        if (fast && options === undefined) {
          try {
            const out = fast(ctx);
            stats.fast++;
            return out;
          } catch (err) {
            if (err !== FALLBACK) throw err;
          }
        }
        if (options === undefined) stats.handlebars++;
        return fn(ctx, options as RuntimeOptions | undefined);
      } catch (err) {
        const msg = (err as Error).message.split('\n')[0] ?? '';
        const m = /^"(.+?)" not defined in .*? - (\d+):(\d+)/.exec(msg);
        if (m) throw new UsageError(tr('common.template.unknownVariable', { file, name: m[1], line: m[2] }));
        throw new UsageError(tr('common.template.error', { file, error: msg }));
      }
    };
  };

  const instance = (lang: Lang, mode: Mode): HB => {
    const key = `${lang}/${mode}`;
    let hb = instances.get(key);
    if (hb) return hb;
    hb = Handlebars.create();
    registerHelpers(hb, lang, mode);
    const partialDirs = [override && path.join(override, lang, 'partials'), path.join(shipped, lang, 'partials')].filter(Boolean) as string[];
    const names = new Set<string>();
    for (const d of partialDirs) {
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d)) {
        const m = /^([a-z0-9_-]+)(?:\.(html|txt))?\.hbs$/.exec(f);
        if (m) names.add(m[1]!);
      }
    }
    const suffix = mode === 'html' ? 'html' : 'txt';
    const fastOf = new Map<string, FastTemplate | null>();
    fastPartials.set(key, fastOf);
    const fastOptions = compileOptions(mode);
    for (const name of names) {
      if (mode === 'letter' && name === 'invoice-table') {
        hb.registerPartial(name, `\n${TABLE_MARKER}\n`);
        fastOf.set(name, compileFast(hb, `\n${TABLE_MARKER}\n`, false, fastOf, fastOptions));
        continue;
      }
      const src = readSource(`${lang}/partials/${name}.${suffix}.hbs`) ?? readSource(`${lang}/partials/${name}.hbs`);
      if (!src) continue;
      fastOf.set(name, compileFast(hb, src.body, mode === 'html', fastOf, fastOptions));
      const c = compile(hb, src.body, src.file, mode);
      // Handlebars calls a partial with its own options (partial: true), which lets the partial
      // reuse the caller's helpers instead of setting up a new environment on every call.
      hb.registerPartial(name, ((ctx: unknown, options: unknown) => c(ctx, options)) as never);
    }
    instances.set(key, hb);
    return hb;
  };

  const get = (lang: Lang, channel: TemplateChannel, name: string, mode: Mode, part: 'subject' | 'body'): Compiled => {
    const key = `${lang}/${channel}/${name}/${mode}/${part}`;
    let fn = compiled.get(key);
    if (fn) return fn;
    const rel = `${lang}/${channel}/${name}.hbs`;
    const src = readSource(rel);
    if (!src) {
      throw new UsageError(
        tr('common.template.missing', { rel, where: override ? `${override} ${tr('common.template.and')} ${shipped}` : shipped }),
      );
    }
    if (part === 'subject' && src.subject === null) {
      throw new UsageError(tr('common.template.noSubject', { file: src.file }));
    }
    const hb = instance(lang, mode);
    fn = compile(hb, part === 'subject' ? src.subject! : src.body, src.file, mode, opts.fast === false ? undefined : fastPartials.get(`${lang}/${mode}`));
    compiled.set(key, fn);
    return fn;
  };

  return {
    overrideDir: override,
    stats,
    locate(lang, channel, name) {
      return find(`${lang}/${channel}/${name}.hbs`) ?? path.join(shipped, lang, channel, `${name}.hbs`);
    },
    email(lang, name, ctx, opts = {}) {
      const subject = oneLine(get(lang, 'email', name, 'text', 'subject')(ctx));
      const text = tidyText(get(lang, 'email', name, 'text', 'body')(ctx));
      const html = opts.html === false ? '' : toHtml(get(lang, 'email', name, 'html', 'body')(ctx), subject, lang);
      return { subject, text, html };
    },
    letter(lang, name, ctx) {
      const subject = oneLine(get(lang, 'letter', name, 'text', 'subject')(ctx));
      const body = tidyText(get(lang, 'letter', name, 'letter', 'body')(ctx));
      const text = tidyText(get(lang, 'letter', name, 'text', 'body')(ctx));
      return { subject, body, text };
    },
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** How every template and partial is compiled, by Handlebars and by the fast evaluator alike. */
function compileOptions(mode: Mode) {
  return { strict: true, noEscape: mode !== 'html', preventIndent: true };
}

/** Trim trailing spaces and collapse runs of blank lines left by {{#if}} blocks. */
export function tidyText(s: string): string {
  // One pass over the lines (this runs on every message's text; it was split, a regular expression
  // per line, join, then /\n{3,}/): each line's trailing blanks dropped, at most two newlines in a row.
  let out = '';
  let run = 0; // newlines at the end of out
  let pos = 0;
  for (;;) {
    const nl = s.indexOf('\n', pos);
    let end = nl < 0 ? s.length : nl;
    while (end > pos) {
      const c = s.charCodeAt(end - 1);
      if (c !== 32 && c !== 9) break;
      end--;
    }
    if (end > pos) {
      out += s.slice(pos, end);
      run = 0;
    }
    if (nl < 0) break;
    if (run < 2) {
      out += '\n';
      run++;
    }
    pos = nl + 1;
  }
  return out.trim() + '\n';
}

function toHtml(body: string, title: string, lang: Lang): string {
  const paras = body
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.startsWith('<') ? p : `<p>${p.replace(/\n/g, '<br>\n')}</p>`));
  const esc = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${esc}</title></head>\n<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #222; line-height: 1.45;">\n${paras.join('\n')}\n</body></html>\n`;
}

/** /^\d{4}-\d{2}-\d{2}$/.test(d), without a regular expression. */
function isIsoDateText(d: unknown): d is string {
  if (typeof d !== 'string' || d.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = d.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 45 : c < 48 || c > 57) return false;
  }
  return true;
}

function registerHelpers(hb: HB, lang: Lang, mode: Mode): void {
  const num = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} expects a number, got ${JSON.stringify(v)}`);
    return v;
  };
  // Amounts: {{money invoice.balance invoice.currency}} (currency defaults to EUR).
  hb.registerHelper('money', (cents: unknown, currency: unknown) =>
    formatMoney(num(cents, 'money'), typeof currency === 'string' ? currency : 'EUR', lang),
  );
  // Dates: {{date reminderDate}} -> "15 mars 2026" / "15 March 2026"; {{date d "short"}} -> 15/03/2026.
  // (called twice for every invoice listed: checked by char codes, cut by slices)
  hb.registerHelper('date', (d: unknown, style: unknown) => {
    if (!isIsoDateText(d)) throw new Error(`date expects a YYYY-MM-DD date, got ${JSON.stringify(d)}`);
    if (style === 'short') return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
    return formatDateLong(d, lang);
  });
  // {{plural n "facture" "factures"}}: French counts 0 and 1 as singular, English only 1.
  hb.registerHelper('plural', (n: unknown, one: unknown, many: unknown) => {
    const k = num(n, 'plural');
    const singular = lang === 'fr' ? Math.abs(k) < 2 : Math.abs(k) === 1;
    return singular ? String(one) : String(many);
  });
  // {{days n}} -> "12 jours" / "1 day".
  hb.registerHelper('days', (n: unknown) => {
    const k = num(n, 'days');
    if (lang === 'fr') return `${k} ${Math.abs(k) < 2 ? 'jour' : 'jours'}`;
    return `${k} ${Math.abs(k) === 1 ? 'day' : 'days'}`;
  });
  hb.registerHelper('rate', (bp: unknown) => formatRate(num(bp, 'rate'), lang));
  // Greetings from the client's contact name (core/salutation.ts): {{salutation}} -> "Madame Martin" /
  // "Madame, Monsieur" (en "Dear Ms Martin" / "Dear Sir or Madam"); {{courtesy}} -> "Madame" for the
  // closing formula; (named) is true when the contact gives a civility. They read the root context's
  // client.contactName, so a context without a client greets neutrally.
  const contactOf = (options: unknown): string | null => {
    const root = (options as { data?: { root?: { client?: { contactName?: unknown } } } } | undefined)?.data?.root;
    const name = root?.client?.contactName;
    return typeof name === 'string' ? name : null;
  };
  hb.registerHelper('salutation', (options: unknown) => salutation(contactOf(options), lang));
  hb.registerHelper('courtesy', (options: unknown) => courtesyTitle(contactOf(options)));
  hb.registerHelper('named', (options: unknown) => namedSalutation(contactOf(options), lang) !== null);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => num(a, 'gt') > num(b, 'gt'));
  // Pad a cell to a width, for the plain-text table: {{pad number 14}} / {{padl amount 12}}.
  hb.registerHelper('pad', (s: unknown, w: unknown) => String(s ?? '').padEnd(num(w, 'pad')));
  hb.registerHelper('padl', (s: unknown, w: unknown) => String(s ?? '').padStart(num(w, 'padl')));
  // Address lines joined for the current mode.
  hb.registerHelper('lines', (arr: unknown) => {
    const list = Array.isArray(arr) ? arr.map(String) : typeof arr === 'string' ? arr.split('\n') : [];
    if (mode === 'html') return new hb.SafeString(list.map((l) => hb.Utils.escapeExpression(l)).join('<br>'));
    return list.join('\n');
  });
}

// ---------------------------------------------------------------------------------------------
// The variables every template sees (README "Templates" lists them).

export interface ContextInvoice {
  number: string;
  instalment: number;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amount: Cents;
  balance: Cents;
  currency: string;
  daysLate: number;
  late: boolean;
  /** Penalties as of the reminder date (cents), or null when this level does not claim them. */
  penalty: Cents | null;
  indemnity: Cents | null;
  paymentLink: string | null;
  /** the invoice's ISO 11649 payment reference (RF...), as printed on it, for the transfer */
  paymentReference: string;
  /** Level this message records for the invoice, or null when it is only listed. */
  newLevel: number | null;
}

export interface ContextTotal {
  currency: string;
  balance: Cents;
  penalty: Cents;
  indemnity: Cents;
  total: Cents;
}

export interface MessageContext {
  lang: Lang;
  business: Business;
  client: {
    code: string;
    name: string;
    contactName: string | null;
    email: string | null;
    address: string[];
    consumer: boolean;
  };
  level: { number: number; name: string };
  reminderDate: IsoDate;
  invoices: ContextInvoice[];
  count: number;
  totals: ContextTotal[];
  /** Totals of the business currency (the usual single-currency case); zero when none. */
  total: ContextTotal;
  claimsPenalties: boolean;
  claimsIndemnity: boolean;
  /** Penalty rate in basis points used for the figures (null when not claimed or not computable). */
  penaltyRate: number | null;
  /** The date the penalties were computed at (= reminderDate). */
  penaltiesAsOf: IsoDate;
  /** Deadline given by a formal notice (reminderDate + noticeDays). */
  deadline: IsoDate;
  noticeDays: number;
  paymentLink: string | null;
  /** the payment reference of the one invoice a message is about, printed in groups of four; null for several */
  paymentReference: string | null;
  iban: string | null;
  bic: string | null;
  /** The claim in principal and interest is at most 5 000 EUR (R125-1 CPCE, core/small-claims.ts). */
  smallClaim: boolean;
  /** Reminders after the due date that went out before this one (so "Malgré nos relances" is true only then). */
  earlierReminders: number;
  /** The date of the latest of them, or null. */
  lastReminderDate: IsoDate | null;
  /** The date of the formal notice letter sent before, or null. */
  noticeDate: IsoDate | null;
  /** The client's own references (the order numbers of the invoices listed), or null: "Vos références". */
  references: string | null;
}
