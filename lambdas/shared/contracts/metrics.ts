/**
 * CloudWatch metrics the functions emit (Powertools EMF) and the alarms and dashboard read
 * (infra/constructs/monitoring.ts). One name each, here.
 */
export const METRICS_NAMESPACE = 'Invoicer';

export const METRIC = {
  invoicesIssued: 'InvoicesIssued',
  invoicesSkipped: 'InvoicesSkipped',
  invoicesFailed: 'InvoicesFailed',
  /** Invoices issued without their EN 16931 e-invoice (a 3-decimal currency, a seller setting missing). */
  eInvoicesRefused: 'EInvoicesRefused',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
