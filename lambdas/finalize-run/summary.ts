/**
 * The run summary, computed from the Distributed Map's result files (pure: no AWS).
 * A succeeded child (a batch) outputs one outcome per customer: `{ outcome: "issued" | "skipped",
 * customerId, invoice }` or `{ outcome: "failed", customerId, error, cause }`. A failed child
 * carries the Step Functions Error and Cause, and its Input (`{ Items }`) names the customers.
 */
import {
  CHILD_OUTCOME,
  COMPUTE_ACTION,
  type RunFailure,
  type RunSummary,
} from '../shared/contracts/payloads.js';
import { RUN_STATUS } from '../shared/contracts/statuses.js';
import { decimalAmount } from '../shared/domain/money.js';

export interface MapResultEntry {
  Input?: string;
  Output?: string;
  Status?: string;
  Error?: string;
  Cause?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function parseJsonValue(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJson(text: string | undefined): Record<string, unknown> {
  const value = parseJsonValue(text);
  return isRecord(value) ? value : {};
}

/**
 * A Lambda task's Cause is JSON `{ errorType, errorMessage, trace }`: the summary (which goes to
 * the ops topic) keeps the message and leaves the stack trace to the execution history.
 */
function causeMessage(cause: string): string {
  const parsed = parseJson(cause);
  return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
}

export function summarizeRun(args: {
  runId: string;
  period: string;
  customerCount: number;
  succeeded: MapResultEntry[];
  failed: MapResultEntry[];
  mapError?: { Error: string; Cause: string };
  /** Failed customers above this share of all customers fail the run (default: any failure is tolerated). */
  toleratedFailurePercentage?: number;
  documentsPrefix: string;
  summaryKey: string;
  voidedUnclaimedNumbers?: string[];
}): RunSummary {
  let issued = 0;
  let skipped = 0;
  let notificationsResent = 0;
  const totals = new Map<string, { totalMinor: number; invoices: number }>();
  const issuedInvoices: RunSummary['issuedInvoices'] = [];
  const failures: RunFailure[] = [];
  const outcomes = args.succeeded.flatMap((entry) => {
    const output: unknown = parseJsonValue(entry.Output);
    return (Array.isArray(output) ? output : [output]).filter(isRecord);
  });
  for (const output of outcomes) {
    const invoice = (output.invoice ?? {}) as {
      invoiceNumber?: string;
      totalMinor?: number;
      currency?: string;
    };
    if (output.outcome === CHILD_OUTCOME.failed) {
      failures.push({
        customerId: String(output.customerId ?? 'unknown'),
        error: String(output.error ?? 'States.Unknown'),
        cause: causeMessage(String(output.cause ?? '')),
      });
      continue;
    }
    if (output.outcome === CHILD_OUTCOME.skipped) {
      skipped++;
      continue;
    }
    if (output.action === COMPUTE_ACTION.notify) {
      notificationsResent++;
      continue;
    }
    issued++;
    issuedInvoices.push({
      customerId: String(output.customerId),
      invoiceNumber: String(invoice.invoiceNumber),
    });
    if (invoice.currency && typeof invoice.totalMinor === 'number') {
      const t = totals.get(invoice.currency) ?? { totalMinor: 0, invoices: 0 };
      t.totalMinor += invoice.totalMinor;
      t.invoices++;
      totals.set(invoice.currency, t);
    }
  }
  // A failed child is a whole batch: each of its customers failed with the batch's error.
  for (const entry of args.failed) {
    const input = parseJson(entry.Input);
    const customers = Array.isArray(input.Items)
      ? input.Items.filter(isRecord).map((item) => item.customerId)
      : [input.customerId];
    for (const customerId of customers) {
      failures.push({
        customerId: String(customerId ?? 'unknown'),
        error: entry.Error ?? 'States.Unknown',
        cause: causeMessage(entry.Cause ?? ''),
      });
    }
  }
  failures.sort((a, b) => a.customerId.localeCompare(b.customerId));
  const failed = failures.length;
  const notProcessed = Math.max(0, args.customerCount - issued - skipped - notificationsResent - failed);
  const status =
    args.mapError || thresholdExceeded(failed, args.customerCount, args.toleratedFailurePercentage)
      ? RUN_STATUS.failed
      : failed > 0
        ? RUN_STATUS.completedWithFailures
        : RUN_STATUS.succeeded;
  return {
    runId: args.runId,
    period: args.period,
    status,
    customers: args.customerCount,
    issued,
    skipped,
    notificationsResent,
    failed,
    notProcessed,
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, ...t, total: decimalAmount(t.totalMinor, currency) })),
    failures,
    issuedInvoices: issuedInvoices.sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber)),
    voidedUnclaimedNumbers: args.voidedUnclaimedNumbers ?? [],
    documentsPrefix: args.documentsPrefix,
    summaryKey: args.summaryKey,
    subject:
      `invoicer ${args.period}: ${status}, ${issued} issued, ${skipped} skipped, ${failed} failed` +
      (notificationsResent > 0 ? `, ${notificationsResent} notifications resent` : ''),
    ...(args.mapError ? { mapError: args.mapError } : {}),
  };
}

/**
 * More customers failed than tolerated. Customer failures end inside a batch (the Distributed
 * Map's own threshold sees only failed batches), so the run applies the setting here.
 */
export function thresholdExceeded(failed: number, customers: number, toleratedPercentage?: number): boolean {
  return (
    toleratedPercentage !== undefined && customers > 0 && (failed * 100) / customers > toleratedPercentage
  );
}

/** The ops summary as plain text (SNS email subscribers read it). */
export function opsMessage(summary: RunSummary): string {
  const lines = [
    summary.subject,
    `run ${summary.runId}, ${summary.customers} customers`,
    ...summary.totals.map((t) => `  ${t.currency} ${t.total} in ${t.invoices} invoices`),
    ...(summary.failures.length > 0 ? ['failed customers:'] : []),
    ...summary.failures.slice(0, 50).map((f) => `  ${f.customerId}: ${f.error}`),
    ...(summary.failures.length > 50
      ? [`  ... and ${summary.failures.length - 50} more (see the summary)`]
      : []),
    ...(summary.voidedUnclaimedNumbers.length > 0
      ? [`numbers voided (taken, never claimed): ${summary.voidedUnclaimedNumbers.join(', ')}`]
      : []),
    ...(summary.mapError ? [`map error: ${summary.mapError.Error}`] : []),
    `summary: ${summary.summaryKey}`,
  ];
  return lines.join('\n');
}
