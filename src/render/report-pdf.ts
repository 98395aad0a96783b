/**
 * A one-report PDF (the owner's digest, `overdue --by client --pdf`): a title, a few lines under it,
 * the aging chart drawn as vectors, then tables with their headings (an empty table prints its
 * "nothing" line). Text through pdf.ts (standard fonts, extractable); pdfkit loaded lazily there.
 */
import { drawAgingChart, type ChartBar } from './aging-chart.js';
import { A4, MARGIN, createPdf, ensureSpace, footer, pdfBuffer, table, write, type Column } from './pdf.js';

export interface ReportSection {
  heading: string;
  columns: { header: string; right?: boolean }[];
  rows: string[][];
  /** Printed instead of an empty table. */
  empty: string;
}

export interface ReportPdf {
  title: string;
  lines: string[];
  chartHeading: string;
  chart: ChartBar[];
  sections: ReportSection[];
  footer: string;
  /** Fixed creation date: the same data gives the same file. */
  creationDate: Date;
}

/** Column widths in proportion to their longest text, filling the page's width. */
function widths(s: ReportSection, total: number): number[] {
  const longest = s.columns.map((c, i) => Math.max(c.header.length, ...s.rows.map((r) => (r[i] ?? '').length), 4));
  const sum = longest.reduce((a, b) => a + Math.min(b, 40), 0);
  return longest.map((l) => (Math.min(l, 40) / sum) * total);
}

export async function reportPdf(r: ReportPdf): Promise<Buffer> {
  const doc = await createPdf({ title: r.title, creationDate: r.creationDate });
  const width = A4.width - 2 * MARGIN;
  let y = write(doc, r.title, { x: MARGIN, y: MARGIN, size: 16, bold: true });
  for (const l of r.lines) y = write(doc, l, { x: MARGIN, y: y + 2, size: 10, color: '#333333' });
  y = write(doc, r.chartHeading, { x: MARGIN, y: y + 14, size: 12, bold: true });
  y = drawAgingChart(doc, r.chart, { x: MARGIN, y: y + 6, width, height: 170 });
  doc.y = y + 10;
  for (const s of r.sections) {
    ensureSpace(doc, 60);
    const after = write(doc, s.heading, { x: MARGIN, y: doc.y + 10, size: 12, bold: true });
    if (s.rows.length === 0) {
      doc.y = write(doc, s.empty, { x: MARGIN, y: after + 2, size: 9, italic: true, color: '#555555' });
      continue;
    }
    const w = widths(s, width);
    const columns: Column[] = s.columns.map((c, i) => ({ header: c.header, width: w[i]!, align: c.right ? 'right' : 'left' }));
    table(doc, columns, s.rows, { x: MARGIN, y: after + 4, size: 8 });
  }
  footer(doc, r.footer);
  return pdfBuffer(doc);
}
