/**
 * A small, strict XML reader for the well-formed documents banks send (CAMT.053, OFX 2.x). No XML
 * parser is among the project's dependencies (saxes sits in node_modules only as exceljs's own
 * dependency, not ours to rely on), and these files use none of what makes XML hard: no DTD, no
 * external entities. What it reads: the prolog, elements with attributes, text, CDATA, comments,
 * processing instructions, the five predefined entities and character references. Anything else
 * (a DOCTYPE, an unknown entity, a tag left open or closed twice, text after the root) is refused
 * with the line it is on. Namespace prefixes are dropped: elements are known by their local name.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (children's text not included), entities decoded. */
  text: string;
  line: number;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
/** [A-Za-z_] */
const nameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** [\w.:-] */
const nameChar = (c: number) => nameStart(c) || (c >= 48 && c <= 58) || c === 46 || c === 45;
/** The name [A-Za-z_][\w.:-]* starting at `at`, or null. */
const nameAt = (src: string, at: number): string | null => {
  if (!nameStart(src.charCodeAt(at))) return null;
  let end = at + 1;
  while (end < src.length && nameChar(src.charCodeAt(end))) end++;
  return src.slice(at, end);
};
/** Attributes of an element that has none: one shared, frozen object. */
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** Children of an element that has none (most of a statement's): one shared, frozen array until the first. */
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

function decode(text: string, line: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;\s&<]*);|&/g, (all, ent: string | undefined) => {
    if (ent === undefined) throw new XmlError('a bare "&" (write &amp;)', line);
    if (ent.startsWith('#x') || ent.startsWith('#X')) {
      const n = parseInt(ent.slice(2), 16);
      if (!/^[0-9a-fA-F]+$/.test(ent.slice(2)) || n > 0x10ffff) throw new XmlError(`bad character reference &${ent};`, line);
      return String.fromCodePoint(n);
    }
    if (ent.startsWith('#')) {
      if (!/^\d+$/.test(ent.slice(1)) || Number(ent.slice(1)) > 0x10ffff) throw new XmlError(`bad character reference &${ent};`, line);
      return String.fromCodePoint(Number(ent.slice(1)));
    }
    const v = ENTITIES[ent];
    if (v === undefined) throw new XmlError(`unknown entity &${ent};`, line);
    return v;
  });
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/**
 * Called as each element closes, with its open ancestors (the root first, its parent last): true
 * takes it out of its parent's children (a reader done with it), so a long document's repeated
 * elements need not all be kept (bank/camt.ts reads each entry as it closes).
 */
export type OnClose = (el: XmlElement, ancestors: readonly XmlElement[]) => boolean;

/**
 * Parse a whole document; returns its root element. One pass, no regular expression per tag: a
 * 10k-entry CAMT.053 (6 MB) is read in about a tenth of a second (bench/README.md).
 */
export function parseXml(src: string, onClose?: OnClose): XmlElement {
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let nextNewline = src.indexOf('\n', i);
  const advance = (to: number) => {
    while (nextNewline >= 0 && nextNewline < to) {
      line++;
      nextNewline = src.indexOf('\n', nextNewline + 1);
    }
    i = to;
  };
  const stack: XmlElement[] = [];
  /** The qualified names of the open elements, as written (the closing tag is checked against it first). */
  const qnames: string[] = [];
  let top: XmlElement | undefined;
  const closed = (el: XmlElement) => {
    if (onClose && stack.length > 0 && onClose(el, stack)) stack[stack.length - 1]!.children.pop();
  };
  let root: XmlElement | null = null;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      if (!top) {
        if (raw.trim() !== '') throw new XmlError(`text outside the root element: "${raw.trim().slice(0, 30)}"`, line);
      } else top.text += decode(raw, line);
      advance(textEnd);
      continue;
    }
    const next = src.charCodeAt(i + 1);
    if (next === 33 /* ! */) {
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('a comment is never closed', line);
        advance(end + 3);
      } else if (src.startsWith('<![CDATA[', i)) {
        if (!top) throw new XmlError('CDATA outside the root element', line);
        const end = src.indexOf(']]>', i + 9);
        if (end < 0) throw new XmlError('a CDATA section is never closed', line);
        top.text += src.slice(i + 9, end);
        advance(end + 3);
      } else throw new XmlError('a DOCTYPE or declaration, which statements never have', line);
    } else if (next === 63 /* ? */) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) throw new XmlError('a processing instruction is never closed', line);
      advance(end + 2);
    } else if (next === 47 /* / */) {
      const q = qnames[qnames.length - 1];
      if (q !== undefined && src.startsWith(q, i + 2) && src.charCodeAt(i + 2 + q.length) === 62) {
        // the usual case: </name> closing the element open, as written (no name read again)
        const open = stack.pop()!;
        qnames.pop();
        top = stack[stack.length - 1];
        advance(i + 3 + q.length);
        closed(open);
        continue;
      }
      const name = nameAt(src, i + 2);
      const after = i + 2 + (name?.length ?? 0);
      const end = name && src.charCodeAt(after) === 62 ? after : src.indexOf('>', i);
      if (!name || end < 0 || (end !== after && src.slice(after, end).trim() !== '')) throw new XmlError('a malformed closing tag', line);
      const open = stack.pop();
      if (!open) throw new XmlError(`</${name}> closes nothing`, line);
      if (localName(name) !== open.name) throw new XmlError(`</${name}> closes <${open.name}> (opened on line ${open.line})`, line);
      qnames.pop();
      top = stack[stack.length - 1];
      advance(end + 1);
      closed(open);
    } else {
      const start = line;
      const qname = nameAt(src, i + 1);
      if (!qname) throw new XmlError('a "<" that starts no tag (write &lt;)', line);
      let j = i + 1 + qname.length;
      let attrs = NO_ATTRS;
      let selfClosing = false;
      for (;;) {
        const from = j;
        let c = src.charCodeAt(j);
        while (c === 32 || c === 10 || c === 9 || c === 13) c = src.charCodeAt(++j);
        if (c === 62 /* > */) {
          j++;
          break;
        }
        if (c === 47 /* / */ && src.charCodeAt(j + 1) === 62) {
          selfClosing = true;
          j += 2;
          break;
        }
        if (j === from) throw new XmlError(`a malformed tag <${qname}>`, line);
        ATTR.lastIndex = j;
        const a = ATTR.exec(src);
        if (!a) throw new XmlError(`a malformed attribute in <${qname}>`, line);
        if (attrs === NO_ATTRS) attrs = {};
        if (a[1]! in attrs) throw new XmlError(`attribute ${a[1]} given twice in <${qname}>`, line);
        attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', line);
        j += a[0].length;
      }
      const el: XmlElement = { name: localName(qname), attrs, children: NO_CHILDREN, text: '', line: start };
      if (top) {
        if (top.children === NO_CHILDREN) top.children = [el];
        else top.children.push(el);
      } else if (root) throw new XmlError(`a second root element <${qname}>`, line);
      else root = el;
      advance(j);
      if (!selfClosing) {
        stack.push(el);
        qnames.push(qname);
        top = el;
      } else closed(el);
    }
  }
  if (stack.length) throw new XmlError(`<${stack[stack.length - 1]!.name}> (line ${stack[stack.length - 1]!.line}) is never closed`, line);
  if (!root) throw new XmlError('no element at all', line);
  return root;
}

/** The first child with that name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Follow a path of child names ("NtryDtls/TxDtls"). */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let steps = paths.get(path);
  if (!steps) paths.set(path, (steps = path.split('/')));
  let cur = el;
  for (const p of steps) cur = child(cur, p);
  return cur;
}
/** The paths asked for, split once (a statement asks the same dozen for every entry). */
const paths = new Map<string, string[]>();

export function all(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Trimmed text at a path, or null when absent or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | null {
  const t = at(el, path)?.text.trim();
  return t ? t : null;
}
