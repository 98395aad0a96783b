/** The pure builders of src/exchange: entries (balance, lettering), FEC text, cell parsers, row checks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vatOn } from '../../src/core/vat.js';
import { mapColumns, INVOICE_FIELDS } from '../../src/exchange/columns.js';
import { buildEntries, documentEntry, entryBalance, letterCode, type BookDocument, type BookPayment } from '../../src/exchange/entries.js';
import { buildFec, fecAmount, fecFileName } from '../../src/exchange/fec.js';
import { buildJournal } from '../../src/exchange/journal.js';
import { patternRegex, planInvoiceImport, problemJson, problemText, type InvoiceContext } from '../../src/exchange/import-rows.js';
import { excelSerialDate, parseCellAmount, parseCellDate, parseCellRate } from '../../src/exchange/sheet-cells.js';

const client = { id: 1, code: 'ACME', name: 'ACME SAS' };
const doc = (over: Partial<BookDocument>): BookDocument => ({
  id: 1, kind: 'invoice', number: 'F-1', clientId: 1, issueDate: '2026-01-10', currency: 'EUR', operation: 'services',
  amountDue: 12_000, totalGross: 12_000, rates: [{ vatBp: 2000, base: 10_000, vat: 2_000 }], deductions: [], cancels: null, imported: false, ...over,
});
const pay = (over: Partial<BookPayment>): BookPayment => ({ id: 1, clientId: 1, date: '2026-02-01', amount: 12_000, currency: 'EUR', method: 'transfer', reference: null, reversesId: null, documentIds: [1], ...over });

describe('entries', () => {
  it('every document entry balances: invoices, deposits, finals with deductions, credit notes, penalties', () => {
    const RATES = [2000, 1000, 550, 210, 0];
    const rate = fc.record({ vatBp: fc.constantFrom(...RATES), base: fc.integer({ min: 1, max: 10_000_000 }) });
    fc.assert(
      fc.property(fc.uniqueArray(rate, { minLength: 1, maxLength: 4, selector: (r) => r.vatBp }), fc.constantFrom('invoice', 'deposit', 'final', 'penalty', 'credit_note'), fc.double({ min: 0, max: 0.9, noNaN: true }), (bases, kind, share) => {
        const rates = bases.map((b) => ({ vatBp: b.vatBp, base: b.base, vat: vatOn(b.base, b.vatBp) }));
        const gross = rates.reduce((s, r) => s + r.base + r.vat, 0);
        const deductions = kind === 'final' ? rates.map((r) => { const base = Math.floor(r.base * share); return { vatBp: r.vatBp, base, vat: vatOn(base, r.vatBp) }; }) : [];
        const deducted = deductions.reduce((s, d) => s + d.base + d.vat, 0);
        const d = doc({ kind: kind as BookDocument['kind'], rates, deductions, totalGross: gross, amountDue: gross - deducted, cancels: kind === 'credit_note' ? { id: 9, number: 'F-9', kind: 'deposit', operation: null } : null });
        const e = documentEntry(d, client);
        expect(entryBalance(e)).toBe(0);
        const receivable = e.lines.find((l) => l.role === 'receivable')!.amount;
        expect(receivable).toBe(kind === 'credit_note' ? -gross : gross - deducted);
      }),
      { numRuns: 300 },
    );
  });

  it('letters a settled group in capitals dated by its last line, a partial one in lower case', () => {
    const docs = [doc({ id: 1, number: 'F-1' }), doc({ id: 2, number: 'F-2', issueDate: '2026-01-20' }), doc({ id: 3, number: 'F-3', kind: 'credit_note', cancels: { id: 2, number: 'F-2', kind: 'invoice', operation: 'services' }, totalGross: 2_000, issueDate: '2026-03-01' })];
    const payments = [pay({ id: 1, amount: 5_000, date: '2026-02-01' }), pay({ id: 2, amount: 7_000, date: '2026-02-15' }), pay({ id: 3, amount: 4_000, documentIds: [2], date: '2026-02-20' })];
    const entries = buildEntries(docs, payments, [client]);
    const letter = (piece: string) => entries.find((e) => e.piece === piece)!.lines.find((l) => l.role === 'receivable')!;
    expect(letter('F-1')).toMatchObject({ letter: 'A', letterDate: '2026-02-15' });
    expect(letter('PAY-1')).toMatchObject({ letter: 'A' });
    expect(letter('PAY-2')).toMatchObject({ letter: 'A' });
    // F-2 12 000 - 4 000 paid - 2 000 credited: 6 000 still owed
    expect(letter('F-2')).toMatchObject({ letter: 'b', letterDate: null });
    expect(letter('F-3').letter).toBe('b');
    expect(letter('PAY-3').letter).toBe('b');
    expect(letterCode(0)).toBe('A');
    expect(letterCode(25)).toBe('Z');
    expect(letterCode(26)).toBe('AA');
  });

  it('a reversal joins the payment it reverses; the FEC and the journal carry the same entries', () => {
    const entries = buildEntries([doc({})], [pay({ id: 1 }), pay({ id: 2, amount: -12_000, reversesId: 1, documentIds: [1], date: '2026-02-05' })], [client]);
    expect(entries.map((e) => e.piece)).toEqual(['F-1', 'PAY-1', 'PAY-2']);
    for (const e of entries) expect(entries.find((x) => x === e)!.lines.find((l) => l.role === 'receivable')!.letter).toBe('a');
    const fec = buildFec(entries, [client], { accounts: { receivable: '411', services: '706', goods: '707', vat: '44571', deposits: '4191', penalties: '7627', bank: '512' }, journals: { sales: 'VE', bank: 'BQ' } }, { from: '2026-01-01', to: '2026-12-31', separator: '\t' });
    expect(fec.entries).toBe(3);
    expect(fec.debit).toBe(fec.credit);
    const reversal = fec.text.split('\r\n').filter((l) => l.includes('PAY-2'));
    expect(reversal.map((l) => l.split('\t').slice(4, 5).concat(l.split('\t').slice(11, 13)))).toEqual([
      ['512', '0,00', '120,00'],
      ['411', '120,00', '0,00'],
    ]);
    const journal = buildJournal(entries, [client]);
    expect(journal).toContain('2026-02-05 * PAY-2 Annulation du règlement PAY-1\n    Assets:Bank  -120.00 EUR\n    Assets:Receivables:ACME  120.00 EUR  ; lettrage:a\n');
  });

  it('formats FEC amounts and names the file after the SIREN and closing date', () => {
    expect(fecAmount(0)).toBe('0,00');
    expect(fecAmount(123_456)).toBe('1234,56');
    expect(fecAmount(5)).toBe('0,05');
    expect(fecFileName('732829320', '2026-12-31')).toBe('732829320FEC20261231.txt');
  });
});

describe('cells and rows', () => {
  it('reads French and Excel dates, amounts and VAT rates', () => {
    expect(parseCellDate('31/12/2026')).toBe('2026-12-31');
    expect(parseCellDate('5/1/26')).toBe('2026-01-05');
    expect(parseCellDate(46_000)).toBe(excelSerialDate(46_000));
    expect(excelSerialDate(45_658)).toBe('2025-01-01');
    expect(() => parseCellDate('31/02/2026')).toThrow(/not a day of the calendar/);
    expect(() => parseCellDate('demain')).toThrow(/not a date/);
    expect(parseCellAmount(1500.5)).toBe(150_050);
    expect(parseCellAmount(0.1 + 0.2)).toBe(30);
    expect(parseCellAmount('1 234,50 €')).toBe(123_450);
    expect(() => parseCellAmount(1.234)).toThrow(/more than two decimals/);
    expect(parseCellRate(0.2)).toBe(2000);
    expect(parseCellRate('5,5 %')).toBe(550);
    expect(parseCellRate(20)).toBe(2000);
    expect(() => parseCellRate('7')).toThrow(/not a French VAT rate/);
  });

  it('knows which numbers relance\'s own pattern can produce', () => {
    const re = patternRegex('F-{YYYY}-{seq:4}');
    expect(re.test('F-2026-0001')).toBe(true);
    expect(re.test('f-2027-12345')).toBe(true);
    expect(re.test('F-2026-001')).toBe(false);
    expect(re.test('FA-2026-0001')).toBe(false);
    expect(patternRegex('{YY}{MM}.{seq}').test('2603.7')).toBe(true);
  });

  it('derives the VAT from a rate, from the amount excl. VAT, or checks that both agree', () => {
    const header = ['numero', 'client', 'date', 'montant ttc', 'montant ht', 'taux tva'];
    const map = mapColumns('f.csv', header, INVOICE_FIELDS, new Map());
    const ctx: InvoiceContext = {
      asOf: '2026-06-30', currency: 'EUR', vatExempt: false, pattern: 'F-{YYYY}-{seq:4}', clients: [client], existing: new Map(),
      levelsFor: () => [{ level: 1, name: 'relance amiable' }], dueFor: () => '2026-02-01',
    };
    const plan = planInvoiceImport(
      { file: 'f.csv', header, rows: [
        { row: 2, cells: ['A-1', 'ACME', '2026-01-02', '110,00', '100,00', ''] },
        { row: 3, cells: ['A-2', 'acme sas', '2026-01-02', '120,00', '', '20'] },
        { row: 4, cells: ['A-3', 'ACME', '2026-01-02', '120,00', '100,00', '10'] },
        { row: 5, cells: ['A-4', 'ACME', '2026-01-02', '100,00', '', ''] },
      ] },
      map,
      ctx,
    );
    expect(plan.create.map((r) => [r.number, r.client.code, r.net, r.vat, r.vatBp, r.rateAssumed, r.dueDate])).toEqual([
      ['A-1', 'ACME', 10_000, 1_000, 1000, false, '2026-02-01'],
      ['A-2', 'ACME', 10_000, 2_000, 2000, false, '2026-02-01'],
      ['A-4', 'ACME', 8_333, 1_667, 2000, true, '2026-02-01'],
    ]);
    expect(plan.problems.map((p) => problemJson('f.csv', p))).toEqual([{ row: 4, column: 'column "taux tva" (F)', message: '120.00 incl. VAT and 100.00 excl. VAT do not match a rate of 10 %', text: 'f.csv row 4, column "taux tva" (F): 120.00 incl. VAT and 100.00 excl. VAT do not match a rate of 10 %' }]);
    // Kept as a key: the terminal writes it in its own language, JSON stays English.
    expect(problemText('f.csv', plan.problems[0]!, 'fr')).toBe('f.csv ligne 4, colonne « taux tva » (F) : 120.00 TTC et 100.00 HT ne correspondent pas à un taux de 10 %');
  });
});
