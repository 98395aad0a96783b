/**
 * A faster evaluator for the Handlebars templates relance ships (and most overrides), over the AST
 * Handlebars itself parses (hb.parse: the same whitespace control as hb.compile).
 *
 * Why: the reminder run renders the plain text of every message, and a message lists up to
 * hundreds of invoices; Handlebars' runtime costs about 2 us per helper call (an options object,
 * the helper wrapped again for every top-level call, a guarded property lookup), which made the
 * emails' text 40 % of `remind --due --dry-run` on 100k open invoices.
 *
 * What it evaluates, with Handlebars' semantics in strict mode: text, {{path}} / {{../path}} /
 * {{this.path}}, {{helper args}} and (helper args) subexpressions of the run's own helpers, string,
 * number and boolean literals, {{#if}}/{{#unless}}/{{#each}} with {{else}}, comments and
 * {{> partial}} (the indent kept as text, as preventIndent does). Unknown variables throw
 * Handlebars' own message ("x" not defined in ... - line:column).
 *
 * Anything else is not guessed at: a template using another construct (hash arguments, @data
 * variables, block parameters, other block helpers, dynamic partials, decorators...) is not
 * compiled here (compileFast returns null), and a value this evaluator does not model exactly
 * (a function, an inherited property, an object printed, a non-array #each, a null context...)
 * throws FALLBACK at run time: the caller then renders that message with Handlebars.
 */
type HB = typeof import('handlebars');

/** Thrown when a render meets something only Handlebars models; render again with Handlebars. */
export const FALLBACK: Error = new Error('relance: template value outside the fast evaluator; rendered by Handlebars');

/** A compiled template: the context, and the data frame its helpers see (data.root). */
export type FastTemplate = (ctx: unknown, data?: { root: unknown }) => string;

type Data = { root: unknown };
type Ctx = any;
type Ev = (ctx: Ctx, depths: Ctx[], data: Data) => unknown;
type Out = (ctx: Ctx, depths: Ctx[], data: Data) => string;

interface Loc {
  start: { line: number; column: number };
}
interface Node {
  type: string;
  loc: Loc;
  [k: string]: any;
}

class Unsupported extends Error {}

const hasOwn = Object.prototype.hasOwnProperty;
/** Handlebars' built-in helpers (knownHelpers): only if, unless and each are evaluated here, as blocks. */
const BUILTIN = new Set(['helperMissing', 'blockHelperMissing', 'each', 'if', 'unless', 'with', 'log', 'lookup']);

/** container.lookupProperty for own properties; anything else is Handlebars' call. */
function lookup(parent: Ctx, name: string): unknown {
  if (parent === null || parent === undefined || typeof parent !== 'object') throw FALLBACK;
  const r = parent[name];
  if (r === undefined || r === null) return r;
  if (name !== 'constructor' && hasOwn.call(parent, name)) return r;
  throw FALLBACK;
}

/** container.strict: the last segment of a path printed must exist. */
function strict(obj: Ctx, name: string, loc: Loc): unknown {
  if (obj && typeof obj !== 'object') throw FALLBACK;
  if (!obj || !(name in obj)) throw new Error('"' + name + '" not defined in ' + obj + ' - ' + loc.start.line + ':' + loc.start.column);
  return lookup(obj, name);
}

const protoName = (name: string) => name in Object.prototype || name === '__proto__';

export function compileFast(hb: HB, src: string, escape: boolean, partials: Map<string, FastTemplate | null>, options: object): FastTemplate | null {
  let ast: Node;
  try {
    ast = hb.parse(src, options as never) as unknown as Node;
  } catch {
    return null; // Handlebars reports the syntax error itself, as before
  }
  const helpers = hb.helpers as Record<string, (...args: unknown[]) => unknown>;
  let useDepths = false;

  const base = (p: Node): Ev => {
    if (p.data) throw new Unsupported();
    const depth: number = p.depth;
    if (depth > 0) useDepths = true;
    return depth === 0 ? (ctx) => ctx : (_ctx, depths) => depths[depth];
  };

  /** A path as a parameter: lookups, no existence check. */
  const paramPath = (p: Node): Ev => {
    const b = base(p);
    const parts: string[] = p.parts;
    if (parts.some(protoName)) throw new Unsupported();
    if (parts.length === 0) return b;
    if (parts.length === 1) {
      const n = parts[0]!;
      if (p.depth === 0) {
        // the common case, {{money balance currency}}: an own property of the context (ctx is an object here)
        return (ctx) => (hasOwn.call(ctx, n) ? ctx[n] : lookup(ctx, n));
      }
      return (ctx, d, data) => lookup(b(ctx, d, data), n);
    }
    return (ctx, d, data) => {
      let v = b(ctx, d, data);
      for (const n of parts) v = lookup(v, n);
      return v;
    };
  };

  /** A path printed (strictLookup): lookups, the last segment checked. */
  const strictPath = (p: Node): Ev => {
    const b = base(p);
    const parts: string[] = p.parts;
    if (parts.some(protoName)) throw new Unsupported();
    if (parts.length === 0) return b;
    const last = parts[parts.length - 1]!;
    const head = parts.slice(0, -1);
    const loc: Loc = p.loc;
    if (head.length === 0 && p.depth === 0) {
      // {{number}}: an own property of the context passes strict() and lookup() as it is
      return (ctx) => (hasOwn.call(ctx, last) ? ctx[last] : strict(ctx, last, loc));
    }
    return (ctx, d, data) => {
      let v = b(ctx, d, data);
      for (const n of head) v = lookup(v, n);
      return strict(v, last, loc);
    };
  };

  const simpleId = (p: Node) => p.type === 'PathExpression' && p.parts.length === 1 && !/^\.|this\b/.test(p.original) && !p.depth;

  const param = (n: Node): Ev => {
    switch (n.type) {
      case 'PathExpression':
        return paramPath(n);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral': {
        const v = n.value;
        return () => v;
      }
      case 'SubExpression':
        return sexpr(n, true);
      default:
        throw new Unsupported();
    }
  };

  const noFunction = (v: unknown) => {
    if (typeof v === 'function') throw FALLBACK;
    return v;
  };

  /** A mustache or subexpression's value (compiler.js classifySexpr: simple, helper or ambiguous). */
  const sexpr = (n: Node, isSub: boolean): Ev => {
    const path: Node = n.path;
    if (path.type !== 'PathExpression' || n.hash) throw new Unsupported();
    const params: Node[] = n.params ?? [];
    const isSimple = simpleId(path);
    const isHelper = isSub || params.length > 0;
    if (!isHelper && !isSimple) {
      const get = strictPath(path);
      return (ctx, d, data) => noFunction(get(ctx, d, data));
    }
    if (!isSimple || path.data) throw new Unsupported();
    const name: string = path.parts[0];
    if (BUILTIN.has(name) || protoName(name)) throw new Unsupported();
    const fn = hasOwn.call(helpers, name) ? helpers[name] : undefined;
    const loc: Loc = n.loc;
    if (!fn) {
      // Not a helper: Handlebars looks the name up on the context (strict) and calls it, or prints it.
      const get = strictPath(path);
      if (isHelper) {
        return (ctx, d, data) => {
          get(ctx, d, data);
          throw FALLBACK;
        };
      }
      return (ctx, d, data) => noFunction(get(ctx, d, data));
    }
    const args = params.map(param);
    const original: string = path.original;
    // The helper's options (name, hash, data, loc), made once per render: the run's helpers only read data.root.
    let lastData: Data | null = null;
    let lastOpts: object | null = null;
    const opts = (data: Data) => {
      if (data !== lastData) {
        lastData = data;
        lastOpts = { name: original, hash: {}, data, loc };
      }
      return lastOpts;
    };
    switch (args.length) {
      case 0:
        return (ctx, _d, data) => fn.call(ctx, opts(data));
      case 1: {
        const a = args[0]!;
        return (ctx, d, data) => fn.call(ctx, noFunction(a(ctx, d, data)), opts(data));
      }
      case 2: {
        const a = args[0]!;
        const b = args[1]!;
        return (ctx, d, data) => {
          const x = noFunction(a(ctx, d, data));
          return fn.call(ctx, x, noFunction(b(ctx, d, data)), opts(data));
        };
      }
      default:
        return (ctx, d, data) => {
          const vals: unknown[] = [];
          for (const a of args) vals.push(noFunction(a(ctx, d, data)));
          vals.push(opts(data));
          return fn.apply(ctx, vals);
        };
    }
  };

  const escapeExpression = hb.Utils.escapeExpression;
  const SafeString = hb.SafeString;
  const print = (v: unknown, escaped: boolean): string => {
    if (v === undefined || v === null) return '';
    switch (typeof v) {
      case 'string':
        return escaped ? escapeExpression(v) : v;
      case 'number':
      case 'boolean':
        return String(v);
      default:
        if (v instanceof SafeString) return escaped ? v.toHTML() : v.toString();
        throw FALLBACK;
    }
  };

  const program = (p: Node | null | undefined): Out => {
    if (!p) return () => '';
    if (p.blockParams && p.blockParams.length) throw new Unsupported();
    const outs: Out[] = [];
    for (const s of p.body as Node[]) {
      const o = statement(s);
      if (o) outs.push(o);
    }
    if (outs.length === 0) return () => '';
    if (outs.length === 1) return outs[0]!;
    return (ctx, d, data) => {
      let s = '';
      for (let i = 0; i < outs.length; i++) s += outs[i]!(ctx, d, data);
      return s;
    };
  };

  const statement = (s: Node): Out | null => {
    switch (s.type) {
      case 'ContentStatement': {
        const v: string = s.value;
        return v ? () => v : null;
      }
      case 'CommentStatement':
        return null;
      case 'MustacheStatement': {
        const get = sexpr(s, false);
        const escaped = escape && s.escaped !== false;
        return (ctx, d, data) => print(get(ctx, d, data), escaped);
      }
      case 'BlockStatement':
        return block(s);
      case 'PartialStatement': {
        if (s.name.type !== 'PathExpression' || (s.params && s.params.length) || s.hash || s.name.data || s.name.depth) throw new Unsupported();
        const name: string = s.name.original;
        const indent: string = s.indent ?? '';
        return (ctx, _d, data) => {
          const p = partials.get(name);
          if (!p) throw FALLBACK;
          return indent + p(ctx, data);
        };
      }
      default:
        throw new Unsupported();
    }
  };

  const block = (s: Node): Out => {
    const path: Node = s.path;
    if (path.type !== 'PathExpression' || !simpleId(path) || s.hash || (s.params ?? []).length !== 1) throw new Unsupported();
    const name: string = path.parts[0];
    const cond = param(s.params[0]);
    const fn = program(s.program);
    const inverse = program(s.inverse);
    if (name === 'if' || name === 'unless') {
      const yes = name === 'if' ? fn : inverse;
      const no = name === 'if' ? inverse : fn;
      return (ctx, d, data) => {
        const c = noFunction(cond(ctx, d, data));
        return !c || (Array.isArray(c) && c.length === 0) ? no(ctx, d, data) : yes(ctx, d, data);
      };
    }
    if (name === 'each') {
      return (ctx, d, data) => {
        const list = noFunction(cond(ctx, d, data));
        if (list && typeof list === 'object') {
          if (!Array.isArray(list)) throw FALLBACK;
          let out = '';
          let n = 0;
          for (let i = 0; i < list.length; i++) {
            if (!(i in list)) continue;
            const item = list[i];
            // a context is always an object here (primitives: Handlebars' `in` and lookups decide)
            if (item === null || typeof item !== 'object') throw FALLBACK;
            n++;
            out += fn(item, useDepths && item != d[0] ? [item, ...d] : d, data);
          }
          if (n > 0) return out;
        }
        return inverse(ctx, d, data);
      };
    }
    throw new Unsupported();
  };

  let main: Out;
  try {
    main = program(ast);
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
  return (ctx, data) => {
    if (ctx === null || ctx === undefined || typeof ctx !== 'object') throw FALLBACK;
    return main(ctx, [ctx], data ?? { root: ctx });
  };
}
