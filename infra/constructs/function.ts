/**
 * The house Lambda function: NodejsFunction bundled locally with esbuild (no Docker), ESM, the
 * current Node.js runtime on ARM64, active tracing, Powertools environment, its own log group with
 * retention, source maps, and a role with no managed policy (each caller grants what it needs).
 */
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../function-sizes.js';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: entries, the lock file and node_modules (for command hooks) live here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lambda's newest Node.js runtime in this aws-cdk-lib (cdk-nag L1 checks for the newest). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface InvoicerFunctionProps {
  /** Entry file relative to the project root, e.g. `lambdas/plan-run/handler.ts` (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Becomes POWERTOOLS_SERVICE_NAME, the `service` dimension of the function's metrics. */
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly environment?: Record<string, string>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly logRetention: logs.RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Extra shell commands after esbuild, given (inputDir, outputDir). */
  readonly afterBundling?: (inputDir: string, outputDir: string) => string[];
}

export class InvoicerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InvoicerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (invoicer)`,
    });
    // Writes to its own log group only (instead of AWSLambdaBasicExecutionRole's logs:* on every group).
    this.logGroup.grantWrite(this.role);

    const commandHooks: ICommandHooks = {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: props.afterBundling ?? (() => []),
    };

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.powertoolsServiceName]: props.serviceName,
        [ENV.powertoolsMetricsNamespace]: props.metricsNamespace,
        [ENV.powertoolsLogLevel]: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        platform: 'node',
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
        // The Lambda runtime ships AWS SDK v3; bundling it again only grows the package.
        externalModules: ['@aws-sdk/*'],
        // CommonJS dependencies bundled into an ES module still call require(); give them one.
        banner:
          "import { createRequire as __invoicerCreateRequire } from 'node:module'; const require = __invoicerCreateRequire(import.meta.url);",
        commandHooks,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions; every other statement names its resources.',
    });
  }
}
