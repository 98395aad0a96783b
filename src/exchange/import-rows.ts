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
import { cellText, columnLetter, isBlank, parseCellAmount, parseCellBool, parseCellDate, parseCellRate, type SheetCell } from './sheet-cells.js';

export interface Problem {
  row: number | null;
  /** the column's header and letter, e.g. 'column "Email" (C)' */
  column: string | null;
  message: string;
}

export function problemText(file: string, p: Problem): string {
  return `${file}${p.row !== null ? ` row ${p.row}` : ''}${p.column ? `, ${p.column}` : ''}: ${p.message}`;
}

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
  column(field: string): string | null {
    const i = this.map.index.get(field);
    return i === undefined ? null : `column "${this.sheet.header[i]}" (${columnLetter(i)})`;
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
  fail(field: string | null, message: string): undefined {
    this.problems.push({ row: this.row, column: field ? this.column(field) : null, message });
    return undefined;
  }
  /** The cell parsed by `parse` (undefined when blank or wrong; wrong is recorded). */
  get<T>(field: string, parse: (c: SheetCell) => T): T | undefined {
    const c = this.raw(field);
    if (isBlank(c)) return undefined;
    try {
      return parse(typeof c === 'string' ? c.trim() : c!);
    } catch (err) {
      return this.fail(field, (err as Error).message);
    }
  }
  required<T>(field: string, parse: (c: SheetCell) => T, what: string): T | undefined {
    if (!this.has(field)) return this.fail(field, `${what} is missing`);
    return this.get(field, parse);
  }
}

/** A zod schema's check as a cell parser (the same schemas as `client add`). */
function schema<T>(s: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }) {
  return (c: SheetCell): T => {
    const r = s.safeParse(cellText(c));
    if (r.success) return r.data;
    throw new Error(`"${cellText(c)}" is not valid: ${r.error.issues[0]?.message ?? 'invalid value'}`);
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
    const code = r.required('code', schema<string>(CLIENT_CODE), 'the client code');
    const name = r.required('name', (c) => cellText(c), 'the name');
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
      r.fail('code', `the code "${code}" is already on row ${dup}; each client once`);
      continue;
    }
    seen.set(code, row);
    if (problems.length > before) continue;
    const known = existing.get(code);
    if (known !== undefined) {
      if (sameName(known, fields.name)) already.push({ row, code, name: known });
      else r.fail('code', `the code "${code}" is already in the ledger for "${known}", not "${fields.name}"; give this client another code or leave the row out`);
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
  if (!hit) throw new Error(`"${s}" is not a reminder level of the policy; use ${levels.map((l) => `${l.level} (${l.name})`).join(', ')}`);
  return hit.level;
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
    if (loose.length > 1) throw new Error(`"${text}" could be ${loose.map((c) => c.code).join(' or ')}; write the client code`);
    throw new Error(`unknown client "${text}"; import the clients first ("relance import clients FILE") or add it with "relance client add CODE --name ..."`);
  };
  for (const { row, cells } of sheet.rows) {
    const r = new RowReader(sheet, map, cells, row, problems);
    const before = problems.length;
    const number = r.required('number', (c) => {
      const s = cellText(c);
      if (/[\u0000-\u001f]/.test(s) || s.length > 64) throw new Error(`"${s}" is not an invoice number (64 characters at most, no control characters)`);
      return s;
    }, 'the invoice number');
    const client = r.required('client', (c) => findClient(cellText(c)), 'the client');
    const issueDate = r.required('issue-date', parseCellDate, 'the issue date');
    let dueDate = r.get('due-date', parseCellDate);
    const gross = r.required('amount', parseCellAmount, 'the amount incl. VAT');
    const net = r.get('net', parseCellAmount);
    const rate = r.get('vat-rate', parseCellRate);
    const paid = r.get('paid', parseCellAmount) ?? 0;
    const paidOn = r.get('paid-on', parseCellDate) ?? null;
    const level = client ? r.get('level', (c) => levelOf(c, ctx.levelsFor(client.id))) : undefined;
    const reminderDate = r.get('reminder-date', parseCellDate) ?? null;
    const operation = r.get('operation', (c) => {
      const o = OPERATIONS[normaliseHeader(cellText(c))];
      if (!o) throw new Error(`"${cellText(c)}" is not goods, services or both (biens, prestations, mixte)`);
      return o;
    }) ?? null;
    const currency = r.get('currency', (c) => {
      const s = cellText(c).toUpperCase();
      if (!/^[A-Z]{3}$/.test(s)) throw new Error(`"${cellText(c)}" is not a currency code such as EUR`);
      return s;
    }) ?? ctx.currency;

    if (number !== undefined) {
      const dup = seen.get(number);
      if (dup !== undefined) r.fail('number', `the number ${number} is already on row ${dup}; each invoice once`);
      else seen.set(number, row);
      const known = ctx.existing.get(number);
      if (dup === undefined && known) {
        if (!known.imported) r.fail('number', `${number} is already an invoice of this ledger (relance's own); an imported invoice keeps a number of its own`);
        else if (client && gross !== undefined && (known.clientId !== client.id || known.amountDue !== gross)) {
          r.fail('number', `${number} was already imported with another client or amount; fix the row or leave it out`);
        } else if (problems.length === before) {
          existing.push({ row, number });
          continue;
        }
      } else if (dup === undefined && own.test(number)) {
        r.fail('number', `${number} has the form of relance's own numbers (${ctx.pattern}) and would collide with its sequence; change the pattern first ("relance ledger set invoice.pattern ...") or import the invoice under its own number from the old tool`);
      }
    }
    if (issueDate !== undefined && issueDate > ctx.asOf) r.fail('issue-date', `${issueDate} is after today (${ctx.asOf}); an open invoice was issued already`);
    if (issueDate !== undefined && dueDate !== undefined && dueDate < issueDate) r.fail('due-date', `${dueDate} is before the issue date ${issueDate}`);
    if (gross !== undefined && gross <= 0) r.fail('amount', `${money(gross)} is not an amount owed; it must be more than zero (credit notes are not imported)`);
    if (paid < 0) r.fail('paid', `${money(paid)} cannot be less than zero`);
    if (paidOn !== null && issueDate !== undefined && (paidOn < issueDate || paidOn > ctx.asOf)) r.fail('paid-on', `${paidOn} must be between the issue date ${issueDate} and today (${ctx.asOf})`);
    if (paidOn !== null && paid === 0) r.fail('paid-on', 'a payment date without an amount paid; fill the amount already paid or clear the date');
    if (level !== undefined && reminderDate === null) r.fail('level', `reminder level ${level} without its date; give the date of the last reminder`);
    if (level === undefined && reminderDate !== null && !r.has('level')) r.fail('reminder-date', 'a reminder date without its level; give the level of the last reminder');
    if (reminderDate !== null && issueDate !== undefined && (reminderDate < issueDate || reminderDate > ctx.asOf)) {
      r.fail('reminder-date', `${reminderDate} must be between the issue date ${issueDate} and today (${ctx.asOf})`);
    }

    // The VAT: from the rate, from the amount excl. VAT, or both (which must agree to the cent).
    let vatBp = 0;
    let base = 0;
    let rateAssumed = false;
    if (gross !== undefined && gross > 0) {
      if (ctx.vatExempt) {
        if (rate !== undefined && rate !== 0) r.fail('vat-rate', 'the ledger is VAT-exempt (art. 293 B du CGI); its invoices carry no VAT');
        if (net !== undefined && net !== gross) r.fail('net', 'the ledger is VAT-exempt: the amount excl. VAT is the amount incl. VAT');
        base = gross;
      } else if (net !== undefined) {
        if (net <= 0 || net > gross) r.fail('net', `${money(net)} must be more than zero and at most the amount incl. VAT ${money(gross)}`);
        else {
          const rates = rate !== undefined ? [rate] : [2000, 1000, 550, 210, 0];
          const fit = rates.find((b) => Math.abs(vatOn(net, b) - (gross - net)) <= 1);
          if (fit === undefined) {
            r.fail(rate !== undefined ? 'vat-rate' : 'net', `${money(gross)} incl. VAT and ${money(net)} excl. VAT${rate !== undefined ? ` do not match a rate of ${rate / 100} %` : ' match no French VAT rate'}`);
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
