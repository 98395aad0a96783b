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
const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
const nameAt = (src: string, at: number): string | null => {
  NAME.lastIndex = at;
  return NAME.exec(src)?.[0] ?? null;
};

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

/** Parse a whole document; returns its root element. */
export function parseXml(src: string): XmlElement {
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (src.charCodeAt(k) === 10) line++;
    i = to;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const texts: string[][] = [];
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new XmlError(`text outside the root element: "${raw.trim().slice(0, 30)}"`, line);
      } else texts[texts.length - 1]!.push(decode(raw, line));
      advance(textEnd);
      continue;
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) throw new XmlError('a comment is never closed', line);
      advance(end + 3);
    } else if (src.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new XmlError('CDATA outside the root element', line);
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlError('a CDATA section is never closed', line);
      texts[texts.length - 1]!.push(src.slice(i + 9, end));
      advance(end + 3);
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) throw new XmlError('a processing instruction is never closed', line);
      advance(end + 2);
    } else if (src.startsWith('<!', i)) {
      throw new XmlError('a DOCTYPE or declaration, which statements never have', line);
    } else if (src.startsWith('</', i)) {
      const name = nameAt(src, i + 2);
      const end = src.indexOf('>', i);
      if (!name || end < 0 || src.slice(i + 2 + name.length, end).trim() !== '') throw new XmlError('a malformed closing tag', line);
      const open = stack.pop();
      if (!open) throw new XmlError(`</${name}> closes nothing`, line);
      if (localName(name) !== open.name) throw new XmlError(`</${name}> closes <${open.name}> (opened on line ${open.line})`, line);
      open.text = texts.pop()!.join('');
      advance(end + 1);
    } else {
      const start = line;
      const qname = nameAt(src, i + 1);
      if (!qname) throw new XmlError('a "<" that starts no tag (write &lt;)', line);
      const m = [qname] as const;
      let j = i + 1 + qname.length;
      const attrs: Record<string, string> = {};
      let selfClosing = false;
      for (;;) {
        const from = j;
        while (j < src.length && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 10 || src.charCodeAt(j) === 9 || src.charCodeAt(j) === 13)) j++;
        const ws = j - from;
        if (src.startsWith('/>', j)) {
          selfClosing = true;
          j += 2;
          break;
        }
        if (src[j] === '>') {
          j++;
          break;
        }
        if (ws === 0) throw new XmlError(`a malformed tag <${m[0]}>`, line);
        ATTR.lastIndex = j;
        const a = ATTR.exec(src);
        if (!a) throw new XmlError(`a malformed attribute in <${m[0]}>`, line);
        if (a[1]! in attrs) throw new XmlError(`attribute ${a[1]} given twice in <${m[0]}>`, line);
        attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', line);
        j += a[0].length;
      }
      const el: XmlElement = { name: localName(m[0]), attrs, children: [], text: '', line: start };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new XmlError(`a second root element <${m[0]}>`, line);
      else root = el;
      if (!selfClosing) {
        stack.push(el);
        texts.push([]);
      }
      advance(j);
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
  let cur = el;
  for (const p of path.split('/')) cur = child(cur, p);
  return cur;
}

export function all(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Trimmed text at a path, or null when absent or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | null {
  const t = at(el, path)?.text.trim();
  return t ? t : null;
}
