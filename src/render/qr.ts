/**
 * A QR code drawn as vector squares on a PDF page (no image: sharp at any zoom, a few hundred bytes).
 * The `qrcode` library computes the modules; it is imported lazily, on the first code drawn.
 */
import type { Pdf } from './pdf.js';

/** Draw `payload` as a QR code of `size` points at (x, y), with the quiet zone inside the size. */
export async function drawQr(doc: Pdf, payload: string, x: number, y: number, size: number): Promise<void> {
  const QRCode = (await import('qrcode')).default;
  // EPC069-12 asks for error correction level M.
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  // One rectangle per run of dark modules in a row: a fifth of the path operators of one per module.
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(x + (start + quiet) * cell, y + (r + quiet) * cell, (c - start) * cell, cell);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
