/**
 * What a billing run costs on AWS, from the counts a local run records (state transitions,
 * Lambda invocations and their durations, AWS calls by operation). List prices, us-east-1,
 * without free tiers (the price list of the design notes, PRICES below). No AWS; it reads the ASL
 * once, for the state names.
 */
import type { ExecutionMetrics } from '../workflows/local/executor.js';
import { BATCH_GET_KEYS } from '../workflows/local/instrumentation.js';
import { billingRunStates } from '../workflows/definition.js';
import { DEFAULT_FUNCTION_MEMORY_MB, FUNCTION_MEMORY_MB } from '../infra/function-sizes.js';

/** The day the list prices below were last checked (against DESIGN.md's us-east-1 price list). */
export const PRICES_AS_OF = '2026-11-22';

export const PRICES = {
  standardTransition: 0.025 / 1000,
  expressRequest: 1.0 / 1_000_000,
  /** Express duration, per GB-second (billed in 64 MB steps; the children use the minimum). */
  expressGbSecond: 0.00001667,
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on ARM64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  dynamoWriteUnit: 0.625 / 1_000_000,
  dynamoReadUnit: 0.125 / 1_000_000,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  snsPublish: 0.5 / 1_000_000,
} as const;

const { functionOfState, childStates } = billingRunStates();

/** Capacity units of one call of an operation (items under 1 KB; a transaction item costs 2). */
function dynamoUnits(operation: string): { read: number; write: number } {
  switch (operation) {
    case 'PutItem':
    case 'Put':
    case 'UpdateItem':
    case 'Update':
    case 'DeleteItem':
    case 'Delete':
      return { read: 0, write: 1 };
    case 'TransactWriteItems':
    case 'TransactWrite':
      return { read: 0, write: 4 }; // two items, two units each
    case 'BatchWriteItem':
    case 'BatchWrite':
      return { read: 0, write: 25 };
    case 'GetItem':
    case 'Get':
    case 'Query':
      return { read: 1, write: 0 };
    default:
      return { read: 0, write: 0 };
  }
}

export interface CostBreakdown {
  invoices: number;
  perThousandInvoices: Record<string, number> & { total: number };
  perInvoice: { transitions: number; childTransitions: number; awsCalls: number; lambdaInvocations: number };
}

export interface CostOptions {
  /**
   * What one invocation of a Lambda Task state bills, in ms, by state name: durations measured
   * without queueing (the benchmark's calibration run). A state without one is priced on the
   * run's own measured total, which on a busy local machine includes waiting for the event loop.
   */
  msPerInvocation?: Record<string, number>;
}

export function costOfRun(
  metrics: ExecutionMetrics,
  invoices: number,
  options: CostOptions = {},
): CostBreakdown {
  const per = (value: number) => (invoices === 0 ? 0 : (value / invoices) * 1000);
  let lambdaRequests = 0;
  for (const count of Object.values(metrics.lambdaInvocations)) lambdaRequests += count;
  let lambdaGbSeconds = 0;
  for (const [state, fn] of Object.entries(functionOfState)) {
    const timing = metrics.states[state];
    if (!timing) continue;
    const unqueued = options.msPerInvocation?.[state];
    const ms = unqueued === undefined ? timing.totalMs : unqueued * timing.count;
    const memory = FUNCTION_MEMORY_MB[fn as keyof typeof FUNCTION_MEMORY_MB] ?? DEFAULT_FUNCTION_MEMORY_MB;
    lambdaGbSeconds += (ms / 1000) * (memory / 1024);
  }
  let readUnits = 0;
  let writeUnits = 0;
  let s3Puts = 0;
  let s3Gets = 0;
  let snsPublishes = 0;
  let calls = 0;
  for (const [key, count] of Object.entries(metrics.awsCalls)) {
    if (key === BATCH_GET_KEYS) {
      readUnits += count; // BatchGetItem bills per item read: one unit per key asked for
      continue;
    }
    const [service, operation = ''] = key.split(':');
    calls += count;
    if (service === 'dynamodb') {
      const units = dynamoUnits(operation);
      readUnits += units.read * count;
      writeUnits += units.write * count;
    } else if (service === 's3') {
      if (/^(Put|Copy|List|Delete)/.test(operation)) s3Puts += operation.startsWith('Delete') ? 0 : count;
      else if (/^(Get|Head)/.test(operation)) s3Gets += count;
    } else if (service === 'sns' && /^Publish/.test(operation)) {
      snsPublishes += count;
    }
  }
  // Express children: one request each; duration from the measured child time at 64 MB.
  const childSeconds = Object.entries(metrics.states)
    .filter(([name]) => childStates.includes(name))
    .reduce((sum, [, t]) => sum + t.totalMs / 1000, 0);
  const items = {
    // The parent's transitions, plus one per map child started (the map run's own transition).
    stepFunctionsStandard: per((metrics.transitions + metrics.childExecutions) * PRICES.standardTransition),
    stepFunctionsExpress: per(
      metrics.childExecutions * PRICES.expressRequest + childSeconds * (64 / 1024) * PRICES.expressGbSecond,
    ),
    lambda: per(lambdaRequests * PRICES.lambdaRequest + lambdaGbSeconds * PRICES.lambdaGbSecond),
    dynamodb: per(writeUnits * PRICES.dynamoWriteUnit + readUnits * PRICES.dynamoReadUnit),
    s3: per(s3Puts * PRICES.s3Put + s3Gets * PRICES.s3Get),
    sns: per(snsPublishes * PRICES.snsPublish),
  };
  const total = Object.values(items).reduce((a, b) => a + b, 0);
  return {
    invoices,
    perThousandInvoices: { ...items, total },
    perInvoice: {
      transitions: invoices === 0 ? 0 : (metrics.transitions + metrics.childTransitions) / invoices,
      childTransitions: invoices === 0 ? 0 : metrics.childTransitions / invoices,
      awsCalls: invoices === 0 ? 0 : calls / invoices,
      lambdaInvocations: invoices === 0 ? 0 : lambdaRequests / invoices,
    },
  };
}
