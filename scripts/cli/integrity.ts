/**
 * `invoices verify` and `invoices record-hashes`: the integrity of issued documents against the
 * SHA-256 recorded at issue (lambdas/shared/operations/document-integrity.ts), on either target.
 */
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { OPERATOR_ACTION } from '../../lambdas/shared/store/operator-log.js';
import type { RecordHashesReport, VerifyReport } from '../../lambdas/shared/operations/document-integrity.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { logAction } from './operations.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { withSession } from './target.js';
import { printable } from './terminal-text.js';

export function formatVerifyReport(r: VerifyReport): string {
  const scope = r.period ? `period ${r.period}` : 'all periods';
  const lines = [
    `${scope}: ${r.documents} documents, ${r.files} files checked: ${r.clean ? 'clean' : `${r.problems.length} problems`}`,
  ];
  for (const p of r.problems)
    lines.push(
      `  ${p.state.padEnd(8)} ${printable(p.invoiceNumber)} ${p.kind.padEnd(7)} ${printable(p.key)}  recorded ${p.recorded}${p.stored ? `, stored ${p.stored}` : ''}`,
    );
  if (r.unrecorded.length > 0)
    lines.push(
      `  ${r.unrecorded.length} documents have no recorded hashes (issued before they were recorded): invoicer invoices record-hashes${r.period ? ` --period ${r.period}` : ''}`,
    );
  return lines.join('\n');
}

export const formatRecordHashesReport = (r: RecordHashesReport): string =>
  [
    `${r.period ? `period ${r.period}` : 'all periods'}: hashes recorded for ${r.recorded.length} documents, ${r.alreadyRecorded} had them, ${r.refused.length} refused`,
    ...r.refused.map((x) => `  refused  ${printable(x.invoiceNumber)}: ${printable(x.reason)}`),
  ].join('\n');

export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'check every issued document (invoices and credit notes) against the SHA-256 of its files recorded at issue: missing or changed files; exit 1 unless clean',
    )
    .option('--period <YYYY-MM>', 'only this period (default: all)', periodOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {period, documents, files, clean, problems: [...], unrecorded: [...]}')
    .action(async (opts) => {
      const bar =
        opts.json || !process.stderr.isTTY
          ? undefined
          : new cliProgress.SingleBar(
              {
                format: 'verifying [{bar}] {value}/{total} documents',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            );
      let report: VerifyReport;
      try {
        const { verifyDocuments } = await import('../../lambdas/shared/operations/document-integrity.js');
        report = await withSession(opts, (s) =>
          verifyDocuments(s.stores, { period: opts.period }, (done, total) => {
            if (done === 1) bar?.start(total, 0);
            bar?.update(done);
          }),
        );
      } finally {
        bar?.stop();
      }
      process.exitCode = report.clean ? 0 : 1;
      print(opts.json, report, () => formatVerifyReport(report));
    });
}

export function recordHashesCommand(): Command {
  return new Command('record-hashes')
    .description(
      'record, once, the SHA-256 of the files of documents issued before hashes were recorded at issue, after proving each file is what its canonical JSON renders to',
    )
    .option('--period <YYYY-MM>', 'only this period (default: all)', periodOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {period, recorded: [...], alreadyRecorded, refused: [{invoiceNumber, reason}]}')
    .action(async (opts) => {
      const { recordMissingHashes } = await import('../../lambdas/shared/operations/document-integrity.js');
      const report = await withSession(opts, async (s) => {
        const done = await recordMissingHashes(s.stores, { period: opts.period });
        for (const invoiceNumber of done.recorded)
          await logAction(s, {
            action: OPERATOR_ACTION.recordHashes,
            subject: { kind: 'invoice', invoiceNumber },
          });
        return done;
      });
      process.exitCode = report.refused.length === 0 ? 0 : 1;
      print(opts.json, report, () => formatRecordHashesReport(report));
    });
}
