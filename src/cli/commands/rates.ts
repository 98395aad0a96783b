/**
 * relance rates: the ECB rate table and the legal interest rates behind penalties.
 * `rates list`, `rates add DATE RATE` (a change), `rates confirm DATE` (the rate held that day),
 * `rates legal HALF PRO CONSUMER`.
 */
import { localNumber } from '../../reports/labels.js';
import { t as tx } from '../../i18n/index.js';
import type { Command } from 'commander';
import { addDays, parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { formatBp, parsePercent } from '../../core/numbers.js';
import { confirmedThrough, defaultPenaltyRate, ECB_WHERE, ecbRateOn, halfOf, halfStart, isHalf, legalRate, nextHalfStart, type RateTables } from '../../core/rates.js';
import { timestamp, write } from '../../store/db.js';
import { addEcbRate, addLegalRate, confirmEcbRate, rateTables } from '../../store/rates.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, type App } from '../app.js';
import { reportFailures, runOnAllLedgers, worstExit } from '../all-ledgers.js';
import type { Context } from '../context.js';

const pct = (bp: number | undefined | null) => (bp === undefined || bp === null ? tx('dunning.rates.unknown') : `${localNumber(formatBp(bp))} %`);

/** Every half-year from the first one the table covers to the one after it stops being confirmed. */
export function halfYears(t: RateTables): string[] {
  const first = t.ecb[0]?.date;
  const through = confirmedThrough(t);
  if (!first || !through) return [];
  const out: string[] = [];
  // From the first half-year whose 1 January / 1 July the table covers.
  const start = halfStart(halfOf(first)) === first ? first : nextHalfStart(first);
  for (let d = start; d <= nextHalfStart(through); d = nextHalfStart(d)) out.push(halfOf(d));
  for (const l of t.legal) if (!out.includes(l.half)) out.push(l.half);
  return out.sort();
}

function parseRate(text: string, what: string): number {
  const bp = parsePercent(text, what);
  if (bp > 5000) throw new UsageError(tx('dunning.rates.err.plausible', { what, rate: formatBp(bp) }));
  return bp;
}

export function registerRates(program: Command, app: App): void {
  const rates = program.command('rates').description(tx('dunning.rates.description')).summary(tx('dunning.rates.summary'));
  examples(rates, ['relance rates list', 'relance rates add 2026-06-10 2.00', 'relance rates confirm 2026-07-01', 'relance rates legal 2026-H2 2.50 6.50']);

  examples(
    rates
      .command('list')
      .description(tx('dunning.rates.list.description'))
      .action(
        app.act((ctx) => {
          const t = rateTables(ctx.db());
          const through = confirmedThrough(t);
          const halves = halfYears(t).map((h) => {
            const ecb = ecbRateOn(t, halfStart(h));
            return { half: h, ecbOnStart: ecb ?? null, penaltyRate: defaultPenaltyRate(t, h) ?? null, legalPro: legalRate(t, h, 'pro') ?? null, legalConsumer: legalRate(t, h, 'consumer') ?? null };
          });
          if (ctx.json) {
            return printJson(ctx.io, {
              confirmedThrough: through ?? null,
              halfYears: halves.map((h) => ({ ...h, ecbOnStart: h.ecbOnStart === null ? null : formatBp(h.ecbOnStart), penaltyRate: h.penaltyRate === null ? null : formatBp(h.penaltyRate), legalPro: h.legalPro === null ? null : formatBp(h.legalPro), legalConsumer: h.legalConsumer === null ? null : formatBp(h.legalConsumer) })),
              ecb: t.ecb.map((e) => ({ date: e.date, rate: formatBp(e.rateBp), kind: e.kind, source: e.source, note: e.note ?? null })),
              legal: t.legal.map((l) => ({ half: l.half, pro: formatBp(l.proBp), consumer: formatBp(l.consumerBp), source: l.source, note: l.note ?? null })),
            });
          }
          ctx.io.out(
            tx('dunning.rates.list.head', { through: through ?? tx('dunning.rates.nothing') }) + '\n',
          );
          printTable(
            ctx.io,
            [tx('dunning.rates.col.half'), tx('dunning.rates.col.ecb'), tx('dunning.rates.col.penalty'), tx('dunning.rates.col.legalPro'), tx('dunning.rates.col.legalConsumer')],
            halves.map((h) => [h.half, pct(h.ecbOnStart), pct(h.penaltyRate), pct(h.legalPro), pct(h.legalConsumer)]),
            { right: [1, 2, 3, 4] },
          );
          printTable(
            ctx.io,
            [tx('dunning.rates.col.entry'), tx('dunning.col.rate'), tx('dunning.rates.col.kind'), tx('dunning.rates.col.source')],
            t.ecb.map((e) => [e.date, pct(e.rateBp), e.kind === 'change' ? tx('dunning.rates.change') : tx('dunning.rates.held'), e.source === 'shipped' ? tx('dunning.rates.shipped') + (e.note ? ` (${e.note})` : '') : tx('dunning.rates.added')]),
            { right: [1] },
          );
        }),
      ),
    ['relance rates list', 'relance rates list --json'],
  );

  examples(
    rates
      .command('add')
      .argument('<date>', tx('dunning.rates.add.argDate'))
      .argument('<rate>', tx('dunning.rates.add.argRate'))
      .option('--all', tx('dunning.rates.add.optAll'))
      .description(tx('dunning.rates.add.description'))
      .action(
        app.act((ctx, dateText: string, rateText: string, o: { all?: boolean }) => {
          const date = parseDate(dateText, 'date');
          const rateBp = parseRate(rateText, 'rate');
          return onLedgers(ctx, o.all, (sub) => {
            const db = sub.db();
            write(db, () => addEcbRate(db, date, rateBp, timestamp(sub.io.now())));
            const t = rateTables(db);
            const half = halfOf(nextHalfStart(addDays(date, -1)));
            return {
              json: { date, rate: formatBp(rateBp), confirmedThrough: confirmedThrough(t) },
              line: tx('dunning.rates.add.line', { rate: formatBp(rateBp), date, through: confirmedThrough(t), half, penalty: pct(defaultPenaltyRate(t, half)) }),
            };
          });
        }),
      ),
    ['relance rates add 2026-06-10 2.00', 'relance rates add 2026-07-01 2.15 --all'],
  );

  examples(
    rates
      .command('confirm')
      .argument('<date>', tx('dunning.rates.confirm.arg'))
      .option('--all', tx('dunning.rates.confirm.optAll'))
      .description(tx('dunning.rates.confirm.description'))
      .action(
        app.act((ctx, dateText: string, o: { all?: boolean }) => {
          const date = parseDate(dateText, 'date');
          return onLedgers(ctx, o.all, (sub) => {
            const db = sub.db();
            const held = write(db, () => confirmEcbRate(db, date, timestamp(sub.io.now())));
            if (held === undefined) throw new UsageError(tx('dunning.rates.confirm.err.none', { date, where: ECB_WHERE }));
            const t = rateTables(db);
            return {
              json: { date, rate: formatBp(held), confirmedThrough: confirmedThrough(t) },
              line: tx('dunning.rates.confirm.line', { rate: formatBp(held), date, through: confirmedThrough(t) }),
            };
          });
        }),
      ),
    ['relance rates confirm 2026-07-01', 'relance rates confirm 2026-07-01 --all'],
  );

  examples(
    rates
      .command('legal')
      .argument('<half>', tx('dunning.rates.legal.argHalf'))
      .argument('<pro>', tx('dunning.rates.legal.argPro'))
      .argument('<consumer>', tx('dunning.rates.legal.argConsumer'))
      .option('--all', tx('dunning.rates.legal.optAll'))
      .description(tx('dunning.rates.legal.description'))
      .action(
        app.act((ctx, half: string, proText: string, consumerText: string, o: { all?: boolean }) => {
          if (!isHalf(half)) throw new UsageError(tx('dunning.rates.legal.err.half', { half }));
          const pro = parseRate(proText, 'professionals rate');
          const consumer = parseRate(consumerText, 'consumers rate');
          return onLedgers(ctx, o.all, (sub) => {
            const db = sub.db();
            write(db, () => addLegalRate(db, half, pro, consumer, timestamp(sub.io.now())));
            return {
              json: { half, pro: formatBp(pro), consumer: formatBp(consumer) },
              line: tx('dunning.rates.legal.line', { half, pro: formatBp(pro), consumer: formatBp(consumer) }),
            };
          });
        }),
      ),
    ['relance rates legal 2026-H2 2.50 6.50', 'relance rates legal 2026-H2 2.50 6.50 --all'],
  );
}

interface Applied {
  json: object;
  line: string;
}

/**
 * Run one rate change on the current ledger, or with --all on every registered ledger (a secretary
 * keeping twenty ledgers adds the new half-year's rate once): one line per ledger, a ledger that
 * fails is reported by name and the others still get the rate; the exit status is the worst.
 */
async function onLedgers(ctx: Context, all: boolean | undefined, work: (sub: Context) => Applied): Promise<number | void> {
  if (!all) {
    const r = work(ctx);
    if (ctx.json) return printJson(ctx.io, r.json);
    if (!ctx.quiet) ctx.io.out(`${r.line}\n`);
    return;
  }
  const outcomes = await runOnAllLedgers(ctx, (sub) => ({ result: work(sub) }));
  if (ctx.json) {
    printJson(
      ctx.io,
      outcomes.map((o) => (o.result ? { ledger: o.ledger, ...o.result.json } : { ledger: o.ledger, error: o.error ?? null })),
    );
  } else if (!ctx.quiet) {
    for (const o of outcomes) if (o.result) ctx.io.out(`${o.ledger}: ${o.result.line}\n`);
  }
  reportFailures(ctx, outcomes);
  return worstExit(outcomes.map((o) => o.code));
}
