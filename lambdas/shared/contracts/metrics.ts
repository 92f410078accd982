/**
 * CloudWatch metrics the functions emit (Powertools EMF) and the alarms and dashboard read
 * (infra/constructs/monitoring.ts). One name each, here.
 */
export const METRICS_NAMESPACE = 'Invoicer';

export const METRIC = {
  invoicesIssued: 'InvoicesIssued',
  invoicesSkipped: 'InvoicesSkipped',
  invoicesFailed: 'InvoicesFailed',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
