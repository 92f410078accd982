/**
 * The analytics files (contracts/analytics.ts) are derived data: rebuilt from the issued documents
 * themselves (each JSON detail read and checked against the SHA-256 recorded at issue), never
 * appended to. So a retry, a crash and re-run, a redrive or a compensation cannot leave a double
 * or a stale row: every FinalizeRun of a billing period rewrites that period's invoice files
 * whole, from the invoice index as it is then, and a credit note's files have its number in their
 * key (written again, they are the same file).
 */
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import {
  ANALYTICS_STATUS_REPLACED,
  ANALYTICS_TABLE_NAMES,
  type AnalyticsRow,
  type AnalyticsTable,
} from '../contracts/analytics.js';
import { s3Keys } from '../contracts/keys.js';
import { analyticsRowsOf, type DocumentRows } from '../domain/analytics-rows.js';
import type { EcbRates } from '../domain/exchange.js';
import type { InvoiceDetail } from '../domain/types.js';
import { validateInvoiceDetail } from '../documents/schema.js';
import { parseStoredJson } from '../edge/safe-json.js';
import { mapLimited } from '../map-limited.js';
import { writeAnalyticsFile } from '../store/analytics-files.js';
import type { DocumentStore } from '../store/documents.js';
import type { ExchangeRateStore } from '../store/exchange-rates.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import { readIssuedFile } from './verify-documents.js';

export interface AnalyticsDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  documents: Pick<DocumentStore, 'bucket' | 'getBytes' | 'put' | 'delete' | 'list'>;
  exchangeRates: ExchangeRateStore;
}

/** Documents per invoices file: bounded memory per part (~100 MB of rows), few files per partition. */
export const DOCUMENTS_PER_FILE = 20_000;
/** Details read at once. */
const READ_CONCURRENCY = 32;

/** A rebuild stopped by its deadline: what it wrote is removed, so nothing counts twice. */
export class RebuildOutOfTimeError extends Error {
  override readonly name = 'RebuildOutOfTimeError';
}

export interface RebuildResult {
  period: string;
  invoices: number;
  creditNotes: number;
  /** Keys written (a table with no rows writes none). */
  files: string[];
}

const isCreditNoteRow = (row: InvoiceRow): boolean => row.documentType === 'credit_note';

async function readDetail(deps: AnalyticsDeps, row: InvoiceRow): Promise<InvoiceDetail> {
  const bytes = await readIssuedFile(deps.documents, row, row.jsonKey);
  return validateInvoiceDetail(parseStoredJson(bytes, row.jsonKey));
}

const rowsOfDocument = (row: InvoiceRow, detail: InvoiceDetail, rates: EcbRates | undefined): DocumentRows =>
  analyticsRowsOf(detail, {
    status: row.replacedAt === undefined ? row.status : ANALYTICS_STATUS_REPLACED,
    ...(isCreditNoteRow(row) ? {} : { runId: row.issuedByRun ?? row.reservedByRun }),
    rates,
  });

/** Writes one credit note's rows into the month of its issue date (its own files, by number). */
export async function writeCreditNoteAnalytics(
  deps: AnalyticsDeps,
  row: InvoiceRow,
  detail?: InvoiceDetail,
  rates?: EcbRates,
): Promise<string[]> {
  const rows = rowsOfDocument(
    row,
    detail ?? (await readDetail(deps, row)),
    rates ?? (await deps.exchangeRates.load()),
  );
  const files: string[] = [];
  for (const table of ['invoices', 'lines', 'vat'] as const) {
    const key = s3Keys.analyticsCreditNote(table, rows.period, row.invoiceNumber);
    await writeAnalyticsFile(deps.documents, table, key, rows[table]);
    if (rows[table].length > 0) files.push(key);
  }
  return files;
}

/**
 * Rebuilds a billing period: the files of its invoices (issued and replaced ones) in the period's
 * partition, and the files of every credit note correcting one of them.
 */
export async function rebuildPeriodAnalytics(
  deps: AnalyticsDeps,
  period: string,
  options: { deadline?: () => boolean } = {},
): Promise<RebuildResult> {
  const issued = (await deps.invoices.query({ period }))
    .filter((row) => ISSUED_STATUSES.includes(row.status))
    .sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber));
  const invoiceRows = issued.filter((row) => !isCreditNoteRow(row));
  const creditRows = issued.filter(isCreditNoteRow);
  const rates = await deps.exchangeRates.load();
  const files: string[] = [];
  let parts = 0;
  for (let start = 0; start < invoiceRows.length; start += DOCUMENTS_PER_FILE, parts++) {
    if (options.deadline?.()) {
      // Parts left from an earlier rebuild may hold documents the new parts hold too: none stay.
      await removeStaleParts(deps, period, parts);
      throw new RebuildOutOfTimeError(
        `stopped after ${start} of ${invoiceRows.length} invoices of ${period}: out of time (the files of the rest are removed, not stale)`,
      );
    }
    const chunk = invoiceRows.slice(start, start + DOCUMENTS_PER_FILE);
    const tables: Record<'invoices' | 'lines' | 'vat', AnalyticsRow[]> = { invoices: [], lines: [], vat: [] };
    const documents = await mapLimited(chunk, READ_CONCURRENCY, async (row) =>
      rowsOfDocument(row, await readDetail(deps, row), rates),
    );
    for (const doc of documents) {
      if (doc.period !== period)
        throw new Error(
          `invoice ${doc.invoices[0]?.document_number} of period ${period} has its date of supply in ${doc.period}`,
        );
      tables.invoices.push(...doc.invoices);
      tables.lines.push(...doc.lines);
      tables.vat.push(...doc.vat);
    }
    for (const table of ['invoices', 'lines', 'vat'] as const) {
      const key = s3Keys.analyticsInvoicesPart(table, period, parts);
      await writeAnalyticsFile(deps.documents, table, key, tables[table]);
      if (tables[table].length > 0) files.push(key);
    }
  }
  await removeStaleParts(deps, period, parts);
  await mapLimited(creditRows, READ_CONCURRENCY, async (row) =>
    files.push(...(await writeCreditNoteAnalytics(deps, row, undefined, rates))),
  );
  return { period, invoices: invoiceRows.length, creditNotes: creditRows.length, files };
}

/** Invoice parts beyond the ones just written (a period that had more invoices before). */
async function removeStaleParts(deps: AnalyticsDeps, period: string, parts: number): Promise<void> {
  for (const table of ANALYTICS_TABLE_NAMES.filter(
    (t): t is Exclude<AnalyticsTable, 'runs'> => t !== 'runs',
  )) {
    const partition = s3Keys.analyticsPartition(table, period);
    for (const key of await deps.documents.list(partition)) {
      const part = /^invoices-(\d{5})\.parquet$/.exec(key.slice(partition.length));
      if (part && Number(part[1]) >= parts) await deps.documents.delete(key);
    }
  }
}

/** What a finished run's row says (contracts/analytics.ts `runs`). */
export interface RunRowFacts {
  runId: string;
  period: string;
  status: string;
  startedAt?: string;
  finishedAt: string;
  customers: number;
  issued: number;
  skipped: number;
  failed: number;
  notProcessed: number;
}

/** Writes a run's row (its own file: a redriven run's FinalizeRun writes it again, whole). */
export async function writeRunAnalytics(
  documents: Pick<DocumentStore, 'put' | 'delete'>,
  run: RunRowFacts,
): Promise<string> {
  const started = run.startedAt === undefined ? NaN : Date.parse(run.startedAt);
  const duration = Date.parse(run.finishedAt) - started;
  const key = s3Keys.analyticsRun(run.period, run.runId);
  await writeAnalyticsFile(documents, 'runs', key, [
    {
      run_id: run.runId,
      billing_period: run.period,
      status: run.status,
      started_at: run.startedAt ?? null,
      finished_at: run.finishedAt,
      duration_ms: Number.isFinite(duration) ? BigInt(duration) : null,
      customers: BigInt(run.customers),
      issued: BigInt(run.issued),
      skipped: BigInt(run.skipped),
      failed: BigInt(run.failed),
      not_processed: BigInt(run.notProcessed),
    },
  ]);
  return key;
}
