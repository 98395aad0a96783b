/**
 * The dunning policy and the PURE planner of `remind --due` (spec: dunning.md).
 *
 * The planner receives everything it needs as plain data (open items as of the run date, the
 * reminders already recorded, the clients' pause / stop-work state, active promises to pay, the
 * policy) and returns what to send, grouped per client, plus every skipped invoice with its reason.
 * It never reads the clock, the ledger or the network, and it is linear in the number of items.
 */
import { addDays, daysBetween, type IsoDate } from './dates.js';
import { UsageError } from './errors.js';
import type { Cents } from './money.js';
import { t, type Lang } from '../i18n/index.js';
import { msg, render, type Msg } from '../i18n/msg.js';

export const CHANNELS = ['email', 'letter', 'call', 'handover'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface PolicyLevel {
  level: number;
  name: string;
  /** Days from the due date (negative = before it). */
  offsetDays: number;
  channels: Channel[];
  /** Template file name under templates/<lang>/<channel>/ (without .hbs). */
  template: string;
  claimsPenalties: boolean;
  claimsIndemnity: boolean;
  /** Minimum days since the previous reminder of the same invoice. */
  minIntervalDays: number;
}

export interface Policy {
  levels: PolicyLevel[];
  /** Invoices (or instalments) whose balance is below this are not reminded (cents). */
  minAmount: Cents;
  /** false: one level per run (never jump); true: go straight to the highest level due. */
  catchUp: boolean;
  /** A promise to pay stops reminders up to its date plus this grace. */
  promiseGraceDays: number;
  /** Deadline given by the mise en demeure, in days from the letter's date. */
  noticeDays: number;
  /** Attach the PDF of each invoice an email lists. */
  attachInvoices: boolean;
}

export const DEFAULT_POLICY: Policy = {
  levels: [
    { level: 0, name: 'rappel avant echeance', offsetDays: -3, channels: ['email'], template: 'courtesy', claimsPenalties: false, claimsIndemnity: false, minIntervalDays: 0 },
    { level: 1, name: 'relance amiable', offsetDays: 7, channels: ['email'], template: 'first', claimsPenalties: false, claimsIndemnity: false, minIntervalDays: 5 },
    { level: 2, name: 'deuxieme relance', offsetDays: 15, channels: ['email', 'call'], template: 'second', claimsPenalties: true, claimsIndemnity: true, minIntervalDays: 7 },
    { level: 3, name: 'mise en demeure', offsetDays: 30, channels: ['letter', 'email'], template: 'formal-notice', claimsPenalties: true, claimsIndemnity: true, minIntervalDays: 10 },
    { level: 4, name: 'transmission au recouvrement', offsetDays: 45, channels: ['handover'], template: 'handover', claimsPenalties: true, claimsIndemnity: true, minIntervalDays: 10 },
  ],
  minAmount: 0,
  catchUp: false,
  promiseGraceDays: 3,
  noticeDays: 8,
  attachInvoices: true,
};

/** What a per-client override (clients.policy_json) may change; absent keys fall back to the ledger's. */
export type PolicyOverride = Partial<Omit<Policy, 'levels'>> & { levels?: PolicyLevel[] };

export function mergePolicy(base: Policy, override: PolicyOverride | null | undefined): Policy {
  if (!override) return base;
  return { ...base, ...override, levels: override.levels ?? base.levels };
}

/** Check a policy read from the ledger or built by `policy set`; throws UsageError naming the problem. */
export function checkPolicy(p: Policy, where = t('common.policy.what')): Policy {
  if (!Array.isArray(p.levels) || p.levels.length === 0) throw new UsageError(t('common.policy.noLevel', { where }));
  const seen = new Set<number>();
  let prevOffset = -Infinity;
  const sorted = [...p.levels].sort((a, b) => a.level - b.level);
  for (const l of sorted) {
    if (!Number.isInteger(l.level) || l.level < 0 || l.level > 9) throw new UsageError(t('common.policy.levelRange', { where, level: l.level }));
    if (seen.has(l.level)) throw new UsageError(t('common.policy.twice', { where, level: l.level }));
    seen.add(l.level);
    if (!Number.isInteger(l.offsetDays) || Math.abs(l.offsetDays) > 3650) throw new UsageError(t('common.policy.offset', { where, level: l.level, offset: l.offsetDays }));
    if (l.offsetDays < prevOffset) throw new UsageError(t('common.policy.order', { where, level: l.level, previous: l.level - 1, offset: l.offsetDays, prevOffset }));
    prevOffset = l.offsetDays;
    if (!Array.isArray(l.channels) || l.channels.length === 0 || l.channels.some((c) => !CHANNELS.includes(c))) {
      throw new UsageError(t('common.policy.channels', { where, level: l.level, channels: CHANNELS.join(', ') }));
    }
    if (!/^[a-z0-9][a-z0-9_-]{0,40}$/.test(l.template)) throw new UsageError(t('common.policy.template', { where, level: l.level, template: l.template }));
    if (!Number.isInteger(l.minIntervalDays) || l.minIntervalDays < 0) throw new UsageError(t('common.policy.interval', { where, level: l.level }));
  }
  if (!Number.isInteger(p.minAmount) || p.minAmount < 0) throw new UsageError(t('common.policy.minAmount', { where }));
  if (!Number.isInteger(p.promiseGraceDays) || p.promiseGraceDays < 0) throw new UsageError(t('common.policy.grace', { where }));
  if (!Number.isInteger(p.noticeDays) || p.noticeDays < 1) throw new UsageError(t('common.policy.notice', { where }));
  return { ...p, attachInvoices: p.attachInvoices !== false, levels: sorted };
}

// ---------------------------------------------------------------------------------------------
// Planner input

/** One open invoice (instalment 0) or one instalment of a payment plan, as of the run date. */
export interface OpenItem {
  documentId: number;
  instalment: number;
  number: string;
  clientId: number;
  currency: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** Amount due on the invoice (or the instalment), cents incl. VAT. */
  amount: Cents;
  /** What is still unpaid as of the run date. */
  balance: Cents;
  disputed: boolean;
  paymentLink: string | null;
}

/** The latest reminder recorded for an (invoice, instalment), counting only those that went out or may have. */
export interface ReminderState {
  documentId: number;
  instalment: number;
  /** Highest level reached. */
  level: number;
  /** Date of the latest reminder. */
  lastDate: IsoDate;
  /** A message of this invoice is still 'sending' (a crashed run): its fate is unknown. */
  uncertainMessageId: number | null;
}

export interface ClientState {
  id: number;
  code: string;
  pausedUntil: IsoDate | null;
  stopWork: boolean;
}

/** An active promise to pay: for some invoices of a client, or the whole client when documentIds is null. */
export interface PromiseToPay {
  clientId: number;
  documentIds: number[] | null;
  date: IsoDate;
}

export interface PlanInput {
  asOf: IsoDate;
  items: readonly OpenItem[];
  reminders: readonly ReminderState[];
  clients: readonly ClientState[];
  promises: readonly PromiseToPay[];
  policy: Policy;
  /** Per-client policies (already merged), by client id. */
  clientPolicies?: ReadonlyMap<number, Policy>;
  /** Restrict to one client. */
  clientId?: number;
}

// ---------------------------------------------------------------------------------------------
// Planner output

export type SkipReason =
  | 'paid'
  | 'disputed'
  | 'stop-work'
  | 'paused'
  | 'promise'
  | 'below-minimum'
  | 'uncertain'
  | 'all-levels-reached'
  | 'min-interval'
  | 'stronger-level';

export interface Skipped {
  item: OpenItem;
  reason: SkipReason;
  /** One line for people, in English (--json), e.g. "client paused until 2026-03-31". */
  detail: string;
  /** The same line as a catalogue key, written in the interface's language on the terminal. */
  say: Msg;
}

/** A skip's line: English for --json, and its key for the terminal. */
const said = (key: Msg['key'], params?: Msg['params']) => {
  const say = msg(key, params);
  return { detail: render(say, 'en'), say };
};

export interface ListedItem extends OpenItem {
  daysLate: number;
  /** The level this run records for the item, or null when it is only listed. */
  newLevel: number | null;
  /** Highest level reached before this run, or null. */
  previousLevel: number | null;
}

/**
 * Which rule set the level of a client's message ("never a milder message after a stronger one"):
 * - 'due': the highest level due among the invoices it lists, on their own schedule;
 * - 'client-level': raised to the highest level an invoice it lists has already been in (an
 *   invoice, or any instalment of it, once in a message of level N is never listed at a lower level);
 * - 'on-demand': the level a person asked for; invoices already in a stronger message are left out.
 */
export interface LevelRule {
  applied: 'due' | 'client-level' | 'on-demand';
  /** The highest level due on the invoices' own schedules (the asked level on demand). */
  dueLevel: number;
  /** The message's level. */
  level: number;
  /** The invoice that had already been in a message of that level, when it raised the message. */
  heldBy: { invoice: string; level: number } | null;
  /** Invoices recorded at the message's level although their own next level is lower (they join it). */
  joined: string[];
  /** Invoices not listed because they were in a stronger message, or are not yet due and the message is stronger. */
  leftOut: string[];
}

export interface ClientPlan {
  clientId: number;
  clientCode: string;
  /** The message's level (see LevelRule): its template and channels are used. */
  level: PolicyLevel;
  /** Why the message has this level: the dry run prints it. */
  rule: LevelRule;
  policy: Policy;
  /** Every overdue (or reminded) invoice of the client that is not stopped, oldest due first. */
  items: ListedItem[];
  /** Whether the run asks for a call for this client. */
  call: boolean;
}

export interface Plan {
  asOf: IsoDate;
  clients: ClientPlan[];
  skipped: Skipped[];
}

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date, by arithmetic only (the civil-from-days algorithm):
 * the planner compares offsets for every open item, and Date objects would dominate its run time.
 */
export function dayNumber(s: IsoDate): number {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function itemKey(documentId: number, instalment: number): string {
  return `${documentId}/${instalment}`;
}

/** How people name an item: the invoice number, with /N for an instalment. */
export function itemLabel(i: { number: string; instalment: number }): string {
  return i.instalment ? `${i.number}/${i.instalment}` : i.number;
}

/** The highest level any reminder of a document (the invoice or any of its instalments) reached, and the latest date. */
function documentLevels(reminders: readonly ReminderState[]): Map<number, { level: number; lastDate: IsoDate }> {
  const out = new Map<number, { level: number; lastDate: IsoDate }>();
  for (const r of reminders) {
    const prev = out.get(r.documentId);
    if (!prev) out.set(r.documentId, { level: r.level, lastDate: r.lastDate });
    else {
      if (r.level > prev.level) prev.level = r.level;
      if (r.lastDate > prev.lastDate) prev.lastDate = r.lastDate;
    }
  }
  return out;
}

/** One line for people: which rule set the level of a client's message (English for JSON, or `lang`). */
export function describeRule(plan: Pick<ClientPlan, 'clientCode' | 'level' | 'rule'>, lang: Lang = 'en'): string {
  return describeLevelRule(plan.clientCode, plan.level.name, plan.rule, lang);
}

export function describeLevelRule(clientCode: string, levelName: string, r: LevelRule, lang: Lang = 'en'): string {
  const name = t('common.rule.level', { level: r.level, name: levelName }, lang);
  const joins = r.joined.length ? t(r.joined.length === 1 ? 'common.rule.joins.one' : 'common.rule.joins.other', { list: r.joined.join(', '), level: r.level }, lang) : '';
  const left = r.leftOut.length ? t('common.rule.leftOut', { list: r.leftOut.join(', ') }, lang) : '';
  if (r.applied === 'on-demand') {
    return t('common.rule.onDemand', { client: clientCode, name, joins, left: r.leftOut.length ? t('common.rule.leftOutStronger', { list: r.leftOut.join(', ') }, lang) : '' }, lang);
  }
  if (r.applied === 'client-level') {
    const held = r.heldBy ? t('common.rule.heldBy', { invoice: r.heldBy.invoice, level: r.heldBy.level }, lang) : t('common.rule.heldStronger', {}, lang);
    return t('common.rule.clientLevel', { client: clientCode, name, due: r.dueLevel, held, joins, left }, lang);
  }
  return t('common.rule.due', { client: clientCode, name, joins, left }, lang);
}

/** The level an item should reach this run, or null (and why not, when it is a skip). */
export function nextLevel(
  item: OpenItem,
  state: ReminderState | undefined,
  policy: Policy,
  asOf: IsoDate,
  days?: { due: number; asOf: number },
): { level: PolicyLevel } | { skip: SkipReason; detail: string; say: Msg } | null {
  const due = days?.due ?? dayNumber(item.dueDate);
  const today = days?.asOf ?? dayNumber(asOf);
  const reached = state ? state.level : -1;
  let chosen: PolicyLevel | null = null;
  for (const l of policy.levels) {
    if (l.level <= reached) continue;
    if (due + l.offsetDays > today) continue;
    // A reminder before the due date makes no sense once the invoice is late.
    if (l.offsetDays < 0 && today > due) continue;
    chosen = l;
    if (!policy.catchUp) break;
  }
  if (!chosen) {
    const last = policy.levels[policy.levels.length - 1];
    if (state && last && reached >= last.level) return { skip: 'all-levels-reached', ...said('dunning.skip.allReached', { level: reached, name: last.name }) };
    return null;
  }
  if (state) {
    const since = today - dayNumber(state.lastDate);
    if (since < chosen.minIntervalDays) {
      return { skip: 'min-interval', ...said('dunning.skip.minInterval', { since, date: state.lastDate, level: chosen.level, days: chosen.minIntervalDays }) };
    }
  }
  return { level: chosen };
}

/**
 * Plan a run. Linear: one pass over items, maps for reminders, clients and promises.
 * Skipped items are only those an automatic reminder would otherwise concern (due or overdue).
 */
export function planReminders(input: PlanInput): Plan {
  const { asOf } = input;
  const reminders = new Map<string, ReminderState>();
  for (const r of input.reminders) reminders.set(itemKey(r.documentId, r.instalment), r);
  const clients = new Map<number, ClientState>();
  for (const c of input.clients) clients.set(c.id, c);
  const today = dayNumber(asOf);
  const dueDays = new Map<string, number>();
  const dueDay = (d: IsoDate) => {
    let n = dueDays.get(d);
    if (n === undefined) dueDays.set(d, (n = dayNumber(d)));
    return n;
  };
  const promisedClients = new Map<number, IsoDate>();
  const promisedDocs = new Map<number, IsoDate>();
  for (const p of input.promises) {
    const until = addDays(p.date, (input.clientPolicies?.get(p.clientId) ?? input.policy).promiseGraceDays);
    if (until < asOf) continue;
    if (p.documentIds === null) {
      const prev = promisedClients.get(p.clientId);
      if (!prev || prev < p.date) promisedClients.set(p.clientId, p.date);
    } else {
      for (const d of p.documentIds) {
        const prev = promisedDocs.get(d);
        if (!prev || prev < p.date) promisedDocs.set(d, p.date);
      }
    }
  }

  /** An item the client's message may list: its own next level (or why not), its skip entry, whether it is late. */
  interface Candidate {
    listed: ListedItem;
    own: PolicyLevel | null;
    skip: Skipped | null;
    late: boolean;
    state: ReminderState | undefined;
  }
  interface Acc {
    client: ClientState;
    policy: Policy;
    cands: Candidate[];
    /** Over the late candidates: the highest level their invoices have been in, which one, and the latest reminder date. */
    floor: number;
    heldBy: Candidate | null;
    lastListed: IsoDate | null;
    /** The highest level due on the late candidates' own schedules. */
    dueTop: PolicyLevel | null;
    /** Whether a candidate not yet due has a level due (its courtesy reminder). */
    preDueOwn: boolean;
  }
  const byClient = new Map<number, Acc>();
  const skipped: Skipped[] = [];
  const docLevels = documentLevels(input.reminders);

  for (const item of input.items) {
    if (input.clientId !== undefined && item.clientId !== input.clientId) continue;
    const client = clients.get(item.clientId);
    if (!client) continue;
    const policy = input.clientPolicies?.get(item.clientId) ?? input.policy;
    const first = policy.levels[0];
    const due = dueDay(item.dueDate);
    // Items that no level concerns yet are not part of the run at all.
    if (!first || due + first.offsetDays > today) continue;
    const daysLate = Math.max(0, today - due);
    const skip = (reason: SkipReason, key: Msg['key'], params?: Msg['params']) => skipped.push({ item, reason, ...said(key, params) });
    if (item.balance <= 0) {
      skip('paid', 'dunning.skip.paid');
      continue;
    }
    if (item.disputed) {
      skip('disputed', 'dunning.skip.disputed');
      continue;
    }
    if (client.stopWork) {
      skip('stop-work', 'dunning.skip.stopWork');
      continue;
    }
    if (client.pausedUntil && client.pausedUntil >= asOf) {
      skip('paused', 'dunning.skip.paused', { until: client.pausedUntil });
      continue;
    }
    const promised = promisedDocs.get(item.documentId) ?? promisedClients.get(item.clientId);
    if (promised) {
      skip('promise', 'dunning.skip.promise', { date: promised, days: policy.promiseGraceDays });
      continue;
    }
    if (item.balance < policy.minAmount) {
      skip('below-minimum', 'dunning.skip.belowMinimum');
      continue;
    }
    const state = reminders.get(itemKey(item.documentId, item.instalment));
    let acc = byClient.get(item.clientId);
    if (!acc) {
      acc = { client, policy, cands: [], floor: -1, heldBy: null, lastListed: null, dueTop: null, preDueOwn: false };
      byClient.set(item.clientId, acc);
    }
    // An explicit literal: object spread is an order of magnitude slower over 100k items.
    const listed: ListedItem = {
      documentId: item.documentId,
      instalment: item.instalment,
      number: item.number,
      clientId: item.clientId,
      currency: item.currency,
      issueDate: item.issueDate,
      dueDate: item.dueDate,
      amount: item.amount,
      balance: item.balance,
      disputed: item.disputed,
      paymentLink: item.paymentLink,
      daysLate,
      newLevel: null,
      previousLevel: state ? state.level : null,
    };
    const late = daysLate > 0;
    let cand: Candidate | null = null;
    if (state?.uncertainMessageId != null) {
      skip('uncertain', 'dunning.skip.uncertain', { id: state.uncertainMessageId });
      if (late) cand = { listed, own: null, skip: skipped[skipped.length - 1]!, late, state };
    } else {
      const next = nextLevel(item, state, policy, asOf, { due, asOf: today });
      if (next && 'level' in next) {
        cand = { listed, own: next.level, skip: null, late, state };
        if (!late) acc.preDueOwn = true;
        else if (!acc.dueTop || next.level.level > acc.dueTop.level) acc.dueTop = next.level;
      } else {
        if (next) skipped.push({ item, reason: next.skip, detail: next.detail, say: next.say });
        if (late) cand = { listed, own: null, skip: next ? skipped[skipped.length - 1]! : null, late, state };
      }
    }
    if (!cand) continue;
    acc.cands.push(cand);
    if (late) {
      // Any instalment of the invoice counts: the document's level, not only this item's.
      const d = docLevels.get(item.documentId);
      if (d) {
        if (d.level > acc.floor) {
          acc.floor = d.level;
          acc.heldBy = cand;
        }
        if (acc.lastListed === null || d.lastDate > acc.lastListed) acc.lastListed = d.lastDate;
      }
    }
  }

  // Never a milder message after a stronger one (README, "The client's level"): the message takes
  // the highest level due or already reached by any invoice it lists (any instalment of it counts),
  // and every invoice it lists is recorded at that level.
  const drop = new Set<Skipped>();
  const plans: ClientPlan[] = [];
  for (const acc of byClient.values()) {
    if (!acc.dueTop && !acc.preDueOwn) continue;
    const { policy, floor, lastListed } = acc;
    const heldBy = acc.heldBy ? { invoice: acc.heldBy.listed.number, level: floor } : null;
    // An invoice not yet due is listed only in a message of its own level, never in a stronger one.
    const leftOut: string[] = [];
    const heldDetail = (lvl: number) => (heldBy ? msg('dunning.skip.heldBy', { invoice: heldBy.invoice, level: heldBy.level }) : msg('dunning.skip.clientAt', { level: lvl }));
    let dueTop = acc.dueTop;
    if (acc.preDueOwn) {
      for (const c of acc.cands) {
        if (!c.own || c.late) continue;
        const own = docLevels.get(c.listed.documentId)?.level ?? -1;
        if (own > c.own.level || floor > c.own.level) {
          const why = own > c.own.level ? msg('dunning.skip.ownStronger', { level: own }) : heldDetail(floor);
          skipped.push({ item: c.listed, reason: 'stronger-level', ...said('dunning.skip.notDueStronger', { why, level: c.own.level }) });
          leftOut.push(itemLabel(c.listed));
          c.own = null;
          continue;
        }
        if (!dueTop || c.own.level > dueTop.level) dueTop = c.own;
      }
    }
    if (!dueTop) continue;
    const want = Math.max(dueTop.level, floor);
    const level = want === dueTop.level ? dueTop : policy.levels.find((l) => l.level >= want);
    if (!level) {
      for (const c of acc.cands) if (c.own) skipped.push({ item: c.listed, reason: 'all-levels-reached', ...said('dunning.skip.noLevelAbove', { why: heldDetail(floor), level: want }) });
      continue;
    }
    const raised = level.level > dueTop.level;
    if (raised && lastListed !== null) {
      const since = today - dayNumber(lastListed);
      if (since < level.minIntervalDays) {
        for (const c of acc.cands) {
          if (!c.own) continue;
          skipped.push({ item: c.listed, reason: 'min-interval', ...said('dunning.skip.joins', { level: level.level, name: level.name, why: heldDetail(floor), since, date: lastListed, days: level.minIntervalDays }) });
        }
        continue;
      }
    }
    const items: ListedItem[] = [];
    const joined: string[] = [];
    for (const c of acc.cands) {
      if (!c.late && !c.own) continue;
      if (!c.late && c.own && c.own.level < level.level) {
        skipped.push({ item: c.listed, reason: 'stronger-level', ...said('dunning.skip.notDueInMessage', { level: level.level, own: c.own.level }) });
        leftOut.push(itemLabel(c.listed));
        continue;
      }
      const reached = c.state ? c.state.level : -1;
      if (reached < level.level) {
        c.listed.newLevel = level.level;
        if (!c.own || c.own.level < level.level) joined.push(itemLabel(c.listed));
        if (c.skip) drop.add(c.skip);
      }
      items.push(c.listed);
    }
    items.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : a.instalment - b.instalment));
    plans.push({
      clientId: acc.client.id,
      clientCode: acc.client.code,
      level,
      rule: { applied: raised ? 'client-level' : 'due', dueLevel: dueTop.level, level: level.level, heldBy: raised ? heldBy : null, joined, leftOut },
      policy,
      items,
      call: level.channels.includes('call'),
    });
  }
  plans.sort((a, b) => (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : 0));
  return { asOf, clients: plans, skipped: drop.size ? skipped.filter((s) => !drop.has(s)) : skipped };
}

/** On demand (`remind INVOICE --level N` / `remind --client C --level N`): a plan for one client at a chosen level. */
export function planOnDemand(
  clientId: number,
  clientCode: string,
  items: readonly OpenItem[],
  reminders: readonly ReminderState[],
  policy: Policy,
  levelNumber: number,
  asOf: IsoDate,
  onlyDocumentId?: number,
): ClientPlan {
  const level = policy.levels.find((l) => l.level === levelNumber);
  if (!level) throw new UsageError(t('common.policy.noSuchLevel', { level: levelNumber, levels: policy.levels.map((l) => l.level).join(', ') }));
  const states = new Map(reminders.map((r) => [itemKey(r.documentId, r.instalment), r]));
  const docLevels = documentLevels(reminders);
  const listed: ListedItem[] = [];
  const leftOut: string[] = [];
  const joined: string[] = [];
  for (const item of items) {
    if (item.clientId !== clientId || item.balance <= 0 || item.disputed) continue;
    const daysLate = Math.max(0, daysBetween(item.dueDate, asOf));
    // The invoice asked for, and every other invoice this level concerns: late ones, or (for a level
    // before the due date) those within its offset.
    const concerned = daysLate > 0 || (level.offsetDays < 0 && addDays(item.dueDate, level.offsetDays) <= asOf);
    const targeted = onlyDocumentId === undefined ? concerned : item.documentId === onlyDocumentId;
    if (!targeted && !concerned) continue;
    // Never a milder message after a stronger one: an invoice (or any instalment of it) already in a
    // message of a higher level is not listed; asked for by number, it is refused.
    const had = docLevels.get(item.documentId)?.level ?? -1;
    if (had > level.level) {
      if (onlyDocumentId !== undefined && targeted) {
        const l = policy.levels.find((x) => x.level === had);
        throw new UsageError(
          t('common.dunning.milder', { number: item.number, had, name: l ? ` (${l.name})` : '', level: level.level, client: clientCode }),
        );
      }
      leftOut.push(itemLabel(item));
      continue;
    }
    const state = states.get(itemKey(item.documentId, item.instalment));
    const reached = state?.level ?? -1;
    // Every invoice the message lists is recorded at its level (it joins it), so no later message lists it lower.
    const newLevel = reached < level.level ? level.level : null;
    if (newLevel !== null && !targeted) joined.push(itemLabel(item));
    listed.push({ ...item, daysLate, previousLevel: state ? state.level : null, newLevel });
  }
  if (leftOut.length > 0 && !listed.some((i) => i.newLevel !== null)) {
    throw new UsageError(
      t('common.dunning.allMilder', { client: clientCode, level: level.level, invoices: leftOut.join(', ') }),
    );
  }
  listed.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.documentId - b.documentId));
  const rule: LevelRule = { applied: 'on-demand', dueLevel: level.level, level: level.level, heldBy: null, joined, leftOut };
  return { clientId, clientCode, level, rule, policy, items: listed, call: level.channels.includes('call') };
}

/** What the dry run and --json say about a planned message's level: the rule and one line for people. */
export interface RuleSummary extends LevelRule {
  client: string;
  text: string;
  /** not in JSON: the level's name, for the line in the interface's language */
  levelName?: string;
}

/** The summary's line in a language (its `text` is English, for JSON). */
export function describeSummary(s: RuleSummary, lang: Lang): string {
  return s.levelName === undefined ? s.text : describeLevelRule(s.client, s.levelName, s, lang);
}

export function ruleSummary(plan: Pick<ClientPlan, 'clientCode' | 'level' | 'rule'>): RuleSummary {
  const summary: RuleSummary = { client: plan.clientCode, ...plan.rule, text: describeRule(plan) };
  Object.defineProperty(summary, 'levelName', { value: plan.level.name, enumerable: false });
  return summary;
}
