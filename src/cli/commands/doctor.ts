/**
 * relance doctor [--smtp]: for every registered ledger (or the one chosen with -f / --ledger), open
 * it read-only and check what would make a nightly run fail or a letter wrong: SQLite's integrity,
 * the schema version and shape, the rate tables for today, every template, reminders stuck by an
 * interrupted run, and with --smtp that the SMTP server answers. Prints what to fix; exit 1 when
 * anything is wrong (warnings alone do not fail). The checks themselves are cli/doctor-checks.ts.
 */
import type { Command } from 'commander';
import { ExitCode } from '../../core/errors.js';
import { examples, type App } from '../app.js';
import type { Context } from '../context.js';
import { checkLedger, type CheckStatus, type LedgerHealth } from '../doctor-checks.js';
import { readRegistry } from '../registry.js';
import { printJson } from '../../render/output.js';
import { t, type MessageKey } from '../../i18n/index.js';

export { checkLedger, templatesDirOf, type Check, type CheckStatus, type LedgerHealth } from '../doctor-checks.js';

/** The ledgers doctor looks at: the chosen one with -f/--ledger, else every registered one, else the default. */
function ledgersToCheck(ctx: Context): { name: string | null; file: string }[] {
  if (ctx.global.file || ctx.global.ledger) {
    const where = ctx.ledgerPath();
    return [{ name: where.name ?? null, file: where.file }];
  }
  const reg = readRegistry(ctx.io.env);
  const names = Object.keys(reg.ledgers).sort((a, b) => a.localeCompare(b));
  if (names.length) return names.map((n) => ({ name: n, file: reg.ledgers[n]! }));
  return [{ name: null, file: ctx.ledgerPath().file }];
}

export function registerDoctor(program: Command, app: App): void {
  const cmd = program
    .command('doctor')
    .description(t('books.doctor.description')).summary(t('books.doctor.summary'))
    .option('--smtp', t('books.doctor.opt.smtp'))
    .option('--send-test <email>', t('books.doctor.opt.sendTest'))
    .option('--as-of <date>', t('books.doctor.opt.asOf'))
    .action(
      app.act(async (ctx, o: { smtp?: boolean; sendTest?: string; asOf?: string }) => {
        const asOf = ctx.asOf(o.asOf);
        const sendTest = o.sendTest === undefined ? undefined : (await import('../test-email.js')).selfAddress(o.sendTest, '--send-test');
        const reports: LedgerHealth[] = [];
        for (const l of ledgersToCheck(ctx)) reports.push(await checkLedger(l.file, l.name, { asOf, smtp: Boolean(o.smtp), env: ctx.io.env, sendTest, now: ctx.io.now() }));
        const ok = reports.every((r) => r.ok);
        if (ctx.json) {
          printJson(ctx.io, { ok, asOf, ledgers: reports });
        } else {
          const io = ctx.io;
          const marks = { ok: t('books.doctor.mark.ok'), warning: t('books.doctor.mark.warning'), error: t('books.doctor.mark.error') };
          const markWidth = Math.max(...Object.values(marks).map((m) => m.length));
          // The check's name on the terminal (JSON keeps the English word), its column as wide as the widest.
          const label = (c: string) => t(`books.doctor.check.${c.replace(' ', '-')}` as MessageKey);
          const width = Math.max(11, ...reports.flatMap((r) => r.checks.map((c) => label(c.check).length)));
          const mark = (s: CheckStatus) => {
            const text = marks[s].padEnd(markWidth);
            if (!io.color) return text;
            return s === 'ok' ? io.style.green(text) : s === 'warning' ? io.style.yellow(text) : io.style.red(text);
          };
          for (const r of reports) {
            io.out(`${r.ledger ? `${r.ledger} ` : ''}(${r.file})\n`);
            for (const c of r.checks) {
              if (ctx.quiet && c.status === 'ok') continue;
              io.out(`  ${mark(c.status)}  ${label(c.check).padEnd(width)} ${c.local?.detail ?? c.detail}\n`);
              if (c.fix && c.status !== 'ok') io.out(`  ${''.padEnd(markWidth)}  ${''.padEnd(width)} ${t('books.doctor.fix', { fix: c.local?.fix ?? c.fix })}\n`);
            }
          }
          const bad = reports.filter((r) => !r.ok).length;
          io.out(`${bad ? t('books.doctor.bad', { bad, n: reports.length }) : t('books.doctor.healthy', { n: reports.length })}\n`);
        }
        return ok ? ExitCode.ok : ExitCode.failed;
      }),
    );
  examples(cmd, ['relance doctor', 'relance doctor --smtp', 'relance doctor --smtp --send-test moi@exemple.fr', 'relance doctor -f dupont.db --json', 'relance doctor --ledger dupont --as-of 2026-03-01']);
}
