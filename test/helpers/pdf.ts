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
