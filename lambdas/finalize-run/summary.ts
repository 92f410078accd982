/**
 * The run summary, counted from the Distributed Map's result files one line at a time (pure: no
 * AWS). The map writes them with Transformation FLATTEN and OutputType JSONL, so a SUCCEEDED line
 * is one customer's outcome: `{ outcome: "issued" | "skipped", customerId, invoice }` or
 * `{ outcome: "failed", customerId, error, cause }`. A FAILED line is a whole batch's entry: the
 * Step Functions Error and Cause, and its Input (`{ Items }`) names the customers.
 */
import { causeMessage } from '../shared/task-errors.js';
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

function parseJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** Failures listed in the summary (the first by customer id); every one is in the failures parts. */
export const FAILURES_LISTED = 100;
/** A cause in the summary is cut here; the execution history keeps it whole. */
const CAUSE_CHARS = 500;

export interface IssuedInvoice {
  customerId: string;
  invoiceNumber: string;
  currency?: string;
  totalMinor?: number;
}

/** Where each issued invoice and each failure goes as it is counted (the JSONL parts). */
export interface TallySinks {
  issued(invoice: IssuedInvoice): Promise<void>;
  failure(failure: RunFailure): Promise<void>;
}

const byCustomer = (a: RunFailure, b: RunFailure): number => a.customerId.localeCompare(b.customerId);

/**
 * Counts a run's results one entry at a time, in memory that does not grow with the run: counts,
 * totals per currency, and the first FAILURES_LISTED failures; everything listed goes to the sinks.
 */
export class RunTally {
  private issued = 0;
  private skipped = 0;
  private notificationsResent = 0;
  private notificationsCompleted = 0;
  private failed = 0;
  private readonly totals = new Map<string, { totalMinor: number; invoices: number }>();
  private listed: RunFailure[] = [];

  constructor(private readonly sinks: TallySinks) {}

  /** One customer's outcome: a line of a SUCCEEDED result file (Transformation FLATTEN). */
  async outcome(value: unknown): Promise<void> {
    if (!isRecord(value)) return;
    if (value.outcome === CHILD_OUTCOME.failed) {
      await this.fail({
        customerId: String(value.customerId ?? 'unknown'),
        ...(typeof value.step === 'string' ? { step: value.step } : {}),
        error: String(value.error ?? 'States.Unknown'),
        cause: causeMessage(String(value.cause ?? '')),
      });
      return;
    }
    if (value.outcome === CHILD_OUTCOME.skipped) {
      this.skipped++;
      return;
    }
    if (value.action === COMPUTE_ACTION.renotify) {
      this.notificationsResent++;
      return;
    }
    if (value.action === COMPUTE_ACTION.notify) {
      this.notificationsCompleted++;
      return;
    }
    this.issued++;
    const invoice = (value.invoice ?? {}) as {
      invoiceNumber?: string;
      totalMinor?: number;
      currency?: string;
    };
    const issued: IssuedInvoice = {
      customerId: String(value.customerId),
      invoiceNumber: String(invoice.invoiceNumber),
    };
    if (invoice.currency && typeof invoice.totalMinor === 'number') {
      const t = this.totals.get(invoice.currency) ?? { totalMinor: 0, invoices: 0 };
      t.totalMinor += invoice.totalMinor;
      t.invoices++;
      this.totals.set(invoice.currency, t);
      issued.currency = invoice.currency;
      issued.totalMinor = invoice.totalMinor;
    }
    await this.sinks.issued(issued);
  }

  /** A line of a FAILED result file: a whole batch failed, so each of its customers did. */
  async failedBatch(entry: MapResultEntry): Promise<void> {
    const input = parseJson(entry.Input);
    const customers = Array.isArray(input.Items)
      ? input.Items.filter(isRecord).map((item) => item.customerId)
      : [input.customerId];
    for (const customerId of customers) {
      await this.fail({
        customerId: String(customerId ?? 'unknown'),
        error: entry.Error ?? 'States.Unknown',
        cause: causeMessage(entry.Cause ?? ''),
      });
    }
  }

  summary(args: {
    runId: string;
    period: string;
    issueDate: string;
    notices: string[];
    customerCount: number;
    mapError?: { Error: string; Cause: string };
    /** Failed customers above this share of all customers fail the run (default: any failure is tolerated). */
    toleratedFailurePercentage?: number;
    documentsPrefix: string;
    summaryKey: string;
    issuedInvoicesPrefix: string;
    failuresPrefix: string;
    voidedUnclaimedNumbers?: string[];
  }): RunSummary {
    const { issued, skipped, notificationsResent, notificationsCompleted, failed } = this;
    const handled = issued + skipped + notificationsResent + notificationsCompleted + failed;
    const notProcessed = Math.max(0, args.customerCount - handled);
    const status =
      args.mapError || thresholdExceeded(failed, args.customerCount, args.toleratedFailurePercentage)
        ? RUN_STATUS.failed
        : failed > 0
          ? RUN_STATUS.completedWithFailures
          : RUN_STATUS.succeeded;
    return {
      runId: args.runId,
      period: args.period,
      issueDate: args.issueDate,
      notices: args.notices,
      status,
      customers: args.customerCount,
      issued,
      skipped,
      notificationsResent,
      notificationsCompleted,
      failed,
      notProcessed,
      totals: [...this.totals.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, t]) => ({ currency, ...t, total: decimalAmount(t.totalMinor, currency) })),
      failures: this.listed.sort(byCustomer).slice(0, FAILURES_LISTED),
      issuedInvoicesPrefix: args.issuedInvoicesPrefix,
      failuresPrefix: args.failuresPrefix,
      voidedUnclaimedNumbers: args.voidedUnclaimedNumbers ?? [],
      documentsPrefix: args.documentsPrefix,
      summaryKey: args.summaryKey,
      subject:
        `invoicer ${args.period}: ${status}, ${issued} issued, ${skipped} skipped, ${failed} failed` +
        (notificationsCompleted > 0 ? `, ${notificationsCompleted} notified late` : '') +
        (notificationsResent > 0 ? `, ${notificationsResent} notifications resent` : ''),
      ...(args.mapError ? { mapError: args.mapError } : {}),
    };
  }

  private async fail(failure: RunFailure): Promise<void> {
    this.failed++;
    const listed = { ...failure, cause: failure.cause.slice(0, CAUSE_CHARS) };
    this.listed.push(listed);
    // Keep the first FAILURES_LISTED by customer id without holding them all.
    if (this.listed.length >= 2 * FAILURES_LISTED)
      this.listed = this.listed.sort(byCustomer).slice(0, FAILURES_LISTED);
    await this.sinks.failure(failure);
  }
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
    `run ${summary.runId}, ${summary.customers} customers, issued on ${summary.issueDate}`,
    ...summary.notices,
    ...summary.totals.map((t) => `  ${t.currency} ${t.total} in ${t.invoices} invoices`),
    ...(summary.failures.length > 0 ? ['failed customers:'] : []),
    ...summary.failures.slice(0, 50).map((f) => `  ${f.customerId}: ${f.error}`),
    ...(summary.failed > 50 ? [`  ... and ${summary.failed - 50} more: ${summary.failuresPrefix}`] : []),
    ...(summary.voidedUnclaimedNumbers.length > 0
      ? [`numbers voided (taken, never claimed): ${summary.voidedUnclaimedNumbers.join(', ')}`]
      : []),
    ...(summary.mapError ? [`map error: ${summary.mapError.Error}`] : []),
    `summary: ${summary.summaryKey}`,
  ];
  return lines.join('\n');
}
