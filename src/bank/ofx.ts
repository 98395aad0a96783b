/**
 * OFX bank statements: 1.x (SGML: a "KEY:VALUE" header, then tags whose leaf elements are not
 * closed, e.g. "<TRNAMT>-12.50") and 2.x (XML: "<?OFX OFXHEADER="200" ...?>", every element
 * closed). One reader serves both: an element followed by text is a leaf whose closing tag is
 * optional; an aggregate must be closed by its own tag. One statement line per <STMTTRN>. Pure.
 */
import { bad, checkCurrency, clean, dateOf, parseDecimal } from './common.js';
import type { Statement, StatementLine } from './types.js';

interface Node {
  name: string;
  line: number;
  value: string | null;
  children: Node[];
}

export function looksLikeOfx(text: string): boolean {
  const head = text.slice(0, 1000).replace(/^\uFEFF/, '');
  return /^\s*OFXHEADER\s*:/.test(head) || /<\?OFX\s/i.test(head) || /^\s*(<\?xml[^>]*>\s*)?<OFX>/i.test(head);
}

const ENT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|nbsp);/g, (_, e: string) => ENT[e]!);

function tree(text: string, file: string): Node {
  const start = text.search(/<OFX>/i);
  if (start < 0) throw bad(file, 1, 'OFX', 'no <OFX> element: not an OFX file');
  let line = 1 + (text.slice(0, start).match(/\n/g)?.length ?? 0);
  const root: Node = { name: 'ROOT', line, value: null, children: [] };
  const stack: Node[] = [root];
  const re = /<(\/?)([A-Za-z0-9_.]+)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|([^<]+)/g;
  re.lastIndex = start;
  let m: RegExpExecArray | null;
  let pendingLeaf: Node | null = null;
  let last = start;
  while ((m = re.exec(text))) {
    if (m.index !== last) throw bad(file, line, 'OFX', `unexpected "${text.slice(last, m.index).slice(0, 20)}"`);
    last = re.lastIndex;
    const here = line;
    line += m[0].match(/\n/g)?.length ?? 0;
    if (m[3] !== undefined) {
      const t = m[3].trim();
      if (t === '') continue;
      const top = stack[stack.length - 1]!;
      if (!pendingLeaf || top !== pendingLeaf) throw bad(file, here, top.name, `text "${t.slice(0, 20)}" where an element was expected`);
      pendingLeaf.value = decode(t);
      stack.pop(); // a leaf: closed now whether or not </TAG> follows
      continue;
    }
    if (m[2] === undefined) continue; // comment or processing instruction
    const name = m[2].toUpperCase();
    if (m[1]) {
      const top = stack[stack.length - 1]!;
      if (pendingLeaf && pendingLeaf.name === name && top === pendingLeaf) {
        // <TAG></TAG>: an empty leaf
        pendingLeaf.value = '';
        stack.pop();
        pendingLeaf = null;
        continue;
      }
      const prev = top.children[top.children.length - 1];
      if (prev && prev.name === name && prev.value !== null) {
        pendingLeaf = null;
        continue; // the optional close of the leaf just read
      }
      if (top.name !== name) throw bad(file, here, name, `</${name}> closes <${top.name}>`);
      stack.pop();
      pendingLeaf = null;
      continue;
    }
    const node: Node = { name, line: here, value: null, children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
    pendingLeaf = node;
  }
  if (last !== text.length) throw bad(file, line, 'OFX', 'unexpected text at the end');
  if (stack.length > 1) throw bad(file, stack[stack.length - 1]!.line, stack[stack.length - 1]!.name, 'never closed');
  const ofx = root.children[0];
  if (!ofx || ofx.name !== 'OFX') throw bad(file, root.line, 'OFX', 'no <OFX> element');
  return ofx;
}

const kid = (n: Node | undefined, name: string) => n?.children.find((c) => c.name === name);
const val = (n: Node | undefined, name: string): string | null => {
  const v = kid(n, name)?.value?.trim();
  return v ? v : null;
};
function findAll(n: Node, name: string, out: Node[] = []): Node[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    else findAll(c, name, out);
  }
  return out;
}

/** OFX dates: YYYYMMDD[HHMMSS[.XXX]][[+-h:TZ]]; the day as written. */
function ofxDate(raw: string | null, file: string, line: number, field: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{6}(\.\d{3})?)?(\[[+-]?\d+(\.\d+)?(:\w+)?\])?$/.exec(raw ?? '');
  if (!m) throw bad(file, line, field, `"${raw ?? ''}" is not an OFX date (YYYYMMDD)`);
  return dateOf(Number(m[1]), Number(m[2]), Number(m[3]), raw!, file, line, field);
}

export function parseOfx(text: string, file: string): Statement {
  const src = text.replace(/^\uFEFF/, '');
  if (!looksLikeOfx(src)) throw bad(file, 1, 'OFXHEADER', 'not an OFX file (no OFXHEADER header and no <OFX>)');
  const ofx = tree(src, file);
  const rss = [...findAll(ofx, 'STMTRS'), ...findAll(ofx, 'CCSTMTRS')];
  if (rss.length === 0) throw bad(file, ofx.line, 'OFX', 'has no bank statement (<STMTRS>)');
  const lines: StatementLine[] = [];
  let accountId: string | null = null;
  let currency: string | null = null;
  for (const rs of rss) {
    const curdef = kid(rs, 'CURDEF');
    const ccy = checkCurrency(curdef?.value, file, curdef?.line ?? rs.line, 'CURDEF');
    currency ??= ccy;
    accountId ??= val(kid(rs, 'BANKACCTFROM') ?? kid(rs, 'CCACCTFROM'), 'ACCTID');
    for (const t of findAll(rs, 'STMTTRN')) {
      const posted = kid(t, 'DTPOSTED');
      const bookingDate = ofxDate(posted?.value ?? null, file, posted?.line ?? t.line, 'DTPOSTED');
      const avail = kid(t, 'DTAVAIL');
      const valueDate = avail?.value ? ofxDate(avail.value, file, avail.line, 'DTAVAIL') : null;
      const amt = kid(t, 'TRNAMT');
      if (!amt?.value) throw bad(file, t.line, 'TRNAMT', 'missing');
      const amount = parseDecimal(amt.value, file, amt.line, 'TRNAMT');
      const cur = kid(t, 'CURRENCY') ?? kid(t, 'ORIGCURRENCY');
      const lineCcy = cur ? checkCurrency(val(cur, 'CURSYM'), file, cur.line, `${cur.name}/CURSYM`) : ccy;
      const name = clean(val(t, 'NAME') ?? val(kid(t, 'PAYEE'), 'NAME'));
      const memo = clean(val(t, 'MEMO'));
      const remittance = [memo, clean(val(t, 'REFNUM'))].filter(Boolean);
      lines.push({
        position: lines.length + 1,
        sourceLine: t.line,
        bookingDate,
        valueDate,
        amount,
        currency: lineCcy,
        bankRef: val(t, 'FITID'),
        label: [name, memo].filter(Boolean).join(' ') || clean(val(t, 'TRNTYPE')),
        remittance,
        references: [],
        payerName: name || null,
        payerIban: null,
        reversal: false,
      });
    }
  }
  return { format: 'ofx', accountId, currency, lines };
}
