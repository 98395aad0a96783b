// fontkit ships no types (pdfkit's own @types stop at its API): what test/render/font-subset.test.ts reads.
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    advanceWidth: number;
    path: { toSVG(): string };
  }
  export interface Font {
    numGlyphs: number;
    getGlyph(id: number): Glyph;
    layout(text: string): { glyphs: Glyph[] };
    createSubset(): unknown;
  }
  export function openSync(file: string): Font;
  export function create(bytes: Buffer): Font;
}
