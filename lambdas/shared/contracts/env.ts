/**
 * The environment variables the Lambda functions read: each name once, here. CDK sets them
 * (infra/constructs/billing-functions.ts), `fromEnv()` of each handler reads them; the local run
 * passes the same values as handler dependencies instead of through the environment.
 */
export const ENV = {
  customersTable: 'CUSTOMERS_TABLE',
  plansTable: 'PLANS_TABLE',
  usageTable: 'USAGE_TABLE',
  invoicesTable: 'INVOICES_TABLE',
  runsTable: 'RUNS_TABLE',
  /** Payments, bank credits and reminders (contracts/tables.ts RECEIVABLES_TABLE). */
  receivablesTable: 'RECEIVABLES_TABLE',
  /** The console's customer search index (contracts/tables.ts SEARCH_TABLE). */
  searchTable: 'SEARCH_TABLE',
  /** Reminder steps in days from the due date, e.g. `-3,7,21` (domain/receivables.ts). */
  reminderSteps: 'REMINDER_STEPS',
  documentsBucket: 'DOCUMENTS_BUCKET',
  /** JSON of the seller (a Party) printed on every invoice. */
  sellerJson: 'SELLER_JSON',
  /** IANA time zone of "the previous month" when a run is started by the schedule. */
  billingTimeZone: 'BILLING_TIME_ZONE',
  maxConcurrency: 'MAX_CONCURRENCY',
  toleratedFailurePercentage: 'TOLERATED_FAILURE_PERCENTAGE',
  batchSize: 'BATCH_SIZE',
  /** The public origin of the read API (its URL or a custom domain): hosted links start with it. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** The Secrets Manager secret whose value signs hosted-invoice links (hosted-links/token.ts). */
  linkSecretArn: 'LINK_SECRET_ARN',
  /** The Secrets Manager secret whose value signs the read API's page cursors (lambdas/api/cursor.ts). */
  cursorKeyArn: 'CURSOR_KEY_ARN',
  /** The From address of invoice e-mails (an SES-verified identity). */
  emailFrom: 'EMAIL_FROM',
  /** The SES configuration set whose events (bounces, complaints) come back to invoicer. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The customer topic (notifications, reminders), for functions that publish to it themselves. */
  customerTopicArn: 'CUSTOMER_TOPIC_ARN',
  /** The SNS topic of domain events (contracts/domain-events.ts). */
  eventsTopicArn: 'EVENTS_TOPIC_ARN',
  /** The owner's webhook endpoints and their delivery log. */
  webhooksTable: 'WEBHOOKS_TABLE',
  /** The webhook queue (events and retries) and its dead-letter queue. */
  webhookQueueUrl: 'WEBHOOK_QUEUE_URL',
  webhookDeadLetterQueueUrl: 'WEBHOOK_DEAD_LETTER_QUEUE_URL',
  /** Folder holding the renderer's TTF files (the Lambda bundle's fonts/). */
  fontDir: 'INVOICER_FONT_DIR',
  /** Set by Lambda itself: the function's name (who wrote an operator log entry). */
  lambdaFunctionName: 'AWS_LAMBDA_FUNCTION_NAME',
  /** Powertools' own settings, set by CDK on every function. */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  powertoolsLogLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
