/**
 * What `relance bank` prints and asks (cli/commands/bank.ts): outcomes, lines, the terminal review
 * of probable matches, and the account options (CSV column mappings).
 */
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { centsToDecimal, type Cents } from '../core/money.js';
import { money } from '../render/format.js';
import { CATALOGUES, t, tn, type MessageKey, type Params } from '../i18n/index.js';
import { PROFILES, DATE_FORMATS, type CsvMapping, type DateFormat } from '../bank/csv.js';
import { type ImportResult, type LineOutcome } from '../bank/engine.js';
import { STATEMENT_FORMATS, type Statement, type StatementFormat } from '../bank/types.js';
import { accountByIban, listAccounts, requireAccount, saveAccount, type BankAccount, type BankLine } from '../store/bank.js';
import { type Db } from '../store/db.js';
import { getSetting } from '../store/settings.js';
import { printJson, printTable } from '../render/output.js';
import type { Context } from './context.js';

export const m = (c: Cents, cur: string) => money(c, cur);

let patterns: { key: MessageKey; re: RegExp; names: string[]; literal: number }[] | undefined;

/**
 * A reason or note the ledger keeps in English (a match's why, a reversal's note) in the interface's
 * language: the English message it was made from is found by its shape and said again (its params too).
 */
export function relocalize(text: string | null): string {
  if (text === null || text === '') return text ?? '';
  patterns ??= Object.keys(CATALOGUES.en)
    .filter((k) => k.startsWith('books.match.') || k.startsWith('books.bank.engine.') || k === 'books.bank.undo.ref')
    .map((k) => {
      const en = CATALOGUES.en[k as MessageKey];
      const names: string[] = [];
      const re = en.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? (names.push(part.slice(1, -1)), '(.+?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
      return { key: k as MessageKey, re: new RegExp(`^${re}$`), names, literal: en.replace(/\{\w+\}/g, '').length };
    })
    // the most specific shape first: "reference to {numbers}; {credit} beyond..." before "reference to {numbers}"
    .sort((a, b) => b.literal - a.literal);
  for (const p of patterns) {
    const hit = p.re.exec(text);
    if (!hit) continue;
    const params: Params = {};
    p.names.forEach((n, i) => (params[n] = relocalize(hit[i + 1] ?? '')));
    return t(p.key, params);
  }
  return text;
}
export const dec = (c: Cents) => centsToDecimal(c);
export const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function lineId(text: string): number {
  const id = text.trim().replace(/^#/, '');
  if (!/^\d+$/.test(id)) throw new UsageError(t('books.bank.badLineId', { text }));
  return Number(id);
}

export function parseFormat(f: string | undefined): StatementFormat | undefined {
  if (f === undefined) return undefined;
  const v = f.toLowerCase().replace(/[^a-z0-9]/g, '');
  const alias: Record<string, StatementFormat> = { camt: 'camt053', camt053: 'camt053', xml: 'camt053', ofx: 'ofx', qfx: 'ofx', csv: 'csv', cfonb: 'cfonb120', cfonb120: 'cfonb120' };
  const r = alias[v];
  if (!r) throw new UsageError(t('books.bank.badFormat', { format: f, formats: STATEMENT_FORMATS.join(', ') }));
  return r;
}

/** The account named, else the one whose IBAN the statement gives, else the only one, else a new "main". */
export function resolveAccount(db: Db, name: string | undefined, st: Statement | null, createdAt: string): BankAccount {
  if (name !== undefined) return requireAccount(db, name);
  if (st?.accountId) {
    const byIban = accountByIban(db, st.accountId);
    if (byIban) return byIban;
  }
  const all = listAccounts(db);
  if (all.length === 1) return all[0]!;
  if (all.length > 1) throw new UsageError(t('books.bank.severalAccounts', { names: all.map((a) => a.name).join(', ') }));
  return saveAccount(db, { name: 'main', iban: st?.accountId ?? null, currency: st?.currency ?? getSetting(db, 'currency'), format: null, csv: null }, createdAt);
}

export function describe(o: LineOutcome, dryRun = false): string {
  if (o.known) return t('books.bank.result.known');
  const mt = o.match!;
  if (o.applied === 'reversal') return relocalize(mt.why);
  if (mt.kind === 'certain' || mt.kind === 'probable') {
    const what = mt.allocations.map((a) => a.number).join(' + ') || t('books.bank.result.clientCredit');
    const done = o.applied ? (dryRun ? t('books.bank.result.wouldPay') : t('books.bank.result.paid')) : mt.kind === 'probable' ? t('books.bank.result.probable') : t('books.bank.result.wouldPay');
    return `${t('books.bank.said', { what: done, why: what })}${mt.credit > 0 ? ` ${t('books.bank.result.credit', { amount: m(mt.credit, o.line.currency) })}` : ''}${mt.kind === 'probable' ? ` [${relocalize(mt.why)}]` : ''}`;
  }
  return t('books.bank.said', { what: t(`books.bank.kind.${mt.kind}`), why: relocalize(mt.why) });
}

export function outcomeJson(o: LineOutcome, dryRun: boolean) {
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

export function printResult(ctx: Context, r: ImportResult, dryRun: boolean): void {
  if (ctx.json) {
    return printJson(ctx.io, { account: r.account, file: r.file, format: r.format, dryRun, new: r.fresh, known: r.known, lines: r.lines.map((o) => outcomeJson(o, dryRun)) });
  }
  if (ctx.quiet) return;
  const shown = r.lines.filter((o) => !o.known);
  if (shown.length) {
    printTable(
      ctx.io,
      ['line', 'date', 'amount', 'label', 'result'].map((c) => t(`books.bank.col.${c}` as 'books.bank.col.line')),
      shown.map((o) => [dryRun ? '' : (o.lineId ?? ''), o.line.bookingDate, m(o.line.amount, o.line.currency), short(o.line.label), describe(o, dryRun)]),
      { right: [0, 2] },
    );
  }
  const count = (f: (o: LineOutcome) => boolean) => r.lines.filter(f).length;
  const paid = count((o) => o.applied === 'certain' || o.applied === 'probable');
  const probableLeft = count((o) => o.match?.kind === 'probable' && !o.applied);
  const unmatched = count((o) => o.match?.kind === 'unmatched');
  const summary = t(dryRun ? 'books.bank.import.summaryDry' : 'books.bank.import.summary', {
    lines: tn('books.bank.import.lines', r.lines.length),
    file: path.basename(r.file),
    account: r.account,
    fresh: r.fresh,
    known: r.known,
    paid,
    probable: probableLeft,
    unmatched,
  });
  ctx.io.out(`${summary}\n`);
  if (!dryRun && (probableLeft || unmatched)) ctx.io.out(`${t('books.bank.import.others')}\n`);
}

/** On a terminal: which probable matches to record. */
export async function review(ctx: Context, r: ImportResult): Promise<Set<string>> {
  const probables = r.lines.filter((o) => o.match?.kind === 'probable');
  const accepted = new Set<string>();
  if (probables.length === 0) return accepted;
  const { select, confirm } = await import('@inquirer/prompts');
  const certain = r.lines.filter((o) => o.match?.kind === 'certain' && !o.known);
  ctx.io.err(`${t('books.bank.review.head', { certain: tn('books.bank.review.certain', certain.length), n: probables.length })}\n`);
  for (const o of probables) ctx.io.err(`  ${o.line.bookingDate} ${m(o.line.amount, o.line.currency)} ${short(o.line.label, 50)} -> ${describe(o)}\n`);
  const how = await select({
    message: t('books.bank.review.ask'),
    choices: [
      { name: t('books.bank.review.all'), value: 'all' },
      { name: t('books.bank.review.each'), value: 'each' },
      { name: t('books.bank.review.skip'), value: 'skip' },
    ],
  });
  for (const o of probables) {
    if (how === 'all') accepted.add(o.identity);
    else if (how === 'each') {
      const mt = o.match!;
      const what = mt.kind === 'probable' ? mt.allocations.map((a) => a.number).join(' + ') : '';
      if (await confirm({ message: t('books.bank.review.one', { date: o.line.bookingDate, amount: m(o.line.amount, o.line.currency), label: short(o.line.label, 40), what }), default: true })) accepted.add(o.identity);
    }
  }
  return accepted;
}

export function lineRow(l: BankLine) {
  const result =
    l.status === 'matched'
      ? t(l.payments.length > 1 ? 'books.bank.status.paid.other' : 'books.bank.status.paid.one', { ids: l.payments.filter((p) => p.undoneBy === null).map((p) => `#${p.paymentId}`).join(', ') })
      : l.status === 'ignored'
        ? t('books.bank.status.ignored', { reason: relocalize(l.ignoredReason) })
        : l.payments.length
          ? `${t('books.bank.status.undone')}${l.note ? `; ${relocalize(l.note)}` : ''}`
          : l.note ? t('books.bank.said', { what: t(`books.bank.status.${l.status}` as 'books.bank.status.unmatched'), why: relocalize(l.note) }) : t(`books.bank.status.${l.status}` as 'books.bank.status.unmatched');
  return [l.id, l.bookingDate, l.account, m(l.amount, l.currency), short(l.label), result];
}

export function lineJson(l: BankLine) {
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

export interface AccountOptions {
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

export function column(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,3}$/.test(v.trim()) || Number(v) < 1) throw new UsageError(t('books.bank.csv.badColumn', { flag, value: v }));
  return Number(v);
}

export function csvMapping(o: AccountOptions): CsvMapping | null {
  const base = o.csvProfile === undefined ? undefined : PROFILES[o.csvProfile]?.mapping;
  if (o.csvProfile !== undefined && !base) throw new UsageError(t('books.bank.csv.badProfile', { profile: o.csvProfile, profiles: Object.keys(PROFILES).join(', ') }));
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
    if (d !== ';' && d !== ',' && d !== '\t') throw new UsageError(t('books.bank.csv.badDelimiter', { value: o.csvDelimiter }));
    given.delimiter = d;
  }
  if (o.csvDateFormat !== undefined) {
    if (!(DATE_FORMATS as readonly string[]).includes(o.csvDateFormat)) throw new UsageError(t('books.bank.csv.badDateFormat', { value: o.csvDateFormat, formats: DATE_FORMATS.join(', ') }));
    given.dateFormat = o.csvDateFormat as DateFormat;
  }
  if (o.csvDecimal !== undefined) {
    if (o.csvDecimal !== ',' && o.csvDecimal !== '.') throw new UsageError(t('books.bank.csv.badDecimal', { value: o.csvDecimal }));
    given.decimal = o.csvDecimal;
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<CsvMapping>;
  if (!base && Object.keys(defined).length === 0) return null;
  const mapping = { ...(base ?? { dateFormat: 'dd/mm/yyyy', decimal: ',' }), ...defined } as CsvMapping;
  if (given.amount !== undefined) {
    delete mapping.debit;
    delete mapping.credit;
  } else if (given.debit !== undefined || given.credit !== undefined) delete mapping.amount;
  if (!mapping.date) throw new UsageError(t('books.bank.csv.needDate'));
  if (!mapping.label) throw new UsageError(t('books.bank.csv.needLabel'));
  if (!mapping.amount && !(mapping.debit && mapping.credit)) throw new UsageError(t('books.bank.csv.needAmount'));
  return mapping;
}
