/**
 * `relance invoice xml`: an issued invoice's e-invoice alone, for platforms that take XML. In CII,
 * the factur-x.xml embedded in the PDF frozen at issue when there is one (byte for byte what the
 * client received), else made now; in UBL, made now from the same data. Pure (bytes in, text out).
 */
import { inflateSync } from 'node:zlib';
import type { DocumentPdfData } from '../render/document-pdf.js';
import { toCii } from './cii.js';
import { FACTURX_FILE } from './facturx.js';
import { invoiceModel } from './model.js';
import { toUbl } from './ubl.js';

export type Syntax = 'cii' | 'ubl';
export const SYNTAXES: readonly Syntax[] = ['cii', 'ubl'];

export function invoiceXml(data: DocumentPdfData, syntax: Syntax, frozenPdf?: Buffer): { xml: string; from: 'frozen PDF' | 'ledger' } {
  if (syntax === 'cii' && frozenPdf) {
    const embedded = embeddedFile(frozenPdf, FACTURX_FILE);
    if (embedded) return { xml: embedded, from: 'frozen PDF' };
  }
  const model = invoiceModel(data);
  return { xml: syntax === 'cii' ? toCii(model) : toUbl(model), from: 'ledger' };
}

/**
 * An embedded file of a PDF relance wrote (pdfkit: plain objects, no object streams, Flate streams):
 * the file specification with /F (name), its /EF /F stream, inflated. undefined when there is none
 * (a PDF frozen before invoices were Factur-X).
 */
export function embeddedFile(pdf: Buffer, name: string): string | undefined {
  const text = pdf.toString('latin1');
  const spec = new RegExp(`/F \\(${name.replace(/[.]/g, '\\.')}\\)`).exec(text);
  if (!spec) return undefined;
  const objStart = text.lastIndexOf(' obj', spec.index);
  const objEnd = text.indexOf('endobj', spec.index);
  const ef = /\/EF\s*<<\s*\/F (\d+) 0 R/.exec(text.slice(objStart, objEnd));
  if (!ef) return undefined;
  const head = new RegExp(`(?:^|[\\r\\n])${ef[1]} 0 obj`).exec(text);
  if (!head) return undefined;
  const dictEnd = text.indexOf('stream', head.index);
  const dict = text.slice(head.index, dictEnd);
  let start = dictEnd + 'stream'.length;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
  if (!Number.isFinite(length)) return undefined;
  const raw = pdf.subarray(start, start + length);
  return (/\/Filter \/FlateDecode/.test(dict) ? inflateSync(raw) : raw).toString('utf8');
}
