/**
 * Powertools for AWS Lambda on Lambda: the logger, EMF metrics and X-Ray capture of the SDK
 * clients, configured by CDK through POWERTOOLS_* variables. Used by the handlers' `fromEnv()`
 * only; the local harness gives handlers its own logger and metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ENV } from './contracts/env.js';
import { METRICS_NAMESPACE } from './contracts/metrics.js';
import type { Observability } from './handler.js';

export interface LambdaObservability extends Observability {
  /** X-Ray subsegments per AWS call (AwsClientOptions.decorate). */
  traceClient: <C>(client: C) => C;
}

export function lambdaObservability(env: NodeJS.ProcessEnv): LambdaObservability {
  const serviceName = env[ENV.powertoolsServiceName] ?? 'invoicer';
  const metrics = new Metrics({
    serviceName,
    namespace: env[ENV.powertoolsMetricsNamespace] ?? METRICS_NAMESPACE,
  });
  const tracer = new Tracer({ serviceName });
  return {
    logger: new Logger({ serviceName }),
    metrics: {
      count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
      flush: () => {
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      },
    },
    traceClient: (client) => tracer.captureAWSv3Client(client),
  };
}
