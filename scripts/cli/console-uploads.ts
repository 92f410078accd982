/**
 * The console's file imports over a session (lambdas/api/console/upload-routes.ts): records
 * through `invoicer import`'s operation (a dry run for the preview: rows compared with what is
 * stored, nothing written), bank statements through `invoicer payments import`'s (the preview
 * reads the file and tells which entries were imported before). Both logged as the CLI logs them.
 */
import { Readable } from 'node:stream';
import type { ConsoleUploads, UploadedFile } from '../../lambdas/api/console/upload-routes.js';
import type { UploadPreview } from '../../lambdas/api/console/upload-pages.js';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import { InvalidInputError } from '../../lambdas/shared/errors.js';
import type { ImportKind, ImportSummary } from '../../lambdas/shared/operations/import-records.js';
import { formatOfFile, importRows } from '../../lambdas/shared/operations/import-rows.js';
import {
  readStatement,
  type StatementImportReport,
} from '../../lambdas/shared/operations/import-statement.js';
import { statementFormatOfFile } from '../../lambdas/shared/statements/statement-format.js';
import type { OperatorSession } from '../../workflows/operator/session-types.js';
import { importRecordsWithLog, importStatementWithLog } from './desk-operations.js';

const recordsOf = (kind: ImportKind, file: UploadedFile) => {
  const format = formatOfFile(file.name);
  if (format === undefined)
    throw new InvalidInputError(
      `${file.name} is neither JSON Lines (.jsonl, .ndjson) nor CSV (.csv)`,
      'file',
    );
  return importRows(Readable.from([Buffer.from(file.bytes)]), format);
};

const statementOf = (file: UploadedFile) => {
  const format = statementFormatOfFile(file.name);
  if (format === undefined)
    throw new InvalidInputError(`${file.name} is neither camt XML (.xml) nor CSV (.csv)`, 'file');
  return readStatement(file.bytes, file.name, format);
};

const recordLines = (s: ImportSummary, done: boolean): string[] => [
  `${s.rows} rows: ${s.written} ${done ? 'written' : 'new or changed, to be written'}, ${s.unchanged} unchanged, ${s.rejected} with errors (not ${done ? '' : 'to be '}imported).`,
];

const statementLines = (r: StatementImportReport): string[] => [
  `${r.credits} credits: ${r.matched} matched to invoices, ${r.unmatched} kept for support to assign, ${r.alreadyImported} imported before; ${r.errors.length} with errors.`,
  `Skipped: ${r.skipped.debits} debits, ${r.skipped.notBooked} not booked, ${r.skipped.reversals} reversals.`,
];

export function consoleUploads(session: OperatorSession): ConsoleUploads {
  return {
    async preview(kind, file): Promise<UploadPreview> {
      if (kind === 'statement') {
        const read = statementOf(file);
        const seen = await session.stores.receivables.seenEntries(read.credits);
        const fresh = read.credits.filter((c) => !seen.has(c.entryId));
        const totals = new Map<string, number>();
        for (const c of fresh) totals.set(c.currency, (totals.get(c.currency) ?? 0) + c.amountMinor);
        return {
          lines: [
            `${read.credits.length} credits, ${read.credits.length - fresh.length} of them imported before (skipped).`,
            `To match and record: ${fresh.length} credits${[...totals].map(([cur, minor]) => `, ${decimalAmount(minor, cur)} ${cur}`).join('')}.`,
            `Skipped: ${read.skipped.debits} debits, ${read.skipped.notBooked} not booked, ${read.skipped.reversals} reversals.`,
          ],
          errors: read.errors,
          importable: fresh.length > 0,
        };
      }
      const summary = await importRecordsWithLog(session, {
        kind,
        file: file.name,
        rows: recordsOf(kind, file),
        via: 'console',
        dryRun: true,
      });
      return {
        lines: recordLines(summary, false),
        errors: summary.errors.map((e) => ({ where: `row ${e.row}`, message: e.message })),
        importable: summary.written > 0,
      };
    },
    async write(kind, file, reason) {
      if (kind === 'statement')
        return statementLines(
          await importStatementWithLog(session, {
            file: file.name,
            read: statementOf(file),
            via: 'console',
            reason,
          }),
        );
      const summary = await importRecordsWithLog(session, {
        kind,
        file: file.name,
        rows: recordsOf(kind, file),
        via: 'console',
        reason,
      });
      return recordLines(summary, true);
    },
  };
}
