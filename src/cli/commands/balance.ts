/**
 * relance balance [--as-of D] [--client C] [--json]: who owes what, as of a date. Per client and
 * currency, the balance of its account incl. VAT (invoices less credit notes less payments, so
 * money received and not yet allocated counts), and a total per currency: a quick view, from three
 * grouped sums (store/balances.ts), that does not age or price anything (see `relance overdue`).
 */
import type { Command } from 'commander';
import { requireClient } from '../../store/clients.js';
import { money as m } from '../../render/format.js';
import { printJson, printTable } from '../../render/output.js';
import { balanceJson, balanceReport } from '../../reports/balance.js';
import { examples, validate, type App } from '../app.js';
import * as z from 'zod/mini';

const CLIENT = z.string().check(z.trim(), z.minLength(1, 'a client code'));

export function registerBalance(program: Command, app: App): void {
  const cmd = program
    .command('balance')
    .summary('who owes what, per client and currency')
    .description('who owes what, as of a date: each client\'s balance incl. VAT per currency, and the total')
    .option('--as-of <date>', 'as of this date: later invoices, credit notes and payments are ignored (default: today)')
    .option('--client <code>', 'only this client (shown even when it owes nothing)')
    .action(
      app.act((ctx, o: { asOf?: string; client?: string }) => {
        const asOf = ctx.asOf(o.asOf);
        const code = o.client === undefined ? undefined : validate(CLIENT, o.client, '--client');
        const db = ctx.db();
        const clientId = code === undefined ? undefined : requireClient(db, code).id;
        const report = balanceReport(db, asOf, clientId);
        const { clients: list, totals } = report;
        if (ctx.json) return printJson(ctx.io, balanceJson(report));
        if (list.length === 0) {
          ctx.io.out(`Nobody owes anything as of ${asOf}.\n`);
          return;
        }
        ctx.io.out(`Balances as of ${asOf} (incl. VAT; negative: the client is in credit):\n`);
        const rows = list.map((b) => [b.clientCode, b.clientName, b.currency, m(b.invoiced, b.currency), m(b.credited, b.currency), m(b.received, b.currency), m(b.balance, b.currency)]);
        const right = [3, 4, 5, 6];
        const head = ['client', 'name', 'currency', 'invoiced', 'credit notes', 'received', 'balance'];
        const totalRow = (t: (typeof totals)[number]) => [`total (${t.clients})`, '', t.currency, m(t.invoiced, t.currency), m(t.credited, t.currency), m(t.received, t.currency), m(t.balance, t.currency)];
        if (totals.length === 1) printTable(ctx.io, head, rows, { right, footer: totalRow(totals[0]!) });
        else {
          printTable(ctx.io, head, rows, { right });
          ctx.io.out('Totals:\n');
          printTable(ctx.io, head, totals.map(totalRow), { right });
        }
      }),
    );
  cmd.addHelpText('after', '\nDSO (days sales outstanding) per client is in "relance overdue --by client" and "client show", by the\ncount-back method: the days of invoicing incl. VAT, counted back from the as-of date, that the balance makes up.\n');
  examples(cmd, [
    'relance balance',
    'relance balance --as-of 2026-06-30             # what was owed on that day',
    'relance balance --client ACME --json',
  ]);
}
