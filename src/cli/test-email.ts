/**
 * A test email to oneself, through the transport a ledger's reminders use (its SMTP server, else its
 * outbox folder), with the same sender, Reply-To and headers a reminder carries: so that what
 * arrives (or is refused, or lands in spam) is what a client would get. Behind `doctor --send-test ME`
 * and `remind preview ... --send-to ME`. Nothing is recorded in the ledger: the message is to the
 * user, about no invoice, and can be sent again at will.
 */
import path from 'node:path';
import * as z from 'zod/mini';
import { UsageError, WorkFailedError } from '../core/errors.js';
import { printJson } from '../render/output.js';
import type { Context } from './context.js';
import type { Settings } from '../store/settings.js';
import { validate } from './app.js';
import { t } from '../i18n/index.js';

const EMAIL = z.email('an email address such as moi@exemple.fr');

/** The address given to --send-test / --send-to, checked (exit 2 when it is not one). */
export function selfAddress(text: string, flag: string): string {
  return validate(EMAIL, text.trim(), flag);
}

/** The outbox folder of a ledger: paths.outbox (relative to the ledger), else <ledger>-outbox beside it. */
export function outboxDirOf(ledgerFile: string, settings: Settings): string {
  const base = path.dirname(ledgerFile);
  if (settings['paths.outbox']) return path.resolve(base, settings['paths.outbox']);
  return path.join(base, `${path.basename(ledgerFile).replace(/\.[^.]+$/, '')}-outbox`);
}

/** How the ledger's messages leave, as the transport describes itself: "SMTP host:port" or "outbox /path". */
export function transportLabel(ledgerFile: string, settings: Settings): string {
  const host = settings['smtp.host'];
  return host ? `SMTP ${host}:${settings['smtp.port']}` : `outbox ${outboxDirOf(ledgerFile, settings)}`;
}

export interface SelfEmail {
  subject: string;
  text: string;
  html: string;
  /** Marks the message as a test (X-Relance-Test) and anything else to add. */
  headers?: Record<string, string>;
}

export interface SelfSent {
  ok: boolean;
  /** "SMTP host:port" or "outbox /path". */
  via: string;
  /** The server's answer, the file written, or why it failed. */
  detail: string;
}

/** Send one message to `to` through the ledger's transport; never throws for a refused send. */
export async function sendToSelf(o: { ledgerFile: string; settings: Settings; env: NodeJS.ProcessEnv; to: string; now: Date; mail: SelfEmail }): Promise<SelfSent> {
  const { newMessageId, outboxTransport, smtpTransport } = await import('../mail/transport.js');
  const s = o.settings;
  const host = s['smtp.host'];
  if (host && s['smtp.user'] && !o.env.RELANCE_SMTP_PASSWORD) {
    return { ok: false, via: `SMTP ${host}:${s['smtp.port']}`, detail: t('books.doctor.smtp.noPassword', { user: s['smtp.user'] }) };
  }
  const transport = host
    ? await smtpTransport({ host, port: s['smtp.port'], secure: s['smtp.secure'], user: s['smtp.user'], password: o.env.RELANCE_SMTP_PASSWORD ?? null })
    : await outboxTransport(outboxDirOf(o.ledgerFile, s));
  try {
    const stamp = o.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const file = transport.plannedFile(`test-${stamp}-${process.pid}`);
    const r = await transport.send(
      {
        fromName: s['business.name'],
        from: s['business.email'],
        replyTo: s['business.email'],
        to: o.to,
        subject: o.mail.subject,
        text: o.mail.text,
        html: o.mail.html,
        messageId: newMessageId(s['business.email']),
        date: o.now,
        attachments: [],
        headers: { 'X-Relance-Test': 'yes', ...o.mail.headers },
      },
      file,
    );
    return r.ok ? { ok: true, via: transport.describe, detail: r.response } : { ok: false, via: transport.describe, detail: r.error };
  } finally {
    transport.close();
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The message `doctor --send-test` sends: what it proves, in the ledger's language. */
export function testMessage(settings: Settings, ledger: { name: string | null; file: string }, via: string, when: string): SelfEmail {
  const fr = settings.language === 'fr';
  const who = settings['business.name'] || settings['business.email'];
  const label = ledger.name ? `${ledger.name} (${ledger.file})` : ledger.file;
  const lines = fr
    ? [
        'Bonjour,',
        '',
        `Ce message de test a été envoyé par relance (relance doctor --send-test) le ${when}, pour le registre ${label}, par ${via}.`,
        `Les relances de ${who} partent de la même façon : même expéditeur (${settings['business.email']}), même adresse de réponse, même serveur.`,
        "S'il est arrivé dans vos courriers indésirables, vérifiez les enregistrements SPF et DKIM du domaine de l'expéditeur.",
        '',
        'Aucune réponse n’est nécessaire.',
      ]
    : [
        'Hello,',
        '',
        `This test message was sent by relance (relance doctor --send-test) on ${when}, for the ledger ${label}, through ${via}.`,
        `${who}'s reminders leave the same way: the same sender (${settings['business.email']}), the same Reply-To, the same server.`,
        "If it landed in your spam folder, check the SPF and DKIM records of the sender's domain.",
        '',
        'No reply is needed.',
      ];
  return {
    subject: fr ? `relance : message de test (${ledger.name ?? who})` : `relance: test message (${ledger.name ?? who})`,
    text: lines.join('\n') + '\n',
    html: `<!doctype html><html><body>${lines.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : '')).join('')}</body></html>`,
  };
}

/**
 * remind preview --send-to ME: the rendered reminder email, sent to ME instead of the client
 * (without the invoice PDFs a real reminder attaches), and nothing recorded. Exit 1 when refused.
 */
export async function sendPreview(ctx: Context, settings: Settings, to: string, email: { subject: string; text: string; html: string }, level: number): Promise<void> {
  const address = selfAddress(to, '--send-to');
  const r = await sendToSelf({ ledgerFile: ctx.ledgerPath().file, settings, env: ctx.io.env, to: address, now: ctx.io.now(), mail: { ...email, headers: { 'X-Relance-Level': String(level) } } });
  if (!r.ok) throw new WorkFailedError(t('books.testEmail.previewFailed', { to: address, via: r.via, detail: r.detail }));
  if (ctx.json) printJson(ctx.io, { sentTo: address, via: r.via, response: r.detail, subject: email.subject });
  else if (!ctx.quiet) ctx.io.out(`${t('books.testEmail.previewSent', { subject: email.subject, to: address, via: r.via, detail: r.detail })}\n`);
}
