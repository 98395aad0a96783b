/**
 * Shared PDF helpers (invoices, quotes, letters, statements): an A4 pdfkit document with the
 * standard Helvetica fonts (text stays extractable, nothing to embed), a sanitiser for characters
 * those fonts cannot draw, address blocks, a simple table writer with page breaks, and writing to a
 * temporary name then renaming, so a reader never sees half a file.
 * pdfkit is heavy: it is imported here lazily, on first use, never when the CLI starts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { FILE_MODE } from '../system/files.js';
import { encodeSubset, type SubsetState } from './font-subset.js';
import { plainRun, type ShapedFont } from './plain-layout.js';

/** pdfkit's document type, without importing pdfkit eagerly. */
export type Pdf = PDFKit.PDFDocument;

export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 50;
export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const FONT_ITALIC = 'Helvetica-Oblique';

export interface PdfInfo {
  title?: string;
  author?: string;
  subject?: string;
  /** fixed creation date, so the same input gives the same file (defaults to the current time) */
  creationDate?: Date;
  /**
   * PDF/A-3b (an issued invoice, Factur-X): PDF 1.7, the DejaVu Sans faces embedded (subset, with a
   * ToUnicode map so the text stays extractable) in place of the standard fonts PDF/A forbids, and
   * pdfkit's sRGB OutputIntent and pdfaid XMP.
   */
  pdfa?: boolean;
}

/** A new A4 document in Helvetica 10 pt, margins of 50 pt, pages buffered (for footers). */
export async function createPdf(info: PdfInfo = {}): Promise<Pdf> {
  const { default: PDFDocument } = await import('pdfkit');
  // pdfkit hashes every info value: leave out the ones not given rather than pass undefined.
  const meta: Record<string, string | Date> = { Creator: 'relance' };
  if (info.title) meta.Title = pdfText(info.title);
  if (info.author) meta.Author = pdfText(info.author);
  if (info.subject) meta.Subject = pdfText(info.subject);
  if (info.creationDate) meta.CreationDate = info.creationDate;
  // font: null keeps pdfkit from parsing Helvetica's metrics for this document; useFaces() gives it
  // the ones parsed by the first document of the process.
  const options: PDFKit.PDFDocumentOptions = { size: 'A4', margin: MARGIN, bufferPages: true, info: meta, font: null as unknown as string };
  if (info.pdfa) Object.assign(options, { pdfVersion: '1.7', subset: 'PDF/A-3b' });
  const doc = new PDFDocument(options);
  if (info.pdfa) {
    reuseDeflated(doc);
    embedFaces(doc);
    scaled.add(doc);
    escapeXmpInfo(doc);
  } else useFaces(doc);
  face(doc, FONT, 10);
  return doc;
}

/**
 * The embedded faces are a little wider than Helvetica's (DejaVu Sans Condensed by about 3 %, its
 * bold by about 8 %): drawn at these fractions of the asked size, text takes the room the layouts
 * were made for, and a header that fitted on one line still does.
 */
const EMBEDDED_SCALE: Record<string, number> = { [FONT]: 0.97, [FONT_BOLD]: 0.93, [FONT_ITALIC]: 0.97 };
const scaled = new WeakSet<object>();

/** Select a face and size; in a PDF/A document, the size scaled to match the standard fonts' widths. */
export function face(doc: Pdf, name: string, size: number): Pdf {
  return doc.font(name).fontSize(scaled.has(doc) ? size * (EMBEDDED_SCALE[name] ?? 1) : size);
}

/**
 * The standard fonts, parsed once per process. pdfkit builds a StandardFont per document and per
 * face, and each one parses the AFM metrics again (every glyph width and ~2,700 kerning pairs):
 * ~1 ms per face and document, more than the layout of a one-page invoice. The parsed metrics are
 * read-only, so one parse serves every document: each document gets its own font object (its own
 * id and PDF dictionary, as pdfkit would make it) sharing the parsed metrics, and the widths of the
 * strings already measured (labels and legal sentences recur on every invoice).
 */
interface Face {
  proto: object;
  fields: Record<string, unknown>;
  widths: Map<string, number>;
  /** text -> pdfkit's [glyph codes, positions] for it; read-only where pdfkit uses them */
  encoded: Map<string, unknown>;
}
const faces = new Map<string, Face>();
const FACES = [FONT, FONT_BOLD, FONT_ITALIC] as const;
const WIDTHS_MAX = 20_000;

interface PdfFonts {
  _fontFamilies: Record<string, object>;
  _fontCount: number;
}

function useFaces(doc: Pdf): void {
  const fonts = doc as unknown as PdfFonts;
  for (const name of FACES) {
    let face = faces.get(name);
    if (!face) {
      doc.font(name);
      const made = fonts._fontFamilies[name] as Record<string, unknown> & Measured;
      const { document: _doc, id: _id, dictionary: _dict, embedded: _emb, ...fields } = made;
      face = { proto: Object.getPrototypeOf(made) as object, fields, widths: new Map(), encoded: new Map() };
      faces.set(name, face);
      memoWidths(made, face);
      continue;
    }
    const font = Object.create(face.proto) as Record<string, unknown> & Measured;
    Object.assign(font, face.fields, { document: doc, id: `F${++fonts._fontCount}` });
    memoWidths(font, face);
    fonts._fontFamilies[name] = font;
  }
}

type Measured = { widthOfString(s: string, size: number): number; encode(s: string): unknown };

function memoWidths(font: Measured, face: Face): void {
  const measure = face.proto as Measured;
  // A standard font encodes a string the same way in every document (no features, no subset).
  font.encode = (s: string) => {
    let e = face.encoded.get(s);
    if (e === undefined) {
      if (face.encoded.size >= WIDTHS_MAX) face.encoded.clear();
      e = measure.encode.call(font, s);
      face.encoded.set(s, e);
    }
    return e;
  };
  font.widthOfString = (s: string, size: number) => {
    let w = face.widths.get(s);
    if (w === undefined) {
      if (face.widths.size >= WIDTHS_MAX) face.widths.clear();
      w = measure.widthOfString.call(font, s, 1000);
      face.widths.set(s, w);
    }
    return w * (size / 1000);
  };
}

/**
 * The open faces embedded in PDF/A documents, under the standard fonts' names so every helper here
 * draws with them unchanged. pdfkit parses a TrueType file with fontkit per document; the parsed
 * font is read-only where pdfkit uses it (each document makes its own subset), so the fontkit
 * object of the first document serves the next ones (parsing DejaVu Sans costs more than a page).
 */
// The condensed faces: their widths are close to Helvetica's, so the layouts made for the standard fonts still fit.
const EMBEDDED: Record<string, string> = { [FONT]: 'DejaVuSansCondensed.ttf', [FONT_BOLD]: 'DejaVuSansCondensed-Bold.ttf', [FONT_ITALIC]: 'DejaVuSansCondensed-Oblique.ttf' };
const parsedFaces = new Map<string, unknown>();
// A face is parsed by the first document that draws with it (most invoices have no italics): until
// then each document is given its bytes, read once per process rather than once per document.
const faceBytes = new Map<string, Buffer>();

function embedFaces(doc: Pdf): void {
  const fonts = doc as unknown as PdfFonts;
  for (const [name, file] of Object.entries(EMBEDDED)) {
    let src = parsedFaces.get(name) as Buffer | undefined;
    if (!src) {
      src = faceBytes.get(name);
      if (!src) faceBytes.set(name, (src = fs.readFileSync(fontFile(file))));
    }
    doc.registerFont(name, src);
  }
  doc.on('end', () => {
    for (const name of Object.keys(EMBEDDED)) {
      const made = fonts._fontFamilies[name] as { font?: object } | undefined;
      if (!made?.font) continue;
      if (!parsedFaces.has(name)) parsedFaces.set(name, made.font);
      shareLayouts(Object.getPrototypeOf(made) as LayoutProto);
      rawSubsets((made as { subset?: object }).subset);
    }
  });
}

/**
 * pdfkit lays out each word of an embedded font with fontkit (OpenType shaping) and caches the
 * result per document; the same words recur on every invoice, so the cache is kept per parsed font
 * across documents instead. A layout (glyphs, positions scaled to 1000 units) depends on the font
 * alone and is only read afterwards: each document still builds its own subset from it.
 */
interface LayoutProto {
  layoutCached(this: { font: object; scale: number; layoutRun(t: string): unknown }, text: string): unknown;
  __relanceShared?: true;
}
const layouts = new WeakMap<object, Map<string, unknown>>();
function shareLayouts(proto: LayoutProto): void {
  if (proto.__relanceShared) return;
  proto.__relanceShared = true;
  proto.layoutCached = function layoutCached(text: string) {
    let m = layouts.get(this.font);
    if (!m) layouts.set(this.font, (m = new Map()));
    let run = m.get(text);
    if (run === undefined) {
      if (m.size >= WIDTHS_MAX) m.clear();
      // A word of code points no OpenType lookup of the face acts on (amounts, dates) needs no shaping.
      run = plainRun(this.font as ShapedFont, text, this.scale) ?? this.layoutRun(text);
      m.set(text, run);
    }
    return run;
  };
}

/**
 * Each document's subset of a face was written by fontkit's TTFSubset, which decodes every included
 * glyph again and re-encodes through restructure the tables it only copies (the hinting programs
 * among them): about a fifth of a Factur-X invoice's render (bench/README.md, "Factur-X, second
 * pass"). font-subset.ts writes the same bytes from the font's raw tables; the subsets of every
 * document after the first are made that way (the subset object, its glyph list and mapping, stay
 * fontkit's, so pdfkit uses them unchanged).
 */
interface SubsetProto {
  encode(this: SubsetState): Uint8Array;
  __relanceRaw?: true;
}
function rawSubsets(subset: object | undefined): void {
  if (!subset) return;
  const proto = Object.getPrototypeOf(subset) as SubsetProto;
  if (proto.__relanceRaw || typeof proto.encode !== 'function' || (subset as { cff?: unknown }).cff != null) return;
  proto.__relanceRaw = true;
  proto.encode = function encode(this: SubsetState) {
    return encodeSubset(this);
  };
}

/**
 * pdfkit deflates every stream with its own zlib.deflateSync call, and each call costs far more than
 * its few bytes (node builds a zlib stream object and its state for it: ~0.1 ms for 10 bytes on the
 * 2-core machine). A PDF/A invoice writes streams that recur byte for byte from one document to the
 * next: the sRGB ICC profile (3 KB, every document) and each face's CIDSet (a few bytes, the same for
 * the same number of glyphs). Their deflated bytes are kept per process, keyed by their content;
 * deflate is deterministic, so the file is the same. Only streams of at most 4 KB are looked up
 * (page contents, fonts and the XML are larger or never recur, and are deflated as before).
 */
interface PdfRef {
  compress: boolean;
  buffer: Uint8Array[];
  finalize(this: PdfRef): void;
  __relanceDeflate?: true;
}
const DEFLATED_MAX = 4096;
const deflated = new Map<string, Buffer>();
function reuseDeflated(doc: Pdf): void {
  const proto = Object.getPrototypeOf((doc as unknown as { _root: object })._root) as PdfRef;
  if (proto.__relanceDeflate || typeof proto.finalize !== 'function') return;
  proto.__relanceDeflate = true;
  const finalize = proto.finalize;
  proto.finalize = function finalizeReusing(this: PdfRef) {
    if (this.compress && this.buffer.length) {
      let n = 0;
      for (const c of this.buffer) n += c.length;
      if (n <= DEFLATED_MAX) {
        const raw = Buffer.concat(this.buffer, n);
        const key = raw.toString('latin1');
        let z = deflated.get(key);
        if (!z) {
          if (deflated.size >= 1000) deflated.clear();
          z = zlib.deflateSync(raw);
          deflated.set(key, z);
        }
        // Already deflated: pdfkit writes it as it is (the FlateDecode filter was set by write()).
        this.buffer = [z];
        this.compress = false;
      }
    }
    return finalize.call(this);
  };
}

function fontFile(name: string): string {
  return createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
}

/**
 * pdfkit copies Title, Author and Subject into the XMP packet as they are: a "&" or "<" in a business
 * name would make the XML unreadable and the file fail PDF/A. Its _addInfo is replaced for PDF/A
 * documents by the same packet with the values escaped (the Info dictionary keeps them as they are).
 */
function escapeXmpInfo(doc: Pdf): void {
  const d = doc as unknown as { info: Record<string, unknown>; appendXML(x: string, nl?: boolean): void; _addInfo(): void };
  const esc = (v: unknown) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  d._addInfo = function addInfo() {
    const i = d.info;
    const alt = (tag: string, v: unknown) => `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${esc(v)}</rdf:li></rdf:Alt></${tag}>`;
    d.appendXML(
      `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${(i.CreationDate as Date).toISOString().split('.')[0]}Z</xmp:CreateDate>` +
        `<xmp:CreatorTool>${esc(i.Creator)}</xmp:CreatorTool></rdf:Description>`,
    );
    if (i.Title || i.Author || i.Subject) {
      d.appendXML(
        `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
          (i.Title ? alt('dc:title', i.Title) : '') +
          (i.Author ? `<dc:creator><rdf:Seq><rdf:li>${esc(i.Author)}</rdf:li></rdf:Seq></dc:creator>` : '') +
          (i.Subject ? alt('dc:description', i.Subject) : '') +
          `</rdf:Description>`,
      );
    }
    d.appendXML(`<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>${esc(i.Producer)}</pdf:Producer></rdf:Description>`);
  };
}

// Characters of Windows-1252 above 0x7F that are not Latin-1 (what the standard fonts can encode).
const WIN_ANSI_EXTRA = new Set(
  [0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178],
);

const REPLACE: Record<string, string> = {
  '\u202f': '\u00a0', // narrow no-break space (French thousands, before € and ;:!?)
  '\u2009': ' ',
  '\u2007': '\u00a0',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u200b': '',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2015': '\u2014',
  '\u2032': "'",
  '\u2033': '"',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2192': '->',
  '\u00ad': '',
  '\t': ' ',
  '\r': '',
};

function drawable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Text the standard PDF fonts can draw (WinAnsi): narrow no-break spaces become no-break spaces,
 * typographic dashes and minus signs become "-", letters with accents outside Latin-1 lose the
 * accent (ł stays "?", ā becomes "a"), anything else becomes "?".
 */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = REPLACE[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (drawable(cp)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += base !== '' && [...base].every((c) => drawable(c.codePointAt(0)!)) ? base : '?';
  }
  return out;
}

export interface TextOptions {
  x?: number;
  y?: number;
  width?: number;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  align?: 'left' | 'right' | 'center' | 'justify';
  color?: string;
}

/** Write sanitised text (wrapping to width); returns the y below it. */
export function write(doc: Pdf, text: string, o: TextOptions = {}): number {
  face(doc, o.bold ? FONT_BOLD : o.italic ? FONT_ITALIC : FONT, o.size ?? 10).fillColor(o.color ?? 'black');
  const x = o.x ?? doc.x;
  const y = o.y ?? doc.y;
  doc.text(pdfText(text), x, y, { width: o.width ?? doc.page.width - MARGIN - x, align: o.align ?? 'left' });
  const after = doc.y;
  face(doc, FONT, 10).fillColor('black');
  return after;
}

/**
 * An address block: an optional small heading, the name in bold, then one line per address line
 * (text lines may hold "\n"). Returns the y below it.
 */
export function addressBlock(doc: Pdf, block: { heading?: string; name: string; lines: (string | null | undefined)[] }, at: { x: number; y: number; width: number; size?: number }): number {
  let y = at.y;
  const size = at.size ?? 10;
  if (block.heading) y = write(doc, block.heading, { x: at.x, y, width: at.width, size: size - 2, color: '#555555' }) + 2;
  y = write(doc, block.name, { x: at.x, y, width: at.width, size: size + 1, bold: true });
  for (const l of block.lines.flatMap((t) => (t ? t.split('\n') : []))) {
    if (l.trim() === '') continue;
    y = write(doc, l, { x: at.x, y, width: at.width, size });
  }
  return y;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableOptions {
  x?: number;
  y?: number;
  size?: number;
  /** rows (by index) to print in bold, e.g. totals */
  boldRows?: number[];
  /** light grey background behind the header */
  headerFill?: string;
  /** space kept free at the bottom of each page (for a footer) */
  bottom?: number;
}

/**
 * A table: a bold header on a light background, rows wrapped to their column widths, a thin rule
 * under each row; a row that does not fit starts a new page and repeats the header.
 * Returns the y below the table.
 */
export function table(doc: Pdf, columns: Column[], rows: string[][], o: TableOptions = {}): number {
  const x0 = o.x ?? MARGIN;
  const size = o.size ?? 9;
  const pad = 3;
  const bottom = doc.page.height - MARGIN - (o.bottom ?? 30);
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  let y = o.y ?? doc.y;

  const rowHeight = (cells: string[], bold: boolean) => {
    face(doc, bold ? FONT_BOLD : FONT, size);
    return Math.max(...columns.map((c, i) => doc.heightOfString(pdfText(cells[i] ?? ''), { width: c.width - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], bold: boolean, fill?: string) => {
    const h = rowHeight(cells, bold);
    if (fill) doc.save().rect(x0, y, totalWidth, h).fill(fill).restore();
    let x = x0;
    columns.forEach((c, i) => {
      face(doc, bold ? FONT_BOLD : FONT, size).fillColor('black');
      doc.text(pdfText(cells[i] ?? ''), x + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
      x += c.width;
    });
    y += h;
    doc.save().moveTo(x0, y).lineTo(x0 + totalWidth, y).lineWidth(0.5).strokeColor('#bbbbbb').stroke().restore();
  };
  const header = () => drawRow(columns.map((c) => c.header), true, o.headerFill ?? '#eeeeee');

  if (y + rowHeight(columns.map((c) => c.header), true) + (rows[0] ? rowHeight(rows[0], false) : 0) > bottom) {
    doc.addPage();
    y = MARGIN;
  }
  header();
  rows.forEach((r, i) => {
    const bold = o.boldRows?.includes(i) ?? false;
    if (y + rowHeight(r, bold) > bottom) {
      doc.addPage();
      y = MARGIN;
      header();
    }
    drawRow(r, bold);
  });
  face(doc, FONT, 10);
  doc.x = MARGIN;
  doc.y = y;
  return y;
}

/** A logo to draw (the bytes as the ledger keeps them: PNG or JPEG). */
export interface PdfLogo {
  bytes: Uint8Array;
}

interface OpenedImage {
  width: number;
  height: number;
  orientation?: number;
  obj: unknown;
  embed(doc: Pdf): void;
  finalize?: () => unknown;
}

/**
 * Draw a logo at (x, y), scaled to fit a box of `box` points without distortion (its own proportions
 * kept, top left of the box), and return the y below it. pdfkit decodes a PNG with transparency or
 * interlacing asynchronously: the image is embedded and its decoding awaited here, so its objects are
 * written in the same place of every rendering (the same document gives the same bytes).
 */
export async function drawLogo(doc: Pdf, logo: PdfLogo, x: number, y: number, box: { width: number; height: number }): Promise<number> {
  const d = doc as unknown as { openImage(src: Buffer): OpenedImage; image(src: unknown, x: number, y: number, o: object): void };
  const img = d.openImage(Buffer.from(logo.bytes.buffer, logo.bytes.byteOffset, logo.bytes.byteLength));
  if (!img.obj) {
    const finalize = img.finalize;
    if (finalize) {
      await new Promise<void>((resolve, reject) => {
        img.finalize = function wrapped(this: OpenedImage) {
          try {
            const r = finalize.call(this);
            resolve();
            return r;
          } catch (err) {
            reject(err as Error);
            throw err;
          }
        };
        img.embed(doc);
        // Embedded at once (no decoding needed): finalize already ran, or the image has none.
        if ((img as unknown as { image: unknown }).image === null) resolve();
      });
      img.finalize = finalize;
    } else img.embed(doc);
  }
  const turned = (img.orientation ?? 1) > 4;
  const w = turned ? img.height : img.width;
  const h = turned ? img.width : img.height;
  const scale = Math.min(box.width / w, box.height / h);
  d.image(img, x, y, { fit: [box.width, box.height] });
  return y + h * scale;
}

/** Start a new page when fewer than `needed` points are left above the bottom margin. */
export function ensureSpace(doc: Pdf, needed: number, bottom = 30): void {
  if (doc.y + needed > doc.page.height - MARGIN - bottom) {
    doc.addPage();
    doc.y = MARGIN;
  }
}

/** Write `text` in small grey type at the bottom of every page, with "page/pages" on the right. */
export function footer(doc: Pdf, text: string, pageLabel = (n: number, of: number) => `${n}/${of}`): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 10;
    // Writing inside the bottom margin would add a page: lift the margin while we write.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    face(doc, FONT, 7).fillColor('#555555');
    doc.text(pdfText(text), MARGIN, y, { width: doc.page.width - 2 * MARGIN - 40, align: 'left', lineBreak: true });
    doc.text(pageLabel(i - range.start + 1, range.count), doc.page.width - MARGIN - 40, y, { width: 40, align: 'right' });
    doc.page.margins.bottom = saved;
    face(doc, FONT, 10).fillColor('black');
  }
}

/**
 * Finish the document and write it to `file`: first to a temporary name in the same folder, then
 * renamed over the target, so the file is either the old one or the complete new one.
 */
export async function writePdf(doc: Pdf, file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new Error(`the folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  // Letters and statements hold personal data: 0600, like the ledger.
  const out = fs.createWriteStream(tmp, { mode: FILE_MODE });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.end();
  try {
    await done;
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Write PDF bytes already made (a frozen invoice) to `file` the same way: temporary name, then rename. */
export function writePdfBytes(bytes: Buffer, file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new Error(`the folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { mode: FILE_MODE });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Finish the document and return its bytes (for email attachments). */
export async function pdfBuffer(doc: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.end();
  return done;
}
