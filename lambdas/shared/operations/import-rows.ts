/**
 * The rows of an import (a file for `invoicer import`, a request body for the API's import
 * routes), streamed: JSON Lines (one record per line, shaped as in
 * lambdas/shared/domain/types.ts) or CSV with a header row naming each column's field, nested
 * fields with dots (`billingAddress.city`). In CSV an empty cell leaves the field out, the
 * numeric fields (`baseFeeMinor`, `paymentTermsDays`) are numbers, `facturX` is true/false, and
 * `discounts` and `components` hold JSON. A row that cannot be read is an error of that row only.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ImportRow } from './import-records.js';

export const IMPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const formatOfFile = (file: string): ImportFormat | undefined =>
  /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : /\.csv$/i.test(file) ? 'csv' : undefined;

const NUMBER_FIELDS = new Set(['baseFeeMinor', 'paymentTermsDays']);
const BOOLEAN_FIELDS = new Set(['facturX']);
const JSON_FIELDS = new Set(['discounts', 'components']);

/** One CSV cell as the record's field value (throws naming the column when it cannot be). */
function cellValue(column: string, text: string): unknown {
  const field = column.split('.').at(-1) ?? column;
  if (NUMBER_FIELDS.has(field)) {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new Error(`column ${column}: "${text}" is not a number`);
    return n;
  }
  if (BOOLEAN_FIELDS.has(field)) {
    if (text !== 'true' && text !== 'false')
      throw new Error(`column ${column}: expected true or false, got "${text}"`);
    return text === 'true';
  }
  if (JSON_FIELDS.has(field)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`column ${column}: not JSON`);
    }
  }
  return text;
}

/** A CSV record (column -> text) as a nested object. */
export function recordOfCsv(cells: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, text] of Object.entries(cells)) {
    if (text === '') continue;
    const path = column.split('.');
    let node = record;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = cellValue(column, text);
  }
  return record;
}

async function* jsonlRows(input: Readable): AsyncGenerator<ImportRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    row++;
    if (line.trim() === '') continue;
    try {
      yield { row, record: JSON.parse(line) as unknown };
    } catch (error) {
      yield { row, error: `not JSON (${(error as Error).message})` };
    }
  }
}

async function* csvRows(input: Readable): AsyncGenerator<ImportRow> {
  // Row numbers count the header as row 1, as a spreadsheet shows them.
  const parser = input.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: false, bom: true }),
  );
  let row = 1;
  try {
    for await (const cells of parser) {
      row++;
      try {
        yield { row, record: recordOfCsv(cells as Record<string, string>) };
      } catch (error) {
        yield { row, error: (error as Error).message };
      }
    }
  } catch (error) {
    // A malformed CSV (an unclosed quote, a row with a different number of cells) ends the file.
    yield { row: row + 1, error: `CSV: ${(error as Error).message}` };
  }
}

export function importRows(input: Readable, format: ImportFormat): AsyncGenerator<ImportRow> {
  return format === 'csv' ? csvRows(input) : jsonlRows(input);
}
