/**
 * `npm run bench:reports -- [--customers N] [--data-dir DIR] [--json]`: the month-end reports over a real local
 * month. It starts a local stack (`invoicer local up`) on a fresh data dir, bills N demo customers
 * (default 10,000) for one period, then times each report as a user runs it (`invoicer report
 * ...`, a process of its own, median of 3) and the rebuild of the period's analytics files. It prints the analytics files' sizes, the same rows as JSON Lines (plain and
 * gzip) for comparison, and what Athena would scan for `report vat` (Parquet: the column chunks
 * the query reads; JSON Lines: every byte).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import { ANALYTICS_TABLES, ANALYTICS_TABLE_NAMES } from '../lambdas/shared/contracts/analytics.js';
import { parseStoredJson } from '../lambdas/shared/edge/safe-json.js';
import { s3Keys } from '../lambdas/shared/contracts/keys.js';
import { connectLocalSession } from '../workflows/local/service/connect.js';
import { liveService } from '../workflows/local/service/service-file.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';
import { reportSql, sqlString } from './reports/sql.js';

const opts = new Command('bench-reports')
  .option('--customers <n>', 'demo customers billed', integerOption(10, 1_000_000), 10_000)
  .option('--period <YYYY-MM>', 'the billed period', '2026-10')
  .option(
    '--data-dir <dir>',
    'bill into this (empty) data dir and keep it (default: a temporary one, removed)',
  )
  .option('--json', 'print one JSON object')
  .parse(process.argv)
  .opts<{ customers: number; period: string; dataDir?: string; json?: boolean }>();

const run = promisify(execFile);
const BIN = join(process.cwd(), 'scripts', 'bin', 'invoicer.mjs');
/** The columns `report vat` reads: the vat table's names in its SQL, comments and aliases aside. */
const VAT_SQL = reportSql('vat')
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('--'))
  .join('\n')
  .replace(/\bAS\s+\w+/gi, '');
const VAT_COLUMNS = ANALYTICS_TABLES.vat
  .map((c) => c.name)
  .filter((name) => new RegExp(`\\b${name}\\b`).test(VAT_SQL));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'invoicer-bench-reports-'));
/** `invoicer ...` as a user runs it, on the bench's data dir; its JSON output parsed. */
const invoicer = async <T>(...args: string[]): Promise<{ ms: number; out: T }> => {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [BIN, ...args, '--data-dir', dataDir, '--json'], {
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
  });
  // Parsed as any stored JSON is: strict UTF-8, null-prototype objects, no prototype keys.
  return { ms: performance.now() - started, out: parseStoredJson(stdout, `invoicer ${args.join(' ')}`) as T };
};
await invoicer('local', 'up');
try {
  const billing = (
    await invoicer<{ wallMs: number; invoicesPerSecond: number; issued: number }>(
      'run',
      '--period',
      opts.period,
      '--demo-customers',
      String(opts.customers),
      '--max-concurrency',
      '40',
    )
  ).out;
  const session = await connectLocalSession(liveService(dataDir)!);
  const quarter = `${opts.period.slice(0, 4)}-Q${Math.ceil(Number(opts.period.slice(5, 7)) / 3)}`;
  const commands: Record<string, string[]> = {
    revenue: ['revenue', '--period', opts.period, '--by', 'country'],
    vat: ['vat', '--period', opts.period],
    oss: ['oss', '--quarter', quarter],
    'ec-sales-list': ['ec-sales-list', '--period', opts.period],
    runs: ['runs'],
  };
  const reports = Object.create(null) as Record<string, { medianMs: number; rows: number }>;
  for (const [name, args] of Object.entries(commands)) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const { ms, out } = await invoicer<{ rows: unknown[] }>('report', ...args);
      times.push(ms);
      rows = out.rows.length;
    }
    reports[name] = { medianMs: Math.round(median(times)), rows };
  }
  const rebuild = await invoicer<{ invoices: number; files: string[] }>(
    'report',
    'rebuild',
    '--period',
    opts.period,
  );
  const rebuildMs = Math.round(rebuild.ms);
  const rebuilt = rebuild.out;

  // Sizes: each table's Parquet files of the period, and the same rows as JSON Lines.
  const scratch = mkdtempSync(join(tmpdir(), 'invoicer-bench-files-'));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const files = Object.create(null) as Record<
    string,
    { parquetBytes: number; jsonlBytes: number; jsonlGzipBytes: number; rows: number }
  >;
  let vatScanParquet = 0;
  for (const table of ANALYTICS_TABLE_NAMES) {
    const keys = (await session.stores.documents.list(s3Keys.analyticsPartition(table, opts.period))).filter(
      (k) => k.endsWith('.parquet'),
    );
    const sizes = { parquetBytes: 0, jsonlBytes: 0, jsonlGzipBytes: 0, rows: 0 };
    for (const [i, key] of keys.entries()) {
      const bytes = await session.stores.documents.getBytes(key);
      const file = join(scratch, `${table}-${i}.parquet`);
      writeFileSync(file, bytes);
      sizes.parquetBytes += bytes.length;
      const jsonl = join(scratch, `${table}-${i}.jsonl`);
      await db.run(
        `COPY (SELECT * FROM read_parquet(${sqlString(file)})) TO ${sqlString(jsonl)} (FORMAT JSON)`,
      );
      const text = readFileSync(jsonl);
      sizes.jsonlBytes += text.length;
      sizes.jsonlGzipBytes += gzipSync(text).length;
      const count = await db.runAndReadAll(`SELECT COUNT(*) FROM read_parquet(${sqlString(file)})`);
      sizes.rows += Number(count.getRows()[0]![0]);
      if (table === 'vat') {
        const chunks = await db.runAndReadAll(
          `SELECT SUM(total_compressed_size) FROM parquet_metadata(${sqlString(file)}) WHERE path_in_schema IN (${VAT_COLUMNS.map(sqlString).join(', ')})`,
        );
        vatScanParquet += Number(chunks.getRows()[0]![0]);
      }
    }
    files[table] = sizes;
  }
  db.closeSync();
  instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });

  const result = {
    customers: opts.customers,
    period: opts.period,
    run: {
      wallMs: billing.wallMs,
      invoicesPerSecond: Number(billing.invoicesPerSecond.toFixed(1)),
      issued: billing.issued,
    },
    reports,
    rebuild: { ms: rebuildMs, invoices: rebuilt.invoices, files: rebuilt.files.length },
    files,
    athenaScanForVat: {
      parquetBytes: vatScanParquet,
      jsonlBytes: files.vat?.jsonlBytes ?? 0,
      jsonlGzipBytes: files.vat?.jsonlGzipBytes ?? 0,
    },
  };
  print(Boolean(opts.json), result, () =>
    [
      `${result.run.issued} invoices of ${opts.period} in ${(billing.wallMs / 1000).toFixed(1)} s (${result.run.invoicesPerSecond}/s)`,
      ...Object.entries(reports).map(
        ([name, r]) => `report ${name.padEnd(14)} ${String(r.medianMs).padStart(6)} ms  ${r.rows} rows`,
      ),
      `rebuild of the period: ${rebuildMs} ms for ${rebuilt.invoices} invoices`,
      ...Object.entries(files).map(
        ([table, f]) =>
          `${table.padEnd(9)} ${String(f.rows).padStart(7)} rows  Parquet ${f.parquetBytes} B  JSONL ${f.jsonlBytes} B (gzip ${f.jsonlGzipBytes} B)`,
      ),
      `report vat scans: Parquet ${vatScanParquet} B of its columns; JSON Lines every byte (${result.athenaScanForVat.jsonlBytes} B, gzip ${result.athenaScanForVat.jsonlGzipBytes} B)`,
    ].join('\n'),
  );
  await session.close();
} finally {
  await invoicer('local', 'down');
  if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
}
