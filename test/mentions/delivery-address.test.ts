/**
 * Delivery addresses (issue 15 §2, décret 2022-1299): the client's usual one (client --delivery-address)
 * and an invoice's own (invoice new|edit --delivery-address), printed on the invoice and carried in its
 * e-invoice (ShipToTradeParty) when it is not the billing address; left out when it is.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectOk } from '../helpers/expect-run.js';
import { pdfText } from '../helpers/pdf.js';

describe('client and invoice delivery addresses', () => {
  let sb: Sandbox;
  const ok = (args: string[]) => expectOk(sb, args);
  const issued = async (n: string) => {
    const out = path.join(sb.dir, `${n}.pdf`);
    ok(['invoice', 'pdf', n, '--out', out]);
    return { text: await pdfText(out), xml: ok(['invoice', 'xml', n]).stdout };
  };
  beforeAll(() => {
    sb = sandbox('relance-delivery-address-');
    expect(sb.init().code).toBe(0);
    ok(['client', 'add', 'ACME', '--name', 'ACME SAS', '--siren', '552100554', '--address', '1 rue de la Paix;75002 Paris', '--delivery-address', 'Entrepôt Nord;12 rue du Port;59000 Lille']);
    ok(['client', 'add', 'SAME', '--name', 'Même SARL', '--siren', '732829320', '--address', '3 quai Perrache;69002 Lyon', '--delivery-address', '3 quai Perrache;69002 Lyon']);
    ok(['invoice', 'new', 'ACME', '--line', 'Palettes | 2 | 300 | 20', '--operation', 'goods', '--issue', '--as-of', '2026-03-02']);
    ok(['invoice', 'new', 'ACME', '--line', 'Palettes | 1 | 300 | 20', '--operation', 'goods', '--delivery-address', 'Magasin Sud;4 cours Mirabeau;13100 Aix-en-Provence', '--as-of', '2026-03-02']);
    ok(['invoice', 'issue', 'draft-2', '--as-of', '2026-03-02']);
    ok(['invoice', 'new', 'SAME', '--line', 'Audit | 1 | 500 | 20', '--operation', 'services', '--issue', '--as-of', '2026-03-02']);
  });
  afterAll(() => sb.cleanup());

  it('keeps the client\'s delivery address and shows it', () => {
    expect(ok(['client', 'show', 'ACME']).stdout).toMatch(/delivery address: +Entrepôt Nord\n +12 rue du Port/);
    const json = JSON.parse(ok(['client', 'show', 'ACME', '--json']).stdout);
    expect(JSON.stringify(json)).toContain('Entrepôt Nord\\n12 rue du Port\\n59000 Lille');
  });

  it("prints the client's delivery address beside the billing address and puts it in the e-invoice", async () => {
    const { text, xml } = await issued('F-2026-0001');
    expect(text).toContain('Adresse de livraison');
    expect(text).toContain('12 rue du Port');
    expect(text).toContain('1 rue de la Paix');
    expect(xml).toMatch(/<ram:ShipToTradeParty>[\s\S]*12 rue du Port[\s\S]*<\/ram:ShipToTradeParty>/);
  });

  it("takes an invoice's own delivery address over the client's", async () => {
    const { text, xml } = await issued('F-2026-0002');
    expect(text).toContain('4 cours Mirabeau');
    expect(text).not.toContain('12 rue du Port');
    expect(xml).toContain('4 cours Mirabeau');
    expect(JSON.parse(ok(['invoice', 'show', 'F-2026-0002', '--json']).stdout).deliveryAddress).toBe('Magasin Sud\n4 cours Mirabeau\n13100 Aix-en-Provence');
  });

  it('leaves it out when it is the billing address', async () => {
    const { text, xml } = await issued('F-2026-0003');
    expect(text).not.toContain('Adresse de livraison');
    expect(xml).not.toContain('<ram:ShipToTradeParty>');
  });

  it('clears a draft\'s own address with "" so the client\'s applies again', () => {
    ok(['invoice', 'new', 'ACME', '--line', 'Palettes | 1 | 300 | 20', '--delivery-address', 'Ailleurs;1 rue X;75001 Paris', '--as-of', '2026-03-03']);
    ok(['invoice', 'edit', 'draft-4', '--delivery-address', '']);
    expect(JSON.parse(ok(['invoice', 'show', 'draft-4', '--json']).stdout).deliveryAddress).toBeNull();
  });
});

describe('deposit --issue checks the mandatory mentions as invoice issue does', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('relance-deposit-mentions-');
    expect(sb.init().code).toBe(0);
    expect(sb.run(['client', 'add', 'NOSIREN', '--name', 'Sans Siren SAS', '--address', '1 rue de la Paix;75002 Paris']).code).toBe(0);
    expect(sb.run(['quote', 'new', 'NOSIREN', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-03-01', '--operation', 'services']).code).toBe(0);
    expect(sb.run(['quote', 'accept', 'D-2026-0001', '--signed-by', 'J. Martin', '--date', '2026-03-02']).code).toBe(0);
  });
  afterAll(() => sb.cleanup());

  it('refuses under invoice.strict (exit 2, nothing written), else issues and warns', () => {
    expect(sb.run(['ledger', 'set', 'invoice.strict', 'true']).code).toBe(0);
    const before = sb.snapshot();
    const refused = sb.run(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-03-03']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('relance client edit NOSIREN --siren');
    expect(sb.snapshot()).toBe(before);
    expect(sb.run(['ledger', 'set', 'invoice.strict', 'false']).code).toBe(0);
    const r = sb.run(['deposit', 'D-2026-0001', '--percent', '30', '--issue', '--date', '2026-03-03']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Issued deposit invoice F-2026-0001/);
    expect(r.stderr).toMatch(/F-2026-0001 is issued without .*relance client edit NOSIREN --siren/);
  });
});
