/**
 * Reads of the input records (customers, plans, usage). They return raw items: parsing into
 * domain types happens once, in the domain layer, so a malformed record is reported, not crashed on.
 */
import { GetCommand, paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { usagePeriodPrefix } from '../contracts/keys.js';

export interface RecordTables {
  customers: string;
  plans: string;
  usage: string;
}

export interface RecordStore {
  getCustomer(customerId: string): Promise<unknown>;
  getPlan(planId: string): Promise<unknown>;
  /** All usage records of a customer in a period (sort key begins with the period). */
  listUsage(customerId: string, period: string): Promise<unknown[]>;
  /** Ids of every customer and its status, sorted; malformed items are kept (they fail alone). */
  listCustomerIds(): Promise<{ customerId: string; status: unknown; cancelledAt?: unknown }[]>;
  /** Every customer's legal name (statement matching compares payers with it); unnamed ones left out. */
  listCustomerNames(): Promise<Map<string, string>>;
}

export function dynamoRecordStore(ddb: DynamoDBDocumentClient, tables: RecordTables): RecordStore {
  return {
    async getCustomer(customerId) {
      return (await ddb.send(new GetCommand({ TableName: tables.customers, Key: { customerId } }))).Item;
    },
    async getPlan(planId) {
      return (await ddb.send(new GetCommand({ TableName: tables.plans, Key: { planId } }))).Item;
    },
    async listUsage(customerId, period) {
      const items: unknown[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: tables.usage,
          KeyConditionExpression: 'customerId = :c AND begins_with(usageKey, :p)',
          ExpressionAttributeValues: { ':c': customerId, ':p': usagePeriodPrefix(period) },
        },
      );
      for await (const page of pages) items.push(...(page.Items ?? []));
      return items;
    },
    async listCustomerIds() {
      const ids: { customerId: string; status: unknown; cancelledAt?: unknown }[] = [];
      const pages = paginateScan(
        { client: ddb },
        {
          TableName: tables.customers,
          ProjectionExpression: 'customerId, #s, cancelledAt',
          ExpressionAttributeNames: { '#s': 'status' },
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? [])
          ids.push({
            customerId: String(item.customerId),
            status: item.status,
            ...(item.cancelledAt === undefined ? {} : { cancelledAt: item.cancelledAt }),
          });
      return ids.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
    },
    async listCustomerNames() {
      const names = new Map<string, string>();
      const pages = paginateScan(
        { client: ddb },
        {
          TableName: tables.customers,
          ProjectionExpression: 'customerId, legalName',
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? [])
          if (typeof item.customerId === 'string' && typeof item.legalName === 'string')
            names.set(item.customerId, item.legalName);
      return names;
    },
  };
}
