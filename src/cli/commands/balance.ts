/**
 * relance balance [--as-of D] [--client C] [--json]: who owes what, as of a date. Per client and
 * currency, the balance of its account incl. VAT (invoices less credit notes less payments, so
 * money received and not yet allocated counts), and a total per currency: a quick view, from three
 * grouped sums (store/balances.ts), that does not age or price anything (see `relance overdue`).
 */
import type { Command } from 'commander';
import { requireClient } from '../../store/clients.js';
import { money as m } from '../../render/format.js';
import { t } from '../../i18n/index.js';
import { printJson, printTable } from '../../render/output.js';
import { balanceJson, balanceReport } from '../../reports/balance.js';
import { examples, validate, type App } from '../app.js';
import * as z from 'zod/mini';

const CLIENT = z.string().check(z.trim(), z.minLength(1, 'a client code'));

export function registerBalance(program: Command, app: App): void {
  const cmd = program
    .command('balance')
    .summary(t('dunning.balance.summary'))
    .description(t('dunning.balance.description'))
    .option('--as-of <date>', t('dunning.balance.opt.asOf'))
    .option('--client <code>', t('dunning.balance.opt.client'))
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
          ctx.io.out(t('dunning.balance.nobody', { asOf }) + '\n');
          return;
        }
        ctx.io.out(t('dunning.balance.head', { asOf }) + '\n');
        const rows = list.map((b) => [b.clientCode, b.clientName, b.currency, m(b.invoiced, b.currency), m(b.credited, b.currency), m(b.received, b.currency), m(b.balance, b.currency)]);
        const right = [3, 4, 5, 6];
        const head = [t('dunning.col.client'), t('dunning.col.name'), t('dunning.col.currency'), t('dunning.col.invoiced'), t('dunning.col.creditNotes'), t('dunning.col.received'), t('dunning.col.balance')];
        const totalRow = (x: (typeof totals)[number]) => [t('dunning.balance.total', { n: x.clients }), '', x.currency, m(x.invoiced, x.currency), m(x.credited, x.currency), m(x.received, x.currency), m(x.balance, x.currency)];
        if (totals.length === 1) printTable(ctx.io, head, rows, { right, footer: totalRow(totals[0]!) });
        else {
          printTable(ctx.io, head, rows, { right });
          ctx.io.out(t('dunning.overdue.totals') + '\n');
          printTable(ctx.io, head, totals.map(totalRow), { right });
        }
      }),
    );
  cmd.addHelpText('after', `\n${t('dunning.balance.help')}\n`);
  examples(cmd, [
    'relance balance',
    `relance balance --as-of 2026-06-30             # ${t('dunning.balance.ex.asOf')}`,
    'relance balance --client ACME --json',
  ]);
}
