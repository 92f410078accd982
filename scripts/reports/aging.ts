/**
 * The receivables aging report (`invoicer report aging`): what customers owe, per currency, by how
 * long it is past its due date (not yet due, 0–30, 31–60, 61–90, 90+ days). From the invoice
 * index itself (one scan), not the analytics files: open amounts move with every payment and live
 * on the rows (domain/receivables.ts). Written-off, replaced and fully settled invoices owe nothing.
 */
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import {
  AGING_BUCKETS,
  agingBucketOf,
  isCollectible,
  isStandingInvoice,
  openAmountOf,
  type AgingBucket,
} from '../../lambdas/shared/domain/receivables.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import type { ReportDocument } from './reports.js';

export function agingReport(rows: readonly InvoiceRow[], asOf: string): ReportDocument {
  const byCurrency = new Map<string, { buckets: Record<AgingBucket, number>; invoices: number }>();
  for (const row of rows.filter((row) => isStandingInvoice(row) && isCollectible(row))) {
    const entry = byCurrency.get(row.currency) ?? {
      buckets: Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<AgingBucket, number>,
      invoices: 0,
    };
    // An invoice without a due date (rows from before due dates were kept) counts from its issue date.
    entry.buckets[agingBucketOf(row.dueDate ?? row.issueDate, asOf)] += openAmountOf(row);
    entry.invoices += 1;
    byCurrency.set(row.currency, entry);
  }
  const reportRows = [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, { buckets, invoices }]) => ({
      currency,
      ...Object.fromEntries(AGING_BUCKETS.map((b) => [b, decimalAmount(buckets[b], currency)])),
      total: decimalAmount(
        AGING_BUCKETS.reduce((sum, b) => sum + buckets[b], 0),
        currency,
      ),
      invoices,
    }));
  return {
    report: 'aging',
    scope: asOf,
    months: 'all',
    engine: 'dynamodb',
    rows: reportRows,
    notes: [
      `ages counted to ${asOf} from each invoice's due date; open amounts as recorded now (total − credit notes − payments)`,
    ],
  };
}
