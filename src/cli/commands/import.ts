/**
 * relance import clients|invoices FILE [--map COL=FIELD]... [--dry-run]: moving in from a spreadsheet
 * (CSV or XLSX). Every row is checked first (src/exchange/import-rows.ts); one bad row and nothing is
 * written, the error naming the file, row and column. What is already in the ledger is skipped, so the
 * same file imported twice creates nothing twice. One IMMEDIATE transaction per import.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal } from '../../core/money.js';
import { CLIENT_FIELDS, INVOICE_FIELDS, mapColumns, parseMaps, type FieldDef } from '../../exchange/columns.js';
import { planClientImport, planInvoiceImport, problemJson, problemText, type Problem } from '../../exchange/import-rows.js';
import { readSheet, type Sheet } from '../../exchange/sheet.js';
import { timestamp, write } from '../../store/db.js';
import { clientNames, clientRefs, dueFromTerms, existingNumbers, importClients, importInvoices, levelsOf } from '../../store/imports.js';
import { getSettings } from '../../store/settings.js';
import { note, printJson, printTable, warn } from '../../render/output.js';
import { collect, examples, type App } from '../app.js';
import type { Context } from '../context.js';
import { t, tn } from '../../i18n/index.js';
import { money } from '../../render/format.js';

interface ImportOptions {
  map?: string[];
  dryRun?: boolean;
  asOf?: string;
}

async function load(ctx: Context, file: string, fields: FieldDef[], o: ImportOptions) {
  const maps = parseMaps(o.map ?? [], fields);
  const sheet = await readSheet(ctx.io.cwd, file);
  const columns = mapColumns(file, sheet.header, fields, maps);
  return { sheet, columns };
}

/** One bad row: the first problem as the one-line error, and how many more there are. */
function refuse(file: string, problems: Problem[]): never {
  const more = problems.length - 1;
  throw new UsageError(t('books.import.refused', { problem: problemText(file, problems[0]!), more: more > 0 ? ` ${tn('books.import.more', more)}` : '' }));
}

function reportProblems(ctx: Context, file: string, problems: Problem[]): number {
  for (const p of problems) ctx.io.err(`relance: ${problemText(file, p)}\n`);
  if (problems.length > 0) ctx.io.err(`relance: ${tn('books.import.problems', problems.length, { file })}\n`);
  return problems.length > 0 ? 2 : 0;
}

function record(sheet: Sheet, ctx: Context) {
  return { file: path.basename(sheet.file), sha256: sheet.sha256, rows: sheet.rows.length, at: timestamp(ctx.io.now()) };
}

export function registerImport(program: Command, app: App): void {
  const cmd = program.command('import').summary(t('books.import.summary')).description(t('books.import.description'));
  examples(cmd, ['relance import clients clients.csv --dry-run', 'relance import invoices factures.xlsx', 'relance import clients export.csv --map "Réf=code" --map "Divers=-"']);

  const withOptions = (c: Command, fields: FieldDef[]) =>
    c
      .option('--map <COL=FIELD>', t('books.import.opt.map', { fields: fields.map((f) => f.field).join(', ') }), collect)
      .option('--dry-run', t('books.import.opt.dryRun'));

  examples(
    withOptions(cmd.command('clients').argument('<file>', t('books.import.arg.file')).description(t('books.import.clients.description')), CLIENT_FIELDS).action(
      app.act(async (ctx, file: string, o: ImportOptions) => {
        const { sheet, columns } = await load(ctx, file, CLIENT_FIELDS, o);
        const db = ctx.db();
        const planNow = () => planClientImport(sheet, columns, clientNames(db));
        // A real import checks again inside its transaction, so that no other writer slips in between.
        const plan = o.dryRun
          ? planNow()
          : write(db, () => {
              const p = planNow();
              if (p.problems.length) refuse(file, p.problems);
              if (p.create.length > 0) importClients(db, p.create, record(sheet, ctx));
              return p;
            });
        const json = {
          file,
          dryRun: Boolean(o.dryRun),
          create: plan.create.map((r) => ({ row: r.row, code: r.code, ...r.fields })),
          existing: plan.existing,
          ignoredColumns: columns.ignored,
          problems: plan.problems.map((p) => problemJson(file, p)),
        };
        if (o.dryRun) {
          if (ctx.json) printJson(ctx.io, json);
          else {
            ctx.io.out(`${t('books.import.clients.would', { file, clients: tn('books.import.clients.n', plan.create.length), existing: plan.existing.length ? t('books.import.existing', { n: plan.existing.length }) : '' })}\n`);
            if (plan.create.length) printTable(ctx.io, ['row', 'code', 'name', 'email', 'kind', 'terms'].map((c) => t(`books.import.col.${c}` as 'books.import.col.row')), plan.create.map((r) => [r.row, r.code, r.fields.name, r.fields.email, r.fields.kind ?? 'b2b', r.fields.termsDays === null ? '' : t('books.import.days', { n: r.fields.termsDays })]));
            if (columns.ignored.length) note(ctx.io, ctx.quiet, t('books.import.leftOutMap', { columns: columns.ignored.map((c) => `"${c}"`).join(', ') }));
          }
          return reportProblems(ctx, file, plan.problems);
        }
        if (ctx.json) return printJson(ctx.io, json);
        if (!ctx.quiet) ctx.io.out(`${t('books.import.clients.done', { clients: tn('books.import.clients.n', plan.create.length), file, existing: plan.existing.length ? ` ${t('books.import.clients.existing', { n: plan.existing.length })}` : '' })}\n`);
        if (columns.ignored.length) note(ctx.io, ctx.quiet, t('books.import.leftOut', { columns: columns.ignored.map((c) => `"${c}"`).join(', ') }));
      }),
    ),
    ['relance import clients clients.csv --dry-run', 'relance import clients clients.xlsx', 'relance import clients export.csv --map "Réf=code" --map "Raison=name"'],
  );

  examples(
    withOptions(
      cmd
        .command('invoices')
        .argument('<file>', t('books.import.arg.file'))
        .description(t('books.import.invoices.description'))
        .option('--as-of <date>', t('books.import.invoices.opt.asOf')),
      INVOICE_FIELDS,
    ).action(
      app.act(async (ctx, file: string, o: ImportOptions) => {
        const { sheet, columns } = await load(ctx, file, INVOICE_FIELDS, o);
        const db = ctx.db();
        const asOf = ctx.asOf(o.asOf);
        const settings = getSettings(db);
        const planNow = () =>
          planInvoiceImport(sheet, columns, {
            asOf,
            currency: settings.currency,
            vatExempt: settings.vat_exempt,
            pattern: settings['invoice.pattern'],
            clients: clientRefs(db),
            existing: existingNumbers(db),
            levelsFor: levelsOf(db),
            dueFor: dueFromTerms(db),
          });
        // A real import checks again inside its transaction, so that no other writer slips in between.
        const plan = o.dryRun
          ? planNow()
          : write(db, () => {
              const p = planNow();
              if (p.problems.length) refuse(file, p.problems);
              if (p.create.length > 0) importInvoices(db, p.create, record(sheet, ctx), asOf);
              return p;
            });
        const m = (c: number, cur: string) => money(c, cur);
        const assumed = plan.create.filter((r) => r.rateAssumed).map((r) => r.number);
        const json = {
          file,
          dryRun: Boolean(o.dryRun),
          create: plan.create.map((r) => ({
            row: r.row,
            number: r.number,
            client: r.client.code,
            issueDate: r.issueDate,
            dueDate: r.dueDate,
            currency: r.currency,
            amount: centsToDecimal(r.gross),
            net: centsToDecimal(r.net),
            vat: centsToDecimal(r.vat),
            vatRate: r.vatBp / 100,
            rateAssumed: r.rateAssumed,
            paid: centsToDecimal(r.paid),
            balance: centsToDecimal(r.gross - r.paid),
            reminderLevel: r.level,
            reminderDate: r.reminderDate,
          })),
          existing: plan.existing,
          paidUp: plan.paidUp,
          ignoredColumns: columns.ignored,
          problems: plan.problems.map((p) => problemJson(file, p)),
        };
        const notes = () => {
          if (assumed.length) warn(ctx.io, t('books.import.invoices.noRate', { numbers: assumed.join(', '), assumed: settings.vat_exempt ? '' : t('books.import.invoices.assumed') }));
          if (plan.paidUp.length) note(ctx.io, ctx.quiet, t('books.import.invoices.paidUp', { list: plan.paidUp.map((p) => t('books.import.invoices.row', { number: p.number, row: p.row })).join(', ') }));
          if (columns.ignored.length) note(ctx.io, ctx.quiet, t('books.import.leftOutMap', { columns: columns.ignored.map((c) => `"${c}"`).join(', ') }));
        };
        if (o.dryRun) {
          if (ctx.json) printJson(ctx.io, json);
          else {
            ctx.io.out(`${t('books.import.clients.would', { file, clients: tn('books.import.invoices.n', plan.create.length), existing: plan.existing.length ? t('books.import.existing', { n: plan.existing.length }) : '' })}\n`);
            if (plan.create.length)
              printTable(
                ctx.io,
                ['row', 'number', 'client', 'issued', 'due', 'amount', 'paid', 'balance', 'lastReminder'].map((c) => t(`books.import.col.${c}` as 'books.import.col.row')),
                plan.create.map((r) => [r.row, r.number, r.client.code, r.issueDate, r.dueDate, m(r.gross, r.currency), r.paid ? m(r.paid, r.currency) : '', m(r.gross - r.paid, r.currency), r.level === null ? '' : t('books.import.invoices.level', { level: r.level, date: r.reminderDate })]),
                { right: [5, 6, 7] },
              );
            notes();
          }
          return reportProblems(ctx, file, plan.problems);
        }
        if (ctx.json) return printJson(ctx.io, json);
        if (!ctx.quiet) {
          const reminded = plan.create.filter((r) => r.level !== null).length;
          ctx.io.out(
            `${t('books.import.invoices.done', { invoices: tn('books.import.invoices.n', plan.create.length), file, reminded: reminded ? ` ${t('books.import.invoices.reminded', { n: reminded })}` : '', existing: plan.existing.length ? t('books.import.invoices.existing', { n: plan.existing.length }) : '' })}\n`,
          );
        }
        notes();
      }),
    ),
    ['relance import invoices factures.xlsx --dry-run', 'relance import invoices factures.csv --map "Relancé le=reminder-date"', 'relance import invoices open.xlsx --json'],
  );
}
