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
  /** Invoice e-mails sent (SES accepted them). */
  emailsSent: 'EmailsSent',
  /** Queue deliveries of an e-mail already sent (a redelivered message): nothing sent again. */
  emailsDeduplicated: 'EmailsDeduplicated',
  /** E-mails that cannot be sent (no address on the customer record): recorded, not retried. */
  emailsUndeliverable: 'EmailsUndeliverable',
  /** SES feedback: bounces and complaints recorded on the delivery. */
  emailsBounced: 'EmailsBounced',
  emailsComplained: 'EmailsComplained',
  /** Domain events archived and published by the change-stream mapper. */
  eventsPublished: 'EventsPublished',
  /** Webhook POSTs that got a 2xx, and those that did not (retried, or dead-lettered at the end). */
  webhooksDelivered: 'WebhooksDelivered',
  webhooksFailed: 'WebhooksFailed',
  /** Webhook deliveries that ran out of retries: in the dead-letter queue. */
  webhooksDeadLettered: 'WebhooksDeadLettered',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
