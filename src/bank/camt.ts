/**
 * CAMT.053 (ISO 20022 BankToCustomerStatement), versions 001.02 to 001.13: what French banks export
 * for business accounts. One statement line per transaction: a batch entry (one Ntry with several
 * TxDtls) gives one line per TxDtls, with its own amount. Only booked entries are read (Sts BOOK;
 * 001.02 writes the code directly, 001.08 inside <Cd>). Pure: text in, lines out.
 */
import { all, at, child, parseXml, textAt, XmlError, type XmlElement } from './xml.js';
import { bad, checkCurrency, clean, compactIban, isoDate, parseDecimal } from './common.js';
import type { Statement, StatementLine } from './types.js';

const NS = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$/;

/** Whether the text looks like a CAMT.053 document (for format detection). */
export function looksLikeCamt(text: string): boolean {
  return /camt\.053\.001\.\d{2}/.test(text.slice(0, 2000)) || /<(\w+:)?BkToCstmrStmt[\s>]/.test(text.slice(0, 4000));
}

function amountOf(el: XmlElement | undefined, file: string, fallbackCcy: string | null): { cents: number; currency: string } | null {
  if (!el) return null;
  const currency = checkCurrency(el.attrs.Ccy ?? fallbackCcy, file, el.line, `${el.name} Ccy`);
  const cents = parseDecimal(el.text, file, el.line, el.name, '.');
  if (cents < 0) throw bad(file, el.line, el.name, `"${el.text.trim()}" is negative; CAMT amounts are unsigned, the sign is CdtDbtInd`);
  return { cents, currency };
}

function sign(el: XmlElement, file: string, path: string, required: boolean): 1 | -1 | null {
  const v = textAt(el, path);
  if (v === null) {
    if (required) throw bad(file, el.line, path, 'missing (CRDT or DBIT)');
    return null;
  }
  if (v === 'CRDT') return 1;
  if (v === 'DBIT') return -1;
  throw bad(file, at(el, path)!.line, path, `"${v}" is neither CRDT nor DBIT`);
}

function dateIn(el: XmlElement | undefined, file: string, field: string): string | null {
  if (!el) return null;
  const d = child(el, 'Dt') ?? child(el, 'DtTm');
  if (!d) throw bad(file, el.line, field, 'has neither Dt nor DtTm');
  return isoDate(d.text, file, d.line, `${field}/${d.name}`);
}

function party(tx: XmlElement | undefined, role: 'Dbtr' | 'Cdtr'): { name: string | null; iban: string | null } {
  const p = at(tx, `RltdPties/${role}`);
  // 001.08 and later nest the party in <Pty>; 001.02 has <Nm> directly.
  const name = textAt(p, 'Pty/Nm') ?? textAt(p, 'Nm');
  const iban = compactIban(textAt(tx, `RltdPties/${role}Acct/Id/IBAN`));
  return { name: name ? clean(name) : null, iban };
}

/** The lines of one booked entry (none for a pending one), appended to `lines` in order. */
function entryLines(ntry: XmlElement, ccy: string | null, file: string, lines: StatementLine[]): void {
  const sts = textAt(ntry, 'Sts/Cd') ?? textAt(ntry, 'Sts');
  if (sts === null) throw bad(file, ntry.line, 'Ntry/Sts', 'missing (BOOK, PDNG or INFO)');
  if (sts !== 'BOOK') return; // pending or information only: not money on the account yet
  const amt = amountOf(child(ntry, 'Amt'), file, ccy);
  if (!amt) throw bad(file, ntry.line, 'Ntry/Amt', 'missing');
  const entrySign = sign(ntry, file, 'CdtDbtInd', true)!;
  const rv = textAt(ntry, 'RvslInd');
  if (rv !== null && rv !== 'true' && rv !== 'false') throw bad(file, at(ntry, 'RvslInd')!.line, 'RvslInd', `"${rv}" is neither true nor false`);
  const bookingDate = dateIn(child(ntry, 'BookgDt'), file, 'BookgDt');
  if (!bookingDate) throw bad(file, ntry.line, 'Ntry/BookgDt', 'missing');
  const valueDate = dateIn(child(ntry, 'ValDt'), file, 'ValDt');
  const entryRef = textAt(ntry, 'AcctSvcrRef');
  const entryInfo = clean(textAt(ntry, 'AddtlNtryInf'));
  const txs = all(ntry, 'NtryDtls').flatMap((d) => all(d, 'TxDtls'));
  const reversal = rv === 'true';
  // every line literal lists its fields in StatementLine's order: one object shape for all (a spread of
  // shared fields made 10k objects of a slow shape, read again by every step of the import)
  if (txs.length === 0) {
    lines.push({ position: lines.length + 1, sourceLine: ntry.line, bookingDate, valueDate, amount: entrySign * amt.cents, currency: amt.currency, bankRef: entryRef, label: entryInfo, remittance: [], references: [], payerName: null, payerIban: null, reversal });
    return;
  }
  let sum = 0;
  txs.forEach((tx, k) => {
    const txAmt = amountOf(child(tx, 'Amt') ?? at(tx, 'AmtDtls/TxAmt/Amt'), file, amt.currency);
    if (!txAmt && txs.length > 1) throw bad(file, tx.line, 'TxDtls/Amt', 'missing in a batch entry of several transactions');
    const s = sign(tx, file, 'CdtDbtInd', false) ?? entrySign;
    const cents = txAmt ? txAmt.cents : amt.cents;
    if (txAmt && txAmt.currency !== amt.currency) throw bad(file, tx.line, 'TxDtls/Amt Ccy', `${txAmt.currency} in an entry booked in ${amt.currency}`);
    sum += s * cents;
    const counter = party(tx, s > 0 ? 'Dbtr' : 'Cdtr');
    const remittance = all(child(tx, 'RmtInf'), 'Ustrd').map((u) => clean(u.text)).filter(Boolean);
    const references = all(child(tx, 'RmtInf'), 'Strd')
      .map((st) => textAt(st, 'CdtrRefInf/Ref'))
      .filter((r): r is string => r !== null)
      .map(clean);
    const addtl = clean(textAt(tx, 'AddtlTxInf'));
    if (addtl) remittance.push(addtl);
    const e2e = textAt(tx, 'Refs/EndToEndId');
    if (e2e && e2e !== 'NOTPROVIDED') remittance.push(clean(e2e));
    const txRef = textAt(tx, 'Refs/AcctSvcrRef');
    const bankRef = txs.length === 1 ? (entryRef ?? txRef) : txRef && txRef !== entryRef ? txRef : entryRef ? `${entryRef}/${k + 1}` : null;
    const label = entryInfo || remittance[0] || counter.name || '';
    lines.push({ position: lines.length + 1, sourceLine: tx.line, bookingDate, valueDate, amount: s * cents, currency: amt.currency, bankRef, label, remittance, references, payerName: counter.name, payerIban: counter.iban, reversal });
  });
  if (txs.length > 1 && sum !== entrySign * amt.cents) {
    throw bad(file, ntry.line, 'Ntry/Amt', `the entry is ${(amt.cents / 100).toFixed(2)} but its ${txs.length} transactions add up to ${(Math.abs(sum) / 100).toFixed(2)}`);
  }
}

export function parseCamt053(text: string, file: string): Statement {
  const lines: StatementLine[] = [];
  let accountId: string | null = null;
  let currency: string | null = null;
  /** The Stmt elements whose account was read, each with its currency. */
  const headed = new Map<XmlElement, string | null>();
  /** A Stmt's account and currency, read before its first entry as the whole-tree reading did. */
  const head = (stmt: XmlElement): string | null => {
    const acct = child(stmt, 'Acct');
    accountId ??= compactIban(textAt(acct, 'Id/IBAN') ?? textAt(acct, 'Id/Othr/Id'));
    const ccy = textAt(acct, 'Ccy');
    if (ccy) currency ??= checkCurrency(ccy, file, at(acct, 'Ccy')!.line, 'Acct/Ccy');
    headed.set(stmt, ccy);
    return ccy;
  };
  // Each entry is read as it closes and dropped from the tree (a 10k-entry statement's 300k elements
  // were all kept, then read: most of the parse's garbage collection), while the document is what
  // the whole-tree reading accepts there: a Document of the CAMT namespace, in its first
  // BkToCstmrStmt, in a Stmt whose Acct came first. Anything else, and every entry after it, is read
  // from the tree at the end, in document order; the first field error is thrown after the XML and
  // the document's shape are known good, as before.
  let rootSeen: XmlElement | null = null;
  let rootOk = false;
  /** A Document of the CAMT namespace (its start tag is read whole before any entry closes). */
  const camtRoot = (root: XmlElement): boolean => {
    if (root !== rootSeen) {
      const ns = root.attrs.xmlns ?? Object.entries(root.attrs).find(([k]) => k.startsWith('xmlns:'))?.[1] ?? '';
      rootSeen = root;
      rootOk = root.name === 'Document' && (ns === '' || NS.test(ns));
    }
    return rootOk;
  };
  let streaming = true;
  let failed: unknown = null;
  const onClose = (el: XmlElement, up: readonly XmlElement[]): boolean => {
    if (!streaming || el.name !== 'Ntry') return false;
    const [root, body, stmt] = up;
    if (up.length !== 3 || !camtRoot(root!) || body!.name !== 'BkToCstmrStmt' || child(root, 'BkToCstmrStmt') !== body || stmt!.name !== 'Stmt' || (!headed.has(stmt!) && !child(stmt, 'Acct'))) {
      streaming = false;
      return false;
    }
    try {
      entryLines(el, headed.has(stmt!) ? headed.get(stmt!)! : head(stmt!), file, lines);
    } catch (err) {
      failed = err;
      streaming = false;
    }
    return true;
  };
  let root: XmlElement;
  try {
    root = parseXml(text, onClose);
  } catch (err) {
    if (err instanceof XmlError) throw bad(file, err.line, 'XML', err.message);
    throw err;
  }
  const ns = root.attrs.xmlns ?? Object.entries(root.attrs).find(([k]) => k.startsWith('xmlns:'))?.[1] ?? '';
  const body = child(root, 'BkToCstmrStmt');
  if (root.name !== 'Document' || !body || (ns !== '' && !NS.test(ns))) {
    throw bad(file, root.line, root.name, `not a CAMT.053 statement (expected <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"> with <BkToCstmrStmt>)`);
  }
  const stmts = all(body, 'Stmt');
  if (stmts.length === 0) throw bad(file, body.line, 'BkToCstmrStmt', 'has no <Stmt>');
  if (failed) throw failed;
  for (const stmt of stmts) {
    const ccy = headed.has(stmt) ? headed.get(stmt)! : head(stmt);
    for (const ntry of all(stmt, 'Ntry')) entryLines(ntry, ccy, file, lines);
  }
  return { format: 'camt053', accountId, currency, lines };
}
