/** relance init [PATH]: create a ledger with the business identity and its defaults. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { parsePercent } from '../../core/numbers.js';
import { createLedger } from '../../store/db.js';
import { seedSequences } from '../../store/documents.js';
import { checkedSetting, TERMS_KINDS, parseSetting, putSetting, type SettingKey } from '../../store/settings.js';
import { addressLines, examples, type App } from '../app.js';
import { resolveLedgerPath } from '../context.js';
import { checkWith, valueOrAsk } from '../prompt.js';
import { checkLedgerName, readRegistry, writeRegistry } from '../registry.js';
import { printJson } from '../../render/output.js';
import { t } from '../../i18n/index.js';

interface InitOptions {
  name?: string;
  legalForm?: string;
  siren?: string;
  rcs?: string;
  vatNumber?: string;
  address?: string;
  iban?: string;
  bic?: string;
  email?: string;
  phone?: string;
  currency?: string;
  lang?: string;
  terms?: string;
  termsKind?: string;
  penaltyRate?: string;
  vatExempt?: boolean;
  invoicePattern?: string;
  quotePattern?: string;
  paymentLink?: string;
  register?: string;
}

export function registerInit(program: Command, app: App): void {
  const cmd = program
    .command('init')
    .argument('[path]', t('books.init.arg.path'))
    .description(t('books.init.description')).summary(t('books.init.summary'))
    .option('--name <name>', t('books.init.opt.name'))
    .option('--legal-form <text>', t('books.init.opt.legalForm'))
    .option('--siren <siren>', t('books.init.opt.siren'))
    .option('--rcs <text>', t('books.init.opt.rcs'))
    .option('--vat-number <vat>', t('books.init.opt.vatNumber'))
    .option('--address <text>', t('books.init.opt.address'))
    .option('--iban <iban>', t('books.init.opt.iban'))
    .option('--bic <bic>', t('books.init.opt.bic'))
    .option('--email <email>', t('books.init.opt.email'))
    .option('--phone <phone>', t('books.init.opt.phone'))
    .option('--currency <code>', t('books.init.opt.currency'), 'EUR')
    .option('--lang <fr|en>', t('books.init.opt.lang'), 'fr')
    .option('--terms <days>', t('books.init.opt.terms'), '30')
    .option('--terms-kind <kind>', t('books.init.opt.termsKind', { kinds: TERMS_KINDS.join(' | ') }), 'net')
    .option('--penalty-rate <percent>', t('books.init.opt.penaltyRate'))
    .option('--vat-exempt', t('books.init.opt.vatExempt'))
    .option('--no-vat-exempt', t('books.init.opt.noVatExempt'))
    .option('--invoice-pattern <pattern>', t('books.init.opt.invoicePattern', { pattern: 'F-{YYYY}-{seq:4}' }))
    .option('--quote-pattern <pattern>', t('books.init.opt.quotePattern', { pattern: 'D-{YYYY}-{seq:4}' }))
    .option('--payment-link <pattern>', t('books.init.opt.paymentLink', { pattern: 'https://pay.example.com/{number}' }))
    .option('--register <name>', t('books.init.opt.register'))
    .action(
      app.act(async (ctx, target: string | undefined, o: InitOptions, cmd: Command) => {
        const io = ctx.io;
        const file = target ? path.resolve(io.cwd, target) : resolveLedgerPath(io, ctx.global).file;
        if (fs.existsSync(file)) throw new UsageError(t('books.init.exists', { file }));
        if (o.register) checkLedgerName(o.register);
        const values = new Map<SettingKey, unknown>();
        const set = (key: SettingKey, raw: unknown) => values.set(key, parseSetting(key, raw));
        // At a prompt, the IBAN, BIC and VAT number are checked in full as they are typed (the libraries load then).
        const check = (key: SettingKey) => async (s: string): Promise<true | string> => {
          const quick = checkWith((v) => parseSetting(key, v))(s);
          if (quick !== true) return quick;
          return checkedSetting(key, parseSetting(key, s) as never).then(() => true as const, (err: Error) => err.message);
        };

        set('business.name', await valueOrAsk(io, o.name, { flag: '--name', message: t('books.init.ask.name'), required: true, validate: check('business.name') }));
        set('business.email', await valueOrAsk(io, o.email, { flag: '--email', message: t('books.init.ask.email'), required: true, validate: check('business.email') }));
        const asked: [keyof InitOptions, SettingKey, string, ((s: string) => string)?][] = [
          ['legalForm', 'business.legal_form', t('books.init.ask.legalForm')],
          ['siren', 'business.siren', t('books.init.ask.siren')],
          ['vatNumber', 'business.vat_number', t('books.init.ask.vatNumber')],
          ['address', 'business.address', t('books.init.ask.address'), addressLines],
          ['iban', 'business.iban', t('books.init.ask.iban')],
          ['bic', 'business.bic', t('books.init.ask.bic')],
        ];
        for (const [opt, key, message, shape] of asked) {
          // A micro-entrepreneur who answers the prompts must not bill 20 % VAT by default: ask.
          if (opt === 'vatNumber' && o.vatExempt === undefined && io.canPrompt) o.vatExempt = await askVatFranchise();
          const v = await valueOrAsk(io, o[opt] as string | undefined, { flag: `--${opt}`, message, validate: check(key) });
          if (v !== undefined) set(key, shape ? shape(v) : v);
        }
        if (o.rcs) set('business.rcs', o.rcs);
        if (o.phone) set('business.phone', o.phone);
        set('currency', o.currency);
        set('language', o.lang);
        // The payment terms: their defaults (30 days net) are asked about on a terminal.
        const given = (opt: string) => cmd.getOptionValueSource(opt) !== 'default';
        const terms = given('terms') ? o.terms : await valueOrAsk(io, undefined, { flag: '--terms', message: t('books.init.ask.terms'), default: o.terms, validate: check('terms.days') });
        set('terms.days', terms ?? o.terms);
        set('terms.kind', given('termsKind') || !io.canPrompt ? o.termsKind : await askTermsKind(o.termsKind ?? 'net'));
        if (o.penaltyRate !== undefined) {
          set('penalty.mode', 'contract');
          set('penalty.rate_bp', parsePercent(o.penaltyRate, '--penalty-rate'));
        }
        if (o.vatExempt) set('vat_exempt', true);
        if (o.invoicePattern) set('invoice.pattern', o.invoicePattern);
        if (o.quotePattern) set('quote.pattern', o.quotePattern);
        if (o.paymentLink) set('payment_link.pattern', o.paymentLink);

        for (const [k, v] of values) values.set(k, await checkedSetting(k, v as never));
        const db = createLedger(file, (d) => {
          for (const [k, v] of values) putSetting(d, k, v as never);
          seedSequences(d);
        });
        db.close();
        if (o.register) {
          const reg = readRegistry(io.env);
          reg.ledgers[o.register] = file;
          writeRegistry(io.env, reg);
        }
        if (ctx.json) printJson(io, { file, registeredAs: o.register ?? null });
        else if (!ctx.quiet) {
          io.out(`${o.register ? t('books.init.createdRegistered', { file, name: o.register }) : t('books.init.created', { file })}\n`);
          io.out(`${t('books.init.next', { file })}\n`);
        }
      }),
    );
  examples(cmd, [
    'relance init dupont.db --name "Atelier Dupont" --email compta@dupont.fr --siren 732829320 --address "12 rue des Lilas;69003 Lyon"',
    'relance init --name "Marie Martin EI" --email marie@martin.fr --vat-exempt --terms 45 --register marie',
    'relance init acme.db --name ACME --email a@acme.fr --penalty-rate 15 --terms-kind eom',
  ]);
}

/** Franchise en base de TVA (art. 293 B du CGI): the ledger's documents then carry no VAT. */
async function askVatFranchise(): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: t('books.init.ask.vatFranchise'), default: false });
}

/** How the payment terms run from the invoice date. */
async function askTermsKind(current: string): Promise<string> {
  const { select } = await import('@inquirer/prompts');
  const label: Record<string, string> = {
    net: t('books.init.termsKind.net'),
    eom: t('books.init.termsKind.eom'),
    '45eom-add-then-eom': t('books.init.termsKind.addThenEom'),
    '45eom-eom-then-add': t('books.init.termsKind.eomThenAdd'),
  };
  return select({ message: t('books.init.ask.termsKind'), default: current, choices: TERMS_KINDS.map((k) => ({ value: k, name: label[k] ?? k })) });
}
