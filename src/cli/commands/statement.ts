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

export function registerStatement(program: Command, app: App): void {
  const cmd = program
    .command('statement')
    .argument('<client>', 'client code')
    .description("a client's statement of account: invoices, credit notes, payments, open items and credit")
    .summary("a client's statement of account")
    .option('--as-of <date>', 'as of this date (default: today)')
    .option('--pdf', 'also write it as a PDF')
    .option('--out <path>', 'where the PDF goes (default: statement-CLIENT-DATE.pdf here)')
    .action(
      app.act(async (ctx, code: string, o: { asOf?: string; pdf?: boolean; out?: string }) => {
        const db = ctx.db();
        const client = requireClient(db, code);
        const asOf = ctx.asOf(o.asOf);
        if (o.out && !o.pdf) throw new UsageError('--out goes with --pdf: relance statement CLIENT --pdf --out FILE.pdf');
        const s = buildStatement(db, client, asOf);
        let file: string | undefined;
        if (o.pdf) {
          file = path.resolve(ctx.io.cwd, o.out ?? `${safeName(`statement-${client.code}-${asOf}`)}.pdf`);
          await writeStatementPdf(db, s, file);
        }
        if (ctx.json) return printJson(ctx.io, { ...statementJson(s), pdf: file ?? null });
        const m = moneyFormatter();
        ctx.io.out(`Statement of account of ${client.name} (${client.code}) as of ${asOf}\n`);
        if (s.currencies.length === 0) ctx.io.out('No invoices or payments yet.\n');
        for (const c of s.currencies) {
          printTable(
            ctx.io,
            ['date', 'reference', 'description', 'debit', 'credit', 'balance'],
            c.entries.map((e) => [e.date, e.reference, describe(e, 'en'), e.debit ? m(e.debit, c.currency) : '', e.credit ? m(e.credit, c.currency) : '', m(e.balance, c.currency)]),
            { right: [3, 4, 5] },
          );
          if (c.open.length) {
            ctx.io.out('Open items:\n');
            printTable(
              ctx.io,
              ['invoice', 'issued', 'due', 'amount', 'paid', 'credited', 'balance', 'days late'],
              c.open.map((i) => [i.number, i.issueDate, i.dueDate, m(i.amountDue, c.currency), i.paid ? m(i.paid, c.currency) : '', i.credited ? m(i.credited, c.currency) : '', m(i.balance, c.currency), i.daysLate || '']),
              { right: [3, 4, 5, 6, 7], footer: ['total due', '', '', '', '', '', m(c.due, c.currency), ''] },
            );
          }
          if (c.credit) ctx.io.out(`Unallocated credit: ${m(c.credit, c.currency)}\n`);
          ctx.io.out(`Net balance (${c.currency}): ${m(c.net, c.currency)}\n`);
        }
        if (file && !ctx.quiet) ctx.io.err(`Wrote ${file}\n`);
      }),
    );
  examples(cmd, ['relance statement ACME', 'relance statement ACME --as-of 2026-03-31 --json', 'relance statement ACME --pdf --out acme-releve.pdf']);
}
