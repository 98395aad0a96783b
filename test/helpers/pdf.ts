/**
 * Read a PDF's text back (pdfjs-dist, legacy build: it runs on Node 20 without a worker or canvas),
 * so tests can check what a client would read. Items on one line are joined with a space, lines
 * with "\n", pages with a form feed; no-break spaces become plain spaces unless `raw` is set.
 */
import fs from 'node:fs';

export interface PdfTextOptions {
  /** keep no-break and narrow no-break spaces as they are */
  raw?: boolean;
}

export async function pdfPages(fileOrBytes: string | Uint8Array, opts: PdfTextOptions = {}): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = typeof fileOrBytes === 'string' ? new Uint8Array(fs.readFileSync(fileOrBytes)) : new Uint8Array(fileOrBytes);
  const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    // Group text items by their baseline (y), top to bottom, then left to right.
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const x = item.transform[4] as number;
      const y = Math.round(item.transform[5] as number);
      const key = [...rows.keys()].find((k) => Math.abs(k - y) <= 2) ?? y;
      const row = rows.get(key) ?? [];
      row.push({ x, s: item.str });
      rows.set(key, row);
    }
    const text = [...rows.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([, items]) =>
        items
          .sort((a, b) => a.x - b.x)
          .map((i) => i.s)
          .join(' ')
          .replace(/ {2,}/g, ' ')
          .trim(),
      )
      .join('\n');
    pages.push(opts.raw ? text : text.replace(/[\u00a0\u202f]/g, ' '));
  }
  await pdf.destroy();
  return pages;
}

/** All the text of a PDF, pages separated by a form feed. */
export async function pdfText(fileOrBytes: string | Uint8Array, opts: PdfTextOptions = {}): Promise<string> {
  return (await pdfPages(fileOrBytes, opts)).join('\n\f\n');
}

export interface TextBox {
  page: number;
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every text run with its box (PDF points, origin bottom-left), to check a layout. */
export async function pdfTextBoxes(fileOrBytes: string | Uint8Array): Promise<TextBox[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = typeof fileOrBytes === 'string' ? new Uint8Array(fs.readFileSync(fileOrBytes)) : new Uint8Array(fileOrBytes);
  const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const boxes: TextBox[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      boxes.push({ page: n, text: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, height: item.height });
    }
  }
  await pdf.destroy();
  return boxes;
}

/** Pairs of text runs that overlap on the same page (a broken layout); empty when none do. */
export function overlaps(boxes: TextBox[], tolerance = 0.5): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.page !== b.page) continue;
      const x = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const y = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (x > tolerance && y > tolerance) out.push([a.text, b.text]);
    }
  }
  return out;
}
