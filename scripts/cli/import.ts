/**
 * `invoicer import customers|plans|usage FILE`: records from JSON Lines or CSV into their tables,
 * every row validated (errors name the row and field), the changed ones written in batches, a
 * progress bar, and a summary of written / unchanged / rejected. Exit code 1 when a row was
 * rejected (the valid rows are written all the same).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { IMPORT_KINDS, type ImportKind } from '../../lambdas/shared/contracts/tables.js';
import type { ImportSummary } from '../../lambdas/shared/operations/import-records.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import {
  formatOfFile,
  importRows,
  IMPORT_FORMATS,
  type ImportFormat,
} from '../../lambdas/shared/operations/import-rows.js';
import { usageError } from './options.js';
import { importRecordsWithLog } from './desk-operations.js';
import { print } from './output.js';
import { withSession } from './target.js';

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity }))
    if (line.trim()) n++;
  return n;
}

export const formatImportSummary = (s: ImportSummary): string =>
  [
    `${s.kind}: ${s.rows} rows, written ${s.written}, unchanged ${s.unchanged}, rejected ${s.rejected}`,
    ...s.errors.map((e) => `  row ${e.row}: ${e.message}`),
    ...(s.rejected > s.errors.length ? [`  ... and ${s.rejected - s.errors.length} more`] : []),
  ].join('\n');

export function importCommand(): Command {
  return new Command('import')
    .description(
      'load customers, price plans or usage from a JSON Lines or CSV file (a re-import updates, never duplicates)',
    )
    .addArgument(new Command().createArgument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'a .jsonl / .ndjson or .csv file (docs/cli.md, "Importing records")')
    .addOption(
      new Option('--format <format>', 'the file format (default: from its extension)').choices(
        IMPORT_FORMATS,
      ),
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option(
      '--json',
      'print the summary as one JSON object: {kind, rows, written, unchanged, rejected, errors}',
    )
    .action(async (kind: ImportKind, file: string, opts) => {
      const format = (opts.format as ImportFormat | undefined) ?? formatOfFile(file);
      if (!format)
        throw usageError(`cannot tell the format of ${file} from its extension: give --format jsonl|csv`);
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      const total = Math.max(0, (await countLines(file)) - (format === 'csv' ? 1 : 0));
      const bar =
        opts.json || total < 100
          ? undefined
          : new cliProgress.SingleBar(
              { format: `importing ${kind} [{bar}] {value}/{total} rows`, hideCursor: true },
              cliProgress.Presets.shades_classic,
            );
      bar?.start(total, 0);
      let summary: ImportSummary;
      try {
        summary = await withSession(opts, (s) =>
          importRecordsWithLog(s, {
            kind,
            file,
            rows: importRows(createReadStream(file), format),
            via: 'cli',
            onProgress: (rows) => bar?.update(rows),
          }),
        );
      } finally {
        bar?.stop();
      }
      process.exitCode = summary.rejected === 0 ? 0 : 1;
      print(opts.json, summary, () => formatImportSummary(summary));
    });
}
