/**
 * Words laid out without shaping (src/render/plain-layout.ts) against fontkit's OpenType layout as
 * pdfkit's EmbeddedFont.layoutRun scales it, on the three embedded DejaVu faces: for random words
 * over the code points found plain, the same glyphs (ids, code points), the same positions and
 * advances; and words the tables can act on (kerning pairs, ligatures, marks) are left to fontkit.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { SHAPED_BEFORE_PLAIN, plainCodePoints, plainRun, type ShapedFont } from '../../src/render/plain-layout.js';

const require = createRequire(import.meta.url);
const FACES = ['DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf', 'DejaVuSansCondensed-Oblique.ttf'];
type Font = fontkit.Font & ShapedFont & { unitsPerEm: number };
const fonts = FACES.map((f) => fontkit.openSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)) as unknown as Font);

/** pdfkit's EmbeddedFont.layoutRun: fontkit's run, every position scaled, the glyph's advance added. */
function pdfkitRun(font: Font, text: string) {
  const scale = 1000 / font.unitsPerEm;
  const run = font.layout(text) as unknown as { glyphs: { id: number; advanceWidth: number; codePoints: number[] }[]; positions: Record<string, number>[]; advanceWidth: number };
  run.positions.forEach((p, i) => {
    for (const k in p) p[k]! *= scale;
    p.advanceWidth = run.glyphs[i]!.advanceWidth * scale;
  });
  return { ids: run.glyphs.map((g) => g.id), cps: run.glyphs.map((g) => g.codePoints), positions: run.positions.map((p) => ({ ...p })), advanceWidth: run.advanceWidth };
}

describe('words laid out without shaping', () => {
  it.each(FACES.map((f, i) => [f, i] as const))('match fontkit’s layout: %s', (_name, i) => {
    const font = fonts[i]!;
    // Before the face has been used enough, every word is left to fontkit.
    for (let k = 0; k < SHAPED_BEFORE_PLAIN; k++) expect(plainRun(font, '0', 1)).toBeNull();
    const plain = [...plainCodePoints(font)].map((c) => String.fromCharCode(c));
    // The point of it: amounts, dates and numbers are plain.
    for (const c of '0123456789/€\u00a0') expect(plain).toContain(c);
    const scale = 1000 / font.unitsPerEm;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...plain), { minLength: 1, maxLength: 24 }), (chars) => {
        const text = chars.join('');
        const ours = plainRun(font, text, scale)!;
        const theirs = pdfkitRun(font, text);
        expect(ours.glyphs.map((g) => g.id)).toEqual(theirs.ids);
        expect(ours.glyphs.map((g) => g.codePoints)).toEqual(theirs.cps);
        expect(ours.positions).toEqual(theirs.positions);
        expect(ours.advanceWidth).toBe(theirs.advanceWidth);
      }),
      { numRuns: 300 },
    );
    for (const w of ['1\u00a0234,56\u00a0€', '25/01/2024', '0,00', '99\u00a0999,99\u00a0€', '052']) {
      const ours = plainRun(font, w, scale);
      if (!ours) continue; // a comma kerns in the bold face

      expect(ours.glyphs.map((g) => g.id)).toEqual(pdfkitRun(font, w).ids);
      expect(ours.positions).toEqual(pdfkitRun(font, w).positions);
      expect(ours.advanceWidth).toBe(pdfkitRun(font, w).advanceWidth);
    }
  });

  it('leaves to fontkit the words its tables act on', () => {
    const font = fonts[0]!;
    // "AV" kerns, "fi" may ligate, "e" + a combining accent is a mark: none of them is plain.
    for (const w of ['AV', 'Total', 'fi', 'e\u0301', 'F-2026-0001']) expect(plainRun(font, w, 1000 / font.unitsPerEm)).toBeNull();
    const kerned = pdfkitRun(font, 'AV');
    expect(kerned.positions[0]!.xAdvance).not.toBe(kerned.positions[0]!.advanceWidth);
  });
});
