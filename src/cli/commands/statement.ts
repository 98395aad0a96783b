/**
 * relance statement CLIENT [--as-of D] [--pdf [--out PATH]]: a client's statement of account
 * (releve de compte): every invoice, credit note, payment and reversal up to the date with a running
 * balance per currency, then the open items with their days late, and the unallocated credit.
 */
import path from 'node:path';
import { safeName } from '../../core/links.js';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { requireClient } from '../../store/clients.js';
import { printJson, printTable } from '../../render/output.js';
import { buildStatement, describe, statementJson, writeStatementPdf } from '../../reports/statement.js';
import { examples, type App } from '../app.js';
import { moneyFormatter } from '../../render/format.js';
import { language, t } from '../../i18n/index.js';

export function registerStatement(program: Command, app: App): void {
  const cmd = program
    .command('statement')
    .argument('<client>', t('dunning.arg.client'))
    .description(t('dunning.statement.description'))
    .summary(t('dunning.statement.summary'))
    .option('--as-of <date>', t('dunning.opt.asOf'))
    .option('--pdf', t('dunning.statement.opt.pdf'))
    .option('--out <path>', t('dunning.statement.opt.out'))
    .action(
      app.act(async (ctx, code: string, o: { asOf?: string; pdf?: boolean; out?: string }) => {
        const db = ctx.db();
        const client = requireClient(db, code);
        const asOf = ctx.asOf(o.asOf);
        if (o.out && !o.pdf) throw new UsageError(t('dunning.statement.err.out'));
        const s = buildStatement(db, client, asOf);
        let file: string | undefined;
        if (o.pdf) {
          file = path.resolve(ctx.io.cwd, o.out ?? `${safeName(`statement-${client.code}-${asOf}`)}.pdf`);
          await writeStatementPdf(db, s, file);
        }
        if (ctx.json) return printJson(ctx.io, { ...statementJson(s), pdf: file ?? null });
        const m = moneyFormatter();
        ctx.io.out(t('dunning.statement.head', { name: client.name, code: client.code, asOf }) + '\n');
        if (s.currencies.length === 0) ctx.io.out(t('dunning.statement.empty') + '\n');
        for (const c of s.currencies) {
          printTable(
            ctx.io,
            [t('dunning.col.date'), t('dunning.col.reference'), t('dunning.col.description'), t('dunning.col.debit'), t('dunning.col.credit'), t('dunning.col.balance')],
            c.entries.map((e) => [e.date, e.reference, describe(e, language()), e.debit ? m(e.debit, c.currency) : '', e.credit ? m(e.credit, c.currency) : '', m(e.balance, c.currency)]),
            { right: [3, 4, 5] },
          );
          if (c.open.length) {
            ctx.io.out(t('dunning.statement.open') + '\n');
            printTable(
              ctx.io,
              [t('dunning.col.invoice'), t('dunning.col.issued'), t('dunning.col.due'), t('dunning.col.amount'), t('dunning.col.paid'), t('dunning.col.credited'), t('dunning.col.balance'), t('dunning.col.daysLate')],
              c.open.map((i) => [i.number, i.issueDate, i.dueDate, m(i.amountDue, c.currency), i.paid ? m(i.paid, c.currency) : '', i.credited ? m(i.credited, c.currency) : '', m(i.balance, c.currency), i.daysLate || '']),
              { right: [3, 4, 5, 6, 7], footer: [t('dunning.statement.totalDue'), '', '', '', '', '', m(c.due, c.currency), ''] },
            );
          }
          if (c.credit) ctx.io.out(t('dunning.statement.credit', { amount: m(c.credit, c.currency) }) + '\n');
          ctx.io.out(t('dunning.statement.net', { currency: c.currency, amount: m(c.net, c.currency) }) + '\n');
        }
        if (file && !ctx.quiet) ctx.io.err(t('dunning.wrote', { file }) + '\n');
      }),
    );
  examples(cmd, ['relance statement ACME', 'relance statement ACME --as-of 2026-03-31 --json', 'relance statement ACME --pdf --out acme-releve.pdf']);
}
