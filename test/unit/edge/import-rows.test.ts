/**
 * The import row parser under hostile input: prototype keys and columns, bytes that are not
 * UTF-8, overlong rows, and generated garbage. Every row ends as a record or a row error; nothing
 * reaches Object.prototype, and the process parses the next clean file as before.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parsePricePlan } from '../../../lambdas/shared/domain/records.js';
import { importRows, MAX_ROW_BYTES } from '../../../lambdas/shared/operations/import-rows.js';
import type { ImportRow } from '../../../lambdas/shared/operations/import-records.js';

const rowsOf = async (body: string | Buffer, format: 'jsonl' | 'csv'): Promise<ImportRow[]> => {
  const rows: ImportRow[] = [];
  for await (const row of importRows(Readable.from([Buffer.from(body)]), format)) rows.push(row);
  return rows;
};

const CLEAN_CSV = 'customerId,billingAddress.city\ncus_1,Berlin\n';

afterEach(() => {
  // Whatever a test threw at the parser, the prototype every object shares stays clean.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('import rows: prototype keys', () => {
  it('refuses a CSV header with a __proto__ column as a whole, and pollutes nothing', async () => {
    const rows = await rowsOf('customerId,__proto__.polluted\ncus_1,yes\n', 'csv');
    expect(rows).toEqual([
      { row: 1, error: 'CSV: column "__proto__.polluted": the field name "__proto__" is not accepted' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The same process reads a clean file as a fresh one would.
    const clean = await rowsOf(CLEAN_CSV, 'csv');
    expect(clean).toHaveLength(1);
    expect(JSON.parse(JSON.stringify((clean[0] as { record: unknown }).record))).toEqual({
      customerId: 'cus_1',
      billingAddress: { city: 'Berlin' },
    });
  });

  it.each(['constructor.prototype.polluted', 'billingAddress.__proto__', 'prototype'])(
    'refuses the column %s',
    async (column) => {
      const rows = await rowsOf(`customerId,${column}\ncus_1,yes\n`, 'csv');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ row: 1, error: expect.stringContaining('is not accepted') });
    },
  );

  it('refuses a JSON Lines row with a __proto__ key, by row, and reads the rows around it', async () => {
    const rows = await rowsOf(
      '{"customerId":"a"}\n{"customerId":"b","__proto__":{"polluted":1}}\n{"x":{"constructor":{"prototype":{}}}}\n{"customerId":"c"}\n',
      'jsonl',
    );
    expect(rows.map((r) => ('error' in r ? `${r.row}: ${r.error}` : r.row))).toEqual([
      1,
      '2: has the key "__proto__", which is not accepted',
      '3: has the key "constructor" in x, which is not accepted',
      4,
    ]);
  });

  it('builds records without a prototype', async () => {
    const [row] = await rowsOf('{"a":{"b":1}}\n', 'jsonl');
    const record = (row as { record: Record<string, Record<string, unknown>> }).record;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.getPrototypeOf(record.a)).toBeNull();
  });
});

describe('import rows: encoding and size', () => {
  const latin1Name = Buffer.concat([
    Buffer.from('{"legalName":"M'),
    Buffer.from([0xfc]),
    Buffer.from('ller"}\n'),
  ]);

  it('refuses a JSON Lines row that is not UTF-8 by its number, never replacing the bytes', async () => {
    const body = Buffer.concat([
      Buffer.from('{"legalName":"Ok"}\n'),
      latin1Name,
      Buffer.from('{"legalName":"Grüße"}\n'),
    ]);
    const rows = await rowsOf(body, 'jsonl');
    expect(rows).toEqual([
      { row: 1, record: expect.anything() },
      { row: 2, error: 'not valid UTF-8' },
      { row: 3, record: expect.anything() },
    ]);
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });

  it('ends a CSV file at the line that is not UTF-8', async () => {
    const body = Buffer.concat([
      Buffer.from('legalName\nOk\n'),
      Buffer.from([0x4d, 0xfc, 0x0a]),
      Buffer.from('Later\n'),
    ]);
    const rows = await rowsOf(body, 'csv');
    expect(rows.at(-1)).toMatchObject({ error: 'CSV: line 3: is not valid UTF-8' });
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });

  it('refuses an overlong row and goes on', async () => {
    const rows = await rowsOf(`{"a":"${'x'.repeat(MAX_ROW_BYTES)}"}\n{"b":1}\n`, 'jsonl');
    expect(rows).toEqual([
      { row: 1, error: `longer than ${MAX_ROW_BYTES} bytes` },
      { row: 2, record: expect.anything() },
    ]);
  });

  it('refuses deep nesting before parsing', async () => {
    const [row] = await rowsOf(`${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'jsonl');
    expect(row).toEqual({ row: 1, error: 'nests deeper than 32 levels' });
  });
});

describe('import rows: generated hostile input', () => {
  const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'customerId', '');
  const hostileBytes = fc.uint8Array({ maxLength: 400 });

  it('JSON Lines: every non-blank line is one record or one row error, and nothing is polluted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            hostileBytes.map((b) => Buffer.from(b)),
            fc.json().map((j) => Buffer.from(j)),
          ),
          { maxLength: 8 },
        ),
        async (lines) => {
          const body = Buffer.concat(lines.flatMap((l) => [l.filter((b) => b !== 0x0a), Buffer.from('\n')]));
          const rows = await rowsOf(body, 'jsonl');
          for (const row of rows) {
            if ('error' in row) expect(row.error).not.toMatch(/\bat (?:Object|JSON)\.|\n/);
            else expect(JSON.stringify(row.record)).not.toContain('\uFFFD');
          }
          expect(Object.keys(Object.prototype)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('CSV: any header and cells give rows or row errors, never a throw or a polluted prototype', async () => {
    const column = fc.array(hostileKey, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(column, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
        async (header, cells) => {
          const line = (values: string[]) => values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
          const body = [line(header), ...cells.map(line)].join('\n') + '\n';
          const rows = await rowsOf(body, 'csv');
          for (const row of rows) if ('error' in row) expect(typeof row.error).toBe('string');
          expect(Object.keys(Object.prototype)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('import rows: a plan with its translations', () => {
  it('reads translation columns and the zero-lines flag from CSV, and the plan parses', async () => {
    const csv =
      'planId,name,names.de,names.ja,currency,baseFeeMinor,showZeroAmountLines,components\n' +
      'pro,Pro,Profi,プロ,EUR,4900,true,"[{""metric"":""api"",""model"":""per_unit"",""unitPrice"":""0.01"",""description"":""API calls"",""descriptions"":{""de"":""API-Aufrufe""}}]"\n';
    const [row] = await rowsOf(csv, 'csv');
    const record = (row as { record: Record<string, unknown> }).record;
    const plan = parsePricePlan(JSON.parse(JSON.stringify(record)));
    expect(plan).toMatchObject({
      names: { de: 'Profi', ja: 'プロ' },
      showZeroAmountLines: true,
      components: [{ descriptions: { de: 'API-Aufrufe' } }],
    });
  });
});
