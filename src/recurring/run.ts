/**
 * The recurring-invoice run (`recurring run --due`, issue 20 §3), exactly once:
 *
 * 1. Issue. For each active schedule, every period due up to the run's day and not issued yet is
 *    issued in order, each with its own date (the invoice date is the period's day; missed periods
 *    are caught up one by one), each in ONE IMMEDIATE transaction that makes the invoice, issues it
 *    (its number) and inserts the (schedule, period) row whose primary key forbids a second issue.
 *    A kill -9 between two periods loses nothing (the next run issues the rest) and repeats nothing;
 *    a second run at once waits for the run lock, then finds every period claimed.
 * 2. Send. Every invoice a sending schedule issued and did not send yet (this run's, and those a
 *    killed run left) goes through `invoice send`'s path (delivery/documents.ts): recorded before it
 *    leaves, marked after; uncertain is never resent, and the period is not sent again.
 *
 * A client on stop work gets no invoice: its due periods are held (listed in the report and in
 * `todo`) and issued by the first run after stop work is lifted; a pause skips them (see resume).
 * An invoice issued before stop work began is still sent (it bills work done).
 * Numbers follow the calendar: a period older than the last invoice issued (a run that did not run
 * for a while, and an invoice made by hand since) is dated that last invoice's day, its period as
 * the service date.
 */
import { t } from '../i18n/index.js';
import type { IsoDate } from '../core/dates.js';
import { LockedError, UsageError } from '../core/errors.js';
import { centsToDecimal } from '../core/money.js';
import { checkLinesFit, computeLine, computeTotals } from '../core/vat.js';
import { formatBp } from '../core/numbers.js';
import { clientById } from '../store/clients.js';
import { timestamp, write, type Db } from '../store/db.js';
import { documentById, insertDocument, lastInvoiceDate, type Document } from '../store/documents.js';
import { issueWithEurRate } from '../store/eur-rates.js';
import { claimPeriod, duePeriods, listSchedules, markPeriodSent, periodIssued, periodsToSend, type HeldSchedule, type Schedule } from '../store/recurring.js';
import { acquireLock } from '../store/reminders.js';
import { getSettings, type Settings } from '../store/settings.js';
import type { Transport } from '../mail/transport.js';
import { checkBeforeIssue, issuedWarnings } from '../documents/mentions.js';
import { crashPoint } from '../system/crash.js';

export interface RecurringInput {
  db: Db;
  ledgerFile: string;
  asOf: IsoDate;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** A transport instead of the one the settings name (tests). Not closed by the run. */
  transport?: Transport;
  /** How long to wait for another run's lock before exit 3. */
  lockWaitMs: number;
}

export interface IssuedRow {
  schedule: number;
  client: string;
  period: IsoDate;
  /** null in a dry run. */
  number: string | null;
  date: IsoDate;
  total: number;
  currency: string;
}

export interface SentRow {
  schedule: number;
  number: string;
  status: 'sent' | 'written' | 'failed' | 'uncertain' | 'already';
  message: number | null;
  to: string[];
  error: string | null;
}

export interface RecurringReport {
  asOf: IsoDate;
  dryRun: boolean;
  issued: IssuedRow[];
  sent: SentRow[];
  /** Clients on stop work: their due periods, not issued. */
  held: HeldSchedule[];
  failed: { schedule: number; client: string; period: IsoDate | null; error: string }[];
  warnings: string[];
  lockNote: string | null;
}

/** The schedule's lines computed as `invoice new` computes them (a VAT-exempt ledger charges none). */
function linesOf(settings: Settings, s: Schedule) {
  if (settings.vat_exempt) {
    const l = s.lines.find((x) => x.vatBp !== 0);
    if (l) throw new UsageError(t('dunning.recurring.err.vat', { line: l.description, rate: formatBp(l.vatBp) }));
  }
  return checkLinesFit(s.lines.map(computeLine));
}

/** Issue one period: invoice made, issued and claimed in one transaction; null when it was claimed already. */
function issuePeriod(input: RecurringInput, settings: Settings, s: Schedule, period: IsoDate): { document: Document; warnings: string[] } | null {
  const { db } = input;
  return write(db, () => {
    if (periodIssued(db, s.id, period)) return null;
    const last = lastInvoiceDate(db);
    const date = last !== null && last > period ? last : period;
    const draft = insertDocument(
      db,
      {
        kind: 'invoice',
        clientId: s.clientId,
        currency: s.currency,
        createdOn: date,
        serviceDate: date !== period ? period : undefined,
        termsDays: s.termsDays ?? undefined,
        termsKind: s.termsKind ?? undefined,
        poNumber: s.poNumber ?? undefined,
        operation: s.operation ?? undefined,
        notes: s.notes ?? undefined,
      },
      linesOf(settings, s),
    );
    const missing = checkBeforeIssue(db, draft, undefined); // the ledger's invoice.strict refuses here (rolled back)
    const { document, warnings } = issueWithEurRate(db, draft, date, null);
    claimPeriod(db, s.id, period, document.id, s.send, timestamp(input.now()));
    return { document, warnings: [...issuedWarnings(document.number!, missing), ...warnings] };
  });
}

async function takeLock(input: RecurringInput) {
  try {
    return await acquireLock(input.db, 'recurring', { waitMs: input.lockWaitMs, now: input.now });
  } catch (err) {
    if (err instanceof LockedError) throw new LockedError(t('dunning.recurring.err.locked'));
    throw err;
  }
}

export function emptyRecurringReport(asOf: IsoDate, dryRun: boolean): RecurringReport {
  return { asOf, dryRun, issued: [], sent: [], held: [], failed: [], warnings: [], lockNote: null };
}

/** recurring run --due [--dry-run] [--schedule N]. */
export async function runRecurringDue(input: RecurringInput, o: { dryRun?: boolean; scheduleId?: number } = {}): Promise<RecurringReport> {
  const { db, asOf } = input;
  const report = emptyRecurringReport(asOf, Boolean(o.dryRun));
  const settings = getSettings(db);
  const schedules = listSchedules(db, { status: 'active' }).filter((s) => o.scheduleId === undefined || s.id === o.scheduleId);
  if (o.dryRun) {
    // The dates the real run would give: numbers follow the calendar, so a period older than the
    // last invoice is dated that invoice's day, and each period issued moves that day on.
    let last = lastInvoiceDate(db);
    for (const s of schedules) {
      const periods = duePeriods(db, s, asOf);
      if (!periods.length || archivedSkip(db, s, report)) continue;
      if (clientById(db, s.clientId).stopWork) report.held.push({ schedule: s.id, client: s.clientCode, periods });
      else {
        const gross = computeTotals(checkLinesFit(s.lines.map(computeLine))).gross;
        for (const p of periods) {
          const date = last !== null && last > p ? last : p;
          last = date;
          report.issued.push({ schedule: s.id, client: s.clientCode, period: p, number: null, date, total: gross, currency: s.currency });
        }
      }
    }
    return report;
  }

  // Nothing to issue or send: no lock taken, nothing written (remind --due runs this every night).
  if (!schedules.some((s) => duePeriods(db, s, asOf).length > 0) && periodsToSend(db).length === 0) return report;
  const lock = await takeLock(input);
  report.lockNote = lock.tookOver;
  try {
    // Read again under the lock: a run we waited for, or a pause, may have changed them.
    for (const s of listSchedules(db, { status: 'active' }).filter((x) => o.scheduleId === undefined || x.id === o.scheduleId)) {
      const periods = duePeriods(db, s, asOf);
      if (!periods.length || archivedSkip(db, s, report)) continue;
      if (clientById(db, s.clientId).stopWork) {
        report.held.push({ schedule: s.id, client: s.clientCode, periods });
        continue;
      }
      for (const period of periods) {
        let done: ReturnType<typeof issuePeriod>;
        try {
          done = issuePeriod(input, settings, s, period);
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          // The next periods of this schedule wait behind this one (they are issued in order).
          report.failed.push({ schedule: s.id, client: s.clientCode, period, error: err.message });
          break;
        }
        crashPoint('recurring-after-issue');
        if (!done) continue;
        const d = done.document;
        report.issued.push({ schedule: s.id, client: s.clientCode, period, number: d.number, date: d.issueDate!, total: d.amountDue, currency: d.currency });
        // The fix of a mention the schedule lacks is on the schedule, not on a new invoice.
        report.warnings.push(...done.warnings.map((w) => w.replace('relance invoice new ...', `relance recurring edit ${s.id}`)));
        await freeze(db, d, report);
      }
    }
    await sendIssued(input, settings, report, o.scheduleId);
  } finally {
    lock.release();
  }
  return report;
}

/**
 * A schedule of an archived client (archived before `client archive` refused one with a live
 * schedule) issues nothing and does not fail the nightly run: a warning says how to stop it.
 */
function archivedSkip(db: Db, s: Schedule, report: RecurringReport): boolean {
  if (clientById(db, s.clientId).archivedOn === null) return false;
  report.warnings.push(t('logo.recurring.archivedSkipped', { schedule: s.id, client: s.clientCode }));
  return true;
}

/** The issued invoice's PDF frozen now (as `invoice issue` does); on failure, at its first use. */
async function freeze(db: Db, d: Document, report: RecurringReport): Promise<void> {
  const { documentPdf } = await import('../documents/pdf.js');
  try {
    await documentPdf(db, d, d.issueDate!);
  } catch (err) {
    report.warnings.push(t('dunning.recurring.pdfLater', { number: d.number, error: (err as Error).message }));
  }
}

/**
 * Send what sending schedules issued and did not send: this run's invoices and a killed run's. One
 * already sent or maybe sent (a killed run between the send and its mark) is not sent again. An
 * uncertain fate stops the sending (the server is in doubt), as in `invoice send` of several.
 */
async function sendIssued(input: RecurringInput, settings: Settings, report: RecurringReport, scheduleId: number | undefined): Promise<void> {
  const { db } = input;
  const todo = periodsToSend(db).filter((p) => scheduleId === undefined || p.scheduleId === scheduleId);
  if (!todo.length) return;
  const docs = await import('../delivery/documents.js');
  const templates = await docs.documentTemplates(input.ledgerFile, settings);
  let transport: Transport | null = null;
  try {
    for (const p of todo) {
      const d = documentById(db, p.documentId)!;
      let prepared;
      try {
        prepared = await docs.prepareDocumentEmail(db, d, { asOf: input.asOf, ledgerFile: input.ledgerFile, templates });
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        report.sent.push({ schedule: p.scheduleId, number: d.number!, status: 'failed', message: null, to: [], error: t('dunning.recurring.nextRun', { error: err.message }) });
        continue;
      }
      if (prepared.previous.length > 0) {
        // Sent (or maybe sent) by `invoice send`, or by a run killed before it marked the period.
        write(db, () => markPeriodSent(db, d.id));
        const last = prepared.previous[prepared.previous.length - 1]!;
        report.sent.push({ schedule: p.scheduleId, number: d.number!, status: last.uncertain ? 'uncertain' : 'already', message: last.message, to: [], error: null });
        continue;
      }
      try {
        transport ??= input.transport ?? (await docs.openTransport(input.ledgerFile, settings, input.env));
      } catch (err) {
        // The invoices are issued already: a transport that cannot open (no password...) fails the sending, which the next run retries.
        if (!(err instanceof UsageError)) throw err;
        for (const q of todo.slice(todo.indexOf(p))) {
          const number = documentById(db, q.documentId)!.number!;
          report.sent.push({ schedule: q.scheduleId, number, status: 'failed', message: null, to: [], error: t('dunning.recurring.nextRun', { error: err.message }) });
        }
        break;
      }
      let res;
      try {
        res = await docs.sendPrepared({ db, transport, now: input.now, asOf: input.asOf, again: false }, prepared);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        write(db, () => markPeriodSent(db, d.id)); // another run sent it between prepare and record
        report.sent.push({ schedule: p.scheduleId, number: d.number!, status: 'already', message: null, to: [], error: null });
        continue;
      }
      if (res.status !== 'failed') write(db, () => markPeriodSent(db, d.id));
      report.sent.push({ schedule: p.scheduleId, number: d.number!, status: res.status, message: res.id, to: res.to, error: res.error ?? null });
      if (res.status === 'uncertain') break;
    }
  } finally {
    const t = transport as Transport | null;
    if (t && t !== input.transport) t.close();
  }
}

/** The run's exit status: 1 when something failed or may not have left, else 0. */
export function recurringExit(r: RecurringReport): number {
  return r.failed.length > 0 || r.sent.some((s) => s.status === 'failed' || s.status === 'uncertain') ? 1 : 0;
}

export function recurringReportJson(r: RecurringReport) {
  return {
    asOf: r.asOf,
    dryRun: r.dryRun,
    issued: r.issued.map((i) => ({ ...i, total: centsToDecimal(i.total) })),
    sent: r.sent,
    held: r.held.map((h) => ({ ...h, why: 'stop work' })),
    failed: r.failed,
    warnings: r.warnings,
  };
}
