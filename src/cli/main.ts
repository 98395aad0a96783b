/**
 * The relance program: global flags, the registry of commands, and the one top-level handler that
 * maps errors to exit codes (product.md): user errors print one line on stderr, no stack trace;
 * unexpected errors print a short message and exit 1 (stack with RELANCE_DEBUG=1).
 */
import fs from 'node:fs';
import { Command, CommanderError, Help, Option, type Argument } from 'commander';
import { ExitCode, RelanceError } from '../core/errors.js';
import { storageError } from '../core/storage-errors.js';
import type { App, CommandModule } from './app.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { processIO, type IO } from './io.js';
import { language, languageFromEnv, parseLanguage, setLanguage, t, tn, type Lang, type MessageKey } from '../i18n/index.js';
import { peekLedger, releaseSpare } from '../store/db.js';
import { readUiLanguage } from '../store/settings.js';
import { resolveLedgerPath } from './context.js';

declare const __RELANCE_VERSION__: string;
export const VERSION = typeof __RELANCE_VERSION__ === 'string' ? __RELANCE_VERSION__ : '0.0.0-dev';

/**
 * One line per command module, in the order `relance --help` lists them: the top-level command
 * names it registers, and how to load its register function. Only the module of the command being
 * run is loaded and registered (all of them for help and unknown commands): each is its own chunk
 * of the bundle, so start-up does not grow with the number of commands.
 */
type Entry = [names: string[], load: () => Promise<CommandModule>, needsAll?: (args: string[]) => boolean];
const COMMANDS: Entry[] = [
  [['init'], async () => (await import('./commands/init.js')).registerInit],
  [['ledger'], async () => (await import('./commands/ledger.js')).registerLedger],
  [['client'], async () => (await import('./commands/client.js')).registerClient],
  [['quote'], async () => (await import('./commands/quote.js')).registerQuote],
  [['deposit'], async () => (await import('./commands/deposit.js')).registerDeposit],
  [['invoice'], async () => (await import('./commands/invoice.js')).registerInvoice],
  [['pay'], async () => (await import('./commands/pay.js')).registerPay],
  [['bank'], async () => (await import('./commands/bank.js')).registerBank],
  [['plan'], async () => (await import('./commands/plan.js')).registerPlan],
  [['overdue'], async () => (await import('./commands/overdue.js')).registerOverdue],
  [['statement'], async () => (await import('./commands/statement.js')).registerStatement],
  [['balance'], async () => (await import('./commands/balance.js')).registerBalance],
  [['penalties'], async () => (await import('./commands/penalties.js')).registerPenalties],
  [['rates'], async () => (await import('./commands/rates.js')).registerRates],
  [['call-log'], async () => (await import('./commands/call-log.js')).registerCallLog],
  [['todo'], async () => (await import('./commands/todo.js')).registerTodo],
  [['digest'], async () => (await import('./commands/digest.js')).registerDigest],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctor],
  [['backup', 'restore'], async () => (await import('./commands/backup.js')).registerBackup],
  [['remind'], async () => (await import('./commands/remind.js')).registerRemind],
  [['recurring'], async () => (await import('./commands/recurring.js')).registerRecurring],
  [['policy'], async () => (await import('./commands/policy.js')).registerPolicy],
  [['import'], async () => (await import('./commands/import.js')).registerImport],
  [['export'], async () => (await import('./commands/export.js')).registerExport],
  // `completion bash` describes every command; `completion --values` (at each TAB) needs none of them.
  [['completion'], async () => (await import('./commands/completion.js')).registerCompletion, (args) => !args.includes('--values')],
];

/** The first word of the command line that is not an option or an option's value. */
export function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1];
    if (a === '-f' || a === '--file' || a === '--ledger' || a === '--lang') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

/** `relance help invoice new` is `relance invoice new --help` (commander's help command takes one word). */
export function helpWords(args: string[]): string[] {
  const i = args.indexOf('help');
  return i === -1 || commandWord(args) !== 'help' || i + 2 >= args.length ? args : [...args.slice(0, i), ...args.slice(i + 1), '--help'];
}

/** The command modules to register for these arguments (every one when args is undefined). */
async function modulesFor(args: string[] | undefined): Promise<CommandModule[]> {
  const word = args && commandWord(args);
  // `relance --version` needs no command: commander answers it from the root program.
  if (args && word === undefined && (args.includes('-V') || args.includes('--version')) && !args.some((a) => a === '-h' || a === '--help')) return [];
  const hit = word === undefined ? undefined : COMMANDS.find(([names]) => names.includes(word));
  return Promise.all((hit && !hit[2]?.(args!) ? [hit] : COMMANDS).map(([, load]) => load()));
}

/** Commander's own headings, in the interface's language. */
const TITLES: Record<string, MessageKey> = {
  'Usage:': 'common.help.usage',
  'Options:': 'common.help.options',
  'Commands:': 'common.help.commands',
  'Arguments:': 'common.help.arguments',
  'Global Options:': 'common.help.globalOptions',
};

/** "(choices: ..., default: ...)" after an option's or argument's description, in the interface's language. */
function describe(description: string, extra: string[]): string {
  if (!extra.length) return description;
  const more = `(${extra.join(', ')})`;
  return description ? `${description} ${more}` : more;
}

const choicesOf = (choices: readonly string[] | undefined) => (choices ? [t('common.help.choices', { choices: choices.map((c) => JSON.stringify(c)).join(', ') })] : []);
const defaultOf = (o: { defaultValue?: unknown; defaultValueDescription?: string }) => t('common.help.default', { value: o.defaultValueDescription || JSON.stringify(o.defaultValue) });

/**
 * commander's help (lib/help.js) with its words in the interface's language: the headings, the
 * "(choices: ...)", "(default: ...)" of options and arguments, "[command]" in the usage line.
 * The layout, the terms and the order are commander's.
 */
const HELP: Partial<Help> = {
  visibleOptions(cmd: Command) {
    const options = Help.prototype.visibleOptions.call(this as Help, cmd);
    if (cmd.parent) return options;
    // The root's --lang is read by languageOf() and taken out of the arguments before commander
    // parses them: declared, commander would also take a command's own --lang (client add --lang en).
    const at = options.findIndex((o) => o.long === '--wide');
    options.splice(at < 0 ? options.length : at, 0, new Option('--lang <language>', t('common.option.lang')));
    return options;
  },
  styleTitle(title: string) {
    const key = TITLES[title];
    return key ? t(key) : title;
  },
  commandUsage(cmd: Command) {
    const usage = Help.prototype.commandUsage.call(this as Help, cmd);
    return language() === 'en' ? usage : usage.replace(/\[options\]/g, t('common.help.usageOptions')).replace(/\[command\]/g, t('common.help.usageCommand'));
  },
  optionDescription(option: Option) {
    const extra = choicesOf(option.argChoices);
    if (option.defaultValue !== undefined && (option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean'))) extra.push(defaultOf(option));
    if (option.presetArg !== undefined && option.optional) extra.push(t('common.help.preset', { value: JSON.stringify(option.presetArg) }));
    if (option.envVar !== undefined) extra.push(t('common.help.env', { name: option.envVar }));
    return describe(option.description, extra);
  },
  argumentDescription(argument: Argument) {
    const extra = choicesOf(argument.argChoices);
    if (argument.defaultValue !== undefined) extra.push(defaultOf(argument));
    return describe(argument.description, extra);
  },
};

function rootProgram(io: IO): Command {
  const program = new Command('relance')
    .description(t('common.program.description'))
    .version(VERSION, '-V, --version', t('common.option.version'))
    .option('-f, --file <path>', t('common.option.file'))
    .option('--ledger <name>', t('common.option.ledger'))
    .option('--json', t('common.option.json'))
    .option('--no-input', t('common.option.noInput'))
    .option('--no-color', t('common.option.noColor'))
    .option('-q, --quiet', t('common.option.quiet'))
    .option('--wide', t('common.option.wide'))
    .helpOption('-h, --help', t('common.option.help'))
    .helpCommand('help [command]', t('common.help.command'))
    .configureHelp(HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: () => {
        /* printed by the top-level handler, as one line */
      },
    });
  program.addHelpText(
    'after',
    `
${t('common.help.examples')}
  $ relance init --name "Atelier Dupont" --email compta@dupont.fr -f dupont.db
  $ relance client add ACME --name "ACME SAS" --email ap@acme.fr -f dupont.db
  $ relance client list --json

${t('common.help.exitCodes')}
${t('common.help.ledger')}`,
  );
  return program;
}

export async function buildProgram(io: IO, app: App, args?: string[]): Promise<Command> {
  const program = rootProgram(io);
  for (const register of await modulesFor(args)) register(program, app);
  // Every subcommand reports usage errors through the same handler.
  const configure = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.configureHelp(HELP);
      sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {} });
      sub.showSuggestionAfterError(true);
      configure(sub);
    }
  };
  configure(program);
  return program;
}

function commandPath(argv: string[], program: Command): string {
  const words: string[] = [];
  let cmd: Command | undefined = program;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-f' || a === '--file' || a === '--ledger' || a === '--lang') i++;
    if (a.startsWith('-')) continue;
    const sub: Command | undefined = cmd?.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    words.push(a);
    cmd = sub;
  }
  return ['relance', ...words].join(' ');
}

/** Run relance with these arguments (without node and script); returns the exit code. */
export async function main(args: string[], io: IO = processIO({ noColor: args.includes('--no-color'), noInput: args.includes('--no-input'), wide: args.includes('--wide') })): Promise<number> {
  let ctx: Context | undefined;
  let code: number = ExitCode.ok;
  const app: App = {
    ctx() {
      if (!ctx) throw new Error('context used before the command was parsed');
      return ctx;
    },
    act(fn) {
      return async (...args) => {
        const r = await fn(app.ctx(), ...args);
        if (typeof r === 'number') code = r;
      };
    },
  };
  args = helpWords(args);
  setLanguage(
    languageOf(args, io.env, () => {
      const file = ledgerFileFor(args, io.env, io.cwd);
      return file === undefined ? undefined : ledgerLanguage(file);
    }),
  );
  const program = await buildProgram(io, app, args);
  program.hook('preAction', (_root, actionCmd) => {
    ctx = createContext(io, actionCmd.optsWithGlobals() as GlobalOptions);
  });
  try {
    await program.parseAsync(withoutLang(args), { from: 'user' });
    return code;
  } catch (err) {
    return report(storageError(err, ledgerFileOf(ctx)) ?? err, io, commandPath(args, program));
  } finally {
    ctx?.close();
    releaseSpare();
  }
}

/**
 * The interface's language: --lang before the command word (after it, --lang is a command's own
 * option, e.g. a client's language), else the ledger's ui.language (when `ofLedger` is given), else the environment (LC_ALL, LC_MESSAGES, LANG).
 */
export function languageOf(args: string[], env: Record<string, string | undefined>, ofLedger?: () => Lang | undefined): Lang {
  const word = commandWord(args);
  const end = word === undefined ? args.length : args.indexOf(word);
  for (let i = 0; i < end; i++) {
    const a = args[i]!;
    const v = a === '--lang' ? args[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v !== undefined) return parseLanguage(v) ?? 'en';
  }
  if (ofLedger) {
    const lang = ofLedger();
    if (lang) return lang;
  }
  return languageFromEnv(env);
}

/** The arguments without the interface's --lang (before the command word), which languageOf() read. */
export function withoutLang(args: string[]): string[] {
  const word = commandWord(args);
  const end = word === undefined ? args.length : args.indexOf(word);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (i < end && a === '--lang') i++;
    else if (!(i < end && a.startsWith('--lang='))) out.push(a);
  }
  return out;
}

/**
 * The ledger this run would use (-f, --ledger, RELANCE_FILE, ./relance.db, as context.ts chooses),
 * if that file exists; undefined otherwise (a bad registry or name is reported later, by the command).
 */
export function ledgerFileFor(args: string[], env: Record<string, string | undefined>, cwd = process.cwd()): string | undefined {
  const g: { file?: string; ledger?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '-f' || a === '--file') g.file = args[++i];
    else if (a.startsWith('--file=')) g.file = a.slice(7);
    else if (a === '--ledger') g.ledger = args[++i];
    else if (a.startsWith('--ledger=')) g.ledger = a.slice(9);
  }
  try {
    const { file } = resolveLedgerPath({ env, cwd } as IO, g);
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ledger's ui.language: a look that never waits for a lock, on the connection the command's
 * ctx.db() then takes over (store/db.ts peekLedger; closed at the end of the run if unused).
 */
function ledgerLanguage(file: string): Lang | undefined {
  return peekLedger(file, readUiLanguage);
}

/** The ledger file of the run, for messages about a damaged ledger or a full disk. */
function ledgerFileOf(ctx: Context | undefined): string {
  try {
    return ctx ? ctx.ledgerPath().file : t('common.theLedger');
  } catch {
    return t('common.theLedger');
  }
}

/** Exit status of a run interrupted by Ctrl-C (128 + SIGINT), as a shell reports it. */
export const INTERRUPTED = 130;

function report(err: unknown, io: IO, where: string): number {
  // Ctrl-C at a prompt (@inquirer's ExitPromptError): nothing was written, nothing to explain.
  if ((err as Error | null)?.name === 'ExitPromptError') {
    return INTERRUPTED;
  }
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return ExitCode.ok;
    if (err.code === 'commander.help') return ExitCode.usage;
    const [msg, ...more] = err.message.replace(/^error:\s*/, '').split('\n');
    const hint = more.join(' ').trim().replace(/^\((.*)\)$/, '$1');
    io.err(`relance: ${t('common.error.usage', { message: commanderMessage(err.code, msg!), hint: hint ? ` (${commanderHint(hint)})` : '', where })}\n`);
    return ExitCode.usage;
  }
  if (err instanceof RelanceError) {
    io.err(`relance: ${err.message}\n`);
    if (io.env.RELANCE_DEBUG === '1' && err.stack) io.err(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  io.err(`relance: ${t('common.unexpected', { message: e?.message ?? String(err) })}${io.env.RELANCE_DEBUG === '1' ? '' : t('common.debugHint')}\n`);
  if (io.env.RELANCE_DEBUG === '1' && e?.stack) io.err(e.stack + '\n');
  return ExitCode.failed;
}

/**
 * commander's error (its first line, without "error: ") in the interface's language, by its code;
 * the values it names (options, commands, arguments) stay as typed. A message this does not know is
 * left as commander wrote it.
 */
export function commanderMessage(code: string, msg: string): string {
  let m: RegExpExecArray | null;
  switch (code) {
    case 'commander.unknownOption':
      if ((m = /^unknown option '(.*)'$/.exec(msg))) return t('common.error.unknownOption', { option: m[1] });
      break;
    case 'commander.unknownCommand':
      if ((m = /^unknown command '(.*)'$/.exec(msg))) return t('common.error.unknownCommand', { command: m[1] });
      break;
    case 'commander.missingArgument':
      if ((m = /^missing required argument '(.*)'$/.exec(msg))) return t('common.error.missingArgument', { name: m[1] });
      break;
    case 'commander.optionMissingArgument':
      if ((m = /^option '(.*)' argument missing$/.exec(msg))) return t('common.error.optionMissingArgument', { option: m[1] });
      break;
    case 'commander.missingMandatoryOptionValue':
      if ((m = /^required option '(.*)' not specified$/.exec(msg))) return t('common.error.missingMandatoryOption', { option: m[1] });
      break;
    case 'commander.excessArguments':
      if ((m = /^too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/.exec(msg)))
        return tn('common.error.tooManyArguments', Number(m[2]), { for: m[1] ? t('common.error.forCommand', { command: m[1] }) : '', got: m[3] });
      break;
    case 'commander.conflictingOption':
      if ((m = /^option '(.*)' cannot be used with option '(.*)'$/.exec(msg))) return t('common.error.conflictingOption', { option: m[1], other: m[2] });
      break;
    case 'commander.invalidArgument': {
      const reason = (r: string) => ((m = /^Allowed choices are (.*)\.$/.exec(r)) ? t('common.error.allowedChoices', { choices: m[1] }) : r);
      if ((m = /^option '(.*?)' argument '(.*?)' is invalid\. ?(.*)$/s.exec(msg))) return t('common.error.invalidOptionArgument', { option: m[1], value: m[2], reason: reason(m[3]!) }).trimEnd();
      if ((m = /^command-argument value '(.*?)' is invalid for argument '(.*?)'\. ?(.*)$/s.exec(msg))) return t('common.error.invalidArgument', { value: m[1], name: m[2], reason: reason(m[3]!) }).trimEnd();
      break;
    }
  }
  return msg;
}

/** commander's "Did you mean ...?" after an unknown option or command. */
function commanderHint(hint: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^Did you mean one of (.*)\?$/.exec(hint))) return t('common.error.didYouMeanOneOf', { words: m[1] });
  if ((m = /^Did you mean (.*)\?$/.exec(hint))) return t('common.error.didYouMean', { word: m[1] });
  return hint;
}

/** Entry point used by bin/relance (a reader of stdout that went away is handled in io.ts). */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
