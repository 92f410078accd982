/**
 * `invoicer preview --period P [--customer ID] [--pdf-dir DIR] [--json]`: what a run of the period
 * would issue, computed and rendered, with nothing written to the stack (no number, document,
 * notification or link). Exit 1 when a customer would fail.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, type Option } from 'commander';
import { DEFAULT_BILLING_TIME_ZONE, DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import type { SellerConfig } from '../../lambdas/shared/domain/types.js';
import { previousPeriod, runIssueOf } from '../../lambdas/shared/domain/periods.js';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { periodOption } from './options.js';
import { print } from './output.js';

type WithSession = <T>(dataDir: string, fn: (session: LocalSession) => Promise<T>) => Promise<T>;

export function previewCommand(
  dataDirOption: () => Option,
  withSession: WithSession,
  seller: () => SellerConfig | undefined,
): Command {
  return new Command('preview')
    .description('dry run: compute and render what a run of the period would issue, writing nothing')
    .option('--period <YYYY-MM>', 'billing period (default: the previous calendar month)', periodOption)
    .option('--customer <id>', 'only this customer')
    .option('--pdf-dir <dir>', 'also write each would-be PDF here (PREVIEW-<customer>.pdf)')
    .option('--time-zone <tz>', 'billing time zone', DEFAULT_BILLING_TIME_ZONE)
    .addOption(dataDirOption())
    .option(
      '--json',
      'print one JSON object: {period, issueDate, customers: [{customerId, outcome, total, lines, pdfBytes, error}]}',
    )
    .action(async (opts) => {
      const now = new Date().toISOString();
      const period: string = opts.period ?? previousPeriod(now, opts.timeZone).id;
      const { issueDate } = runIssueOf(period, now, opts.timeZone);
      if (opts.pdfDir) await mkdir(opts.pdfDir, { recursive: true });
      // Loaded on use: the preview runs the handlers and the renderer.
      const { previewWithStores } = await import('../../workflows/local/harness/preview.js');
      const result = await withSession(opts.dataDir, (s) =>
        previewWithStores(
          s.stores,
          seller() ?? DEFAULT_SELLER,
          { period, issueDate, ...(opts.customer ? { customerId: opts.customer } : {}) },
          opts.pdfDir
            ? (customerId, pdf) => writeFile(join(opts.pdfDir, `PREVIEW-${customerId}.pdf`), pdf)
            : undefined,
        ),
      );
      const failed = result.customers.filter((c) => c.outcome === 'failed');
      print(opts.json, result, () =>
        [
          `preview of ${result.period} (issue date ${result.issueDate}); nothing was written`,
          ...result.customers.map((c) =>
            c.outcome === 'would-issue'
              ? `  ${c.customerId}  would issue ${c.total!.currency} ${c.total!.amount} (${c.lines} lines, PDF ${c.pdfBytes} bytes)`
              : c.outcome === 'failed'
                ? `  ${c.customerId}  would fail: ${c.error}`
                : `  ${c.customerId}  already issued`,
          ),
        ].join('\n'),
      );
      process.exitCode = failed.length === 0 ? 0 : 1;
    });
}
