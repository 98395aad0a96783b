/**
 * Issue 15 §4 end to end: input that cannot reach a document is refused (exit 2, one line, the
 * ledger unchanged); a damaged ledger is exit 4 with a pointer to doctor and restore and is never
 * written into; a full disk says so; Ctrl-C at a prompt exits 130 without "unexpected error".
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, ok, setup } from './pay-helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

/** init refused: exit 2, one line, no ledger file left behind. */
function initRefused(extra: string[], message: RegExp): void {
  const file = path.join(sb.dir, 'new.db');
  const r = sb.run(['init', file, '--name', 'X', '--email', 'x@example.fr', ...extra], { noLedger: true });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(fs.existsSync(file)).toBe(false);
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('bank and tax identifiers', () => {
  it('init refuses an IBAN with wrong check digits, a malformed BIC, a VAT number whose key does not match its SIREN', () => {
    initRefused(['--iban', 'FR7630006000011234567890188'], /business\.iban: "FR7630006000011234567890188" has wrong check digits/);
    initRefused(['--bic', 'BNPA1RPP'], /business\.bic: "BNPA1RPP" is not a BIC/);
    initRefused(['--vat-number', 'FR12401234562'], /business\.vat_number: "FR12401234562" has a key that does not match its SIREN \(for SIREN 401234562 the key is 46/);
    initRefused(['--vat-number', 'DE136695977'], /not a valid Germany VAT number/);
  });

  it('ledger set and client add/edit apply the same checks; valid numbers are stored normalised', () => {
    setup(sb);
    expectRefused(sb, ['ledger', 'set', 'business.iban', 'FR76 3000 6000 0112 3456 7890 188'], /business\.iban: .* wrong check digits/);
    expectRefused(sb, ['ledger', 'set', 'business.vat_number', 'FR12401234562'], /key is 46/);
    expectRefused(sb, ['ledger', 'set', 'business.bic', 'AGRI FR P'], /business\.bic: .*BIC/);
    expectRefused(sb, ['ledger', 'set', 'business.bic', 'AGR1FRPP'], /business\.bic: "AGR1FRPP" is not a BIC/);
    expectRefused(sb, ['client', 'add', 'NEWCO', '--name', 'New Co', '--vat-number', 'FR12401234562'], /--vat-number: "FR12401234562" has a key that does not match its SIREN/);
    expectRefused(sb, ['client', 'edit', 'ACME', '--vat-number', 'BE0403170702'], /--vat-number: .*Belgium/);
    ok(sb, ['ledger', 'set', 'business.bic', 'agri fr pp']);
    ok(sb, ['client', 'edit', 'ACME', '--vat-number', 'FR 46 401 234 562']);
    ok(sb, ['client', 'add', 'BERLIN', '--name', 'Berlin GmbH', '--vat-number', 'DE136695976']);
    const db = new Database(sb.ledger, { readonly: true });
    expect(JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'business.bic'").get() as { value: string }).value)).toBe('AGRIFRPP');
    expect(db.prepare("SELECT vat_number FROM clients WHERE code = 'ACME'").get()).toEqual({ vat_number: 'FR46401234562' });
    db.close();
  });
});

describe('payment links', () => {
  it('only http(s): javascript: is refused at init, ledger set and invoice new/edit', () => {
    initRefused(['--payment-link', 'javascript:alert(1)'], /payment_link\.pattern: "javascript:alert\(1\)" is not an http:\/\/ or https:\/\/ link/);
    setup(sb);
    expectRefused(sb, ['ledger', 'set', 'payment_link.pattern', 'javascript:alert(1)'], /is not an http/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 100 | 20', '--payment-link', 'javascript:alert(1)'], /--payment-link: "javascript:alert\(1\)"/);
    const created = ok(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 100 | 20', '--payment-link', 'https://pay.example.com/1']);
    const draft = /(draft-\d+)/.exec(created)![1]!;
    expectRefused(sb, ['invoice', 'edit', draft, '--payment-link', 'data:text/html,<script>x</script>'], /--payment-link/);
  });

  it('a javascript: link already stored in an old ledger is never rendered', () => {
    setup(sb);
    const f = issueInvoice(sb, 'ACME', '100', '2026-03-01');
    const db = new Database(sb.ledger);
    db.prepare("UPDATE documents SET payment_link = 'javascript:alert(1)' WHERE number = ?").run(f);
    db.close();
    const shown = JSON.parse(ok(sb, ['invoice', 'show', f, '--json']));
    expect(shown.paymentLink).toBeNull();
  });
});

describe('number patterns and file names', () => {
  it('refuses /, \\, .., two {seq} and a width outside 1-9', () => {
    initRefused(['--invoice-pattern', '../../{seq:4}'], /invoice\.pattern: "\.\.\/\.\.\/\{seq:4\}" has "\/", "\\" or "\.\."/);
    setup(sb);
    for (const bad of ['../../{seq:4}', 'F\\{seq:4}', 'F..{seq:4}', 'F-{seq:4}-{seq:2}', 'F-{seq:10}', 'F-{seq:0}']) {
      expectRefused(sb, ['ledger', 'set', 'invoice.pattern', bad], /invoice\.pattern/);
    }
    expectRefused(sb, ['ledger', 'set', 'quote.pattern', 'D/{seq:4}'], /quote\.pattern/);
    ok(sb, ['ledger', 'set', 'invoice.pattern', 'F.{YYYY}.{seq:5}']);
  });

  it('invoice pdf writes its default file inside the folder even for a number from an old, unsafe pattern', () => {
    setup(sb);
    const db = new Database(sb.ledger);
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('invoice.pattern', ?)").run(JSON.stringify('../../{seq:4}'));
    db.close();
    const f = issueInvoice(sb, 'ACME', '100', '2026-03-01');
    expect(f).toBe('../../0001');
    const work = path.join(sb.dir, 'a', 'b');
    fs.mkdirSync(work, { recursive: true });
    const r = sb.run(['invoice', 'pdf', f], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(work)).toEqual(['0001.pdf']);
    expect(fs.existsSync(path.join(sb.dir, '0001.pdf'))).toBe(false);
  });
});

describe('ranges, dates and numbers', () => {
  beforeEach(() => setup(sb));

  it('amounts and quantities beyond what the ledger holds are a range error, not "unexpected error"', () => {
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 99999999999 | 99999999999 | 20'], /quantity: "99999999999" is more than a ledger can hold \(at most 999 999 999\)/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 999999 | 99999999 | 20'], /line "A": quantity x unit price is more than a ledger can hold/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 99999999999 | 20'], /"99999999999" is more than a ledger can hold \(at most 9 999 999 999,99\)/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 9000000000 | 20'], /document's total is more than a ledger can hold/);
    const f = issueInvoice(sb, 'ACME', '100', '2026-03-01');
    expectRefused(sb, ['pay', f, '99999999999', '--date', '2026-03-02'], /more than a ledger can hold/);
  });

  it('penalties and plan --as-of before the issue date: "F-... was not issued on D"', () => {
    const f = issueInvoice(sb, 'ACME', '100', '2026-03-01');
    expectRefused(sb, ['penalties', f, '--as-of', '2026-02-01'], new RegExp(`${f} was not issued on 2026-02-01 \\(it was issued on 2026-03-01\\)`));
    expectRefused(sb, ['plan', 'show', f, '--as-of', '2026-02-01'], /was not issued on 2026-02-01/);
  });

  it('years before 1900 are refused, not read as 1900', () => {
    expectRefused(sb, ['overdue', '--as-of', '0000-01-01'], /--as-of: "0000-01-01" is before 1900/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 100 | 20', '--as-of', '0099-12-31'], /before 1900/);
  });

  it('0x1F and 1e3 are not whole numbers', () => {
    expectRefused(sb, ['ledger', 'set', 'terms.days', '0x1F'], /terms\.days: cannot use "0x1F"/);
    expectRefused(sb, ['ledger', 'set', 'terms.days', '1e3'], /terms\.days: cannot use "1e3"/);
    expectRefused(sb, ['client', 'edit', 'ACME', '--terms', '0x1F'], /--terms/);
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'A | 1 | 100 | 20', '--terms', '1e3'], /--terms/);
    expectRefused(sb, ['policy', 'set', '--level', '1', '--offset', '0x1F'], /--offset/);
  });

  it('policy set refuses a template that does not exist, and accepts an override written first', () => {
    expectRefused(sb, ['policy', 'set', '--level', '2', '--template', 'nope'], /level 2: there is no email template "nope".*courtesy, first, formal-notice/);
    // The emails of invoice send are no reminders: refused as a level's template, and not offered.
    expectRefused(sb, ['policy', 'set', '--level', '2', '--template', 'nope'], /among the shipped ones: courtesy, first, formal-notice, handover, second\)/);
    expectRefused(sb, ['policy', 'set', '--level', '2', '--template', 'invoice'], /level 2: "invoice" is the email that sends a document \("relance invoice send"\), not a reminder/);
    const dir = path.join(sb.dir, 'ledger-templates');
    for (const lang of ['fr', 'en']) {
      fs.mkdirSync(path.join(dir, lang, 'email'), { recursive: true });
      fs.writeFileSync(path.join(dir, lang, 'email', 'mine.hbs'), '---\nsubject: Hello\n---\nHello\n');
    }
    ok(sb, ['policy', 'set', '--level', '2', '--template', 'mine', '--channels', 'email']);
    expectRefused(sb, ['policy', 'set', '--level', '2', '--channels', 'email,letter'], /no letter template "mine"/);
  });
});

describe('a damaged ledger', () => {
  /** Overwrite the content of the picked pages with a fixed byte (after a checkpoint, so the file holds them all). */
  function damage(file: string, pick: (page: number, pages: number) => boolean): void {
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const buf = fs.readFileSync(file);
    const size = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
    const pages = buf.length / size;
    for (let p = 1; p < pages; p++) if (pick(p, pages)) buf.fill(0x5a, p * size + 8, (p + 1) * size - 8);
    fs.writeFileSync(file, buf);
  }

  it('pay refuses with exit 4, names doctor and restore, and writes nothing', () => {
    setup(sb);
    const f = issueInvoice(sb, 'ACME', '100', '2026-03-01');
    for (let i = 0; i < 20; i++) ok(sb, ['client', 'add', `C${i}`, '--name', `Client ${i} ${'x'.repeat(200)}`]);
    // Only the last page: pay does not read it, the check before the first write does.
    damage(sb.ledger, (p, n) => p === n - 1);
    const before = digest(sb.ledger);
    const r = sb.run(['pay', f, '10', '--date', '2026-03-05']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^relance: the ledger .* is damaged .*"relance doctor -f .*".*"relance restore BACKUP -f .*"/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.stdout).toBe('');
    expect(digest(sb.ledger)).toBe(before);
  });

  it('a ledger whose pages are garbage is exit 4 on open, for reads too', () => {
    setup(sb);
    issueInvoice(sb, 'ACME', '100', '2026-03-01');
    damage(sb.ledger, (p) => p % 2 === 1);
    for (const args of [['overdue', '--as-of', '2026-05-01'], ['pay', 'F-2026-0001', '10']]) {
      const r = sb.run(args);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/damaged.*relance doctor.*relance restore/);
    }
  });

  it('a truncated ledger (not a whole number of pages) is exit 4', () => {
    setup(sb);
    const db = new Database(sb.ledger);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fs.truncateSync(sb.ledger, fs.statSync(sb.ledger).size - 100);
    const r = sb.run(['client', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/damaged \(its size .* is not a whole number of .*-byte pages\).*relance doctor/);
  });
});

describe('a full disk', () => {
  const mnt = () => path.join(sb.dir, 'small');
  const canMount = (): boolean => {
    fs.mkdirSync(mnt(), { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=800k', 'tmpfs', mnt()]).status === 0;
  };
  afterEach(() => {
    spawnSync('umount', [mnt()]);
  });

  it('says the disk is full, not "is not a relance ledger (disk I/O error)"', (c) => {
    if (!canMount()) return c.skip();
    const file = path.join(mnt(), 'l.db');
    ok(sb, ['init', file, '--name', 'X', '--email', 'x@example.fr']);
    // Fill the rest of the disk.
    try {
      fs.writeFileSync(path.join(mnt(), 'filler'), Buffer.alloc(1024 * 1024));
    } catch {
      /* ENOSPC: the disk is full now */
    }
    const r = sb.run(['-f', file, 'client', 'add', 'BIG', '--name', 'Big Co', '--notes', 'y'.repeat(20_000)]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/the disk holding .*l\.db is full/);
    expect(r.stderr).not.toMatch(/unexpected error|is not a relance ledger/);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('Ctrl-C at a prompt', () => {
  it.skipIf(!hasScript)('exits 130 without "unexpected error"', async () => {
    const file = path.join(sb.dir, 'new.db');
    const command = [process.execPath, BIN, 'init', file].map((a) => `'${a}'`).join(' ');
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm' } });
      let out = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!sent && /Business name/.test(out)) {
          sent = true;
          setTimeout(() => child.stdin.write('\x03'), 150);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c ?? -1, output: out });
      });
    });
    expect(output).toMatch(/Business name/);
    expect(code).toBe(130);
    expect(output).not.toMatch(/unexpected error/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
