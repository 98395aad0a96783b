/** The statement parsers, in process, on the fixtures and on small broken variants. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCamt053 } from '../../src/bank/camt.js';
import { parseCfonb120 } from '../../src/bank/cfonb.js';
import { mappingFromHeader, parseBankCsv, PROFILES } from '../../src/bank/csv.js';
import { parseOfx } from '../../src/bank/ofx.js';
import { decodeText, detectFormat, readStatement } from '../../src/bank/read.js';
import { parseXml } from '../../src/bank/xml.js';
import { fixture } from './scenario.js';

const text = (name: string) => fs.readFileSync(fixture(name), 'utf8');

describe('xml reader', () => {
  it('reads elements, attributes, entities, CDATA, comments; drops namespace prefixes', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- c --><a:Doc xmlns:a="u" k=\'v&amp;w\'><B>x &lt; y &#233;&#xE9;</B><C><![CDATA[<raw>]]></C><D/></a:Doc>');
    expect(root.name).toBe('Doc');
    expect(root.attrs.k).toBe('v&w');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['B', 'x < y éé'],
      ['C', '<raw>'],
      ['D', ''],
    ]);
  });
  it('refuses what is not well-formed, with the line', () => {
    expect(() => parseXml('<a>\n<b></a>')).toThrow(/<\/a> closes <b>/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<!DOCTYPE x><a/>')).toThrow(/DOCTYPE/);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root/);
    expect(() => parseXml('<a>\n\n<b>')).toThrow(/never closed/);
    try {
      parseXml('<a>\n\n<b x="1" x="2"/></a>');
    } catch (e) {
      expect((e as { line: number }).line).toBe(3);
    }
  });
});

describe('CAMT.053', () => {
  it('001.08: entries, dates, sign, currency, references, debtor, remittance, reversal', () => {
    const s = parseCamt053(text('camt053-001.08-march.xml'), 'm.xml');
    expect(s).toMatchObject({ format: 'camt053', accountId: 'FR7630006000011234567890189', currency: 'EUR' });
    expect(s.lines).toHaveLength(11);
    expect(s.lines[0]).toMatchObject({
      bookingDate: '2026-03-03',
      valueDate: '2026-03-03',
      amount: 120_000,
      currency: 'EUR',
      bankRef: 'BQ2026030301',
      label: 'VIR SEPA RECU ACME SAS',
      references: ['RF12F20260001'],
      payerName: 'ACME SAS',
      payerIban: 'FR7611111111111111111111111',
      reversal: false,
    });
    expect(s.lines[1]!.remittance).toEqual(['facture f 2026 0002 merci', 'ACME-PAY-0002']);
    expect(s.lines[5]).toMatchObject({ currency: 'USD', amount: 90_000 });
    expect(s.lines[8]).toMatchObject({ amount: -5000, payerName: 'GLOBEX LTD' }); // the creditor of a debit
    expect(s.lines[9]).toMatchObject({ amount: -50_000, reversal: true });
  });
  it('001.02: a batch entry gives one line per TxDtls with its own amount and reference; pending entries skipped', () => {
    const s = parseCamt053(text('camt053-001.02-batch.xml'), 'b.xml');
    expect(s.lines.map((l) => [l.bankRef, l.amount, l.bookingDate, l.payerName, l.payerIban])).toEqual([
      ['BATCH-19-001-A', 120_000, '2026-03-19', 'ACME SAS', 'FR7611111111111111111111111'],
      ['BATCH-19-001-B', 30_000, '2026-03-19', 'Globex Ltd', null],
    ]);
    expect(s.lines[0]!.references).toEqual(['RF12 F202 6000 1']);
    expect(s.lines[1]!.remittance[0]).toBe('Facture F-2026-0003 & merci');
  });
  it('refuses a batch whose transactions do not add up, a bad sign, a missing status', () => {
    const t = text('camt053-001.02-batch.xml');
    expect(() => parseCamt053(t.replace('<Amt Ccy="EUR">300.00</Amt>', '<Amt Ccy="EUR">301.00</Amt>'), 'b.xml')).toThrow(/b\.xml line \d+, Ntry\/Amt: the entry is 1500\.00 but its 2 transactions add up to 1501\.00/);
    expect(() => parseCamt053(t.replace('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CREDIT</CdtDbtInd>'), 'b.xml')).toThrow(/CdtDbtInd: "CREDIT" is neither CRDT nor DBIT/);
    expect(() => parseCamt053(t.replace('<Sts>BOOK</Sts>', ''), 'b.xml')).toThrow(/Ntry\/Sts: missing/);
    expect(() => parseCamt053(t.replace('<Dt>2026-03-19</Dt>', '<Dt>2026-02-30</Dt>'), 'b.xml')).toThrow(/ValDt\/Dt: "2026-02-30" is not a date/);
  });
  // entries are read as they close (bank/camt.ts): the lines and the errors are those of reading the whole tree
  const entry = (ref: string, amt: string) =>
    `<Ntry><Amt>${amt}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-20</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef></Ntry>`;
  const doc = (stmts: string, ns = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08') => `<?xml version="1.0"?>\n<Document xmlns="${ns}"><BkToCstmrStmt><GrpHdr><MsgId>X</MsgId></GrpHdr>${stmts}</BkToCstmrStmt></Document>\n`;
  const acct = (ccy: string) => `<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>${ccy}</Ccy></Acct>`;
  it('entries read as they close: the same lines where the account comes after them, or in a second statement', () => {
    const s = parseCamt053(doc(`<Stmt><Id>1</Id>${acct('EUR')}${entry('A', '1.00')}${entry('B', '2.00')}</Stmt><Stmt><Id>2</Id>${entry('C', '3.00')}${acct('USD')}${entry('D', '4.00')}</Stmt>`), 's.xml');
    expect(s.lines.map((l) => [l.position, l.bankRef, l.amount, l.currency])).toEqual([
      [1, 'A', 100, 'EUR'],
      [2, 'B', 200, 'EUR'],
      [3, 'C', 300, 'USD'],
      [4, 'D', 400, 'USD'],
    ]);
    expect([s.accountId, s.currency]).toEqual(['FR7630006000011234567890189', 'EUR']);
  });
  it('entries read as they close: a bad entry is reported after the XML and the document are found good', () => {
    const bad = `<Stmt><Id>1</Id>${acct('EUR')}${entry('A', 'x')}${entry('B', 'y')}</Stmt>`;
    expect(() => parseCamt053(doc(bad), 's.xml')).toThrow(/s\.xml line 2, Amt: "x" is not an amount/);
    expect(() => parseCamt053(doc(bad).replace('</Document>', '</Documnt>'), 's.xml')).toThrow(/XML: <\/Documnt> closes <Document>/);
    expect(() => parseCamt053(doc(bad, 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.08'), 's.xml')).toThrow(/not a CAMT\.053 statement/);
    expect(() => parseCamt053(doc(`<Stmt><Id>1</Id>${acct('XXY')}${entry('A', 'x')}</Stmt>`), 's.xml')).toThrow(/Acct\/Ccy: "XXY" is not a known ISO 4217/);
  });
});

describe('OFX', () => {
  it('1.0.2 SGML in Windows-1252, leaf elements unclosed, decimal comma, date with a time zone', () => {
    const bytes = fs.readFileSync(fixture('ofx102-sgml.ofx'));
    const s = parseOfx(decodeText(bytes, 'o.ofx'), 'o.ofx');
    expect(s).toMatchObject({ accountId: '12345678901', currency: 'EUR' });
    expect(s.lines.map((l) => [l.bookingDate, l.amount, l.bankRef])).toEqual([
      ['2026-03-03', 120_000, 'OFX-0303-1'],
      ['2026-03-05', 40_000, 'OFX-0305-1'],
      ['2026-03-11', -5000, 'OFX-0311-1'],
    ]);
    expect(s.lines[1]!.remittance[0]).toBe('Facture F 2026 0005 réglée en partie');
  });
  it('2.2 XML, a transaction in another currency', () => {
    const s = parseOfx(text('ofx220-xml.ofx'), 'x.ofx');
    expect(s.lines.map((l) => [l.amount, l.currency, l.remittance[0]])).toEqual([
      [75_000, 'EUR', 'F-2026-0003 & F-2026-0004'],
      [90_000, 'USD', 'Invoice F-2026-0007'],
    ]);
  });
  it('refuses a bad amount, an unknown currency, a mismatched tag', () => {
    const t = text('ofx220-xml.ofx');
    expect(() => parseOfx(t.replace('<TRNAMT>750.00', '<TRNAMT>7x0'), 'x.ofx')).toThrow(/x\.ofx line \d+, TRNAMT: "7x0" is not an amount/);
    expect(() => parseOfx(t.replace('<CURDEF>EUR', '<CURDEF>EUX'), 'x.ofx')).toThrow(/CURDEF: "EUX" is not a known ISO 4217/);
    expect(() => parseOfx(t.replace('</BANKTRANLIST>', '</STMTRS>'), 'x.ofx')).toThrow(/<\/STMTRS> closes <BANKTRANLIST>/);
  });
});

describe('CFONB 120', () => {
  it('01/04/05/07: movements, signed amounts, complements', () => {
    const s = parseCfonb120(text('cfonb120-march.txt'), 'c.txt');
    expect(s).toMatchObject({ format: 'cfonb120', accountId: '300060000112345678901', currency: 'EUR' });
    expect(s.lines.map((l) => [l.bookingDate, l.valueDate, l.amount, l.label, l.payerName, l.remittance])).toEqual([
      ['2026-03-03', '2026-03-03', 120_000, 'VIR SEPA ACME SAS', 'ACME SAS', ['PAIEMENT RF12F20260001']],
      ['2026-03-05', '2026-03-05', 8000, 'VIR SEPA MME CLAIRE MARTIN', 'MME CLAIRE MARTIN', []],
      ['2026-03-11', '2026-03-11', -1250, 'PRLV FRAIS TENUE DE COMPTE', null, []],
    ]);
  });
  it('refuses a record of the wrong length, an unknown code, a bad amount', () => {
    const t = text('cfonb120-march.txt');
    const rows = t.split('\r\n');
    expect(() => parseCfonb120([rows[0], rows[1] + 'X', ...rows.slice(2)].join('\n'), 'c.txt')).toThrow(/c\.txt line 2, record: is 121 characters/);
    expect(() => parseCfonb120([rows[0], '09' + rows[1]!.slice(2), ...rows.slice(2)].join('\n'), 'c.txt')).toThrow(/line 2, record code \(positions 1-2\): "09"/);
    expect(() => parseCfonb120([rows[0], rows[1]!.slice(0, 90) + '0000000001200X' + rows[1]!.slice(104), ...rows.slice(2)].join('\n'), 'c.txt')).toThrow(/line 2, amount \(positions 91-104\)/);
    expect(() => parseCfonb120(rows.slice(0, 3).join('\n'), 'c.txt')).toThrow(/never ends/);
  });
});

describe('CSV', () => {
  it('reads the header names, Latin-1, a preamble, débit/crédit columns, thousands with spaces', () => {
    const s = readStatement(fs.readFileSync(fixture('csv-fr-debit-credit-latin1.csv')), 'l.csv', { currency: 'EUR' });
    expect(s.lines.map((l) => [l.sourceLine, l.bookingDate, l.amount])).toEqual([
      [3, '2026-03-03', 120_000],
      [4, '2026-03-04', 75_000],
      [5, '2026-03-11', -8520],
    ]);
    expect(mappingFromHeader(['Date opération', 'Date de valeur', 'Libellé', 'Débit euros', 'Crédit euros'])).toEqual({ date: 1, valueDate: 2, label: 3, debit: 4, credit: 5 });
  });
  it('profiles and saved mappings, a signed amount, two-digit years, a decimal point', () => {
    const s = parseBankCsv('01/03/26,VIR X,"1,234.50"\n02/03/26,FRAIS,-3.00\n', 'q.csv', { currency: 'EUR', mapping: { ...PROFILES['fr-signed']!.mapping, delimiter: ',', decimal: '.', dateFormat: 'dd/mm/yy' } });
    expect(s.lines.map((l) => [l.bookingDate, l.amount])).toEqual([
      ['2026-03-01', 123_450],
      ['2026-03-02', -300],
    ]);
  });
  it('a line that does not parse names the line and the column', () => {
    expect(() => parseBankCsv('Date;Libellé;Montant\n01/03/2026;A;1,00\n01/13/2026;B;2,00\n', 'x.csv', { currency: 'EUR' })).toThrow(/x\.csv line 3, column 1 \(date\): "01\/13\/2026" is not a date/);
    expect(() => parseBankCsv('Date;Libellé;Débit;Crédit\n01/03/2026;A;1,00;2,00\n', 'x.csv', { currency: 'EUR' })).toThrow(/line 2, columns 3\/4 \(debit\/credit\): both a debit and a credit/);
    expect(() => parseBankCsv('Date;Libellé;Montant;Devise\n01/03/2026;A;1,00;ZZZ\n', 'x.csv', { currency: 'EUR' })).toThrow(/line 2, column 4 \(currency\): "ZZZ" is not a known/);
  });
  it('detects the formats from the content', () => {
    expect(detectFormat(text('camt053-001.08-march.xml'))).toBe('camt053');
    expect(detectFormat(text('ofx220-xml.ofx'))).toBe('ofx');
    expect(detectFormat(fs.readFileSync(fixture('ofx102-sgml.ofx'), 'latin1'))).toBe('ofx');
    expect(detectFormat(text('cfonb120-march.txt'))).toBe('cfonb120');
    expect(detectFormat(text('csv-fr-signed-bom.csv'))).toBe('csv');
    expect(() => readStatement(Buffer.from(text('csv-fr-value-date.csv')), 'releve.xml', { currency: 'EUR' })).toThrow(/releve\.xml line 1, format: is not CAMT\.053 XML \(it looks like csv\)/);
    expect(() => readStatement(Buffer.from('<html><body>login</body></html>'), 'releve.ofx', { currency: 'EUR' })).toThrow(/releve\.ofx line 1, format: is not OFX/);
    expect(() => readStatement(Buffer.from(text('ofx220-xml.ofx')), 'x.ofx', { currency: 'EUR', format: 'camt053' })).toThrow(/x\.ofx line 1, format: is not CAMT\.053 XML \(it looks like ofx\)/);
  });
});
