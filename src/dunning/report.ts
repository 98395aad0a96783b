/** What a reminder run did (RunReport), its counts, and its JSON: data only, printed by the CLI. */
import type { IsoDate } from '../core/dates.js';
import type { Channel, RuleSummary, Skipped } from '../core/dunning.js';
import { centsToDecimal } from '../core/money.js';

export interface Outcome {
  client: string;
  level: number;
  channel: Channel;
  message: number | null;
  status: 'sent' | 'written' | 'failed' | 'planned' | 'uncertain';
  invoices: string[];
  file?: string | null;
  recipient?: string | null;
  subject?: string | null;
  error?: string;
}

export interface Uncertain {
  message: number;
  client: string;
  level: number;
  channel: string;
  messageId: string | null;
  since: string;
  /** Why it is uncertain (no reply after the data, a crashed run...). */
  why?: string | null;
}

export interface RunReport {
  asOf: IsoDate;
  dryRun: boolean;
  transport: string | null;
  outcomes: Outcome[];
  calls: { client: string; name: string; phone: string | null; level: number; invoices: string[] }[];
  skipped: Skipped[];
  uncertain: Uncertain[];
  settled: { message: number; status: string; why: string }[];
  failed: { client: string; level: number | null; error: string }[];
  lockNote: string | null;
  /** Which rule set each planned message's level (never a milder message after a stronger one). */
  rules?: RuleSummary[];
  /** Temp files of dead processes removed from the outbox and letters folders. */
  cleaned?: string[];
}

export function emptyReport(asOf: IsoDate, dryRun: boolean): RunReport {
  return { asOf, dryRun, transport: null, outcomes: [], calls: [], skipped: [], uncertain: [], settled: [], failed: [], lockNote: null };
}

/** 0, or 1 when a message failed or may or may not have gone out (cron sees it until it is resolved). */
export function exitOf(r: RunReport): number {
  return r.failed.length > 0 || r.uncertain.length > 0 ? 1 : 0;
}

/** Nothing sent, written, planned, asked for, failed or settled: what --quiet keeps silent. */
export function nothingHappened(r: RunReport): boolean {
  return r.outcomes.length === 0 && r.calls.length === 0 && r.failed.length === 0 && r.uncertain.length === 0 && r.settled.length === 0;
}

/** The counts of one run, as the log line and the --all summary give them. */
export interface DueCounts {
  /** Emails handed to the SMTP server. */
  sent: number;
  /** Emails written to the outbox folder (no SMTP server set). */
  written: number;
  /** Letters (PDF) written, to post. */
  letters: number;
  handovers: number;
  calls: number;
  skipped: number;
  failed: number;
  uncertain: number;
  /** With --dry-run: the messages that would be made. */
  planned: number;
}

/** How many outcomes of each kind (one pass). */
export function countsOf(r: RunReport): DueCounts {
  const c: DueCounts = { sent: 0, written: 0, letters: 0, handovers: 0, calls: r.calls.length, skipped: r.skipped.length, failed: r.failed.length, uncertain: r.uncertain.length, planned: 0 };
  for (const o of r.outcomes) {
    if (o.status === 'sent') c.sent++;
    else if (o.status === 'planned') c.planned++;
    else if (o.status === 'written') {
      if (o.channel === 'email') c.written++;
      else if (o.channel === 'letter') c.letters++;
      else if (o.channel === 'handover') c.handovers++;
    }
  }
  return c;
}

/** Why the planner left an invoice alone, for people. */
export const REASONS: Record<string, string> = {
  paid: 'paid',
  disputed: 'disputed',
  'stop-work': 'stop work',
  paused: 'paused',
  promise: 'promise to pay',
  'below-minimum': 'below minimum',
  uncertain: 'uncertain message',
  'all-levels-reached': 'all levels reached',
  'min-interval': 'minimum interval',
  'stronger-level': 'stronger level',
};

export function reportJson(r: RunReport) {
  const c = countsOf(r);
  const written = (channel: Channel) => r.outcomes.filter((o) => o.status === 'written' && o.channel === channel);
  return {
    asOf: r.asOf,
    dryRun: r.dryRun,
    transport: r.transport,
    messages: r.outcomes,
    sent: c.sent,
    outbox: c.written,
    letters: written('letter').map((o) => ({ client: o.client, level: o.level, file: o.file, message: o.message })),
    handovers: written('handover').map((o) => ({ client: o.client, file: o.file })),
    calls: r.calls,
    skipped: r.skipped.map((s) => ({ invoice: s.item.number, instalment: s.item.instalment, clientId: s.item.clientId, balance: centsToDecimal(s.item.balance), reason: s.reason, detail: s.detail })),
    uncertain: r.uncertain,
    settled: r.settled,
    failed: r.failed,
    rules: r.rules ?? [],
  };
}
