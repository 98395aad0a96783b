/**
 * Missing mandatory mentions are caught at `invoice issue`, before the number is taken and the PDF
 * frozen: a professional client without SIREN, no billing address, no nature of the operation.
 * Without --strict, issue warns (one line per mention, saying how to add it); with --strict or the
 * ledger's invoice.strict, it refuses: exit 2, one line, the ledger unchanged, no PDF stored.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingMentions, type MentionFacts } from '../../src/core/mentions.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';

const complete: MentionFacts = {
  kind: 'invoice',
  ref: 'draft-1',
  draft: true,
  vatExempt: false,
  seller: { siren: '732829320', address: '12 rue des Lilas', vatNumber: 'FR44732829320' },
  buyer: { code: 'ACME', kind: 'b2b', siren: '552100554', vatNumber: null, address: '1 rue de la Paix' },
  operation: 'services',
};

describe('core/mentions', () => {
  it('finds nothing missing on a complete invoice', () => {
    expect(missingMentions(complete)).toEqual([]);
  });
  it('names each missing mention with its fix', () => {
    const m = missingMentions({ ...complete, buyer: { ...complete.buyer, siren: null, address: null }, operation: null });
    expect(m.map((x) => x.key)).toEqual(['buyer.address', 'buyer.siren', 'operation']);
    expect(m[1]!.fix).toBe('relance client edit ACME --siren 123456789');
    expect(m[2]!.fix).toBe('relance invoice edit draft-1 --operation services');
  });
  it('asks no SIREN of a consumer nor of a client with a foreign VAT number', () => {
    expect(missingMentions({ ...complete, buyer: { ...complete.buyer, kind: 'b2c', siren: null } })).toEqual([]);
    expect(missingMentions({ ...complete, buyer: { ...complete.buyer, siren: null, vatNumber: 'DE129273398' } })).toEqual([]);
    expect(missingMentions({ ...complete, buyer: { ...complete.buyer, siren: null, country: 'US' } })).toEqual([]);
    expect(missingMentions({ ...complete, buyer: { ...complete.buyer, siren: null, vatNumber: 'FR96552100554' } }).map((x) => x.key)).toEqual(['buyer.siren']);
  });
  it('asks no nature of the operation of a credit note or a penalty invoice, no VAT number of an exempt seller', () => {
    expect(missingMentions({ ...complete, kind: 'credit_note', operation: null })).toEqual([]);
    expect(missingMentions({ ...complete, kind: 'penalty', operation: null })).toEqual([]);
    expect(missingMentions({ ...complete, vatExempt: true, seller: { ...complete.seller, vatNumber: null } })).toEqual([]);
  });
});

describe('invoice issue checks the mentions first', () => {
  let sb: Sandbox;
  const ok = (args: string[]) => expectOk(sb, args);
  const pdfCount = () => {
    const db = new Database(sb.ledger, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM document_pdfs').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  beforeAll(() => {
    sb = sandbox('relance-mentions-');
    expect(sb.init().code).toBe(0);
    ok(['client', 'add', 'BARE', '--name', 'Bare SARL']);
    ok(['client', 'add', 'FULL', '--name', 'Full SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris']);
    ok(['invoice', 'new', 'BARE', '--line', 'Audit | 1 | 500 | 20', '--as-of', '2026-03-02']); // draft-1
    ok(['invoice', 'new', 'FULL', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--as-of', '2026-03-02']); // draft-2
    ok(['invoice', 'new', 'BARE', '--line', 'Audit | 1 | 500 | 20', '--as-of', '2026-03-02']); // draft-3
  });
  afterAll(() => sb.cleanup());

  it('--strict refuses: exit 2, one line naming every missing mention and its fix, nothing written', () => {
    const before = sb.snapshot();
    const r = sb.run(['invoice', 'issue', 'draft-1', '--strict', '--as-of', '2026-03-02']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(r.stderr).toContain('draft-1 is not issued: 3 mandatory mentions are missing');
    expect(r.stderr).toContain('relance client edit BARE --address');
    expect(r.stderr).toContain('relance client edit BARE --siren');
    expect(r.stderr).toContain('relance invoice edit draft-1 --operation services');
    expect(r.stderr).not.toMatch(/at .*\.ts|Error:/);
    expect(sb.snapshot()).toBe(before);
    expect(pdfCount()).toBe(0);
  });

  it('the ledger setting invoice.strict refuses the same way', () => {
    ok(['ledger', 'set', 'invoice.strict', 'true']);
    const before = sb.snapshot();
    const r = sb.run(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invoice.strict false');
    expect(sb.snapshot()).toBe(before);
    // a complete invoice issues under strict
    const full = ok(['invoice', 'issue', 'draft-2', '--as-of', '2026-03-02']);
    expect(full.stderr).toBe('');
    expect(full.stdout).toContain('Issued F-2026-0001');
    ok(['ledger', 'set', 'invoice.strict', 'false']);
  });

  it('without strict, issue goes on and warns once per missing mention, saying how to add it', async () => {
    const r = ok(['invoice', 'issue', 'draft-1', '--as-of', '2026-03-02']);
    expect(r.stdout).toContain('Issued F-2026-0002');
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^warning: F-2026-0002 is issued without the client's billing address.*relance client edit BARE --address/);
    expect(warnings[1]).toMatch(/^warning: F-2026-0002 is issued without the professional client's SIREN.*relance client edit BARE --siren/);
    expect(warnings[2]).toMatch(/^warning: F-2026-0002 is issued without the nature of the operation.*--operation services/);
    expect(pdfCount()).toBe(2);
  });

  it('invoice pdf warns with the same check, and the mention shows once fixed', async () => {
    const r = ok(['invoice', 'pdf', 'draft-3', '--out', `${sb.dir}/d3.pdf`]);
    expect(r.stderr).toContain("the professional client's SIREN (relance client edit BARE --siren 123456789)");
    expect(r.stderr).toContain('nature of the operation');
    ok(['invoice', 'edit', 'draft-3', '--operation', 'goods']);
    ok(['client', 'edit', 'BARE', '--siren', '732829320', '--address', '3 quai Perrache;69002 Lyon']);
    const r2 = ok(['invoice', 'issue', 'draft-3', '--strict', '--as-of', '2026-03-03']);
    expect(r2.stderr).toBe('');
    ok(['invoice', 'pdf', 'F-2026-0003', '--out', `${sb.dir}/f3.pdf`]);
    const text = (await pdfText(`${sb.dir}/f3.pdf`)).replace(/\s+/g, ' ');
    expect(text).toContain('SIREN 732829320');
    expect(text).toContain("Nature de l'opération : livraison de biens");
    expect(text).toContain('3 quai Perrache');
  });
});
