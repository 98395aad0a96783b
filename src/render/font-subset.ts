/**
 * The TrueType subset of an embedded face, written from the font's raw bytes.
 *
 * pdfkit embeds a subset of each face a document uses, made by fontkit's TTFSubset: for every
 * document it decodes again each included glyph and re-encodes, value by value through restructure,
 * tables it only copies (the hinting programs `fpgm` and `prep`, the control values `cvt `, and
 * `head`, `hhea`, `maxp` with one field changed). On a Factur-X invoice (three faces) that was about
 * a fifth of the render (bench/README.md, "Factur-X, second pass"). This writer makes the same file
 * byte for byte (test/render/font-subset.test.ts compares it with fontkit's for many glyph sets):
 * the same tables in the same order (head, hhea, loca, maxp, cvt , prep, glyf, hmtx, fpgm), the
 * glyphs' outlines and instructions copied as they are, a compound glyph's components included
 * after the glyphs asked for and their indices rewritten, the same directory (tag "true", checksums
 * 0, as fontkit writes them). Only what differs per subset is computed; the rest is copied.
 */

/** The parts of a fontkit TTFFont this writer reads (the parsed font, shared by every document). */
export interface RawFont {
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  loca: { offsets: number[]; version: number };
  hhea: { numberOfMetrics: number };
}

/** A fontkit subset: the glyph ids of the source font, in the subset's order, and their mapping. */
export interface SubsetState {
  font: RawFont;
  glyphs: number[];
  mapping: Record<number, number>;
}

interface Prepared {
  raw: Uint8Array;
  view: DataView;
  glyfOffset: number;
  hmtxOffset: number;
  metrics: number;
  offsets: number[];
  shortLoca: boolean;
  head: Uint8Array;
  hhea: Uint8Array;
  maxp: Uint8Array;
  /** the tables copied whole, by tag (absent ones left out, as fontkit does) */
  copied: Map<string, Uint8Array>;
}

const prepared = new WeakMap<object, Prepared>();

function prepare(font: RawFont): Prepared {
  let p = prepared.get(font);
  if (p) return p;
  const raw = font.stream.buffer;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const table = (tag: string) => {
    const t = font.directory.tables[tag];
    return t ? raw.subarray(t.offset, t.offset + t.length) : undefined;
  };
  const need = (tag: string) => {
    const t = table(tag);
    if (!t) throw new Error(`font without a ${tag} table`);
    return t;
  };
  const copied = new Map<string, Uint8Array>();
  for (const tag of ['cvt ', 'prep', 'fpgm']) {
    const t = table(tag);
    if (t) copied.set(tag, t);
  }
  p = {
    raw,
    view,
    glyfOffset: font.directory.tables.glyf!.offset,
    hmtxOffset: font.directory.tables.hmtx!.offset,
    metrics: font.hhea.numberOfMetrics,
    offsets: font.loca.offsets,
    shortLoca: font.loca.version === 0,
    head: need('head'),
    hhea: need('hhea'),
    maxp: need('maxp'),
    copied,
  };
  prepared.set(font, p);
  return p;
}

// Composite glyph flags (OpenType glyf table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

function include(s: SubsetState, gid: number): number {
  let i = s.mapping[gid];
  if (i === undefined) {
    s.glyphs.push(gid);
    i = s.glyphs.length - 1;
    s.mapping[gid] = i;
  }
  return i;
}

/** The subset as a TrueType file, the bytes fontkit's TTFSubset.encode() gives for the same state. */
export function encodeSubset(s: SubsetState): Uint8Array {
  const p = prepare(s.font);
  const { raw, view, offsets } = p;
  const glyf: Uint8Array[] = [];
  const loca: number[] = [];
  const advances: number[] = [];
  const bearings: number[] = [];
  let offset = 0;
  const lastAdvance = view.getUint16(p.hmtxOffset + 4 * (p.metrics - 1));
  // s.glyphs grows while compound glyphs include their parts: read its length each time.
  for (let i = 0; i < s.glyphs.length; i++) {
    const gid = s.glyphs[i]!;
    const start = offsets[gid]!;
    const end = offsets[gid + 1]!;
    let bytes = raw.subarray(p.glyfOffset + start, p.glyfOffset + end);
    if (bytes.length >= 10 && view.getInt16(p.glyfOffset + start) < 0) {
      bytes = Uint8Array.from(bytes);
      const g = new DataView(bytes.buffer);
      let pos = 10;
      for (;;) {
        const flags = g.getUint16(pos);
        g.setUint16(pos + 2, include(s, g.getUint16(pos + 2)));
        pos += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) pos += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) pos += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) pos += 8;
        if (!(flags & MORE_COMPONENTS)) break;
      }
    }
    glyf.push(bytes);
    loca.push(offset);
    if (gid < p.metrics) {
      advances.push(view.getUint16(p.hmtxOffset + 4 * gid));
      bearings.push(view.getInt16(p.hmtxOffset + 4 * gid + 2));
    } else {
      advances.push(lastAdvance);
      bearings.push(view.getInt16(p.hmtxOffset + 4 * p.metrics + 2 * (gid - p.metrics)));
    }
    offset += bytes.length;
  }
  loca.push(offset);
  const n = glyf.length;

  const tables: [string, number][] = [
    ['head', p.head.length],
    ['hhea', p.hhea.length],
    ['loca', loca.length * (p.shortLoca ? 2 : 4)],
    ['maxp', p.maxp.length],
  ];
  for (const tag of ['cvt ', 'prep']) {
    const t = p.copied.get(tag);
    if (t) tables.push([tag, t.length]);
  }
  tables.push(['glyf', offset], ['hmtx', 4 * n]);
  const fpgm = p.copied.get('fpgm');
  if (fpgm) tables.push(['fpgm', fpgm.length]);

  const count = tables.length;
  const dirSize = 12 + 16 * count;
  const total = dirSize + tables.reduce((sum, [, len]) => sum + len, 0);
  const out = new Uint8Array(total);
  const o = new DataView(out.buffer);
  // Directory, as fontkit writes it.
  o.setUint32(0, 0x74727565); // 'true'
  o.setUint16(4, count);
  const exp = Math.floor(Math.log2(count));
  o.setUint16(6, 2 ** exp * 16);
  o.setUint16(8, exp);
  o.setUint16(10, count * 16 - 2 ** exp * 16);
  let at = dirSize;
  tables.forEach(([tag, len], i) => {
    const e = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[e + k] = tag.charCodeAt(k);
    o.setUint32(e + 4, 0);
    o.setUint32(e + 8, at);
    o.setUint32(e + 12, len);
    const body = out.subarray(at, at + len);
    switch (tag) {
      case 'head':
        body.set(p.head);
        o.setInt16(at + 50, p.shortLoca ? 0 : 1); // indexToLocFormat
        break;
      case 'hhea':
        body.set(p.hhea);
        o.setUint16(at + 34, n); // numberOfHMetrics
        break;
      case 'maxp':
        body.set(p.maxp);
        o.setUint16(at + 4, n); // numGlyphs
        break;
      case 'loca':
        if (p.shortLoca) loca.forEach((v, j) => o.setUint16(at + 2 * j, v >>> 1));
        else loca.forEach((v, j) => o.setUint32(at + 4 * j, v));
        break;
      case 'glyf': {
        let g = at;
        for (const b of glyf) {
          out.set(b, g);
          g += b.length;
        }
        break;
      }
      case 'hmtx':
        for (let j = 0; j < n; j++) {
          o.setUint16(at + 4 * j, advances[j]!);
          o.setInt16(at + 4 * j + 2, bearings[j]!);
        }
        break;
      default:
        body.set(p.copied.get(tag)!);
    }
    at += len;
  });
  return out;
}
