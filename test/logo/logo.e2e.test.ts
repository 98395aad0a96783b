/**
 * The business logo end to end (issue 20 §5), with the real bin/relance on a temporary ledger:
 *   - `ledger set business.logo` keeps a PNG (with transparency) or a JPEG in the ledger, `ledger show`
 *     (and --json) says it is set with its kind, size and dimensions;
 *   - an issued invoice's PDF carries it (pdfimages -list: the image at its own pixel dimensions), and
 *     its Factur-X XML still passes the XSD, EN 16931 and BR-FR rules;
 *   - changing the logo leaves the frozen PDF byte for byte as it was, even rendered again after its
 *     stored copy is gone; a new invoice and a draft show the new one; removing it ("") leaves issued
 *     documents theirs; statements and reminder letters carry the current one;
 *   - refusals (a text file, a GIF, too big, a CMYK JPEG, a cut PNG, no file): exit 2, one line, the
 *     ledger unchanged.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';
import { attachments } from '../einvoice/pdf-read.js';
import { fatal, schematron, xsdErrors } from '../einvoice/validators.js';
import { jpeg, png } from './images.js';

const SLOW = 300_000;
let sb: Sandbox;

function ok(args: string[]): RunResult {
  const r = sb.run(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

function file(name: string, bytes: Buffer): string {
  const f = path.join(sb.dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

/** pdfimages -list of a PDF: one row per image (type, width, height, colour, encoding). */
function images(pdf: string): { type: string; width: number; height: number; color: string; enc: string }[] {
  const r = spawnSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/))
    .map((c) => ({ type: c[2]!, width: Number(c[3]), height: Number(c[4]), color: c[5]!, enc: c[8]! }));
}

function pdfOf(ref: string, name = `${ref}.pdf`): string {
  const out = path.join(sb.dir, name);
  ok(['invoice', 'pdf', ref, '--out', out]);
  return out;
}

let day = 1;
/** Issue an invoice on the next day; returns its number. */
function issue(): string {
  const date = `2026-03-${String(day++).padStart(2, '0')}`;
  const r = ok(['invoice', 'new', 'ACME', '--line', 'Conseil | 1 | 1000 | 20', '--operation', 'services', '--issue', '--date', date, '--as-of', date, '--json']);
  return (JSON.parse(r.stdout) as { number: string }).number;
}

function sql<T>(query: string, ...params: unknown[]): T[] {
  const db = new Database(sb.ledger);
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

const PNG_LOGO = png(300, 90, { alpha: true });
const JPEG_LOGO = jpeg(40, 16);

beforeAll(() => {
  sb = sandbox('relance-logo-');
  expect(sb.init().code).toBe(0);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example']);
});
afterAll(() => sb.cleanup());

describe('the logo on documents', { timeout: SLOW }, () => {
  let first: string;
  let frozen: Buffer;

  it('keeps a PNG in the ledger and says so in ledger show', () => {
    const r = ok(['ledger', 'set', 'business.logo', file('logo.png', PNG_LOGO)]);
    expect(r.stdout).toContain('business.logo = logo.png (PNG, 300 x 90 px,');
    const text = ok(['ledger', 'show']).stdout;
    expect(text).toMatch(/business\.logo\s+│ PNG, 300 x 90 px, [\d.]+ KB/);
    const json = JSON.parse(ok(['ledger', 'show', '--json']).stdout) as { logo: { kind: string; width: number; height: number; bytes: number } };
    expect(json.logo).toMatchObject({ kind: 'png', width: 300, height: 90, bytes: PNG_LOGO.length });
    // The bytes themselves are in the ledger: the file may go.
    fs.rmSync(path.join(sb.dir, 'logo.png'));
    expect(sql<{ bytes: Buffer }>('SELECT bytes FROM logos WHERE current = 1')[0]!.bytes.equals(PNG_LOGO)).toBe(true);
  });

  it('draws it on an issued invoice, whose Factur-X XML still validates', async () => {
    first = issue();
    const pdf = pdfOf(first);
    frozen = fs.readFileSync(pdf);
    const imgs = images(pdf);
    expect(imgs.map((i) => [i.type, i.width, i.height])).toEqual([
      ['image', 300, 90],
      ['smask', 300, 90],
    ]);
    const files = await attachments(frozen);
    const xml = files['factur-x.xml']!;
    expect(xml).toContain(`<ram:ID>${first}</ram:ID>`);
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
    // Still PDF/A-3b: the version and the identification in the XMP.
    expect(frozen.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(frozen.toString('latin1')).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
  });

  it('changing the logo leaves the frozen PDF as it was; new invoices and drafts get the new one', () => {
    const r = ok(['ledger', 'set', 'business.logo', file('logo.jpg', JPEG_LOGO)]);
    expect(r.stdout).toContain('(JPEG, 40 x 16 px, ');
    expect(fs.readFileSync(pdfOf(first, 'again.pdf')).equals(frozen)).toBe(true);
    const second = issue();
    expect(images(pdfOf(second)).map((i) => [i.type, i.width, i.height, i.color, i.enc])).toEqual([['image', 40, 16, 'rgb', 'jpeg']]);
    const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Brouillon | 1 | 10 | 20', '--json']).stdout) as { reference: string; id: number };
    const ref = draft.reference ?? `draft-${draft.id}`;
    expect(images(pdfOf(ref, 'draft.pdf')).map((i) => [i.width, i.height])).toEqual([[40, 16]]);
  });

  it('an issued invoice rendered again (its stored PDF gone) still has the logo it was issued with', () => {
    const db = new Database(sb.ledger);
    const saved = db.prepare('SELECT d.id, p.* FROM document_pdfs p JOIN documents d ON d.id = p.document_id WHERE d.number = ?').get(first) as { id: number };
    db.prepare('DELETE FROM document_pdfs WHERE document_id = ?').run(saved.id);
    db.close();
    const again = pdfOf(first, 'rerendered.pdf');
    expect(images(again).map((i) => [i.type, i.width, i.height])).toEqual([
      ['image', 300, 90],
      ['smask', 300, 90],
    ]);
    // The same document gives the same bytes.
    expect(fs.readFileSync(again).equals(frozen)).toBe(true);
  });

  it('"" removes it: drafts have none, issued invoices keep theirs', () => {
    const r = ok(['ledger', 'set', 'business.logo', '']);
    expect(r.stdout).toContain('business.logo removed');
    expect((JSON.parse(ok(['ledger', 'show', '--json']).stdout) as { logo: unknown }).logo).toBeNull();
    expect(images(pdfOf('draft-3', 'draft2.pdf'))).toEqual([]);
    expect(images(pdfOf(first, 'kept.pdf')).map((i) => i.width)).toEqual([300, 300]);
    expect(images(pdfOf(issue(), 'none.pdf'))).toEqual([]);
    // The JPEG no issued document uses... is still kept by the invoice issued with it.
    expect(sql<{ kind: string }>('SELECT kind FROM logos ORDER BY id').map((l) => l.kind)).toEqual(['png', 'jpeg']);
  });

  it('a statement and a reminder letter carry the current logo', () => {
    ok(['ledger', 'set', 'business.logo', file('logo2.png', png(200, 100, { seed: 5 }))]);
    const out = path.join(sb.dir, 'statement.pdf');
    ok(['statement', 'ACME', '--as-of', '2026-06-01', '--pdf', '--out', out]);
    expect(images(out).map((i) => [i.width, i.height])).toEqual([[200, 100]]);
    // The formal notice (level 3 of the default policy) is a letter.
    const r = ok(['remind', first, '--level', '3', '--as-of', '2026-05-10']);
    const letters = path.join(sb.dir, 'ledger-letters');
    const pdfs = fs.existsSync(letters) ? fs.readdirSync(letters, { recursive: true }).map(String).filter((f) => f.endsWith('.pdf')) : [];
    expect(pdfs.length, r.stdout + r.stderr).toBeGreaterThan(0);
    const shown = images(path.join(letters, pdfs[0]!));
    expect(shown.some((i) => i.width === 200 && i.height === 100)).toBe(true);
  });
});

describe('refusals: exit 2, one line, the ledger unchanged', { timeout: SLOW }, () => {
  const cases: [string, () => string, RegExp][] = [
    ['a text file named .png', () => file('notes.png', Buffer.from('not an image at all\n')), /is not a PNG or JPEG image/],
    ['a GIF', () => file('logo.gif', Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x3b])])), /is a GIF image; save it as PNG or JPEG/],
    ['more than 1 MB', () => file('big.png', Buffer.concat([png(10, 10), Buffer.alloc(1024 * 1024)])), /more than 1024 KB/],
    ['a CMYK JPEG', () => file('cmyk.jpg', jpeg(16, 16, 4)), /CMYK JPEG/],
    ['a PNG cut short', () => file('cut.png', png(64, 64).subarray(0, 60)), /cannot be read/],
    ['a PNG whose image data is damaged', () => {
      const b = Buffer.from(png(64, 64));
      const at = b.indexOf('IDAT') + 8;
      b.fill(0x55, at, at + 20);
      return file('damaged.png', b);
    }, /cannot be read/],
    ['no such file', () => path.join(sb.dir, 'nowhere.png'), /no file/],
    ['a folder', () => sb.dir, /is not a file/],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    const f = make();
    const before = sb.snapshot();
    const r = sb.run(['ledger', 'set', 'business.logo', f]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(sb.snapshot()).toBe(before);
  });
});
