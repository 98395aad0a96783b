/**
 * Spreadsheet rows to what an import creates, checked row by row (pure: the ledger's state comes in
 * as plain data). Every problem names its row and column; the store writes nothing unless there is
 * none. A row already in the ledger (same client code and name, or same imported invoice with the
 * same client and amount) is "existing" and skipped, so importing a file twice creates nothing twice.
 */
import { CLIENT_CODE, CLIENT_EMAIL, CLIENT_LANG, CLIENT_SIREN, CLIENT_TERMS, CLIENT_VAT, addressLines } from '../core/client-checks.js';
import type { IsoDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { baseForGross, vatOn } from '../core/vat.js';
import type { ClientImportFields, ClientImportRow, ClientRef, ExistingNumber, InvoiceImportRow } from '../store/imports.js';
import type { ColumnMap } from './columns.js';
import { normaliseHeader } from './columns.js';
import { CellError, cellText, columnLetter, isBlank, msg, parseCellAmount, parseCellBool, parseCellDate, parseCellRate, render, type Msg, type SheetCell } from './sheet-cells.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';

/** What is wrong with a row, kept as a catalogue key and params: written when it is printed. */
export interface Problem {
  row: number | null;
  /** the column's header and letter */
  column: { header: string; letter: string } | null;
  msg: Msg;
}

/** "clients.csv row 3, column "Email" (C): ..." in `lang` (default: the interface's language). */
export function problemText(file: string, p: Problem, lang?: Lang): string {
  let where = p.row !== null ? t('books.cell.row', { file, row: p.row }, lang) : file;
  if (p.column) where = t('books.cell.at', { where, column: t('books.cell.column', p.column, lang) }, lang);
  return t('books.cell.problem', { where, message: render(p.msg, lang) }, lang);
}

/** A problem in --json: always English (scripts read it), whatever the interface's language. */
export function problemJson(file: string, p: Problem): { row: number | null; column: string | null; message: string; text: string } {
  return { row: p.row, column: p.column && t('books.cell.column', p.column, 'en'), message: render(p.msg, 'en'), text: problemText(file, p, 'en') };
}

/** A check of a row that failed, with what it says. */
class RowProblem extends Error {
  constructor(readonly msg: Msg) {
    super(msg.key);
  }
}
const refuse = (key: MessageKey, params?: Msg['params']): never => {
  throw new RowProblem(msg(key, params));
};

export type { ClientImportFields, ClientImportRow, ClientRef, ExistingNumber, InvoiceImportRow };

export interface SheetData {
  file: string;
  header: string[];
  rows: { row: number; cells: SheetCell[] }[];
}

/** Reads the mapped cells of one row, recording problems against their column. */
class RowReader {
  constructor(
    private readonly sheet: SheetData,
    private readonly map: ColumnMap,
    private readonly cells: SheetCell[],
    readonly row: number,
    private readonly problems: Problem[],
  ) {}
  column(field: string): Problem['column'] {
    const i = this.map.index.get(field);
    return i === undefined ? null : { header: this.sheet.header[i]!, letter: columnLetter(i) };
  }
  raw(field: string): SheetCell | undefined {
    const i = this.map.index.get(field);
    return i === undefined ? undefined : this.cells[i];
  }
  has(field: string): boolean {
    return !isBlank(this.raw(field));
  }
  text(field: string): string | null {
    const t = cellText(this.raw(field));
    return t === '' ? null : t;
  }
  fail(field: string | null, key: MessageKey, params?: Msg['params']): undefined {
    return this.failWith(field, msg(key, params));
  }
  failWith(field: string | null, m: Msg): undefined {
    this.problems.push({ row: this.row, column: field ? this.column(field) : null, msg: m });
    return undefined;
  }
  /** The cell parsed by `parse` (undefined when blank or wrong; wrong is recorded). */
  get<T>(field: string, parse: (c: SheetCell) => T): T | undefined {
    const c = this.raw(field);
    if (isBlank(c)) return undefined;
    try {
      return parse(typeof c === 'string' ? c.trim() : c!);
    } catch (err) {
      if (err instanceof CellError || err instanceof RowProblem) return this.failWith(field, err.msg);
      throw err;
    }
  }
  required<T>(field: string, parse: (c: SheetCell) => T, what: MessageKey): T | undefined {
    if (!this.has(field)) return this.fail(field, 'books.cell.missing', { what: msg(what) });
    return this.get(field, parse);
  }
}

/** The messages of the client schemas (core/client-checks.ts), by which a refusal is named. */
const CLIENT_REASONS: MessageKey[] = ['common.client.code', 'common.client.email', 'common.client.sirenDigits', 'common.client.sirenKey', 'common.client.vat', 'common.client.days', 'common.client.wholeDays', 'common.client.minDays', 'common.client.maxDays', 'common.client.lang'];

/** A zod schema's check as a cell parser (the same schemas as `client add`). */
function schema<T>(s: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }) {
  return (c: SheetCell): T => {
    const r = s.safeParse(cellText(c));
    if (r.success) return r.data;
    // The schema's message is one of its catalogue keys, written when the schema was built.
    const said = r.error.issues[0]?.message;
    const key = CLIENT_REASONS.find((k) => t(k) === said) ?? 'books.cell.invalidValue';
    return refuse('books.cell.invalid', { text: cellText(c), why: msg(key) });
  };
}

const sameName = (a: string, b: string) => normaliseHeader(a) === normaliseHeader(b);

// ---------------------------------------------------------------------------------------------- clients



export interface ClientPlan {
  create: ClientImportRow[];
  existing: { row: number; code: string; name: string }[];
  problems: Problem[];
}

function kindOf(c: SheetCell): 'b2b' | 'b2c' {
  const s = normaliseHeader(cellText(c));
  if (['b2c', 'particulier', 'consumer', 'consommateur', 'individual', 'personne physique'].includes(s)) return 'b2c';
  if (['b2b', 'professionnel', 'pro', 'entreprise', 'business', 'company', 'societe'].includes(s)) return 'b2b';
  return parseCellBool(c) ? 'b2c' : 'b2b';
}

/** SIREN, or the SIREN part of a SIRET (14 digits, both checked). */
function sirenOf(c: SheetCell): string {
  const digits = cellText(c).replace(/[\s\u00a0\u202f.]/g, '');
  if (/^\d{14}$/.test(digits)) return schema<string>(CLIENT_SIREN)(digits.slice(0, 9));
  return schema<string>(CLIENT_SIREN)(digits);
}

/** The clients rows: `existing` maps the ledger's client codes to their names. */
export function planClientImport(sheet: SheetData, map: ColumnMap, existing: ReadonlyMap<string, string>): ClientPlan {
  const problems: Problem[] = [];
  const create: ClientImportRow[] = [];
  const already: ClientPlan['existing'] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const r = new RowReader(sheet, map, cells, row, problems);
    const before = problems.length;
    const code = r.required('code', schema<string>(CLIENT_CODE), 'books.cell.what.code');
    const name = r.required('name', (c) => cellText(c), 'books.cell.what.name');
    const fields: ClientImportFields = {
      name: name ?? '',
      email: r.get('email', schema<string>(CLIENT_EMAIL)) ?? null,
      phone: r.text('phone'),
      address: r.get('address', (c) => addressLines(cellText(c))) ?? null,
      billingAddress: r.get('billing-address', (c) => addressLines(cellText(c))) ?? null,
      contactName: r.text('contact'),
      siren: r.get('siren', sirenOf) ?? null,
      vatNumber: r.get('vat-number', schema<string>(CLIENT_VAT)) ?? null,
      lang: r.get('lang', (c) => schema<'fr' | 'en'>(CLIENT_LANG)(cellText(c).toLowerCase().slice(0, 2))),
      kind: r.get('b2c', kindOf),
      termsDays: r.get('terms', (c) => schema<number>(CLIENT_TERMS)(cellText(c).replace(/\s*(jours?|days?|j|d)$/i, ''))) ?? null,
      poRequired: r.get('po-required', parseCellBool),
      notes: r.text('notes'),
    };
    if (code === undefined) continue;
    const dup = seen.get(code);
    if (dup !== undefined) {
      r.fail('code', 'books.cell.dupCode', { code, row: dup });
      continue;
    }
    seen.set(code, row);
    if (problems.length > before) continue;
    const known = existing.get(code);
    if (known !== undefined) {
      if (sameName(known, fields.name)) already.push({ row, code, name: known });
      else r.fail('code', 'books.cell.codeTaken', { code, known, name: fields.name });
      continue;
    }
    create.push({ row, code, fields });
  }
  return { create, existing: already, problems };
}

// ---------------------------------------------------------------------------------------------- invoices



export interface InvoiceContext {
  asOf: IsoDate;
  currency: string;
  vatExempt: boolean;
  /** the ledger's invoice.pattern: numbers it can produce would collide with the sequence */
  pattern: string;
  clients: readonly ClientRef[];
  /** issued documents by number (exact) */
  existing: ReadonlyMap<string, ExistingNumber>;
  /** the dunning levels that apply to a client (its override, else the ledger's policy) */
  levelsFor(clientId: number): readonly { level: number; name: string }[];
  /** due date from the client's terms, when the spreadsheet has none */
  dueFor(clientId: number, issueDate: IsoDate): IsoDate;
}


export interface InvoicePlan {
  create: InvoiceImportRow[];
  existing: { row: number; number: string }[];
  /** fully paid rows: not open, left out */
  paidUp: { row: number; number: string }[];
  problems: Problem[];
}

/** A regular expression matching every number the pattern can produce (any year, any sequence). */
export function patternRegex(pattern: string): RegExp {
  let re = '';
  let at = 0;
  const token = /\{(YYYY|YY|MM|seq(?::(\d{1,2}))?)\}/g;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (let m = token.exec(pattern); m; m = token.exec(pattern)) {
    re += esc(pattern.slice(at, m.index));
    const t = m[1]!;
    re += t === 'YYYY' ? '\\d{4}' : t === 'YY' || t === 'MM' ? '\\d{2}' : m[2] ? `\\d{${Number(m[2])},}` : '\\d+';
    at = m.index + m[0].length;
  }
  return new RegExp(`^${re}${esc(pattern.slice(at))}$`, 'i');
}

const OPERATIONS: Record<string, 'goods' | 'services' | 'both'> = {
  goods: 'goods',
  biens: 'goods',
  bien: 'goods',
  marchandises: 'goods',
  'livraison de biens': 'goods',
  services: 'services',
  service: 'services',
  prestation: 'services',
  prestations: 'services',
  'prestation de services': 'services',
  both: 'both',
  mixte: 'both',
  'biens et services': 'both',
  'goods and services': 'both',
};

function levelOf(c: SheetCell, levels: readonly { level: number; name: string }[]): number {
  const s = cellText(c);
  const byName = levels.find((l) => sameName(l.name, s));
  if (byName) return byName.level;
  const digits = /^\D*(\d+)\D*$/.exec(s);
  const n = typeof c === 'number' ? c : digits ? Number(digits[1]) : NaN;
  const hit = levels.find((l) => l.level === n);
  if (!hit) refuse('books.cell.notLevel', { text: s, levels: levels.map((l) => `${l.level} (${l.name})`).join(', ') });
  return hit!.level;
}

const money = (c: Cents) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

export function planInvoiceImport(sheet: SheetData, map: ColumnMap, ctx: InvoiceContext): InvoicePlan {
  const problems: Problem[] = [];
  const create: InvoiceImportRow[] = [];
  const existing: InvoicePlan['existing'] = [];
  const paidUp: InvoicePlan['paidUp'] = [];
  const seen = new Map<string, number>();
  const own = patternRegex(ctx.pattern);
  const byCode = new Map(ctx.clients.map((c) => [c.code, c]));
  const findClient = (text: string): ClientRef => {
    const exact = byCode.get(text);
    if (exact) return exact;
    const loose = ctx.clients.filter((c) => c.code.toLowerCase() === text.toLowerCase() || sameName(c.name, text));
    if (loose.length === 1) return loose[0]!;
    if (loose.length > 1) refuse('books.cell.ambiguousClient', { text, codes: { or: loose.map((c) => c.code) } });
    return refuse('books.cell.unknownClient', { text });
  };
  for (const { row, cells } of sheet.rows) {
    const r = new RowReader(sheet, map, cells, row, problems);
    const before = problems.length;
    const number = r.required('number', (c) => {
      const s = cellText(c);
      if (/[\u0000-\u001f]/.test(s) || s.length > 64) refuse('books.cell.notNumber', { text: s });
      return s;
    }, 'books.cell.what.number');
    const client = r.required('client', (c) => findClient(cellText(c)), 'books.cell.what.client');
    const issueDate = r.required('issue-date', parseCellDate, 'books.cell.what.issueDate');
    let dueDate = r.get('due-date', parseCellDate);
    const gross = r.required('amount', parseCellAmount, 'books.cell.what.amount');
    const net = r.get('net', parseCellAmount);
    const rate = r.get('vat-rate', parseCellRate);
    const paid = r.get('paid', parseCellAmount) ?? 0;
    const paidOn = r.get('paid-on', parseCellDate) ?? null;
    const level = client ? r.get('level', (c) => levelOf(c, ctx.levelsFor(client.id))) : undefined;
    const reminderDate = r.get('reminder-date', parseCellDate) ?? null;
    const operation = r.get('operation', (c) => {
      const o = OPERATIONS[normaliseHeader(cellText(c))];
      if (!o) refuse('books.cell.notOperation', { text: cellText(c) });
      return o!;
    }) ?? null;
    const currency = r.get('currency', (c) => {
      const s = cellText(c).toUpperCase();
      if (!/^[A-Z]{3}$/.test(s)) refuse('books.cell.notCurrency', { text: cellText(c) });
      return s;
    }) ?? ctx.currency;

    if (number !== undefined) {
      const dup = seen.get(number);
      if (dup !== undefined) r.fail('number', 'books.cell.dupNumber', { number, row: dup });
      else seen.set(number, row);
      const known = ctx.existing.get(number);
      if (dup === undefined && known) {
        if (!known.imported) r.fail('number', 'books.cell.ownInvoice', { number });
        else if (client && gross !== undefined && (known.clientId !== client.id || known.amountDue !== gross)) {
          r.fail('number', 'books.cell.otherImport', { number });
        } else if (problems.length === before) {
          existing.push({ row, number });
          continue;
        }
      } else if (dup === undefined && own.test(number)) {
        r.fail('number', 'books.cell.ownPattern', { number, pattern: ctx.pattern });
      }
    }
    if (issueDate !== undefined && issueDate > ctx.asOf) r.fail('issue-date', 'books.cell.future', { date: issueDate, asOf: ctx.asOf });
    if (issueDate !== undefined && dueDate !== undefined && dueDate < issueDate) r.fail('due-date', 'books.cell.dueBefore', { due: dueDate, issue: issueDate });
    if (gross !== undefined && gross <= 0) r.fail('amount', 'books.cell.notOwed', { amount: money(gross) });
    if (paid < 0) r.fail('paid', 'books.cell.negativePaid', { amount: money(paid) });
    if (paidOn !== null && issueDate !== undefined && (paidOn < issueDate || paidOn > ctx.asOf)) r.fail('paid-on', 'books.cell.between', { date: paidOn, issue: issueDate, asOf: ctx.asOf });
    if (paidOn !== null && paid === 0) r.fail('paid-on', 'books.cell.paidOnAlone');
    if (level !== undefined && reminderDate === null) r.fail('level', 'books.cell.levelAlone', { level });
    if (level === undefined && reminderDate !== null && !r.has('level')) r.fail('reminder-date', 'books.cell.dateAlone');
    if (reminderDate !== null && issueDate !== undefined && (reminderDate < issueDate || reminderDate > ctx.asOf)) {
      r.fail('reminder-date', 'books.cell.between', { date: reminderDate, issue: issueDate, asOf: ctx.asOf });
    }

    // The VAT: from the rate, from the amount excl. VAT, or both (which must agree to the cent).
    let vatBp = 0;
    let base = 0;
    let rateAssumed = false;
    if (gross !== undefined && gross > 0) {
      if (ctx.vatExempt) {
        if (rate !== undefined && rate !== 0) r.fail('vat-rate', 'books.cell.exemptRate');
        if (net !== undefined && net !== gross) r.fail('net', 'books.cell.exemptNet');
        base = gross;
      } else if (net !== undefined) {
        if (net <= 0 || net > gross) r.fail('net', 'books.cell.netRange', { net: money(net), gross: money(gross) });
        else {
          const rates = rate !== undefined ? [rate] : [2000, 1000, 550, 210, 0];
          const fit = rates.find((b) => Math.abs(vatOn(net, b) - (gross - net)) <= 1);
          if (fit === undefined) {
            if (rate !== undefined) r.fail('vat-rate', 'books.cell.rateMismatch', { gross: money(gross), net: money(net), rate: rate / 100 });
            else r.fail('net', 'books.cell.noRateFits', { gross: money(gross), net: money(net) });
          } else {
            vatBp = fit;
            base = net;
          }
        }
      } else {
        vatBp = rate ?? 2000;
        rateAssumed = rate === undefined;
        base = baseForGross(gross, vatBp);
      }
    }
    if (problems.length > before || number === undefined || client === undefined || issueDate === undefined || gross === undefined) continue;
    if (paid >= gross) {
      paidUp.push({ row, number });
      continue;
    }
    dueDate ??= ctx.dueFor(client.id, issueDate);
    create.push({
      row,
      number,
      client,
      issueDate,
      dueDate,
      currency,
      gross,
      net: base,
      vat: gross - base,
      vatBp,
      rateAssumed,
      paid,
      paidOn: paid > 0 ? (paidOn ?? issueDate) : null,
      level: level ?? null,
      reminderDate: level === undefined ? null : reminderDate,
      operation,
      po: r.text('po'),
    });
  }
  return { create, existing, paidUp, problems };
}
