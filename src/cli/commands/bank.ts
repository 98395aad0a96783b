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
import { PROFILES, DATE_FORMATS, type CsvMapping } from '../../bank/csv.js';
import { applyMatch, importStatement, ledgerView, undoLine } from '../../bank/engine.js';
import { allocateInOrder } from '../../bank/match.js';
import { readStatement } from '../../bank/read.js';
import { STATEMENT_FORMATS, type StatementFormat } from '../../bank/types.js';
import { accountByIban, ignoreLine, listAccounts, listLines, rehearse, requireAccount, requireLine, saveAccount, type BankAccount } from '../../store/bank.js';
import { timestamp, write } from '../../store/db.js';
import { requireReceivable } from '../../store/payments.js';
import { getSetting } from '../../store/settings.js';
import { printJson, printTable } from '../../render/output.js';
import { examples, type App } from '../app.js';

import { m, dec, short, lineId, parseFormat, resolveAccount, printResult, review, lineRow, lineJson, type AccountOptions, column, csvMapping } from '../bank-output.js';
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
            const payments = applyMatch(db, id, l, items[0]!.clientId, allocations, 'manual', createdAt);
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
