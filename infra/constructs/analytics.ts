/**
 * SQL over the analytics files (contracts/analytics.ts) on AWS: a Glue database with one table per
 * analytics table, partitions projected from the `period=YYYY-MM` folders (no crawler, no MSCK),
 * an Athena workgroup that enforces its settings (result location, SSE-S3, a bytes-scanned cutoff
 * per query, engine 3), a results bucket whose objects expire, and the managed policy a principal
 * needs to run `invoicer report ... --target aws`.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ANALYTICS_PARTITION,
  ANALYTICS_TABLES,
  ANALYTICS_TABLE_NAMES,
} from '../../lambdas/shared/contracts/analytics.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { nagArn } from '../nag.js';

export interface AnalyticsProps {
  documentsBucket: s3.IBucket;
  accessLogsBucket: s3.IBucket;
  /** Glue database name (lowercase, underscores). */
  databaseName: string;
  workGroupName: string;
  /** A query that would scan more is stopped by Athena (at least 10 MB). */
  bytesScannedCutoffMb: number;
  /** Query results are deleted after this many days. */
  resultsRetentionDays: number;
  /** The first month the period projection covers. */
  firstPeriod?: string;
}

/** Athena result files live under this prefix of the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';

export class Analytics extends Construct {
  readonly database: glue.CfnDatabase;
  readonly workGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly reportsPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bucket = props.documentsBucket;

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        {
          id: 'expire-query-results',
          prefix: ATHENA_RESULTS_PREFIX,
          expiration: Duration.days(props.resultsRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Query results are copies of what the documents bucket keeps: nothing to retain.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: props.databaseName,
        description: 'invoicer analytics tables (Parquet in the documents bucket, partitions projected)',
      },
    });

    for (const table of ANALYTICS_TABLE_NAMES) {
      const location = `s3://${bucket.bucketName}/${s3Keys.analyticsPrefix}${table}/`;
      const glueTable = new glue.CfnTable(this, `Table${table[0]!.toUpperCase()}${table.slice(1)}`, {
        catalogId: stack.account,
        databaseName: props.databaseName,
        tableInput: {
          name: table,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'parquet',
            'projection.enabled': 'true',
            [`projection.${ANALYTICS_PARTITION}.type`]: 'date',
            [`projection.${ANALYTICS_PARTITION}.format`]: 'yyyy-MM',
            [`projection.${ANALYTICS_PARTITION}.range`]: `${props.firstPeriod ?? '2020-01'},NOW`,
            [`projection.${ANALYTICS_PARTITION}.interval`]: '1',
            [`projection.${ANALYTICS_PARTITION}.interval.unit`]: 'MONTHS',
            'storage.location.template': `${location}${ANALYTICS_PARTITION}=\${${ANALYTICS_PARTITION}}/`,
          },
          partitionKeys: [
            { name: ANALYTICS_PARTITION, type: 'string', comment: 'the month a document counts in' },
          ],
          storageDescriptor: {
            location,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
            columns: ANALYTICS_TABLES[table].map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
          },
        },
      });
      glueTable.addResourceDependency(this.database);
    }

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'invoicer reports (invoicer report ... --target aws)',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffMb * 1024 * 1024,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    const catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });
    const databaseArn = stack.formatArn({
      service: 'glue',
      resource: 'database',
      resourceName: props.databaseName,
    });
    const tablesArn = stack.formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${props.databaseName}/*`,
    });
    const workGroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: props.workGroupName,
    });
    this.reportsPolicy = new iam.ManagedPolicy(this, 'ReportsPolicy', {
      description: 'Run invoicer reports with Athena: the workgroup, the Glue tables, the analytics files',
      statements: [
        new iam.PolicyStatement({
          sid: 'RunQueries',
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
            'athena:GetWorkGroup',
          ],
          resources: [workGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadTables',
          actions: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
          ],
          resources: [catalogArn, databaseArn, tablesArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadAnalyticsFiles',
          actions: ['s3:GetObject'],
          // The ECB rates: the OSS report converts at the quarter's last day.
          resources: [
            bucket.arnForObjects(`${s3Keys.analyticsPrefix}*`),
            bucket.arnForObjects(s3Keys.exchangeRates),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ListAnalyticsFiles',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${s3Keys.analyticsPrefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'QueryResults',
          actions: [
            's3:GetObject',
            's3:PutObject',
            's3:AbortMultipartUpload',
            's3:ListBucket',
            's3:GetBucketLocation',
          ],
          resources: [
            this.resultsBucket.bucketArn,
            this.resultsBucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`),
          ],
        }),
      ],
    });

    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    Validations.of(this.reportsPolicy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(bucket as unknown as Construct)}.Arn>/${s3Keys.analyticsPrefix}*]`,
        reason: 'Athena reads the analytics files of any table and month under analytics/.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(this.resultsBucket)}.Arn>/${ATHENA_RESULTS_PREFIX}*]`,
        reason: 'Athena writes and reads query results under results/, keys by query id.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(this, 'glue', `table/${props.databaseName}/*`)}]`,
        reason: 'The reports query every table of the analytics database.',
      },
    );
  }
}
