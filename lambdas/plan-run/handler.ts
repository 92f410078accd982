/**
 * PlanRun: derives the billing period, takes the period's run lock, writes the customer
 * manifest (JSONL, one `{"customerId"}` per line) that the Distributed Map reads, and records
 * the run as RUNNING.
 */
import { hostname } from 'node:os';
import { documentsBucket, intEnv, requireEnv, tableNames } from '../shared/config.js';
import { s3Keys } from '../shared/data-model.js';
import { InvalidRunRequestError } from '../shared/errors.js';
import { stepHandler } from '../shared/handler.js';
import { parsePeriod, previousPeriod } from '../shared/domain/index.js';
import { listCustomerIds } from '../shared/store/records.js';
import { putObject } from '../shared/store/documents.js';
import { acquireRunLock, putRunRecord } from '../shared/store/runs.js';
import { isExecutionActive } from './liveness.js';

const tables = tableNames();
const bucket = documentsBucket();
const timeZone = requireEnv('BILLING_TIME_ZONE');
const maxConcurrency = intEnv('MAX_CONCURRENCY', 50, [1, 10000]);
const toleratedFailurePercentage = intEnv('TOLERATED_FAILURE_PERCENTAGE', 10, [0, 100]);

export interface PlanRunInput {
  /**
   * What started the run: the scheduler sends `{ scheduledTime }`; support staff may send
   * `{ period }` and, for one run, `maxConcurrency` / `toleratedFailurePercentage`.
   */
  request: {
    period?: string;
    scheduledTime?: string;
    maxConcurrency?: number;
    toleratedFailurePercentage?: number;
  };
  executionName: string;
  executionId: string;
  startTime: string;
}

export interface PlanRunOutput {
  runId: string;
  period: string;
  manifest: { bucket: string; key: string };
  customerCount: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  resultsPrefix: string;
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

export const handler = stepHandler<PlanRunInput, PlanRunOutput>(
  'plan-run',
  undefined,
  (input) => ({ runId: input.executionName }),
  async (input) => {
    const period = resolvePeriod(input, timeZone);
    const concurrency = runSetting(
      input.request?.maxConcurrency,
      maxConcurrency,
      'maxConcurrency',
      [1, 10000],
    );
    const tolerated = runSetting(
      input.request?.toleratedFailurePercentage,
      toleratedFailurePercentage,
      'toleratedFailurePercentage',
      [0, 100],
    );
    const runId = input.executionName;
    await acquireRunLock(
      tables.runs,
      { period, holderRunId: runId, holderExecution: input.executionId, acquiredAt: input.startTime },
      (execution) => isExecutionActive(execution, hostname()),
    );
    // Inactive customers are left out; anything else (even a malformed status) is billed or fails visibly.
    const customers = (await listCustomerIds(tables)).filter((c) => c.status !== 'inactive');
    const manifestKey = s3Keys.runManifest(runId);
    const manifest = customers.map((c) => JSON.stringify({ customerId: c.customerId })).join('\n');
    await putObject(bucket, manifestKey, manifest === '' ? '' : `${manifest}\n`, 'application/x-ndjson');
    const resultsPrefix = s3Keys.runResultsPrefix(runId);
    await putRunRecord(tables.runs, {
      runId,
      period,
      status: 'RUNNING',
      execution: input.executionId,
      startedAt: input.startTime,
      customerCount: customers.length,
      manifestKey,
      resultsPrefix,
    });
    return {
      runId,
      period,
      manifest: { bucket, key: manifestKey },
      customerCount: customers.length,
      maxConcurrency: concurrency,
      toleratedFailurePercentage: tolerated,
      resultsPrefix,
    };
  },
);
