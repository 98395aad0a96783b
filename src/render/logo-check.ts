/**
 * Whether pdfkit can draw a logo the core accepted (core/logo.ts reads the headers): a PNG's image
 * data is inflated here and every scanline's filter byte checked (pdfkit decodes it in a zlib
 * callback, where a damaged stream would end the process rather than refuse the file), then the
 * image is drawn once into a throwaway document. Run when the logo is set, so no invoice can fail on
 * it later. Returns null when it draws, else what went wrong.
 */
import zlib from 'node:zlib';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
// Adam7: the start and step of each pass, in columns and rows.
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function pngProblem(b: Buffer): string | null {
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const depth = b[24]!;
  const colour = b[25]!;
  const interlaced = b[28] === 1;
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= b.length; ) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') parts.push(b.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  let pixels: Buffer;
  try {
    pixels = zlib.inflateSync(Buffer.concat(parts));
  } catch (err) {
    return `image data: ${(err as Error).message}`;
  }
  const bitsPerPixel = CHANNELS[colour]! * depth;
  const passes = interlaced
    ? ADAM7.map(([x0, y0, dx, dy]) => [Math.ceil(Math.max(0, width - x0) / dx), Math.ceil(Math.max(0, height - y0) / dy)] as const)
    : [[width, height] as const];
  let at = 0;
  for (const [w, h] of passes) {
    if (w === 0 || h === 0) continue;
    const rowBytes = Math.ceil((w * bitsPerPixel) / 8);
    for (let row = 0; row < h; row++) {
      if (at >= pixels.length) return 'image data: shorter than its dimensions';
      if (pixels[at]! > 4) return 'image data: a scanline has an unknown filter';
      at += 1 + rowBytes;
    }
  }
  return at > pixels.length ? 'image data: shorter than its dimensions' : null;
}

export async function logoProblem(bytes: Uint8Array, kind: 'png' | 'jpeg'): Promise<string | null> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'png') {
    const p = pngProblem(b);
    if (p) return p;
  }
  try {
    const { createPdf, drawLogo, pdfBuffer } = await import('./pdf.js');
    const doc = await createPdf();
    await drawLogo(doc, { bytes: b }, 50, 50, { width: 160, height: 56 });
    await pdfBuffer(doc);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
