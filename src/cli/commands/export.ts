/**
 * relance export fec | journal | csv: for the accountant and for spreadsheets. The books come from
 * src/exchange/entries.ts (one model for the FEC and the hledger journal), the CSV from core/csv.ts
 * (quoted, BOM, formulas neutralised). Read-only: nothing in the ledger changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { toCsv, type CsvCell } from '../../core/csv.js';
import { parseDate, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { centsToDecimal } from '../../core/money.js';
import { buildEntries, entryBalance } from '../../exchange/entries.js';
import { buildFec, fecFileName } from '../../exchange/fec.js';
import { buildJournal } from '../../exchange/journal.js';
import { listClients } from '../../store/clients.js';
import { listDocuments, settlement } from '../../store/documents.js';
import { bookData, importedIds, reminderRows } from '../../store/exports.js';
import { ALL_TIME, listPayments } from '../../store/payments.js';
import { getSettings } from '../../store/settings.js';
import { printJson } from '../../render/output.js';
import { examples, validate, type App } from '../app.js';
import type { Context } from '../context.js';
import { t } from '../../i18n/index.js';

const year = () => t('books.export.year');
const YEAR = () => z.coerce.number(year()).check(z.int(year()), z.minimum(1900, year()), z.maximum(9999, year()));

/** Write text to --out (a file; its folder must exist), or to stdout. */
function output(ctx: Context, text: string, out: string | undefined, what: string): string | null {
  if (out === undefined) {
    ctx.io.out(text);
    return null;
  }
  const file = path.resolve(ctx.io.cwd, out);
  if (!fs.existsSync(path.dirname(file))) throw new UsageError(t('books.export.noFolder', { dir: path.dirname(file) }));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(t('books.export.isFolder', { out, example: path.join(out, what) }));
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

function books(ctx: Context) {
  const db = ctx.db();
  const data = bookData(db);
  return { ...data, entries: buildEntries(data.docs, data.payments, data.clients), settings: getSettings(db) };
}

export function registerExport(program: Command, app: App): void {
  const cmd = program.command('export').summary(t('books.export.summary')).description(t('books.export.description'));
  examples(cmd, ['relance export fec --year 2026 --out ~/compta', 'relance export journal --out receivables.journal', 'relance export csv invoices --from 2026-01-01 --to 2026-12-31 --out factures.csv']);

  examples(
    cmd
      .command('fec')
      .description(t('books.export.fec.description'))
      .requiredOption('--year <year>', t('books.export.fec.opt.year'))
      .option('--out <dir>', t('books.export.fec.opt.out'))
      .option('--separator <tab|pipe>', t('books.export.fec.opt.separator'), 'tab')
      .action(
        app.act((ctx, o: { year: string; out?: string; separator: string }) => {
          const year = validate(YEAR(), o.year, '--year');
          const sep = o.separator === 'tab' ? '\t' : o.separator === 'pipe' ? '|' : undefined;
          if (!sep) throw new UsageError(t('books.export.fec.badSeparator', { value: o.separator }));
          const dir = path.resolve(ctx.io.cwd, o.out ?? '.');
          if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(t('books.export.fec.notFolder', { out: o.out }));
          const { entries, clients, settings } = books(ctx);
          const siren = settings['business.siren'];
          if (!siren) throw new UsageError(t('books.export.fec.noSiren'));
          const from: IsoDate = `${year}-01-01`;
          const to: IsoDate = `${year}-12-31`;
          for (const e of entries) if (entryBalance(e) !== 0) throw new Error(t('books.export.fec.unbalanced', { piece: e.piece, cents: entryBalance(e) }));
          const fec = buildFec(
            entries,
            clients,
            {
              accounts: {
                receivable: settings['accounts.receivable'],
                services: settings['accounts.services'],
                goods: settings['accounts.goods'],
                vat: settings['accounts.vat'],
                deposits: settings['accounts.deposits'],
                penalties: settings['accounts.penalties'],
                bank: settings['accounts.bank'],
              },
              journals: { sales: settings['journal.sales'], bank: settings['journal.bank'] },
            },
            { from, to, separator: sep },
          );
          const file = path.join(dir, fecFileName(siren, to));
          fs.writeFileSync(`${file}.tmp`, fec.text);
          fs.renameSync(`${file}.tmp`, file);
          if (fec.foreign.length) ctx.io.err(`${t('books.export.fec.foreign', { currencies: fec.foreign.join(', ') })}\n`);
          const summary = { file, year, entries: fec.entries, lines: fec.lines, debit: centsToDecimal(fec.debit), credit: centsToDecimal(fec.credit) };
          if (ctx.json) return printJson(ctx.io, summary);
          if (!ctx.quiet) ctx.io.out(`${t('books.export.fec.done', { file, entries: fec.entries, lines: fec.lines, debit: summary.debit, credit: summary.credit })}\n`);
        }),
      ),
    ['relance export fec --year 2026', 'relance export fec --year 2026 --out compta/ --separator pipe', 'relance ledger set accounts.services 706100'],
  );

  examples(
    cmd
      .command('journal')
      .description(t('books.export.journal.description'))
      .option('--out <file>', t('books.export.opt.out'))
      .option('--as-of <date>', t('books.export.journal.opt.asOf'))
      .addHelpText('after', `\n${t('books.export.journal.json')}\n`)
      .action(
        app.act((ctx, o: { out?: string; asOf?: string }) => {
          const to = o.asOf === undefined ? ALL_TIME : ctx.asOf(o.asOf);
          const { entries, clients, settings } = books(ctx);
          if (ctx.json && o.out === undefined) {
            const codes = new Map(clients.map((c) => [c.id, c.code]));
            return printJson(
              ctx.io,
              entries
                .filter((e) => e.date <= to)
                .map((e) => ({
                  date: e.date,
                  journal: e.journal,
                  piece: e.piece,
                  label: e.label,
                  currency: e.currency,
                  lines: e.lines.map((l) => ({ role: l.role, vatRate: l.vatBp === undefined ? null : l.vatBp / 100, client: l.clientId === undefined ? null : codes.get(l.clientId), amount: centsToDecimal(l.amount), letter: l.letter ?? null, letterDate: l.letterDate ?? null })),
                })),
            );
          }
          const text = buildJournal(
            entries.filter((e) => e.date <= to),
            clients,
            [`${settings['business.name']}: receivables exported by relance`, 'hledger -f THIS_FILE balance Assets:Receivables  # each client, as "relance balance"'],
          );
          const file = output(ctx, text, o.out, 'receivables.journal');
          if (file && !ctx.quiet) ctx.io.err(`${t('books.export.journal.done', { file, n: entries.filter((e) => e.date <= to).length })}\n`);
        }),
      ),
    ['relance export journal --out receivables.journal && hledger -f receivables.journal balance Assets:Receivables', 'relance export journal --as-of 2026-06-30 > h1.journal'],
  );

  const TABLES = ['invoices', 'payments', 'clients', 'reminders'] as const;
  examples(
    cmd
      .command('csv')
      .argument('<table>', TABLES.join(' | '))
      .description(t('books.export.csv.description'))
      .option('--from <date>', t('books.export.csv.opt.from'))
      .option('--to <date>', t('books.export.csv.opt.to'))
      .option('--out <file>', t('books.export.opt.out'))
      .option('--separator <comma|semicolon>', t('books.export.csv.opt.separator'), 'comma')
      .action(
        app.act((ctx, table: string, o: { from?: string; to?: string; out?: string; separator: string }) => {
          if (!(TABLES as readonly string[]).includes(table)) throw new UsageError(t('books.export.csv.unknownTable', { table, tables: TABLES.join(', ') }));
          const separator = o.separator === 'comma' ? ',' : o.separator === 'semicolon' ? ';' : undefined;
          if (!separator) throw new UsageError(t('books.export.csv.badSeparator', { value: o.separator }));
          const from = o.from === undefined ? '0000-01-01' : parseDate(o.from, '--from');
          const to = o.to === undefined ? ALL_TIME : parseDate(o.to, '--to');
          if (from > to) throw new UsageError(t('books.export.csv.fromAfterTo', { from, to }));
          const db = ctx.db();
          const d = (c: number | null | undefined) => (c === null || c === undefined ? null : centsToDecimal(c));
          let head: string[];
          let rows: CsvCell[][];
          if (table === 'invoices') {
            const docs = listDocuments(db, { kinds: ['invoice', 'deposit', 'final', 'penalty', 'credit_note'], issued: true, from, to });
            const codes = new Map(listClients(db).map((c) => [c.id, c.code]));
            const s = settlement(db, docs.map((x) => x.id), ALL_TIME);
            const imported = importedIds(db);
            const byId = new Map(docs.map((x) => [x.id, x]));
            head = ['number', 'kind', 'client', 'issue_date', 'due_date', 'currency', 'net', 'vat', 'gross', 'deposits_deducted', 'amount_due', 'paid', 'credited', 'balance', 'status', 'cancels', 'po_number', 'imported'];
            rows = docs.map((x) => {
              const st = s.get(x.id)!;
              return [x.number, x.kind, codes.get(x.clientId), x.issueDate, x.dueDate, x.currency, d(x.totalNet), d(x.totalVat), d(x.totalGross), d(x.deductedGross), d(x.amountDue), d(st.paid), d(st.credited), d(st.balance), st.status, x.cancelsId ? (byId.get(x.cancelsId)?.number ?? null) : null, x.poNumber, imported.has(x.id)];
            });
          } else if (table === 'payments') {
            const list = listPayments(db).filter((p) => p.date >= from && p.date <= to);
            head = ['id', 'date', 'client', 'amount', 'currency', 'method', 'reference', 'reverses', 'reversed_by', 'allocated_to', 'unallocated'];
            rows = list.map((p) => [p.id, p.date, p.clientCode, d(p.amount), p.currency, p.method, p.reference, p.reversesId, p.reversedById, p.allocations.map((a) => `${a.number} ${centsToDecimal(a.amount)}`).join('; '), d(p.unallocated)]);
          } else if (table === 'clients') {
            const list = listClients(db).filter((c) => c.createdAt.slice(0, 10) >= from && c.createdAt.slice(0, 10) <= to);
            head = ['code', 'name', 'email', 'phone', 'address', 'billing_address', 'delivery_address', 'contact', 'siren', 'vat_number', 'lang', 'kind', 'terms_days', 'terms_kind', 'po_required', 'billing_note', 'paused_until', 'stop_work', 'notes', 'created_at'];
            rows = list.map((c) => [c.code, c.name, c.email, c.phone, c.address, c.billingAddress, c.deliveryAddress, c.contactName, c.siren, c.vatNumber, c.lang, c.kind, c.termsDays, c.termsKind, c.poRequired, c.billingNote, c.pausedUntil, c.stopWork, c.notes, c.createdAt]);
          } else {
            head = ['date', 'client', 'invoice', 'instalment', 'level', 'channel', 'status', 'recipient', 'subject', 'penalties', 'indemnity', 'on_demand'];
            rows = reminderRows(db, from, to).map((r) => [r.date, r.client, r.number, r.instalment, r.level, r.channel, r.status, r.recipient, r.subject, d(r.penalty), d(r.indemnity), r.on_demand === null ? null : r.on_demand === 1]);
          }
          if (ctx.json) return printJson(ctx.io, rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? null]))));
          const file = output(ctx, toCsv(head, rows, { bom: true, separator }), o.out, `${table}.csv`);
          if (file && !ctx.quiet) ctx.io.err(`${t('books.export.csv.done', { file, n: rows.length, table: t(`books.export.table.${table}` as 'books.export.table.invoices') })}\n`);
        }),
      ),
    ['relance export csv invoices --out factures.csv', 'relance export csv payments --from 2026-01-01 --to 2026-03-31 --separator semicolon', 'relance export csv reminders > relances.csv'],
  );
}
