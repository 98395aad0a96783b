/**
 * relance completion bash|zsh|fish: print the shell's completion script, made from every command
 * relance has (main.ts registers them all for this command). The hidden `completion --values KIND`
 * is what the script runs at TAB for the values of the ledger: it prints one per line, opens the
 * ledger read-only, never prompts, never prints an error, and always exits 0.
 */
import { Argument, Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { examples, type App } from '../app.js';
import { completionScript, SHELLS, VALUE_KINDS, type Shell, type ValueKind } from '../completion.js';
import { resolveLedgerPath, type Context } from '../context.js';
import { readRegistry } from '../registry.js';
import { openLedger } from '../../store/db.js';
import { t } from '../../i18n/index.js';

/** How long a TAB waits for a ledger another run is writing: an empty answer beats a stuck prompt. */
const BUSY_MS = 200;

async function values(ctx: Context, kind: ValueKind): Promise<string[]> {
  if (kind === 'ledgers') {
    return Object.keys(readRegistry(ctx.io.env).ledgers).sort();
  }
  if (kind === 'settings') {
    const { SETTINGS } = await import('../../store/settings.js');
    return [...Object.keys(SETTINGS), 'business.logo'];
  }
  const db = openLedger(resolveLedgerPath(ctx.io, ctx.global).file, { readonly: true, busyTimeoutMs: BUSY_MS });
  try {
    if (kind === 'levels') {
      const { getPolicy } = await import('../../store/reminders.js');
      return getPolicy(db).levels.map((l) => String(l.level));
    }
    const { completionValues } = await import('../../store/completion.js');
    return completionValues(db, kind);
  } finally {
    db.close();
  }
}

export function registerCompletion(program: Command, app: App): void {
  const cmd = program
    .command('completion')
    .summary(t('books.completion.summary'))
    .description(t('books.completion.description'))
    .addArgument(new Argument('[shell]', t('books.completion.arg.shell')).choices(SHELLS))
    .addOption(new Option('--values <kind>', t('books.completion.opt.values')).choices(VALUE_KINDS).hideHelp())
    .action(
      app.act(async (ctx, shell: Shell | undefined, o: { values?: ValueKind }, self: Command) => {
        if (o.values) {
          try {
            const list = await values(ctx, o.values);
            if (list.length) ctx.io.out(`${list.join('\n')}\n`);
          } catch {
            // No ledger, a locked or newer one, a broken registry: nothing to offer, and nothing said.
          }
          return;
        }
        if (!shell) throw new UsageError(t('books.completion.whichShell'));
        ctx.io.out(completionScript(self.parent!, shell));
      }),
    );
  examples(cmd, [
    'relance completion bash > ~/.local/share/bash-completion/completions/relance',
    'relance completion zsh > "${fpath[1]}/_relance"',
    'relance completion fish > ~/.config/fish/completions/relance.fish',
  ]);
  cmd.addHelpText('after', `${t('books.completion.orLoad')}\n`);
}
