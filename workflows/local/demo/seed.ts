/**
 * Loads demo records into the local tables: customers and plans when the data dir is empty,
 * and the demo usage of a period when that period has none yet.
 *
 * Resumable: every write is a put of deterministic data, and markers say what is whole. The seed
 * marker is written first (`seeding`) and set to `seeded` after the last customer; a period's
 * usage marker after its last usage row. A seed killed at any point is completed by the next
 * command that seeds, never taken as whole.
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { usageKey } from '../../../lambdas/shared/contracts/keys.js';
import { dynamoRecordWriter } from '../../../lambdas/shared/store/record-writer.js';
import { indexCustomers } from '../../../lambdas/shared/store/search.js';
import { demoCustomers, demoPlans, demoUsage } from './demo-data.js';

export interface SeedTables {
  customers: string;
  plans: string;
  usage: string;
  runs: string;
  /** The console's search index (lambdas/shared/store/search.ts). */
  search: string;
}

/** Marks a data dir as seeded with demo data (so later periods get demo usage too); not a run record (it has a `#`). */
const DEMO_MARKER = 'DEMO#seed';
/** Marks a period's demo usage as written whole. */
const usageMarker = (period: string) => `DEMO#usage#${period}`;
const SEEDING = 'seeding';
const SEEDED = 'seeded';

export async function putAll(
  ddb: DynamoDBDocumentClient,
  table: string,
  items: readonly object[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = items
      .slice(i, i + 25)
      .map((item) => ({ PutRequest: { Item: item as Record<string, unknown> } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`could not write ${requests.length} items to ${table}`);
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = out.UnprocessedItems?.[table] as typeof requests;
    }
  }
}

async function isEmpty(ddb: DynamoDBDocumentClient, table: string): Promise<boolean> {
  const out = await ddb.send(new ScanCommand({ TableName: table, Limit: 1 }));
  return (out.Items ?? []).length === 0;
}

export interface SeedResult {
  customers: number;
  plans: number;
  usage: number;
}

/** Seeds `count` demo customers when the customers table is empty; then usage for `period` if missing. */
export async function seedDemoData(
  ddb: DynamoDBDocumentClient,
  tables: SeedTables,
  count: number,
  period: string,
): Promise<SeedResult> {
  const result: SeedResult = { customers: 0, plans: 0, usage: 0 };
  const readMarker = async (runId: string) =>
    (await ddb.send(new GetCommand({ TableName: tables.runs, Key: { runId }, ConsistentRead: true }))).Item;
  let marker = await readMarker(DEMO_MARKER);
  if (!marker && count > 0 && (await isEmpty(ddb, tables.customers))) {
    marker = { runId: DEMO_MARKER, count, state: SEEDING };
    await ddb.send(new PutCommand({ TableName: tables.runs, Item: marker }));
  }
  if (!marker) return result;
  const demoCount = Number(marker.count);
  const customers = demoCustomers(demoCount);
  // Markers written before `state` existed mark a whole seed.
  if (marker.state === SEEDING) {
    const plans = demoPlans();
    await putAll(ddb, tables.plans, plans as unknown as Record<string, unknown>[]);
    await putAll(ddb, tables.customers, customers as unknown as Record<string, unknown>[]);
    await indexCustomers(
      dynamoRecordWriter(ddb),
      tables.search,
      customers.map((c) => ({ customerId: c.customerId, after: c })),
    );
    await ddb.send(new PutCommand({ TableName: tables.runs, Item: { ...marker, state: SEEDED } }));
    result.customers = demoCount;
    result.plans = plans.length;
  }
  if (await readMarker(usageMarker(period))) return result;
  const usage = demoUsage(customers, demoPlans(), period).map((u) => ({
    ...u,
    usageKey: usageKey(u.period, u.metric, u.recordId),
  }));
  await putAll(ddb, tables.usage, usage);
  await ddb.send(
    new PutCommand({ TableName: tables.runs, Item: { runId: usageMarker(period), rows: usage.length } }),
  );
  result.usage = usage.length;
  return result;
}
