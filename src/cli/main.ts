/**
 * The relance program: global flags, the registry of commands, and the one top-level handler that
 * maps errors to exit codes (product.md): user errors print one line on stderr, no stack trace;
 * unexpected errors print a short message and exit 1 (stack with RELANCE_DEBUG=1).
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, RelanceError } from '../core/errors.js';
import { storageError } from '../core/storage-errors.js';
import type { App, CommandModule } from './app.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { processIO, type IO } from './io.js';
import { languageFromEnv, parseLanguage, setLanguage, type Lang } from '../i18n/index.js';

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

export async function buildProgram(io: IO, app: App, args?: string[]): Promise<Command> {
  const program = new Command('relance')
    .description('Track what your clients owe you and chase late payers, under French law, from local files.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-f, --file <path>', 'ledger file to use (overrides --ledger and RELANCE_FILE)')
    .option('--ledger <name>', 'named ledger from the registry (see "relance ledger list")')
    .option('--json', 'print data as JSON for scripts')
    .option('--no-input', 'never prompt; fail on a missing flag instead')
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'print only data and errors')
    .option('--wide', 'on a terminal, keep tables whole instead of shortening their text columns with "…" to fit')
    .helpOption('-h, --help', 'show help with examples')
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
Examples:
  $ relance init --name "Atelier Dupont" --email compta@dupont.fr -f dupont.db
  $ relance client add ACME --name "ACME SAS" --email ap@acme.fr -f dupont.db
  $ relance client list --json

Exit codes: 0 ok · 1 something failed · 2 bad usage or input (nothing written) · 3 ledger locked · 4 ledger missing, unreadable or newer
Ledger: -f PATH, else --ledger NAME, else $RELANCE_FILE, else ./relance.db
Language: --lang fr|en before the command (relance --lang fr overdue), else LC_ALL, LC_MESSAGES, LANG`,
  );
  for (const register of await modulesFor(args)) register(program, app);
  // Every subcommand reports usage errors through the same handler.
  const configure = (cmd: Command) => {
    for (const sub of cmd.commands) {
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
  setLanguage(languageOf(args, io.env));
  args = withoutLanguage(args);
  const program = await buildProgram(io, app, args);
  program.hook('preAction', (_root, actionCmd) => {
    ctx = createContext(io, actionCmd.optsWithGlobals() as GlobalOptions);
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    return report(storageError(err, ledgerFileOf(ctx)) ?? err, io, commandPath(args, program));
  } finally {
    ctx?.close();
  }
}

/**
 * The interface's language: --lang before the command word (after it, --lang is a command's own
 * option, e.g. a client's language), else the environment (LC_ALL, LC_MESSAGES, LANG).
 */
export function languageOf(args: string[], env: Record<string, string | undefined>): Lang {
  const word = commandWord(args);
  const end = word === undefined ? args.length : args.indexOf(word);
  for (let i = 0; i < end; i++) {
    const a = args[i]!;
    const v = a === '--lang' ? args[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v !== undefined) return parseLanguage(v) ?? 'en';
  }
  return languageFromEnv(env);
}

/**
 * The arguments without the interface's --lang: it is not an option of commander's program, which
 * would take it from every command (a global option is recognised after the command word too) and
 * so steal `client add X --lang en`'s.
 */
export function withoutLanguage(args: string[]): string[] {
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

/** The ledger file of the run, for messages about a damaged ledger or a full disk. */
function ledgerFileOf(ctx: Context | undefined): string {
  try {
    return ctx ? ctx.ledgerPath().file : 'the ledger';
  } catch {
    return 'the ledger';
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
    io.err(`relance: ${msg}${hint ? ` (${hint})` : ''}; see "${where} --help"\n`);
    return ExitCode.usage;
  }
  if (err instanceof RelanceError) {
    io.err(`relance: ${err.message}\n`);
    if (io.env.RELANCE_DEBUG === '1' && err.stack) io.err(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  io.err(`relance: unexpected error: ${e?.message ?? String(err)}${io.env.RELANCE_DEBUG === '1' ? '' : ' (set RELANCE_DEBUG=1 for details)'}\n`);
  if (io.env.RELANCE_DEBUG === '1' && e?.stack) io.err(e.stack + '\n');
  return ExitCode.failed;
}

/** Entry point used by bin/relance (a reader of stdout that went away is handled in io.ts). */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
