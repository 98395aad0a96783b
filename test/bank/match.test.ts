/** bank/match.ts, pure: references found through typos, allocation order, probable rules, currency. */
import { describe, expect, it } from 'vitest';
import { findInvoices, matchLine, namesClose, referenceKey, uniqueSubset, type LedgerView, type ViewInvoice } from '../../src/bank/match.js';
import type { StatementLine } from '../../src/bank/types.js';
import { invoiceReference, printReference } from '../../src/core/payment-reference.js';

const inv = (id: number, clientId: number, balance: number, extra: Partial<ViewInvoice> = {}): ViewInvoice => ({
  id,
  number: `F-2026-${String(id).padStart(4, '0')}`,
  clientId,
  currency: 'EUR',
  issueDate: '2026-03-01',
  dueDate: '2026-03-31',
  balance,
  dueInstalments: [],
  ...extra,
});

function view(invoices: ViewInvoice[], o: { ibans?: Record<string, number[]>; clients?: { id: number; code: string; name: string }[] } = {}): LedgerView {
  const byKey = new Map(invoices.map((i) => [referenceKey(i.number), { id: i.id, clientId: i.clientId }]));
  const clients = o.clients ?? [];
  return {
    invoiceByKey: (k) => byKey.get(k),
    invoice: (id) => invoices.find((i) => i.id === id)!,
    clientsByIban: (iban) => o.ibans?.[iban] ?? [],
    clientsByWords: (ws) => clients.filter((c) => ws.some((w) => c.name.toUpperCase().includes(w))),
    client: (id) => clients.find((c) => c.id === id)!,
    openInvoices: (clientId, currency) => invoices.filter((i) => i.clientId === clientId && i.currency === currency && i.balance > 0),
  };
}

const line = (amount: number, texts: Partial<StatementLine> = {}): StatementLine => ({
  position: 1,
  sourceLine: 1,
  bookingDate: '2026-03-10',
  valueDate: null,
  amount,
  currency: 'EUR',
  bankRef: null,
  label: '',
  remittance: [],
  references: [],
  payerName: null,
  payerIban: null,
  reversal: false,
  ...texts,
});

describe('findInvoices', () => {
  const v = view([inv(42, 1, 100), inv(43, 1, 100), inv(7, 2, 100)]);
  const ids = (...texts: string[]) => findInvoices(texts, v).map((h) => h.id);
  it('finds RF references printed, compact, lower case, split anywhere', () => {
    const rf = invoiceReference('F-2026-0042');
    expect(ids(printReference(rf))).toEqual([42]);
    expect(ids(rf.toLowerCase())).toEqual([42]);
    expect(ids(`ref ${rf.slice(0, 3)} ${rf.slice(3, 9)} ${rf.slice(9)} merci`)).toEqual([42]);
  });
  it('refuses an RF reference whose check digits do not hold (a typo), even when what follows is another invoice\'s number', () => {
    const rf = invoiceReference('F-2026-0042');
    expect(ids(`${rf.slice(0, 4)}F20260043`)).toEqual([]);
    expect(ids(rf.slice(0, -1) + '3')).toEqual([]);
  });
  it('finds invoice numbers with spaces, case and punctuation typos, glued prefixes, in order, each once', () => {
    expect(ids('facture f 2026 0042')).toEqual([42]);
    expect(ids('REF:F-2026-0043 et F20260042, F-2026-0043')).toEqual([43, 42]);
    expect(ids('FACTF2026-0007')).toEqual([7]);
    expect(ids('VIR 2026 0042')).toEqual([]); // without the F it is another text
    expect(ids('F-2026-00420')).toEqual([]); // a longer number is not this one
  });
});

describe('matchLine', () => {
  it('certain: one reference, partial, overpaid (credit), several in the order written', () => {
    const v = view([inv(1, 1, 30_000), inv(2, 1, 45_000)]);
    expect(matchLine(line(20_000, { remittance: ['F-2026-0001'] }), v)).toMatchObject({ kind: 'certain', allocations: [{ invoiceId: 1, amount: 20_000 }], credit: 0 });
    expect(matchLine(line(35_000, { remittance: ['F-2026-0001'] }), v)).toMatchObject({ kind: 'certain', allocations: [{ invoiceId: 1, amount: 30_000 }], credit: 5000 });
    expect(matchLine(line(60_000, { remittance: ['F-2026-0002 + F-2026-0001'] }), v)).toMatchObject({
      kind: 'certain',
      allocations: [
        { invoiceId: 2, amount: 45_000 },
        { invoiceId: 1, amount: 15_000 },
      ],
      credit: 0,
    });
  });
  it('never automatic across currencies, nor across clients, nor for money out', () => {
    const v = view([inv(1, 1, 90_000), inv(2, 2, 100)]);
    expect(matchLine(line(90_000, { currency: 'USD', remittance: ['Invoice F-2026-0001'] }), v)).toMatchObject({ kind: 'unmatched', why: expect.stringMatching(/in EUR, but the money is USD/) });
    expect(matchLine(line(90_100, { remittance: ['F-2026-0001 F-2026-0002'] }), v)).toMatchObject({ kind: 'unmatched', why: expect.stringMatching(/2 clients/) });
    expect(matchLine(line(-90_000, { remittance: ['F-2026-0001'] }), v).kind).toBe('debit');
  });
  it('probable: known IBAN and one balance, a set of balances, a due instalment; ambiguous stays unmatched', () => {
    const v = view([inv(1, 1, 30_000), inv(2, 1, 45_000), inv(3, 1, 12_000, { dueInstalments: [4000, 4000] }), inv(4, 1, 45_000)], { ibans: { FR76X: [1] } });
    expect(matchLine(line(30_000, { payerIban: 'FR76X' }), v)).toMatchObject({ kind: 'probable', allocations: [{ invoiceId: 1, amount: 30_000 }] });
    expect(matchLine(line(4000, { payerIban: 'FR76X' }), v)).toMatchObject({ kind: 'probable', allocations: [{ invoiceId: 3, amount: 4000 }] });
    expect(matchLine(line(42_000, { payerIban: 'FR76X' }), v)).toMatchObject({ kind: 'probable', allocations: [{ invoiceId: 1 }, { invoiceId: 3 }] });
    expect(matchLine(line(45_000, { payerIban: 'FR76X' }), v).kind).toBe('unmatched'); // two invoices of that amount
    expect(matchLine(line(30_000, { payerIban: 'FR76OTHER' }), v).kind).toBe('unmatched');
  });
  it('probable by a name close to the client and the amount', () => {
    const v = view([inv(1, 1, 8000)], { clients: [{ id: 1, code: 'MARTIN', name: 'Claire Martin' }] });
    expect(matchLine(line(8000, { payerName: 'MME CLAIRE MARTIN' }), v)).toMatchObject({ kind: 'probable', clientId: 1 });
    expect(matchLine(line(8000, { label: 'VIR SEPA RECU MME CLAIR MARTIN' }), v)).toMatchObject({ kind: 'probable' });
    expect(matchLine(line(8000, { payerName: 'PAUL MARTIN' }), v).kind).toBe('unmatched');
    expect(matchLine(line(8100, { payerName: 'CLAIRE MARTIN' }), v).kind).toBe('unmatched');
  });
  it('names: accents, legal forms, one typo', () => {
    expect(namesClose('Société Générale des Eaux SARL', 'STE GENERALE EAUX')).toBe(true);
    expect(namesClose('Boulangerie Dupont', 'BOULANGERIE DUPONT SAS')).toBe(true);
    expect(namesClose('Boulangerie Dupont', 'BOULANGERIE DURAND')).toBe(false);
    expect(uniqueSubset(300, [inv(1, 1, 100), inv(2, 1, 200), inv(3, 1, 300)])).toBeNull(); // 100+200 and 300
  });
});
