/**
 * `invoicer report ...`: month-end figures from SQL over the analytics files (scripts/reports/),
 * with DuckDB on the local stack and Athena on a deployed one; `report rebuild` rewrites a
 * period's analytics files from its issued documents.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { rebuildPeriodAnalytics } from '../../lambdas/shared/operations/rebuild-analytics.js';
import { duckdbTarget } from '../reports/duckdb-target.js';
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
  if (target.kind !== 'aws') return duckdbTarget(target.session.stores.documents);
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
  if (opts.json && opts.csv) throw usageError('give --json or --csv, not both');
  if (opts.csv) {
    process.stdout.write(formatReportCsv(document));
    return;
  }
  print(Boolean(opts.json), document, () => formatReportTable(document));
}

/** A report subcommand: target options, --json / --csv, and its own options. */
function reportCommand(
  name: string,
  description: string,
  produce: (query: QueryTarget, target: Target, opts: Record<string, unknown>) => Promise<ReportDocument>,
): Command {
  return new Command(name)
    .description(description)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the report as one JSON document (docs/reports.md)')
    .option('--csv', 'print the rows as CSV (RFC 4180, a header row)')
    .action(async (opts: Record<string, unknown>) => {
      const document = await withTarget(opts as never, {}, async (target) => {
        const query = await queryTargetOf(target);
        try {
          return await produce(query, target, opts);
        } finally {
          await query.close();
        }
      });
      emit(opts as OutputOptions, document);
    });
}

const periodOpt = () => new Option('--period <YYYY-MM>', 'one month').argParser(periodOption);
const quarterOpt = () =>
  new Option('--quarter <YYYY-Qn>', 'a calendar quarter, e.g. 2026-Q4').argParser(quarterOption);

export function reportCommands(): Command {
  const report = new Command('report').description(
    'month-end figures from SQL over the analytics files: revenue, VAT return, OSS, EC Sales List, runs (docs/reports.md)',
  );
  report.addCommand(
    reportCommand('revenue', 'revenue per currency (and --by country, plan, customer)', (q, _t, o) =>
      revenueReport(q, scopeOf(o, 'revenue'), (o.by as RevenueDimension[] | undefined) ?? ['currency']),
    )
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
      (q, _t, o) => vatReport(q, scopeOf(o, 'vat')),
    )
      .addOption(periodOpt())
      .addOption(quarterOpt()),
  );
  report.addCommand(
    reportCommand(
      'oss',
      'the One-Stop-Shop return: consumer sales into other member states per member state and rate, in EUR',
      async (q, t, o) => {
        if (o.quarter === undefined || o.period !== undefined)
          throw usageError('report oss needs --quarter YYYY-Qn (the OSS return is quarterly)');
        return ossReport(q, quarterScope(o.quarter as string), await t.session.stores.exchangeRates.load());
      },
    )
      .addOption(quarterOpt())
      .addOption(periodOpt().hideHelp()),
  );
  report.addCommand(
    reportCommand(
      'ec-sales-list',
      'the EC Sales List: reverse-charged services per buyer VAT id',
      (q, _t, o) => ecSalesListReport(q, scopeOf(o, 'ec-sales-list')),
    )
      .addOption(periodOpt())
      .addOption(quarterOpt()),
  );
  report.addCommand(
    reportCommand('runs', 'billing runs: customers, issued, failed, duration, cost estimate', (q, _t, o) =>
      runsReport(q, o.period === undefined ? undefined : monthScope(o.period as string)),
    ).addOption(periodOpt()),
  );
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
