/**
 * The reads one batch of customers starts with, in two BatchGetItem rounds instead of three GetItem
 * calls per customer: the batch's index rows (Invoices) and customer records together, then the
 * plans those customers are on (usually a handful).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invoiceKey } from '../contracts/keys.js';
import { batchGetItems } from './batch-get.js';
import type { InvoiceRow } from './invoice-index.js';

export interface BatchReadTables {
  invoices: string;
  customers: string;
  plans: string;
}

export interface BatchRecords {
  /** The (customer, period) index row, if any, by customer id (consistent reads). */
  rows: Map<string, InvoiceRow>;
  /** Raw customer records by customer id (parsing happens in the domain layer). */
  customers: Map<string, unknown>;
}

export interface BatchReads {
  rowsAndCustomers(customerIds: string[], period: string): Promise<BatchRecords>;
  /** Raw plan records by plan id. */
  plans(planIds: string[]): Promise<Map<string, unknown>>;
}

export function dynamoBatchReads(ddb: DynamoDBDocumentClient, tables: BatchReadTables): BatchReads {
  return {
    async rowsAndCustomers(customerIds, period) {
      const found = await batchGetItems(ddb, [
        {
          table: tables.invoices,
          keyName: 'invoiceKey',
          keys: customerIds.map((id) => invoiceKey(id, period)),
          consistentRead: true,
        },
        { table: tables.customers, keyName: 'customerId', keys: customerIds },
      ]);
      const rows = new Map<string, InvoiceRow>();
      for (const item of found.get(tables.invoices)?.values() ?? []) {
        const row = item as unknown as InvoiceRow;
        rows.set(row.customerId, row);
      }
      return { rows, customers: (found.get(tables.customers) ?? new Map()) as Map<string, unknown> };
    },
    async plans(planIds) {
      if (planIds.length === 0) return new Map();
      const found = await batchGetItems(ddb, [{ table: tables.plans, keyName: 'planId', keys: planIds }]);
      return (found.get(tables.plans) ?? new Map()) as Map<string, unknown>;
    },
  };
}
