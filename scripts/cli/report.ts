/**
 * `invoicer report ...`: month-end figures from SQL over the analytics files (scripts/reports/),
 * with DuckDB on the local stack and Athena on a deployed one; `report rebuild` rewrites a
 * period's analytics files from its issued documents.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { rebuildPeriodAnalytics } from '../../lambdas/shared/operations/rebuild-analytics.js';
import { DEFAULT_BILLING_TIME_ZONE } from '../../lambdas/shared/config.js';
import { localDateOf, parseIsoDate } from '../../lambdas/shared/domain/periods.js';
import { agingReport } from '../reports/aging.js';
import type { QueryTarget } from '../reports/query-target.js';
import {
  ecSalesListReport,
  ossReport,
  revenueReport,
  runsReport,
  vatReport,
  REVENUE_DIMENSIONS,
  type ReportDocument,
  type RevenueDimension,
} from '../reports/reports.js';
import { monthScope, quarterOption, quarterScope, scopeOf } from '../reports/scope.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { periodOption, usageError } from './options.js';
import { print } from './output.js';
import { formatReportCsv, formatReportTable } from './report-format.js';
import { withTarget, type Target } from './target.js';

function byOption(value: string): RevenueDimension[] {
  const parts = value.split(',').map((p) => p.trim());
  for (const part of parts)
    if (!(REVENUE_DIMENSIONS as readonly string[]).includes(part))
      throw new InvalidArgumentError(
        `expected a comma-separated list of ${REVENUE_DIMENSIONS.join(', ')}; "${part}" is none of them`,
      );
  return [...new Set(parts as RevenueDimension[])];
}

/** The engine of a target: Athena in the deployed stack's workgroup, else DuckDB over the local files. */
async function queryTargetOf(target: Target): Promise<QueryTarget> {
  // DuckDB (a native module) loads only when a report runs locally.
  if (target.kind !== 'aws')
    return (await import('../reports/duckdb-target.js')).duckdbTarget(target.session.stores.documents);
  const analytics = target.analytics;
  if (!analytics)
    throw new Error(
      'the stack has no analytics outputs (AnalyticsDatabaseName, AnalyticsWorkGroupName): deploy this version first (docs/deploy.md)',
    );
  const [{ AthenaClient }, { athenaTarget }] = await Promise.all([
    import('@aws-sdk/client-athena'),
    import('../reports/athena-target.js'),
  ]);
  const region = target.session.place.kind === 'aws' ? target.session.place.region : undefined;
  return athenaTarget(new AthenaClient(region ? { region } : {}), analytics);
}

interface OutputOptions {
  json?: boolean;
  csv?: boolean;
}

function emit(opts: OutputOptions, document: ReportDocument): void {
  if (opts.csv) {
    process.stdout.write(formatReportCsv(document));
    return;
  }
  print(Boolean(opts.json), document, () => formatReportTable(document));
}

type Produce = (query: QueryTarget, target: Target) => Promise<ReportDocument>;

/**
 * A report subcommand: target options, --json / --csv, and its own options. `plan` checks the
 * options (a usage error, before any stack is opened) and says how to produce the report.
 */
function reportCommand(
  name: string,
  description: string,
  plan: (opts: Record<string, unknown>) => Produce,
): Command {
  return new Command(name)
    .description(description)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the report as one JSON document (docs/reports.md)')
    .option('--csv', 'print the rows as CSV (RFC 4180, a header row)')
    .action(async (opts: Record<string, unknown>) => {
      if (opts.json && opts.csv) throw usageError('give --json or --csv, not both');
      const produce = plan(opts);
      const document = await withTarget(opts as never, {}, async (target) => {
        const query = await queryTargetOf(target);
        try {
          return await produce(query, target);
        } finally {
          await query.close();
        }
      });
      emit(opts as OutputOptions, document);
    });
}

const dateOption = (value: string): string => {
  try {
    parseIsoDate(value, '--date');
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
};

const periodOpt = () => new Option('--period <YYYY-MM>', 'one month').argParser(periodOption);
const quarterOpt = () =>
  new Option('--quarter <YYYY-Qn>', 'a calendar quarter, e.g. 2026-Q4').argParser(quarterOption);

export function reportCommands(): Command {
  const report = new Command('report').description(
    'month-end figures: revenue, VAT return, OSS, EC Sales List, runs (SQL over the analytics files) and receivables aging (docs/reports.md)',
  );
  report.addCommand(
    reportCommand('revenue', 'revenue per currency (and --by country, plan, customer)', (o) => {
      const scope = scopeOf(o, 'revenue');
      return (q) => revenueReport(q, scope, (o.by as RevenueDimension[] | undefined) ?? ['currency']);
    })
      .addOption(periodOpt())
      .addOption(quarterOpt())
      .addOption(
        new Option(
          '--by <dimensions>',
          `group by ${REVENUE_DIMENSIONS.join(',')} (currency always)`,
        ).argParser(byOption),
      ),
  );
  report.addCommand(
    reportCommand(
      'vat',
      "the seller's VAT return figures in its national currency: base and VAT per rate, reverse charge, outside the scope",
      (o) => {
        const scope = scopeOf(o, 'vat');
        return (q) => vatReport(q, scope);
      },
    )
      .addOption(periodOpt())
      .addOption(quarterOpt()),
  );
  report.addCommand(
    reportCommand(
      'oss',
      'the One-Stop-Shop return: consumer sales into other member states per member state and rate, in EUR',
      (o) => {
        if (o.quarter === undefined || o.period !== undefined)
          throw usageError('report oss needs --quarter YYYY-Qn (the OSS return is quarterly)');
        const scope = quarterScope(o.quarter as string);
        return async (q, t) => ossReport(q, scope, await t.session.stores.exchangeRates.load());
      },
    )
      .addOption(quarterOpt())
      .addOption(periodOpt().hideHelp()),
  );
  report.addCommand(
    reportCommand('ec-sales-list', 'the EC Sales List: reverse-charged services per buyer VAT id', (o) => {
      const scope = scopeOf(o, 'ec-sales-list');
      return (q) => ecSalesListReport(q, scope);
    })
      .addOption(periodOpt())
      .addOption(quarterOpt()),
  );
  report.addCommand(
    reportCommand('runs', 'billing runs: customers, issued, failed, duration, cost estimate', (o) => {
      const scope = o.period === undefined ? undefined : monthScope(o.period as string);
      return (q) => runsReport(q, scope);
    }).addOption(periodOpt()),
  );
  report
    .command('aging')
    .description(
      'receivables by days past due (not due, 0-30, 31-60, 61-90, 90+) per currency, from the invoice index',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'count ages to this day (default: today in the billing time zone)',
      dateOption,
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the report as one JSON document (docs/reports.md)')
    .option('--csv', 'print the rows as CSV (RFC 4180, a header row)')
    .action(async (opts) => {
      if (opts.json && opts.csv) throw usageError('give --json or --csv, not both');
      const asOf =
        (opts.date as string | undefined) ?? localDateOf(new Date().toISOString(), DEFAULT_BILLING_TIME_ZONE);
      const document = await withTarget(opts, {}, async (target) =>
        agingReport(await target.session.stores.invoices.scan(), asOf),
      );
      emit(opts as OutputOptions, document);
    });
  report
    .command('rebuild')
    .description(
      "rewrite a billing period's analytics files from its issued documents (and its credit notes')",
    )
    .requiredOption('--period <YYYY-MM>', 'the billing period', periodOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {period, invoices, creditNotes, files}')
    .action(async (opts) => {
      const result = await withTarget(opts, {}, (target) =>
        rebuildPeriodAnalytics(target.session.stores, opts.period as string),
      );
      print(
        opts.json,
        result,
        () =>
          `${result.period}: ${result.invoices} invoices and ${result.creditNotes} credit notes, ${result.files.length} files written`,
      );
    });
  return report;
}
