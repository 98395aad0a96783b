/**
 * A QR code drawn as vector squares on a PDF page (no image: sharp at any zoom, a few hundred bytes).
 * The `qrcode` library computes the modules; it is imported lazily, on the first code drawn.
 */
import type { Pdf } from './pdf.js';

/**
 * The mask every code is drawn with. Left to choose, qrcode scores the 8 masks of the standard on
 * each code (4 penalty rules over the whole matrix, 8 times): 0.6 ms of a 1 ms code, on every
 * Factur-X invoice (bench/README.md, "Factur-X, second pass"). Over 400 EPC payloads of the bench's
 * shape in byte mode, mask 2 scored best or close to it: the lowest worst case of the 8 (at most
 * 1.28x the best mask's penalty, best outright for 37 % of them); any mask decodes the same.
 */
export const QR_MASK = 2;

/** The modules of the code for `payload`: `size` x `size`, row by row, 1 for dark. */
export async function qrModules(payload: string): Promise<{ size: number; data: Uint8Array }> {
  const QRCode = (await import('qrcode')).default;
  // EPC069-12 asks for error correction level M and UTF-8 text: one byte-mode segment (the optimiser
  // that splits the text into numeric, alphanumeric and byte runs cost 0.3 ms a code, for a code one
  // version smaller now and then, drawn at the same size).
  return QRCode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: QR_MASK }).modules;
}

/** Draw `payload` as a QR code of `size` points at (x, y), with the quiet zone inside the size. */
export async function drawQr(doc: Pdf, payload: string, x: number, y: number, size: number): Promise<void> {
  const { size: n, data: bits } = await qrModules(payload);
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  // One rectangle per run of dark modules in a row: a fifth of the path operators of one per module,
  // written as one piece of content (what doc.rect() writes for each, with pdfkit's rounding).
  const num = (v: number) => Math.round(v * 1e6) / 1e6;
  const h = num(cell);
  const ops: string[] = [];
  for (let r = 0; r < n; r++) {
    const top = num(y + (r + quiet) * cell);
    for (let c = 0; c < n; ) {
      if (!bits[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && bits[r * n + c]) c++;
      ops.push(`${num(x + (start + quiet) * cell)} ${top} ${num((c - start) * cell)} ${h} re`);
    }
  }
  if (ops.length) doc.addContent(ops.join('\n'));
  doc.fill('#000000');
  doc.restore();
}
