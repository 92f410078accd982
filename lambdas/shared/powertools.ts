/**
 * Powertools for AWS Lambda: one logger, one metrics and one tracer per process. Logs carry ids
 * only (customer, invoice number, run), never names, emails or addresses.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'invoicer';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Invoicer',
});
export const tracer = new Tracer({ serviceName });
