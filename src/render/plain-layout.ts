/**
 * Text laid out without OpenType shaping where shaping provably changes nothing.
 *
 * pdfkit lays out every word of an embedded face with fontkit's full OpenType engine: a shaping plan
 * built per call, then every GSUB and GPOS lookup of the features run over the glyphs. That costs
 * ~0.15-0.25 ms per word, and the words an invoice does not share with the previous ones (amounts,
 * dates, numbers: ~9 a document) cost ~2 ms of a Factur-X render (bench/README.md, "Factur-X, second
 * pass"). A lookup only acts at a glyph that is in its first coverage (the glyph a substitution or a
 * positioning starts at: `coverage`, the first input coverage of a context, the mark of a mark
 * attachment). A code point whose glyph is in no lookup's such coverage, in any feature or script,
 * is never substituted nor moved, nor can a lookup start at it; a word made only of such code points
 * comes out of fontkit as its glyphs from the cmap with their advances. The legacy `kern` table, which
 * fontkit applies only when the selected GPOS script has no kern feature, and GDEF's mark class
 * (marks lose their advance) are left out the same way. Those words are laid out here directly; every
 * other word goes through fontkit as before (and every word, until the face has been used enough:
 * SHAPED_BEFORE_PLAIN). test/render/plain-layout.test.ts compares the two on the embedded faces for
 * random words over the plain code points.
 */

interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/** The parts of a fontkit font read here. */
export interface ShapedFont {
  glyphForCodePoint(cp: number): Glyph;
  GSUB?: unknown;
  GPOS?: unknown;
  GDEF?: unknown;
  kern?: unknown;
}

/** What pdfkit's EmbeddedFont.layoutRun returns: glyphs, positions scaled to 1000 units, the total advance. */
export interface Run {
  glyphs: Glyph[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }[];
  advanceWidth: number;
}

/** Code points considered: printable ASCII and Latin-1 (not the soft hyphen, a default-ignorable), the euro sign. */
function candidates(): number[] {
  const out: number[] = [];
  for (let c = 0x20; c <= 0x7e; c++) out.push(c);
  for (let c = 0xa0; c <= 0xff; c++) if (c !== 0xad) out.push(c);
  out.push(0x20ac);
  return out;
}

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  if (v && typeof (v as { toArray?: unknown }).toArray === 'function') return (v as { toArray(): unknown[] }).toArray();
  return [];
};

function coverageGlyphs(cov: unknown, out: Set<number>): void {
  const c = cov as { version?: number; glyphs?: unknown; rangeRecords?: unknown } | null;
  if (!c) return;
  if (c.version === 1) for (const g of arr(c.glyphs)) out.add(g as number);
  else if (c.version === 2) for (const r of arr(c.rangeRecords) as { start: number; end: number }[]) for (let g = r.start; g <= r.end; g++) out.add(g);
  else throw new Error('unknown coverage format');
}

/** The glyphs at which some lookup of a GSUB or GPOS table can act. */
function actingGlyphs(table: unknown, out: Set<number>): void {
  if (!table) return;
  for (const lookup of arr((table as Obj).lookupList) as Obj[]) {
    for (let sub of arr(lookup.subTables) as Obj[]) {
      // Extension lookups (GSUB 7, GPOS 9) wrap the real subtable.
      while (sub && sub.extension) sub = sub.extension as Obj;
      if (!sub) continue;
      let found = false;
      for (const key of ['coverage', 'markCoverage', 'mark1Coverage'])
        if (sub[key]) {
          coverageGlyphs(sub[key], out);
          found = true;
        }
      for (const key of ['coverages', 'inputCoverage'])
        if (sub[key]) {
          // every input position, not only the first: more than needed, never less
          for (const c of arr(sub[key])) coverageGlyphs(c, out);
          found = true;
        }
      if (!found) throw new Error('a lookup subtable without a known coverage');
    }
  }
}

/** Does the GPOS table give a kern feature to every script and language system (so fontkit never reads the kern table)? */
function gposKernsEverywhere(gpos: unknown): boolean {
  if (!gpos) return false;
  const g = gpos as Obj;
  const features = arr(g.featureList) as { tag: string }[];
  const kerns = (sys: unknown) => !!sys && arr((sys as Obj).featureIndexes).some((i) => features[i as number]?.tag === 'kern');
  const scripts = arr(g.scriptList) as { script: Obj }[];
  return scripts.length > 0 && scripts.every(({ script }) => kerns(script.defaultLangSys) && (arr(script.langSysRecords) as { langSys: unknown }[]).every((r) => kerns(r.langSys)));
}

function kernTableGlyphs(kern: unknown, out: Set<number>): void {
  const seen = new Set<object>();
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object' || seen.has(o)) return;
    seen.add(o);
    const list = arr(o);
    if (list.length || Array.isArray(o)) {
      for (const x of list) walk(x);
      return;
    }
    const e = o as Obj;
    if (typeof e.left === 'number') out.add(e.left);
    if (typeof e.right === 'number') out.add(e.right);
    // class-based subtables: every glyph a class table names
    for (const [k, v] of Object.entries(e)) {
      if (k === 'parent') continue;
      if ((k === 'leftTable' || k === 'rightTable') && v && typeof v === 'object') {
        const t = v as { firstGlyph?: number; nGlyphs?: number };
        if (typeof t.firstGlyph === 'number' && typeof t.nGlyphs === 'number') for (let gl = t.firstGlyph; gl < t.firstGlyph + t.nGlyphs; gl++) out.add(gl);
      }
      walk(v);
    }
  };
  walk(kern);
}

function markGlyphs(gdef: unknown, out: Set<number>): void {
  const cd = gdef ? ((gdef as Obj).glyphClassDef as { version?: number; startGlyph?: number; classValueArray?: unknown; classRangeRecord?: unknown } | undefined) : undefined;
  if (!cd) return;
  if (cd.version === 1) arr(cd.classValueArray).forEach((c, i) => c === 3 && out.add(cd.startGlyph! + i));
  else if (cd.version === 2) for (const r of arr(cd.classRangeRecord) as { start: number; end: number; class: number }[]) if (r.class === 3) for (let g = r.start; g <= r.end; g++) out.add(g);
}

const plainSets = new WeakMap<object, Set<number>>();
const shaped = new WeakMap<object, number>();
/**
 * Reading every lookup's coverage decodes the whole of GSUB and GPOS (70-160 ms a face, once): worth
 * it in a run that renders many documents, not for one invoice. The set is built once the face has
 * had this many words shaped by fontkit in the process (a few dozen invoices); until then every word
 * is shaped, which gives the same run.
 */
export const SHAPED_BEFORE_PLAIN = 200;

/** The code points a word can be made of and still be laid out without shaping, for this font. */
export function plainCodePoints(font: ShapedFont): Set<number> {
  let set = plainSets.get(font);
  if (set) return set;
  set = new Set();
  try {
    const acting = new Set<number>();
    actingGlyphs(font.GSUB, acting);
    actingGlyphs(font.GPOS, acting);
    if (font.kern && !gposKernsEverywhere(font.GPOS)) kernTableGlyphs(font.kern, acting);
    markGlyphs(font.GDEF, acting);
    for (const cp of candidates()) {
      const g = font.glyphForCodePoint(cp);
      if (g && g.id !== 0 && !acting.has(g.id)) set.add(cp);
    }
  } catch {
    // A table this reader does not know: every word goes through fontkit.
    set = new Set();
  }
  plainSets.set(font, set);
  return set;
}

/**
 * The run pdfkit's layoutRun(text) would return, when every code point of `text` is plain for the
 * font; null otherwise. `scale` is the font's 1000 / unitsPerEm, applied as layoutRun does.
 */
export function plainRun(font: ShapedFont, text: string, scale: number): Run | null {
  let plain = plainSets.get(font);
  if (!plain) {
    const n = (shaped.get(font) ?? 0) + 1;
    shaped.set(font, n);
    if (n <= SHAPED_BEFORE_PLAIN) return null;
    plain = plainCodePoints(font);
  }
  if (plain.size === 0 || text.length === 0) return null;
  for (let i = 0; i < text.length; i++) if (!plain.has(text.charCodeAt(i))) return null;
  const glyphs: Glyph[] = [];
  const positions: Run['positions'] = [];
  let advanceWidth = 0;
  for (let i = 0; i < text.length; i++) {
    const glyph = font.glyphForCodePoint(text.charCodeAt(i));
    glyphs.push(glyph);
    const xAdvance = glyph.advanceWidth * scale;
    positions.push({ xAdvance, yAdvance: 0 * scale, xOffset: 0 * scale, yOffset: 0 * scale, advanceWidth: glyph.advanceWidth * scale });
    advanceWidth += xAdvance;
  }
  return { glyphs, positions, advanceWidth };
}
