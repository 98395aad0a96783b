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

function printPay(ctx: Context, r: PayResult, date: IsoDate, what: string): void {
  if (ctx.json) return printJson(ctx.io, payJson(r, date));
  if (ctx.quiet) return;
  const m = moneyFormatter();
  ctx.io.out(`${what} ${m(r.amount, r.currency)} on ${date}${r.paymentId ? ` (payment #${r.paymentId})` : ''}\n`);
  if (r.parts.length) {
    printTable(
      ctx.io,
      ['invoice', 'allocated', 'balance after'],
      r.parts.map((p) => [p.number, m(p.amount, r.currency), p.balanceAfter === 0 ? 'paid' : m(p.balanceAfter, r.currency)]),
      { right: [1, 2] },
    );
  } else if (r.credit > 0) ctx.io.out('No open invoice to allocate to.\n');
  if (r.credit > 0) ctx.io.out(`${m(r.credit, r.currency)} kept as client credit; apply it later with "relance pay INVOICE --from-credit"\n`);
}

function paymentRow(p: Payment, m: ReturnType<typeof moneyFormatter>) {
  const alloc = p.allocations.map((a) => `${a.number} ${m(a.amount, p.currency)}${a.date !== p.date ? ` (${a.date})` : ''}`).join(', ');
  const status = p.reversesId ? `reverses #${p.reversesId}` : p.reversedById ? `reversed by #${p.reversedById}` : '';
  return [p.id, p.date, p.clientCode, m(p.amount, p.currency), p.method, p.reference, alloc, p.unallocated > 0 && !p.reversedById ? m(p.unallocated, p.currency) : '', status];
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

export function registerPay(program: Command, app: App): void {
  const pay = program
    .command('pay')
    .argument('[invoice]', 'invoice number (or, with --client, the amount)')
    .argument('[amount]', 'amount received (default: the balance)')
    .description('record a payment: partial, several invoices for a client (oldest first), credit, reversal').summary('record payments, client credit, reversals')
    .option('--date <date>', 'the day the money arrived (default: today)')
    .option('--method <method>', PAYMENT_METHODS.join(' | '), 'transfer')
    .option('--ref <text>', 'bank reference, cheque number...')
    .option('--client <code>', 'money from this client: allocated to its invoices, oldest due first')
    .option('--currency <code>', 'with --client: the currency of the money (default: the ledger\'s)')
    .option('--invoices <numbers>', 'with --client: one transfer for these invoices only, comma-separated (still oldest due first)')
    .option('--from-credit', 'settle the invoice with the client\'s credit (earlier overpayments)')
    .action(
      app.act((ctx, first: string | undefined, second: string | undefined, o: PayOptions) => {
        const db = ctx.db();
        const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
        const method = validate(METHOD, o.method ?? 'transfer', '--method');
        const reference = o.ref?.trim() ? o.ref.trim() : null;
        const now = timestamp(ctx.io.now());
        if (o.client !== undefined) {
          if (o.fromCredit) throw new UsageError('--from-credit goes with an invoice, not --client: relance pay INVOICE --from-credit');
          if (first === undefined) throw new UsageError(`missing the amount: relance pay --client ${o.client} AMOUNT`);
          if (second !== undefined) throw new UsageError(`with --client give only the amount, e.g. relance pay --client ${o.client} 1200.00`);
          const client = requireClient(db, o.client);
          const amount = parsePositiveAmount(first, 'amount');
          const currency = validate(z.string().check(z.regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')), (o.currency ?? getSetting(db, 'currency')).toUpperCase(), '--currency');
          const only = o.invoices === undefined ? undefined : o.invoices.split(',').map((n) => n.trim()).filter(Boolean).map((n) => requireReceivable(db, n));
          if (only && only.length === 0) throw new UsageError('--invoices: give invoice numbers separated by commas, e.g. --invoices F-2026-0001,F-2026-0002');
          const r = write(db, () => payClient(db, client.id, { amount, currency, date, method, reference, createdAt: now, only }, allocate));
          return printPay(ctx, r, date, `Received from ${client.code}:`);
        }
        if (o.invoices !== undefined) throw new UsageError('--invoices goes with --client: relance pay --client CODE AMOUNT --invoices F-1,F-2');
        if (first === undefined) throw new UsageError('missing the invoice: relance pay INVOICE [AMOUNT], or relance pay --client CODE AMOUNT; see "relance pay --help"');
        const inv = requireReceivable(db, first);
        if (o.fromCredit) {
          const amount = second === undefined ? undefined : parsePositiveAmount(second, 'amount');
          const r = write(db, () => payFromCredit(db, inv, { amount, date }));
          return printPay(ctx, r, date, 'Applied client credit:');
        }
        const amount = second === undefined ? undefined : parsePositiveAmount(second, 'amount');
        const r = write(db, () => payInvoice(db, inv, { amount, date, method, reference, createdAt: now }));
        printPay(ctx, r, date, 'Recorded');
      }),
    );
  // "pay F-1 -5": commander takes a negative number for an unknown option (pay has subcommands, so
  // it is not a leaf); say what is wrong with the amount instead.
  const commanderUnknownOption = (pay as unknown as { unknownOption(flag: string): void }).unknownOption.bind(pay);
  (pay as unknown as { unknownOption(flag: string): void }).unknownOption = (flag: string) => {
    if (/^-(\d|[.,]\d)/.test(flag)) throw new UsageError(`amount: "${flag}" is negative; a payment is more than zero (to take back a payment, "relance pay undo ID")`);
    commanderUnknownOption(flag);
  };
  examples(pay, [
    'relance pay F-2026-0001                       # the whole balance, today, by transfer',
    'relance pay F-2026-0001 400 --date 2026-03-10 --method cheque --ref "chq 1234567"',
    'relance pay --client ACME 2500,00 --date 2026-03-12   # oldest due first; the rest is credit',
    'relance pay --client ACME 1800 --invoices F-2026-0004,F-2026-0009   # one transfer for several invoices',
    'relance pay F-2026-0007 --from-credit',
    'relance pay list --client ACME',
    'relance pay undo 12 --date 2026-03-15          # the bank rejected it',
  ]);

  examples(
    pay
      .command('list')
      .description('list payments with what they settled')
      .option('--client <code>', 'only this client')
      .option('--invoice <number>', 'only payments allocated to this invoice')
      .option('--as-of <date>', 'only payments dated up to this date')
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
            ctx.io.err('no payments yet; record one with "relance pay INVOICE [AMOUNT]"\n');
            return;
          }
          const m = moneyFormatter();
          printTable(ctx.io, ['id', 'date', 'client', 'amount', 'method', 'reference', 'allocated to', 'credit', 'status'], list.map((p) => paymentRow(p, m)), { right: [0, 3, 7] });
          if (clientId !== undefined) {
            for (const cur of creditCurrencies(db, list)) {
              const credit = clientCredit(db, clientId, cur, asOf);
              if (credit !== 0) ctx.io.out(`Client credit: ${m(credit, cur)}\n`);
            }
          }
        }),
      ),
    ['relance pay list', 'relance pay list --client ACME', 'relance pay list --invoice F-2026-0001 --json'],
  );

  examples(
    pay
      .command('undo')
      .argument('<id>', 'payment id (see "relance pay list")')
      .description('record the reversal of a payment (rejected cheque, wrong entry); nothing is deleted')
      .option('--date <date>', 'date of the reversal (default: today)')
      .option('--ref <text>', 'why, e.g. "cheque rejected"')
      .action(
        app.act((ctx, idText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { date?: string; ref?: string };
          const db = ctx.db();
          if (!/^\d+$/.test(idText.trim())) throw new UsageError(`payment id: "${idText}" is not a number; see the ids with "relance pay list"`);
          const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          const m = moneyFormatter();
          const { id, p } = write(db, () => {
            const p = requirePayment(db, Number(idText));
            return { id: reversePayment(db, p, date, o.ref?.trim() || null, timestamp(ctx.io.now())), p };
          });
          if (ctx.json) return printJson(ctx.io, paymentJson(requirePayment(db, id)));
          if (!ctx.quiet) ctx.io.out(`Recorded reversal #${id} of payment #${p.id} (${m(p.amount, p.currency)} on ${p.date}) on ${date}\n`);
        }),
      ),
    ['relance pay undo 12', 'relance pay undo 12 --date 2026-03-15 --ref "cheque rejected"'],
  );
}
