/**
 * The rows of an import (a file for `invoicer import`, a request body for the API's import
 * routes), streamed: JSON Lines (one record per line, shaped as in
 * lambdas/shared/domain/types.ts) or CSV with a header row naming each column's field, nested
 * fields with dots (`billingAddress.city`). In CSV an empty cell leaves the field out, the
 * numeric fields (`baseFeeMinor`, `paymentTermsDays`) are numbers, `facturX` and
 * `showZeroAmountLines` are true/false, a plan's translations are columns such as `names.de`, and
 * `discounts` and `components` hold JSON. A row that cannot be read is an error of that row only.
 *
 * Hostile input: the bytes must be UTF-8 (a JSON Lines row that is not is refused by number; in
 * CSV, where a cell may span lines, the file ends there), a row is at most MAX_ROW_BYTES, objects
 * are built without a prototype, and a key or column reaching a prototype (`__proto__`,
 * `constructor`, `prototype`) is refused: in a header, the whole file.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { EdgeInputError } from '../edge/edge-error.js';
import { isForbiddenKey, parseJsonBytes, parseJsonText } from '../edge/safe-json.js';
import { scanUtf8 } from '../edge/utf8.js';
import type { ImportRow } from './import-records.js';

export const IMPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One row (a JSON line, or a CSV record) at most: far above any real record, far below memory. */
export const MAX_ROW_BYTES = 256 * 1024;

export const formatOfFile = (file: string): ImportFormat | undefined =>
  /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : /\.csv$/i.test(file) ? 'csv' : undefined;

const NUMBER_FIELDS = new Set(['baseFeeMinor', 'paymentTermsDays']);
const BOOLEAN_FIELDS = new Set(['facturX', 'showZeroAmountLines']);
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
    return parseJsonText(text, `column ${column}`, { maxBytes: MAX_ROW_BYTES });
  }
  return text;
}

/** Why a CSV header column cannot name a field, or undefined when it can. */
export function columnRefusal(column: string): string | undefined {
  const parts = column.split('.');
  if (parts.some((part) => part === '')) return `column "${column}": an empty field name`;
  const forbidden = parts.find(isForbiddenKey);
  return forbidden === undefined
    ? undefined
    : `column "${column}": the field name "${forbidden}" is not accepted`;
}

/** A CSV record (column -> text) as a nested object without prototypes. */
export function recordOfCsv(cells: Record<string, string>): Record<string, unknown> {
  const record = Object.create(null) as Record<string, unknown>;
  for (const [column, text] of Object.entries(cells)) {
    const refused = columnRefusal(column);
    if (refused !== undefined) throw new Error(refused);
    if (text === '') continue;
    const path = column.split('.');
    let node = record;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next !== undefined && (next === null || typeof next !== 'object'))
        throw new Error(`column "${column}": "${part}" is also a value of its own`);
      node = (next ?? (node[part] = Object.create(null))) as Record<string, unknown>;
    }
    node[path.at(-1)!] = cellValue(column, text);
  }
  return record;
}

/** The byte lines of a stream (LF or CRLF), each at most `maxBytes` (a longer one is cut and marked). */
async function* byteLines(input: Readable, maxBytes: number): AsyncGenerator<Buffer | 'too long'> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  const finish = (): Buffer | 'too long' => {
    const line = overlong ? 'too long' : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    overlong = false;
    if (line === 'too long') return line;
    return line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
  };
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a)) {
      if (!overlong) pending.push(bytes.subarray(0, nl));
      pendingBytes += nl;
      if (pendingBytes > maxBytes + 1) overlong = true;
      yield finish();
      bytes = bytes.subarray(nl + 1);
    }
    if (bytes.length > 0) {
      pendingBytes += bytes.length;
      if (pendingBytes > maxBytes + 1) {
        overlong = true;
        pending = [];
      } else pending.push(bytes);
    }
  }
  if (pendingBytes > 0 || overlong) yield finish();
}

async function* jsonlRows(input: Readable): AsyncGenerator<ImportRow> {
  let row = 0;
  for await (const line of byteLines(input, MAX_ROW_BYTES)) {
    row++;
    if (line === 'too long') {
      yield { row, error: `longer than ${MAX_ROW_BYTES} bytes` };
      continue;
    }
    // A UTF-8 byte order mark may open the file.
    const bytes =
      row === 1 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? line.subarray(3) : line;
    if (bytes.every((b) => b === 0x20 || b === 0x09)) continue;
    try {
      yield { row, record: parseJsonBytes(bytes, 'the row', { maxBytes: MAX_ROW_BYTES }) };
    } catch (error) {
      if (!(error instanceof EdgeInputError)) throw error;
      yield { row, error: error.reason.replace(/^is /, '') };
    }
  }
}

/** The text of a stream decoded as strict UTF-8, naming the line of the first byte that is not. */
async function* strictText(input: Readable): AsyncGenerator<string> {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const bytes = Buffer.concat([
      carry,
      typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer),
    ]);
    const scan = scanUtf8(bytes);
    const end = 'complete' in scan ? scan.complete : scan.invalidAt;
    const text = bytes.subarray(0, end).toString('utf8');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
    if ('invalidAt' in scan) throw new EdgeInputError('is not valid UTF-8', `line ${line}`);
    carry = bytes.subarray(end);
    if (text) yield text;
  }
  if (carry.length > 0) throw new EdgeInputError('is not valid UTF-8', `line ${line}`);
}

async function* csvRows(input: Readable): AsyncGenerator<ImportRow> {
  // Row numbers count the header as row 1, as a spreadsheet shows them.
  const parser = parse({
    columns: (header: string[]) => {
      const refused = header.map(columnRefusal).find((r) => r !== undefined);
      if (refused !== undefined) throw new EdgeInputError(refused, 'header');
      return header;
    },
    skip_empty_lines: true,
    trim: true,
    relax_column_count: false,
    bom: true,
    max_record_size: MAX_ROW_BYTES,
  });
  const feeding = (async () => {
    try {
      for await (const text of strictText(input)) {
        if (parser.destroyed) return;
        if (!parser.write(text))
          await new Promise((resume) => {
            parser.once('drain', resume);
            parser.once('close', resume);
          });
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
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
    // A malformed CSV (an unclosed quote, a row with a different number of cells, bytes that are
    // not UTF-8, a refused header) ends the file.
    const message =
      error instanceof EdgeInputError
        ? error.where === 'header'
          ? error.reason
          : `${error.where}: ${error.reason}`
        : (error as Error).message;
    yield {
      row: error instanceof EdgeInputError && error.where === 'header' ? 1 : row + 1,
      error: `CSV: ${message}`,
    };
  } finally {
    parser.destroy();
    await feeding;
  }
}

export function importRows(input: Readable, format: ImportFormat): AsyncGenerator<ImportRow> {
  return format === 'csv' ? csvRows(input) : jsonlRows(input);
}
