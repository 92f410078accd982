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

/** Counts of priced units, keyed as PRICES is (so each count meets its own price). */
type Usage = Partial<Record<keyof typeof PRICES, number>>;

/** Per issued invoice: 4 documents, ~1 GET for the analytics rebuild, 7 write units, 1 publish, 2 Lambdas. */
const PER_INVOICE: Usage = {
  s3Put: 4,
  s3Get: 1,
  dynamoWriteUnit: 7,
  snsPublish: 1,
  lambdaRequest: 2,
  // RenderDocuments and ReserveNumber at the benchmark's unqueued medians (~60 ms and ~15 ms).
  lambdaGbSecond:
    (FUNCTION_MEMORY_MB['render-documents'] / 1024) * 0.06 +
    (FUNCTION_MEMORY_MB['reserve-number'] / 1024) * 0.015,
};

/** Per batch of customers: the map child's start (a Standard transition), its Express request, ComputeBatch. */
const PER_BATCH: Usage = {
  standardTransition: 1,
  expressRequest: 1,
  lambdaRequest: 1,
  lambdaGbSecond: (FUNCTION_MEMORY_MB['compute-invoice'] / 1024) * 0.2,
  dynamoReadUnit: 2 * DEFAULT_BATCH_SIZE,
};

/** Per run: its ~12 Standard transitions, PlanRun and FinalizeRun. */
const PER_RUN: Usage = { standardTransition: 12, lambdaRequest: 2 };

const priced = (usage: Usage): number =>
  Object.entries(usage).reduce((usd, [unit, count]) => usd + count * PRICES[unit as keyof typeof PRICES], 0);

export function runCostUsd(counts: { customers: number; issued: number }): number {
  const batches = Math.ceil(counts.customers / DEFAULT_BATCH_SIZE);
  return counts.issued * priced(PER_INVOICE) + batches * priced(PER_BATCH) + priced(PER_RUN);
}
