/**
 * Analytics rows as Parquet files in the documents bucket (hyparquet-writer: pure JavaScript, no
 * native code in the Lambda bundle). Snappy-compressed columns with statistics, so Athena reads
 * only the columns and row groups a query needs; one row group per file at these sizes.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  ANALYTICS_TABLES,
  type AnalyticsColumnType,
  type AnalyticsRow,
  type AnalyticsTable,
} from '../contracts/analytics.js';
import type { DocumentStore } from './documents.js';

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

const PARQUET_TYPE = { string: 'STRING', bigint: 'INT64', int: 'INT32' } as const satisfies Record<
  AnalyticsColumnType,
  string
>;

/** The rows of one table as a Parquet file, columns in the contract's order and types. */
export function encodeParquet(table: AnalyticsTable, rows: readonly AnalyticsRow[]): Buffer {
  const columnData = ANALYTICS_TABLES[table].map((column) => ({
    name: column.name,
    type: PARQUET_TYPE[column.type],
    nullable: 'nullable' in column && column.nullable === true,
    data: rows.map((row) => {
      const value = row[column.name];
      if (value === undefined || value === null) {
        if (!('nullable' in column && column.nullable)) throw new Error(`${table}.${column.name} is missing`);
        return null;
      }
      return value;
    }),
  }));
  return Buffer.from(parquetWriteBuffer({ columnData, createdBy: 'invoicer' }));
}

/** Writes a table's rows to `key`; no rows removes the file (a partition holds only real rows). */
export async function writeAnalyticsFile(
  documents: Pick<DocumentStore, 'put' | 'delete'>,
  table: AnalyticsTable,
  key: string,
  rows: readonly AnalyticsRow[],
): Promise<void> {
  if (rows.length === 0) {
    await documents.delete(key);
    return;
  }
  await documents.put(key, encodeParquet(table, rows), PARQUET_CONTENT_TYPE);
}
