/**
 * The invoice layout, read back from the PDF: the payment and penalty block is kept whole (on the
 * first page when it fits, moved to the next only when it does not), amounts never wrap in their
 * columns (up to 9 999 999,99 € a unit and 9 999 units), the ECB + 10 rate is also printed as a
 * figure, and a VAT-exempt ledger's documents show no VAT column and no "TTC".
 */
import { describe, expect, it } from 'vitest';
import { computeLine, computeTotals, type ComputedLine } from '../../src/core/vat.js';
import { buildDocumentPdf, type DocumentPdfData } from '../../src/render/document-pdf.js';
import { pdfBuffer } from '../../src/render/pdf.js';
import { invoiceData } from '../helpers/document-data.js';
import { pdfPages, pdfText, pdfTextBoxes, type TextBox } from '../helpers/pdf.js';

const SLOW = 180_000;
const line = (description: string, quantity: number, unitPrice: number, vatBp = 2000, discountBp = 0): ComputedLine =>
  computeLine({ description, quantityMilli: Math.round(quantity * 1000), unitPrice, vatBp, discountBp, discountAmount: 0 });
const render = async (d: DocumentPdfData) => pdfBuffer(await buildDocumentPdf(d));
const withLines = (lines: ComputedLine[], over: Partial<DocumentPdfData> = {}) => invoiceData(lines, over);
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').trim();

describe('the payment and penalty block', { timeout: SLOW }, () => {
  const FIRST = "Date d'échéance";
  const LAST = 'Indemnité forfaitaire';
  it('is never split across pages, and moves to a new page only when it does not fit on the first', async () => {
    let moved = 0;
    let previous: TextBox | undefined; // the block's last sentence with one line fewer
    for (let n = 14; n <= 30; n++) {
      const lines = Array.from({ length: n }, (_, i) => line(`Prestation ${i + 1}`, 1, 10_000));
      const boxes = await pdfTextBoxes(await render(withLines(lines, { number: null, reference: 'draft-1' })));
      const first = boxes.find((b) => b.text.startsWith(FIRST) && b.text.includes('(30 jours net)'))!;
      const last = boxes.filter((b) => b.page === first.page && b.y < first.y && b.y > 60).sort((a, b) => a.y - b.y)[0]!;
      expect(boxes.find((b) => b.text.startsWith(LAST))!.page, `${n} lines: the block starts on page ${first.page}`).toBe(first.page);
      const page2 = boxes.filter((b) => b.page === 2 && b.y > 60);
      if (first.page === 2 && previous?.page === 1 && Math.max(...page2.map((b) => b.y)) === first.y) {
        moved++;
        // Alone at the top of page 2 since one more line (16.4 pt) would have pushed its end below
        // the limit: with a line fewer, it ended on page 1 less than a line above it (50 pt of
        // margin and 30 of footer from the bottom).
        expect(previous.y - (50 + 30), `${n - 1} lines`).toBeLessThan(16.4 + 4);
        expect(previous.y, `${n - 1} lines`).toBeGreaterThan(50 + 30 - 4);
      }
      previous = last;
    }
    expect(moved).toBeGreaterThan(0); // the range does reach the page break
  });
});

describe('amount columns', { timeout: SLOW }, () => {
  it('never wrap an amount, at 9 999 999,99 € a unit and 9 999 units, in draft (Helvetica) and issued (DejaVu) PDFs', async () => {
    const lines = [line('Serveur de calcul', 1, 999_999_999), line('Vis inox', 9999, 115, 550), line('Câble', 10, 114_960, 2000, 1000)];
    // 20 %: 9 999 999,99 + 10 346,40 = 10 010 346,39, VAT 2 002 069,278 -> 2 002 069,28, 12 012 415,67
    // 5.5 %: 9 999 x 1,15 = 11 498,85, VAT 632,43675 -> 632,44, 12 131,29; total 12 024 546,96
    const amounts = ['9 999 999,99 €', '9999', '11 498,85 €', '1 149,60 €', '10 346,40 €', '10 010 346,39 €', '2 002 069,28 €', '12 012 415,67 €', '632,44 €', '12 024 546,96 €'];
    for (const over of [{}, { number: null, reference: 'draft-1' }]) {
      const boxes = (await pdfTextBoxes(await render(withLines(lines, over)))).map((b) => norm(b.text));
      for (const a of amounts) expect(boxes, a).toContain(a);
    }
  });
  it('in a final invoice too', async () => {
    const lines = [line('Bâtiment', 1, 999_999_999)];
    const deductions = [{ depositNumber: 'F-2026-0001', depositDate: '2026-01-10', vatBp: 2000, base: 500_000_000, vat: 100_000_000 }];
    const totals = computeTotals(lines);
    const d = withLines(lines, { kind: 'final', deductions, deductedGross: 600_000_000, amountDue: totals.gross - 600_000_000 });
    const boxes = (await pdfTextBoxes(await render(d))).map((b) => norm(b.text));
    // 9 999 999,99 at 20 %: VAT 2 000 000,00 (1 999 999,998), 11 999 999,99; less 5 000 000,00 + 1 000 000,00:
    // still due 4 999 999,99 + 1 000 000,00 = 5 999 999,99
    for (const a of ['2 000 000,00 €', '11 999 999,99 €', '5 000 000,00 €', '1 000 000,00 €', '6 000 000,00 €', '4 999 999,99 €', '5 999 999,99 €']) expect(boxes, a).toContain(a);
  });
});

describe('the penalty rate', { timeout: SLOW }, () => {
  it('prints the ECB + 10 rate as a figure for the half-year, when known', async () => {
    const text = (await pdfText(await render(withLines([line('Audit', 1, 10_000)], { penalty: { mode: 'ecb+10', rateBp: null, currentBp: 1215, half: '2026-H1' } })))).replace(/\s+/g, ' ');
    expect(text).toContain('(taux BCE + 10 points, soit 12,15 % pour le 1er semestre 2026)');
    const en = (await pdfText(await render(withLines([line('Audit', 1, 10_000)], { lang: 'en', penalty: { mode: 'ecb+10', rateBp: null, currentBp: 1240, half: '2026-H2' } })))).replace(/\s+/g, ' ');
    expect(en).toContain('(ECB rate + 10 points, that is 12.4 % for the second half of 2026)');
    const unknown = (await pdfText(await render(withLines([line('Audit', 1, 10_000)], { penalty: { mode: 'ecb+10', rateBp: null, currentBp: null, half: '2027-H1' } })))).replace(/\s+/g, ' ');
    expect(unknown).toContain('(taux BCE + 10 points)');
  });
});

describe('a VAT-exempt ledger', { timeout: SLOW }, () => {
  const exempt = (lines: ComputedLine[], over: Partial<DocumentPdfData> = {}) =>
    withLines(lines, { vatExempt: true, seller: { ...invoiceData([]).seller, vatNumber: null }, ...over });
  it('shows no VAT column, no "TVA 0 %" and no "TTC"; art. 293 B stays', async () => {
    const lines = [line('Logo', 1, 80_000, 0), line('Retouches', 2, 5_000, 0)];
    for (const d of [exempt(lines), exempt(lines, { number: null, reference: 'draft-1' }), exempt(lines, { kind: 'credit_note', cancels: { number: 'F-2026-0001', date: '2026-03-01' } })]) {
      const text = (await pdfText(await render(d))).replace(/\s+/g, ' ');
      expect(text).toContain('TVA non applicable, art. 293 B du CGI');
      expect(text).not.toMatch(/TTC|0 %|Total TVA|Taux de TVA|PU HT|Total HT/);
      expect(text).toContain('Logo 1 800,00 € 800,00 €');
      expect(text).toContain('Total 900,00 €');
    }
  });
  it('a final invoice of an exempt ledger: deposits without VAT columns', async () => {
    const lines = [line('Site', 1, 300_000, 0)];
    const deductions = [{ depositNumber: 'F-2026-0001', depositDate: '2026-01-10', vatBp: 0, base: 100_000, vat: 0 }];
    const text = (await pdfText(await render(exempt(lines, { kind: 'final', deductions, deductedGross: 100_000, amountDue: 200_000 })))).replace(/\s+/g, ' ');
    expect(text).not.toMatch(/TTC|0 %|TVA restant/);
    expect(text).toContain('F-2026-0001 10/01/2026 1 000,00 €');
    expect(text).toContain('Total des acomptes - 1 000,00 €');
    expect(text).toContain('Net à payer 2 000,00 €');
  });
});

it('pages helper sanity: a one-line invoice is one page', async () => {
  expect(await pdfPages(await render(withLines([line('Audit', 1, 10_000)])))).toHaveLength(1);
});
