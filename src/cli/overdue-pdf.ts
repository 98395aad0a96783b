/**
 * overdue --by client --pdf FILE (issue 20 §4): the monthly review on paper: the aging chart (vectors)
 * and the per-client table with the totals, from the same rows `overdue --by client` prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BUCKETS } from '../core/aging.js';
import type { IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import { getSetting } from '../store/settings.js';
import { note } from '../render/output.js';
import { agingBars, bucketLabel } from '../reports/digest.js';
import type { ClientRow, Totals } from '../reports/overdue.js';
import { language, t } from '../i18n/index.js';
import type { Context } from './context.js';

/** The PDF's path, checked before anything is read: --by client, and a folder that exists. */
export function checkOverduePdf(ctx: Context, file: string, by: string | undefined): string {
  if (by !== 'client') throw new UsageError(t('digest.overdue.pdf_by_client'));
  const where = path.resolve(ctx.io.cwd, file);
  if (!fs.existsSync(path.dirname(where))) throw new UsageError(t('digest.error.pdf_folder', { folder: path.dirname(where) }));
  return where;
}

export async function writeOverduePdf(ctx: Context, file: string, r: { asOf: IsoDate; rows: ClientRow[]; totals: Totals[] }): Promise<void> {
  const lang = language();
  const m = (c: number, cur: string) => formatMoney(c, cur, lang);
  const db = ctx.db();
  const currency = getSetting(db, 'currency');
  const business = getSetting(db, 'business.name');
  const col = (k: string, right = false) => ({ header: t(`digest.col.${k}` as never), right });
  const { reportPdf } = await import('../render/report-pdf.js');
  const { writePdfBytes } = await import('../render/pdf.js');
  const pdf = await reportPdf({
    title: business ? t('digest.overdue.title_of', { business }) : t('digest.overdue.title'),
    lines: [t('digest.overdue.as_of', { asOf: r.asOf })],
    chartHeading: t('digest.section.chart'),
    chart: agingBars(r.totals, currency, lang),
    sections: [
      {
        heading: t('digest.overdue.table'),
        empty: t('digest.empty.aging'),
        columns: [col('client'), col('name'), { header: t('digest.overdue.invoices'), right: true }, ...BUCKETS.map((b) => ({ header: bucketLabel(b, lang), right: true })), col('total', true)],
        rows: [
          ...r.rows.map((c) => [c.client, c.name, String(c.invoices), ...BUCKETS.map((b) => (c.amounts[b] ? m(c.amounts[b], c.currency) : '')), m(c.amounts.total, c.currency)]),
          ...r.totals.map((x) => [t('digest.col.total'), x.currency, '', ...BUCKETS.map((b) => m(x.buckets[b], x.currency)), m(x.buckets.total, x.currency)]),
        ],
      },
    ],
    footer: `relance · ${business}`,
    creationDate: new Date(`${r.asOf}T00:00:00Z`),
  });
  writePdfBytes(pdf, file);
  note(ctx.io, ctx.quiet, t('digest.overdue.written', { file }));
}
