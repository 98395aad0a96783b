/**
 * The owner's digest (issue 20 §4): what the business (or the secretary, over every ledger) should
 * know about a period, as plain data built from the other report builders' reads: invoices that fell
 * overdue in the period and are still owed (overdue.ts), broken promises, calls to make and letters to
 * post (todo.ts), what was sent (the messages of the period: reminders, letters, invoices and quotes
 * sent on their own), money received (the payments of the period), the aging by bucket (overdue.ts's
 * totals) and the five largest debtors (balance.ts). Then its JSON (stable English keys, amounts as
 * decimal strings) and its sections in a language (the terminal's, or the business's for the email).
 */
import { BUCKETS, type Bucket } from '../core/aging.js';
import { addDays, daysBetween, type IsoDate } from '../core/dates.js';
import { formatMoney, type Cents } from '../core/money.js';
import type { Db } from '../store/db.js';
import { DOCUMENT_SEND_LEVEL } from '../store/document-sends.js';
import { listPayments } from '../store/payments.js';
import { listMessages } from '../store/reminders.js';
import { getSettings } from '../store/settings.js';
import { dec } from '../render/format.js';
import type { ChartBar } from '../render/aging-chart.js';
import type { ReportSection } from '../render/report-pdf.js';
import { t, type Lang } from '../i18n/index.js';
import { balanceReport } from './balance.js';
import { grandTotals, overdueReport, shownDueDate, totalsOf, withPromiseStatus, type Totals } from './overdue.js';
import { todoList } from './todo.js';

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/** Every list item names its ledger under --all (null for one ledger). */
interface Of {
  ledger: string | null;
}

export interface FellOverdue extends Of {
  client: string;
  name: string;
  invoice: string;
  dueDate: IsoDate;
  daysLate: number;
  balance: Cents;
  currency: string;
}

export interface BrokenPromise extends Of {
  client: string;
  promisedBy: IsoDate;
  amount: Cents;
  paid: Cents;
  invoices: string[];
}

export interface CallToMake extends Of {
  client: string;
  name: string;
  phone: string | null;
  level: number;
  since: IsoDate;
  invoices: string[];
}

export interface LetterToPost extends Of {
  client: string;
  level: number;
  produced: IsoDate;
  file: string | null;
  invoices: string[];
}

export type SentKind = 'reminder' | 'letter' | 'letter-copy' | 'handover' | 'document';

export interface Sent extends Of {
  date: IsoDate;
  client: string;
  kind: SentKind;
  /** The reminder level (null for a document sent on its own). */
  level: number | null;
  to: string | null;
  about: string;
  /** 'uncertain': the server took it and never answered. */
  status: 'sent' | 'written' | 'uncertain';
}

export interface Received extends Of {
  date: IsoDate;
  client: string;
  payment: number;
  amount: Cents;
  currency: string;
  method: string;
  invoices: string[];
  reversal: boolean;
}

export interface Debtor extends Of {
  client: string;
  name: string;
  currency: string;
  balance: Cents;
}

export interface Digest extends Period {
  /** The business's name (one ledger), or the ledgers' names (--all). */
  business: string;
  ledgers: string[];
  /** The currency of the chart (the ledger's). */
  currency: string;
  fellOverdue: FellOverdue[];
  brokenPromises: BrokenPromise[];
  calls: CallToMake[];
  letters: LetterToPost[];
  sent: Sent[];
  received: Received[];
  aging: Totals[];
  topDebtors: Debtor[];
  /** --all: the ledgers that could not be read, with why. */
  unreadable: { ledger: string; error: string }[];
}

const TOP = 5;

/** The digest of one ledger for a period (its end is the as-of date). */
export function buildDigest(db: Db, p: Period, ledger: string | null = null): Digest {
  const settings = getSettings(db);
  const report = withPromiseStatus(db, overdueReport(db, p.to));
  const span = daysBetween(p.from, p.to) + 1;
  const fellOverdue: FellOverdue[] = report.rows
    // First late day (as-of minus days late, plus one) inside the period.
    .filter((r) => r.item.daysLate > 0 && r.item.daysLate <= span)
    .map((r) => ({ ledger, client: r.item.clientCode, name: r.item.clientName, invoice: r.item.number, dueDate: shownDueDate(r.item), daysLate: r.item.daysLate, balance: r.item.balance, currency: r.item.currency }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoice.localeCompare(b.invoice));
  const todo = todoList(db, p.to);
  const sent: Sent[] = [];
  for (const m of listMessages(db, { since: p.from })) {
    if (m.as_of > p.to || m.channel === 'call') continue;
    if (m.status !== 'sent' && m.status !== 'written' && m.status !== 'sending') continue;
    const kind: SentKind = m.level === DOCUMENT_SEND_LEVEL ? 'document' : m.channel === 'letter' ? 'letter' : m.channel === 'handover' ? 'handover' : m.copy_of !== null ? 'letter-copy' : 'reminder';
    sent.push({ ledger, date: m.as_of, client: m.client_code, kind, level: kind === 'document' ? null : m.level, to: m.recipient, about: m.invoices ?? '', status: m.status === 'sending' ? 'uncertain' : m.status });
  }
  const received: Received[] = listPayments(db, { asOf: p.to })
    .filter((x) => x.date >= p.from && x.date <= p.to && x.method !== 'credit')
    .map((x) => ({
      ledger,
      date: x.date,
      client: x.clientCode,
      payment: x.id,
      amount: x.reversesId !== null ? -Math.abs(x.amount) : x.amount,
      currency: x.currency,
      method: x.method,
      invoices: [...new Set(x.allocations.map((a) => a.number))],
      reversal: x.reversesId !== null,
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.payment - b.payment);
  const balances = balanceReport(db, p.to);
  return {
    from: p.from,
    to: p.to,
    business: settings['business.name'],
    ledgers: ledger ? [ledger] : [],
    currency: settings.currency,
    fellOverdue,
    brokenPromises: todo.brokenPromises.map((x) => ({ ledger, client: x.clientCode, promisedBy: x.date, amount: x.target, paid: x.paid, invoices: x.documentNumbers })),
    calls: todo.calls.map((x) => ({ ledger, client: x.clientCode, name: x.clientName, phone: x.phone, level: x.level, since: x.asOf, invoices: x.documentNumbers })),
    letters: todo.letters.map((x) => ({ ledger, client: x.clientCode, level: x.level, produced: x.asOf, file: x.filePath, invoices: x.documentNumbers })),
    sent,
    received,
    aging: totalsOf(report.rows),
    topDebtors: largest(
      balances.clients.filter((c) => c.balance > 0).map((c) => ({ ledger, client: c.clientCode, name: c.clientName, currency: c.currency, balance: c.balance })),
      settings.currency,
    ),
    unreadable: [],
  };
}

/** The five largest balances, the chart's currency first. */
function largest(list: Debtor[], currency: string): Debtor[] {
  return [...list].sort((a, b) => Number(b.currency === currency) - Number(a.currency === currency) || b.balance - a.balance || a.client.localeCompare(b.client)).slice(0, TOP);
}

/** One digest over several ledgers (digest --all): every list with its ledger, the aging summed per currency. */
export function combineDigests(p: Period, parts: { ledger: string; digest: Digest }[], unreadable: { ledger: string; error: string }[]): Digest {
  const all = <K extends keyof Digest>(k: K) => parts.flatMap((x) => x.digest[k] as unknown as never[]);
  const currency = parts[0]?.digest.currency ?? 'EUR';
  return {
    ...p,
    business: parts.map((x) => x.digest.business || x.ledger).join(', '),
    ledgers: [...parts.map((x) => x.ledger), ...unreadable.map((u) => u.ledger)].sort(),
    currency,
    fellOverdue: all('fellOverdue'),
    brokenPromises: all('brokenPromises'),
    calls: all('calls'),
    letters: all('letters'),
    sent: all('sent'),
    received: all('received'),
    aging: grandTotals(parts.map((x) => x.digest.aging)),
    topDebtors: largest(all('topDebtors'), currency),
    unreadable,
  };
}

/** The period of the next digest: the day after the last one's end (else --since, else the 7 days) up to the as-of date. */
export function nextPeriod(asOf: IsoDate, since: IsoDate | undefined, lastEnd: IsoDate | undefined): Period {
  return { from: since ?? (lastEnd !== undefined ? addDays(lastEnd, 1) : addDays(asOf, -6)), to: asOf };
}

// ---------------------------------------------------------------------------------------------
// JSON

export function digestJson(d: Digest) {
  const led = (x: Of) => (x.ledger !== null ? { ledger: x.ledger } : {});
  return {
    period: { from: d.from, to: d.to },
    ledgers: d.ledgers,
    currency: d.currency,
    fellOverdue: d.fellOverdue.map((x) => ({ ...led(x), client: x.client, invoice: x.invoice, dueDate: x.dueDate, daysLate: x.daysLate, balance: dec(x.balance), currency: x.currency })),
    brokenPromises: d.brokenPromises.map((x) => ({ ...led(x), client: x.client, promisedBy: x.promisedBy, amount: dec(x.amount), paid: dec(x.paid), invoices: x.invoices })),
    calls: d.calls.map((x) => ({ ...led(x), client: x.client, phone: x.phone, level: x.level, since: x.since, invoices: x.invoices })),
    letters: d.letters.map((x) => ({ ...led(x), client: x.client, level: x.level, produced: x.produced, file: x.file, invoices: x.invoices })),
    sent: d.sent.map((x) => ({ ...led(x), date: x.date, client: x.client, kind: x.kind, level: x.level, to: x.to, about: x.about, status: x.status })),
    received: d.received.map((x) => ({ ...led(x), date: x.date, client: x.client, payment: x.payment, amount: dec(x.amount), currency: x.currency, method: x.method, invoices: x.invoices, reversal: x.reversal })),
    aging: Object.fromEntries(d.aging.map((a) => [a.currency, { ...Object.fromEntries(BUCKETS.map((b) => [b, dec(a.buckets[b])])), total: dec(a.buckets.total) }])),
    topDebtors: d.topDebtors.map((x) => ({ ...led(x), client: x.client, name: x.name, currency: x.currency, balance: dec(x.balance) })),
    unreadable: d.unreadable,
  };
}

// ---------------------------------------------------------------------------------------------
// In words: the same sections for the terminal, the email and the PDF

export const bucketLabel = (b: Bucket, lang: Lang): string => t(`digest.bucket.${b === 'not_due' ? 'not_due' : b === '90+' ? 'over_90' : b.replace('-', '_')}` as never, undefined, lang);

/** The chart's bars: the aging of the chart's currency (zero bars when nothing is owed). */
export function agingBars(aging: readonly Totals[], currency: string, lang: Lang): ChartBar[] {
  const a = aging.find((x) => x.currency === currency) ?? aging[0];
  const cur = a?.currency ?? currency;
  return BUCKETS.map((b) => ({ key: b, label: bucketLabel(b, lang), amount: a?.buckets[b] ?? 0, text: formatMoney(a?.buckets[b] ?? 0, cur, lang) }));
}

const KIND_KEY: Record<SentKind, string> = {
  reminder: 'digest.kind.reminder',
  letter: 'digest.kind.letter',
  'letter-copy': 'digest.kind.letter_copy',
  handover: 'digest.kind.handover',
  document: 'digest.kind.document',
};

/** The digest's sections as tables, in a language (column headers, cells, the "nothing" line). */
export function digestSections(d: Digest, lang: Lang): ReportSection[] {
  const m = (c: Cents, cur: string) => formatMoney(c, cur, lang);
  const tr = (k: string, p?: Record<string, string | number>) => t(k as never, p, lang);
  const multi = d.ledgers.length > 1 || d.unreadable.length > 0;
  const col = (k: string, right = false) => ({ header: tr(`digest.col.${k}`), right });
  const withLedger = <T extends Of>(cols: { header: string; right: boolean }[], rows: T[], cells: (x: T) => string[]) => ({
    columns: multi ? [col('ledger'), ...cols] : cols,
    rows: rows.map((x) => (multi ? [x.ledger ?? '', ...cells(x)] : cells(x))),
  });
  const section = (key: string, body: { columns: { header: string; right: boolean }[]; rows: string[][] }): ReportSection => ({ heading: tr(`digest.section.${key}`), empty: tr(`digest.empty.${key}`), ...body });
  // A letter is a file by nature: only an email written to the outbox (or uncertain) says so.
  const status = (x: Sent) => (x.status === 'sent' || (x.status === 'written' && x.kind === 'letter') ? '' : tr(`digest.status.${x.status}`));
  return [
    section('fell_overdue', withLedger([col('client'), col('invoice'), col('due'), col('days_late', true), col('balance', true)], d.fellOverdue, (x) => [x.client, x.invoice, x.dueDate, String(x.daysLate), m(x.balance, x.currency)])),
    section('broken_promises', withLedger([col('client'), col('promised_by'), col('promised', true), col('paid', true), col('invoices')], d.brokenPromises, (x) => [x.client, x.promisedBy, m(x.amount, d.currency), m(x.paid, d.currency), x.invoices.join(', ')])),
    section('calls', withLedger([col('client'), col('phone'), col('level', true), col('since'), col('invoices')], d.calls, (x) => [x.client, x.phone ?? '', String(x.level), x.since, x.invoices.join(', ')])),
    section('letters', withLedger([col('client'), col('level', true), col('produced'), col('invoices')], d.letters, (x) => [x.client, String(x.level), x.produced, x.invoices.join(', ')])),
    section('sent', withLedger([col('date'), col('client'), col('what'), col('to'), col('about')], d.sent, (x) => [x.date, x.client, `${tr(KIND_KEY[x.kind], { level: x.level ?? '' })}${status(x) ? ` (${status(x)})` : ''}`, x.to ?? '', x.about])),
    section('received', withLedger([col('date'), col('client'), col('amount', true), col('method'), col('invoices')], d.received, (x) => [x.date, x.client, m(x.amount, x.currency), x.reversal ? tr('digest.reversal') : tr(`digest.method.${x.method}`), x.invoices.join(', ')])),
    section('aging', { columns: [col('currency'), ...BUCKETS.map((b) => ({ header: bucketLabel(b, lang), right: true })), col('total', true)], rows: d.aging.map((a) => [a.currency, ...BUCKETS.map((b) => m(a.buckets[b], a.currency)), m(a.buckets.total, a.currency)]) }),
    section('top_debtors', withLedger([col('client'), col('name'), col('balance', true)], d.topDebtors, (x) => [x.client, x.name, m(x.balance, x.currency)])),
  ];
}

/** The title and the line under it. */
export function digestTitle(d: Digest, lang: Lang): { title: string; period: string } {
  return {
    title: d.ledgers.length > 1 ? t('digest.title_all', { n: d.ledgers.length }, lang) : t('digest.title', { business: d.business }, lang),
    period: d.from === d.to ? t('digest.period_day', { day: d.to }, lang) : t('digest.period', { from: d.from, to: d.to }, lang),
  };
}

/** Plain text: the terminal's print and the email's text part. */
export function digestText(d: Digest, lang: Lang): string {
  const { title, period } = digestTitle(d, lang);
  const out: string[] = [title, period, ''];
  for (const u of d.unreadable) out.push(t('digest.unreadable', { ledger: u.ledger, error: u.error }, lang));
  if (d.unreadable.length) out.push('');
  for (const s of digestSections(d, lang)) {
    out.push(t('digest.heading', { heading: s.heading }, lang));
    if (s.rows.length === 0) out.push(`  ${s.empty}`);
    else out.push(...plainTable(s));
    out.push('');
  }
  return out.join('\n');
}

function plainTable(s: ReportSection): string[] {
  const w = s.columns.map((c, i) => Math.max([...c.header].length, ...s.rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((v, i) => (s.columns[i]!.right ? v.padStart(w[i]! + v.length - [...v].length) : v.padEnd(w[i]! + v.length - [...v].length)))
      .join('  ')
      .trimEnd()}`;
  return [line(s.columns.map((c) => c.header)), ...s.rows.map(line)];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The email's HTML part: the chart as the inline image `cid`, then the same sections as tables. */
export function digestHtml(d: Digest, lang: Lang, cid: string): string {
  const { title, period } = digestTitle(d, lang);
  const cell = (v: string, right: boolean | undefined, tag = 'td') => `<${tag} style="padding:3px 8px;border-bottom:1px solid #ddd;text-align:${right ? 'right' : 'left'}">${esc(v)}</${tag}>`;
  const parts = [
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title></head>`,
    '<body style="font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#222">',
    `<h1 style="font-size:20px">${esc(title)}</h1>`,
    `<p>${esc(period)}</p>`,
    ...d.unreadable.map((u) => `<p style="color:#9b1c1c">${esc(t('digest.unreadable', { ledger: u.ledger, error: u.error }, lang))}</p>`),
    `<h2 style="font-size:16px">${esc(t('digest.section.chart', undefined, lang))}</h2>`,
    `<p><img src="cid:${cid}" width="700" height="260" alt="${esc(agingBars(d.aging, d.currency, lang).map((b) => `${b.label}: ${b.text}`).join(', '))}"></p>`,
  ];
  for (const s of digestSections(d, lang)) {
    parts.push(`<h2 style="font-size:16px">${esc(s.heading)}</h2>`);
    if (s.rows.length === 0) {
      parts.push(`<p style="color:#555"><em>${esc(s.empty)}</em></p>`);
      continue;
    }
    parts.push('<table style="border-collapse:collapse">', `<tr>${s.columns.map((c) => cell(c.header, c.right, 'th')).join('')}</tr>`);
    for (const r of s.rows) parts.push(`<tr>${r.map((v, i) => cell(v, s.columns[i]!.right)).join('')}</tr>`);
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
