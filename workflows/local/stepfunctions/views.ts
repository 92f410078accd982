/**
 * The JSON the local Step Functions API answers with: AWS's field names, timestamps in epoch
 * seconds, pages with an opaque `nextToken`; and the errors it names (`SfnApiError`).
 */
import type { StoredExecution, StoredMapRun } from './execution-store.js';

/** An error the Step Functions API returns: its `__type` and HTTP status. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;
const REDRIVABLE = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

export const isRedrivable = (e: Pick<StoredExecution, 'status'>): boolean => REDRIVABLE.has(e.status);

/** A page of `items` (maxResults 1-1000, default 100) from an opaque token. */
export function page<T>(
  items: T[],
  request: { maxResults?: number; nextToken?: string },
): { items: T[]; nextToken?: string } {
  const start = request.nextToken ? Number(Buffer.from(request.nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SfnApiError('InvalidToken', 'Invalid Token');
  const size = request.maxResults && request.maxResults > 0 ? Math.min(request.maxResults, 1000) : 100;
  return {
    items: items.slice(start, start + size),
    ...(start + size < items.length
      ? { nextToken: Buffer.from(String(start + size)).toString('base64url') }
      : {}),
  };
}

export function executionListItem(e: StoredExecution): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
    redriveCount: e.redriveCount,
  };
}

export function executionView(e: StoredExecution): Record<string, unknown> {
  const redrivable = isRedrivable(e);
  return {
    ...executionListItem(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error, cause: e.cause ?? '' } : {}),
    ...(e.redriveDate ? { redriveDate: seconds(e.redriveDate) } : {}),
    redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    ...(redrivable ? {} : { redriveStatusReason: `Execution is ${e.status} and cannot be redriven` }),
  };
}

export function mapRunListItem(e: StoredExecution, m: StoredMapRun): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    mapRunArn: m.mapRunArn,
    stateMachineArn: `${e.stateMachineArn}/${m.stateName}`,
    startDate: seconds(m.startDate),
    ...(m.stopDate ? { stopDate: seconds(m.stopDate) } : {}),
  };
}

export function mapRunView(e: StoredExecution, m: StoredMapRun): Record<string, unknown> {
  // Items not done: as many as may run at once are RUNNING, the rest PENDING.
  const inFlight =
    m.status === 'RUNNING' ? Math.min(m.itemCounts.pending, m.maxConcurrency || m.itemCounts.pending) : 0;
  return {
    mapRunArn: m.mapRunArn,
    executionArn: e.executionArn,
    status: m.status,
    startDate: seconds(m.startDate),
    ...(m.stopDate ? { stopDate: seconds(m.stopDate) } : {}),
    maxConcurrency: m.maxConcurrency,
    toleratedFailurePercentage: m.toleratedFailurePercentage,
    toleratedFailureCount: m.toleratedFailureCount,
    itemCounts: { ...m.itemCounts, running: inFlight, pending: m.itemCounts.pending - inFlight },
    executionCounts: m.executionCounts,
    redriveCount: e.redriveCount,
  };
}
