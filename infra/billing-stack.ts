/**
 * The whole deployable product: storage, the six billing-run functions, the state machine from the
 * shared ASL file, the monthly schedule, alarms and a dashboard, and the read API.
 */
import { SupportRoles } from './constructs/support-roles.js';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { BILLING_RUN_FUNCTIONS } from '../workflows/definition.js';
import type { BillingConfig } from './config.js';
import { STACK_OUTPUT, type StackOutputKey } from './stack-outputs.js';
import { Analytics } from './constructs/analytics.js';
import { BillingFunctions } from './constructs/billing-functions.js';
import { BillingRunStateMachine, type BillingRunFunctionKey } from './constructs/billing-run.js';
import { BillingMonitoring } from './constructs/monitoring.js';
import { DomainEvents } from './constructs/domain-events.js';
import { PaymentReminders } from './constructs/reminders.js';
import { EmailDelivery } from './constructs/email-delivery.js';
import { HostedLinks } from './constructs/hosted-links.js';
import { ReadApi } from './constructs/read-api.js';
import { MonthlySchedule } from './constructs/schedule.js';
import { BillingStorage } from './constructs/storage.js';
import { STORAGE_CONSTRUCT_ID } from './local-resources.js';

export interface BillingStackProps extends StackProps {
  readonly config: BillingConfig;
}

export const stackNameFor = (stage: string): string => `Invoicer-${stage}`;

export class BillingStack extends Stack {
  readonly storage: BillingStorage;
  readonly functions: BillingFunctions;
  readonly billingRun: BillingRunStateMachine;
  readonly schedule: MonthlySchedule;
  readonly monitoring: BillingMonitoring;
  readonly readApi: ReadApi;
  readonly hostedLinks: HostedLinks;
  readonly analytics: Analytics;
  readonly domainEvents: DomainEvents;
  readonly reminders: PaymentReminders;
  /** The read-only support role and the operator role (docs/deploy.md). */
  readonly supportRoles: SupportRoles;
  /** Deployed when `emailFrom` is configured. */
  readonly emailDelivery?: EmailDelivery;

  constructor(scope: Construct, id: string, props: BillingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = `invoicer-${config.stage}`;
    const stateMachineName = `${prefix}-billing-run`;

    this.storage = new BillingStorage(this, STORAGE_CONSTRUCT_ID, {
      noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays,
      objectLockRetentionDays: config.objectLockRetentionDays,
      ...(config.opsEmail ? { opsEmail: config.opsEmail } : {}),
    });
    this.functions = new BillingFunctions(this, 'Functions', {
      storage: this.storage,
      stage: config.stage,
      stateMachineName,
      scheduleTimeZone: config.scheduleTimeZone,
      maxConcurrency: config.maxConcurrency,
      batchSize: config.batchSize,
      toleratedFailurePercentage: config.toleratedFailurePercentage,
      seller: config.seller,
      logRetention: config.logRetentionDays,
    });
    const byPlaceholder = Object.fromEntries(
      Object.entries(BILLING_RUN_FUNCTIONS).map(([key, name]) => [
        key,
        this.functions.functions[name].function,
      ]),
    ) as unknown as Record<BillingRunFunctionKey, IFunction>;
    this.billingRun = new BillingRunStateMachine(this, 'BillingRun', {
      stateMachineName,
      functions: byPlaceholder,
      storage: this.storage,
      logRetention: config.logRetentionDays,
    });
    this.schedule = new MonthlySchedule(this, 'Monthly', {
      stateMachine: this.billingRun.stateMachine,
      cron: config.scheduleCron,
      timeZone: config.scheduleTimeZone,
      enabled: config.scheduleEnabled,
      scheduleName: `${prefix}-monthly`,
    });
    this.monitoring = new BillingMonitoring(this, 'Monitoring', {
      dashboardName: `${prefix}-billing`,
      stateMachine: this.billingRun.stateMachine,
      functions: Object.fromEntries(
        Object.entries(this.functions.functions).map(([name, f]) => [name, f.function]),
      ),
      deadLetterQueue: this.schedule.deadLetterQueue,
      opsTopic: this.storage.opsTopic,
      metricsNamespace: this.functions.metricsNamespace,
      serviceName: this.functions.serviceName,
    });

    this.readApi = new ReadApi(this, 'ReadApi', {
      storage: this.storage,
      apiName: `${prefix}-read-api`,
      serviceName: this.functions.serviceName,
      metricsNamespace: this.functions.metricsNamespace,
      logRetention: config.logRetentionDays,
    });
    this.hostedLinks = new HostedLinks(this, 'HostedLinks', {
      storage: this.storage,
      secretName: `${prefix}/hosted-link-secret`,
    });
    this.analytics = new Analytics(this, 'Analytics', {
      documentsBucket: this.storage.documentsBucket,
      accessLogsBucket: this.storage.accessLogsBucket,
      databaseName: `invoicer_${config.stage.replace(/-/g, '_')}`,
      workGroupName: `${prefix}-reports`,
      bytesScannedCutoffMb: config.analyticsBytesScannedCutoffMb,
      resultsRetentionDays: config.athenaResultsRetentionDays,
    });
    const publicBaseUrl = config.publicBaseUrl ?? this.readApi.httpApi.apiEndpoint;
    // Links are made where notifications are: a run's invoices, and the resends of ComputeInvoice.
    this.hostedLinks.grantIssue(this.functions.functions['render-documents'], publicBaseUrl);
    this.hostedLinks.grantIssue(this.functions.functions['compute-invoice'], publicBaseUrl);
    this.hostedLinks.grantResolve(this.readApi.function);
    if (config.emailFrom) {
      this.emailDelivery = new EmailDelivery(this, 'EmailDelivery', {
        storage: this.storage,
        emailFrom: config.emailFrom,
        sesIdentity: config.sesIdentity ?? config.emailFrom.split('@')[1]!,
        configurationSetName: `${prefix}-invoice-email`,
        serviceName: this.functions.serviceName,
        metricsNamespace: this.functions.metricsNamespace,
        logRetention: config.logRetentionDays,
      });
    }

    this.domainEvents = new DomainEvents(this, 'DomainEvents', {
      storage: this.storage,
      serviceName: this.functions.serviceName,
      metricsNamespace: this.functions.metricsNamespace,
      logRetention: config.logRetentionDays,
    });

    this.reminders = new PaymentReminders(this, 'Reminders', {
      storage: this.storage,
      serviceName: this.functions.serviceName,
      metricsNamespace: this.functions.metricsNamespace,
      logRetention: config.logRetentionDays,
      timeZone: config.scheduleTimeZone,
      scheduleName: `${prefix}-daily-reminders`,
      enabled: config.scheduleEnabled,
    });
    // Reminders carry the invoice's hosted link, made (or found) like the run's.
    this.hostedLinks.grantIssue(this.reminders.job, publicBaseUrl);

    this.supportRoles = new SupportRoles(this, 'SupportRoles', {
      storage: this.storage,
      stateMachine: this.billingRun.stateMachine,
      stateMachineName,
      linkSecret: this.hostedLinks.secret,
      remindersJob: this.reminders.job.function,
      reportsPolicy: this.analytics.reportsPolicy,
      prefix,
    });

    const output = (id: StackOutputKey, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      STACK_OUTPUT.stateMachineArn,
      this.billingRun.stateMachine.stateMachineArn,
      'Start a run by hand: aws stepfunctions start-execution',
    );
    output(
      STACK_OUTPUT.documentsBucket,
      this.storage.documentsBucket.bucketName,
      'Invoice documents (PDF, JSON, summary, e-invoice), run manifests and results',
    );
    output(STACK_OUTPUT.invoicesTable, this.storage.tables.Invoices.tableName, 'The invoice index');
    output(STACK_OUTPUT.runsTable, this.storage.tables.Runs.tableName, 'Run records and period locks');
    output(
      STACK_OUTPUT.receivablesTable,
      this.storage.tables.Receivables.tableName,
      'Payments, bank credits and reminders',
    );
    output(
      STACK_OUTPUT.supportRoleArn,
      this.supportRoles.support.roleArn,
      'Support staff: read-only (invoicer console and queries)',
    );
    output(
      STACK_OUTPUT.operatorRoleArn,
      this.supportRoles.operator.roleArn,
      'Operators: every support action',
    );
    output(
      STACK_OUTPUT.searchTable,
      this.storage.tables.Search.tableName,
      "The console's customer search index",
    );
    output(STACK_OUTPUT.customersTable, this.storage.tables.Customers.tableName, 'Customer records');
    output(STACK_OUTPUT.plansTable, this.storage.tables.Plans.tableName, 'Price plans');
    output(STACK_OUTPUT.usageTable, this.storage.tables.Usage.tableName, 'Usage records');
    output(
      STACK_OUTPUT.customerTopicArn,
      this.storage.customerTopic.topicArn,
      'Subscribe to receive invoice notifications',
    );
    output(STACK_OUTPUT.opsTopicArn, this.storage.opsTopic.topicArn, 'Run summaries and alarms');
    output(
      STACK_OUTPUT.eventsTopicArn,
      this.storage.eventsTopic.topicArn,
      'Domain events (docs/events.md): subscribe a queue to hear every change',
    );
    output(
      STACK_OUTPUT.webhooksTable,
      this.storage.tables.Webhooks.tableName,
      'Webhook endpoints and deliveries',
    );
    output(
      STACK_OUTPUT.webhookQueueUrl,
      this.domainEvents.queue.queueUrl,
      'Webhook deliveries and their retries',
    );
    output(
      STACK_OUTPUT.webhookDeadLetterQueueUrl,
      this.domainEvents.deadLetterQueue.queueUrl,
      'Webhook deliveries out of retries',
    );
    output(
      STACK_OUTPUT.scheduleName,
      this.schedule.schedule.scheduleName,
      'The monthly EventBridge Scheduler schedule',
    );
    output(
      STACK_OUTPUT.scheduleDeadLetterQueueUrl,
      this.schedule.deadLetterQueue.queueUrl,
      'Failed schedule deliveries',
    );
    output(
      STACK_OUTPUT.remindersFunctionName,
      this.reminders.job.function.functionName,
      'The daily reminder job (`invoicer reminders run --target aws` invokes it)',
    );
    output(STACK_OUTPUT.dashboardName, this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    output(
      STACK_OUTPUT.readApiUrl,
      this.readApi.url,
      'The read API (IAM-signed requests): GET <url>v1/invoices?period=YYYY-MM',
    );
    output(
      STACK_OUTPUT.hostedInvoiceBaseUrl,
      publicBaseUrl,
      'Hosted invoice pages customers open: <url>/i/<token>',
    );
    output(STACK_OUTPUT.hostedLinkSecretArn, this.hostedLinks.secret.secretArn, 'Signs hosted-invoice links');
    output(
      STACK_OUTPUT.computeInvoiceFunctionName,
      this.functions.functions['compute-invoice'].function.functionName,
      'Computes invoices; its configuration names the seller',
    );
    output(
      STACK_OUTPUT.analyticsDatabase,
      this.analytics.database.ref,
      'Glue database of the analytics tables (invoicer report --target aws)',
    );
    output(
      STACK_OUTPUT.analyticsWorkGroup,
      this.analytics.workGroup.ref,
      'Athena workgroup of the reports (bytes-scanned cutoff, results that expire)',
    );
    output(
      STACK_OUTPUT.reportsPolicyArn,
      this.analytics.reportsPolicy.managedPolicyArn,
      'Attach to a role or user that runs invoicer report --target aws',
    );
    if (this.emailDelivery) {
      output(
        STACK_OUTPUT.emailQueueUrl,
        this.emailDelivery.queue.queueUrl,
        'Invoice e-mails waiting to be sent',
      );
      output(
        STACK_OUTPUT.emailDeadLetterQueueUrl,
        this.emailDelivery.deadLetterQueue.queueUrl,
        'Invoice e-mails that failed for good: inspect, fix, redrive',
      );
    }
  }
}
