/**
 * An issued invoice's PDF is frozen: stored in the ledger when it is issued (or, for one issued
 * before relance stored them, on first need) and reused as is by `invoice pdf`, by reminder
 * attachments and by the level-4 collection folder, even after the business edits its settings.
 * A draft renders fresh. A reminder run renders a missing PDF once and stores it before the
 * message that carries it leaves.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';
import { seed } from './remind-fixtures.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox('relance-frozen-pdf-');
  const r = sb.init();
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => sb.cleanup());

const ok = (args: string[]) => expectOk(sb, args);

interface PdfRow {
  number: string;
  pdf: Buffer;
  sha256: string;
  rendered_on: string;
}

function storedPdfs(): PdfRow[] {
  const db = new Database(sb.ledger, { readonly: true });
  try {
    return db.prepare('SELECT d.number, p.pdf, p.sha256, p.rendered_on FROM document_pdfs p JOIN documents d ON d.id = p.document_id ORDER BY d.seq').all() as PdfRow[];
  } finally {
    db.close();
  }
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

/** The attachments of a raw .eml: filename -> decoded bytes. */
function attachments(raw: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const re = /Content-Disposition: attachment; filename="([^"]+)"\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) out.set(m[1]!, Buffer.from(m[2]!.replace(/\r\n/g, ''), 'base64'));
  return out;
}

function outboxFiles(): string[] {
  const dir = path.join(sb.dir, 'ledger-outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f)) : [];
}

describe('invoice PDFs are frozen when issued', () => {
  it('invoice pdf gives the bytes stored at issue after the business moves; a draft shows the new address', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '1 rue de la Paix;75002 Paris']);
    const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20', '--json']).stdout) as { ref: string };
    expect(storedPdfs()).toEqual([]); // a draft has no frozen PDF
    ok(['invoice', 'issue', draft.ref, '--date', '2026-02-10']);
    const [row] = storedPdfs();
    expect(row).toMatchObject({ number: 'F-2026-0001', rendered_on: '2026-02-10' });
    expect(row!.sha256).toBe(sha(row!.pdf));
    expect(flat(await pdfText(row!.pdf))).toContain('12 rue des Lilas');

    ok(['ledger', 'set', 'business.address', '99 avenue du Prado;13008 Marseille']);
    const out = path.join(sb.dir, 'F-2026-0001.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    expect(fs.readFileSync(out).equals(row!.pdf)).toBe(true);
    const text = flat(await pdfText(out));
    expect(text).toContain('12 rue des Lilas');
    expect(text).not.toContain('Marseille');

    const next = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Suivi | 1 | 200 | 20', '--json']).stdout) as { ref: string };
    const draftOut = path.join(sb.dir, 'draft.pdf');
    ok(['invoice', 'pdf', next.ref, '--out', draftOut]);
    const draftText = flat(await pdfText(draftOut));
    expect(draftText).toContain('99 avenue du Prado');
    expect(draftText).toContain('BROUILLON');
    expect(storedPdfs()).toHaveLength(1);
  });

  it('the credit note that cancels an invoice is frozen at issue too, and the invoice keeps its own', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20', '--json']).stdout) as { ref: string };
    ok(['invoice', 'issue', draft.ref, '--date', '2026-02-10']);
    const before = storedPdfs()[0]!.pdf;
    ok(['invoice', 'cancel', 'F-2026-0001', '--date', '2026-02-20', '--reason', 'Commande annulée']);
    const rows = storedPdfs();
    expect(rows.map((r) => [r.number, r.rendered_on])).toEqual([
      ['F-2026-0001', '2026-02-10'],
      ['F-2026-0002', '2026-02-20'],
    ]);
    expect(rows[0]!.pdf.equals(before)).toBe(true);
    const credit = flat(await pdfText(rows[1]!.pdf));
    expect(credit).toContain('AVOIR');
    expect(credit).toContain('F-2026-0001');
  });

  it('a deposit invoice issued with deposit --issue is frozen; the quote is not (its PDF changes when accepted)', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    ok(['quote', 'new', 'ACME', '--line', 'Développement | 10 | 450 | 20', '--deposit', '30', '--date', '2026-03-01']);
    ok(['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-03-02']);
    ok(['deposit', 'D-2026-0001', '--issue', '--date', '2026-03-03']);
    const rows = storedPdfs();
    expect(rows.map((r) => [r.number, r.rendered_on])).toEqual([['F-2026-0001', '2026-03-03']]);
    expect(flat(await pdfText(rows[0]!.pdf))).toContain("FACTURE D'ACOMPTE");
  });

  it('a penalty invoice issued by penalties --bill is frozen at issue', async () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20', '--json']).stdout) as { ref: string };
    ok(['invoice', 'issue', draft.ref, '--date', '2026-01-10']);
    ok(['penalties', 'F-2026-0001', '--bill', '--as-of', '2026-04-30']);
    const rows = storedPdfs();
    expect(rows.map((r) => [r.number, r.rendered_on])).toEqual([
      ['F-2026-0001', '2026-01-10'],
      ['F-2026-0002', '2026-04-30'],
    ]);
    expect(flat(await pdfText(rows[1]!.pdf))).toContain('F-2026-0001');
  });

  it('invoice freeze stores the PDF of invoices issued before, once, dated by --as-of', () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    for (const line of ['Audit | 1 | 1000 | 20', 'Suivi | 2 | 300 | 20']) {
      const d = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', line, '--json']).stdout) as { ref: string };
      ok(['invoice', 'issue', d.ref, '--date', '2026-02-10']);
    }
    // As a ledger from before migration 2 would be: issued invoices without a stored PDF.
    const db = new Database(sb.ledger);
    db.prepare('DELETE FROM document_pdfs').run();
    db.close();
    expect(JSON.parse(ok(['invoice', 'freeze', '--as-of', '2026-03-01', '--json']).stdout)).toEqual({ frozen: 2 });
    const rows = storedPdfs();
    expect(rows.map((r) => [r.number, r.rendered_on])).toEqual([
      ['F-2026-0001', '2026-03-01'],
      ['F-2026-0002', '2026-03-01'],
    ]);
    expect(JSON.parse(ok(['invoice', 'freeze', '--as-of', '2026-03-02', '--json']).stdout)).toEqual({ frozen: 0 });
    expect(storedPdfs().map((r) => r.rendered_on)).toEqual(['2026-03-01', '2026-03-01']);
  });

  it('invoice pdf freezes an invoice issued before on first use, and gives those bytes from then on', () => {
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS']);
    const d = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 1000 | 20', '--json']).stdout) as { ref: string };
    ok(['invoice', 'issue', d.ref, '--date', '2026-02-10']);
    const db = new Database(sb.ledger);
    db.prepare('DELETE FROM document_pdfs').run();
    db.close();
    const first = path.join(sb.dir, 'first.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', first]);
    const [row] = storedPdfs();
    expect(row!.number).toBe('F-2026-0001');
    expect(fs.readFileSync(first).equals(row!.pdf)).toBe(true);
    ok(['ledger', 'set', 'business.name', 'Dupont et Fils']);
    const second = path.join(sb.dir, 'second.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', second]);
    expect(fs.readFileSync(second).equals(row!.pdf)).toBe(true);
    expect(storedPdfs()).toHaveLength(1);
  });
});

describe('reminders attach the frozen PDFs', () => {
  it('attach the stored bytes as they are, and freeze a missing one before the message leaves', async () => {
    const marker = Buffer.from('%PDF-1.3\n% the PDF frozen when F-2026-0001 was issued\n%%EOF\n');
    const ids = seed(sb.ledger, (s) => {
      const c = s.client('ACME', { name: 'ACME SAS' });
      const f1 = s.invoice({ client: c, number: 'F-2026-0001', issue: '2026-01-15', due: '2026-02-14', amount: 100_000 });
      const f2 = s.invoice({ client: c, number: 'F-2026-0002', issue: '2026-01-20', due: '2026-02-19', amount: 50_000 });
      s.db.prepare("INSERT INTO document_pdfs (document_id, pdf, sha256, rendered_on) VALUES (?, ?, ?, '2026-01-15')").run(f1, marker, sha(marker));
      return { f1, f2 };
    });
    void ids;
    const dry = await sb.runAsync(['remind', '--due', '--dry-run', '--as-of', '2026-03-01']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(storedPdfs().map((r) => r.number)).toEqual(['F-2026-0001']); // a dry run renders and stores nothing

    const r = await sb.runAsync(['remind', '--due', '--as-of', '2026-03-01']);
    expect(r.code, r.stderr).toBe(0);
    const files = outboxFiles();
    expect(files).toHaveLength(1);
    const att = attachments(fs.readFileSync(files[0]!, 'latin1'));
    expect([...att.keys()].sort()).toEqual(['F-2026-0001.pdf', 'F-2026-0002.pdf']);
    expect(att.get('F-2026-0001.pdf')!.equals(marker)).toBe(true);
    const rows = storedPdfs();
    expect(rows.map((x) => [x.number, x.rendered_on])).toEqual([
      ['F-2026-0001', '2026-01-15'],
      ['F-2026-0002', '2026-03-01'],
    ]);
    expect(att.get('F-2026-0002.pdf')!.equals(rows[1]!.pdf)).toBe(true);
    expect(flat(await pdfText(rows[1]!.pdf))).toContain('F-2026-0002');

    // The business moves; the next reminder still carries the PDFs as they were sent.
    ok(['ledger', 'set', 'business.address', '99 avenue du Prado;13008 Marseille']);
    const again = await sb.runAsync(['remind', 'F-2026-0002', '--as-of', '2026-03-20']);
    expect(again.code, again.stderr).toBe(0);
    const second = outboxFiles().filter((f) => f !== files[0]);
    expect(second).toHaveLength(1);
    const att2 = attachments(fs.readFileSync(second[0]!, 'latin1'));
    expect(att2.get('F-2026-0002.pdf')!.equals(rows[1]!.pdf)).toBe(true);
    expect(att2.get('F-2026-0001.pdf')!.equals(marker)).toBe(true);
  });

  it('the level-4 collection folder holds the frozen PDF of each invoice handed over', async () => {
    ok(['policy', 'set', '--catch-up']);
    seed(sb.ledger, (s) => {
      const c = s.client('ACME', { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris' });
      s.invoice({ client: c, number: 'F-2026-0001', issue: '2026-01-15', due: '2026-02-15', amount: 100_000 });
    });
    const first = await sb.runAsync(['remind', '--due', '--as-of', '2026-03-21']); // catch-up: the formal notice
    expect(first.code, first.stderr).toBe(0);
    const [frozen] = storedPdfs();
    expect(frozen).toMatchObject({ number: 'F-2026-0001', rendered_on: '2026-03-21' });
    const r = await sb.runAsync(['remind', '--due', '--as-of', '2026-04-10']);
    expect(r.code, r.stderr).toBe(0);
    const dir = /ACME: (\S+) \(client put on stop work\)/.exec(r.stdout)![1]!;
    expect(fs.readFileSync(path.join(dir, 'F-2026-0001.pdf')).equals(frozen!.pdf)).toBe(true);
    expect(storedPdfs()).toHaveLength(1);
  });
});
