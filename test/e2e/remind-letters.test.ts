/**
 * The formal notice: its PDF (window-envelope letter marked "lettre recommandée avec accusé de
 * réception") and its email carry the same penalty figures as `relance penalties` for that date;
 * the handover writes the collection folder and puts the client on stop work.
 * Also: templates (override folder, unknown variable refused at dry-run and preview), preview,
 * list, show, and on-demand reminders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { pdfText } from '../helpers/pdf.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query, seed } from './remind-fixtures.js';

/** The text/plain part of a raw email, quoted-printable decoded. */
function textPart(raw: string): string {
  const m = /Content-Type: text\/plain; charset=utf-8\r?\nContent-Transfer-Encoding: quoted-printable\r?\n\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  if (!m) throw new Error(`no quoted-printable text part in:\n${raw.slice(0, 2000)}`);
  const bytes = m[1]!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

const spaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('formal notice: same penalty figures as `penalties`', () => {
  let sb: Sandbox;
  let smtp: TestSmtp;
  beforeAll(async () => {
    sb = sandbox('relance-remind-letter-');
    expect(sb.init().code).toBe(0);
    smtp = await startSmtp();
    expect(sb.run(['ledger', 'set', 'smtp.host', '127.0.0.1']).code).toBe(0);
    expect(sb.run(['ledger', 'set', 'smtp.port', String(smtp.port)]).code).toBe(0);
    expect(sb.run(['policy', 'set', '--catch-up']).code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME', { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris' });
      const f = s.invoice({ client: c, number: 'F-2026-0001', issue: '2026-01-15', due: '2026-02-15', amount: 100_000 });
      s.pay({ client: c, invoice: f, date: '2026-03-10', amount: 40_000 });
      s.invoice({ client: c, number: 'F-2026-0002', issue: '2026-01-20', due: '2026-02-19', amount: 250_000 });
    });
  });
  afterAll(async () => {
    await smtp.close();
    sb.cleanup();
  });

  it('the PDF and the email show the interest and indemnity `penalties` computes for the run date', async () => {
    const asOf = '2026-03-21'; // F-1: 2026-02-15 + 30 days passed; catch-up goes straight to level 3
    const r = await sb.runAsync(['remind', '--due', '--as-of', asOf]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/letters to post: 1\n\s+(\S+\.pdf) \(lettre recommandée avec accusé de réception\)/);
    const file = /letters to post: 1\n\s+(\S+\.pdf)/.exec(r.stdout)![1]!;
    expect(path.basename(file)).toBe(`${asOf}-ACME-3-formal-notice.pdf`);
    const pdf = spaces(await pdfText(file));
    const email = spaces(textPart(smtp.messages[0]!.raw));
    expect(smtp.messages[0]!.subject).toContain('MISE EN DEMEURE');
    // The invoice PDFs ride along, one per invoice listed.
    expect(smtp.messages[0]!.raw).toMatch(/Content-Type: application\/pdf; name=F-2026-0001\.pdf/);
    expect(smtp.messages[0]!.raw).toMatch(/Content-Type: application\/pdf; name=F-2026-0002\.pdf/);

    for (const n of ['F-2026-0001', 'F-2026-0002']) {
      const p = JSON.parse(sb.run(['penalties', n, '--as-of', asOf, '--json']).stdout) as { interest: string; indemnity: string };
      const fr = (d: string) => d.replace('.', ',') + ' €';
      expect(Number(p.interest)).toBeGreaterThan(0);
      expect(pdf).toContain(fr(p.interest));
      expect(email).toContain(`pénalités de retard ${fr(p.interest)}`);
      expect(email).toContain(`indemnité forfaitaire pour frais de recouvrement ${fr(p.indemnity)}`);
    }
    // The worked figure: 1000.00 unpaid 23 days then 600.00 for 11 days at 12.15 % = 7.66 + 2.20.
    expect(email).toContain('pénalités de retard 9,86 €');
    // What a mise en demeure must say.
    for (const text of [pdf, email]) {
      expect(text).toContain('mise en demeure');
      expect(text).toContain('dans un délai de 8 jours, soit au plus tard le 29 mars 2026');
      expect(text).toContain('calculées au 21 mars 2026');
      expect(text).toContain('12,15 %');
      expect(text).toContain('40 €');
      expect(text).toContain('commissaire de justice');
    }
    expect(pdf).toContain('Lettre recommandée avec accusé de réception');
    expect(pdf).toContain('ACME SAS');
    expect(pdf).toContain('75002 Paris');
    expect(pdf).toContain('Lyon, le 21 mars 2026');
    // The figures recorded on the reminders are the same.
    const rows = query<{ number: string; penalty: number; indemnity: number }>(sb.ledger, 'SELECT d.number, r.penalty, r.indemnity FROM reminders r JOIN documents d ON d.id = r.document_id WHERE r.level = 3 ORDER BY d.number');
    expect(rows.map((x) => x.indemnity)).toEqual([4000, 4000]);
    expect(rows[0]!.penalty).toBe(986);
  });

  it('remind show prints the exact text that went out', () => {
    const list = JSON.parse(sb.run(['remind', 'list', '--json']).stdout) as { id: number; channel: string }[];
    const email = list.find((m) => m.channel === 'email')!;
    const shown = JSON.parse(sb.run(['remind', 'show', String(email.id), '--json']).stdout) as { text: string; messageId: string };
    expect(spaces(textPart(smtp.messages[0]!.raw)).trim()).toBe(spaces(shown.text).trim());
    expect(smtp.messages[0]!.messageId).toBe(shown.messageId);
    const human = sb.run(['remind', 'show', String(email.id)]);
    expect(human.stdout).toContain('Message-ID:');
    expect(human.stdout).toContain('Par la présente, nous vous mettons en demeure');
  });

  it('the handover (level 4) writes the collection folder, stops automatic messages and says so', async () => {
    const r = await sb.runAsync(['remind', '--due', '--as-of', '2026-04-10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('handed over for collection: 1');
    const dir = /ACME: (\S+) \(client put on stop work\)/.exec(r.stdout)![1]!;
    expect(path.basename(dir)).toBe('2026-04-10-ACME-recouvrement');
    const files = fs.readdirSync(dir).sort();
    expect(files).toContain('dossier.pdf');
    expect(files.some((f) => f.startsWith('courrier-') && f.endsWith('formal-notice.pdf'))).toBe(true);
    const dossier = spaces(await pdfText(path.join(dir, 'dossier.pdf')));
    for (const t of ['Dossier de recouvrement', 'ACME SAS', 'F-2026-0001', 'F-2026-0002', 'Calcul des pénalités', 'Relances envoyées', 'Journal des contacts', 'commissaire de justice']) expect(dossier).toContain(t);
    expect(JSON.parse(sb.run(['client', 'show', 'ACME', '--json']).stdout).stopWork).toBe(true);
    const next = await sb.runAsync(['remind', '--due', '--as-of', '2026-05-30', '--dry-run', '--json']);
    const plan = JSON.parse(next.stdout) as { messages: unknown[]; skipped: { reason: string }[] };
    expect(plan.messages).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['stop-work', 'stop-work']);
  });
});

describe('templates, dry run, preview and on-demand reminders (outbox)', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('relance-remind-tpl-');
    expect(sb.init().code).toBe(0);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME', { name: 'ACME <SAS> & Co' });
      s.invoice({ client: c, number: 'F-1', issue: '2026-02-01', due: '2026-03-05', amount: 123_456 });
      s.invoice({ client: c, number: 'F-2', issue: '2026-02-01', due: '2026-04-30', amount: 10_000 });
      const n = s.client('NOMAIL', { email: null, address: null });
      s.invoice({ client: n, number: 'F-3', issue: '2026-02-01', due: '2026-03-05', amount: 10_000 });
    });
  });
  afterAll(() => sb.cleanup());

  it('dry run lists what would go out and every skipped invoice with its reason, and changes nothing', () => {
    const before = sb.snapshot();
    const r = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-12', '--json']);
    expect(r.code).toBe(1); // NOMAIL has no email address: reported as failed
    const plan = JSON.parse(r.stdout) as { messages: { client: string; level: number; channel: string; subject: string }[]; failed: { client: string; error: string }[] };
    expect(plan.messages).toEqual([expect.objectContaining({ client: 'ACME', level: 1, channel: 'email', status: 'planned' })]);
    expect(plan.failed).toEqual([{ client: 'NOMAIL', level: 1, error: expect.stringContaining('relance client edit NOMAIL --email') }]);
    expect(sb.snapshot()).toBe(before);
    expect(fs.existsSync(path.join(sb.dir, 'ledger-outbox'))).toBe(false);
  });

  it('HTML escapes what it inserts; the plain text does not', () => {
    const html = sb.run(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-03-12', '--html']);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/<table[\s\S]*F-1[\s\S]*1\u202f234,56\u00a0€/);
    const text = sb.run(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-03-12', '--json']);
    const t = JSON.parse(text.stdout) as { text: string; html: string; subject: string };
    expect(t.subject).toBe('Atelier Dupont – relance : facture en attente de règlement');
    expect(t.text).toContain('Facture F-1 du 01/02/2026, échue le 05/03/2026 (7 jours de retard) : reste dû 1\u202f234,56\u00a0€');
  });

  it('a ledger template folder overrides a file; an unknown variable is an error at preview and dry run', () => {
    const dir = path.join(sb.dir, 'ledger-templates', 'fr', 'email');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'first.hbs'), '---\nsubject: Petit rappel de {{business.name}}\n---\nBonjour {{client.name}}, il reste {{money total.balance}}.\n');
    const ok = sb.run(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-03-12']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Subject: Petit rappel de Atelier Dupont');
    expect(ok.stdout).toContain('Bonjour ACME <SAS> & Co, il reste 1\u202f234,56\u00a0€.');
    const html = sb.run(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-03-12', '--html']);
    expect(html.stdout).toContain('<p>Bonjour ACME &lt;SAS&gt; &amp; Co, il reste 1\u202f234,56\u00a0€.</p>');

    fs.writeFileSync(path.join(dir, 'first.hbs'), '---\nsubject: Rappel\n---\nBonjour {{client.prenom}},\n');
    const before = sb.snapshot();
    const bad = sb.run(['remind', 'preview', '--level', '1', '--client', 'ACME', '--as-of', '2026-03-12']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^relance: template \S+first\.hbs: unknown variable "prenom" \(line 1\)/);
    const dry = sb.run(['remind', '--due', '--dry-run', '--as-of', '2026-03-12']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('unknown variable "prenom"');
    const real = sb.run(['remind', '--due', '--as-of', '2026-03-12', '--client', 'ACME']);
    expect(real.code).toBe(1);
    expect(sb.snapshot()).toBe(before); // nothing recorded for a message that cannot be rendered
    fs.rmSync(path.join(sb.dir, 'ledger-templates'), { recursive: true });
  });

  it('on demand: remind INVOICE sends its next level; a level already reached is refused; list shows it', () => {
    const r = sb.run(['remind', 'F-1', '--as-of', '2026-03-12']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('written to the outbox: 1');
    const again = sb.run(['remind', 'F-1', '--level', '1', '--as-of', '2026-03-13']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('level 1 was already reached');
    const byClient = sb.run(['remind', '--client', 'ACME', '--level', '2', '--as-of', '2026-03-14']);
    expect(byClient.code).toBe(0);
    const list = sb.run(['remind', 'list', '--client', 'ACME']);
    expect(list.stdout).toMatch(/2026-03-12 .* ACME .* 1 .* email .* written/);
    expect(list.stdout).toMatch(/2026-03-14 .* ACME .* 2 .* call .* written/);
    const since = JSON.parse(sb.run(['remind', 'list', '--since', '2026-03-13', '--json']).stdout) as { level: number; onDemand: boolean }[];
    expect(since.every((m) => m.level === 2 && m.onDemand)).toBe(true);
    const emls = fs.readdirSync(path.join(sb.dir, 'ledger-outbox')).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(2);
    const eml = fs.readFileSync(path.join(sb.dir, 'ledger-outbox', emls.sort()[0]!), 'utf8');
    expect(eml).toMatch(/^Message-ID: <[0-9a-f]+\.relance@dupont\.example>/m);
    expect(eml).toMatch(/^Reply-To: compta@dupont\.example/m);
    expect(eml).toContain('Content-Disposition: attachment; filename="F-1.pdf"');
    const pdf = Buffer.from(/filename="F-1\.pdf"\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(eml)![1]!.replace(/\r\n/g, ''), 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // With --no-attach, emails go without the PDFs.
    expect(sb.run(['policy', 'set', '--no-attach']).code).toBe(0);
    expect(sb.run(['policy', 'show']).stdout).toContain('invoice PDFs attached: no');
  });

  it('refuses bad input with one line, exit 2, ledger unchanged', () => {
    const before = sb.snapshot();
    const cases: [string[], RegExp][] = [
      [['remind'], /say what to remind: --due/],
      [['remind', '--due', '--as-of', '2026-02-30'], /--as-of: "2026-02-30" does not exist/],
      [['remind', 'NOPE-1'], /unknown invoice "NOPE-1"/],
      [['remind', '--client', 'ACME'], /needs --level N/],
      [['remind', '--client', 'ZZZ', '--level', '1'], /unknown client "ZZZ"/],
      [['remind', '--due', '--client', 'ZZZ'], /unknown client "ZZZ"/],
      [['remind', 'F-1', '--level', '12'], /--level: "12" is not valid/],
      [['remind', '--resolve', '999', '--sent'], /no message #999/],
      [['remind', '--resolve', '1'], /exactly one of --sent/],
      [['remind', '--resolve', '1', '--sent'], /is written, not sending/],
      [['remind', 'show', '999'], /no message #999/],
      [['remind', 'list', '--since', 'yesterday'], /--since: "yesterday" is not a date/],
      [['remind', 'preview', '--level', '1'], /needs --level N and --client CODE/],
      [['remind', 'preview', '--level', '1', '--client', 'ACME', '--channel', 'fax'], /--channel: "fax" is not valid/],
    ];
    for (const [args, msg] of cases) {
      const r = sb.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(sb.snapshot()).toBe(before);
  });
});
