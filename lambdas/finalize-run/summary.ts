/**
 * The run summary, computed from the Distributed Map's result files (pure: no AWS).
 * A succeeded child's Output is `{ outcome: "issued" | "skipped", customerId, invoice }`; a
 * failed child carries the Step Functions Error and Cause, and its Input names the customer.
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

function parseJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
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
  documentsPrefix: string;
  summaryKey: string;
  voidedUnclaimedNumbers?: string[];
}): RunSummary {
  let issued = 0;
  let skipped = 0;
  let notificationsResent = 0;
  const totals = new Map<string, { totalMinor: number; invoices: number }>();
  const issuedInvoices: RunSummary['issuedInvoices'] = [];
  for (const entry of args.succeeded) {
    const output = parseJson(entry.Output);
    const invoice = (output.invoice ?? {}) as {
      invoiceNumber?: string;
      totalMinor?: number;
      currency?: string;
    };
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
  const failures: RunFailure[] = args.failed
    .map((entry) => ({
      customerId: String(parseJson(entry.Input).customerId ?? 'unknown'),
      error: entry.Error ?? 'States.Unknown',
      cause: causeMessage(entry.Cause ?? ''),
    }))
    .sort((a, b) => a.customerId.localeCompare(b.customerId));
  const failed = failures.length;
  const notProcessed = Math.max(0, args.customerCount - issued - skipped - notificationsResent - failed);
  const status = args.mapError
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
