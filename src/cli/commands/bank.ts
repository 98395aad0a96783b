/**
 * relance bank: statements imported, payments matched to invoices (issue 17).
 *   bank import FILE [--account NAME] [--format F] [--dry-run]   read, match, record (certain always;
 *       probable ones only when accepted on a terminal)
 *   bank list [--unmatched] [--since D] | bank match LINE INVOICE[,INVOICE...] | bank ignore LINE --reason
 *   bank undo LINE | bank account add NAME [--iban] [--csv-...] | bank account list
 * Parsing is bank/read.ts, matching bank/match.ts, recording bank/engine.ts; this file parses flags,
 * asks, and prints.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney, type Cents } from '../../core/money.js';
import { PROFILES, DATE_FORMATS, type CsvMapping, type DateFormat } from '../../bank/csv.js';
import { applyMatch, importStatement, ledgerView, undoLine, type ImportResult, type LineOutcome } from '../../bank/engine.js';
import { allocateInOrder } from '../../bank/match.js';
import { readStatement } from '../../bank/read.js';
import { STATEMENT_FORMATS, type Statement, type StatementFormat } from '../../bank/types.js';
import { accountByIban, ignoreLine, listAccounts, listLines, rehearse, requireAccount, requireLine, saveAccount, type BankAccount, type BankLine } from '../../store/bank.js';
import { timestamp, write, type Db } from '../../store/db.js';
import { requireReceivable } from '../../store/payments.js';
import { getSetting } from '../../store/settings.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, type App } from '../app.js';
import type { Context } from '../context.js';

const m = (c: Cents, cur: string) => formatMoney(c, cur, 'en');
const dec = (c: Cents) => centsToDecimal(c);
const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function lineId(text: string): number {
  const t = text.trim().replace(/^#/, '');
  if (!/^\d+$/.test(t)) throw new UsageError(`bank line: "${text}" is not a line id; see the ids with "relance bank list"`);
  return Number(t);
}

function parseFormat(f: string | undefined): StatementFormat | undefined {
  if (f === undefined) return undefined;
  const v = f.toLowerCase().replace(/[^a-z0-9]/g, '');
  const alias: Record<string, StatementFormat> = { camt: 'camt053', camt053: 'camt053', xml: 'camt053', ofx: 'ofx', qfx: 'ofx', csv: 'csv', cfonb: 'cfonb120', cfonb120: 'cfonb120' };
  const r = alias[v];
  if (!r) throw new UsageError(`--format: "${f}" is not one of ${STATEMENT_FORMATS.join(', ')}`);
  return r;
}

/** The account named, else the one whose IBAN the statement gives, else the only one, else a new "main". */
function resolveAccount(db: Db, name: string | undefined, st: Statement | null, createdAt: string): BankAccount {
  if (name !== undefined) return requireAccount(db, name);
  if (st?.accountId) {
    const byIban = accountByIban(db, st.accountId);
    if (byIban) return byIban;
  }
  const all = listAccounts(db);
  if (all.length === 1) return all[0]!;
  if (all.length > 1) throw new UsageError(`several bank accounts (${all.map((a) => a.name).join(', ')}); say which with --account NAME`);
  return saveAccount(db, { name: 'main', iban: st?.accountId ?? null, currency: st?.currency ?? getSetting(db, 'currency'), format: null, csv: null }, createdAt);
}

function describe(o: LineOutcome, dryRun = false): string {
  if (o.known) return 'already imported';
  const mt = o.match!;
  if (o.applied === 'reversal') return mt.why;
  if (mt.kind === 'certain' || mt.kind === 'probable') {
    const what = mt.allocations.map((a) => a.number).join(' + ') || 'client credit';
    const done = o.applied ? (dryRun ? 'would pay' : 'paid') : mt.kind === 'probable' ? 'probable, not recorded' : 'would pay';
    return `${done}: ${what}${mt.credit > 0 ? ` (+${m(mt.credit, o.line.currency)} credit)` : ''}${mt.kind === 'probable' ? ` [${mt.why}]` : ''}`;
  }
  return `${mt.kind}: ${mt.why}`;
}

function outcomeJson(o: LineOutcome, dryRun: boolean) {
  const mt = o.match;
  return {
    line: dryRun ? null : o.lineId,
    date: o.line.bookingDate,
    valueDate: o.line.valueDate,
    amount: dec(o.line.amount),
    currency: o.line.currency,
    label: o.line.label,
    bankRef: o.line.bankRef,
    known: o.known,
    match: mt?.kind ?? null,
    invoices: mt && (mt.kind === 'certain' || mt.kind === 'probable') ? mt.allocations.map((a) => ({ invoice: a.number, amount: dec(a.amount) })) : [],
    credit: mt && (mt.kind === 'certain' || mt.kind === 'probable') ? dec(mt.credit) : null,
    why: mt?.why ?? null,
    recorded: o.applied,
    payments: o.paymentIds,
  };
}

function printResult(ctx: Context, r: ImportResult, dryRun: boolean): void {
  if (ctx.json) {
    return printJson(ctx.io, { account: r.account, file: r.file, format: r.format, dryRun, new: r.fresh, known: r.known, lines: r.lines.map((o) => outcomeJson(o, dryRun)) });
  }
  if (ctx.quiet) return;
  const shown = r.lines.filter((o) => !o.known);
  if (shown.length) {
    printTable(
      ctx.io,
      ['line', 'date', 'amount', 'label', 'result'],
      shown.map((o) => [dryRun ? '' : (o.lineId ?? ''), o.line.bookingDate, m(o.line.amount, o.line.currency), short(o.line.label), describe(o, dryRun)]),
      { right: [0, 2] },
    );
  }
  const count = (f: (o: LineOutcome) => boolean) => r.lines.filter(f).length;
  const paid = count((o) => o.applied === 'certain' || o.applied === 'probable');
  const probableLeft = count((o) => o.match?.kind === 'probable' && !o.applied);
  const unmatched = count((o) => o.match?.kind === 'unmatched');
  ctx.io.out(
    `${dryRun ? 'Dry run (nothing recorded): ' : ''}${r.lines.length} line${r.lines.length === 1 ? '' : 's'} in ${path.basename(r.file)} (account ${r.account}): ` +
      `${r.fresh} new, ${r.known} already imported; ${paid} ${dryRun ? 'would be ' : ''}paid, ${probableLeft} probable not recorded, ${unmatched} unmatched\n`,
  );
  if (!dryRun && (probableLeft || unmatched)) ctx.io.out('Match the others with "relance bank match LINE INVOICE" or "relance bank ignore LINE --reason ..." (see "relance bank list --unmatched")\n');
}

/** On a terminal: which probable matches to record. */
async function review(ctx: Context, r: ImportResult): Promise<Set<string>> {
  const probables = r.lines.filter((o) => o.match?.kind === 'probable');
  const accepted = new Set<string>();
  if (probables.length === 0) return accepted;
  const { select, confirm } = await import('@inquirer/prompts');
  const certain = r.lines.filter((o) => o.match?.kind === 'certain' && !o.known);
  ctx.io.err(`${certain.length} certain match${certain.length === 1 ? '' : 'es'} will be recorded; ${probables.length} probable:\n`);
  for (const o of probables) ctx.io.err(`  ${o.line.bookingDate} ${m(o.line.amount, o.line.currency)} ${short(o.line.label, 50)} -> ${describe(o)}\n`);
  const how = await select({
    message: 'Record the probable matches?',
    choices: [
      { name: 'accept all', value: 'all' },
      { name: 'one by one', value: 'each' },
      { name: 'skip them (record only the certain ones)', value: 'skip' },
    ],
  });
  for (const o of probables) {
    if (how === 'all') accepted.add(o.identity);
    else if (how === 'each') {
      const mt = o.match!;
      const what = mt.kind === 'probable' ? mt.allocations.map((a) => a.number).join(' + ') : '';
      if (await confirm({ message: `${o.line.bookingDate} ${m(o.line.amount, o.line.currency)} "${short(o.line.label, 40)}" pays ${what}?`, default: true })) accepted.add(o.identity);
    }
  }
  return accepted;
}

function lineRow(l: BankLine) {
  const result =
    l.status === 'matched'
      ? `paid (payment${l.payments.length > 1 ? 's' : ''} ${l.payments.filter((p) => p.undoneBy === null).map((p) => `#${p.paymentId}`).join(', ')})`
      : l.status === 'ignored'
        ? `ignored: ${l.ignoredReason}`
        : l.payments.length
          ? `undone${l.note ? `; ${l.note}` : ''}`
          : `${l.status}${l.note ? `: ${l.note}` : ''}`;
  return [l.id, l.bookingDate, l.account, m(l.amount, l.currency), short(l.label), result];
}

function lineJson(l: BankLine) {
  return {
    id: l.id,
    account: l.account,
    date: l.bookingDate,
    valueDate: l.valueDate,
    amount: dec(l.amount),
    currency: l.currency,
    label: l.label,
    bankRef: l.bankRef,
    remittance: l.remittance,
    references: l.references,
    payerName: l.payerName,
    payerIban: l.payerIban,
    reversal: l.reversal,
    status: l.status,
    note: l.note,
    ignoredReason: l.ignoredReason,
    payments: l.payments,
  };
}

interface AccountOptions {
  iban?: string;
  currency?: string;
  format?: string;
  csvProfile?: string;
  csvDelimiter?: string;
  csvDate?: string;
  csvValueDate?: string;
  csvLabel?: string;
  csvDetail?: string;
  csvAmount?: string;
  csvDebit?: string;
  csvCredit?: string;
  csvCurrency?: string;
  csvReference?: string;
  csvDateFormat?: string;
  csvDecimal?: string;
}

function column(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,3}$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`${flag}: "${v}" is not a column number (1 is the first column)`);
  return Number(v);
}

function csvMapping(o: AccountOptions): CsvMapping | null {
  const base = o.csvProfile === undefined ? undefined : PROFILES[o.csvProfile]?.mapping;
  if (o.csvProfile !== undefined && !base) throw new UsageError(`--csv-profile: "${o.csvProfile}" is not one of ${Object.keys(PROFILES).join(', ')}`);
  const given: Partial<CsvMapping> = {
    date: column(o.csvDate, '--csv-date'),
    valueDate: column(o.csvValueDate, '--csv-value-date'),
    label: column(o.csvLabel, '--csv-label'),
    detail: column(o.csvDetail, '--csv-detail'),
    amount: column(o.csvAmount, '--csv-amount'),
    debit: column(o.csvDebit, '--csv-debit'),
    credit: column(o.csvCredit, '--csv-credit'),
    currency: column(o.csvCurrency, '--csv-currency'),
    reference: column(o.csvReference, '--csv-reference'),
  };
  if (o.csvDelimiter !== undefined) {
    const d = o.csvDelimiter === 'tab' || o.csvDelimiter === '\\t' ? '\t' : o.csvDelimiter;
    if (d !== ';' && d !== ',' && d !== '\t') throw new UsageError(`--csv-delimiter: "${o.csvDelimiter}" is not ";", "," or "tab"`);
    given.delimiter = d;
  }
  if (o.csvDateFormat !== undefined) {
    if (!(DATE_FORMATS as readonly string[]).includes(o.csvDateFormat)) throw new UsageError(`--csv-date-format: "${o.csvDateFormat}" is not one of ${DATE_FORMATS.join(', ')}`);
    given.dateFormat = o.csvDateFormat as DateFormat;
  }
  if (o.csvDecimal !== undefined) {
    if (o.csvDecimal !== ',' && o.csvDecimal !== '.') throw new UsageError(`--csv-decimal: "${o.csvDecimal}" is not "," or "."`);
    given.decimal = o.csvDecimal;
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<CsvMapping>;
  if (!base && Object.keys(defined).length === 0) return null;
  const mapping = { ...(base ?? { dateFormat: 'dd/mm/yyyy', decimal: ',' }), ...defined } as CsvMapping;
  if (given.amount !== undefined) {
    delete mapping.debit;
    delete mapping.credit;
  } else if (given.debit !== undefined || given.credit !== undefined) delete mapping.amount;
  if (!mapping.date) throw new UsageError('--csv-date: say which column holds the date (e.g. --csv-date 1)');
  if (!mapping.label) throw new UsageError('--csv-label: say which column holds the label (e.g. --csv-label 2)');
  if (!mapping.amount && !(mapping.debit && mapping.credit)) throw new UsageError('give --csv-amount N (one signed column) or both --csv-debit N and --csv-credit N');
  return mapping;
}

export function registerBank(program: Command, app: App): void {
  const bank = program.command('bank').description('import bank statements (CAMT.053, OFX, CSV, CFONB 120) and match payments to invoices').summary('bank statements and payment matching');
  examples(bank, [
    'relance bank import releve-2026-03.xml          # on a terminal: review the probable matches',
    'relance bank import releve.csv --account pro --dry-run',
    'relance bank list --unmatched',
    'relance bank match 42 F-2026-0017,F-2026-0018',
    'relance bank account add pro --iban FR76... --csv-profile fr-debit-credit',
  ]);

  examples(
    bank
      .command('import')
      .argument('<file>', 'the statement file')
      .description('read a statement, record its new lines, pay the invoices it certainly pays (and, on a terminal, the probable ones you accept)')
      .option('--account <name>', 'the bank account (default: the one with the statement\'s IBAN, or the only one)')
      .option('--format <format>', STATEMENT_FORMATS.join(' | ') + ' (default: recognised from the content)')
      .option('--dry-run', 'record nothing; show what would be matched')
      .action(
        app.act(async (ctx, fileArg: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { account?: string; format?: string; dryRun?: boolean; input?: boolean };
          const db = ctx.db();
          const file = path.resolve(ctx.io.cwd, fileArg);
          let bytes: Buffer;
          try {
            bytes = fs.readFileSync(file);
          } catch (err) {
            throw new UsageError(`cannot read ${fileArg} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
          }
          const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
          const createdAt = timestamp(ctx.io.now());
          const name = path.basename(file);
          // the account's format and CSV mapping come before reading
          const preAccount = o.account !== undefined ? requireAccount(db, o.account) : undefined;
          const parse = (acc: BankAccount | undefined) =>
            readStatement(bytes, name, {
              format: parseFormat(o.format) ?? ((acc?.format ?? undefined) as StatementFormat | undefined),
              csv: (acc?.csv as CsvMapping | null) ?? undefined,
              currency: acc?.currency ?? getSetting(db, 'currency'),
            });
          let statement = parse(preAccount);
          if (!preAccount) {
            // the account found from the statement may carry a CSV mapping: read again with it
            const all = listAccounts(db);
            const acc = (statement.accountId && accountByIban(db, statement.accountId)) || (all.length === 1 ? all[0] : undefined);
            if (acc && (acc.csv || acc.format)) statement = parse(acc);
          }
          const run = (accept: (id: string) => boolean) => () => {
            const account = resolveAccount(db, o.account, statement, createdAt);
            return importStatement(db, { account, statement, file: fileArg, sha256, createdAt, accept, progress: statement.lines.length >= 5000 && !ctx.quiet ? (d, t) => ctx.io.err(`${d}/${t} lines\n`) : undefined });
          };
          if (o.dryRun) return printResult(ctx, rehearse(db, run(() => false)), true);
          let accepted = new Set<string>();
          if (ctx.io.canPrompt && !ctx.json) {
            const preview = rehearse(db, run(() => false));
            accepted = await review(ctx, preview);
          }
          printResult(ctx, write(db, run((id) => accepted.has(id))), false);
        }),
      ),
    ['relance bank import releve.xml', 'relance bank import export.csv --account pro --dry-run --json', 'relance bank import releve.cfonb --format cfonb120 --no-input'],
  );

  examples(
    bank
      .command('list')
      .description('the imported lines and what became of them')
      .option('--unmatched', 'only money in that no invoice took yet')
      .option('--since <date>', 'only lines booked on or after this date')
      .option('--account <name>', 'only this account')
      .action(
        app.act((ctx, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { unmatched?: boolean; since?: string; account?: string };
          const db = ctx.db();
          const since = o.since === undefined ? undefined : parseDate(o.since, '--since');
          const accountId = o.account === undefined ? undefined : requireAccount(db, o.account).id;
          const lines = listLines(db, { since, unmatched: o.unmatched, accountId });
          if (ctx.json) return printJson(ctx.io, { lines: lines.map(lineJson) });
          if (lines.length === 0) {
            ctx.io.err(o.unmatched ? 'no unmatched lines\n' : 'no bank lines yet; import a statement with "relance bank import FILE"\n');
            return;
          }
          printTable(ctx.io, ['line', 'date', 'account', 'amount', 'label', 'status'], lines.map(lineRow), { right: [0, 3] });
        }),
      ),
    ['relance bank list', 'relance bank list --unmatched --since 2026-03-01', 'relance bank list --json'],
  );

  examples(
    bank
      .command('match')
      .argument('<line>', 'bank line id (see "relance bank list")')
      .argument('<invoices>', 'invoice numbers, comma-separated, paid in that order')
      .description('pay invoices from an unmatched line by hand (the rest as client credit)')
      .action(
        app.act((ctx, lineText: string, invoices: string) => {
          const db = ctx.db();
          const id = lineId(lineText);
          const createdAt = timestamp(ctx.io.now());
          const r = write(db, () => {
            const l = requireLine(db, id);
            if (l.status === 'matched') throw new UsageError(`bank line #${id} is already matched; "relance bank undo ${id}" first`);
            if (l.amount <= 0) throw new UsageError(`bank line #${id} is money out (${m(l.amount, l.currency)}); only money in pays invoices`);
            const refs = invoices.split(',').map((s) => s.trim()).filter(Boolean).map((n) => requireReceivable(db, n));
            if (refs.length === 0) throw new UsageError('give invoice numbers separated by commas, e.g. F-2026-0001,F-2026-0002');
            const view = ledgerView(db);
            const items = refs.map((r) => view.invoice(r.id, l.bookingDate));
            for (const it of items) {
              if (it.currency !== l.currency) throw new UsageError(`${it.number} is in ${it.currency} but the money is ${l.currency}; record what it paid in ${it.currency} with "relance pay ${it.number} AMOUNT --ref 'bank line #${id}'" and "relance bank ignore ${id} --reason ..."`);
              if (it.clientId !== items[0]!.clientId) throw new UsageError(`${it.number} is another client's invoice than ${items[0]!.number}; one transfer pays one client`);
            }
            const { allocations, credit } = allocateInOrder(l.amount, items);
            const line = { position: 1, sourceLine: 0, bookingDate: l.bookingDate, valueDate: l.valueDate, amount: l.amount, currency: l.currency, bankRef: l.bankRef, label: l.label, remittance: l.remittance, references: l.references, payerName: l.payerName, payerIban: l.payerIban, reversal: l.reversal };
            const payments = applyMatch(db, id, line, items[0]!.clientId, allocations, 'manual', createdAt);
            return { l, allocations, credit, payments };
          });
          if (ctx.json) return printJson(ctx.io, { line: id, payments: r.payments, allocations: r.allocations.map((a) => ({ invoice: a.number, amount: dec(a.amount) })), credit: dec(r.credit) });
          if (!ctx.quiet) {
            ctx.io.out(`Bank line #${id} (${m(r.l.amount, r.l.currency)} on ${r.l.bookingDate}) paid ${r.allocations.map((a) => `${a.number} ${m(a.amount, r.l.currency)}`).join(', ') || 'nothing'}${r.credit > 0 ? `; ${m(r.credit, r.l.currency)} kept as client credit` : ''} (payment #${r.payments.join(', #')})\n`);
          }
        }),
      ),
    ['relance bank match 42 F-2026-0017', 'relance bank match 42 F-2026-0017,F-2026-0018'],
  );

  examples(
    bank
      .command('ignore')
      .argument('<line>', 'bank line id')
      .requiredOption('--reason <text>', 'why it is not a receivable: a refund, a loan, a capital contribution...')
      .description('mark a line as not a client\'s payment, so it leaves the unmatched list')
      .action(
        app.act((ctx, lineText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { reason: string };
          const db = ctx.db();
          const id = lineId(lineText);
          const reason = o.reason.trim();
          if (!reason) throw new UsageError('--reason: say why the line is not a payment, e.g. --reason "loan from the bank"');
          write(db, () => {
            const l = requireLine(db, id);
            if (l.status === 'matched') throw new UsageError(`bank line #${id} paid invoices; "relance bank undo ${id}" first`);
            ignoreLine(db, id, reason, timestamp(ctx.io.now()));
          });
          if (ctx.json) return printJson(ctx.io, lineJson(requireLine(db, id)));
          if (!ctx.quiet) ctx.io.out(`Bank line #${id} ignored: ${reason}\n`);
        }),
      ),
    ['relance bank ignore 43 --reason "bank loan"'],
  );

  examples(
    bank
      .command('undo')
      .argument('<line>', 'bank line id')
      .option('--date <date>', 'date of the reversal (default: today)')
      .description('reverse the payments made from a line, as "pay undo" does (nothing is deleted); the line is unmatched again')
      .action(
        app.act((ctx, lineText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { date?: string };
          const db = ctx.db();
          const id = lineId(lineText);
          const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          const reversals = write(db, () => undoLine(db, id, date, `bank undo of line #${id}`, timestamp(ctx.io.now())));
          if (ctx.json) return printJson(ctx.io, { line: id, reversals });
          if (!ctx.quiet) ctx.io.out(`Bank line #${id}: payment${reversals.length > 1 ? 's' : ''} reversed (reversal #${reversals.join(', #')}); the line is unmatched again\n`);
        }),
      ),
    ['relance bank undo 42', 'relance bank undo 42 --date 2026-03-20'],
  );

  const account = bank.command('account').description('bank accounts and their CSV column mappings');
  examples(account, ['relance bank account add pro --iban FR7630006000011234567890189', 'relance bank account list']);
  examples(
    account
      .command('add')
      .argument('<name>', 'a short name, e.g. pro')
      .description('add (or change) a bank account; for CSV exports, say which column holds what (1 is the first)')
      .option('--iban <iban>', 'the account\'s IBAN (statements that give it find the account by it)')
      .option('--currency <code>', 'the account\'s currency (default: the ledger\'s)')
      .option('--format <format>', STATEMENT_FORMATS.join(' | ') + ' (default: recognised)')
      .option('--csv-profile <name>', `a ready layout: ${Object.keys(PROFILES).join(', ')}`)
      .option('--csv-delimiter <c>', '";", "," or "tab"')
      .option('--csv-date <n>', 'column of the booking date')
      .option('--csv-value-date <n>', 'column of the value date')
      .option('--csv-label <n>', 'column of the label')
      .option('--csv-detail <n>', 'a column added to the label')
      .option('--csv-amount <n>', 'column of a signed amount')
      .option('--csv-debit <n>', 'column of debits')
      .option('--csv-credit <n>', 'column of credits')
      .option('--csv-currency <n>', 'column of the currency')
      .option('--csv-reference <n>', 'column of the bank\'s reference of the line')
      .option('--csv-date-format <f>', DATE_FORMATS.join(' | '))
      .option('--csv-decimal <c>', '"," or "."')
      .action(
        app.act((ctx, name: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as AccountOptions;
          const db = ctx.db();
          if (!/^[\w.-]{1,40}$/.test(name)) throw new UsageError(`account name: "${name}" should be letters, digits, "-", "_" or "." (at most 40)`);
          let iban: string | null = null;
          if (o.iban !== undefined) {
            iban = o.iban.replace(/\s+/g, '').toUpperCase();
            if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) throw new UsageError(`--iban: "${o.iban}" is not an IBAN`);
          }
          const currency = (o.currency ?? getSetting(db, 'currency')).toUpperCase();
          if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency: "${o.currency}" is not an ISO 4217 code such as EUR`);
          const format = parseFormat(o.format) ?? null;
          const csv = csvMapping(o);
          const a = write(db, () => saveAccount(db, { name, iban, currency, format: csv && !format ? 'csv' : format, csv }, timestamp(ctx.io.now())));
          if (ctx.json) return printJson(ctx.io, a);
          if (!ctx.quiet) ctx.io.out(`Bank account ${a.name} saved${a.iban ? ` (${a.iban})` : ''}${a.csv ? `; CSV columns ${JSON.stringify(a.csv)}` : ''}\n`);
        }),
      ),
    [
      'relance bank account add pro --iban FR7630006000011234567890189',
      'relance bank account add perso --csv-date 1 --csv-label 2 --csv-debit 3 --csv-credit 4',
      'relance bank account add qonto --csv-profile fr-signed --csv-delimiter ,  --csv-decimal .',
    ],
  );
  examples(
    account
      .command('list')
      .description('the bank accounts, and the ready CSV profiles')
      .action(
        app.act((ctx) => {
          const db = ctx.db();
          const list = listAccounts(db);
          if (ctx.json) return printJson(ctx.io, { accounts: list, profiles: PROFILES });
          if (list.length) printTable(ctx.io, ['name', 'iban', 'currency', 'format', 'csv columns'], list.map((a) => [a.name, a.iban, a.currency, a.format ?? 'recognised', a.csv ? JSON.stringify(a.csv) : '']));
          else ctx.io.err('no bank account yet; the first import makes one named "main", or add one with "relance bank account add NAME"\n');
          if (!ctx.quiet) ctx.io.out(`CSV profiles: ${Object.entries(PROFILES).map(([k, v]) => `${k} (${v.description})`).join('; ')}\n`);
        }),
      ),
    ['relance bank account list', 'relance bank account list --json'],
  );
}
