/**
 * The billing stack's CloudFormation outputs: what billing-stack.ts declares and what the operator
 * tools (`invoicer --target aws --stack NAME`) read back with DescribeStacks. No CDK import here:
 * the CLI loads it.
 */
export const STACK_OUTPUT = {
  stateMachineArn: 'StateMachineArn',
  documentsBucket: 'DocumentsBucketName',
  invoicesTable: 'InvoicesTableName',
  runsTable: 'RunsTableName',
  /** Payments, bank credits and reminders. */
  receivablesTable: 'ReceivablesTableName',
  /** The console's customer search index. */
  searchTable: 'SearchTableName',
  customersTable: 'CustomersTableName',
  plansTable: 'PlansTableName',
  usageTable: 'UsageTableName',
  customerTopicArn: 'CustomerTopicArn',
  opsTopicArn: 'OpsTopicArn',
  scheduleName: 'ScheduleName',
  scheduleDeadLetterQueueUrl: 'ScheduleDeadLetterQueueUrl',
  dashboardName: 'DashboardName',
  readApiUrl: 'ReadApiUrl',
  hostedInvoiceBaseUrl: 'HostedInvoiceBaseUrl',
  hostedLinkSecretArn: 'HostedLinkSecretArn',
  /** Its configuration holds the seller (`invoicer preview --target aws` reads it). */
  computeInvoiceFunctionName: 'ComputeInvoiceFunctionName',
  /** Reports (`invoicer report --target aws`): the Glue database and the Athena workgroup. */
  analyticsDatabase: 'AnalyticsDatabaseName',
  analyticsWorkGroup: 'AnalyticsWorkGroupName',
  /** The managed policy that lets a principal run the reports. */
  reportsPolicyArn: 'ReportsPolicyArn',
  /** Domain events and webhooks (`invoicer events`, `invoicer webhooks`); absent on stacks before them. */
  eventsTopicArn: 'EventsTopicArn',
  webhooksTable: 'WebhooksTableName',
  webhookQueueUrl: 'WebhookQueueUrl',
  webhookDeadLetterQueueUrl: 'WebhookDeadLetterQueueUrl',
  /** The daily reminder job (`invoicer reminders run --target aws`); absent on stacks before it. */
  remindersFunctionName: 'RemindersFunctionName',
  /** The support roles (infra/constructs/support-roles.ts); absent on stacks before them. */
  supportRoleArn: 'SupportRoleArn',
  operatorRoleArn: 'OperatorRoleArn',
  /** Only when e-mail delivery is configured (emailFrom). */
  emailQueueUrl: 'EmailQueueUrl',
  emailDeadLetterQueueUrl: 'EmailDeadLetterQueueUrl',
} as const;

export type StackOutputKey = (typeof STACK_OUTPUT)[keyof typeof STACK_OUTPUT];

/** The outputs the operator tools cannot work without. */
export const REQUIRED_OPERATOR_OUTPUTS: readonly StackOutputKey[] = [
  STACK_OUTPUT.stateMachineArn,
  STACK_OUTPUT.documentsBucket,
  STACK_OUTPUT.invoicesTable,
  STACK_OUTPUT.runsTable,
  STACK_OUTPUT.receivablesTable,
  STACK_OUTPUT.searchTable,
  STACK_OUTPUT.customersTable,
  STACK_OUTPUT.plansTable,
  STACK_OUTPUT.usageTable,
  STACK_OUTPUT.customerTopicArn,
  STACK_OUTPUT.hostedInvoiceBaseUrl,
  STACK_OUTPUT.hostedLinkSecretArn,
];
