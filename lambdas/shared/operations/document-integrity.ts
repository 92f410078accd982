/**
 * The integrity of a period's documents, for support staff and auditors: `verify` checks every
 * issued document's files against the hashes recorded at issue (hashing the stored bytes);
 * `recordHashes` records, once, the hashes of documents issued before hashes were recorded, after
 * proving each is what the renderer gives from its canonical JSON (nothing altered is sealed).
 */
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import type { HashRecordStore } from '../store/hash-records.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import { RegenerateError, regenerateDocuments, type RegenerateDeps } from './regenerate-documents.js';
import { verifyDocument, type FileCheck, type VerifyStore } from './verify-documents.js';
import { mapLimited } from '../map-limited.js';

/** Documents checked at once: S3 GETs in flight, bounded. */
const CONCURRENCY = 16;

export interface IntegrityScope {
  /** Only this period; all periods when absent. */
  period?: string;
}

export interface VerifyReport {
  period: string | null;
  /** Issued documents checked, and files hashed. */
  documents: number;
  files: number;
  clean: boolean;
  /** Files missing or not the ones issued. */
  problems: (FileCheck & { invoiceNumber: string })[];
  /** Documents issued before hashes were recorded: nothing to check them against yet. */
  unrecorded: string[];
}

async function issuedRows(invoices: Pick<InvoiceIndex, 'query' | 'scan'>, scope: IntegrityScope) {
  const rows = scope.period ? await invoices.query({ period: scope.period }) : await invoices.scan();
  return rows
    .filter((r) => ISSUED_STATUSES.includes(r.status))
    .sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber));
}

export async function verifyDocuments(
  deps: { invoices: Pick<InvoiceIndex, 'query' | 'scan'>; documents: VerifyStore },
  scope: IntegrityScope,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyReport> {
  const rows = await issuedRows(deps.invoices, scope);
  let done = 0;
  const checks = await mapLimited(rows, CONCURRENCY, async (row) => {
    const check = await verifyDocument(deps.documents, row, 'read');
    onProgress?.(++done, rows.length);
    return check;
  });
  const problems = checks.flatMap((c) =>
    c.files
      .filter((file) => file.state !== 'ok')
      .map((file) => ({ invoiceNumber: c.invoiceNumber, ...file })),
  );
  const unrecorded = checks.filter((c) => !c.recorded).map((c) => c.invoiceNumber);
  return {
    period: scope.period ?? null,
    documents: checks.length,
    files: checks.reduce((n, c) => n + c.files.length, 0),
    clean: problems.length === 0 && unrecorded.length === 0,
    problems,
    unrecorded,
  };
}

export interface RecordHashesReport {
  period: string | null;
  /** Documents whose hashes were recorded now. */
  recorded: string[];
  /** Documents that had them already. */
  alreadyRecorded: number;
  /** Documents whose files are not what their JSON renders to, or are missing: nothing recorded. */
  refused: { invoiceNumber: string; reason: string }[];
}

export async function recordMissingHashes(
  deps: RegenerateDeps & { invoices: Pick<InvoiceIndex, 'query' | 'scan'>; hashRecords: HashRecordStore },
  scope: IntegrityScope,
): Promise<RecordHashesReport> {
  const rows = await issuedRows(deps.invoices, scope);
  const missing = rows.filter((r: InvoiceRow) => r.documentHashes === undefined);
  const report: RecordHashesReport = {
    period: scope.period ?? null,
    recorded: [],
    alreadyRecorded: rows.length - missing.length,
    refused: [],
  };
  await mapLimited(missing, CONCURRENCY, async (row) => {
    try {
      const { hashes } = await regenerateDocuments(deps, row.invoiceNumber, { checkOnly: true });
      if (await deps.hashRecords.record(row, hashes)) report.recorded.push(row.invoiceNumber);
      else report.alreadyRecorded += 1;
    } catch (error) {
      if (!(error instanceof RegenerateError)) throw error;
      report.refused.push({ invoiceNumber: row.invoiceNumber, reason: error.message });
    }
  });
  report.recorded.sort();
  report.refused.sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber));
  return report;
}
