/**
 * Writing imported records (customers, plans, usage) to their tables: what is stored under a
 * batch of keys (BatchGetItem), and a batch written (BatchWriteItem), unprocessed items retried
 * with backoff. Keys are whole key objects, so the same code serves tables with a sort key.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limits: 100 keys per BatchGetItem, 25 items per BatchWriteItem. */
export const WRITE_BATCH = 25;
const MAX_ROUNDS = 8;

type Item = Record<string, unknown>;

export interface RecordWriter {
  /** The stored items of these keys (absent ones are missing from the result), in no order. */
  existing(table: string, keys: Item[]): Promise<Item[]>;
  /** Puts up to WRITE_BATCH items. */
  write(table: string, items: Item[]): Promise<void>;
  /** Deletes up to WRITE_BATCH items by key. */
  remove(table: string, keys: Item[]): Promise<void>;
}

const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, 2 ** round * 10));

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

export function dynamoRecordWriter(ddb: DynamoDBDocumentClient): RecordWriter {
  /** Up to WRITE_BATCH puts and deletes, unprocessed ones retried with backoff. */
  const batchWrite = async (table: string, all: WriteRequest[]): Promise<void> => {
    let requests: WriteRequest[] | undefined = all;
    for (let round = 0; requests && requests.length > 0; round++) {
      if (round === MAX_ROUNDS)
        throw new Error(`BatchWriteItem ${table}: items still unprocessed after ${round} rounds`);
      if (round > 0) await backoff(round);
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = out.UnprocessedItems?.[table] as typeof requests;
    }
  };
  return {
    async existing(table, keys) {
      const found: Item[] = [];
      let pending: Item[] | undefined = keys;
      for (let round = 0; pending && pending.length > 0; round++) {
        if (round === MAX_ROUNDS)
          throw new Error(`BatchGetItem ${table}: keys still unprocessed after ${round} rounds`);
        if (round > 0) await backoff(round);
        const out: BatchGetCommandOutput = await ddb.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[table] ?? []));
        pending = out.UnprocessedKeys?.[table]?.Keys;
      }
      return found;
    },
    write: (table, items) =>
      batchWrite(
        table,
        items.map((Item) => ({ PutRequest: { Item } })),
      ),
    remove: (table, keys) =>
      batchWrite(
        table,
        keys.map((Key) => ({ DeleteRequest: { Key } })),
      ),
  };
}
