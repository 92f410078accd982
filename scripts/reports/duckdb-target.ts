/**
 * Report SQL on this machine: DuckDB (`@duckdb/node-api`, its Parquet reader built in) over the
 * analytics files, fetched through the S3 API of the local stack into a cache folder for the
 * command (never read from the emulator's own folders). DuckDB never reaches the network: it may
 * not install or load an extension by itself, and a missing Parquet reader is a clear error.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  ANALYTICS_PARTITION,
  ANALYTICS_TABLES,
  type AnalyticsColumnType,
  type AnalyticsTable,
} from '../../lambdas/shared/contracts/analytics.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { mapLimited } from '../../lambdas/shared/map-limited.js';
import type { DocumentStore } from '../../lambdas/shared/store/documents.js';
import { ReportQueryError, type QueryRequest, type QueryResult, type QueryTarget } from './query-target.js';
import { sqlString } from './sql.js';

const DUCKDB_TYPE = { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER' } as const satisfies Record<
  AnalyticsColumnType,
  string
>;

/** Settings that keep DuckDB off the network (DESIGN.md: no `httpfs`, nothing downloaded). */
const OFFLINE = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
} as const;

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The built-in extensions this target needs, checked before any query. */
async function requireParquet(connection: DuckDBConnection): Promise<void> {
  const result = await connection.runAndReadAll(
    "SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'parquet'",
  );
  if (result.getRows()[0]?.[0] !== true)
    throw new ReportQueryError(
      "this DuckDB build has no Parquet reader loaded (duckdb_extensions() lists 'parquet' as not loaded); reports do not download extensions: reinstall @duckdb/node-api (npm ci)",
    );
}

export async function duckdbTarget(
  documents: Pick<DocumentStore, 'list' | 'getBytes'>,
): Promise<QueryTarget> {
  const cache = await mkdtemp(join(tmpdir(), 'invoicer-analytics-'));
  const instance = await DuckDBInstance.create(':memory:', OFFLINE);
  const connection = await instance.connect();
  const close = async () => {
    connection.closeSync();
    instance.closeSync();
    await rm(cache, { recursive: true, force: true });
  };
  try {
    await requireParquet(connection);
  } catch (error) {
    await close();
    throw error;
  }

  /** Downloads a table's files of the months asked (all months: undefined) into the cache. */
  const fetchFiles = async (table: AnalyticsTable, months: readonly string[] | undefined) => {
    const prefixes =
      months === undefined
        ? [`${s3Keys.analyticsPrefix}${table}/`]
        : months.map((m) => s3Keys.analyticsPartition(table, m));
    const keys = (await Promise.all(prefixes.map((p) => documents.list(p))))
      .flat()
      .filter((key) => key.endsWith('.parquet') && /\/period=\d{4}-\d{2}\//.test(key));
    return mapLimited(keys, 8, async (key) => {
      const file = join(cache, ...key.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, await documents.getBytes(key));
      return file;
    });
  };

  /** A view per table over its files; an empty table where there are none (same columns). */
  const defineTable = async (table: AnalyticsTable, files: string[]) => {
    const columns = ANALYTICS_TABLES[table];
    if (files.length === 0) {
      const definition = [
        ...columns.map((c) => ({ name: c.name, type: c.type })),
        { name: ANALYTICS_PARTITION, type: 'string' as const },
      ]
        .map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPE[c.type]}`)
        .join(', ');
      // Always a view (a name cannot change its kind): here over an empty table of the same columns.
      await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(`empty_${table}`)} (${definition})`);
      await connection.run(
        `CREATE OR REPLACE VIEW ${quoteIdent(table)} AS SELECT * FROM ${quoteIdent(`empty_${table}`)}`,
      );
      return;
    }
    const list = files.map(sqlString).join(', ');
    await connection.run(
      `CREATE OR REPLACE VIEW ${quoteIdent(table)} AS SELECT * FROM read_parquet([${list}], hive_partitioning = true, hive_types = {${sqlString(ANALYTICS_PARTITION)}: VARCHAR}, union_by_name = true)`,
    );
  };

  return {
    engine: 'duckdb',
    async query(request: QueryRequest): Promise<QueryResult> {
      for (const table of request.tables) await defineTable(table, await fetchFiles(table, request.months));
      let reader;
      try {
        reader = await connection.runAndReadAll(request.sql);
      } catch (error) {
        throw new ReportQueryError(`DuckDB refused the query: ${(error as Error).message.split('\n')[0]}`);
      }
      const rows = reader.getRowsJson() as unknown[][];
      return {
        columns: reader.columnNames(),
        rows: rows.map((row) => row.map((cell) => (cell === null ? null : String(cell)))),
      };
    },
    close,
  };
}
