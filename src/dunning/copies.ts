/**
 * The email copies of letters that failed (the letter went out, so its level is reached): sent again
 * through the same record-before-send path as every message. Each copy is put back to 'sending' in
 * a transaction (outbox file named) before it leaves, with the invoice PDFs the policy attaches, and
 * marked after; a crash in between leaves it 'sending', settled like any other by the next run.
 */
import { t } from '../i18n/index.js';
import { write } from '../store/db.js';
import { remindersOfMessage, type MessageRow } from '../store/reminders.js';
import type { Settings } from '../store/settings.js';
import { safeName } from '../system/files.js';
import { crashPoint } from '../system/crash.js';
import { reopenOutgoing, sendRecorded, type Delivery } from '../delivery/engine.js';
import { clientPolicy } from './run.js';
import { chunkPdfs, invoiceAttachments } from './pdfs.js';
import type { RunReport } from './report.js';
import { clientById } from '../store/clients.js';

export async function retryCopies(d: Delivery, settings: Settings, report: RunReport, failed: readonly MessageRow[]): Promise<{ stopped: boolean }> {
  for (const m of failed) {
    const invoices = (m.invoices ?? '').split(', ');
    // The invoices the letter carried, for the PDFs the policy attaches.
    const policy = clientPolicy(d.db, m.client_id);
    const documents = m.copy_of ? [...new Map(remindersOfMessage(d.db, m.copy_of).map((r) => [r.document_id, r])).values()] : [];
    const plan = { policy, items: documents.map((r) => ({ documentId: r.document_id, number: r.number })) };
    let attachments: ReturnType<typeof invoiceAttachments> = [];
    let error: string | null = null;
    try {
      const pdfs = await chunkPdfs(d.db, settings, [{ plan, client: clientById(d.db, m.client_id), channels: ['email'] }]);
      attachments = invoiceAttachments(plan, pdfs);
    } catch (err) {
      error = t('dunning.run.attach', { error: (err as Error).message });
    }
    if (error) {
      report.failed.push({ client: m.client_code, level: m.level, error: t('dunning.run.copy', { id: m.id, error }) });
      continue;
    }
    const rec = write(d.db, () => reopenOutgoing(d, m, `${m.as_of}-${safeName(m.client_code)}-${m.level}-copy-${m.id}`));
    if (!rec) continue;
    crashPoint('after-record');
    const res = await sendRecorded(d, rec, {
      fromName: settings['business.name'],
      from: settings['business.email'],
      replyTo: settings['business.email'],
      to: m.recipient!,
      subject: m.subject!,
      text: m.body_text!,
      html: m.body_html ?? '',
      attachments,
      headers: { 'X-Relance-Level': String(m.level) },
    });
    if (res.status === 'sent' || res.status === 'written') {
      report.outcomes.push({ client: m.client_code, level: m.level, channel: 'email', message: m.id, status: res.status, invoices, file: res.file, recipient: m.recipient, subject: m.subject });
    } else if (res.status === 'uncertain') {
      report.outcomes.push({ client: m.client_code, level: m.level, channel: 'email', message: m.id, status: 'uncertain', invoices, error: res.error });
      report.uncertain.push({ message: m.id, client: m.client_code, level: m.level, channel: 'email', messageId: m.message_id, since: m.created_at, why: res.error ?? null });
      return { stopped: true };
    } else {
      report.failed.push({ client: m.client_code, level: m.level, error: t('dunning.run.copy', { id: m.id, error: res.error }) });
      if (res.timedOut) return { stopped: true };
    }
  }
  return { stopped: false };
}
