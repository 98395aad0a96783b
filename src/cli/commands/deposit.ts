/**
 * relance deposit QUOTE --percent P | --amount A: a deposit invoice (facture d'acompte) for an
 * accepted quote. The amount is incl. VAT (a % of the quote's total incl. VAT, or the amount
 * given), split across the quote's VAT rates in proportion to each rate's amount, one line per
 * rate, so the deposit bears its own VAT. It is made as a draft (issue it with "invoice issue", or
 * at once with --issue) and is deducted, per rate, by the quote's final invoice.
 */
import type { Command } from 'commander';
import { parseDate } from '../../core/dates.js';
import { checkDepositFits, depositBases, depositGross, type DepositRequest } from '../../core/documents.js';
import { UsageError } from '../../core/errors.js';
import { formatMoney, parsePositiveAmount } from '../../core/money.js';
import { formatBp, parsePercent } from '../../core/numbers.js';
import { computeLine } from '../../core/vat.js';
import { clientById } from '../../store/clients.js';
import { write } from '../../store/db.js';
import { checkBeforeIssue, issuedWarnings } from '../../documents/mentions.js';
import { closingInvoiceOf, depositsTotal, documentRef, documentWithLines, insertDocument, issueDocument, requireQuote } from '../../store/documents.js';
import { formatDate } from '../../render/document-pdf.js';
import { note, printJson, warn } from '../../render/output.js';
import { examples, type App } from '../app.js';
import { documentJson, statusOfQuote } from '../../documents/json.js';
import { freezeIssued } from '../../documents/pdf.js';
import { money } from '../../render/format.js';
import { t } from '../../i18n/index.js';
import { quoteStatusLabel } from '../../documents/labels.js';

interface DepositOptions {
  percent?: string;
  amount?: string;
  date?: string;
  issue?: boolean;
  po?: string;
  asOf?: string;
}

export function registerDeposit(program: Command, app: App): void {
  examples(
    program
      .command('deposit')
      .argument('<quote>', t('documents.deposit.argQuote'))
      .description(t('documents.deposit.description')).summary(t('documents.deposit.summary'))
      .option('--percent <percent>', t('documents.deposit.opt.percent'))
      .option('--amount <amount>', t('documents.deposit.opt.amount'))
      .option('--po <number>', t('documents.opt.po'))
      .option('--issue', t('documents.deposit.opt.issue'))
      .option('--date <date>', t('documents.deposit.opt.date'))
      .option('--as-of <date>', t('documents.opt.asOfToday'))
      .action(
        app.act(async (ctx, ref: string, o: DepositOptions) => {
          const db = ctx.db();
          const quote = requireQuote(db, ref);
          const today = ctx.asOf(o.asOf);
          const date = o.date !== undefined ? parseDate(o.date, '--date') : today;
          if (o.percent !== undefined && o.amount !== undefined) throw new UsageError(t('documents.deposit.percentAndAmount'));
          let req: DepositRequest;
          if (o.amount !== undefined) req = { amount: parsePositiveAmount(o.amount, '--amount') };
          else if (o.percent !== undefined) req = { percentBp: parsePercent(o.percent, '--percent') };
          else if (quote.depositBp) req = { percentBp: quote.depositBp };
          else throw new UsageError(t('documents.deposit.noneAsked', { number: quote.number }));

          const status = statusOfQuote(db, quote, date);
          if (!quote.acceptedOn || quote.acceptedOn > date) {
            throw new UsageError(
              status === 'declined'
                ? t('documents.deposit.declined', { number: quote.number, client: clientById(db, quote.clientId).code })
                : t('documents.deposit.notAccepted', { number: quote.number, status: status === 'accepted' ? t('documents.deposit.acceptedFrom', { date: quote.acceptedOn }) : quoteStatusLabel(status) }),
            );
          }
          if (closingInvoiceOf(db, quote.id)) throw new UsageError(t('documents.deposit.hasFinal', { number: quote.number, final: documentRef(closingInvoiceOf(db, quote.id)!) }));
          const gross = depositGross(quote.totalGross, req);
          checkDepositFits(quote.totalGross, depositsTotal(db, quote.id), gross, quote.currency);
          const client = clientById(db, quote.clientId);
          const rates = documentWithLines(db, quote.id).totals.rates;
          const bases = depositBases(gross, rates);
          const fr = client.lang === 'fr';
          const what =
            'percentBp' in req
              ? fr
                ? `Acompte de ${formatBp(req.percentBp).replace('.', ',')} % sur le devis ${quote.number} du ${formatDate(quote.issueDate!, 'fr')}`
                : `Deposit of ${formatBp(req.percentBp)} % on quote ${quote.number} of ${quote.issueDate}`
              : fr
                ? `Acompte de ${formatMoney(gross, quote.currency, 'fr')} TTC sur le devis ${quote.number} du ${formatDate(quote.issueDate!, 'fr')}`
                : `Deposit of ${formatMoney(gross, quote.currency, 'en')} incl. VAT on quote ${quote.number} of ${quote.issueDate}`;
          const lines = bases.map((b) =>
            computeLine({
              description: bases.length > 1 ? `${what} (${fr ? `part à ${formatBp(b.vatBp).replace('.', ',')} % de TVA` : `share at ${formatBp(b.vatBp)} % VAT`})` : what,
              quantityMilli: 1000,
              unitPrice: b.base,
              vatBp: b.vatBp,
              discountBp: 0,
              discountAmount: 0,
            }),
          );
          const { document, warnings } = write(db, () => {
            const doc = insertDocument(
              db,
              { kind: 'deposit', clientId: quote.clientId, currency: quote.currency, quoteId: quote.id, createdOn: today, poNumber: o.po?.trim() || undefined, operation: quote.operation ?? undefined },
              lines,
            );
            if (!o.issue) return { document: doc, warnings: [] as string[] };
            const missing = checkBeforeIssue(db, doc, undefined); // the mandatory mentions, as invoice issue checks them (invoice.strict refuses)
            const r = issueDocument(db, doc.id, date);
            return { document: r.document, warnings: [...issuedWarnings(r.document.number!, missing), ...r.warnings] };
          });
          await freezeIssued(ctx.db(), ctx.io, document);
          for (const w of warnings) warn(ctx.io, w);
          if (document.totalGross !== gross) warn(ctx.io, t('documents.deposit.rounding', { amount: money(document.totalGross, document.currency), asked: money(gross, document.currency) }));
          if (ctx.json) return printJson(ctx.io, documentJson(db, document, date));
          const ref2 = documentRef(document);
          ctx.io.out(
            `${t(document.number ? 'documents.deposit.issued' : 'documents.deposit.created', { ref: ref2, quote: quote.number, total: money(document.totalGross, document.currency), vat: money(document.totalVat, document.currency) })}\n`,
          );
          if (!document.number) note(ctx.io, ctx.quiet, t('documents.draftPreface', { ref: ref2 }));
        }),
      ),
    [
      'relance deposit D-2026-0001 --percent 30',
      'relance deposit D-2026-0001 --amount 1500 --issue --date 2026-03-03',
      `relance deposit D-2026-0001            # ${t('documents.deposit.exampleDefault')}`,
    ],
  );
}
