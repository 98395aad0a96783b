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
import { t } from '../../i18n/index.js';

import { m, dec, short, lineId, parseFormat, resolveAccount, printResult, review, lineRow, lineJson, type AccountOptions, column, csvMapping } from '../bank-output.js';
export function registerBank(program: Command, app: App): void {
  const bank = program.command('bank').description(t('books.bank.description')).summary(t('books.bank.summary'));
  examples(bank, [
    `relance bank import releve-2026-03.xml          # ${t('books.bank.example.review')}`,
    'relance bank import releve.csv --account pro --dry-run',
    'relance bank list --unmatched',
    'relance bank match 42 F-2026-0017,F-2026-0018',
    'relance bank account add pro --iban FR76... --csv-profile fr-debit-credit',
  ]);

  examples(
    bank
      .command('import')
      .argument('<file>', t('books.bank.import.arg.file'))
      .description(t('books.bank.import.description'))
      .option('--account <name>', t('books.bank.import.opt.account'))
      .option('--format <format>', t('books.bank.import.opt.format', { formats: STATEMENT_FORMATS.join(' | ') }))
      .option('--dry-run', t('books.bank.import.opt.dryRun'))
      .action(
        app.act(async (ctx, fileArg: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { account?: string; format?: string; dryRun?: boolean; input?: boolean };
          const db = ctx.db();
          const file = path.resolve(ctx.io.cwd, fileArg);
          let bytes: Buffer;
          try {
            bytes = fs.readFileSync(file);
          } catch (err) {
            throw new UsageError(t('books.bank.import.cannotRead', { file: fileArg, why: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
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
            return importStatement(db, { account, statement, file: fileArg, sha256, createdAt, accept, progress: statement.lines.length >= 5000 && !ctx.quiet ? (d, n) => ctx.io.err(`${t('books.bank.import.progress', { done: d, total: n })}\n`) : undefined });
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
      .description(t('books.bank.list.description'))
      .option('--unmatched', t('books.bank.list.opt.unmatched'))
      .option('--since <date>', t('books.bank.list.opt.since'))
      .option('--account <name>', t('books.bank.list.opt.account'))
      .action(
        app.act((ctx, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { unmatched?: boolean; since?: string; account?: string };
          const db = ctx.db();
          const since = o.since === undefined ? undefined : parseDate(o.since, '--since');
          const accountId = o.account === undefined ? undefined : requireAccount(db, o.account).id;
          const lines = listLines(db, { since, unmatched: o.unmatched, accountId });
          if (ctx.json) return printJson(ctx.io, { lines: lines.map(lineJson) });
          if (lines.length === 0) {
            ctx.io.err(`${o.unmatched ? t('books.bank.list.noneUnmatched') : t('books.bank.list.none')}\n`);
            return;
          }
          printTable(ctx.io, ['line', 'date', 'account', 'amount', 'label', 'status'].map((c) => t(`books.bank.col.${c}` as 'books.bank.col.line')), lines.map(lineRow), { right: [0, 3] });
        }),
      ),
    ['relance bank list', 'relance bank list --unmatched --since 2026-03-01', 'relance bank list --json'],
  );

  examples(
    bank
      .command('match')
      .argument('<line>', t('books.bank.match.arg.line'))
      .argument('<invoices>', t('books.bank.match.arg.invoices'))
      .description(t('books.bank.match.description'))
      .action(
        app.act((ctx, lineText: string, invoices: string) => {
          const db = ctx.db();
          const id = lineId(lineText);
          const createdAt = timestamp(ctx.io.now());
          const r = write(db, () => {
            const l = requireLine(db, id);
            if (l.status === 'matched') throw new UsageError(t('books.bank.match.already', { id }));
            if (l.amount <= 0) throw new UsageError(t('books.bank.match.moneyOut', { id, amount: m(l.amount, l.currency) }));
            const refs = invoices.split(',').map((s) => s.trim()).filter(Boolean).map((n) => requireReceivable(db, n));
            if (refs.length === 0) throw new UsageError(t('books.bank.match.noInvoices'));
            const view = ledgerView(db);
            const items = refs.map((r) => view.invoice(r.id, l.bookingDate));
            for (const it of items) {
              if (it.currency !== l.currency) throw new UsageError(t('books.bank.match.currency', { number: it.number, currency: it.currency, money: l.currency, id }));
              if (it.clientId !== items[0]!.clientId) throw new UsageError(t('books.bank.match.otherClient', { number: it.number, first: items[0]!.number }));
            }
            const { allocations, credit } = allocateInOrder(l.amount, items);
            const payments = applyMatch(db, id, l, items[0]!.clientId, allocations, 'manual', createdAt);
            return { l, allocations, credit, payments };
          });
          if (ctx.json) return printJson(ctx.io, { line: id, payments: r.payments, allocations: r.allocations.map((a) => ({ invoice: a.number, amount: dec(a.amount) })), credit: dec(r.credit) });
          if (!ctx.quiet) {
            const paid = r.allocations.map((a) => `${a.number} ${m(a.amount, r.l.currency)}`).join(', ') || t('books.bank.match.nothing');
            const credit = r.credit > 0 ? t('books.bank.match.credit', { amount: m(r.credit, r.l.currency) }) : '';
            ctx.io.out(`${t('books.bank.match.done', { id, amount: m(r.l.amount, r.l.currency), date: r.l.bookingDate, paid, credit, payments: r.payments.join(', #') })}\n`);
          }
        }),
      ),
    ['relance bank match 42 F-2026-0017', 'relance bank match 42 F-2026-0017,F-2026-0018'],
  );

  examples(
    bank
      .command('ignore')
      .argument('<line>', t('books.bank.arg.line'))
      .requiredOption('--reason <text>', t('books.bank.ignore.opt.reason'))
      .description(t('books.bank.ignore.description'))
      .action(
        app.act((ctx, lineText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { reason: string };
          const db = ctx.db();
          const id = lineId(lineText);
          const reason = o.reason.trim();
          if (!reason) throw new UsageError(t('books.bank.ignore.noReason'));
          write(db, () => {
            const l = requireLine(db, id);
            if (l.status === 'matched') throw new UsageError(t('books.bank.ignore.matched', { id }));
            ignoreLine(db, id, reason, timestamp(ctx.io.now()));
          });
          if (ctx.json) return printJson(ctx.io, lineJson(requireLine(db, id)));
          if (!ctx.quiet) ctx.io.out(`${t('books.bank.ignore.done', { id, reason })}\n`);
        }),
      ),
    ['relance bank ignore 43 --reason "bank loan"'],
  );

  examples(
    bank
      .command('undo')
      .argument('<line>', t('books.bank.arg.line'))
      .option('--date <date>', t('books.pay.undo.opt.date'))
      .description(t('books.bank.undo.description'))
      .action(
        app.act((ctx, lineText: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as { date?: string };
          const db = ctx.db();
          const id = lineId(lineText);
          const date = o.date === undefined ? ctx.io.today() : parseDate(o.date, '--date');
          const reversals = write(db, () => undoLine(db, id, date, t('books.bank.undo.ref', { id }, 'en'), timestamp(ctx.io.now())));
          if (ctx.json) return printJson(ctx.io, { line: id, reversals });
          if (!ctx.quiet) ctx.io.out(`${t(reversals.length > 1 ? 'books.bank.undo.done.other' : 'books.bank.undo.done.one', { id, reversals: reversals.join(', #') })}\n`);
        }),
      ),
    ['relance bank undo 42', 'relance bank undo 42 --date 2026-03-20'],
  );

  const account = bank.command('account').description(t('books.bank.account.description'));
  examples(account, ['relance bank account add pro --iban FR7630006000011234567890189', 'relance bank account list']);
  examples(
    account
      .command('add')
      .argument('<name>', t('books.bank.account.arg.name'))
      .description(t('books.bank.account.add.description'))
      .option('--iban <iban>', t('books.bank.account.opt.iban'))
      .option('--currency <code>', t('books.bank.account.opt.currency'))
      .option('--format <format>', t('books.bank.account.opt.format', { formats: STATEMENT_FORMATS.join(' | ') }))
      .option('--csv-profile <name>', t('books.bank.account.opt.csvProfile', { profiles: Object.keys(PROFILES).join(', ') }))
      .option('--csv-delimiter <c>', t('books.bank.account.opt.csvDelimiter'))
      .option('--csv-date <n>', t('books.bank.account.opt.csvDate'))
      .option('--csv-value-date <n>', t('books.bank.account.opt.csvValueDate'))
      .option('--csv-label <n>', t('books.bank.account.opt.csvLabel'))
      .option('--csv-detail <n>', t('books.bank.account.opt.csvDetail'))
      .option('--csv-amount <n>', t('books.bank.account.opt.csvAmount'))
      .option('--csv-debit <n>', t('books.bank.account.opt.csvDebit'))
      .option('--csv-credit <n>', t('books.bank.account.opt.csvCredit'))
      .option('--csv-currency <n>', t('books.bank.account.opt.csvCurrency'))
      .option('--csv-reference <n>', t('books.bank.account.opt.csvReference'))
      .option('--csv-date-format <f>', DATE_FORMATS.join(' | '))
      .option('--csv-decimal <c>', t('books.bank.account.opt.csvDecimal'))
      .action(
        app.act((ctx, name: string, _o: unknown, cmd: Command) => {
          const o = cmd.optsWithGlobals() as AccountOptions;
          const db = ctx.db();
          if (!/^[\w.-]{1,40}$/.test(name)) throw new UsageError(t('books.bank.account.badName', { name }));
          let iban: string | null = null;
          if (o.iban !== undefined) {
            iban = o.iban.replace(/\s+/g, '').toUpperCase();
            if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) throw new UsageError(t('books.bank.account.badIban', { iban: o.iban }));
          }
          const currency = (o.currency ?? getSetting(db, 'currency')).toUpperCase();
          if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(t('books.bank.account.badCurrency', { currency: o.currency }));
          const format = parseFormat(o.format) ?? null;
          const csv = csvMapping(o);
          const a = write(db, () => saveAccount(db, { name, iban, currency, format: csv && !format ? 'csv' : format, csv }, timestamp(ctx.io.now())));
          if (ctx.json) return printJson(ctx.io, a);
          if (!ctx.quiet) ctx.io.out(`${t('books.bank.account.saved', { name: a.name, iban: a.iban ? ` (${a.iban})` : '', csv: a.csv ? t('books.bank.account.savedCsv', { columns: JSON.stringify(a.csv) }) : '' })}\n`);
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
      .description(t('books.bank.account.list.description'))
      .action(
        app.act((ctx) => {
          const db = ctx.db();
          const list = listAccounts(db);
          if (ctx.json) return printJson(ctx.io, { accounts: list, profiles: PROFILES });
          if (list.length) printTable(ctx.io, ['name', 'iban', 'currency', 'format', 'csv'].map((c) => t(`books.bank.account.col.${c}` as 'books.bank.account.col.name')), list.map((a) => [a.name, a.iban, a.currency, a.format ?? t('books.bank.account.recognised'), a.csv ? JSON.stringify(a.csv) : '']));
          else ctx.io.err(`${t('books.bank.account.none')}\n`);
          if (!ctx.quiet) ctx.io.out(`${t('books.bank.account.profiles', { list: Object.keys(PROFILES).map((k) => `${k} (${t(`books.bank.profile.${k}` as 'books.bank.profile.fr-debit-credit')})`).join('; ') })}\n`);
        }),
      ),
    ['relance bank account list', 'relance bank account list --json'],
  );
}
