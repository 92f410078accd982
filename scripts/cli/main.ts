/**
 * The `invoicer` command line: runs the monthly billing run on the embedded local stack and
 * lets support staff inspect invoices, runs and the customer inbox.
 */
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import {
  DEFAULT_BILLING_TIME_ZONE,
  BATCH_SIZE_RANGE,
  DEFAULT_BATCH_SIZE,
  MAX_CONCURRENCY_RANGE,
  TOLERATED_FAILURE_RANGE,
  sellerConfig,
} from '../../lambdas/shared/config.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { currencyRefusal } from '../../lambdas/shared/documents/en16931/refusal.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../lambdas/shared/contracts/statuses.js';
import { previousPeriod } from '../../lambdas/shared/domain/index.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { print } from './output.js';
import { defaultWorkerThreads } from '../../workflows/local/harness/lambda-pool.js';
import { openLocalSession, type LocalSession } from '../../workflows/local/harness/session.js';
import { faultsOption, integerOption, periodOption } from './options.js';
import { DATA_DIR_ENV, defaultDataDir, usableDataDir } from './data-dir.js';
import { linksCommand } from './links.js';
import { previewCommand } from './preview.js';
import { invoiceView } from '../../lambdas/api/views.js';
import { portOption, serveCommand, serveUntilStopped, servingText } from './serve.js';
import { LOCAL_API_PORT } from '../../workflows/local/hosted-links.js';
import { formatCreditNote, formatInbox, formatInvoices, formatRunSummary, formatRuns } from './format.js';

const dataDirOption = () =>
  new Option(
    '--data-dir <dir>',
    `where the local stack keeps its state (default: $${DATA_DIR_ENV}, else the project's .data)`,
  ).default(defaultDataDir(), `$${DATA_DIR_ENV} or .data`);

async function withSession<T>(dataDir: string, fn: (session: LocalSession) => Promise<T>): Promise<T> {
  const session = await openLocalSession({ dataDir: usableDataDir(dataDir) });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

const PACKAGE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Diagnostics (handler logs, stack traces) are wanted: `--verbose` or INVOICER_DEBUG. */
const debugRequested = (): boolean => Boolean(process.env.INVOICER_DEBUG);

/** The seller on local invoices: SELLER_JSON when set (as on Lambda), else the demo seller. */
const localSeller = () => (process.env[ENV.sellerJson] ? sellerConfig(process.env) : undefined);

export function buildProgram(): Command {
  const program = new Command('invoicer')
    .description('Monthly invoicing run on AWS Step Functions, runnable locally with no AWS account.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('run the monthly billing run for a period on the local stack')
    .option('--period <YYYY-MM>', 'billing period (default: the previous calendar month)', periodOption)
    .option(
      '--demo-customers <n>',
      'seed this many demo customers when the data dir is empty',
      integerOption(0, 100000),
      0,
    )
    .addOption(dataDirOption())
    .option('--json', 'print the summary as one JSON object')
    .option(
      '--inject-faults <spec>',
      'fault injection: STEP:KIND:RATE,... or STEP:KIND:customer=ID (STEP compute|reserve|render|commit|notify, KIND transient|permanent|crash)',
      faultsOption,
    )
    .option('--fault-seed <n>', 'seed of the fault injection', integerOption(0, 2 ** 31 - 1), 1)
    .option(
      '--max-concurrency <n>',
      'customers processed at once',
      integerOption(...MAX_CONCURRENCY_RANGE),
      16,
    )
    .option(
      '--tolerated-failure-percentage <n>',
      'the run fails above this share of failed customers',
      integerOption(...TOLERATED_FAILURE_RANGE),
      100,
    )
    .option(
      '--workers <n>',
      'worker threads serving the per-customer functions (default: CPUs - 2; 0: all in one thread)',
      integerOption(0, 64),
    )
    .option(
      '--batch-size <n>',
      `customers per map child (capped by --max-concurrency; default ${DEFAULT_BATCH_SIZE})`,
      integerOption(...BATCH_SIZE_RANGE),
    )
    .option('--time-zone <tz>', 'billing time zone for the default period', DEFAULT_BILLING_TIME_ZONE)
    .option('--verbose', "print the handlers' structured logs to stderr")
    .option(
      '--serve [port]',
      `then serve the read API and hosted pages until Ctrl-C (default port ${LOCAL_API_PORT})`,
      portOption(),
    )
    .action(async (opts) => {
      const seller = localSeller();
      const period: string = opts.period ?? previousPeriod(new Date().toISOString(), opts.timeZone).id;
      await withSession(opts.dataDir, async (session) => {
        const bar = opts.json
          ? undefined
          : new cliProgress.SingleBar(
              {
                format: 'billing {period} [{bar}] {value}/{total} customers | {eta_formatted} left',
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            );
        let summary;
        try {
          summary = await runLocalBilling(session, {
            period,
            demoCustomers: opts.demoCustomers,
            maxConcurrency: opts.maxConcurrency,
            toleratedFailurePercentage: opts.toleratedFailurePercentage,
            ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
            workerThreads: opts.workers ?? defaultWorkerThreads(),
            faults: opts.injectFaults ? { rules: opts.injectFaults, seed: opts.faultSeed } : undefined,
            timeZone: opts.timeZone,
            ...(seller ? { seller } : {}),
            ...(opts.verbose || debugRequested() ? { logLevel: 'INFO' as const } : {}),
            onStart: (total) => bar?.start(total, 0, { period }),
            onProgress: (done) => bar?.update(done),
          });
        } finally {
          bar?.stop();
        }
        // The e-mail subscriber's turn: what AWS runs as soon as the notifications are queued.
        await session.deliverEmails();
        const run =
          summary.customers === 0
            ? {
                ...summary,
                notices: [
                  ...summary.notices,
                  'there are no customers to bill: load demo customers with --demo-customers N, or put records into the Customers, Plans and Usage tables (README, "Deploy to AWS")',
                ],
              }
            : summary;
        process.exitCode = run.failed === 0 && run.status !== 'FAILED' ? 0 : 1;
        if (opts.serve === undefined) return print(opts.json, run, () => formatRunSummary(run));
        // --serve: then the read API and hosted pages, on the same local stack, until Ctrl-C.
        const port = opts.serve === true ? LOCAL_API_PORT : (opts.serve as number);
        const verbose = Boolean(opts.verbose) || debugRequested();
        await serveUntilStopped(session, { port, verbose, period }, (s) =>
          // --json: one document, the run's summary and where it is served.
          print(opts.json, { run, api: s }, () => `${formatRunSummary(run)}\n${servingText(s)}`),
        );
      });
    });

  const invoices = program.command('invoices').description('inspect issued invoices');
  invoices
    .command('list')
    .description('list invoices (number, customer, period, status, total, documents)')
    .option('--period <YYYY-MM>', 'only this period', periodOption)
    .option('--customer <id>', 'only this customer')
    .addOption(new Option('--status <status>', 'only this status').choices(INVOICE_STATUSES))
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const rows = await withSession(opts.dataDir, (s) =>
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
    .option('--json', 'print one JSON object: {invoice, hostedLink, written}')
    .action(async (number: string, opts) => {
      const { docs, hostedLink } = await withSession(opts.dataDir, async (s) => ({
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
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const result = await withSession(opts.dataDir, async (s) => {
        const credited = await s.creditInvoice({
          invoiceNumber: number,
          reason: opts.reason,
          ...(opts.amount === undefined ? {} : { amount: opts.amount }),
          by: `invoicer-cli@${userInfo().username}`,
        });
        await s.deliverEmails();
        return credited;
      });
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
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const seller = localSeller();
      const result = await withSession(opts.dataDir, async (s) => {
        const replaced = await s.replaceInvoice({
          invoiceNumber: number,
          reason: opts.reason,
          by: `invoicer-cli@${userInfo().username}`,
        });
        const run = await runLocalBilling(s, {
          period: replaced.replaced.period,
          ...(seller ? { seller } : {}),
        });
        await s.deliverEmails();
        const [replacement] = (
          await s.listInvoices({ customerId: replaced.replaced.customerId, period: run.period })
        ).filter(
          (r) => r.documentType !== 'credit_note' && r.replacedAt === undefined && r.status !== 'VOID',
        );
        return { ...replaced, replacement, run };
      });
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
    .option('--json', 'print one JSON object: {notifications, emails, emailsDeadLettered}')
    .action(async (opts) => {
      const inbox = await withSession(opts.dataDir, async (s) => {
        await s.deliverEmails();
        return {
          notifications: await s.readInbox(opts.customer),
          emails: await s.readMail(opts.customer),
          emailsDeadLettered: await s.emailDeadLetters(),
        };
      });
      print(opts.json, inbox, () => formatInbox(inbox.notifications, inbox.emails, inbox.emailsDeadLettered));
    });

  const runs = program.command('runs').description('inspect billing runs and their failures');
  runs
    .command('list')
    .description('list runs (status, counts)')
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const records = await withSession(opts.dataDir, (s) => s.listRuns());
      print(opts.json, records, () => formatRuns(records));
    });
  runs
    .command('show')
    .description('show one run: counts, totals, failed customers with their errors')
    .argument('<runId>')
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action(async (runId: string, opts) => {
      await withSession(opts.dataDir, async (s) => {
        const record = (await s.listRuns()).find((r) => r.runId === runId);
        if (record && record.summaryKey === undefined) {
          // A run still going (or one that died) has no summary yet: its progress instead.
          const p = await s.getRunProgress(runId);
          const text = `run ${p.runId} for ${p.period}: ${p.status} since ${p.startedAt}, issued ${p.issuedSoFar} of ${p.customers} customers so far`;
          return print(opts.json, p, () => text);
        }
        const summary = await s.getRunSummary(runId);
        print(opts.json, summary, () => formatRunSummary(summary));
      });
    });
  program.addCommand(linksCommand(dataDirOption, withSession));
  program.addCommand(previewCommand(dataDirOption, withSession, localSeller));
  program.addCommand(serveCommand(dataDirOption, debugRequested));
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
    process.stderr.write(`invoicer: error: ${(error as Error).message}\n`);
    if (debugRequested()) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
