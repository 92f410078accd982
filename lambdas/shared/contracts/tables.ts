/**
 * The DynamoDB tables: ids, key schemas and GSIs. CDK (infra/constructs/storage.ts) builds the
 * tables from these definitions; the stores in lambdas/shared/store/ read and write with them;
 * the local stack creates its tables from the synthesized CDK template. Key formats: ./keys.ts.
 */

export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

export interface TableModel extends KeySchema {
  /** CDK construct id, also the suffix of the local table name. */
  id: string;
  indexes: (KeySchema & { indexName: string })[];
  /** Its writes become domain events (the change stream, lambdas/publish-events). */
  changeStream?: boolean;
  /** The attribute DynamoDB's TTL deletes items by (epoch seconds). */
  timeToLiveAttribute?: string;
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
 * (`VOID#${invoiceNumber}`), and the hosted-invoice links (`LINK#${tokenHash}`). Counters, claims
 * and links carry none of the GSI attributes, so the (sparse) indexes never see them.
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
  changeStream: true,
};

/** Runs: one item per run (`runId`), plus one lock item per period (`LOCK#${period}`). */
export const RUNS_TABLE: TableModel = { id: 'Runs', partitionKey: 'runId', indexes: [], changeStream: true };

/**
 * Webhooks: the owner's endpoints (`pk` = `ENDPOINT`, `sk` = endpoint id) and each endpoint's
 * delivery log (`pk` = `DELIVERY#<endpoint id>`, `sk` = `<time>#<event id>#<attempt>`, kept
 * WEBHOOK_DELIVERY_LOG_DAYS by TTL). Key builders: store/webhooks.ts.
 */
export const WEBHOOKS_TABLE: TableModel = {
  id: 'Webhooks',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
  timeToLiveAttribute: 'expiresAt',
};

/**
 * Receivables: what happens to an invoice after it was issued (key builders: ./keys.ts
 * receivablesKeys). Each payment is an item of its own, never edited (a reversal is another);
 * the invoice's row keeps only the running sum (`paidMinor`), moved by the same transaction.
 *   `CUSTOMER#<id>` / `PAYMENT#<number>#<paymentId>`  a payment or reversal (a customer's in one Query)
 *   `ENTRY#<YYYY-MM>` / `<entryId>`                   a bank-statement credit seen once (idempotency)
 *   `UNMATCHED` / `<bookingDate>#<entryId>`           a credit support must assign
 *   `REMINDER#<number>` / `<step>`                    a reminder claimed, then sent
 *   `REMINDERS_PAUSED` / `<customerId>`               a customer support paused reminders for
 */
/** The Receivables index of payments and unmatched credits by reference. */
export const BY_REFERENCE_INDEX = 'byReference';

export const RECEIVABLES_TABLE: TableModel = {
  id: 'Receivables',
  partitionKey: 'pk',
  sortKey: 'sk',
  // Payments and unmatched credits by their payer's reference (domain/search-key.ts referenceKeyOf):
  // the console's search. Only items with a reference carry `referenceKey` (a sparse index).
  indexes: [{ indexName: BY_REFERENCE_INDEX, partitionKey: 'referenceKey', sortKey: 'sk' }],
};

/**
 * Search: the console's index of customers by name and e-mail (domain/search-key.ts). One item
 * per key of a customer: `pk` = `KEY#<first character of the key>`, `sk` = `<key>#<customerId>`,
 * so a fragment is one Query with begins_with. Written where customer records are written
 * (operations/import-records.ts, the demo seed) and rebuilt by `invoicer search --reindex`;
 * every hit is checked against the customer's current record, so a stale key is never shown.
 */
export const SEARCH_TABLE: TableModel = {
  id: 'Search',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
};

/** DynamoDB's most items in one TransactWriteItems: the stores batch their writes up to it. */
export const MAX_TRANSACTION_ITEMS = 100;

export const TABLES = [
  CUSTOMERS_TABLE,
  PLANS_TABLE,
  USAGE_TABLE,
  INVOICES_TABLE,
  RUNS_TABLE,
  WEBHOOKS_TABLE,
  RECEIVABLES_TABLE,
  SEARCH_TABLE,
] as const;

/** The record tables `invoicer import` loads, by the name the command takes. */
export const IMPORT_KINDS = ['customers', 'plans', 'usage'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
