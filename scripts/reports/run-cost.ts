/**
 * A run's AWS cost at list prices, estimated from its counts (report runs): what each issued
 * invoice and each batch of customers costs by the calls the design makes (docs/architecture.md).
 * `npm run bench` measures the same from a run's recorded calls; this is the estimate for runs
 * that were not benchmarked: $0.028 per 1,000 invoices at batch 25, against the benchmark's
 * measured $0.0295 (docs/benchmarks.md).
 */
import { DEFAULT_BATCH_SIZE } from '../../lambdas/shared/config.js';
import { FUNCTION_MEMORY_MB } from '../../infra/function-sizes.js';
import { PRICES } from '../cost-model.js';

/** Per issued invoice: 4 documents + 3 analytics reads/writes amortized to ~1 GET, 7 write units, 1 publish, 2 Lambdas. */
const PER_INVOICE = {
  s3Puts: 4,
  s3Gets: 1,
  dynamoWriteUnits: 7,
  snsPublishes: 1,
  lambdaRequests: 2,
  /** RenderDocuments and ReserveNumber at the benchmark's unqueued medians (~60 ms and ~15 ms). */
  lambdaGbSeconds:
    (FUNCTION_MEMORY_MB['render-documents'] / 1024) * 0.06 +
    (FUNCTION_MEMORY_MB['reserve-number'] / 1024) * 0.015,
};

/** Per batch of customers: the map child's start (a Standard transition), its Express request, ComputeBatch. */
const PER_BATCH = {
  standardTransitions: 1,
  expressRequests: 1,
  lambdaRequests: 1,
  lambdaGbSeconds: (FUNCTION_MEMORY_MB['compute-invoice'] / 1024) * 0.2,
  dynamoReadUnits: 2 * DEFAULT_BATCH_SIZE,
};

/** Per run: its ~12 Standard transitions, PlanRun and FinalizeRun. */
const PER_RUN = { standardTransitions: 12, lambdaRequests: 2 };

export function runCostUsd(counts: { customers: number; issued: number }): number {
  const batches = Math.ceil(counts.customers / DEFAULT_BATCH_SIZE);
  const invoice =
    PER_INVOICE.s3Puts * PRICES.s3Put +
    PER_INVOICE.s3Gets * PRICES.s3Get +
    PER_INVOICE.dynamoWriteUnits * PRICES.dynamoWriteUnit +
    PER_INVOICE.snsPublishes * PRICES.snsPublish +
    PER_INVOICE.lambdaRequests * PRICES.lambdaRequest +
    PER_INVOICE.lambdaGbSeconds * PRICES.lambdaGbSecond;
  const batch =
    PER_BATCH.standardTransitions * PRICES.standardTransition +
    PER_BATCH.expressRequests * PRICES.expressRequest +
    PER_BATCH.lambdaRequests * PRICES.lambdaRequest +
    PER_BATCH.lambdaGbSeconds * PRICES.lambdaGbSecond +
    PER_BATCH.dynamoReadUnits * PRICES.dynamoReadUnit;
  const fixed =
    PER_RUN.standardTransitions * PRICES.standardTransition + PER_RUN.lambdaRequests * PRICES.lambdaRequest;
  return counts.issued * invoice + batches * batch + fixed;
}
