/** Every store of the billing run, built from one set of SDK clients and the storage config. */
import type { AwsClients } from '../aws/clients.js';
import type { StorageConfig } from '../config.js';
import { dynamoBatchReads, type BatchReads } from './batch-reads.js';
import { s3DocumentStore, type DocumentStore } from './documents.js';
import { dynamoCreditNotes, type CreditNoteStore } from './credit-notes.js';
import { s3ExchangeRates, type ExchangeRateStore } from './exchange-rates.js';
import { dynamoEmailDeliveries, type EmailDeliveryStore } from './email-deliveries.js';
import { dynamoHostedLinks, type HostedLinkStore } from './hosted-links.js';
import { dynamoAuditChain, type AuditChainStore } from './audit-chain.js';
import { dynamoHashRecords, type HashRecordStore } from './hash-records.js';
import { dynamoInvoiceIndex, type InvoiceIndex } from './invoice-index.js';
import { dynamoNumberSeries, type NumberSeries } from './number-series.js';
import { dynamoRecordStore, type RecordStore } from './records.js';
import { dynamoRunStore, type RunStore } from './runs.js';
import { dynamoReceivables, type ReceivablesStore } from './receivables.js';
import { dynamoReminders, type ReminderStore } from './reminders.js';
import { dynamoRecordWriter } from './record-writer.js';
import { dynamoSearchIndex, type SearchIndex } from './search.js';

export interface Stores {
  invoices: InvoiceIndex;
  numbers: NumberSeries;
  creditNotes: CreditNoteStore;
  records: RecordStore;
  batchReads: BatchReads;
  runs: RunStore;
  documents: DocumentStore;
  exchangeRates: ExchangeRateStore;
  links: HostedLinkStore;
  deliveries: EmailDeliveryStore;
  hashRecords: HashRecordStore;
  auditChain: AuditChainStore;
  receivables: ReceivablesStore;
  reminders: ReminderStore;
  search: SearchIndex;
}

export function createStores(clients: Pick<AwsClients, 'dynamodb' | 's3'>, storage: StorageConfig): Stores {
  const { dynamodb, s3 } = clients;
  const numbers = dynamoNumberSeries(dynamodb, storage.tables.invoices);
  const documents = s3DocumentStore(s3, storage.documentsBucket);
  return {
    invoices: dynamoInvoiceIndex(dynamodb, storage.tables.invoices),
    numbers,
    creditNotes: dynamoCreditNotes(dynamodb, storage.tables.invoices, numbers),
    records: dynamoRecordStore(dynamodb, storage.tables),
    batchReads: dynamoBatchReads(dynamodb, storage.tables),
    runs: dynamoRunStore(dynamodb, storage.tables.runs),
    documents,
    exchangeRates: s3ExchangeRates(documents),
    links: dynamoHostedLinks(dynamodb, storage.tables.invoices),
    deliveries: dynamoEmailDeliveries(dynamodb, storage.tables.invoices),
    hashRecords: dynamoHashRecords(dynamodb, storage.tables.invoices),
    auditChain: dynamoAuditChain(dynamodb, storage.tables.invoices),
    receivables: dynamoReceivables(dynamodb, storage.tables),
    reminders: dynamoReminders(dynamodb, storage.tables),
    search: dynamoSearchIndex(dynamodb, dynamoRecordWriter(dynamodb), storage.tables),
  };
}
