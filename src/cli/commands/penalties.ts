/**
 * relance penalties INVOICE [--as-of D]: the statutory interest and the 40 EUR indemnity of one
 * invoice, line by line (period, base, rate, days, amount), as computed by core/penalties.ts.
 * `--bill` issues a penalty invoice (no VAT) for what was not billed yet.
 */
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
    rule: p.rule,
    daysLate: p.daysLate,
    startsOn: p.startsOn,
    lines: p.lines.map((l) => ({ from: l.from, to: l.to, days: l.days, base: dec(l.base), rate: l.rateBp === null ? null : formatBp(l.rateBp), basis: l.basis, half: l.half, amount: dec(l.amount) })),
    interest: dec(p.interest),
    indemnity: dec(p.indemnity),
    billed: p.billed ? { interest: dec(p.billed.interest), indemnity: dec(p.billed.indemnity), through: p.billed.through } : null,
    unbilledInterest: dec(p.unbilledInterest),
    unbilledIndemnity: dec(p.unbilledIndemnity),
    warnings: p.warnings,
  };
}

export function registerPenalties(program: Command, app: App): void {
  const cmd = program
    .command('penalties')
    .argument('<invoice>', 'invoice number')
    .description('late-payment interest and the 40 EUR indemnity of an invoice, line by line; --bill invoices them').summary('late-payment interest and the 40 EUR fee')
    .option('--as-of <date>', 'compute up to this date (default: today)')
    .option('--notice-date <date>', 'consumer client: date of the formal notice (default: the first reminder letter sent)')
    .option('--bill', 'issue a penalty invoice (no VAT) for the interest and indemnity not billed yet')
    .action(
      app.act(async (ctx, ref: string, o: PenaltyOptions) => {
        const db = ctx.db();
        const inv = requireReceivable(db, ref);
        if (inv.kind === 'penalty') throw new UsageError(`${ref} is a penalty invoice; penalties bear no interest`);
        const asOf = ctx.asOf(o.asOf);
        const notice = o.noticeDate === undefined ? undefined : parseDate(o.noticeDate, '--notice-date');
        requireIssuedBy(inv, asOf);
        const item = invoiceState(db, inv.id, asOf);
        const p = penaltiesOf(db, [item], asOf, { noticeOverride: notice ?? null }).get(inv.id);
        const m = moneyFormatter();
        const cur = item.currency;
        if (o.bill) {
          if (!p || (!p.late && p.interest === 0)) throw new UsageError(`${item.number} is not late on ${asOf}; there is nothing to bill`);
          requireKnown(p);
          for (const w of p.warnings) warn(ctx.io, w);
          const billed = write(db, () => billPenalties(db, item, p, asOf));
          // Like every issued invoice, the penalty invoice's PDF is frozen as it was issued.
          const issued = documentById(db, billed.documentId);
          if (issued) await (await import('../../documents/pdf.js')).freezeIssued(ctx.db(), ctx.io, issued);
          if (ctx.json) return printJson(ctx.io, { ...billed, interest: dec(billed.interest), indemnity: dec(billed.indemnity), total: dec(billed.total) });
          if (!ctx.quiet)
            ctx.io.out(
              `Issued penalty invoice ${billed.number} for ${item.number}: interest ${m(billed.interest, 'EUR')} through ${asOf}${billed.indemnity ? `, indemnity ${m(billed.indemnity, 'EUR')}` : ''}, total ${m(billed.total, 'EUR')} (no VAT).\n`,
            );
          return;
        }
        if (!p) {
          if (ctx.json) return printJson(ctx.io, { invoice: item.number, asOf, daysLate: 0, lines: [], interest: '0.00', indemnity: '0.00' });
          ctx.io.out(`${item.number} is not late on ${asOf} (due ${item.dueDate}): no penalties.\n`);
          return;
        }
        // Claiming money on a guessed rate is never allowed: an unknown period is an error.
        requireKnown(p);
        for (const w of p.warnings) warn(ctx.io, w);
        if (ctx.json) return printJson(ctx.io, penaltiesJson(item.number, asOf, p));
        ctx.io.out(`${item.number} (${item.clientCode}), ${m(item.amountDue, cur)} due ${item.dueDate}, as of ${asOf}: ${p.daysLate} day(s) late.\n`);
        ctx.io.out(`Rule: ${p.rule}.\n`);
        if (p.lines.length) {
          printTable(
            ctx.io,
            ['from', 'to', 'days', 'unpaid incl. VAT', 'rate', 'interest'],
            p.lines.map((l) => [l.from, l.to, l.days, m(l.base, cur), `${formatBp(l.rateBp!)} %${l.basis === 'ecb+10' ? ` (${l.half})` : ''}`, m(l.amount, cur)]),
            { right: [2, 3, 4, 5], footer: ['', '', '', '', 'interest', m(p.interest, cur)] },
          );
          ctx.io.out('Each line: unpaid x rate x days / 365, rounded to the cent (half away from zero).\n');
        } else {
          ctx.io.out('No interest.\n');
        }
        ctx.io.out(`Interest: ${m(p.interest, cur)}\n`);
        ctx.io.out(`Recovery indemnity: ${m(p.indemnity, 'EUR')}${item.clientKind === 'b2c' ? ' (consumer client: none)' : ''}\n`);
        if (p.billed) ctx.io.out(`Already billed: interest ${m(p.billed.interest, cur)} through ${p.billed.through}, indemnity ${m(p.billed.indemnity, 'EUR')}\n`);
        ctx.io.out(`Total claimable (no VAT): ${m((p.unbilledInterest ?? 0) + p.unbilledIndemnity, cur)}\n`);
      }),
    );
  examples(cmd, [
    'relance penalties F-2026-0001 --as-of 2026-05-31',
    'relance penalties F-2026-0001 --json',
    'relance penalties F-2026-0009 --notice-date 2026-04-02     # consumer: from the formal notice',
    'relance penalties F-2026-0001 --bill --as-of 2026-05-31',
  ]);
}
