/** Where report SQL runs: DuckDB over the local stack's files, or Athena on a deployed stack. */
import type { AnalyticsTable } from '../../lambdas/shared/contracts/analytics.js';

/** A result as both engines give it to a client: column names and text cells (NULL: null). */
export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
}

export interface QueryRequest {
  sql: string;
  /** The tables the SQL reads, and the months it reads of them (undefined: every month). */
  tables: readonly AnalyticsTable[];
  months: readonly string[] | undefined;
}

export interface QueryTarget {
  /** `duckdb` or `athena`, as the JSON output names the engine. */
  engine: 'duckdb' | 'athena';
  query(request: QueryRequest): Promise<QueryResult & { bytesScanned?: number }>;
  close(): Promise<void>;
}

/** A report query that failed for a reason of the engine's (not a bug): its message is shown. */
export class ReportQueryError extends Error {
  override readonly name = 'ReportQueryError';
}

/** The period holds no documents: exit code 3, so a script can tell "nothing yet" from a failure. */
export class ReportNoDataError extends Error {
  override readonly name = 'ReportNoDataError';
}

/** Result rows as objects keyed by column (null-prototype: a column name is never a prototype key). */
export function rowObjects(result: QueryResult): Record<string, string | null>[] {
  return result.rows.map((row) => {
    const object = Object.create(null) as Record<string, string | null>;
    result.columns.forEach((column, i) => (object[column] = row[i] ?? null));
    return object;
  });
}
