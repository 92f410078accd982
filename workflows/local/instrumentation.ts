import type { AwsCallMiddleware } from '../../lambdas/shared/aws/clients.js';

/**
 * Counters and timings for the cost model and the benchmark: AWS calls by `service:Operation`,
 * per-state durations (count, total, p50, p95), state transitions.
 */

/** AWS calls keyed `service:Operation` (e.g. `dynamodb:PutItem`, `s3:PutObject`, `sns:Publish`). */
export class CallCounters {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  reset(): void {
    this.counts.clear();
  }

  /** Adds every count of `calls` (e.g. what a worker thread counted). */
  addAll(calls: Record<string, number>): void {
    for (const [key, n] of Object.entries(calls)) this.add(key, n);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** The key under which the keys a BatchGetItem asked for are counted (what it bills in read units). */
export const BATCH_GET_KEYS = 'dynamodb:BatchGetItem.keys';

/**
 * An SDK middleware (see lambdas/shared/aws/clients.ts) that counts every command into `counters`,
 * and the keys of every BatchGetItem under BATCH_GET_KEYS.
 */
export function callCounter(counters: CallCounters, name = 'invoicerLocalCallCounter'): AwsCallMiddleware {
  return {
    name,
    before: ({ service, operation, input }) => {
      counters.add(`${service}:${operation}`);
      if (service === 'dynamodb' && (operation === 'BatchGetItem' || operation === 'BatchGet')) {
        const requests =
          (input as { RequestItems?: Record<string, { Keys?: unknown[] }> }).RequestItems ?? {};
        for (const request of Object.values(requests))
          counters.add(BATCH_GET_KEYS, request.Keys?.length ?? 0);
      }
    },
  };
}

export interface TimingSummary {
  count: number;
  totalMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Durations per key (state name), summarized on demand. */
export class Timings {
  private readonly samples = new Map<string, number[]>();
  private readonly retries = new Map<string, number>();

  retried(key: string): void {
    this.retries.set(key, (this.retries.get(key) ?? 0) + 1);
  }

  /** Retries taken, per state name. */
  retriesByState(): Record<string, number> {
    return Object.fromEntries([...this.retries.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  record(key: string, ms: number): void {
    let list = this.samples.get(key);
    if (!list) this.samples.set(key, (list = []));
    list.push(ms);
  }

  summary(): Record<string, TimingSummary> {
    const out: Record<string, TimingSummary> = {};
    for (const [key, values] of [...this.samples.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...values].sort((a, b) => a - b);
      out[key] = {
        count: sorted.length,
        totalMs: Math.round(sorted.reduce((s, v) => s + v, 0)),
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        maxMs: sorted[sorted.length - 1] ?? 0,
      };
    }
    return out;
  }
}

/** What changed between two snapshots of a monotonically growing count record. */
export function diffCounts(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const d = n - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** One AWS call a function made (contract tests hold them against the function's IAM policy). */
export interface FunctionCall {
  fn: string;
  service: string;
  operation: string;
  input: unknown;
}

/** Records every call with the function it was made in (`current()`; calls outside any are skipped). */
export function functionCallRecorder(
  calls: FunctionCall[],
  current: () => string | undefined,
): AwsCallMiddleware {
  return {
    name: 'invoicerLocalFunctionCalls',
    before: ({ service, operation, input }) => {
      const fn = current();
      if (fn !== undefined) calls.push({ fn, service, operation, input });
    },
  };
}
