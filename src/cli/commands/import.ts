/**
 * relance import clients|invoices FILE [--map COL=FIELD]... [--dry-run]: moving in from a spreadsheet
 * (CSV or XLSX). Every row is checked first (src/exchange/import-rows.ts); one bad row and nothing is
 * written, the error naming the file, row and column. What is already in the ledger is skipped, so the
 * same file imported twice creates nothing twice. One IMMEDIATE transaction per import.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal, formatMoney } from '../../core/money.js';
import { CLIENT_FIELDS, INVOICE_FIELDS, mapColumns, parseMaps, type FieldDef } from '../../exchange/columns.js';
import { planClientImport, planInvoiceImport, problemText, type Problem } from '../../exchange/import-rows.js';
import { readSheet, type Sheet } from '../../exchange/sheet.js';
import { timestamp, write } from '../../store/db.js';
import { clientNames, clientRefs, dueFromTerms, existingNumbers, importClients, importInvoices, levelsOf } from '../../store/imports.js';
import { getSettings } from '../../store/settings.js';
import { note, printJson, printTable, warn } from '../../render/output.js';
import { collect, examples, type App } from '../app.js';
import type { Context } from '../context.js';

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
  throw new UsageError(`${problemText(file, problems[0]!)}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''}; see them all with --dry-run)` : ''}; nothing was imported`);
}

function reportProblems(ctx: Context, file: string, problems: Problem[]): number {
  for (const p of problems) ctx.io.err(`relance: ${problemText(file, p)}\n`);
  if (problems.length > 0) ctx.io.err(`relance: ${problems.length} problem${problems.length > 1 ? 's' : ''} in ${file}; fix ${problems.length > 1 ? 'them' : 'it'} and run again (nothing was imported)\n`);
  return problems.length > 0 ? 2 : 0;
}

function record(sheet: Sheet, ctx: Context) {
  return { file: path.basename(sheet.file), sha256: sheet.sha256, rows: sheet.rows.length, at: timestamp(ctx.io.now()) };
}

export function registerImport(program: Command, app: App): void {
  const cmd = program.command('import').summary('moving in: clients and invoices from a sheet').description('bring clients and open invoices in from a spreadsheet (CSV or XLSX)');
  examples(cmd, ['relance import clients clients.csv --dry-run', 'relance import invoices factures.xlsx', 'relance import clients export.csv --map "Réf=code" --map "Divers=-"']);

  const withOptions = (c: Command, fields: FieldDef[]) =>
    c
      .option('--map <COL=FIELD>', `read column COL as FIELD (repeatable; "-" leaves it out). Fields: ${fields.map((f) => f.field).join(', ')}`, collect)
      .option('--dry-run', 'show what would be created and every problem; write nothing');

  examples(
    withOptions(cmd.command('clients').argument('<file>', '.csv or .xlsx; first row names the columns').description('import clients: code, name, email, addresses, SIREN, VAT number, language, B2C, terms, PO required, contact'), CLIENT_FIELDS).action(
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
          problems: plan.problems.map((p) => ({ ...p, text: problemText(file, p) })),
        };
        if (o.dryRun) {
          if (ctx.json) printJson(ctx.io, json);
          else {
            ctx.io.out(`${file}: would create ${plan.create.length} client${plan.create.length === 1 ? '' : 's'}${plan.existing.length ? `, ${plan.existing.length} already in the ledger` : ''}\n`);
            if (plan.create.length) printTable(ctx.io, ['row', 'code', 'name', 'email', 'kind', 'terms'], plan.create.map((r) => [r.row, r.code, r.fields.name, r.fields.email, r.fields.kind ?? 'b2b', r.fields.termsDays === null ? '' : `${r.fields.termsDays} d`]));
            if (columns.ignored.length) note(ctx.io, ctx.quiet, `columns left out: ${columns.ignored.map((c) => `"${c}"`).join(', ')} (read one with --map "COLUMN=FIELD")`);
          }
          return reportProblems(ctx, file, plan.problems);
        }
        if (ctx.json) return printJson(ctx.io, json);
        if (!ctx.quiet) ctx.io.out(`Imported ${plan.create.length} client${plan.create.length === 1 ? '' : 's'} from ${file}${plan.existing.length ? ` (${plan.existing.length} already in the ledger, left as they are)` : ''}\n`);
        if (columns.ignored.length) note(ctx.io, ctx.quiet, `columns left out: ${columns.ignored.map((c) => `"${c}"`).join(', ')}`);
      }),
    ),
    ['relance import clients clients.csv --dry-run', 'relance import clients clients.xlsx', 'relance import clients export.csv --map "Réf=code" --map "Raison=name"'],
  );

  examples(
    withOptions(
      cmd
        .command('invoices')
        .argument('<file>', '.csv or .xlsx; first row names the columns')
        .description('import open invoices: number, client, issue and due dates, amount incl. VAT (rate or amount excl. VAT), amount paid, last reminder level and date')
        .option('--as-of <date>', 'today, for the checks of the dates (default: today)'),
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
        const m = (c: number, cur: string) => formatMoney(c, cur, 'en');
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
          problems: plan.problems.map((p) => ({ ...p, text: problemText(file, p) })),
        };
        const notes = () => {
          if (assumed.length) warn(ctx.io, `no VAT rate nor amount excl. VAT for ${assumed.join(', ')}: ${settings.vat_exempt ? '' : '20 % assumed (add a "Taux TVA" column to say otherwise)'}`);
          if (plan.paidUp.length) note(ctx.io, ctx.quiet, `fully paid, left out: ${plan.paidUp.map((p) => `${p.number} (row ${p.row})`).join(', ')}`);
          if (columns.ignored.length) note(ctx.io, ctx.quiet, `columns left out: ${columns.ignored.map((c) => `"${c}"`).join(', ')} (read one with --map "COLUMN=FIELD")`);
        };
        if (o.dryRun) {
          if (ctx.json) printJson(ctx.io, json);
          else {
            ctx.io.out(`${file}: would create ${plan.create.length} open invoice${plan.create.length === 1 ? '' : 's'}${plan.existing.length ? `, ${plan.existing.length} already in the ledger` : ''}\n`);
            if (plan.create.length)
              printTable(
                ctx.io,
                ['row', 'number', 'client', 'issued', 'due', 'amount', 'paid', 'balance', 'last reminder'],
                plan.create.map((r) => [r.row, r.number, r.client.code, r.issueDate, r.dueDate, m(r.gross, r.currency), r.paid ? m(r.paid, r.currency) : '', m(r.gross - r.paid, r.currency), r.level === null ? '' : `level ${r.level} on ${r.reminderDate}`]),
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
            `Imported ${plan.create.length} open invoice${plan.create.length === 1 ? '' : 's'} from ${file}${reminded ? ` (${reminded} with their last reminder)` : ''}${plan.existing.length ? `; ${plan.existing.length} already in the ledger, left as they are` : ''}\n`,
          );
        }
        notes();
      }),
    ),
    ['relance import invoices factures.xlsx --dry-run', 'relance import invoices factures.csv --map "Relancé le=reminder-date"', 'relance import invoices open.xlsx --json'],
  );
}
