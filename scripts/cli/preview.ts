/**
 * `invoicer preview --period P [--customer ID] [--pdf-dir DIR] [--json]`: what a run of the period
 * would issue, computed and rendered, with nothing written to the stack (no number, document,
 * notification or link). Exit 1 when a customer would fail.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_BILLING_TIME_ZONE } from '../../lambdas/shared/config.js';
import { previousPeriod, runIssueOf } from '../../lambdas/shared/domain/periods.js';
import { dataDirOption, localSeller, stackOption, targetOption } from './common.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { withTarget } from './target.js';

export function previewCommand(): Command {
  return new Command('preview')
    .description('dry run: compute and render what a run of the period would issue, writing nothing')
    .option('--period <YYYY-MM>', 'billing period (default: the previous calendar month)', periodOption)
    .option('--customer <id>', 'only this customer')
    .option('--pdf-dir <dir>', 'also write each would-be PDF here (PREVIEW-<customer>.pdf)')
    .option('--time-zone <tz>', 'billing time zone', DEFAULT_BILLING_TIME_ZONE)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
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
      const seller = localSeller();
      const result = await withTarget(opts, seller ? { seller } : {}, async (target) =>
        previewWithStores(
          target.session.stores,
          await target.seller(),
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
