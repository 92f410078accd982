/**
 * BatchGetItem over any number of keys: split into requests of at most 100 keys (DynamoDB's limit),
 * unprocessed keys (throttled partitions) asked again with a short backoff, results by key.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_KEYS_PER_REQUEST = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

export interface BatchGetRequest {
  table: string;
  /** The key attribute (the tables here have a single-attribute key). */
  keyName: string;
  keys: string[];
  consistentRead?: boolean;
}

/** The items found, per table, by key value. Keys without an item are absent. */
export async function batchGetItems(
  ddb: DynamoDBDocumentClient,
  requests: BatchGetRequest[],
): Promise<Map<string, Map<string, Record<string, unknown>>>> {
  const found = new Map<string, Map<string, Record<string, unknown>>>();
  const pending: { table: string; keyName: string; key: string; consistentRead: boolean }[] = [];
  for (const r of requests) {
    found.set(r.table, found.get(r.table) ?? new Map());
    for (const key of new Set(r.keys))
      pending.push({ table: r.table, keyName: r.keyName, key, consistentRead: r.consistentRead ?? false });
  }
  for (let start = 0; start < pending.length; start += MAX_KEYS_PER_REQUEST) {
    const chunk = pending.slice(start, start + MAX_KEYS_PER_REQUEST);
    let requestItems: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = {};
    for (const p of chunk) {
      const entry = (requestItems[p.table] ??= { Keys: [], ConsistentRead: p.consistentRead });
      entry.Keys.push({ [p.keyName]: p.key });
    }
    for (let round = 0; Object.keys(requestItems).length > 0; round++) {
      if (round === MAX_UNPROCESSED_ROUNDS)
        throw new Error(`BatchGetItem: keys still unprocessed after ${round} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** round * 10));
      const out = await ddb.send(new BatchGetCommand({ RequestItems: requestItems }));
      for (const [table, items] of Object.entries(out.Responses ?? {})) {
        const keyName = chunk.find((p) => p.table === table)!.keyName;
        for (const item of items) found.get(table)!.set(String(item[keyName]), item);
      }
      requestItems = (out.UnprocessedKeys ?? {}) as typeof requestItems;
    }
  }
  return found;
}
