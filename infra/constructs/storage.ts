/**
 * Storage of the billing run: the DynamoDB tables of the data model, the documents bucket (with its
 * access-log bucket) and the two SNS topics. The deployed stack and the local stack are both built
 * from this construct (the local side through infra/local-resources.ts), so they cannot drift.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { CfnResource } from 'aws-cdk-lib';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { INVOICES_TABLE, TABLES, type TableModel } from '../../lambdas/shared/contracts/tables.js';

/**
 * Metadata key on every storage resource the local stack recreates; its value names the resource:
 * a table id from lambdas/shared/contracts/tables.ts (`Customers`, `Plans`, `Usage`, `Invoices`, `Runs`, `Webhooks`, `Receivables`, `Search`), `Documents`,
 * `AccessLogs`, `CustomerNotifications` or `OpsSummary`.
 */
export const STORAGE_RESOURCE_METADATA_KEY = 'invoicer:resource';

/** The table ids of contracts/tables.ts (TABLES); the constructor checks that the two lists agree. */
export const TABLE_IDS = [
  'Customers',
  'Plans',
  'Usage',
  'Invoices',
  'Runs',
  'Webhooks',
  'Receivables',
  'Search',
] as const;
export type TableId = (typeof TABLE_IDS)[number];
export const DOCUMENTS_BUCKET_ID = 'Documents';
export const ACCESS_LOGS_BUCKET_ID = 'AccessLogs';
export const CUSTOMER_TOPIC_ID = 'CustomerNotifications';
export const OPS_TOPIC_ID = 'OpsSummary';
export const EVENTS_TOPIC_ID = 'DomainEvents';

export interface BillingStorageProps {
  /** Noncurrent object versions in the documents bucket expire after this many days. @default 7 */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Object Lock (compliance mode) default retention for new objects in the documents bucket, in
   * days; 0 turns Object Lock off. Object Lock can only be chosen when the bucket is created.
   * @default 0
   */
  readonly objectLockRetentionDays?: number;
  /** Ops summary and alarm e-mails go to this address (the recipient must confirm). @default none */
  readonly opsEmail?: string;
  /** Server access logs are kept this many days. @default 90 */
  readonly accessLogRetentionDays?: number;
}

export class BillingStorage extends Construct {
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly documentsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  /** Encrypts both topics; a customer-managed key because CloudWatch alarms cannot use alias/aws/sns. */
  readonly topicKey: kms.Key;
  readonly customerTopic: sns.Topic;
  readonly opsTopic: sns.Topic;
  /** Domain events (contracts/domain-events.ts): the change-stream mapper publishes, the webhook queue subscribes. */
  readonly eventsTopic: sns.Topic;

  /** The environment every function reads its tables and bucket from (lambdas/shared/config.ts). */
  get environment(): Record<string, string> {
    return {
      [ENV.customersTable]: this.tables.Customers.tableName,
      [ENV.plansTable]: this.tables.Plans.tableName,
      [ENV.usageTable]: this.tables.Usage.tableName,
      [ENV.invoicesTable]: this.tables.Invoices.tableName,
      [ENV.runsTable]: this.tables.Runs.tableName,
      [ENV.receivablesTable]: this.tables.Receivables.tableName,
      [ENV.searchTable]: this.tables.Search.tableName,
      [ENV.documentsBucket]: this.documentsBucket.bucketName,
    };
  }

  constructor(scope: Construct, id: string, props: BillingStorageProps = {}) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionRetentionDays ?? 7;
    const objectLockDays = props.objectLockRetentionDays ?? 0;
    const accessLogDays = props.accessLogRetentionDays ?? 90;
    requireWholeNumber('noncurrentVersionRetentionDays', noncurrentDays, 1);
    requireWholeNumber('objectLockRetentionDays', objectLockDays, 0);
    requireWholeNumber('accessLogRetentionDays', accessLogDays, 1);

    const modelIds = TABLES.map((t) => t.id).sort();
    if (modelIds.join() !== [...TABLE_IDS].sort().join()) {
      throw new Error(
        `BillingStorage TABLE_IDS (${TABLE_IDS.join()}) differ from contracts/tables.ts TABLES (${modelIds.join()})`,
      );
    }
    this.tables = Object.fromEntries(TABLES.map((model) => [model.id, this.table(model)])) as Record<
      TableId,
      dynamodb.Table
    >;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // Server access log delivery supports SSE-S3 only, not SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    mark(this.accessLogsBucket, ACCESS_LOGS_BUCKET_ID);

    this.documentsBucket = new s3.Bucket(this, 'DocumentsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      ...(objectLockDays > 0
        ? {
            objectLockEnabled: true,
            // Compliance mode: nobody, root included, can delete a locked version before it expires.
            // A compensation still "deletes" with a delete marker; the locked version stays.
            objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(objectLockDays)),
          }
        : {}),
      // Issued invoices are legal records: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    mark(this.documentsBucket, DOCUMENTS_BUCKET_ID);

    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the invoicer SNS topics (customer notifications, ops summary)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the ops topic as a service principal and need the key for that.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.customerTopic = new sns.Topic(this, 'CustomerNotificationsTopic', {
      displayName: 'Invoicer customer notifications',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    mark(this.customerTopic, CUSTOMER_TOPIC_ID);

    this.opsTopic = new sns.Topic(this, 'OpsSummaryTopic', {
      displayName: 'Invoicer ops summary',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    mark(this.opsTopic, OPS_TOPIC_ID);
    if (props.opsEmail) this.opsTopic.addSubscription(new subscriptions.EmailSubscription(props.opsEmail));

    this.eventsTopic = new sns.Topic(this, 'DomainEventsTopic', {
      displayName: 'Invoicer domain events',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    mark(this.eventsTopic, EVENTS_TOPIC_ID);
  }

  private table(model: TableModel): dynamodb.Table {
    const isInvoices = model.id === INVOICES_TABLE.id;
    const table = new dynamodb.Table(this, `${model.id}Table`, {
      partitionKey: { name: model.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(model.sortKey ? { sortKey: { name: model.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The invoice index is the register of issued numbers: it must survive a stack deletion.
      deletionProtection: isInvoices,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(model.changeStream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(model.timeToLiveAttribute ? { timeToLiveAttribute: model.timeToLiveAttribute } : {}),
    });
    for (const index of model.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(index.sortKey ? { sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    mark(table, model.id);
    return table;
  }
}

function mark(construct: Construct, name: string): void {
  (construct.node.defaultChild as CfnResource).addMetadata(STORAGE_RESOURCE_METADATA_KEY, name);
}

function requireWholeNumber(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`BillingStorage props.${name}=${value} must be a whole number >= ${min}`);
  }
}
