/**
 * relance penalties INVOICE [--as-of D]: the statutory interest and the 40 EUR indemnity of one
 * invoice, line by line (period, base, rate, days, amount), as computed by core/penalties.ts.
 * `--bill` issues a penalty invoice (no VAT) for what was not billed yet.
 */
import { localNumber } from '../../reports/labels.js';
import { t } from '../../i18n/index.js';
import { render } from '../../i18n/msg.js';
import type { Command } from 'commander';
import { parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { requireIssuedBy } from '../../core/documents.js';
import { formatBp } from '../../core/numbers.js';
import { requireKnown } from '../../core/penalties.js';
import { write } from '../../store/db.js';
import { documentById } from '../../store/documents.js';
import { requireReceivable, invoiceState } from '../../store/payments.js';
import { penaltiesOf, type ItemPenalties } from '../../store/receivables.js';
import { billPenalties } from '../../store/payments.js';
import { printJson, printTable, warn } from '../../render/output.js';
import { examples, type App } from '../app.js';
import { dec, moneyFormatter } from '../../render/format.js';

interface PenaltyOptions {
  asOf?: string;
  noticeDate?: string;
  bill?: boolean;
}

export function penaltiesJson(number: string, asOf: string, p: ItemPenalties) {
  return {
    invoice: number,
    asOf,
    rule: render(p.rule, 'en'),
    daysLate: p.daysLate,
    startsOn: p.startsOn,
    lines: p.lines.map((l) => ({ from: l.from, to: l.to, days: l.days, base: dec(l.base), rate: l.rateBp === null ? null : formatBp(l.rateBp), basis: l.basis, half: l.half, amount: dec(l.amount) })),
    interest: dec(p.interest),
    indemnity: dec(p.indemnity),
    billed: p.billed ? { interest: dec(p.billed.interest), indemnity: dec(p.billed.indemnity), through: p.billed.through } : null,
    unbilledInterest: dec(p.unbilledInterest),
    unbilledIndemnity: dec(p.unbilledIndemnity),
    warnings: p.warnings.map((w) => render(w, 'en')),
  };
}

export function registerPenalties(program: Command, app: App): void {
  const cmd = program
    .command('penalties')
    .argument('<invoice>', t('dunning.arg.invoice'))
    .description(t('dunning.penalties.description')).summary(t('dunning.penalties.summary'))
    .option('--as-of <date>', t('dunning.penalties.opt.asOf'))
    .option('--notice-date <date>', t('dunning.penalties.opt.notice'))
    .option('--bill', t('dunning.penalties.opt.bill'))
    .action(
      app.act(async (ctx, ref: string, o: PenaltyOptions) => {
        const db = ctx.db();
        const inv = requireReceivable(db, ref);
        if (inv.kind === 'penalty') throw new UsageError(t('dunning.penalties.err.penaltyInvoice', { ref }));
        const asOf = ctx.asOf(o.asOf);
        const notice = o.noticeDate === undefined ? undefined : parseDate(o.noticeDate, '--notice-date');
        requireIssuedBy(inv, asOf);
        const item = invoiceState(db, inv.id, asOf);
        const p = penaltiesOf(db, [item], asOf, { noticeOverride: notice ?? null }).get(inv.id);
        const m = moneyFormatter();
        const cur = item.currency;
        if (o.bill) {
          if (!p || (!p.late && p.interest === 0)) throw new UsageError(t('dunning.penalties.err.notLate', { number: item.number, asOf }));
          requireKnown(p);
          for (const w of p.warnings) warn(ctx.io, render(w));
          const billed = write(db, () => billPenalties(db, item, p, asOf));
          // Like every issued invoice, the penalty invoice's PDF is frozen as it was issued.
          const issued = documentById(db, billed.documentId);
          if (issued) await (await import('../../documents/pdf.js')).freezeIssued(ctx.db(), ctx.io, issued);
          if (ctx.json) return printJson(ctx.io, { ...billed, interest: dec(billed.interest), indemnity: dec(billed.indemnity), total: dec(billed.total) });
          if (!ctx.quiet)
            ctx.io.out(
              t('dunning.penalties.billed', { number: billed.number, invoice: item.number, interest: m(billed.interest, 'EUR'), asOf, indemnity: billed.indemnity ? t('dunning.penalties.billedIndemnity', { amount: m(billed.indemnity, 'EUR') }) : '', total: m(billed.total, 'EUR') }) + '\n',
            );
          return;
        }
        if (!p) {
          if (ctx.json) return printJson(ctx.io, { invoice: item.number, asOf, daysLate: 0, lines: [], interest: '0.00', indemnity: '0.00' });
          ctx.io.out(t('dunning.penalties.notLate', { number: item.number, asOf, due: item.dueDate }) + '\n');
          return;
        }
        // Claiming money on a guessed rate is never allowed: an unknown period is an error.
        requireKnown(p);
        for (const w of p.warnings) warn(ctx.io, render(w));
        if (ctx.json) return printJson(ctx.io, penaltiesJson(item.number, asOf, p));
        ctx.io.out(t('dunning.penalties.head', { number: item.number, client: item.clientCode, amount: m(item.amountDue, cur), due: item.dueDate, asOf, days: p.daysLate }) + '\n');
        ctx.io.out(t('dunning.penalties.rule', { rule: render(p.rule) }) + '\n');
        if (p.lines.length) {
          printTable(
            ctx.io,
            [t('dunning.col.from'), t('dunning.col.until'), t('dunning.col.days'), t('dunning.col.unpaid'), t('dunning.col.rate'), t('dunning.col.interest')],
            p.lines.map((l) => [l.from, l.to, l.days, m(l.base, cur), `${localNumber(formatBp(l.rateBp!))} %${l.basis === 'ecb+10' ? ` (${l.half})` : ''}`, m(l.amount, cur)]),
            { right: [2, 3, 4, 5], footer: ['', '', '', '', t('dunning.col.interest'), m(p.interest, cur)] },
          );
          ctx.io.out(t('dunning.penalties.eachLine') + '\n');
        } else {
          ctx.io.out(t('dunning.penalties.noInterest') + '\n');
        }
        ctx.io.out(t('dunning.penalties.interest', { amount: m(p.interest, cur) }) + '\n');
        ctx.io.out(t('dunning.penalties.indemnity', { amount: m(p.indemnity, 'EUR'), consumer: item.clientKind === 'b2c' ? t('dunning.penalties.consumerNone') : '' }) + '\n');
        if (p.billed) ctx.io.out(t('dunning.penalties.already', { interest: m(p.billed.interest, cur), through: p.billed.through, indemnity: m(p.billed.indemnity, 'EUR') }) + '\n');
        ctx.io.out(t('dunning.penalties.total', { amount: m((p.unbilledInterest ?? 0) + p.unbilledIndemnity, cur) }) + '\n');
      }),
    );
  examples(cmd, [
    'relance penalties F-2026-0001 --as-of 2026-05-31',
    'relance penalties F-2026-0001 --json',
    `relance penalties F-2026-0009 --notice-date 2026-04-02     # ${t('dunning.penalties.ex.notice')}`,
    'relance penalties F-2026-0001 --bill --as-of 2026-05-31',
  ]);
}
