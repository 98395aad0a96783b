/**
 * Reading a Factur-X PDF back the way a receiving platform does: the embedded files (pdfjs-dist),
 * the XMP packet, and the PDF/A shape from the raw objects (pdfkit writes no object streams, so
 * every dictionary is plain text in the file), and a page rendered to pixels for QR decoding
 * (pdftoppm from poppler-utils, then jsqr over the PNG read with pngjs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The PDF an issued document was frozen with (document_pdfs), read from the ledger file. */
export function frozenPdf(ledger: string, number: string): Buffer {
  const db = new Database(ledger, { readonly: true });
  try {
    return (db.prepare('SELECT p.pdf FROM document_pdfs p JOIN documents d ON d.id = p.document_id WHERE d.number = ?').get(number) as { pdf: Buffer }).pdf;
  } finally {
    db.close();
  }
}

export async function attachments(pdf: Uint8Array): Promise<Record<string, string>> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const files = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
  const out: Record<string, string> = {};
  for (const f of Object.values(files)) out[f.filename] = Buffer.from(f.content).toString('utf8');
  await doc.destroy();
  return out;
}

/** The XMP packet (pdfkit writes it uncompressed, as PDF/A requires). */
export function xmp(pdf: Buffer): string {
  const s = pdf.toString('utf8');
  const start = s.indexOf('<?xpacket begin');
  const end = s.indexOf('<?xpacket end', start);
  return start < 0 || end < 0 ? '' : s.slice(start, s.indexOf('?>', end) + 2);
}

/** Every `N 0 obj ... endobj` dictionary (stream data left out), by object number. */
export function objects(pdf: Buffer): Map<number, string> {
  const s = pdf.toString('latin1');
  const out = new Map<number, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\s*([\s\S]*?)(?:stream\r?\n[\s\S]*?endstream\s*)?endobj/g)) out.set(Number(m[1]), m[2]!);
  return out;
}

/** The QR codes found on the pages, one a page at most, decoded (empty when there is none). */
export async function qrCodes(pdf: Buffer): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-qr-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '150', path.join(dir, 'in.pdf'), path.join(dir, 'page')]);
    const { PNG } = await import('pngjs');
    // jsqr is CommonJS with an `export default` in its types: the function is the module under Node.
    const mod = (await import('jsqr')) as unknown as { default: ((d: Uint8ClampedArray, w: number, h: number, o?: object) => { data: string } | null) & { default?: unknown } };
    const jsQR = (typeof mod.default === 'function' ? mod.default : (mod.default as unknown as { default: typeof mod.default }).default);
    const out: string[] = [];
    for (const png of fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort()) {
      const img = PNG.sync.read(fs.readFileSync(path.join(dir, png)));
      const found = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), img.width, img.height, { inversionAttempts: 'dontInvert' });
      if (found) out.push(found.data);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
