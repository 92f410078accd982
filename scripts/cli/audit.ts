/**
 * `invoicer audit`: the auditor's manifests (lambdas/shared/domain/audit-manifest.ts). `write`
 * appends a period's manifests by hand (periods billed before manifests were written, or after a
 * failed write); `export` copies them (and the documents, if asked) to a directory; `check`
 * verifies such a directory offline, with no stack and no credentials.
 */
import { Command } from 'commander';
import type { AuditCheckReport } from '../../workflows/operator/audit-files.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { withSession } from './target.js';
import { printable } from './terminal-text.js';

const formatCheck = (r: AuditCheckReport): string =>
  [
    ...r.series.map(
      (s) =>
        `${s.series}: a chain of ${s.manifests} manifest${s.manifests === 1 ? '' : 's'}, ${s.numbers} numbers, the last ${s.lastNumber ?? '-'}`,
    ),
    `documents checked against the manifests: ${r.documentsChecked}`,
    r.ok
      ? 'ok: chains unbroken, numbers gapless, every document present is the one issued'
      : `${r.problems.length} problems:`,
    ...r.problems.map(
      (p) => `  ${printable(p.series)}${p.file ? ` ${printable(p.file)}` : ''}: ${printable(p.problem)}`,
    ),
  ].join('\n');

export function auditCommand(): Command {
  const audit = new Command('audit').description(
    "the auditor's manifests: every number of a series and period with its documents' hashes, in a hash chain",
  );
  audit
    .command('write')
    .description("append the period's manifests to their series' chains (unchanged content writes nothing)")
    .requiredOption('--period <YYYY-MM>', 'the billing period', periodOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {period, written: [{series, sequence, key}]}')
    .action(async (opts) => {
      const { writeAuditManifests } = await import('../../lambdas/shared/operations/audit-manifests.js');
      const written = await withSession(opts, (s) =>
        writeAuditManifests(s.stores, opts.period, `operator ${s.operator}`),
      );
      print(opts.json, { period: opts.period, written }, () =>
        written.length === 0
          ? `${opts.period}: the manifests already say what the period holds; nothing written`
          : written.map((m) => `${m.series} #${m.sequence}: ${m.key}`).join('\n'),
      );
    });
  audit
    .command('export')
    .description(
      'copy the manifests (and with --documents, every invoice file) into DIR, as keyed in the bucket',
    )
    .argument('<dir>', 'the directory to write (audit/... and invoices/... under it)')
    .option('--documents', 'also copy the documents (invoices/...), to check them offline')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {dir, manifests, documents, unreadable: [key]}')
    .action(async (dir: string, opts) => {
      const { exportAudit } = await import('../../workflows/operator/audit-files.js');
      const counts = await withSession(opts, (s) =>
        exportAudit(s.stores.documents, dir, { documents: opts.documents === true }),
      );
      // A file whose bytes fail the checksum S3 keeps was changed behind S3: named, exit 1.
      process.exitCode = counts.unreadable.length === 0 ? 0 : 1;
      print(opts.json, { dir, ...counts }, () =>
        [
          `${counts.manifests} manifests, ${counts.documents} documents written under ${dir}`,
          ...counts.unreadable.map((key) => `  not copied (its bytes fail the checksum S3 keeps): ${key}`),
        ].join('\n'),
      );
    });
  audit
    .command('check')
    .description(
      'check an exported directory offline: each chain unbroken, numbers gapless, every document present is the one issued; exit 1 on any problem',
    )
    .argument(
      '<dir>',
      'a directory written by `invoicer audit export` (or `aws s3 sync s3://BUCKET/audit DIR/audit`)',
    )
    .option('--json', 'print {series: [...], problems: [...], ok, documentsChecked}')
    .action(async (dir: string, opts) => {
      const { checkAuditDirectory } = await import('../../workflows/operator/audit-files.js');
      const report = await checkAuditDirectory(dir);
      process.exitCode = report.ok ? 0 : 1;
      print(opts.json, report, () => formatCheck(report));
    });
  return audit;
}
