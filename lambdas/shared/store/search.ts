/**
 * The console's search index (contracts/tables.ts SEARCH_TABLE, and the Receivables table's
 * byReference index): a customer's name and e-mail keys (domain/search-key.ts), written where
 * customer records are written, and the lookups behind a query. Never a scan.
 */
import { paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { receivablesKeys, searchKeys } from '../contracts/keys.js';
import { BY_REFERENCE_INDEX } from '../contracts/tables.js';
import { customerSearchKeys, referenceKeyOf, type SearchQuery, lookupWord } from '../domain/search-key.js';
import type { PaymentEntry, UnmatchedCredit } from './receivables.js';
import { batchGetItems } from './batch-get.js';
import { WRITE_BATCH, type RecordWriter } from './record-writer.js';

export interface CustomerChange {
  customerId: string;
  /** The record as stored before this write (its keys that the new one lacks are deleted). */
  before?: unknown;
  after: unknown;
}

export interface SearchIndex {
  /** Writes customers' search keys; removes keys their previous version had and this one lacks. */
  indexCustomers(changes: readonly CustomerChange[]): Promise<{ written: number; removed: number }>;
  /** Ids of customers holding a key that begins with the query's lookup word (at most `limit`). */
  candidates(query: SearchQuery, limit: number): Promise<string[]>;
  /**
   * Writes every stored customer's keys (records written around the import, e.g. straight into
   * the table by another system); returns how many customers were indexed.
   */
  reindex(): Promise<number>;
  /** The customer records of these ids (the ones that exist), by id. */
  customers(customerIds: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Payments and unmatched bank credits whose payer's reference is this one. */
  byReference(reference: string): Promise<{ payments: PaymentEntry[]; unmatched: UnmatchedCredit[] }>;
}

const keyItem = (key: string, customerId: string) => ({
  pk: searchKeys.partition(key),
  sk: searchKeys.sort(key, customerId),
});

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Writes customers' search keys; removes keys their previous version had and this one lacks. */
export async function indexCustomers(
  writer: RecordWriter,
  searchTable: string,
  changes: readonly CustomerChange[],
): Promise<{ written: number; removed: number }> {
  const puts: Record<string, unknown>[] = [];
  const deletes: Record<string, unknown>[] = [];
  for (const { customerId, before, after } of changes) {
    const keys = customerSearchKeys(after as Record<string, unknown>);
    const old = before === undefined ? [] : customerSearchKeys(before as Record<string, unknown>);
    for (const key of keys) puts.push({ ...keyItem(key, customerId), customerId });
    for (const key of old) if (!keys.includes(key)) deletes.push(keyItem(key, customerId));
  }
  for (const batch of chunks(puts, WRITE_BATCH)) await writer.write(searchTable, batch);
  for (const batch of chunks(deletes, WRITE_BATCH)) await writer.remove(searchTable, batch);
  return { written: puts.length, removed: deletes.length };
}

export function dynamoSearchIndex(
  ddb: DynamoDBDocumentClient,
  writer: RecordWriter,
  tables: { search: string; receivables: string; customers: string },
): SearchIndex {
  return {
    indexCustomers: (changes) => indexCustomers(writer, tables.search, changes),

    async candidates(query, limit) {
      const word = lookupWord(query);
      const ids = new Set<string>();
      const pages = paginateQuery(
        { client: ddb, pageSize: Math.min(limit * 2, 500) },
        {
          TableName: tables.search,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :word)',
          ExpressionAttributeValues: { ':pk': searchKeys.partition(word), ':word': word },
          ProjectionExpression: 'customerId',
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? [])
          if (typeof item.customerId === 'string') ids.add(item.customerId);
        if (ids.size >= limit) break;
      }
      return [...ids].slice(0, limit);
    },

    async reindex() {
      let count = 0;
      const pages = paginateScan(
        { client: ddb, pageSize: 250 },
        {
          TableName: tables.customers,
          ProjectionExpression: 'customerId, legalName, email',
        },
      );
      for await (const page of pages) {
        const changes = (page.Items ?? [])
          .filter((item) => typeof item.customerId === 'string')
          .map((item) => ({ customerId: item.customerId as string, after: item }));
        await indexCustomers(writer, tables.search, changes);
        count += changes.length;
      }
      return count;
    },

    async customers(customerIds) {
      if (customerIds.length === 0) return new Map();
      const found = await batchGetItems(ddb, [
        { table: tables.customers, keyName: 'customerId', keys: [...customerIds] },
      ]);
      return found.get(tables.customers) ?? new Map();
    },

    async byReference(reference) {
      const key = referenceKeyOf(reference);
      const payments: PaymentEntry[] = [];
      const unmatched: UnmatchedCredit[] = [];
      if (key === '') return { payments, unmatched };
      const pages = paginateQuery(
        { client: ddb, pageSize: 100 },
        {
          TableName: tables.receivables,
          IndexName: BY_REFERENCE_INDEX,
          KeyConditionExpression: 'referenceKey = :k',
          ExpressionAttributeValues: { ':k': key },
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) {
          const { pk, sk: _sk, referenceKey: _r, ...rest } = item;
          if (pk === receivablesKeys.unmatched) unmatched.push(rest as UnmatchedCredit);
          else payments.push(rest as PaymentEntry);
        }
      return { payments, unmatched };
    },
  };
}
