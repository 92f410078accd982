/**
 * `invoicer invoices list|get|show|credit|replace|regenerate|verify|record-hashes|write-off`: the
 * issued documents and support's actions on one of them (each logged with who and why).
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { invoiceView } from '../../lambdas/api/views.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../lambdas/shared/contracts/statuses.js';
import { currencyRefusal } from '../../lambdas/shared/documents/en16931/refusal.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { creditWithLog, replaceWithLog } from './desk-operations.js';
import { formatCreditNote, formatInvoices, formatRunSummary } from './format.js';
import { recordHashesCommand, verifyCommand } from './integrity.js';
import { regenerateCommand, showInvoiceCommand } from './invoice-ops.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { writeOffCommand } from './payments.js';
import { withSession, withTarget } from './target.js';

export function invoicesCommand(): Command {
  const invoices = new Command('invoices').description(
    'inspect issued invoices and act on them (credit, replace, regenerate)',
  );
  invoices.addCommand(showInvoiceCommand());
  invoices.addCommand(regenerateCommand());
  invoices.addCommand(verifyCommand());
  invoices.addCommand(recordHashesCommand());
  invoices
    .command('list')
    .description('list invoices (number, customer, period, status, total, documents)')
    .option('--period <YYYY-MM>', 'only this period', periodOption)
    .option('--customer <id>', 'only this customer')
    .addOption(new Option('--status <status>', 'only this status').choices(INVOICE_STATUSES))
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const rows = await withSession(opts, (s) =>
        s.listInvoices({
          period: opts.period,
          customerId: opts.customer,
          status: opts.status as InvoiceStatus,
        }),
      );
      // --json: the read API's shape (amounts with their currency and minor units, no storage keys).
      print(opts.json, rows.map(invoiceView), () => formatInvoices(rows));
    });
  invoices
    .command('get')
    .description('show an invoice (or credit note), and write its stored documents to files')
    .argument('<number>', 'invoice number, e.g. INV-2026-000001')
    .option('--pdf <file>', 'write the PDF here')
    .option('--detail <file>', 'write the JSON detail here')
    .option('--xml <file>', 'write the EN 16931 e-invoice (UBL or CII) here')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {invoice, hostedLink, written}')
    .action(async (number: string, opts) => {
      const { docs, hostedLink } = await withSession(opts, async (s) => ({
        docs: await s.getInvoiceDocuments(number),
        hostedLink: await s.hostedLink(number),
      }));
      if (opts.xml && docs.eInvoice === undefined)
        throw new Error(
          `${number} has no e-invoice: ${currencyRefusal(docs.row.currency) ?? 'none was stored'}`,
        );
      if (opts.pdf) await writeFile(opts.pdf, docs.pdf);
      if (opts.detail) await writeFile(opts.detail, docs.detail);
      if (opts.xml && docs.eInvoice) await writeFile(opts.xml, docs.eInvoice);
      const written = {
        ...(opts.pdf ? { pdf: opts.pdf as string } : {}),
        ...(opts.detail ? { detail: opts.detail as string } : {}),
        ...(opts.xml ? { xml: opts.xml as string } : {}),
      };
      const invoice = invoiceView(docs.row);
      print(opts.json, { invoice, hostedLink, written }, () =>
        [
          formatInvoices([docs.row]),
          `hosted link: ${hostedLink}`,
          ...Object.entries(written).map(([kind, file]) => `${kind} -> ${file}`),
        ].join('\n'),
      );
    });

  invoices
    .command('credit')
    .description('correct an issued invoice with a credit note (its own number, PDF, JSON, notification)')
    .argument('<number>', 'invoice number, e.g. INV-2026-000001')
    .requiredOption('--reason <text>', 'why the invoice is corrected (printed on the credit note)')
    .option(
      '--amount <amount>',
      "gross amount to credit in the invoice's currency, e.g. 59.50 (default: all that is left)",
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const result = await withSession(opts, (s) =>
        creditWithLog(s, {
          invoiceNumber: number,
          reason: opts.reason,
          ...(opts.amount === undefined ? {} : { amount: opts.amount }),
          via: 'cli',
        }),
      );
      print(opts.json, result, () => formatCreditNote(result));
    });

  invoices
    .command('replace')
    .description(
      'void and replace an invoice: credit what is left of it, set it aside and run its period again, which issues the customer a new invoice',
    )
    .argument('<number>', 'invoice number, e.g. INV-2026-000001')
    .requiredOption('--reason <text>', 'why the invoice is replaced (printed on the credit note)')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const result = await withTarget(opts, {}, (target) =>
        replaceWithLog(target, { invoiceNumber: number, reason: opts.reason, via: 'cli' }),
      );
      print(opts.json, result, () =>
        [
          ...(result.creditNote ? [formatCreditNote(result.creditNote)] : []),
          `${number} set aside${result.setAside ? '' : ' (already)'}; ` +
            (result.replacement
              ? `replaced by ${result.replacement.invoiceNumber} (${result.replacement.status})`
              : `no replacement issued: see the run below`),
          formatRunSummary(result.run),
        ].join('\n'),
      );
      process.exitCode = result.replacement ? 0 : 1;
    });

  invoices.addCommand(writeOffCommand());
  return invoices;
}
