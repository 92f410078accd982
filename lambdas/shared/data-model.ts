/**
 * The persistent data model: DynamoDB key schemas and GSIs, and the S3 key layout.
 * CDK (infra/) builds the tables from these definitions; the repositories in lambdas/ read
 * and write with them; the local stack creates its tables from the synthesized CDK template.
 */

export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

export interface TableModel extends KeySchema {
  /** CDK construct id, also the suffix of the local table name. */
  id: string;
  indexes: (KeySchema & { indexName: string })[];
}

/** Customers: one item per customer (the Customer record). */
export const CUSTOMERS_TABLE: TableModel = { id: 'Customers', partitionKey: 'customerId', indexes: [] };

/** Plans: one item per price plan (the PricePlan record). */
export const PLANS_TABLE: TableModel = { id: 'Plans', partitionKey: 'planId', indexes: [] };

/** Usage: one item per usage record; sort key `${period}#${metric}#${recordId}`. */
export const USAGE_TABLE: TableModel = {
  id: 'Usage',
  partitionKey: 'customerId',
  sortKey: 'usageKey',
  indexes: [],
};

/**
 * Invoices: the invoice index. Item key `invoiceKey` = `${customerId}#${period}`, the idempotency
 * key of an invoice (one per customer and period, forever). Also in this table, so that a
 * reservation is one transaction in one table: the number-series counters (`SERIES#${series}`),
 * one claim per number ever taken (`NUMBER#${invoiceNumber}`), and the VOID records
 * (`VOID#${invoiceNumber}`). Counters and claims carry none of the GSI attributes, so the (sparse)
 * indexes never see them.
 */
export const INVOICES_TABLE: TableModel = {
  id: 'Invoices',
  partitionKey: 'invoiceKey',
  indexes: [
    { indexName: 'byCustomer', partitionKey: 'customerId', sortKey: 'period' },
    { indexName: 'byPeriod', partitionKey: 'period', sortKey: 'customerId' },
    { indexName: 'byNumber', partitionKey: 'invoiceNumber' },
    { indexName: 'byStatus', partitionKey: 'status', sortKey: 'periodCustomer' },
  ],
};

/** Runs: one item per run (`runId`), plus one lock item per period (`LOCK#${period}`). */
export const RUNS_TABLE: TableModel = { id: 'Runs', partitionKey: 'runId', indexes: [] };

export const TABLES = [CUSTOMERS_TABLE, PLANS_TABLE, USAGE_TABLE, INVOICES_TABLE, RUNS_TABLE] as const;

export const invoiceKey = (customerId: string, period: string): string => `${customerId}#${period}`;
export const seriesKey = (series: string): string => `SERIES#${series}`;
export const runLockKey = (period: string): string => `LOCK#${period}`;
export const usageKey = (period: string, metric: string, recordId: string): string =>
  `${period}#${metric}#${recordId}`;

/** Invoice lifecycle on the index row. */
export type InvoiceStatus = 'PENDING' | 'ISSUED' | 'NOTIFIED' | 'VOID';

/** S3 layout: keys a person can read. */
export const s3Keys = {
  invoicePrefix: (period: string, customerId: string): string => `invoices/${period}/${customerId}/`,
  invoicePdf: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.pdf`,
  invoiceJson: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.json`,
  runPrefix: (runId: string): string => `runs/${runId}/`,
  runManifest: (runId: string): string => `runs/${runId}/manifest.jsonl`,
  runResultsPrefix: (runId: string): string => `runs/${runId}/results`,
  runSummary: (runId: string): string => `runs/${runId}/summary.json`,
};
