/**
 * The aging chart (issue 20 §4): one bar per bucket (not due, 1-30, 31-60, 61-90, 90+), its height
 * in proportion to the amount, the amount above it and the bucket's name below. The same geometry is
 * drawn as vectors in a PDF (pdfkit) and as a PNG for the email's HTML (pngjs, loaded lazily), with a
 * small built-in 5x7 bitmap font for the amounts and names (digits, separators, €, the letters of
 * "not due" / "non échu"; any other character leaves a blank).
 */
import type { Pdf } from './pdf.js';

export interface ChartBar {
  /** The bucket's key (not_due, 1-30...). */
  key: string;
  /** Its name under the bar ("non échu", "1-30"). */
  label: string;
  amount: number;
  /** The amount as printed above the bar ("1 234,56 €"). */
  text: string;
}

/** Bucket colours, from not yet due (calm) to over 90 days (alarming): RGB. */
export const BAR_COLOURS: readonly [number, number, number][] = [
  [0x5b, 0x9b, 0xd5],
  [0xf2, 0xc1, 0x4e],
  [0xf0, 0x8a, 0x3c],
  [0xd9, 0x53, 0x2c],
  [0x9b, 0x1c, 0x1c],
];

const hex = (c: readonly number[]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where each bar goes in a box: equal widths and gaps, heights in proportion to the amounts (the
 * largest fills `plot` height), standing on the baseline at `y + top + plot`. A zero amount has no bar.
 */
export function barRects(amounts: readonly number[], box: { x: number; y: number; width: number; top: number; plot: number }): Rect[] {
  const n = amounts.length;
  const slot = box.width / n;
  const w = slot * 0.62;
  const max = Math.max(0, ...amounts);
  const base = box.y + box.top + box.plot;
  return amounts.map((a, i) => {
    const h = max > 0 && a > 0 ? Math.max(1, (a / max) * box.plot) : 0;
    return { x: box.x + i * slot + (slot - w) / 2, y: base - h, w, h };
  });
}

// ---------------------------------------------------------------------------------------------
// PDF

/** Draw the chart in a PDF at (x, y), `width` wide and `height` high; returns the y below it. */
export function drawAgingChart(doc: Pdf, bars: readonly ChartBar[], at: { x: number; y: number; width: number; height: number }): number {
  const top = 16;
  const bottom = 18;
  const plot = at.height - top - bottom;
  const rects = barRects(
    bars.map((b) => b.amount),
    { x: at.x, y: at.y, width: at.width, top, plot },
  );
  const base = at.y + top + plot;
  doc.save();
  doc.moveTo(at.x, base).lineTo(at.x + at.width, base).lineWidth(0.8).strokeColor('#444444').stroke();
  rects.forEach((r, i) => {
    if (r.h > 0) doc.rect(r.x, r.y, r.w, r.h).fill(hex(BAR_COLOURS[i % BAR_COLOURS.length]!));
    const slot = at.width / bars.length;
    const sx = at.x + i * slot;
    doc.font('Helvetica-Bold').fontSize(8).fillColor('black').text(pdfSafe(bars[i]!.text), sx, r.y - 11, { width: slot, align: 'center', lineBreak: false });
    doc.font('Helvetica').fontSize(8).fillColor('#333333').text(pdfSafe(bars[i]!.label), sx, base + 5, { width: slot, align: 'center', lineBreak: false });
  });
  doc.restore();
  doc.font('Helvetica').fontSize(10).fillColor('black');
  return at.y + at.height;
}

/** The standard fonts draw WinAnsi: narrow no-break spaces become plain spaces. */
function pdfSafe(s: string): string {
  return s.replace(/[\u202f\u00a0]/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// PNG

const GLYPHS: Record<string, string> = {
  '0': '01110 10001 10011 10101 11001 10001 01110',
  '1': '00100 01100 00100 00100 00100 00100 01110',
  '2': '01110 10001 00001 00010 00100 01000 11111',
  '3': '11111 00010 00100 00010 00001 10001 01110',
  '4': '00010 00110 01010 10010 11111 00010 00010',
  '5': '11111 10000 11110 00001 00001 10001 01110',
  '6': '00110 01000 10000 11110 10001 10001 01110',
  '7': '11111 00001 00010 00100 01000 01000 01000',
  '8': '01110 10001 10001 01110 10001 10001 01110',
  '9': '01110 10001 10001 01111 00001 00010 01100',
  ',': '00000 00000 00000 00000 00110 00100 01000',
  '.': '00000 00000 00000 00000 00000 01100 01100',
  '-': '00000 00000 00000 11111 00000 00000 00000',
  '+': '00000 00100 00100 11111 00100 00100 00000',
  '€': '00111 01000 11110 01000 11110 01000 00111',
  n: '00000 00000 10110 11001 10001 10001 10001',
  o: '00000 00000 01110 10001 10001 10001 01110',
  t: '01000 01000 11100 01000 01000 01001 00110',
  d: '00001 00001 01101 10011 10001 10011 01101',
  u: '00000 00000 10001 10001 10001 10011 01101',
  e: '00000 00000 01110 10001 11111 10000 01110',
  c: '00000 00000 01110 10000 10000 10001 01110',
  h: '10000 10000 10110 11001 10001 10001 10001',
  é: '00010 00100 01110 10001 11111 10000 01110',
};

export const PNG_SIZE = { width: 700, height: 260 } as const;
/** The PNG's layout: bars between x 20 and 680, baseline at y 220, the largest bar 170 px high. */
export const PNG_BOX = { x: 20, y: 10, width: 660, top: 40, plot: 170 } as const;

/** The chart as a PNG (white background), for the email's HTML (an inline image). */
export async function agingPng(bars: readonly ChartBar[]): Promise<Buffer> {
  const { PNG } = (await import('pngjs')).default ?? (await import('pngjs'));
  const { width, height } = PNG_SIZE;
  const png = new PNG({ width, height });
  const data = png.data;
  const put = (x: number, y: number, c: readonly number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * 4;
    data[o] = c[0]!;
    data[o + 1] = c[1]!;
    data[o + 2] = c[2]!;
    data[o + 3] = 255;
  };
  const fill = (x0: number, y0: number, w: number, h: number, c: readonly number[]) => {
    for (let y = Math.round(y0); y < Math.round(y0 + h); y++) for (let x = Math.round(x0); x < Math.round(x0 + w); x++) put(x, y, c);
  };
  fill(0, 0, width, height, [255, 255, 255]);
  const rects = barRects(
    bars.map((b) => b.amount),
    PNG_BOX,
  );
  const base = PNG_BOX.y + PNG_BOX.top + PNG_BOX.plot;
  fill(PNG_BOX.x, base, PNG_BOX.width, 2, [0x44, 0x44, 0x44]);
  const slot = PNG_BOX.width / bars.length;
  const text = (s: string, cx: number, y: number, scale: number, c: readonly number[]) => {
    const chars = [...s.replace(/[\u202f\u00a0]/g, ' ')];
    const w = chars.length * 6 * scale - scale;
    let x = Math.round(cx - w / 2);
    for (const ch of chars) {
      const g = GLYPHS[ch] ?? GLYPHS[ch.toLowerCase()];
      if (g) {
        g.split(' ').forEach((rowBits, gy) => {
          for (let gx = 0; gx < 5; gx++) if (rowBits[gx] === '1') fill(x + gx * scale, y + gy * scale, scale, scale, c);
        });
      }
      x += 6 * scale;
    }
  };
  rects.forEach((r, i) => {
    if (r.h > 0) fill(r.x, r.y, r.w, r.h, BAR_COLOURS[i % BAR_COLOURS.length]!);
    const cx = PNG_BOX.x + i * slot + slot / 2;
    const label = bars[i]!.text;
    // The amount above the bar: two pixels per font dot when it fits the slot, else one.
    const scale = [...label].length * 12 <= slot ? 2 : 1;
    text(label, cx, r.y - 8 - 7 * scale, scale, [0x22, 0x22, 0x22]);
    text(bars[i]!.label, cx, base + 10, 2, [0x33, 0x33, 0x33]);
  });
  return PNG.sync.write(png);
}
