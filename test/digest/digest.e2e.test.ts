/**
 * relance digest end to end: the real bin/relance over two registered ledgers, sent to a real SMTP
 * server on 127.0.0.1, parsed with mailparser: one email for both ledgers (text, HTML with the chart
 * inline by cid, the PDF attached), once per period (a second run sends nothing, a new period sends
 * again, two runs at once send one); a run killed after recording is never resent blindly; a refused
 * send is retried with its Message-ID; bad input is one line, exit 2, nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { pdfPages } from '../helpers/pdf.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { query } from '../e2e/remind-fixtures.js';
import { faultySmtp } from '../helpers/faulty-smtp.js';
import { AS_OF, seedDigestLedger } from './fixture.js';

let sb: Sandbox;
let smtp: TestSmtp;
let journal: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  sb = sandbox('relance-digest-e2e-');
  smtp = await startSmtp();
  for (const [name, prefix] of [['dupont', 'F'], ['martin', 'M']] as const) {
    const file = path.join(sb.dir, `${name}.db`);
    const r = sb.run(['init', file, '--name', `Cabinet ${name}`, '--email', `compta@${name}.example`, '--register', name], { noLedger: true });
    expect(r.code, r.stderr).toBe(0);
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)]]) expect(sb.run(['-f', file, 'ledger', 'set', k!, v!], { noLedger: true }).code).toBe(0);
    seedDigestLedger(file, prefix);
    files[name] = file;
  }
  journal = path.join(sb.dir, 'config', 'relance', 'digests.db');
});

afterAll(async () => {
  await smtp?.close();
  sb?.cleanup();
});

const digests = (file: string) => query<{ id: number; scope: string; period_from: string; period_to: string; status: string; message_id: string; recipient: string; ledgers: string | null }>(file, 'SELECT id, scope, period_from, period_to, status, message_id, recipient, ledgers FROM digests ORDER BY id');

describe('digest --all over two ledgers', () => {
  it('sends one email covering both, with the chart inline and the PDF attached; once per period', async () => {
    const r = await sb.runAsync(['digest', '--all', '--as-of', AS_OF, '--to', 'moi@secretariat.example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Receivables digest: 2 ledgers\nFrom 2026-03-03 to 2026-03-09\n');
    expect(r.stdout).toMatch(/│?\s*dupont\s+ACME\s+F-1\s+2026-03-03\s+6\s+€1,200\.00/);
    expect(r.stdout).toMatch(/martin\s+ACME\s+M-1\s+2026-03-03\s+6\s+€1,200\.00/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Digest #1 sent to moi@secretariat.example.');
    expect(smtp.messages).toHaveLength(1);
    const got = smtp.messages[0]!;
    expect(got.to).toEqual(['moi@secretariat.example']);
    // Recorded once, in the journal beside the registry (not in either ledger).
    expect(digests(journal)).toEqual([{ id: 1, scope: 'all', period_from: '2026-03-03', period_to: '2026-03-09', status: 'sent', message_id: got.messageId, recipient: 'moi@secretariat.example', ledgers: 'dupont, martin' }]);
    expect(digests(files.dupont!)).toEqual([]);

    const mail = await simpleParser(got.raw);
    // The business's language (French by default), from the first ledger.
    expect(mail.subject).toBe('Synthèse des créances, 2 registres : du 2026-03-03 au 2026-03-09');
    expect(mail.text).toContain('Factures passées en retard sur la période :');
    expect(mail.text).toMatch(/dupont\s+ACME\s+F-1/);
    expect(got.raw).toMatch(/src=3D"cid:aging-chart@relance"|src="cid:aging-chart@relance"/);
    const [png, pdf] = mail.attachments;
    expect(png).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline', cid: 'aging-chart@relance' });
    expect(pdf).toMatchObject({ contentType: 'application/pdf', contentDisposition: 'attachment', filename: 'digest-2026-03-09.pdf' });
    const image = PNG.sync.read(png!.content);
    expect([image.width, image.height]).toEqual([700, 260]);
    const text = (await pdfPages(pdf!.content)).join('\n');
    expect(text).toContain('Synthèse des créances : 2 registres');
    expect(text).toMatch(/dupont ACME F-1/);
    expect(text).toMatch(/martin BETA/);

    // The same period again: nothing sent, and it says so.
    const again = await sb.runAsync(['digest', '--all', '--as-of', AS_OF, '--to', 'moi@secretariat.example']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^The digest up to 2026-03-09 was already sent \(digest #1 to moi@secretariat\.example, .+\); nothing sent\.\n$/);
    expect(smtp.messages).toHaveLength(1);

    // A new period: from the day after the last one.
    const next = await sb.runAsync(['digest', '--all', '--as-of', '2026-03-16', '--to', 'moi@secretariat.example', '--json']);
    expect(next.code, next.stderr).toBe(0);
    const j = JSON.parse(next.stdout);
    expect(j.period).toEqual({ from: '2026-03-10', to: '2026-03-16' });
    expect(j.delivery).toMatchObject({ status: 'sent', digest: 2, to: 'moi@secretariat.example' });
    expect(j.ledgers).toEqual(['dupont', 'martin']);
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.raw).toMatch(/X-Relance-Digest: 2026-03-10\/2026-03-16/);
  });

  it('two runs at once send one digest', async () => {
    const before = smtp.messages.length;
    const args = ['digest', '--all', '--as-of', '2026-03-23', '--to', 'moi@secretariat.example'];
    const [a, b] = await Promise.all([sb.runAsync(args), sb.runAsync(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(smtp.messages.length - before).toBe(1);
    const lines = [a, b].map((r) => r.stdout.trimEnd().split('\n').pop());
    expect(lines.filter((l) => l === 'Digest #3 sent to moi@secretariat.example.')).toHaveLength(1);
    expect(lines.filter((l) => /already sent|being sent by another run/.test(l!))).toHaveLength(1);
    expect(digests(journal).filter((d) => d.period_to === '2026-03-23')).toHaveLength(1);
  });

  it('a run killed after recording is not resent: reported uncertain until --resolve', async () => {
    const before = smtp.messages.length;
    const killed = await sb.runAsync(['digest', '--all', '--as-of', '2026-03-30', '--to', 'moi@secretariat.example'], { env: { RELANCE_TEST_CRASH_AT: 'after-record' } });
    expect(killed.code).not.toBe(0);
    expect(smtp.messages.length).toBe(before);
    const row = digests(journal).find((d) => d.period_to === '2026-03-30')!;
    expect(row).toMatchObject({ status: 'sending', period_from: '2026-03-24', recipient: 'moi@secretariat.example' });

    const after = await sb.runAsync(['digest', '--all', '--as-of', '2026-03-30', '--to', 'moi@secretariat.example']);
    expect(after.code).toBe(1);
    expect(after.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(after.stderr).toMatch(new RegExp(`^relance: digest #${row.id} to moi@secretariat\\.example may or may not have gone out .*"relance digest --all --resolve ${row.id} --sent" or "--retry"\\n$`));
    expect(smtp.messages.length).toBe(before);

    // Settled as not arrived: the next run sends it, with the Message-ID recorded before the kill.
    const settle = sb.run(['digest', '--all', '--resolve', String(row.id), '--retry']);
    expect(settle.code, settle.stderr).toBe(0);
    expect(settle.stdout).toBe(`Digest #${row.id} will be sent again by the next run.\n`);
    const sent = await sb.runAsync(['digest', '--all', '--as-of', '2026-03-30', '--to', 'moi@secretariat.example']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.messages.at(-1)!.messageId).toBe(row.message_id);
    expect(digests(journal).find((d) => d.id === row.id)).toMatchObject({ status: 'sent' });
  });
});

describe('digest --all --dry-run', () => {
  it('shows the next period over both ledgers and records nothing', () => {
    const before = sb.snapshot(journal);
    const mails = smtp.messages.length;
    const r = sb.run(['digest', '--all', '--as-of', '2026-04-06', '--to', 'moi@secretariat.example', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.period).toEqual({ from: '2026-03-31', to: '2026-04-06' });
    expect(j.ledgers).toEqual(['dupont', 'martin']);
    expect(j.delivery).toEqual({ status: 'dry-run', to: 'moi@secretariat.example', pdf: null });
    expect(j.topDebtors.map((x: { ledger: string; client: string }) => `${x.ledger}:${x.client}`)).toEqual(['dupont:BETA', 'martin:BETA', 'dupont:ACME', 'martin:ACME', 'dupont:GAMMA']);
    expect(sb.snapshot(journal)).toBe(before);
    expect(smtp.messages.length).toBe(mails);
  });
});

describe('digest of one ledger', () => {
  it('goes to the business email, recorded in the ledger; a refused send is kept failed and retried with its Message-ID', async () => {
    const before = smtp.messages.length;
    smtp.refuse('451 try again later');
    const failed = await sb.runAsync(['--ledger', 'martin', 'digest', '--as-of', AS_OF]);
    smtp.refuse(null);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^relance: digest #1 could not be sent \(.*451.*\); it is kept as failed and the next "relance digest" sends it again\n$/);
    const [row] = digests(files.martin!);
    expect(row).toMatchObject({ scope: 'ledger', status: 'failed', period_from: '2026-03-03', period_to: AS_OF, recipient: 'compta@martin.example' });

    const retry = await sb.runAsync(['--ledger', 'martin', 'digest', '--as-of', AS_OF]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain('Receivables digest: Cabinet martin\n');
    expect(retry.stdout.trimEnd().split('\n').pop()).toBe('Digest #1 sent to compta@martin.example.');
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.messages.at(-1)!.to).toEqual(['compta@martin.example']);
    expect(smtp.messages.at(-1)!.messageId).toBe(row!.message_id);
    const mail = await simpleParser(smtp.messages.at(-1)!.raw);
    expect(mail.subject).toBe('Synthèse des créances, Cabinet martin : du 2026-03-03 au 2026-03-09');
    expect(mail.text).toMatch(/ACME\s+M-1\s+2026-03-03\s+6\s+1\s200,00\s€/);

    const again = await sb.runAsync(['--ledger', 'martin', 'digest', '--as-of', AS_OF]);
    expect(again.stdout).toMatch(/^The digest up to 2026-03-09 was already sent/);
    expect(smtp.messages.length).toBe(before + 1);
  });

  it('--dry-run prints the next period and writes nothing but the PDF asked for', () => {
    const snap = sb.snapshot(files.dupont!);
    const r = sb.run(['--ledger', 'dupont', 'digest', '--as-of', AS_OF, '--dry-run', '--pdf', 'review.pdf']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('From 2026-03-03 to 2026-03-09');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Dry run: nothing sent or recorded (it would go to compta@dupont.example).');
    expect(sb.snapshot(files.dupont!)).toBe(snap);
    expect(fs.readFileSync(path.join(sb.dir, 'review.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('a server that takes the digest and never answers', () => {
  it('is uncertain: exit 1, reported by every later run, never resent; --resolve --sent closes it', async () => {
    const faulty = await faultySmtp('close-after-data');
    try {
      expect(sb.init().code).toBe(0);
      for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(faulty.port)], ['smtp.timeout_ms', '5000']]) expect(sb.run(['ledger', 'set', k!, v!]).code).toBe(0);
      faulty.mode = 'close-after-data';
      const r = await sb.runAsync(['digest', '--as-of', AS_OF]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^relance: digest #1 to compta@dupont\.example may or may not have gone out .*"relance digest --resolve 1 --sent" or "--retry"\n$/);
      expect(faulty.taken).toHaveLength(1);
      const [row] = digests(sb.ledger);
      expect(row).toMatchObject({ status: 'sending', message_id: faulty.taken[0]!.messageId });

      faulty.mode = 'ok';
      const again = await sb.runAsync(['digest', '--as-of', AS_OF]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/may or may not have gone out/);
      expect(faulty.taken).toHaveLength(1);

      expect(sb.run(['digest', '--resolve', '1', '--sent']).stdout).toBe('Digest #1 marked sent.\n');
      const settled = await sb.runAsync(['digest', '--as-of', AS_OF]);
      expect(settled.code).toBe(0);
      expect(settled.stdout).toMatch(/^The digest up to 2026-03-09 was already sent/);
      expect(faulty.taken).toHaveLength(1);
    } finally {
      await faulty.close();
    }
  });
});

describe('bad input', () => {
  it.each([
    [['--to', 'not-an-address'], /^relance: --to: "not-an-address" is not valid: an email address such as moi@exemple\.fr\n$/],
    [['--since', '2026-03-20'], /^relance: --since 2026-03-20 is after the end of the period 2026-03-09; give an earlier --since or a later --as-of\n$/],
    [['--since', '2026-02-30'], /^relance: --since.*\n$/],
    [['--pdf', 'nowhere/x.pdf'], /^relance: --pdf: the folder .*nowhere does not exist; create it or choose another file\n$/],
    [['--sent'], /^relance: --sent and --retry settle a digest: give its number with --resolve ID/],
    [['--resolve', '99', '--sent'], /^relance: there is no digest #99 here/],
    [['--resolve', '1'], /^relance: --resolve 1 needs --sent \(it arrived\) or --retry/],
  ])('%j: one line, exit 2, nothing written', (extra, message) => {
    const snaps = [sb.snapshot(files.dupont!), sb.snapshot(journal)];
    const before = smtp.messages.length;
    const r = sb.run(['--ledger', 'dupont', 'digest', '--as-of', AS_OF, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect([sb.snapshot(files.dupont!), sb.snapshot(journal)]).toEqual(snaps);
    expect(smtp.messages.length).toBe(before);
  });
});

describe('bad input with --all', () => {
  it('refuses --all without --to: the overview of every ledger never goes to the first business; nothing sent or recorded', async () => {
    const snaps = [sb.snapshot(files.dupont!), sb.snapshot(files.martin!), sb.snapshot(journal)];
    const before = smtp.messages.length;
    const line = 'relance: --all sends the overview of every ledger to you, not to one of the businesses: give your address with --to, e.g. "relance digest --all --to moi@secretariat.fr"\n';
    for (const extra of [[], ['--json'], ['--dry-run'], ['--since', '2026-04-01']]) {
      const r = await sb.runAsync(['digest', '--all', '--as-of', '2026-04-13', ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toBe(line);
      expect(r.stdout).toBe('');
    }
    expect([sb.snapshot(files.dupont!), sb.snapshot(files.martin!), sb.snapshot(journal)]).toEqual(snaps);
    expect(smtp.messages.length).toBe(before);
    // The help says so (one ledger's digest still goes to its business email by default).
    const help = sb.run(['digest', '--help']);
    expect(help.stdout).toMatch(/--to <email>\s+send it to this address \(default: the business email; required\s+with --all\)/);
  });

  it('refuses -f with --all, and an empty registry, before the journal is created', () => {
    const fresh = sandbox('relance-digest-empty-');
    try {
      expect(fresh.init().code).toBe(0);
      const journalOf = path.join(fresh.dir, 'config', 'relance', 'digests.db');
      const none = fresh.run(['digest', '--all', '--as-of', AS_OF, '--to', 'moi@secretariat.example']);
      expect(none.code).toBe(2);
      expect(none.stderr).toBe(`relance: no named ledgers in ${path.join(fresh.dir, 'config', 'relance', 'ledgers.json')}; register them with "relance ledger add NAME PATH"\n`);
      const both = fresh.run(['-f', fresh.ledger, 'digest', '--all', '--as-of', AS_OF, '--to', 'moi@secretariat.example']);
      expect(both.code).toBe(2);
      expect(both.stderr).toBe('relance: --all sums up every registered ledger; drop -f/--ledger, or drop --all\n');
      expect(fs.existsSync(journalOf)).toBe(false);
    } finally {
      fresh.cleanup();
    }
  });
});

describe('overdue --by client --pdf', () => {
  it('writes the chart and the per-client table for the monthly review', async () => {
    const r = sb.run(['--ledger', 'dupont', 'overdue', '--by', 'client', '--as-of', AS_OF, '--pdf', 'monthly.pdf']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`PDF written: ${path.join(sb.dir, 'monthly.pdf')}`);
    expect(r.stdout).toContain('Receivables by client as of 2026-03-09:');
    const text = (await pdfPages(path.join(sb.dir, 'monthly.pdf'))).join('\n');
    expect(text).toContain('Receivables by client: Cabinet dupont');
    expect(text).toContain('As of 2026-03-09');
    for (const s of ['not due', '€2,015.00', '€1,200.00', '€400.00', '€800.00', '€250.00']) expect(text).toContain(s);
    expect(text).toMatch(/BETA Beta SARL 1 €2,000.00 €2,000.00/);
    expect(text).toMatch(/total EUR €2,015.00 €1,200.00 €400.00 €800.00 €250.00 €4,665.00/);
  });

  it('refuses --pdf without --by client: one line, exit 2, no file', () => {
    const r = sb.run(['--ledger', 'dupont', 'overdue', '--pdf', 'nope.pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('relance: --pdf draws the by-client review; add --by client\n');
    expect(fs.existsSync(path.join(sb.dir, 'nope.pdf'))).toBe(false);
  });
});
