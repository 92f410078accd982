/**
 * The `invoicer` command line: runs the monthly billing run on the local stack (the running one of
 * the data dir, else one started for the command) and lets support staff inspect and operate
 * invoices, runs and what customers received.
 */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { currencyRefusal } from '../../lambdas/shared/documents/en16931/refusal.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../lambdas/shared/contracts/statuses.js';
import { invoiceView } from '../../lambdas/api/views.js';
import { dataDirOption, debugRequested, stackOption, targetOption } from './common.js';
import { formatCreditNote, formatInbox, formatInvoices, formatRunSummary } from './format.js';
import { consoleCommand } from './console.js';
import { importCommand } from './import.js';
import { notifyCommand, regenerateCommand, showInvoiceCommand } from './invoice-ops.js';
import { recordHashesCommand, verifyCommand } from './integrity.js';
import { describeCliFailure } from './errors.js';
import { printable } from './terminal-text.js';
import { auditCommand } from './audit.js';
import { linksCommand } from './links.js';
import { localCommand } from './local.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { previewCommand } from './preview.js';
import { reportCommands } from './report.js';
import { ReportNoDataError } from '../reports/query-target.js';
import { eventsCommand } from './events.js';
import { runCommand } from './run.js';
import { webhooksCommand } from './webhooks.js';
import { runsCommands } from './runs.js';
import { serveCommand } from './serve.js';
import { localSessionOf, withSession, withTarget } from './target.js';
import { paymentsCommand, writeOffCommand } from './payments.js';
import { searchCommand } from './search.js';
import { creditWithLog, replaceWithLog } from './desk-operations.js';
import { remindersCommand } from './reminders.js';

const PACKAGE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command('invoicer')
    .description('Monthly invoicing run on AWS Step Functions, runnable locally with no AWS account.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander quotes the arguments it refuses: escaped, so a bad flag cannot drive the terminal.
    .configureOutput({ outputError: (text, write) => write(text.split('\n').map(printable).join('\n')) })
    .exitOverride();

  program.addCommand(runCommand());

  const invoices = program
    .command('invoices')
    .description('inspect issued invoices and act on them (credit, replace, regenerate)');
  invoices.addCommand(showInvoiceCommand());
  invoices.addCommand(regenerateCommand());
  invoices.addCommand(verifyCommand());
  invoices.addCommand(recordHashesCommand());
  program.addCommand(notifyCommand());
  program.addCommand(auditCommand());
  program.addCommand(importCommand());
  program.addCommand(consoleCommand());
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

  program
    .command('inbox')
    .description('show what customers received: the notifications and the e-mails')
    .option('--customer <id>', 'only this customer')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {notifications, emails, emailsDeadLettered}')
    .action(async (opts) => {
      const inbox = await withTarget(opts, {}, async (target) => {
        // On AWS, `invoices show NUMBER` tells what became of a document's e-mails.
        const s = localSessionOf(target, "inbox (what the local stack's subscribers received)");
        await s.deliverEmails();
        return {
          notifications: await s.readInbox(opts.customer),
          emails: await s.readMail(opts.customer),
          emailsDeadLettered: await s.emailDeadLetters(),
        };
      });
      print(opts.json, inbox, () => formatInbox(inbox.notifications, inbox.emails, inbox.emailsDeadLettered));
    });

  for (const command of runsCommands()) program.addCommand(command);
  program.addCommand(localCommand());
  program.addCommand(linksCommand());
  program.addCommand(previewCommand());
  program.addCommand(reportCommands());
  program.addCommand(eventsCommand());
  program.addCommand(webhooksCommand());
  program.addCommand(paymentsCommand());
  program.addCommand(remindersCommand());
  program.addCommand(searchCommand());
  invoices.addCommand(writeOffCommand());
  program.addCommand(serveCommand(dataDirOption, debugRequested));
  // Commands built in their own modules (addCommand) do not inherit these settings by themselves.
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.copyInheritedSettings(command);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed usage errors; help and version exit cleanly.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (error.code === 'invoicer.usage') process.stderr.write(`invoicer: error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`invoicer: error: ${describeCliFailure(error).message}\n`);
    // Nothing to report is not a failure of the command: scripts tell it apart by its code.
    if (error instanceof ReportNoDataError) return 3;
    if (debugRequested()) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
