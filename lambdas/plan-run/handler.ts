/**
 * PlanRun: derives the billing period, takes the period's run lock, writes the customer
 * manifest (JSONL, one `{"customerId"}` per line) that the Distributed Map reads, and records
 * the run as RUNNING.
 */
import {
  BATCH_SIZE_RANGE,
  MAX_CONCURRENCY_RANGE,
  TOLERATED_FAILURE_RANGE,
  runDefaults,
  type RunDefaults,
} from '../shared/config.js';
import { s3Keys } from '../shared/contracts/keys.js';
import type { PlanRunInput, PlanRunOutput } from '../shared/contracts/payloads.js';
import { RUN_STATUS } from '../shared/contracts/statuses.js';
import {
  billingScopeOf,
  parsePeriod,
  previousPeriod,
  runIssueOf,
  type RunIssue,
} from '../shared/domain/index.js';
import { InvalidInputError, InvalidRunRequestError } from '../shared/errors.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';
import type { RecordStore } from '../shared/store/records.js';
import type { LockHolderLiveness, RunStore } from '../shared/store/runs.js';
import { applySelection, selectedCustomers } from './customer-selection.js';
import { executionLiveness } from './liveness.js';

export interface PlanRunDeps {
  observability: Observability;
  records: Pick<RecordStore, 'listCustomerIds'>;
  documents: Pick<DocumentStore, 'bucket' | 'put'>;
  runs: Pick<RunStore, 'acquireLock' | 'putRecord'>;
  runDefaults: RunDefaults;
  /** Whether the run holding a period's lock is still going. */
  isLockHolderActive: LockHolderLiveness;
}

/** The period asked for, or the month before the scheduled (or start) time in the billing time zone. */
export function resolvePeriod(input: PlanRunInput, zone: string): string {
  const request = input.request ?? {};
  if (request.period !== undefined) {
    try {
      return parsePeriod(String(request.period)).id;
    } catch (error) {
      throw new InvalidRunRequestError(`run input period: ${(error as Error).message}`);
    }
  }
  const instant = request.scheduledTime ?? input.startTime;
  if (Number.isNaN(Date.parse(instant))) {
    throw new InvalidRunRequestError(`run input scheduledTime "${instant}" is not an ISO-8601 time`);
  }
  return previousPeriod(instant, zone).id;
}

/** The run's issue date; a period that has not ended is a refused run, changing nothing. */
function issueOf(period: string, startTime: string, zone: string): RunIssue {
  try {
    return runIssueOf(period, startTime, zone);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidRunRequestError(`run input period: ${error.message.slice(error.where.length + 2)}`);
  }
}

/** A per-run override from the request, or the configured default; out of range is a refused run. */
export function runSetting(
  value: unknown,
  fallback: number,
  name: string,
  [min, max]: [number, number],
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidRunRequestError(
      `run input ${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function createHandler(deps: PlanRunDeps): (input: PlanRunInput) => Promise<PlanRunOutput> {
  const { documents, runDefaults: defaults } = deps;
  return stepHandler<PlanRunInput, PlanRunOutput>(
    'plan-run',
    deps.observability,
    (input) => ({ runId: input.executionName }),
    async (input) => {
      const period = resolvePeriod(input, defaults.timeZone);
      const { issueDate, notice } = issueOf(period, input.startTime, defaults.timeZone);
      const request = input.request ?? {};
      const maxConcurrency = runSetting(
        request.maxConcurrency,
        defaults.maxConcurrency,
        'maxConcurrency',
        MAX_CONCURRENCY_RANGE,
      );
      const toleratedFailurePercentage = runSetting(
        request.toleratedFailurePercentage,
        defaults.toleratedFailurePercentage,
        'toleratedFailurePercentage',
        TOLERATED_FAILURE_RANGE,
      );
      // A batch never holds more customers than may be in flight: with --max-concurrency 1 one
      // customer at a time, and a crash leaves at most the in-flight customers' numbers unclaimed.
      const batchSize = Math.min(
        runSetting(request.batchSize, defaults.batchSize, 'batchSize', BATCH_SIZE_RANGE),
        maxConcurrency,
      );
      // The selection is checked before the lock: a refused run must not hold the period.
      const selected = selectedCustomers(request.customers);
      // Billed: everyone whose service did not end before the period (billing-scope.ts); anything
      // malformed is billed too, so that it fails visibly. Inactive customers without a last day
      // of service cannot be billed, and the run says how many there are.
      const billed = parsePeriod(period);
      const listed = await deps.records.listCustomerIds();
      const scoped = listed
        .map((c) => ({ c, scope: billingScopeOf(c, billed) }))
        .filter((s) => !selected || selected.has(s.c.customerId));
      const selection = applySelection(
        selected,
        listed,
        scoped.filter((s) => s.scope === 'billed').map((s) => s.c),
      );
      const customers = selection.customers;
      const runId = input.executionName;
      await deps.runs.acquireLock(
        { period, holderRunId: runId, holderExecution: input.executionId, acquiredAt: input.startTime },
        deps.isLockHolderActive,
      );
      const undated = scoped.filter((s) => s.scope === 'inactive-without-date').length;
      const notices = [
        ...(notice === undefined ? [] : [notice]),
        ...selection.notices,
        ...(undated === 0
          ? []
          : [
              `${undated} inactive customer(s) have no cancelledAt (last day of service) and were not billed; give it to bill their final period`,
            ]),
      ];
      const manifestKey = s3Keys.runManifest(runId);
      const manifest = customers.map((c) => JSON.stringify({ customerId: c.customerId })).join('\n');
      await documents.put(manifestKey, manifest === '' ? '' : `${manifest}\n`, 'application/x-ndjson');
      const resultsPrefix = s3Keys.runResultsPrefix(runId);
      await deps.runs.putRecord({
        runId,
        period,
        status: RUN_STATUS.running,
        execution: input.executionId,
        startedAt: input.startTime,
        customerCount: customers.length,
        manifestKey,
        resultsPrefix,
      });
      return {
        runId,
        period,
        issueDate,
        notices,
        manifest: { bucket: documents.bucket, key: manifestKey },
        customerCount: customers.length,
        maxConcurrency,
        toleratedFailurePercentage,
        batchSize,
        mapConcurrency: Math.ceil(maxConcurrency / batchSize),
        resultsPrefix,
      };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): PlanRunDeps {
  const runtime = lambdaRuntime(env);
  return {
    ...runtime,
    runDefaults: runDefaults(env),
    isLockHolderActive: executionLiveness(runtime.clients.sfn),
  };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
