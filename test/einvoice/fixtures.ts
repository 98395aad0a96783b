/** Documents of every kind an e-invoice is made of, as the PDF renderer receives them. */
import { computeLine, computeTotals } from '../../src/core/vat.js';
import type { DocumentPdfData } from '../../src/render/document-pdf.js';
import { invoiceData } from '../helpers/document-data.js';

const line = (description: string, qty: number, price: number, vatBp: number, discountBp = 0, discountAmount = 0) =>
  computeLine({ description, quantityMilli: qty * 1000, unitPrice: price, vatBp, discountBp, discountAmount });

export function base(over: Partial<DocumentPdfData> = {}): DocumentPdfData {
  return invoiceData(over.lines ?? [line('Développement', 3, 45_000, 2000)], {
    serviceDate: '2026-03-02',
    seller: {
      name: 'Atelier Dupont',
      legalForm: 'SARL au capital de 10 000 EUR',
      address: '12 rue de la République; 69001 Lyon',
      siren: '123456782',
      rcs: 'RCS Lyon',
      vatNumber: 'FR40123456782',
      email: 'compta@dupont.example',
      phone: '04 78 00 00 00',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
    },
    buyer: { name: 'ACME SAS', address: '5 avenue Foch\n75008 Paris\nFrance', contactName: 'Mme Martin', siren: '552100554', vatNumber: 'FR96552100554', kind: 'b2b' },
    poNumber: 'PO-7781',
    ...over,
  });
}

function withLines(over: Partial<DocumentPdfData>, lines: ReturnType<typeof line>[]): DocumentPdfData {
  const totals = computeTotals(lines);
  return base({ lines, totals, amountDue: totals.gross, ...over });
}

export const CASES: Record<string, () => DocumentPdfData> = {
  'multi-rate invoice with discounts': () =>
    withLines({ deliveryAddress: 'Chantier Foch; 10 rue Haute; 92200 Neuilly-sur-Seine', operation: 'both' }, [
      line('Conseil', 2, 60_000, 2000, 1000),
      line('Livres techniques', 3, 2_999, 550, 0, 500),
      line('Formation', 1.5, 80_000, 1000),
      line('Médicament', 1, 1_234, 210),
    ]),
  deposit: () => withLines({ kind: 'deposit', number: 'F-2026-0043', dueDate: '2026-03-05', termsText: 'à réception', quote: { number: 'D-2026-0007', date: '2026-02-20' } }, [line('Acompte de 30 % sur le devis D-2026-0007', 1, 90_000, 2000)]),
  'final invoice deducting two deposits': () => {
    const lines = [line('Site web', 1, 500_000, 2000), line('Livres', 10, 2_000, 550)];
    const totals = computeTotals(lines);
    const deductions = [
      { depositNumber: 'F-2026-0010', depositDate: '2026-01-10', vatBp: 2000, base: 100_000, vat: 20_000 },
      { depositNumber: 'F-2026-0020', depositDate: '2026-02-10', vatBp: 2000, base: 150_000, vat: 30_000 },
    ];
    const deductedGross = deductions.reduce((s, x) => s + x.base + x.vat, 0);
    return base({ kind: 'final', number: 'F-2026-0044', lines, totals, deductions, deductedGross, amountDue: totals.gross - deductedGross, quote: { number: 'D-2026-0007', date: '2026-01-05' } });
  },
  'credit note': () =>
    withLines({ kind: 'credit_note', number: 'F-2026-0045', dueDate: null, termsText: null, cancels: { number: 'F-2026-0042', date: '2026-03-05' }, notes: 'Prestation annulée' }, [
      line('Développement', 3, 45_000, 2000),
    ]),
  'penalty invoice': () =>
    withLines({ kind: 'penalty', number: 'F-2026-0046', dueDate: '2026-05-10', termsText: 'à réception', operation: null }, [
      line('Intérêts de retard sur la facture F-2026-0042 (35 jours au taux de 12,15 %)', 1, 1_569, 0),
      line('Indemnité forfaitaire pour frais de recouvrement (art. D441-5)', 1, 4_000, 0),
    ]),
  'VAT-exempt micro-entrepreneur': () =>
    withLines(
      {
        vatExempt: true,
        seller: { ...base().seller, name: 'Jean Martin EI', legalForm: 'EI', vatNumber: null, rcs: null },
      },
      [line('Création de logo', 1, 80_000, 0), line('Retouches', 2, 5_000, 0)],
    ),
  'invoice in USD': () => withLines({ currency: 'USD', vatInEur: 110_600, lang: 'en', buyer: { name: 'Globex Inc.', address: '1 Main Street; Springfield, IL 62701; USA', contactName: null, siren: null, vatNumber: null, kind: 'b2b', email: 'ap@globex.example' } }, [line('Consulting', 5, 120_000, 2000)]),
  'consumer without SIREN': () =>
    withLines({ buyer: { name: 'Paul Durand', address: '3 impasse des Lilas; 33000 Bordeaux', contactName: null, siren: null, vatNumber: null, kind: 'b2c', email: 'paul.durand@example.org' }, poNumber: null }, [line('Cours particulier', 4, 4_000, 2000)]),
};
