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
    .argument('[path]', 'the ledger file to create (default: -f, --ledger, RELANCE_FILE, ./relance.db)')
    .description('create a ledger: the business identity, payment terms and penalty terms').summary('create a ledger: identity, terms, penalties')
    .option('--name <name>', 'business name (required)')
    .option('--legal-form <text>', 'legal form and capital, e.g. "SARL au capital de 10 000 EUR"')
    .option('--siren <siren>', 'SIREN, 9 digits')
    .option('--rcs <text>', 'RCS / RM registration, e.g. "RCS Lyon"')
    .option('--vat-number <vat>', 'intra-EU VAT number')
    .option('--address <text>', 'postal address, lines separated by ";"')
    .option('--iban <iban>', 'IBAN for transfers')
    .option('--bic <bic>', 'BIC')
    .option('--email <email>', 'sender email of reminders (required)')
    .option('--phone <phone>', 'phone number')
    .option('--currency <code>', 'default currency', 'EUR')
    .option('--lang <fr|en>', 'default language of documents', 'fr')
    .option('--terms <days>', 'default payment terms in days', '30')
    .option('--terms-kind <kind>', `how terms run: ${TERMS_KINDS.join(' | ')}`, 'net')
    .option('--penalty-rate <percent>', 'contractual late-penalty rate (default: ECB rate + 10 points)')
    .option('--vat-exempt', 'VAT-exempt micro-entrepreneur (art. 293 B du CGI)')
    .option('--no-vat-exempt', 'you charge VAT (the default; answers the question asked on a terminal)')
    .option('--invoice-pattern <pattern>', 'invoice numbers, e.g. F-{YYYY}-{seq:4}')
    .option('--quote-pattern <pattern>', 'quote numbers, e.g. D-{YYYY}-{seq:4}')
    .option('--payment-link <pattern>', 'payment link, e.g. https://pay.example.com/{number}')
    .option('--register <name>', 'also register the ledger under this name (for --ledger NAME)')
    .action(
      app.act(async (ctx, target: string | undefined, o: InitOptions, cmd: Command) => {
        const io = ctx.io;
        const file = target ? path.resolve(io.cwd, target) : resolveLedgerPath(io, ctx.global).file;
        if (fs.existsSync(file)) throw new UsageError(`${file} already exists; choose another path, or see it with "relance ledger show -f ${file}"`);
        if (o.register) checkLedgerName(o.register);
        const values = new Map<SettingKey, unknown>();
        const set = (key: SettingKey, raw: unknown) => values.set(key, parseSetting(key, raw));
        // At a prompt, the IBAN, BIC and VAT number are checked in full as they are typed (the libraries load then).
        const check = (key: SettingKey) => async (s: string): Promise<true | string> => {
          const quick = checkWith((v) => parseSetting(key, v))(s);
          if (quick !== true) return quick;
          return checkedSetting(key, parseSetting(key, s) as never).then(() => true as const, (err: Error) => err.message);
        };

        set('business.name', await valueOrAsk(io, o.name, { flag: '--name', message: 'Business name', required: true, validate: check('business.name') }));
        set('business.email', await valueOrAsk(io, o.email, { flag: '--email', message: 'Sender email for reminders', required: true, validate: check('business.email') }));
        const asked: [keyof InitOptions, SettingKey, string, ((s: string) => string)?][] = [
          ['legalForm', 'business.legal_form', 'Legal form and capital (optional)'],
          ['siren', 'business.siren', 'SIREN (optional)'],
          ['vatNumber', 'business.vat_number', 'VAT number (optional)'],
          ['address', 'business.address', 'Postal address, lines separated by ";" (optional)', addressLines],
          ['iban', 'business.iban', 'IBAN (optional)'],
          ['bic', 'business.bic', 'BIC of that account (optional)'],
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
        const terms = given('terms') ? o.terms : await valueOrAsk(io, undefined, { flag: '--terms', message: 'Payment terms in days (at most 60, or 45 end of month, L441-10)', default: o.terms, validate: check('terms.days') });
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
          io.out(`Created ledger ${file}${o.register ? ` (registered as "${o.register}")` : ''}\n`);
          io.out(`Next: relance client add CODE --name "..." --email ... -f ${file}\n`);
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
  return confirm({ message: 'VAT franchise (art. 293 B du CGI: no VAT on your invoices, e.g. a micro-entrepreneur)?', default: false });
}

/** How the payment terms run from the invoice date. */
async function askTermsKind(current: string): Promise<string> {
  const { select } = await import('@inquirer/prompts');
  const label: Record<string, string> = {
    net: 'net: N days after the invoice date',
    eom: 'eom: N days, then the end of that month (N jours fin de mois)',
    '45eom-add-then-eom': '45 jours fin de mois, read as: add the days, then the end of that month',
    '45eom-eom-then-add': '45 jours fin de mois, read as: the end of the month, then add the days',
  };
  return select({ message: 'How the terms run', default: current, choices: TERMS_KINDS.map((k) => ({ value: k, name: label[k] ?? k })) });
}
