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

export function registerInvoiceFiles(invoice: Command, app: App): void {
  // freeze
  examples(
    invoice
      .command('freeze')
      .description('store the PDF of every issued invoice that has none yet (issued before relance kept them), as it renders today')
      .option('--as-of <date>', 'today for this command (recorded as the date the PDFs were frozen)')
      .action(
        app.act(async (ctx, o: { asOf?: string }) => {
          const db = ctx.db();
          const on = ctx.asOf(o.asOf);
          const frozen = await freezeMissing(db, on);
          if (ctx.json) return printJson(ctx.io, { frozen });
          ctx.io.out(frozen === 0 ? 'Every issued invoice already has its PDF stored.\n' : `Stored the PDF of ${frozen} issued invoice(s).\n`);
        }),
      ),
    ['relance invoice freeze', 'relance invoice freeze --json'],
  );

  // xml (the e-invoice alone: src/einvoice/)
  examples(
    invoice
      .command('xml')
      .argument('<number>', 'an issued invoice (any kind: deposit, final, credit note, penalty)')
      .description('write the e-invoice XML (EN 16931): CII as embedded in the Factur-X PDF, or UBL 2.1')
      .option('--syntax <syntax>', 'cii or ubl', 'cii')
      .option('--out <file>', 'write to this file instead of stdout')
      .action(
        app.act(async (ctx, ref: string, o: { syntax: string; out?: string }) => {
          const { number, syntax, xml } = await documentXml(ctx.db(), ref, o.syntax);
          if (o.out === undefined) return ctx.io.out(xml);
          const file = path.resolve(ctx.io.cwd, o.out);
          if (!fs.existsSync(path.dirname(file))) throw new UsageError(`--out: the folder ${path.dirname(file)} does not exist; create it or choose another path`);
          fs.writeFileSync(file, xml, { mode: 0o600 });
          note(ctx.io, ctx.quiet, `${number}: ${syntax.toUpperCase()} written to ${file}`);
        }),
      ),
    ['relance invoice xml F-2026-0001 > F-2026-0001.xml', 'relance invoice xml F-2026-0001 --syntax ubl --out F-2026-0001-ubl.xml'],
  );
}
