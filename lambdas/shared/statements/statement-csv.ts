/**
 * The CSV statement layout, for banks without camt exports: a header row, then one credit per row.
 *   booking_date  YYYY-MM-DD (required)
 *   amount        decimal in major units, "." as the point, no sign (required)
 *   currency      ISO 4217 (required)
 *   reference     the structured reference (RF…), if the payer gave one
 *   remittance    free text
 *   payer_name, payer_iban
 *   entry_id      the bank's own id of the entry; without it, the row's content (and its
 *                 occurrence among equal rows) identifies it, so a re-import changes nothing
 * Unknown columns are refused (a typo would silently lose a field); so is a prototype-like name.
 */
import { parse } from 'csv-parse/sync';
import { EdgeInputError } from '../edge/edge-error.js';
import { isForbiddenKey } from '../edge/safe-json.js';
import { decodeUtf8 } from '../edge/utf8.js';
import { bankCreditId, MAX_STATEMENT_BYTES, readCredit, type StatementRead } from './bank-credit.js';

export const STATEMENT_CSV_COLUMNS = [
  'booking_date',
  'amount',
  'currency',
  'reference',
  'remittance',
  'payer_name',
  'payer_iban',
  'entry_id',
] as const;
const REQUIRED = ['booking_date', 'amount', 'currency'] as const;

export function readStatementCsv(bytes: Uint8Array, file: string): StatementRead {
  if (bytes.byteLength > MAX_STATEMENT_BYTES)
    throw new EdgeInputError(`is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MiB`, file);
  const content = decodeUtf8(bytes, file).replace(/^\uFEFF/, '');
  let rows: string[][];
  try {
    rows = parse(content, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new EdgeInputError(`is not valid CSV (${(error as Error).message})`, file);
  }
  const [header, ...records] = rows;
  if (header === undefined) throw new EdgeInputError('is empty (a header row is required)', file);
  const columns = header.map((c) => c.trim());
  for (const column of columns) {
    if (isForbiddenKey(column) || !(STATEMENT_CSV_COLUMNS as readonly string[]).includes(column))
      throw new EdgeInputError(
        `has an unknown column "${column}" (known: ${STATEMENT_CSV_COLUMNS.join(', ')})`,
        file,
      );
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new EdgeInputError(`has no column ${missing.join(', ')}`, file);
  const read: StatementRead = { credits: [], errors: [], skipped: { debits: 0, notBooked: 0, reversals: 0 } };
  const occurrences = new Map<string, number>();
  records.forEach((cells, i) => {
    const row: Record<string, string> = Object.create(null);
    columns.forEach((column, c) => {
      const value = cells[c]?.trim() ?? '';
      if (value !== '') row[column] = value;
    });
    const content = columns.map((c) => row[c] ?? '').join('\u001f');
    const seen = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, seen);
    readCredit(read, `${file}: row ${i + 2}`, {
      entryId: bankCreditId('csv', row.entry_id ?? `${content}\u001f${seen}`),
      amount: row.amount,
      currency: row.currency,
      bookingDate: row.booking_date,
      ...(row.reference === undefined ? {} : { reference: row.reference }),
      ...(row.remittance === undefined ? {} : { remittance: row.remittance }),
      ...(row.payer_name === undefined ? {} : { payerName: row.payer_name }),
      ...(row.payer_iban === undefined ? {} : { payerIban: row.payer_iban }),
      source: file,
    });
  });
  return read;
}
