/**
 * relance quote send NUMBER [--to ADDR]... [--cc ADDR]... [--again] [--dry-run | --preview]: a quote
 * emailed to the client with its PDF (as it stands today: a quote is not frozen). Registered on
 * "quote" by cli/commands/quote.ts with one line; the work is delivery/documents.ts, shared with
 * invoice send (cli/invoice-send.ts).
 */
import type { Command } from 'commander';
import { requireQuote } from '../store/documents.js';
import { examples, type App } from './app.js';
import { sendDocumentCommand, withSendOptions, type SendOptions } from './invoice-send.js';
import { t } from '../i18n/index.js';

export function registerQuoteSend(quote: Command, app: App): void {
  examples(
    withSendOptions(
      quote
        .command('send')
        .argument('<number>', t('documents.quote.send.arg'))
        .description(t('documents.quote.send.description'))
        .option('--as-of <date>', t('documents.send.opt.asOf')),
    ).action(app.act(async (ctx, ref: string, o: SendOptions) => sendDocumentCommand(ctx, requireQuote(ctx.db(), ref), o))),
    ['relance quote send D-2026-0001', 'relance quote send D-2026-0001 --preview', 'relance quote send D-2026-0001 --again --cc achats@client.fr'],
  );
}
