/**
 * No English left in the code (issue 20 §1): outside the catalogues (src/i18n/), a message given to
 * `new UsageError(`, `new LedgerError(`, `new LockedError(`, `io.out(`, `io.err(`, `warn(`,
 * `.description(`, `.summary(` or as an `.option(` description is a t()/tn() call, never a literal
 * with words in it. It fails listing file:line for each such literal.
 *
 * test/i18n/literals-allowed.txt lists what may stay: a path (the whole file, while its owner has
 * not converted it yet) or "path | text" (one literal whose text contains that string: keywords,
 * file names...). That list must shrink to those few strings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';

const CALLS: { re: RegExp; arg: number }[] = [
  { re: /\bnew (?:UsageError|LedgerError|LockedError)\(/g, arg: 0 },
  { re: /\bio\.(?:out|err)\(/g, arg: 0 },
  { re: /(?<![\w.])warn\(/g, arg: 1 },
  { re: /\.(?:description|summary)\(/g, arg: 0 },
  { re: /\.(?:option|requiredOption)\(/g, arg: 1 },
];

/** The source text of the JS expression starting at `i` (up to the next top-level "," or ")"), and where it ends. */
function expression(src: string, i: number): { text: string; end: number } {
  let depth = 0;
  const start = i;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = literalEnd(src, i);
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) i = src.length;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
    i++;
  }
  return { text: src.slice(start, i), end: i };
}

/** The index just after the string literal (quote or template, with its ${...}) that starts at `i`. */
function literalEnd(src: string, i: number): number {
  const q = src[i]!;
  i++;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === q) return i + 1;
    else if (q === '`' && c === '$' && src[i + 1] === '{') {
      const e = expression(src, i + 2);
      i = e.end + 1;
    } else i++;
  }
  return i;
}

/** The words a literal says, its ${...} parts left out. */
function words(literal: string): string {
  const q = literal[0];
  let body = literal.slice(1, -1);
  if (q === '`') {
    let out = '';
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '$' && body[i + 1] === '{') {
        i = expression(body, i + 2).end;
        out += ' ';
      } else out += body[i];
    }
    body = out;
  }
  return body.replace(/\\[nt]/g, ' ');
}

/** Literals with at least two words of two letters or more: a sentence someone reads. */
const SAYS_SOMETHING = /[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}/;

/** String literals at the top level of an argument (not those inside a t(...) call's arguments or a ternary's condition). */
function literalsOf(arg: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < arg.length) {
    const c = arg[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = literalEnd(arg, i);
      out.push(arg.slice(i, end));
      i = end;
    } else if (/[\w$.]/.test(c)) {
      // a call: skip its arguments (t('key', ...) or any other function computes the text)
      const m = /^[\w$.]+\s*\(/.exec(arg.slice(i));
      if (m) {
        const e = expression(arg, i + m[0].length);
        i = e.end + 1;
      } else i++;
    } else i++;
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p.endsWith(path.join('src', 'i18n')) ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function allowed(): { files: Set<string>; texts: { file: string; text: string }[] } {
  const files = new Set<string>();
  const texts: { file: string; text: string }[] = [];
  for (const raw of fs.readFileSync(path.join(ROOT, 'test', 'i18n', 'literals-allowed.txt'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const bar = line.indexOf(' | ');
    if (bar < 0) files.add(line);
    else texts.push({ file: line.slice(0, bar).trim(), text: line.slice(bar + 3) });
  }
  return { files, texts };
}

/** Every English literal given to a message call, as "file:line: literal". */
export function englishLiterals(): string[] {
  const allow = allowed();
  const found: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    if (allow.files.has(rel)) continue;
    const src = fs.readFileSync(file, 'utf8');
    for (const { re, arg } of CALLS) {
      for (const m of src.matchAll(re)) {
        let at = m.index! + m[0].length;
        let e = expression(src, at);
        for (let k = 0; k < arg && src[e.end] === ','; k++) e = expression(src, (at = e.end + 1));
        if (arg > 0 && at === m.index! + m[0].length) continue; // a call with fewer arguments
        for (const lit of literalsOf(e.text)) {
          const said = words(lit);
          if (!SAYS_SOMETHING.test(said)) continue;
          if (allow.texts.some((a) => a.file === rel && lit.includes(a.text))) continue;
          const line = src.slice(0, at).split('\n').length + e.text.slice(0, e.text.indexOf(lit)).split('\n').length - 1;
          found.push(`${rel}:${line}: ${lit.length > 100 ? lit.slice(0, 100) + '…' : lit}`);
        }
      }
    }
  }
  return found;
}

describe('messages go through the catalogue', () => {
  it('no English literal is given to UsageError, LedgerError, LockedError, io.out, io.err, warn, .description, .summary or .option', () => {
    expect(englishLiterals()).toEqual([]);
  });

  it('the allow-list names only files that exist', () => {
    const allow = allowed();
    const missing = [...allow.files, ...allow.texts.map((t) => t.file)].filter((f) => !fs.existsSync(path.join(ROOT, f)));
    expect(missing).toEqual([]);
  });
});
