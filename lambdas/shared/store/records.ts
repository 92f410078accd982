/**
 * Reads of the input records (customers, plans, usage). They return raw items: validation into
 * domain types happens in the domain layer, so a malformed record is reported, not crashed on.
 */
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '../aws.js';

export interface RecordTables {
  customers: string;
  plans: string;
  usage: string;
}

export async function getCustomerRecord(tables: RecordTables, customerId: string): Promise<unknown> {
  const out = await dynamoDb().send(new GetCommand({ TableName: tables.customers, Key: { customerId } }));
  return out.Item;
}

export async function getPlanRecord(tables: RecordTables, planId: string): Promise<unknown> {
  const out = await dynamoDb().send(new GetCommand({ TableName: tables.plans, Key: { planId } }));
  return out.Item;
}

/** All usage records of a customer in a period (sort key begins with the period). */
export async function listUsageRecords(
  tables: RecordTables,
  customerId: string,
  period: string,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb().send(
      new QueryCommand({
        TableName: tables.usage,
        KeyConditionExpression: 'customerId = :c AND begins_with(usageKey, :p)',
        ExpressionAttributeValues: { ':c': customerId, ':p': `${period}#` },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Ids of every customer and its status, for the run manifest; malformed items are kept (they fail alone). */
export async function listCustomerIds(
  tables: RecordTables,
): Promise<{ customerId: string; status: unknown }[]> {
  const ids: { customerId: string; status: unknown }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb().send(
      new ScanCommand({
        TableName: tables.customers,
        ProjectionExpression: 'customerId, #s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? [])
      ids.push({ customerId: String(item.customerId), status: item.status });
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return ids.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}
