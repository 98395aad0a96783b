/**
 * The invoice PDFs reminders carry: attached to an email when the policy says so, and always in a
 * collection file. Stored (frozen) PDFs are read in one query; an invoice issued before PDFs were
 * stored is rendered once per run and frozen in the transaction that records the messages.
 */
import { addDays } from '../core/dates.js';
import type { ClientPlan } from '../core/dunning.js';
import type { Client } from '../store/clients.js';
import { postingOf } from '../store/contacts.js';
import type { Db } from '../store/db.js';
import { documentById, freezesPdf, storedPdfs } from '../store/documents.js';
import { clientContacts, clientReminderHistory } from '../store/reminders.js';
import { currentLogoImage } from '../store/logos.js';
import type { Settings } from '../store/settings.js';
import type { Attachment } from '../mail/transport.js';
import type { CollectionInput } from '../render/collection.js';
import type { MessageContext } from '../render/templates.js';
import type { ItemPenalties } from '../store/receivables.js';
import { safeName } from '../system/files.js';

export interface ChunkPdfs {
  /** document id -> the PDF bytes (stored, or rendered for this run) */
  bytes: Map<number, Buffer>;
  /** rendered in this run and not stored yet: stored when the chunk is recorded */
  fresh: Map<number, Buffer>;
  /** document id -> why its PDF could not be made (that client's email fails, the others go) */
  errors: Map<number, string>;
}

/** What of a message's plan its PDFs need: the policy (attach or not) and the invoices it lists. */
export interface Carried {
  policy: { attachInvoices: boolean };
  items: readonly { documentId: number; number: string }[];
}

/** What of a rendered message the PDFs need. */
export interface PdfNeed {
  plan: Carried;
  client: Client;
  channels: readonly string[];
}

/** Whether a message carries the invoices' PDFs: an email when the policy attaches them, a collection file always. */
export function needsPdfs(r: PdfNeed): boolean {
  return (r.channels.includes('email') && r.plan.policy.attachInvoices) || r.channels.includes('handover');
}

/** The PDFs of the invoices the messages of a chunk carry (pdfkit loaded only when one must be rendered). */
export async function chunkPdfs(db: Db, settings: Settings, chunk: readonly PdfNeed[]): Promise<ChunkPdfs> {
  const clientOf = new Map<number, Client>();
  for (const r of chunk) for (const i of r.plan.items) clientOf.set(i.documentId, r.client);
  const want = new Set<number>();
  for (const r of chunk) if (needsPdfs(r)) for (const i of r.plan.items) want.add(i.documentId);
  const out: ChunkPdfs = { bytes: want.size > 0 ? storedPdfs(db, [...want]) : new Map(), fresh: new Map(), errors: new Map() };
  let render: typeof import('../documents/pdf.js').renderPdfBytes | null = null;
  for (const id of want) {
    if (out.bytes.has(id)) continue;
    const d = documentById(db, id);
    if (!d) continue;
    try {
      render ??= (await import('../documents/pdf.js')).renderPdfBytes;
      const bytes = await render(db, d, { settings, client: clientOf.get(id) });
      out.bytes.set(id, bytes);
      if (freezesPdf(d)) out.fresh.set(id, bytes);
    } catch (err) {
      out.errors.set(id, (err as Error).message);
    }
  }
  return out;
}

/** The PDF of each invoice a message lists (each once); an invoice whose PDF could not be made throws. */
export function invoicePdfFiles(plan: Carried, pdfs: ChunkPdfs): { filename: string; content: Buffer }[] {
  const out: { filename: string; content: Buffer }[] = [];
  const seen = new Set<number>();
  for (const i of plan.items) {
    if (seen.has(i.documentId)) continue;
    seen.add(i.documentId);
    const error = pdfs.errors.get(i.documentId);
    if (error) throw new Error(`${i.number}: ${error}`);
    const content = pdfs.bytes.get(i.documentId);
    if (content) out.push({ filename: `${safeName(i.number)}.pdf`, content });
  }
  return out;
}

/** The attachments of a reminder email: the invoices' PDFs when the policy says so. */
export function invoiceAttachments(plan: Carried, pdfs: ChunkPdfs): Attachment[] {
  if (!plan.policy.attachInvoices) return [];
  return invoicePdfFiles(plan, pdfs).map((f) => ({ ...f, contentType: 'application/pdf' }));
}

/** A reminder level that is the formal notice (its letter goes registered). */
export function isFormalNotice(level: { template: string; name: string } | undefined): boolean {
  return Boolean(level && (level.template === 'formal-notice' || /demeure|formal notice/i.test(level.name)));
}

/** The registered-mail number `todo posted --tracking` wrote into the posting's outcome. */
export function trackingOf(outcome: string): string | null {
  return /registered mail (\S+)/.exec(outcome)?.[1] ?? null;
}

/** Everything the collection file of a handover shows. */
export function collectionInput(db: Db, client: Client, plan: ClientPlan, ctx: MessageContext, penalties: Map<number, ItemPenalties>, pdfs: ChunkPdfs): CollectionInput {
  const history = clientReminderHistory(db, client.id);
  const letters = [...new Set(history.filter((h) => h.channel === 'letter' && h.file_path && h.status === 'written').map((h) => h.file_path!))];
  // Each formal notice letter produced, once per message, with the posting `todo posted` recorded.
  const notices = new Map<number, CollectionInput['notices'][number]>();
  for (const h of history) {
    if (h.channel !== 'letter' || h.status !== 'written' || h.message_id === null) continue;
    if (!isFormalNotice(plan.policy.levels.find((l) => l.level === h.level))) continue;
    let n = notices.get(h.message_id);
    if (!n) {
      const posting = postingOf(db, h.message_id);
      notices.set(h.message_id, (n = { date: h.date, numbers: [], posted: posting ? { at: posting.at, tracking: trackingOf(posting.outcome) } : null }));
    }
    if (!n.numbers.includes(h.number)) n.numbers.push(h.number);
  }
  const contacts = clientContacts(db, client.id);
  const superseded = new Set(contacts.map((c) => c.supersedes_id).filter((id): id is number => id !== null));
  return {
    ctx,
    debtor: { siren: client.siren, vatNumber: client.vatNumber },
    penalties: [...penalties.entries()].map(([docId, p]) => {
      const item = plan.items.find((i) => i.documentId === docId)!;
      return {
        number: item.number,
        // A professional's interest runs from the day after the invoice's due date.
        dueDate: p.startsOn && client.kind !== 'b2c' ? addDays(p.startsOn, -1) : item.dueDate,
        startsOn: p.startsOn,
        lines: p.lines.map((l) => ({ from: l.from, to: l.to, days: l.days, base: l.base, rateBp: l.rateBp, basis: l.basis, amount: l.amount })),
        interest: p.interest,
        indemnity: p.indemnity,
        currency: item.currency,
      };
    }),
    // The handover being made (and any earlier one) is this file, not a reminder sent.
    history: history.filter((h) => h.channel !== 'handover' && h.status !== 'sending').map((h) => ({ date: h.date, level: h.level, channel: h.channel, status: h.status, subject: h.subject, number: h.number })),
    notices: [...notices.values()],
    contacts: contacts
      .filter((c) => !superseded.has(c.id))
      .map((c) => ({
        at: c.at,
        channel: c.channel,
        withWhom: c.with_whom,
        outcome: c.outcome,
        promiseDate: c.promise_date,
        promiseAmount: c.promise_amount,
        posted: c.message_id !== null && c.channel === 'letter' ? { message: c.message_id, tracking: trackingOf(c.outcome) } : null,
      })),
    letters,
    // The logo the ledger has now, as the letters written in the same run draw it.
    logo: currentLogoImage(db),
    invoicePdfs: invoicePdfFiles(plan, pdfs),
  };
}
