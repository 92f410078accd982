/**
 * The six Lambda functions of the billing run, each with the grants for exactly the calls its
 * handler makes (see lambdas/shared/store/*): no table-wide read/write, no bucket-wide access.
 */
import { nagStatesArn } from '../nag.js';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SellerConfig } from '../../lambdas/shared/domain/types.js';
import type { BILLING_RUN_FUNCTIONS } from '../../workflows/definition.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { FONT_FILES } from '../../lambdas/shared/documents/font-files.js';
import { METRICS_NAMESPACE } from '../../lambdas/shared/contracts/metrics.js';
import { FUNCTION_MEMORY_MB } from '../function-sizes.js';
import { InvoicerFunction } from './function.js';
import type { BillingStorage } from './storage.js';

/** The TTF fonts the PDF renderer embeds: the renderer's own list (one source of truth). */
export const RENDER_FONTS: readonly string[] = Object.values(FONT_FILES);
export const FONT_DIR = '/var/task/fonts';

/** esbuild afterBundling hook: copies RENDER_FONTS into the bundle's fonts/ (deployed at FONT_DIR). */
export const copyFontsAfterBundling = (inputDir: string, outputDir: string): string[] => [
  `mkdir -p "${outputDir}/fonts"`,
  ...RENDER_FONTS.map(
    (font) => `cp "${inputDir}/node_modules/@expo-google-fonts/${font}" "${outputDir}/fonts/"`,
  ),
];

export interface BillingFunctionsProps {
  readonly storage: BillingStorage;
  readonly stage: string;
  readonly stateMachineName: string;
  readonly scheduleTimeZone: string;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  readonly batchSize: number;
  readonly seller: SellerConfig;
  readonly logRetention: logs.RetentionDays;
}

type FunctionName = (typeof BILLING_RUN_FUNCTIONS)[keyof typeof BILLING_RUN_FUNCTIONS];

export class BillingFunctions extends Construct {
  readonly functions: Record<FunctionName, InvoicerFunction>;
  /** Powertools `service` dimension and metrics namespace shared by all functions. */
  readonly serviceName: string;
  readonly metricsNamespace = METRICS_NAMESPACE;

  constructor(scope: Construct, id: string, props: BillingFunctionsProps) {
    super(scope, id);
    const { storage } = props;
    const { tables, documentsBucket: bucket } = storage;
    this.serviceName = `invoicer-${props.stage}`;
    const environment = { ...storage.environment, [ENV.billingTimeZone]: props.scheduleTimeZone };
    const make = (
      name: FunctionName,
      description: string,
      extra: Partial<ConstructorParameters<typeof InvoicerFunction>[2]> = {},
    ) =>
      new InvoicerFunction(this, toPascal(name), {
        entry: `lambdas/${name}/handler.ts`,
        description,
        serviceName: this.serviceName,
        metricsNamespace: this.metricsNamespace,
        logRetention: props.logRetention,
        ...extra,
        environment: { ...environment, ...extra.environment },
      });

    const planRun = make('plan-run', 'Plans a billing run: period, run lock, customer manifest', {
      timeout: Duration.minutes(5),
      environment: {
        [ENV.maxConcurrency]: String(props.maxConcurrency),
        [ENV.toleratedFailurePercentage]: String(props.toleratedFailurePercentage),
        [ENV.batchSize]: String(props.batchSize),
      },
    });
    const computeInvoice = make('compute-invoice', 'Computes one customer invoice draft', {
      environment: { [ENV.sellerJson]: JSON.stringify(props.seller) },
    });
    const reserveNumber = make('reserve-number', 'Reserves the next gapless invoice number');
    const renderDocuments = make(
      'render-documents',
      'Renders the invoice JSON detail, its summary, the PDF and the e-invoice to S3',
      {
        memorySize: FUNCTION_MEMORY_MB['render-documents'],
        timeout: Duration.minutes(1),
        environment: { [ENV.fontDir]: FONT_DIR },
        afterBundling: copyFontsAfterBundling,
      },
    );
    const compensate = make('compensate', 'Voids a failed reservation and removes its documents');
    const finalizeRun = make('finalize-run', 'Summarizes a billing run from the map results', {
      // The period's analytics rebuild reads every issued document, 32 at a time (an estimate
      // of ~1,000 a second on AWS: ~500,000 a period in its 10-minute budget); past the budget
      // it stops, and the run's summary says to rebuild.
      timeout: Duration.minutes(15),
    });
    this.functions = {
      'plan-run': planRun,
      'compute-invoice': computeInvoice,
      'reserve-number': reserveNumber,
      'render-documents': renderDocuments,
      compensate: compensate,
      'finalize-run': finalizeRun,
    };

    const allow = (fn: InvoicerFunction, sid: string, actions: string[], resources: string[]) =>
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));

    // plan-run: customer scan, run lock + run record, manifest, liveness check of a lock holder.
    allow(planRun, 'ListCustomers', ['dynamodb:Scan'], [tables.Customers.tableArn]);
    allow(
      planRun,
      'RunLockAndRecord',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [tables.Runs.tableArn],
    );
    allow(planRun, 'WriteManifest', ['s3:PutObject'], [bucket.arnForObjects('runs/*/manifest.jsonl')]);
    allow(
      planRun,
      'CheckLockHolder',
      ['states:DescribeExecution'],
      [
        Stack.of(this).formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${props.stateMachineName}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    );

    // compute-invoice: the index row (idempotency), customer, plan, usage of the period; a batch
    // reads the rows and customers, then the plans, with BatchGetItem.
    allow(
      computeInvoice,
      'ReadInvoiceRow',
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      [tables.Invoices.tableArn],
    );
    allow(
      computeInvoice,
      'ReadCustomerAndPlan',
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      [tables.Customers.tableArn, tables.Plans.tableArn],
    );
    allow(computeInvoice, 'ReadUsage', ['dynamodb:Query'], [tables.Usage.tableArn]);
    // ...and the ECB rates, for VAT in a national currency (Art. 230).
    allow(
      computeInvoice,
      'ReadExchangeRates',
      ['s3:GetObject'],
      [bucket.arnForObjects(s3Keys.exchangeRates)],
    );

    // reserve-number: counter increment, then the number's claim + PENDING row in one transaction.
    allow(
      reserveNumber,
      'ReserveNumber',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [tables.Invoices.tableArn],
    );

    // render-documents: the invoice's JSON and PDF.
    allow(renderDocuments, 'WriteDocuments', ['s3:PutObject'], [bucket.arnForObjects('invoices/*')]);

    // compensate: PENDING row -> VOID row (delete + put in one transaction), the attempt's documents.
    allow(
      compensate,
      'VoidReservation',
      ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
      [tables.Invoices.tableArn],
    );
    allow(compensate, 'RemoveDocuments', ['s3:DeleteObject'], [bucket.arnForObjects('invoices/*')]);

    // finalize-run: list and read the map's result files, write the summary, close the run record.
    allow(finalizeRun, 'ReadResults', ['s3:GetObject'], [bucket.arnForObjects('runs/*/results/*')]);
    finalizeRun.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListResults',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['runs/*', `${s3Keys.analyticsPrefix}*`] } },
      }),
    );
    allow(
      finalizeRun,
      'WriteSummary',
      ['s3:PutObject'],
      [
        bucket.arnForObjects('runs/*/summary.json'),
        bucket.arnForObjects('runs/*/issued/*'),
        bucket.arnForObjects('runs/*/failures/*'),
      ],
    );
    allow(finalizeRun, 'CloseRunRecord', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tables.Runs.tableArn]);
    // ...and rebuild the period's analytics files from its issued documents (checked against their
    // recorded hashes), with the ECB rates for the national amounts.
    allow(
      finalizeRun,
      'ReadIssuedDocuments',
      ['s3:GetObject'],
      [bucket.arnForObjects('invoices/*'), bucket.arnForObjects(s3Keys.exchangeRates)],
    );
    allow(
      finalizeRun,
      'WriteAnalytics',
      ['s3:PutObject', 's3:DeleteObject'],
      [bucket.arnForObjects(`${s3Keys.analyticsPrefix}*`)],
    );
    // ...and keep numbers that interrupted reservations took but never claimed as VOID.
    allow(
      finalizeRun,
      'VoidUnclaimedNumbers',
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [tables.Invoices.tableArn],
    );

    // ...and append the period's audit manifests: its rows by period, the chains' heads (AUDIT#
    // items, with the grant above), the manifests under audit/ (read back only to rewrite a lost one).
    allow(finalizeRun, 'ReadPeriodRows', ['dynamodb:Query'], [`${tables.Invoices.tableArn}/index/*`]);
    allow(
      finalizeRun,
      'WriteAuditManifests',
      ['s3:GetObject', 's3:PutObject'],
      [bucket.arnForObjects(`${s3Keys.auditPrefix}*`)],
    );

    const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement);
    const objectPattern = (pattern: string, reason: string) => ({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${pattern}]`,
      reason,
    });
    Validations.of(planRun.role).acknowledge(
      objectPattern(
        'runs/*/manifest.jsonl',
        'Writes the manifest of the run it plans; the run id is generated at run time.',
      ),
      {
        id: `AwsSolutions-IAM5[Resource::${nagStatesArn(planRun.role, `execution:${props.stateMachineName}:*`)}]`,
        reason:
          'Checks whether the execution holding a period lock is still running: any execution of this one state machine.',
      },
    );
    Validations.of(renderDocuments.role).acknowledge(
      objectPattern(
        'invoices/*',
        'Writes invoice documents under invoices/<period>/<customer>/, keys known only at run time.',
      ),
    );
    Validations.of(compensate.role).acknowledge(
      objectPattern(
        'invoices/*',
        "Removes a failed attempt's documents under invoices/, keys known only at run time.",
      ),
    );
    Validations.of(finalizeRun.role).acknowledge(
      objectPattern('runs/*/results/*', "Reads the Distributed Map's result files of the run it finalizes."),
      objectPattern(
        'runs/*/summary.json',
        'Writes the summary of the run it finalizes; the run id is generated at run time.',
      ),
      objectPattern('runs/*/issued/*', 'Writes the JSON Lines parts listing the invoices the run issued.'),
      objectPattern('runs/*/failures/*', 'Writes the JSON Lines parts listing the failures of the run.'),
      objectPattern(
        'audit/*',
        "Appends the period's audit manifests to each series' chain; keys by series and sequence.",
      ),
      objectPattern('invoices/*', "Reads the period's issued documents to rebuild its analytics files."),
      objectPattern(
        `${s3Keys.analyticsPrefix}*`,
        "Rewrites the period's analytics files (analytics/<table>/period=YYYY-MM/), keys by table and period.",
      ),
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(tables.Invoices.node.defaultChild as CfnElement)}.Arn>/index/*]`,
        reason: "Reads the period's rows through the invoice index (byPeriod) to write its audit manifests.",
      },
    );
  }
}

const toPascal = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_m, _dash: string, letter: string) => letter.toUpperCase());
