/**
 * relance invoice freeze | xml: the files an issued invoice is frozen into (its Factur-X PDF and the
 * e-invoice XML inside it). Registered on "invoice" by cli/commands/invoice.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { freezeMissing } from '../documents/invoices.js';
import { documentXml } from '../documents/xml.js';
import { note, printJson } from '../render/output.js';
import { examples, type App } from './app.js';
import { t } from '../i18n/index.js';

export function registerInvoiceFiles(invoice: Command, app: App): void {
  // freeze
  examples(
    invoice
      .command('freeze')
      .description(t('documents.invoice.freeze.description'))
      .option('--as-of <date>', t('documents.invoice.freeze.opt.asOf'))
      .action(
        app.act(async (ctx, o: { asOf?: string }) => {
          const db = ctx.db();
          const on = ctx.asOf(o.asOf);
          const frozen = await freezeMissing(db, on);
          if (ctx.json) return printJson(ctx.io, { frozen });
          ctx.io.out(`${frozen === 0 ? t('documents.invoice.freeze.none') : t('documents.invoice.freeze.done', { n: frozen })}\n`);
        }),
      ),
    ['relance invoice freeze', 'relance invoice freeze --json'],
  );

  // xml (the e-invoice alone: src/einvoice/)
  examples(
    invoice
      .command('xml')
      .argument('<number>', t('documents.invoice.xml.arg'))
      .description(t('documents.invoice.xml.description'))
      .option('--syntax <syntax>', t('documents.invoice.xml.opt.syntax'), 'cii')
      .option('--out <file>', t('documents.invoice.xml.opt.out'))
      .action(
        app.act(async (ctx, ref: string, o: { syntax: string; out?: string }) => {
          const { number, syntax, xml } = await documentXml(ctx.db(), ref, o.syntax);
          if (o.out === undefined) return ctx.io.out(xml);
          const file = path.resolve(ctx.io.cwd, o.out);
          if (!fs.existsSync(path.dirname(file))) throw new UsageError(t('documents.outNoFolder', { folder: path.dirname(file) }));
          fs.writeFileSync(file, xml, { mode: 0o600 });
          note(ctx.io, ctx.quiet, t('documents.invoice.xml.written', { number, syntax: syntax.toUpperCase(), file }));
        }),
      ),
    ['relance invoice xml F-2026-0001 > F-2026-0001.xml', 'relance invoice xml F-2026-0001 --syntax ubl --out F-2026-0001-ubl.xml'],
  );
}
