/**
 * relance pay: record money received. `pay INVOICE [AMOUNT]` (the balance by default),
 * `pay --client CODE AMOUNT` (oldest due first, the rest as credit), `pay INVOICE --from-credit`,
 * `pay list`, `pay undo ID` (a reversal; nothing is deleted).
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { allocate } from '../../core/allocation.js';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { parsePositiveAmount } from '../../core/money.js';
import { requireClient } from '../../store/clients.js';
import { timestamp, write, type Db } from '../../store/db.js';
import {
  clientCredit,
  listPayments,
  PAYMENT_METHODS,
  payClient,
  payFromCredit,
  payInvoice,
  requirePayment,
  requireReceivable,
  reversePayment,
  type PayResult,
  type Payment,
} from '../../store/payments.js';
import { getSetting } from '../../store/settings.js';
import { dec, moneyFormatter } from '../../render/format.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { t } from '../../i18n/index.js';
import { canonical } from '../../core/vocabulary.js';

interface PayOptions {
  date?: string;
  method?: string;
  ref?: string;
  client?: string;
  currency?: string;
  fromCredit?: boolean;
  invoices?: string;
}

function payJson(r: PayResult, date: IsoDate) {
  return {
    payment: r.paymentId,
    date,
    amount: dec(r.amount),
    currency: r.currency,
    allocations: r.parts.map((p) => ({ invoice: p.number, amount: dec(p.amount), balance: dec(p.balanceAfter) })),
    credit: dec(r.credit),
  };
}

function printPay(ctx: Context, r: PayResult, date: IsoDate, what: 'recorded' | 'received' | 'appliedCredit', client = ''): void {
  if (ctx.json) return printJson(ctx.io, payJson(r, date));
  if (ctx.quiet) return;
  const m = moneyFormatter();
  const said = t(`books.pay.${what}`, { client, amount: m(r.amount, r.currency), date });
  ctx.io.out(`${said}${r.paymentId ? ` ${t('books.pay.paymentSuffix', { id: r.paymentId })}` : ''}\n`);
  if (r.parts.length) {
    printTable(
      ctx.io,
      [t('books.pay.col.invoice'), t('books.pay.col.allocated'), t('books.pay.col.balanceAfter')],
      r.parts.map((p) => [p.number, m(p.amount, r.currency), p.balanceAfter === 0 ? t('books.pay.paid') : m(p.balanceAfter, r.currency)]),
      { right: [1, 2] },
    );
  } else if (r.credit > 0) ctx.io.out(`${t('books.pay.noOpenInvoice')}\n`);
  if (r.credit > 0) ctx.io.out(`${t('books.pay.keptAsCredit', { amount: m(r.credit, r.currency) })}\n`);
}

function paymentRow(p: Payment, m: ReturnType<typeof moneyFormatter>) {
  const alloc = p.allocations.map((a) => `${a.number} ${m(a.amount, p.currency)}${a.date !== p.date ? ` (${a.date})` : ''}`).join(', ');
  const status = p.reversesId ? t('books.pay.reverses', { id: p.reversesId }) : p.reversedById ? t('books.pay.reversedBy', { id: p.reversedById }) : '';
  return [p.id, p.date, p.clientCode, m(p.amount, p.currency), methodLabel(p.method), p.reference, alloc, p.unallocated > 0 && !p.reversedById ? m(p.unallocated, p.currency) : '', status];
}

export function paymentJson(p: Payment) {
  return {
    id: p.id,
    date: p.date,
    client: p.clientCode,
    amount: dec(p.amount),
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    reverses: p.reversesId,
    reversedBy: p.reversedById,
    allocations: p.allocations.map((a) => ({ invoice: a.number, date: a.date, amount: dec(a.amount) })),
    unallocated: dec(p.unallocated),
  };
}

/** The ledger's currency and those of the payments listed. */
function creditCurrencies(db: Db, list: readonly Payment[]): string[] {
  return [...new Set([getSetting(db, 'currency'), ...list.map((p) => p.currency)])].sort();
}

const METHOD = z.enum(PAYMENT_METHODS, PAYMENT_METHODS.join(', '));

/** A payment method as the table shows it: the keyword in English, its French word in French. */
function methodLabel(method: string): string {
  return t(`books.pay.method.${method}` as 'books.pay.method.transfer') ?? method;
}

export function registerPay(program: Command, app: App): void {
  const pay = program
    .command('pay')
    .argument('[invoice]', t('books.pay.arg.invoice'))
    .argument('[amount]', t('books.pay.arg.amount'))
    .description(t('books.pay.description')).summary(t('books.pay.summary'))
    .option('--date <date>', t('books.pay.opt.date'))
    .option('--method <method>', t('books.pay.opt.method', { methods: PAYMENT_METHODS.join(' | ') }), 'transfer')
    .option('--ref <text>', t('books.pay.opt.ref'))
    .option('--client <code>', t('books.pay.opt.client'))
    .option('--currency <code>', t('books.pay.opt.currency'))
    .option('--invoices <numbers>', t('books.pay.opt.invoices'))
    .option('--from-credit', t('books.pay.opt.fromCredit'))
    .action(
      app.act((ctx, first: string | undefined, second: string | undefined, o: PayOptions) => {
        const db = ctx.db();
        const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
        const method = validate(METHOD, canonical('method', o.method ?? 'transfer'), '--method');
        const reference = o.ref?.trim() ? o.ref.trim() : null;
        const now = timestamp(ctx.io.now());
        if (o.client !== undefined) {
          if (o.fromCredit) throw new UsageError(t('books.pay.fromCreditWithClient'));
          if (first === undefined) throw new UsageError(t('books.pay.missingAmount', { client: o.client }));
          if (second !== undefined) throw new UsageError(t('books.pay.onlyAmount', { client: o.client }));
          const client = requireClient(db, o.client);
          const amount = parsePositiveAmount(first, t('common.money.what'));
          const currency = validate(z.string().check(z.regex(/^[A-Z]{3}$/, t('books.pay.isoCurrency'))), (o.currency ?? getSetting(db, 'currency')).toUpperCase(), '--currency');
          const only = o.invoices === undefined ? undefined : o.invoices.split(',').map((n) => n.trim()).filter(Boolean).map((n) => requireReceivable(db, n));
          if (only && only.length === 0) throw new UsageError(t('books.pay.invoicesEmpty'));
          const r = write(db, () => payClient(db, client.id, { amount, currency, date, method, reference, createdAt: now, only }, allocate));
          return printPay(ctx, r, date, 'received', client.code);
        }
        if (o.invoices !== undefined) throw new UsageError(t('books.pay.invoicesWithoutClient'));
        if (first === undefined) throw new UsageError(t('books.pay.missingInvoice'));
        const inv = requireReceivable(db, first);
        if (o.fromCredit) {
          const amount = second === undefined ? undefined : parsePositiveAmount(second, t('common.money.what'));
          const r = write(db, () => payFromCredit(db, inv, { amount, date }));
          return printPay(ctx, r, date, 'appliedCredit');
        }
        const amount = second === undefined ? undefined : parsePositiveAmount(second, t('common.money.what'));
        const r = write(db, () => payInvoice(db, inv, { amount, date, method, reference, createdAt: now }));
        printPay(ctx, r, date, 'recorded');
      }),
    );
  // "pay F-1 -5": commander takes a negative number for an unknown option (pay has subcommands, so
  // it is not a leaf); say what is wrong with the amount instead.
  const commanderUnknownOption = (pay as unknown as { unknownOption(flag: string): void }).unknownOption.bind(pay);
  (pay as unknown as { unknownOption(flag: string): void }).unknownOption = (flag: string) => {
    if (/^-(\d|[.,]\d)/.test(flag)) throw new UsageError(t('books.pay.negative', { flag }));
    commanderUnknownOption(flag);
  };
  examples(pay, [
    `relance pay F-2026-0001                       # ${t('books.pay.example.balance')}`,
    'relance pay F-2026-0001 400 --date 2026-03-10 --method cheque --ref "chq 1234567"',
    `relance pay --client ACME 2500,00 --date 2026-03-12   # ${t('books.pay.example.client')}`,
    `relance pay --client ACME 1800 --invoices F-2026-0004,F-2026-0009   # ${t('books.pay.example.invoices')}`,
    'relance pay F-2026-0007 --from-credit',
    'relance pay list --client ACME',
    `relance pay undo 12 --date 2026-03-15          # ${t('books.pay.example.undo')}`,
  ]);

  examples(
    pay
      .command('list')
      .description(t('books.pay.list.description'))
      .option('--client <code>', t('books.pay.list.opt.client'))
      .option('--invoice <number>', t('books.pay.list.opt.invoice'))
      .option('--as-of <date>', t('books.pay.list.opt.asOf'))
      .action(
        app.act((ctx, _o: unknown, cmd: Command) => {
          // optsWithGlobals: `pay` itself has --client, and commander gives it to the parent.
          const o = cmd.optsWithGlobals() as { client?: string; invoice?: string; asOf?: string };
          const db = ctx.db();
          const clientId = o.client ? requireClient(db, o.client).id : undefined;
          const documentId = o.invoice ? requireReceivable(db, o.invoice).id : undefined;
          const asOf = o.asOf === undefined ? undefined : ctx.asOf(o.asOf);
          const list = listPayments(db, { clientId, documentId, asOf });
          if (ctx.json) {
            // credit: the client's unallocated money per currency (with --client only)
            const credit = clientId === undefined ? null : Object.fromEntries(creditCurrencies(db, list).map((c) => [c, dec(clientCredit(db, clientId, c, asOf))]));
            return printJson(ctx.io, { payments: list.map(paymentJson), credit });
          }
          if (list.length === 0) {
            ctx.io.err(`${t('books.pay.list.none')}\n`);
            return;
          }
          const m = moneyFormatter();
          printTable(ctx.io, ['id', 'date', 'client', 'amount', 'method', 'reference', 'allocatedTo', 'credit', 'status'].map((c) => t(`books.pay.list.col.${c}` as 'books.pay.list.col.id')), list.map((p) => paymentRow(p, m)), { right: [0, 3, 7] });
          if (clientId !== undefined) {
            for (const cur of creditCurrencies(db, list)) {
              const credit = clientCredit(db, clientId, cur, asOf);
              if (credit !== 0) ctx.io.out(`${t('books.pay.list.credit', { amount: m(credit, cur) })}\n`);
            }
          }
        }),
      ),
    ['relance pay list', 'relance pay list --client ACME', 'relance pay list --invoice F-2026-0001 --json'],
  );

  examples(
    pay
      .command('undo')
      .argument('<id>', t('books.pay.undo.arg.id'))
      .description(t('books.pay.undo.description'))
      .option('--date <date>', t('books.pay.undo.opt.date'))
      .option('--ref <text>', t('books.pay.undo.opt.ref'))
      .action(
        app.act((ctx, idText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { date?: string; ref?: string };
          const db = ctx.db();
          if (!/^\d+$/.test(idText.trim())) throw new UsageError(t('books.pay.undo.badId', { id: idText }));
          const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          const m = moneyFormatter();
          const { id, p } = write(db, () => {
            const p = requirePayment(db, Number(idText));
            return { id: reversePayment(db, p, date, o.ref?.trim() || null, timestamp(ctx.io.now())), p };
          });
          if (ctx.json) return printJson(ctx.io, paymentJson(requirePayment(db, id)));
          if (!ctx.quiet) ctx.io.out(`${t('books.pay.undo.done', { id, payment: p.id, amount: m(p.amount, p.currency), paid: p.date, date })}\n`);
        }),
      ),
    ['relance pay undo 12', 'relance pay undo 12 --date 2026-03-15 --ref "cheque rejected"'],
  );
}
