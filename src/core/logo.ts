/**
 * The business's logo: what an image file is, read from its bytes (never from its name). A logo is a
 * PNG or a baseline/progressive JPEG in grey or RGB (a CMYK JPEG would break the PDF/A-3 of the
 * Factur-X invoices, whose output intent is sRGB), at most LOGO_MAX_BYTES, with sane dimensions.
 * Pure: the caller reads the file and words the refusal (`reason`).
 */

/** 1 MB: a logo for an A4 header needs a few tens of kilobytes; the ledger keeps every logo issued with. */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** Sides and area beyond these are not a logo but a photograph (and cost memory to decode). */
export const LOGO_MAX_SIDE = 6000;
export const LOGO_MAX_PIXELS = 16_000_000;

export type LogoKind = 'png' | 'jpeg';

export interface LogoInfo {
  kind: LogoKind;
  width: number;
  height: number;
}

/** A logo as the PDFs draw it. */
export interface LogoImage extends LogoInfo {
  bytes: Uint8Array;
}

export type LogoRefusal =
  | { reason: 'empty' }
  | { reason: 'too-big'; bytes: number; max: number }
  | { reason: 'gif' | 'webp' | 'svg' | 'bmp' | 'tiff' | 'pdf' | 'unknown' }
  | { reason: 'damaged'; kind: LogoKind }
  | { reason: 'cmyk' }
  | { reason: 'dimensions'; width: number; height: number };

export type LogoCheck = { ok: true; info: LogoInfo } | ({ ok: false } & LogoRefusal);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(b: Uint8Array, bytes: number[]): boolean {
  return b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/** What these bytes are as a logo, or why they cannot be one. */
export function inspectLogo(b: Uint8Array): LogoCheck {
  if (b.length === 0) return { ok: false, reason: 'empty' };
  if (b.length > LOGO_MAX_BYTES) return { ok: false, reason: 'too-big', bytes: b.length, max: LOGO_MAX_BYTES };
  let info: LogoInfo | LogoCheck;
  if (startsWith(b, PNG_SIGNATURE)) info = png(b);
  else if (startsWith(b, [0xff, 0xd8, 0xff])) info = jpeg(b);
  else return { ok: false, reason: otherKind(b) };
  if ('ok' in info) return info;
  const { width, height } = info;
  if (width < 1 || height < 1 || width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE || width * height > LOGO_MAX_PIXELS) {
    return { ok: false, reason: 'dimensions', width, height };
  }
  return { ok: true, info };
}

function otherKind(b: Uint8Array): 'gif' | 'webp' | 'svg' | 'bmp' | 'tiff' | 'pdf' | 'unknown' {
  const head = ascii(b, 0, Math.min(b.length, 256));
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (head.startsWith('BM')) return 'bmp';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'tiff';
  if (head.startsWith('%PDF')) return 'pdf';
  if (/<svg[\s>]/i.test(head) || /^\s*<\?xml/.test(head)) return 'svg';
  return 'unknown';
}

/**
 * A PNG: the signature, then chunks (length, type, data, CRC) up to IEND, the first being IHDR with
 * the dimensions, bit depth and colour type; at least one IDAT. A chunk that overruns the file, an
 * impossible colour type/bit depth or a missing IEND means a damaged file.
 */
function png(b: Uint8Array): LogoInfo | LogoCheck {
  const damaged = { ok: false, reason: 'damaged', kind: 'png' } as const;
  let at = 8;
  let header: { width: number; height: number } | null = null;
  let idat = false;
  let palette = false;
  let colourType = -1;
  while (at + 8 <= b.length) {
    const length = u32(b, at);
    const type = ascii(b, at + 4, 4);
    const data = at + 8;
    if (data + length + 4 > b.length) return damaged;
    if (!header) {
      if (type !== 'IHDR' || length !== 13) return damaged;
      const width = u32(b, data);
      const height = u32(b, data + 4);
      const depth = b[data + 8]!;
      colourType = b[data + 9]!;
      const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
      if (!allowed[colourType]?.includes(depth) || b[data + 10] !== 0 || b[data + 11] !== 0 || b[data + 12]! > 1) return damaged;
      header = { width, height };
    } else if (type === 'PLTE') palette = true;
    else if (type === 'IDAT') idat = true;
    else if (type === 'IEND') {
      if (!idat || (colourType === 3 && !palette)) return damaged;
      return { kind: 'png', ...header };
    }
    at = data + length + 4;
  }
  return damaged;
}

/**
 * A JPEG: SOI, then marker segments up to the first frame header (SOF0-SOF3, SOF5-SOF7, SOF9-SOF11,
 * SOF13-SOF15) giving precision, dimensions and the number of components (1 grey, 3 YCbCr/RGB,
 * 4 CMYK). The file must end with EOI (a truncated download would draw half a logo).
 */
function jpeg(b: Uint8Array): LogoInfo | LogoCheck {
  const damaged = { ok: false, reason: 'damaged', kind: 'jpeg' } as const;
  let end = b.length;
  // Some writers pad after EOI.
  while (end > 2 && b[end - 1] === 0x00) end--;
  if (b[end - 2] !== 0xff || b[end - 1] !== 0xd9) return damaged;
  let at = 2;
  while (at + 4 <= end) {
    if (b[at] !== 0xff) return damaged;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return damaged; // image data before any frame header
    const length = u16(b, at + 2);
    if (length < 2 || at + 2 + length > end) return damaged;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 8) return damaged;
      const precision = b[at + 4]!;
      const height = u16(b, at + 5);
      const width = u16(b, at + 7);
      const components = b[at + 9]!;
      if (precision !== 8 || (components !== 1 && components !== 3 && components !== 4)) return damaged;
      if (components === 4) return { ok: false, reason: 'cmyk' };
      return { kind: 'jpeg', width, height };
    }
    at += 2 + length;
  }
  return damaged;
}
