/**
 * Importing customers, price plans or usage rows (`invoicer import`, and the API's import routes):
 * every row validated on its own with the same parsers a run uses, so an error names the row and
 * the field (`row 12: customer cus_7.email: not an email address`); valid rows are compared with
 * what is stored under their key and only the changed ones written, in batches. Importing the
 * same file again writes nothing: a re-import updates, never duplicates.
 */
import { usageKey } from '../contracts/keys.js';
import { parseCustomer, parsePricePlan, parseUsageRecord } from '../domain/records.js';
import type { RecordTables } from '../store/records.js';
import { WRITE_BATCH, type RecordWriter } from '../store/record-writer.js';
import { indexCustomers } from '../store/search.js';

export { IMPORT_KINDS, type ImportKind } from '../contracts/tables.js';
import type { ImportKind } from '../contracts/tables.js';

/** A row as read from the file: its record, or why it could not be read (bad JSON, a bad cell). */
export type ImportRow = { row: number; record: unknown } | { row: number; error: string };

export interface ImportError {
  row: number;
  message: string;
}

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  written: number;
  unchanged: number;
  rejected: number;
  /** The first 100 rejected rows (`rejected` counts them all). */
  errors: ImportError[];
}

const MAX_LISTED_ERRORS = 100;

/** How each kind is validated and keyed, and the item stored. */
const KINDS: Record<
  ImportKind,
  {
    table: (t: RecordTables) => string;
    parse: (raw: unknown) => Record<string, unknown>;
    key: (item: Record<string, unknown>) => Record<string, unknown>;
  }
> = {
  customers: {
    table: (t) => t.customers,
    parse: (raw) => ({ ...parseCustomer(raw) }),
    key: (item) => ({ customerId: item.customerId }),
  },
  plans: {
    table: (t) => t.plans,
    parse: (raw) => ({ ...parsePricePlan(raw) }),
    key: (item) => ({ planId: item.planId }),
  },
  usage: {
    table: (t) => t.usage,
    parse: (raw) => {
      const u = parseUsageRecord(raw);
      return { ...u, usageKey: usageKey(u.period, u.metric, u.recordId) };
    },
    key: (item) => ({ customerId: item.customerId, usageKey: item.usageKey }),
  },
};

/** Key-order-independent form of an item, to tell unchanged from changed. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export async function importRecords(
  deps: { writer: RecordWriter; tables: RecordTables & { search: string } },
  kind: ImportKind,
  rows: AsyncIterable<ImportRow> | Iterable<ImportRow>,
  onProgress?: (rowsDone: number) => void,
  /** Compare and count only: what an import would write (the console's preview), nothing written. */
  options: { dryRun?: boolean } = {},
): Promise<ImportSummary> {
  const spec = KINDS[kind];
  const table = spec.table(deps.tables);
  const summary: ImportSummary = { kind, rows: 0, written: 0, unchanged: 0, rejected: 0, errors: [] };
  const reject = (row: number, message: string) => {
    summary.rejected++;
    if (summary.errors.length < MAX_LISTED_ERRORS) summary.errors.push({ row, message });
  };
  // Which row first gave each key: a later row with the same key is a mistake in the file.
  const firstRowOfKey = new Map<string, number>();
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const stored = new Map(
      (await deps.writer.existing(table, batch.map(spec.key))).map((item) => [
        canonical(spec.key(item)),
        item,
      ]),
    );
    const changed = batch.filter((item) => {
      const before = stored.get(canonical(spec.key(item)));
      return before === undefined || canonical(before) !== canonical(item);
    });
    if (changed.length > 0 && !options.dryRun) await deps.writer.write(table, changed);
    // A changed customer's name or e-mail is found by the console's search from now on.
    if (kind === 'customers' && changed.length > 0 && !options.dryRun)
      await indexCustomers(
        deps.writer,
        deps.tables.search,
        changed.map((item) => ({
          customerId: String(item.customerId),
          before: stored.get(canonical(spec.key(item))),
          after: item,
        })),
      );
    summary.written += changed.length;
    summary.unchanged += batch.length - changed.length;
    batch = [];
    onProgress?.(summary.rows);
  };
  for await (const row of rows) {
    summary.rows++;
    if ('error' in row) {
      reject(row.row, row.error);
      continue;
    }
    let item: Record<string, unknown>;
    try {
      item = spec.parse(row.record);
    } catch (error) {
      reject(row.row, (error as Error).message);
      continue;
    }
    const key = canonical(spec.key(item));
    const first = firstRowOfKey.get(key);
    if (first !== undefined) {
      reject(row.row, `has the same key as row ${first} (${Object.values(spec.key(item)).join(' / ')})`);
      continue;
    }
    firstRowOfKey.set(key, row.row);
    batch.push(item);
    if (batch.length === WRITE_BATCH) await flush();
  }
  await flush();
  onProgress?.(summary.rows);
  return summary;
}
