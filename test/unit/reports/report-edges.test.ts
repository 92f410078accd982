/**
 * The reports' edges under wrong and hostile input: SQL parameters (only checked literals reach a
 * query), `--period` / `--quarter` / `--by` (every value parses or is a usage error, exit 2, never a
 * stack trace), CSV a spreadsheet cannot turn into a formula, and Athena's answers (pages, a
 * failed query, the workgroup's bytes-scanned cutoff) through a mocked client.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'csv-parse/sync';
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { main } from '../../../scripts/cli/main.js';
import { formatReportCsv, formatReportTable } from '../../../scripts/cli/report-format.js';
import { athenaTarget } from '../../../scripts/reports/athena-target.js';
import { ReportQueryError, rowObjects } from '../../../scripts/reports/query-target.js';
import { VAT_SCHEMES } from '../../../lambdas/shared/contracts/analytics.js';
import type { ReportDocument } from '../../../scripts/reports/reports.js';
import { quarterScope } from '../../../scripts/reports/scope.js';
import { bindSql, REPORT_SQL, reportSql } from '../../../scripts/reports/sql.js';

describe('report SQL', () => {
  it('binds booleans and lists as literals, and drops comment lines', () => {
    expect(
      bindSql('-- a: comment\nSELECT 1 WHERE :flag AND period IN (:periods)', {
        flag: true,
        periods: ['2026-10', '2026-11'],
      }),
    ).toBe("SELECT 1 WHERE TRUE AND period IN ('2026-10', '2026-11')");
    expect(bindSql('SELECT :p', { p: [] })).toBe('SELECT NULL');
  });

  it('refuses a parameter without a value, one never used, and a value that is not plain text', () => {
    expect(() => bindSql('SELECT :a', {})).toThrow('SQL parameter :a has no value');
    expect(() => bindSql('SELECT 1', { a: true })).toThrow('SQL parameters never used: a');
    expect(() => bindSql('SELECT :a', { a: ["x' OR '1'='1"] })).toThrow('refused SQL parameter value');
  });

  it('never lets a value out of its quotes', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 4 }), (values) => {
        let sql: string;
        try {
          sql = bindSql('SELECT * FROM t WHERE x IN (:v)', { v: values });
        } catch (error) {
          expect((error as Error).message).toMatch(/^refused SQL parameter value/);
          return;
        }
        // Outside the literals, the text is the statement's own.
        const outside = sql.replace(/'(?:[^']|'')*'/g, "''");
        expect(outside).toMatch(/^SELECT \* FROM t WHERE x IN \((NULL|''(, '')*)\)$/);
      }),
      { numRuns: 1000 },
    );
  });

  it.each(REPORT_SQL)('%s.sql reads only the analytics tables and names every parameter it takes', (name) => {
    const sql = reportSql(name)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n');
    const tables = [...sql.matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1]);
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(['invoices', 'lines', 'vat', 'runs']).toContain(table);
    expect(sql).not.toMatch(/::|\$\d|\?/);
  });
});

describe('report SQL and the analytics contract', () => {
  it('compares a scheme or a document type only with values the writer writes', () => {
    const literals = REPORT_SQL.flatMap((name) =>
      [...reportSql(name).matchAll(/\b(scheme|document_type)\s*=\s*'([^']*)'/g)].map(
        (m) => [m[1], m[2]] as const,
      ),
    );
    expect(literals.length).toBeGreaterThan(2);
    for (const [column, value] of literals)
      expect(column === 'scheme' ? VAT_SCHEMES : ['invoice', 'credit_note']).toContain(value);
  });

  it('turns result rows into objects whose keys, whatever an engine names a column, reach no prototype', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string()), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.string(),
        (columns, cell) => {
          const [row] = rowObjects({ columns, rows: [columns.map(() => cell)] });
          expect(Object.getPrototypeOf(row)).toBeNull();
          for (const column of columns)
            expect(Object.getOwnPropertyDescriptor(row, column)?.value).toBe(cell);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
    );
  });
});

describe('report scope', () => {
  it('turns a quarter into its three months and its last day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 4 }), (year, q) => {
        const scope = quarterScope(`${year}-Q${q}`);
        const first = (q - 1) * 3 + 1;
        expect(scope.months).toEqual(
          [first, first + 1, first + 2].map((m) => `${year}-${String(m).padStart(2, '0')}`),
        );
        expect(scope.lastDay).toBe(new Date(Date.UTC(year, first + 2, 0)).toISOString().slice(0, 10));
      }),
    );
  });
});

describe('report command line', () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      return { code: await main(argv), stdout: out.join(''), stderr: err.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  };
  // A data dir that cannot be used: a command whose flags parse stops there (exit 1), fast.
  const BLOCKED = '/dev/null/invoicer-data';

  it('answers every flag value with a result, a usage error or a clear failure, never a stack trace', async () => {
    const reports = ['revenue', 'vat', 'oss', 'ec-sales-list', 'runs', 'rebuild', 'nonsense'];
    const flag = fc.oneof(
      fc.constantFrom(
        '--period',
        '--quarter',
        '--by',
        '--json',
        '--csv',
        '--target',
        '--nope',
        '2026-11',
        '2026-Q4',
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reports),
        fc.array(flag, { maxLength: 5 }),
        async (report, flags) => {
          const result = await run(['report', report, ...flags, '--data-dir', BLOCKED]);
          expect([0, 1, 2, 3]).toContain(result.code);
          expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
          if (result.code === 1) expect(result.stderr).toContain('cannot be used');
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    [['report', 'vat', '--quarter', '2026-Q5'], /--quarter: expected YYYY-Qn/],
    [['report', 'vat', '--period', '2026-13'], /expected a billing period YYYY-MM/],
    [['report', 'vat'], /report vat needs --period YYYY-MM or --quarter YYYY-Qn/],
    [
      ['report', 'vat', '--period', '2026-11', '--quarter', '2026-Q4'],
      /give --period or --quarter, not both/,
    ],
    [['report', 'oss', '--period', '2026-11'], /the OSS return is quarterly/],
    [['report', 'revenue', '--period', '2026-11', '--by', 'colour'], /"colour" is none of them/],
    [['report', 'runs', '--json', '--csv'], /give --json or --csv, not both/],
    [
      ['report', 'vat', '--period', '2026-11', '--target', 'local', '--stack', 'x'],
      /--stack x names a deployed stack/,
    ],
  ])('refuses %j as a usage error (exit 2)', async (argv, message) => {
    const result = await run([...argv, '--data-dir', BLOCKED]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('report output', () => {
  const doc = (rows: ReportDocument['rows']): ReportDocument => ({
    report: 'revenue',
    scope: '2026-11',
    months: ['2026-11'],
    engine: 'duckdb',
    rows,
    notes: [],
  });

  it('writes CSV that parses back to the rows, with no cell a spreadsheet would run', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customer: fc.string({ maxLength: 15 }),
            netMinor: fc.integer(),
            net: fc.string({ maxLength: 8 }),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (rows) => {
          const parsed = parse(formatReportCsv(doc(rows)), {
            columns: true,
            relax_column_count: false,
          }) as Record<string, string>[];
          expect(parsed).toHaveLength(rows.length);
          parsed.forEach((row, i) => {
            expect(row.netMinor).toBe(String(rows[i]!.netMinor));
            expect(row.customer).toBe(
              /^[=+@\t\r]/.test(rows[i]!.customer) ? `'${rows[i]!.customer}` : rows[i]!.customer,
            );
            expect(row.customer).not.toMatch(/^[=+@]/);
          });
        },
      ),
    );
  });

  it('shows decimal amounts in the table, not their minor units', () => {
    const text = formatReportTable(doc([{ currency: 'EUR', netMinor: 1999, net: '19.99' }]));
    expect(text.split('\n')).toEqual(['revenue 2026-11', 'currency  net', 'EUR       19.99']);
  });
});

describe('Athena target', () => {
  const athena = mockClient(AthenaClient);
  const target = () =>
    athenaTarget(new AthenaClient({ region: 'eu-central-1' }), {
      database: 'invoicer_dev',
      workGroup: 'invoicer-dev-reports',
      pollDelayMs: () => 0,
    });
  const request = { sql: 'SELECT 1', tables: ['vat'] as const, months: ['2026-11'] };
  beforeEach(() => athena.reset());

  it('runs in the workgroup and database, polls, and reads every page without the header row', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: {
          QueryExecutionId: 'q1',
          Status: { State: 'SUCCEEDED' },
          Statistics: { DataScannedInBytes: 123 },
        },
      });
    const columns = {
      ColumnInfo: [
        { Name: 'scheme', Type: 'varchar' },
        { Name: 'n', Type: 'bigint' },
      ],
    };
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q1' })
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: columns,
          Rows: [
            { Data: [{ VarCharValue: 'scheme' }, { VarCharValue: 'n' }] },
            { Data: [{ VarCharValue: 'domestic' }, { VarCharValue: '4' }] },
          ],
        },
        NextToken: 't2',
      })
      .resolvesOnce({
        ResultSet: { ResultSetMetadata: columns, Rows: [{ Data: [{ VarCharValue: 'oss' }, {}] }] },
      });
    const result = await target().query({ ...request, tables: [...request.tables] });
    expect(result).toEqual({
      columns: ['scheme', 'n'],
      rows: [
        ['domestic', '4'],
        ['oss', null],
      ],
      bytesScanned: 123,
    });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT 1',
      WorkGroup: 'invoicer-dev-reports',
      QueryExecutionContext: { Database: 'invoicer_dev' },
    });
  });

  it('reports the bytes-scanned cutoff as such, and any other failure with Athena reason', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q2',
        Status: { State: 'FAILED', StateChangeReason: 'Query cancelled: Bytes scanned limit was exceeded' },
      },
    });
    const cutoff = target().query({ ...request, tables: [...request.tables] });
    await expect(cutoff).rejects.toThrow(ReportQueryError);
    await expect(cutoff).rejects.toThrow('bytes-scanned cutoff per query');
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q2',
        Status: {
          State: 'FAILED',
          StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
        },
      },
    });
    await expect(target().query({ ...request, tables: [...request.tables] })).rejects.toThrow(
      "Athena query q2 FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
    );
  });
});
