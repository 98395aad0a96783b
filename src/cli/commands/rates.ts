/**
 * relance rates: the ECB rate table and the legal interest rates behind penalties.
 * `rates list`, `rates add DATE RATE` (a change), `rates confirm DATE` (the rate held that day),
 * `rates legal HALF PRO CONSUMER`.
 */
import type { Command } from 'commander';
import { addDays, parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { formatBp, parsePercent } from '../../core/numbers.js';
import { confirmedThrough, defaultPenaltyRate, ecbRateOn, halfOf, halfStart, isHalf, legalRate, nextHalfStart, type RateTables } from '../../core/rates.js';
import { timestamp, write } from '../../store/db.js';
import { addEcbRate, addLegalRate, confirmEcbRate, rateTables } from '../../store/rates.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, type App } from '../app.js';

const pct = (bp: number | undefined | null) => (bp === undefined || bp === null ? 'unknown' : `${formatBp(bp)} %`);

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
  if (bp > 5000) throw new UsageError(`${what}: ${formatBp(bp)} % is not a plausible rate; write it in percent, e.g. 2.15`);
  return bp;
}

export function registerRates(program: Command, app: App): void {
  const rates = program.command('rates').description('the ECB and legal interest rate tables used for late-payment penalties').summary('the ECB and legal interest rate tables');
  examples(rates, ['relance rates list', 'relance rates add 2026-06-10 2.00', 'relance rates confirm 2026-07-01', 'relance rates legal 2026-H2 2.50 6.50']);

  examples(
    rates
      .command('list')
      .description('the rate per half-year, how far the table is confirmed, and every entry')
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
              legal: t.legal.map((l) => ({ half: l.half, pro: formatBp(l.proBp), consumer: formatBp(l.consumerBp), source: l.source })),
            });
          }
          ctx.io.out(`ECB table confirmed through ${through ?? 'nothing'}: penalties after that date need "relance rates add DATE RATE" or "relance rates confirm DATE".\n`);
          printTable(
            ctx.io,
            ['half-year', 'ECB rate on 1 Jan/1 Jul', 'penalty rate (ECB + 10)', 'legal rate, professionals', 'legal rate, consumers'],
            halves.map((h) => [h.half, pct(h.ecbOnStart), pct(h.penaltyRate), pct(h.legalPro), pct(h.legalConsumer)]),
            { right: [1, 2, 3, 4] },
          );
          printTable(
            ctx.io,
            ['ECB entry', 'rate', 'kind', 'source'],
            t.ecb.map((e) => [e.date, pct(e.rateBp), e.kind === 'change' ? 'change' : 'confirmed held', e.source === 'shipped' ? `shipped${e.note && e.note !== 'held' ? ` (${e.note})` : ''}` : 'added in this ledger']),
            { right: [1] },
          );
        }),
      ),
    ['relance rates list', 'relance rates list --json'],
  );

  examples(
    rates
      .command('add')
      .argument('<date>', 'the day the new ECB main refinancing rate took effect')
      .argument('<rate>', 'the rate in percent, e.g. 2.15')
      .description('add an ECB rate change (also confirms the table up to that date)')
      .action(
        app.act((ctx, dateText: string, rateText: string) => {
          const date = parseDate(dateText, 'date');
          const rateBp = parseRate(rateText, 'rate');
          const db = ctx.db();
          write(db, () => addEcbRate(db, date, rateBp, timestamp(ctx.io.now())));
          const t = rateTables(db);
          if (ctx.json) return printJson(ctx.io, { date, rate: formatBp(rateBp), confirmedThrough: confirmedThrough(t) });
          if (!ctx.quiet) ctx.io.out(`ECB rate ${formatBp(rateBp)} % from ${date}; the table is confirmed through ${confirmedThrough(t)}. Penalty rate of ${halfOf(nextHalfStart(addDays(date, -1)))}: ${pct(defaultPenaltyRate(t, halfOf(nextHalfStart(addDays(date, -1)))))}.\n`);
        }),
      ),
    ['relance rates add 2026-06-10 2.00'],
  );

  examples(
    rates
      .command('confirm')
      .argument('<date>', 'a day on which you checked the ECB rate had not changed (e.g. 2026-07-01)')
      .description('confirm that the last known ECB rate still held on a date')
      .action(
        app.act((ctx, dateText: string) => {
          const date = parseDate(dateText, 'date');
          const db = ctx.db();
          const held = write(db, () => confirmEcbRate(db, date, timestamp(ctx.io.now())));
          if (held === undefined) throw new UsageError(`the table has no ECB rate before ${date}; add the rate in force with "relance rates add DATE RATE"`);
          const t = rateTables(db);
          if (ctx.json) return printJson(ctx.io, { date, rate: formatBp(held), confirmedThrough: confirmedThrough(t) });
          if (!ctx.quiet) ctx.io.out(`Confirmed: the ECB rate was ${formatBp(held)} % on ${date}; the table is confirmed through ${confirmedThrough(t)}.\n`);
        }),
      ),
    ['relance rates confirm 2026-07-01'],
  );

  examples(
    rates
      .command('legal')
      .argument('<half>', 'half-year, e.g. 2026-H2')
      .argument('<pro>', 'taux d\'interet legal, professionals\' column, in percent')
      .argument('<consumer>', 'taux d\'interet legal, consumers\' (particuliers) column, in percent')
      .description('add the legal interest rates of a half-year (published by arrete each semester)')
      .action(
        app.act((ctx, half: string, proText: string, consumerText: string) => {
          if (!isHalf(half)) throw new UsageError(`half-year: "${half}" is not like 2026-H2`);
          const pro = parseRate(proText, 'professionals rate');
          const consumer = parseRate(consumerText, 'consumers rate');
          const db = ctx.db();
          write(db, () => addLegalRate(db, half, pro, consumer, timestamp(ctx.io.now())));
          if (ctx.json) return printJson(ctx.io, { half, pro: formatBp(pro), consumer: formatBp(consumer) });
          if (!ctx.quiet) ctx.io.out(`Legal interest rate of ${half}: ${formatBp(pro)} % (professionals), ${formatBp(consumer)} % (consumers).\n`);
        }),
      ),
    ['relance rates legal 2026-H2 2.50 6.50'],
  );
}
