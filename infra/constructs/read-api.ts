/**
 * The read API on AWS: the Hono app of lambdas/api on one Lambda function behind an API Gateway
 * HTTP API. Every route needs an IAM-signed (SigV4) request: operators and the owner's systems
 * call it with their AWS credentials (`execute-api:Invoke` on the API). Access logs go to their
 * own log group; server errors raise an alarm on the ops topic. The hosted invoice pages
 * (`/i/{token}`, `/i/{token}/pdf|json`) are the exception: customers open them from their
 * notification without credentials; the unguessable token is the key (hosted-links.ts).
 */
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  API_PREFIX,
  HOSTED_PREFIX,
  importPath,
  paymentsPath,
} from '../../lambdas/shared/contracts/api-paths.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { emailDeliveryKey, receivablesKeys, s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { InvoicerFunction } from './function.js';
import { HEX_KEY_32_BYTES } from './secret-key.js';
import type { BillingStorage } from './storage.js';

export interface ReadApiProps {
  readonly storage: BillingStorage;
  readonly apiName: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
}

export class ReadApi extends Construct {
  readonly function: InvoicerFunction;
  /** Serves the record import routes: the only function of the API that writes. */
  readonly importFunction: InvoicerFunction;
  readonly httpApi: apigw.HttpApi;
  /** Signs the API's page cursors (lambdas/api/cursor.ts): a forged cursor is refused unread. */
  readonly cursorKey: secretsmanager.Secret;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly serverErrorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReadApiProps) {
    super(scope, id);
    const { tables, documentsBucket: bucket } = props.storage;
    this.function = new InvoicerFunction(this, 'Handler', {
      entry: 'lambdas/api/handler.ts',
      description: 'The read API: invoice lists from DynamoDB, details and documents from S3',
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
      environment: props.storage.environment,
    });
    const role = this.function.role;
    // Lists and lookups are Queries on the invoice index's GSIs; documents are read (and their
    // download links signed) under invoices/ only.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'QueryInvoiceIndex',
        actions: ['dynamodb:Query'],
        resources: [`${tables.Invoices.tableArn}/index/*`],
      }),
    );
    // ...and the e-mail delivery of an invoice's notification (`EMAIL#` items only).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadEmailDeliveries',
        actions: ['dynamodb:GetItem'],
        resources: [tables.Invoices.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [emailDeliveryKey('*')] } },
      }),
    );
    // ...and a customer's payments, for its statement (`CUSTOMER#` partitions only).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCustomerPayments',
        actions: ['dynamodb:Query'],
        resources: [tables.Receivables.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [receivablesKeys.customer('*')] },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadInvoiceDocuments',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('invoices/*')],
      }),
    );

    // A file that no longer has its recorded hash is not served, and the document's operator log
    // says so: add-only objects under operator-log/invoices/.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordIntegrityAlerts',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${s3Keys.operatorLogPrefix('invoice', '*')}*`)],
      }),
    );
    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'Signs the read API page cursors (invoicer). Changing it ends open cursors only.',
      generateSecretString: HEX_KEY_32_BYTES,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A cursor key protects page cursors that live for one listing; replacing the secret value by hand ends open cursors and nothing else, no rotation Lambda is worth its cost.',
    });
    this.function.function.addEnvironment(ENV.cursorKeyArn, this.cursorKey.secretArn);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCursorKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.cursorKey.secretArn],
      }),
    );

    this.importFunction = this.createImportFunction(props);

    this.httpApi = new apigw.HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'invoicer read API (IAM-authorized)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const integration = new HttpLambdaIntegration('Lambda', this.function.function);
    this.httpApi.addRoutes({
      path: `${API_PREFIX}/{proxy+}`,
      methods: [apigw.HttpMethod.GET],
      integration,
    });
    // The owner's systems import records (IAM-signed like every /v1 route) through their own function.
    const importIntegration = new HttpLambdaIntegration('ImportLambda', this.importFunction.function);
    // ...and payments (lambdas/api/payment-routes.ts), through the same function.
    for (const path of [importPath('{kind}'), paymentsPath, `${paymentsPath}/{proxy+}`])
      this.httpApi.addRoutes({ path, methods: [apigw.HttpMethod.POST], integration: importIntegration });
    const publicRoutes = [`${HOSTED_PREFIX}/{token}`, `${HOSTED_PREFIX}/{token}/{download}`].flatMap((path) =>
      this.httpApi.addRoutes({
        path,
        methods: [apigw.HttpMethod.GET],
        integration,
        authorizer: new apigw.HttpNoneAuthorizer(),
      }),
    );
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The hosted invoice page a customer opens from their notification: the 128-bit token in the path is the credential (stored hashed, revocable).',
      });
    }
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(this.accessLogs) },
    });

    this.serverErrorsAlarm = new cloudwatch.Alarm(this, 'ServerErrors', {
      metric: this.httpApi.metricServerError({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The read API answered with a server error (5xx): see the function logs.',
    });
    this.serverErrorsAlarm.addAlarmAction(new actions.SnsAction(props.storage.opsTopic));

    const stack = Stack.of(this);
    const tableId = stack.getLogicalId(tables.Invoices.node.defaultChild as CfnElement);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: "Lists invoices through the invoice index's GSIs (by customer, period, number, status).",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/invoices/*]`,
        reason: 'Reads the invoice documents an API caller opens, keys known only at request time.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/operator-log/invoices/*/*]`,
        reason: 'One add-only alert object per refused file, named by time under the invoice number.',
      },
    );
  }

  private createImportFunction(props: ReadApiProps): InvoicerFunction {
    const { tables, documentsBucket: bucket } = props.storage;
    const fn = new InvoicerFunction(this, 'ImportHandler', {
      entry: 'lambdas/api/import-handler.ts',
      description: 'The API import routes: customers, plans and usage records into their tables',
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      timeout: Duration.seconds(29),
      memorySize: 1024,
      environment: props.storage.environment,
    });
    // Compares each batch with what is stored, writes the changed items: the record tables only.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ImportRecords',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        resources: [tables.Customers.tableArn, tables.Plans.tableArn, tables.Usage.tableArn],
      }),
    );
    // ...keeps a changed customer's name and e-mail keys in the console's search index...
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'IndexCustomers',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [tables.Search.tableArn],
      }),
    );
    // ...and records who imported what, add-only, under the records' (and invoices') operator log.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordImports',
        actions: ['s3:PutObject'],
        resources: [
          bucket.arnForObjects(`${s3Keys.operatorLogPrefix('records', '*')}*`),
          bucket.arnForObjects(`${s3Keys.operatorLogPrefix('invoice', '*')}*`),
        ],
      }),
    );
    // Payments: matching reads every invoice row and customer name; a payment is one transaction
    // over its Receivables items and the invoice row's paid sum (lambdas/shared/store/receivables.ts).
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MatchPayments',
        actions: ['dynamodb:Scan'],
        resources: [tables.Invoices.tableArn, tables.Customers.tableArn],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindInvoiceByNumber',
        actions: ['dynamodb:Query'],
        resources: [`${tables.Invoices.tableArn}/index/byNumber`],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordPayments',
        actions: ['dynamodb:UpdateItem'],
        resources: [tables.Invoices.tableArn],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PaymentEntries',
        actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [tables.Receivables.tableArn],
      }),
    );
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/operator-log/records/*/*]`,
      reason: 'One add-only object per import, named by time under the imported table.',
    });
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/operator-log/invoices/*/*]`,
      reason: 'One add-only object per payment action, named by time under the invoice number.',
    });
    return fn;
  }

  /** The API's base URL (the `$default` stage). */
  get url(): string {
    return this.stage.url;
  }
}
