/**
 * The deployable stack, proven by synthesis: one app per file (Lambda bundling skipped here; see
 * bundling.test.ts for the bundle itself), Template.fromStack assertions and cdk-nag AwsSolutions.
 */
import { readFileSync } from 'node:fs';
import { App, Validations, type Acknowledgment } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  actionsOf,
  buildApp,
  grants,
  refId,
  resourcesOf,
  templateReader,
  TEST_CONFIG,
  type Json,
} from '../support/stack-template.js';
import { BillingStack } from '../../infra/billing-stack.js';
import {
  ANALYTICS_TABLES,
  ANALYTICS_TABLE_NAMES,
  type AnalyticsTable,
} from '../../lambdas/shared/contracts/analytics.js';
import { FEATURE_FLAGS } from '../../infra/feature-flags.js';
import { DEFAULT_CONFIG } from '../../infra/config.js';
import { BILLING_RUN_ASL_PATH, BILLING_RUN_SUBSTITUTION_KEYS } from '../../workflows/definition.js';
import { storageResourcesByName, synthStorageResources } from '../../infra/local-resources.js';

// Prepare (once per file).
const { app, stack } = buildApp();
const nagReport = new AwsSolutionsChecks(app).validateScope(app);
const template = Template.fromStack(stack);
const { resources, ofType, statementsOf, logicalIdOfTable, documentsBucketId } = templateReader(template);
const secretId = (name: string) =>
  ofType('AWS::SecretsManager::Secret').find(([id]) => id.includes(name))![0];
const linkSecretId = secretId('LinkSecret');
const cursorKeyId = secretId('CursorKey');
const configurationSetId = ofType('AWS::SES::ConfigurationSet')[0]![0];
const emailQueueId = ofType('AWS::SQS::Queue').find(([id]) => /EmailDeliveryQueue/.test(id))![0];
const webhookQueueId = ofType('AWS::SQS::Queue').find(([id]) => /DomainEventsWebhookQueue/.test(id))![0];
const webhookDeadLetterQueueId = ofType('AWS::SQS::Queue').find(([id]) =>
  /DomainEventsWebhookDeadLetterQueue/.test(id),
)![0];
const eventsTopicId = ofType('AWS::SNS::Topic').find(([id]) => /DomainEventsTopic/.test(id))![0];
const customerTopicId = ofType('AWS::SNS::Topic').find(([id]) => /CustomerNotificationsTopic/.test(id))![0];
const topicKeyId = ofType('AWS::KMS::Key')[0]![0];
const failuresBucketId = ofType('AWS::S3::Bucket').find(([id]) => /StreamFailuresBucket/.test(id))![0];

describe('BillingStack', () => {
  it('synthesizes the expected resources', () => {
    const counts: Record<string, number> = {};
    for (const r of Object.values(resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    expect(counts).toMatchObject({
      'AWS::DynamoDB::Table': 8,
      // Documents, access logs, Athena query results, failed stream records.
      'AWS::S3::Bucket': 4,
      'AWS::SNS::Topic': 4,
      'AWS::SNS::Subscription': 4,
      'AWS::Lambda::Function': 13,
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::ApiGatewayV2::Route': 6,
      // The hosted-link secret and the read API's cursor key.
      'AWS::SecretsManager::Secret': 2,
      'AWS::StepFunctions::StateMachine': 1,
      'AWS::Scheduler::Schedule': 2,
      'AWS::SQS::Queue': 6,
      'AWS::CloudWatch::Alarm': 22,
      'AWS::SES::ConfigurationSet': 1,
      'AWS::CloudWatch::Dashboard': 1,
    });
  });

  describe('schedule', () => {
    it('runs monthly at 02:00 on the 1st in Europe/Berlin, with no flexible window', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 1 * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
      });
    });

    it('starts the state machine with the scheduled time, retries, and dead-letters what it cannot deliver', () => {
      const [, schedule] = ofType('AWS::Scheduler::Schedule')[0]!;
      const target = schedule.Properties.Target;
      expect(refId(target.Arn)).toBe(ofType('AWS::StepFunctions::StateMachine')[0]![0]);
      expect(JSON.parse(target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 });
      expect(refId(target.DeadLetterConfig.Arn)).toBe(ofType('AWS::SQS::Queue')[0]![0]);
    });
  });

  describe('analytics', () => {
    it('defines a Glue table per analytics table, its columns from the contract, partitions projected by month', () => {
      const tables = ofType('AWS::Glue::Table').map(([, t]) => t.Properties.TableInput);
      expect(tables.map((t) => t.Name).sort()).toEqual([...ANALYTICS_TABLE_NAMES].sort());
      for (const input of tables) {
        const table = input.Name as AnalyticsTable;
        expect(
          input.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]),
        ).toEqual(ANALYTICS_TABLES[table].map((c) => [c.name, c.type]));
        expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'period', Type: 'string' })]);
        expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toMatch(/ParquetHiveSerDe$/);
        expect(input.Parameters).toMatchObject({
          'projection.enabled': 'true',
          'projection.period.type': 'date',
          'projection.period.format': 'yyyy-MM',
          'projection.period.interval.unit': 'MONTHS',
        });
        // The template names the bucket by reference; the key layout is the writer's.
        expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
          `/analytics/${table}/period=\${period}/`,
        );
      }
      // No crawler: the partitions are projected.
      expect(ofType('AWS::Glue::Crawler')).toHaveLength(0);
    });

    it('enforces the workgroup settings: a bytes-scanned cutoff, encrypted results that expire', () => {
      const [[, workGroup]] = ofType('AWS::Athena::WorkGroup') as [[string, (typeof resources)[string]]];
      const config = workGroup!.Properties.WorkGroupConfiguration;
      expect(config.EnforceWorkGroupConfiguration).toBe(true);
      expect(config.BytesScannedCutoffPerQuery).toBe(
        DEFAULT_CONFIG.analyticsBytesScannedCutoffMb * 1024 * 1024,
      );
      expect(config.ResultConfiguration.EncryptionConfiguration).toEqual({ EncryptionOption: 'SSE_S3' });
      const resultsBucket = ofType('AWS::S3::Bucket').find(([id]) => /ResultsBucket/.test(id))![1];
      expect(resultsBucket.Properties.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Prefix: 'results/',
            ExpirationInDays: DEFAULT_CONFIG.athenaResultsRetentionDays,
          }),
        ]),
      );
    });

    it('gives report users one managed policy: the workgroup, the tables, the analytics files', () => {
      const [[, policy]] = ofType('AWS::IAM::ManagedPolicy').filter(([id]) => /ReportsPolicy/.test(id)) as [
        [
          string,
          { Properties: { PolicyDocument: { Statement: { Sid: string; Action: string | string[] }[] } } },
        ],
      ];
      const sids = policy.Properties.PolicyDocument.Statement.map((st) => st.Sid);
      expect(sids).toEqual([
        'RunQueries',
        'ReadTables',
        'ReadAnalyticsFiles',
        'ListAnalyticsFiles',
        'QueryResults',
      ]);
      const actions = policy.Properties.PolicyDocument.Statement.flatMap((st) => [st.Action].flat());
      expect(actions).not.toContain('s3:PutObject*');
      expect(actions.filter((a) => a.endsWith('*'))).toEqual([]);
    });
  });

  describe('storage', () => {
    it('turns on point-in-time recovery for every table and deletion protection for the invoice index', () => {
      for (const [, table] of ofType('AWS::DynamoDB::Table')) {
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      }
      expect(resources[logicalIdOfTable('Invoices')].Properties.DeletionProtectionEnabled).toBe(true);
      expect(resources[logicalIdOfTable('Invoices')].DeletionPolicy).toBe('Retain');
    });

    it('versions the documents, blocks public access, encrypts, logs access and requires TLS', () => {
      const bucket = resources[documentsBucketId].Properties;
      expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({
        NoncurrentDays: 7,
      });
      expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({
        Ref: expect.stringContaining('AccessLogsBucket'),
      });
      for (const [, b] of ofType('AWS::S3::Bucket')) {
        expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(
          b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
            .SSEAlgorithm,
        ).toBe('AES256');
      }
      const denyInsecure = Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]);
      template.resourcePropertiesCountIs(
        'AWS::S3::BucketPolicy',
        { PolicyDocument: { Statement: denyInsecure } },
        4,
      );
      template.resourcePropertiesCountIs(
        'AWS::SNS::TopicPolicy',
        { PolicyDocument: { Statement: denyInsecure } },
        4,
      );
    });

    it('encrypts both topics with a rotated key that CloudWatch alarms may use, and subscribes the ops e-mail', () => {
      const [keyId, key] = ofType('AWS::KMS::Key')[0]!;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      );
      for (const [, topic] of ofType('AWS::SNS::Topic'))
        expect(refId(topic.Properties.KmsMasterKeyId)).toBe(keyId);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
      });
    });

    it('is the very storage the local stack creates (same logical ids, same properties)', () => {
      const local = storageResourcesByName(synthStorageResources());
      expect(Object.keys(local)).toHaveLength(13);
      for (const [name, resource] of Object.entries(local)) {
        const deployed = resources[resource.logicalId];
        expect({ name, Type: deployed?.Type, Properties: deployed?.Properties }).toEqual({
          name,
          Type: resource.Type,
          Properties: resource.Properties,
        });
      }
    });
  });

  describe('state machine', () => {
    const [smId, sm] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const asl = readFileSync(BILLING_RUN_ASL_PATH, 'utf8');

    it('is a Standard machine logging ALL with execution data to a retained log group, traced by X-Ray', () => {
      expect(sm.Properties.StateMachineType).toBe('STANDARD');
      expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(sm.Properties.LoggingConfiguration.Level).toBe('ALL');
      expect(sm.Properties.LoggingConfiguration.IncludeExecutionData).toBe(true);
      const logGroupId = refId(
        sm.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn,
      );
      expect(resources[logGroupId!].Properties.RetentionInDays).toBe(30);
    });

    it('deploys the shared ASL file with every placeholder substituted, and its map children are Express', () => {
      expect(sm.Properties.DefinitionS3Location).toBeDefined();
      const placeholders = new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
      expect(placeholders.size).toBeGreaterThan(0);
      expect([...placeholders].sort()).toEqual([...BILLING_RUN_SUBSTITUTION_KEYS].sort());
      const substitutions = sm.Properties.DefinitionSubstitutions as Record<string, Json>;
      expect(Object.keys(substitutions).sort()).toEqual([...BILLING_RUN_SUBSTITUTION_KEYS].sort());
      for (const value of Object.values(substitutions)) expect(refId(value)).toBeDefined();
      const map = JSON.parse(asl).States.ProcessCustomers;
      expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    });

    it("allows exactly the calls the ASL's task integrations make, on the resources they name", () => {
      const substitutions = sm.Properties.DefinitionSubstitutions as Record<string, Json>;
      const allowed = grants(statementsOf('StateMachineRole'));
      const required: string[] = [];
      const visit = (states: Record<string, Json>) => {
        for (const state of Object.values(states)) {
          if (state.ItemProcessor) visit(state.ItemProcessor.States);
          if (state.Type !== 'Task') continue;
          const [, service, api] = /^arn:aws:states:::([a-z]+):([A-Za-z]+)$/.exec(state.Resource) ?? [];
          const p = state.Parameters;
          const target = (placeholder: string) =>
            `<${refId(substitutions[/\$\{(\w+)\}/.exec(placeholder)![1]!])}>`;
          if (service === 'lambda') required.push(`lambda:InvokeFunction ${target(p.FunctionName)}`);
          else if (service === 'dynamodb')
            required.push(`dynamodb:${api![0]!.toUpperCase()}${api!.slice(1)} ${target(p.TableName)}`);
          else if (service === 'sns') required.push(`sns:Publish ${target(p.TopicArn)}`);
          else throw new Error(`unexpected integration ${state.Resource}`);
        }
      };
      visit(JSON.parse(asl).States);
      expect(required.length).toBeGreaterThanOrEqual(10);
      for (const grant of required) expect(allowed).toContain(grant);
      // Distributed Map: its own children, its manifest, its results.
      const name = sm.Properties.StateMachineName;
      expect(allowed).toContain(
        `states:StartExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${name}`,
      );
      for (const suffix of [':*', '/*']) {
        expect(allowed).toContain(
          `states:DescribeExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}${suffix}`,
        );
        expect(allowed).toContain(
          `states:StopExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}${suffix}`,
        );
      }
      expect(allowed).toContain(`s3:GetObject <${documentsBucketId}>/runs/*/manifest.jsonl`);
      expect(allowed).toContain(`s3:PutObject <${documentsBucketId}>/runs/*/results/*`);
      expect(refId(sm.Properties.RoleArn)).toBeDefined();
      expect(smId).toContain('BillingRun');
    });

    it('uses "*" only for X-Ray and log delivery, which have no resource-level permissions', () => {
      for (const s of statementsOf('StateMachineRole').filter((s) => resourcesOf(s).includes('*'))) {
        for (const action of actionsOf(s))
          expect(action).toMatch(
            /^(xray:|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))/,
          );
      }
    });
  });

  describe('functions', () => {
    const functions = ofType('AWS::Lambda::Function');

    it('run on the newest Node.js runtime, ARM64, traced, with Powertools settings and retained logs', () => {
      expect(functions).toHaveLength(13);
      for (const [, fn] of functions) {
        const p = fn.Properties;
        expect(p.Runtime).toBe('nodejs24.x');
        expect(p.Architectures).toEqual(['arm64']);
        expect(p.TracingConfig).toEqual({ Mode: 'Active' });
        expect(p.Handler).toBe('index.handler');
        expect(p.Environment.Variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'invoicer-test',
          POWERTOOLS_METRICS_NAMESPACE: 'Invoicer',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          INVOICES_TABLE: { Ref: logicalIdOfTable('Invoices') },
          DOCUMENTS_BUCKET: { Ref: documentsBucketId },
        });
        const logGroupId = refId(p.LoggingConfig.LogGroup);
        expect(resources[logGroupId!].Properties.RetentionInDays).toBe(30);
      }
    });

    it('gives the renderer its fonts directory and compute-invoice the seller', () => {
      const env = (part: string) =>
        functions.find(([id]) => id.includes(part))![1].Properties.Environment.Variables;
      expect(env('RenderDocuments').INVOICER_FONT_DIR).toBe('/var/task/fonts');
      expect(JSON.parse(env('ComputeInvoice').SELLER_JSON)).toEqual(DEFAULT_CONFIG.seller);
      expect(env('PlanRun')).toMatchObject({
        BILLING_TIME_ZONE: 'Europe/Berlin',
        MAX_CONCURRENCY: '50',
        TOLERATED_FAILURE_PERCENTAGE: '10',
      });
    });

    it('have no managed policies: each role may write its own log group and nothing else by default', () => {
      const roles = ofType('AWS::IAM::Role').filter(([id]) => !id.startsWith('SupportRoles'));
      expect(roles.length).toBeGreaterThan(10);
      for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    const bucket = `<${documentsBucketId}>`;
    const table = (id: string) => `<${logicalIdOfTable(id)}>`;
    const expected: Record<string, string[]> = {
      PlanRun: [
        `dynamodb:Scan ${table('Customers')}`,
        `dynamodb:GetItem ${table('Runs')}`,
        `dynamodb:PutItem ${table('Runs')}`,
        `dynamodb:UpdateItem ${table('Runs')}`,
        `s3:PutObject ${bucket}/runs/*/manifest.jsonl`,
        'states:DescribeExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:invoicer-test-billing-run:*',
      ],
      ComputeInvoice: [
        `dynamodb:GetItem ${table('Invoices')}`,
        `dynamodb:BatchGetItem ${table('Invoices')}`,
        `dynamodb:GetItem ${table('Customers')}`,
        `dynamodb:BatchGetItem ${table('Customers')}`,
        `dynamodb:GetItem ${table('Plans')}`,
        `dynamodb:BatchGetItem ${table('Plans')}`,
        `dynamodb:Query ${table('Usage')}`,
        `s3:GetObject ${bucket}/reference/ecb-rates.json`,
        // The hosted link of an invoice whose notification it resends.
        `dynamodb:PutItem ${table('Invoices')}`,
        `secretsmanager:GetSecretValue <${linkSecretId}>`,
      ],
      ReserveNumber: [
        `dynamodb:GetItem ${table('Invoices')}`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `dynamodb:UpdateItem ${table('Invoices')}`,
      ],
      RenderDocuments: [
        `s3:PutObject ${bucket}/invoices/*`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `secretsmanager:GetSecretValue <${linkSecretId}>`,
      ],
      Compensate: [
        `dynamodb:GetItem ${table('Invoices')}`,
        `dynamodb:DeleteItem ${table('Invoices')}`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `s3:DeleteObject ${bucket}/invoices/*`,
      ],
      DeliverEmail: [
        `dynamodb:GetItem ${table('Invoices')}`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `dynamodb:UpdateItem ${table('Invoices')}`,
        `dynamodb:GetItem ${table('Customers')}`,
        `s3:GetObject ${bucket}/invoices/*`,
        'ses:SendEmail arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/invoicer.example',
        `ses:SendEmail arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSetId}>`,
        // The SQS event source mapping's own calls.
        `sqs:ReceiveMessage <${emailQueueId}>`,
        `sqs:ChangeMessageVisibility <${emailQueueId}>`,
        `sqs:GetQueueUrl <${emailQueueId}>`,
        `sqs:DeleteMessage <${emailQueueId}>`,
        `sqs:GetQueueAttributes <${emailQueueId}>`,
      ],
      EmailFeedback: [
        `dynamodb:UpdateItem ${table('Invoices')}`,
        `dynamodb:Query ${table('Invoices')}/index/byNumber`,
      ],
      PublishEvents: [
        // The DynamoDB event source mappings' own reads of the two streams.
        ...['Invoices', 'Runs'].flatMap((t) =>
          ['DescribeStream', 'GetRecords', 'GetShardIterator'].map((a) => `dynamodb:${a} ${table(t)}`),
        ),
        'dynamodb:ListStreams *',
        `kms:Decrypt <${topicKeyId}>`,
        `kms:GenerateDataKey* <${topicKeyId}>`,
        `sns:Publish <${eventsTopicId}>`,
        `s3:PutObject ${bucket}/events/*`,
        // The on-failure destination's grant: read-write on its own bucket, nothing else.
        ...[
          'Abort*',
          'DeleteObject*',
          'GetBucket*',
          'GetObject*',
          'List*',
          'PutObject',
          'PutObjectLegalHold',
          'PutObjectRetention',
          'PutObjectTagging',
          'PutObjectVersionTagging',
        ].flatMap((a) => [`s3:${a} <${failuresBucketId}>`, `s3:${a} <${failuresBucketId}>/*`]),
      ],
      DeliverWebhooks: [
        `dynamodb:GetItem ${table('Webhooks')}`,
        `dynamodb:PutItem ${table('Webhooks')}`,
        `dynamodb:Query ${table('Webhooks')}`,
        `sqs:SendMessage <${webhookQueueId}>`,
        `sqs:SendMessage <${webhookDeadLetterQueueId}>`,
        // The SQS event source mapping's own calls.
        ...[
          'ReceiveMessage',
          'ChangeMessageVisibility',
          'GetQueueUrl',
          'DeleteMessage',
          'GetQueueAttributes',
        ].map((a) => `sqs:${a} <${webhookQueueId}>`),
      ],
      ReadApiHandler: [
        `dynamodb:Query ${table('Invoices')}/index/*`,
        `s3:GetObject ${bucket}/invoices/*`,
        `s3:PutObject ${bucket}/operator-log/invoices/*/*`,
        `secretsmanager:GetSecretValue <${cursorKeyId}>`,
        `dynamodb:GetItem ${table('Invoices')}`,
        // A customer's payments, for its statement.
        `dynamodb:Query ${table('Receivables')}`,
      ],
      // The import routes' own function: the record tables, payments, and their operator log.
      ReadApiImportHandler: [
        ...['Customers', 'Plans', 'Usage'].flatMap((t) => [
          `dynamodb:BatchGetItem ${table(t)}`,
          `dynamodb:BatchWriteItem ${table(t)}`,
        ]),
        `dynamodb:BatchWriteItem ${table('Search')}`,
        `s3:PutObject ${bucket}/operator-log/records/*/*`,
        `s3:PutObject ${bucket}/operator-log/invoices/*/*`,
        `dynamodb:Scan ${table('Invoices')}`,
        `dynamodb:Scan ${table('Customers')}`,
        `dynamodb:Query ${table('Invoices')}/index/byNumber`,
        `dynamodb:UpdateItem ${table('Invoices')}`,
        `dynamodb:Query ${table('Receivables')}`,
        `dynamodb:PutItem ${table('Receivables')}`,
        `dynamodb:DeleteItem ${table('Receivables')}`,
      ],
      // The daily reminder job: the invoice index, its claims, the customer topic, hosted links.
      RemindersSendReminders: [
        `dynamodb:Scan ${table('Invoices')}`,
        `dynamodb:BatchGetItem ${table('Invoices')}`,
        `dynamodb:UpdateItem ${table('Invoices')}`,
        ...['Scan', 'Query', 'PutItem', 'UpdateItem'].map((a) => `dynamodb:${a} ${table('Receivables')}`),
        `kms:Decrypt <${topicKeyId}>`,
        `kms:GenerateDataKey* <${topicKeyId}>`,
        `sns:Publish <${customerTopicId}>`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `secretsmanager:GetSecretValue <${linkSecretId}>`,
      ],
      FinalizeRun: [
        `s3:GetObject ${bucket}/runs/*/results/*`,
        `s3:ListBucket ${bucket}`,
        `s3:PutObject ${bucket}/runs/*/summary.json`,
        `s3:PutObject ${bucket}/runs/*/issued/*`,
        `s3:PutObject ${bucket}/runs/*/failures/*`,
        `dynamodb:UpdateItem ${table('Runs')}`,
        `dynamodb:GetItem ${table('Invoices')}`,
        `dynamodb:BatchGetItem ${table('Invoices')}`,
        `dynamodb:PutItem ${table('Invoices')}`,
        `dynamodb:Query ${table('Invoices')}/index/*`,
        `s3:GetObject ${bucket}/audit/*`,
        `s3:PutObject ${bucket}/audit/*`,
        `dynamodb:UpdateItem ${table('Invoices')}`,
        // The period's analytics files, rebuilt from its issued documents.
        `dynamodb:GetItem ${table('Runs')}`,
        `s3:GetObject ${bucket}/invoices/*`,
        `s3:GetObject ${bucket}/reference/ecb-rates.json`,
        `s3:PutObject ${bucket}/analytics/*`,
        `s3:DeleteObject ${bucket}/analytics/*`,
      ],
    };

    it.each(Object.entries(expected))(
      '%s may call exactly what its handler calls, on the resources it touches',
      (name, calls) => {
        const statements = statementsOf(`${name}Role`);
        const own = [...grants(statements)].filter((g) => !g.startsWith('xray:') && !g.startsWith('logs:'));
        expect(own.sort()).toEqual([...calls].sort());
        // The only "*" is X-Ray's (and a stream mapping's ListStreams); logs go to the function's own log group.
        for (const s of statements.filter((s) => resourcesOf(s).includes('*'))) {
          expect(actionsOf(s).every((a) => a.startsWith('xray:') || a === 'dynamodb:ListStreams')).toBe(true);
        }
        const logs = [...grants(statements)].filter((g) => g.startsWith('logs:'));
        expect(logs.length).toBeGreaterThan(0);
        expect(logs.every((g) => /^logs:(CreateLogStream|PutLogEvents) <\w+LogsD?\w*>$/.test(g))).toBe(true);
      },
    );

    it('lists the prefix of finalize-run only under runs/ and analytics/', () => {
      const list = statementsOf('FinalizeRunRole').find((s) => actionsOf(s).includes('s3:ListBucket'));
      expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*', 'analytics/*'] } });
    });
  });

  describe('support roles', () => {
    const roleOf = (name: string) =>
      ofType('AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === name)![1].Properties;
    const granted = (path: string) => [...grants(statementsOf(path))];
    const table = (id: string) => `<${logicalIdOfTable(id)}>`;

    it('are named for the stage, assumable in this account, and carry the reports policy', () => {
      for (const name of ['invoicer-test-support', 'invoicer-test-operator']) {
        const role = roleOf(name);
        expect(role.AssumeRolePolicyDocument.Statement[0].Principal.AWS['Fn::Join'][1]).toContain(':root');
        expect(role.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/^AnalyticsReportsPolicy/) }]);
      }
    });

    it('the support role only reads; the operator role reads the same and acts', () => {
      const support = granted('SupportRolesSupport');
      const operator = granted('SupportRolesOperator');
      const writes =
        /^(dynamodb:(Put|Update|Delete|BatchWrite)|s3:Put|s3:Delete|states:(Start|Redrive|Stop)|sns:Publish|lambda:Invoke|kms:GenerateDataKey)/;
      expect(support.filter((g) => writes.test(g))).toEqual([]);
      expect(support).toEqual(
        expect.arrayContaining([
          `dynamodb:Query ${table('Invoices')}/index/*`,
          `s3:GetObject <${documentsBucketId}>/*`,
        ]),
      );
      for (const g of support) expect(operator).toContain(g);
      expect(operator).toEqual(
        expect.arrayContaining([
          `dynamodb:UpdateItem ${table('Invoices')}`,
          `dynamodb:DeleteItem ${table('Runs')}`,
          `s3:PutObject <${documentsBucketId}>/*`,
          expect.stringMatching(/^states:StartExecution <BillingRun/),
          expect.stringMatching(/^states:RedriveExecution arn:/),
          expect.stringMatching(/^sns:Publish <StorageCustomerNotifications/),
          expect.stringMatching(/^lambda:InvokeFunction <RemindersSendReminders/),
        ]),
      );
      expect(operator.some((g) => g.startsWith('s3:DeleteObject'))).toBe(false);
    });
  });

  describe('monitoring', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const opsTopicId = ofType('AWS::SNS::Topic').find(([id]) => id.includes('OpsSummary'))![0];

    it('alarms on failed, timed-out and aborted runs, failed customers, Lambda errors/throttles, dead letters and API server errors', () => {
      const names = alarms.map((a) => `${a.Namespace}/${a.MetricName}`).sort();
      expect(names).toEqual(
        [
          'AWS/States/ExecutionsAborted',
          'AWS/States/ExecutionsFailed',
          'AWS/States/ExecutionsTimedOut',
          'Invoicer/InvoicesFailed',
          'AWS/SQS/ApproximateNumberOfMessagesVisible',
          'AWS/SQS/ApproximateNumberOfMessagesVisible',
          // Webhook dead letters, the change-stream mapper's errors and its streams' iterator age.
          'AWS/SQS/ApproximateNumberOfMessagesVisible',
          'AWS/Lambda/IteratorAge',
          'AWS/ApiGateway/5xx',
          ...Array(7).fill('AWS/Lambda/Errors'),
          ...Array(6).fill('AWS/Lambda/Throttles'),
        ].sort(),
      );
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: opsTopicId }]);
    });

    it('has a dashboard', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'invoicer-test-billing',
      });
    });
  });

  describe('read API', () => {
    it('takes only IAM-signed requests under /v1 (GETs, and imports through their own function) and open GETs of hosted pages', () => {
      const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
      expect(routes).toEqual([
        expect.objectContaining({ RouteKey: 'GET /v1/{proxy+}', AuthorizationType: 'AWS_IAM' }),
        expect.objectContaining({ RouteKey: 'POST /v1/imports/{kind}', AuthorizationType: 'AWS_IAM' }),
        expect.objectContaining({ RouteKey: 'POST /v1/payments', AuthorizationType: 'AWS_IAM' }),
        expect.objectContaining({ RouteKey: 'POST /v1/payments/{proxy+}', AuthorizationType: 'AWS_IAM' }),
        expect.objectContaining({ RouteKey: 'GET /i/{token}', AuthorizationType: 'NONE' }),
        expect.objectContaining({ RouteKey: 'GET /i/{token}/{download}', AuthorizationType: 'NONE' }),
      ]);
      expect(ofType('AWS::ApiGatewayV2::Integration')).toHaveLength(2);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    });

    it('logs every request of its $default stage and outputs its URL', () => {
      const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Json]];
      expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
      expect(refId(stage.Properties.AccessLogSettings.DestinationArn)).toMatch(/ReadApiAccessLogs/);
      expect(template.toJSON().Outputs.ReadApiUrl).toBeDefined();
    });

    it('lets only link items be written and read for hosted links (dynamodb:LeadingKeys LINK#*)', () => {
      for (const [role, sid] of [
        ['RenderDocumentsRole', 'WriteHostedLinks'],
        ['ComputeInvoiceRole', 'WriteHostedLinks'],
        ['ReadApiHandlerRole', 'ReadHostedLinks'],
      ] as const) {
        const statement = statementsOf(role).find((s: Json) => s.Sid === sid);
        expect(statement.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LINK#*'] },
        });
      }
    });

    it('points hosted links at the API, or at the configured public base URL, signed by a retained secret', () => {
      const env = (part: string) =>
        ofType('AWS::Lambda::Function').find(([id]) => id.includes(part))![1].Properties.Environment
          .Variables;
      const apiId = ofType('AWS::ApiGatewayV2::Api')[0]![0];
      expect(env('RenderDocuments').PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
      expect(env('RenderDocuments').LINK_SECRET_ARN).toEqual({ Ref: linkSecretId });
      const secrets = new Map(ofType('AWS::SecretsManager::Secret'));
      expect(secrets.get(linkSecretId).DeletionPolicy).toBe('Retain');
      // The cursor key signs page cursors only: the read API alone reads it, and it may go with the stack.
      expect(secrets.get(cursorKeyId).DeletionPolicy).toBe('Delete');
      expect(env('ReadApiHandler').CURSOR_KEY_ARN).toEqual({ Ref: cursorKeyId });
      const custom = new BillingStack(
        new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } }),
        'Custom',
        {
          config: { ...TEST_CONFIG, publicBaseUrl: 'https://billing.example.com' },
        },
      );
      const customEnv = Template.fromStack(custom).findResources('AWS::Lambda::Function');
      const render = Object.entries(customEnv).find(([id]) => id.includes('RenderDocuments'))![1] as Json;
      expect(render.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://billing.example.com');
    });
  });

  describe('e-mail delivery', () => {
    it('subscribes its queue to the customer topic raw, for the e-mailed event types only, with a DLQ', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        RawMessageDelivery: true,
        FilterPolicy: { eventType: ['invoice.issued', 'credit_note.issued', 'invoice.payment_reminder'] },
        Endpoint: { 'Fn::GetAtt': [emailQueueId, 'Arn'] },
      });
      const queue = resources[emailQueueId].Properties;
      expect(queue.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(queue.VisibilityTimeout).toBe(180);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('sends from the configured address in a configuration set whose feedback reaches EmailFeedback', () => {
      const env = ofType('AWS::Lambda::Function').find(([id]) => id.includes('DeliverEmail'))![1].Properties
        .Environment.Variables;
      expect(env.EMAIL_FROM).toBe('billing@invoicer.example');
      expect(env.SES_CONFIGURATION_SET).toEqual({ Ref: configurationSetId });
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: Match.objectLike({
          MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
          Enabled: true,
        }),
      });
    });

    it('is not deployed without emailFrom', () => {
      const { emailFrom: _from, sesIdentity: _identity, ...withoutEmail } = TEST_CONFIG;
      const plain = new BillingStack(
        new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } }),
        'NoEmail',
        { config: withoutEmail },
      );
      expect(Object.keys(Template.fromStack(plain).findResources('AWS::SES::ConfigurationSet'))).toEqual([]);
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    it('reports zero unacknowledged findings', () => {
      expect(
        nagReport.violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
      ).toEqual([]);
      expect(nagReport.success).toBe(true);
    });

    it('acknowledges only real findings, each with a specific reason', () => {
      // Assess the raw findings: build the same app with acknowledgements recorded instead of applied.
      const acknowledged: (Acknowledgment & { path: string })[] = [];
      const original = Validations.prototype.acknowledge;
      Validations.prototype.acknowledge = function (
        this: { scope: { node: { path: string } } },
        ...rules: Acknowledgment[]
      ) {
        acknowledged.push(...rules.map((r) => ({ ...r, path: this.scope.node.path })));
      } as typeof original;
      let raw;
      try {
        raw = new AwsSolutionsChecks().validateScope(buildApp().app);
      } finally {
        Validations.prototype.acknowledge = original;
      }
      const findings = raw.violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
      );
      expect(findings.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const ack of acknowledged) {
        expect({
          ack: ack.id,
          at: ack.path,
          matched: findings.some((f) => f.id === ack.id && f.path.startsWith(`${ack.path}/`)),
        }).toEqual({
          ack: ack.id,
          at: ack.path,
          matched: true,
        });
        expect(ack.reason.length).toBeGreaterThanOrEqual(40);
      }
      for (const finding of findings) {
        expect(acknowledged.some((a) => a.id === finding.id && finding.path.startsWith(`${a.path}/`))).toBe(
          true,
        );
      }
    });
  });
});
