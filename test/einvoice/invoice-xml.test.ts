/**
 * End to end on a fresh ledger: an invoice issued with bin/relance is frozen as a Factur-X PDF whose
 * factur-x.xml passes the official validators; `invoice xml` writes that same XML, or UBL; a PDF
 * frozen before invoices were Factur-X stays as it was, and `invoice xml` still gives its XML.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceReference } from '../../src/core/payment-reference.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { attachments, frozenPdf } from './pdf-read.js';
import { fatal, schematron, xsdErrors } from './validators.js';

// Heavy checks (Saxon, pdftoppm, spawning bin/relance): seconds each alone, far more on a loaded machine.
const SLOW = 180_000;

let sb: Sandbox;
const ok = (args: string[]) => expectOk(sb, args);
const frozen = (number: string): Buffer => frozenPdf(sb.ledger, number);

beforeAll(() => {
  sb = sandbox('relance-einvoice-');
  expect(sb.init().code).toBe(0);
  ok(['ledger', 'set', 'business.bic', 'AGRIFRPP']);
  ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example']);
  const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Audit | 2 | 450 | 20', '--line', 'Livres | 3 | 20 | 5.5 | 10%', '--json']).stdout) as { ref: string };
  ok(['invoice', 'issue', draft.ref, '--date', '2026-03-05']);
}, SLOW);
afterAll(() => sb.cleanup());

describe('invoice issue freezes a Factur-X PDF', { timeout: SLOW }, () => {
  it('whose factur-x.xml passes the XSD, EN 16931 and BR-FR, and invoice xml prints it', async () => {
    const files = await attachments(frozen('F-2026-0001'));
    const xml = files['factur-x.xml']!;
    expect(xml).toBeDefined();
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('cii', xml))).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
    expect(xml).toContain(`<ram:PaymentReference>${invoiceReference('F-2026-0001')}</ram:PaymentReference>`);
    expect(xml).toContain('<ram:ID schemeID="0002">552100554</ram:ID>');
    expect(xml).toContain('<ram:IBANID>FR7630006000011234567890189</ram:IBANID>');
    const r = ok(['invoice', 'xml', 'F-2026-0001']);
    expect(r.stdout).toBe(xml);
    expect(r.stderr).toBe('');
  });

  it('invoice xml --syntax ubl --out writes a UBL invoice that passes the UBL rules', async () => {
    const out = path.join(sb.dir, 'f1-ubl.xml');
    const r = ok(['invoice', 'xml', 'F-2026-0001', '--syntax', 'ubl', '--out', out]);
    expect(r.stdout).toBe('');
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"');
    expect(fatal(await schematron('ubl', xml))).toEqual([]);
    expect(fatal(await schematron('ublFr', xml))).toEqual([]);
  });

  it('refuses an unknown syntax, a draft and an unknown number with exit 2, one line each', () => {
    const draft = JSON.parse(ok(['invoice', 'new', 'ACME', '--line', 'Suivi | 1 | 100 | 20', '--json']).stdout) as { ref: string };
    const before = sb.snapshot();
    const bad = sb.run(['invoice', 'xml', 'F-2026-0001', '--syntax', 'edifact']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--syntax: "edifact" is not one of cii, ubl/);
    const d = sb.run(['invoice', 'xml', draft.ref]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/is a draft; issue it first/);
    const u = sb.run(['invoice', 'xml', 'F-2099-0001']);
    expect(u.code).toBe(2);
    expect(u.stderr.trim().split('\n')).toHaveLength(1);
    expect(sb.snapshot()).toBe(before);
    ok(['invoice', 'delete', draft.ref]);
  });

  it('keeps a PDF frozen before invoices were Factur-X as it was, and still gives its XML', async () => {
    // A PDF stored by an earlier relance: standard fonts, no attachment (here: any PDF without one).
    const old = Buffer.from('%PDF-1.3\n%\xff\xff\xff\xff\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const db = new Database(sb.ledger);
    db.prepare("UPDATE document_pdfs SET pdf = ? WHERE document_id = (SELECT id FROM documents WHERE number = 'F-2026-0001')").run(old);
    db.close();
    const out = path.join(sb.dir, 'old.pdf');
    ok(['invoice', 'pdf', 'F-2026-0001', '--out', out]);
    expect(fs.readFileSync(out).equals(old)).toBe(true);
    const xml = ok(['invoice', 'xml', 'F-2026-0001']).stdout;
    expect(await xsdErrors(xml)).toEqual([]);
    expect(fatal(await schematron('ciiFr', xml))).toEqual([]);
  });
});
