/**
 * Images made in the tests: PNGs through pngjs, and a tiny baseline JPEG written byte by byte (no
 * encoder needed): every 8x8 block flat grey (DC difference 0, then end of block), with one-code
 * Huffman tables, so the entropy data is a run of zero bits. 1 component is grey, 3 YCbCr, 4 CMYK.
 */
import { PNG } from 'pngjs';

export function png(width: number, height: number, o: { alpha?: boolean; seed?: number } = {}): Buffer {
  const p = new PNG({ width, height, colorType: o.alpha ? 6 : 2 });
  const seed = o.seed ?? 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      p.data[i] = (x * 7 + seed) & 0xff;
      p.data[i + 1] = (y * 11 + seed * 3) & 0xff;
      p.data[i + 2] = 0x80;
      p.data[i + 3] = o.alpha ? (x + y) & 0xff : 0xff;
    }
  }
  return PNG.sync.write(p, { colorType: o.alpha ? 6 : 2 });
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

export function jpeg(width: number, height: number, components: 1 | 3 | 4 = 3): Buffer {
  const quant = segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
  const comps = Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0x00]).flat();
  const frame = segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, components, ...comps]);
  // One code of length 1 in each table: DC category 0, AC end of block (0x00).
  const counts = (n: number) => [n, ...new Array<number>(15).fill(0)];
  const dc = segment(0xc4, [0x00, ...counts(1), 0x00]);
  const ac = segment(0xc4, [0x10, ...counts(1), 0x00]);
  const scan = segment(0xda, [components, ...Array.from({ length: components }, (_, i) => [i + 1, 0x00]).flat(), 0x00, 0x3f, 0x00]);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8) * components;
  const bits = blocks * 2; // "0" for DC, "0" for EOB
  const data = new Array<number>(Math.ceil(bits / 8)).fill(0);
  const pad = data.length * 8 - bits;
  if (pad > 0) data[data.length - 1] = (1 << pad) - 1; // padded with 1 bits
  return Buffer.from([0xff, 0xd8, ...quant, ...frame, ...dc, ...ac, ...scan, ...data, 0xff, 0xd9]);
}
