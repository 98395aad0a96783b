/**
 * The raw-bytes TrueType subsetter (src/render/font-subset.ts) against fontkit's TTFSubset, which
 * pdfkit used before: for the three embedded DejaVu faces and many glyph sets (a few words, every
 * Latin-1 letter, compound glyphs such as accented capitals, random sets in random order, every
 * glyph of the font in chunks), the file is the same byte for byte, so the glyphs' outlines,
 * instructions and advances are those fontkit wrote. fontkit then reads the subset back: the same
 * number of glyphs, and each glyph's advance and path match the source font's.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { encodeSubset, type RawFont, type SubsetState } from '../../src/render/font-subset.js';

const require = createRequire(import.meta.url);
const FACES = ['DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf', 'DejaVuSansCondensed-Oblique.ttf'];

interface Subset {
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  glyphs: number[];
  mapping: Record<number, number>;
}
type Font = Omit<fontkit.Font, 'createSubset'> & RawFont & { createSubset(): Subset };

const fonts = FACES.map((f) => fontkit.openSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)) as unknown as Font);

/** fontkit's bytes and ours for the same glyph ids (included in that order after .notdef). */
function both(font: Font, ids: number[]): [Uint8Array, Uint8Array] {
  const a = font.createSubset();
  const b = font.createSubset();
  for (const id of ids) {
    a.includeGlyph(id);
    b.includeGlyph(id);
  }
  const ours = encodeSubset(b as unknown as SubsetState);
  const theirs = a.encode();
  return [new Uint8Array(theirs), ours];
}

const idsOf = (font: Font, text: string) => font.layout(text).glyphs.map((g) => g.id);

describe('the raw-bytes font subset', () => {
  it.each(FACES.map((f, i) => [f, i] as const))('is fontkit’s subset byte for byte: %s', (_name, i) => {
    const font = fonts[i]!;
    const texts = [
      'FACTURE N° F-2026-0001',
      'Total TTC 1 234,56 € — échéance le 12/03/2026, pénalités de retard : 12,15 %',
      'ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ Œœ Ææ «» ’ “” … • ™ © ® ¼ ½ ¾ ß ø Ø å Å ñ Ñ',
      Array.from({ length: 0xff - 0x20 }, (_, k) => String.fromCharCode(0x20 + k)).join(''),
    ];
    for (const t of texts) {
      const [theirs, ours] = both(font, idsOf(font, t));
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    }
    // Every glyph of the font, in chunks (compound glyphs whose parts come later or earlier).
    for (let start = 1; start < font.numGlyphs; start += 400) {
      const ids = Array.from({ length: Math.min(400, font.numGlyphs - start) }, (_, k) => start + k);
      const [theirs, ours] = both(font, ids.reverse());
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    }
  });

  it('matches fontkit for random glyph sets in random order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.array(fc.nat(), { maxLength: 120 }), (i, raw) => {
        const font = fonts[i]!;
        const [theirs, ours] = both(
          font,
          raw.map((r) => r % font.numGlyphs),
        );
        return Buffer.from(ours).equals(Buffer.from(theirs));
      }),
      { numRuns: 150 },
    );
  });

  it('reads back as a font with the source glyphs’ advances and outlines', () => {
    const font = fonts[0]!;
    const ids = idsOf(font, 'Échéance 1 234,56 € ÀÇÑ');
    const s = font.createSubset();
    for (const id of ids) s.includeGlyph(id);
    const bytes = encodeSubset(s as unknown as SubsetState);
    const back = fontkit.create(Buffer.from(bytes)) as unknown as Font;
    expect(back.numGlyphs).toBe(s.glyphs.length);
    s.glyphs.forEach((gid, sub) => {
      const a = font.getGlyph(gid);
      const b = back.getGlyph(sub);
      expect(b.advanceWidth).toBe(a.advanceWidth);
      // A compound glyph's parts are renumbered in the subset: compare the drawn outlines.
      expect(b.path.toSVG()).toBe(a.path.toSVG());
    });
  });
});
