/**
 * The five reports: each runs its one SQL file (./sql/) on a query target and shapes the result
 * into one document: `{ report, scope, months, engine, currency?, rows, totals? }`. `rows` is flat
 * (the CSV's rows and the table's); amounts come as integer minor units (`...Minor`) and as
 * decimal strings in their currency.
 */
import type { AnalyticsTable } from '../../lambdas/shared/contracts/analytics.js';
import type { EcbRates } from '../../lambdas/shared/domain/exchange.js';
import { currencyOf, decimalAmount, divideToMinor } from '../../lambdas/shared/domain/money.js';
import { convertMinor } from '../../lambdas/shared/domain/exchange.js';
import { addDays } from '../../lambdas/shared/domain/periods.js';
import { ReportNoDataError, ReportQueryError, rowObjects, type QueryTarget } from './query-target.js';
import { runCostUsd } from './run-cost.js';
import type { ReportScope } from './scope.js';
import { bindSql, reportSql, type ReportSqlName, type SqlParam } from './sql.js';

export const REVENUE_DIMENSIONS = ['currency', 'country', 'plan', 'customer'] as const;
export type RevenueDimension = (typeof REVENUE_DIMENSIONS)[number];

export type Cell = string | number | null;
export interface ReportDocument {
  /** The SQL reports, and `aging` (from the invoice index: ./aging.ts). */
  report: ReportSqlName | 'aging';
  /** `2026-11`, `2026-Q4`, or `all` (runs). */
  scope: string;
  months: string[] | 'all';
  engine: QueryTarget['engine'] | 'dynamodb';
  /** The currency of every amount, where there is one (vat, oss, ec-sales-list). */
  currency?: string;
  rows: Record<string, Cell>[];
  totals?: Record<string, Cell>;
  /** Facts the figures rest on (conversion rates, bytes Athena scanned). */
  notes: string[];
}

/** A report's document: what every report says about itself, then its own content. */
const documentOf = (
  report: ReportSqlName,
  scope: ReportScope | undefined,
  target: QueryTarget,
  content: Pick<ReportDocument, 'rows' | 'notes'> & Partial<Pick<ReportDocument, 'currency' | 'totals'>>,
): ReportDocument => ({
  report,
  scope: scope?.label ?? 'all',
  months: scope?.months ?? 'all',
  engine: target.engine,
  ...content,
});

const int = (cell: string | null | undefined): number => {
  if (cell === null || cell === undefined) return 0;
  const value = Number(BigInt(cell));
  if (!Number.isSafeInteger(value))
    throw new ReportQueryError(`the sum ${cell} is beyond the safe integer range`);
  return value;
};

async function run(
  target: QueryTarget,
  name: ReportSqlName,
  tables: readonly AnalyticsTable[],
  months: readonly string[] | undefined,
  params: Record<string, SqlParam>,
): Promise<{ rows: Record<string, string | null>[]; notes: string[] }> {
  const result = await target.query({ sql: bindSql(reportSql(name), params), tables, months });
  return {
    rows: rowObjects(result),
    notes: result.bytesScanned === undefined ? [] : [`Athena scanned ${result.bytesScanned} bytes`],
  };
}

const noData = (what: string, scope: ReportScope): ReportNoDataError =>
  new ReportNoDataError(
    `no ${what} counts in ${scope.label} (months ${scope.months.join(', ')}): has a run of that period finished? (invoicer runs list; invoicer report rebuild --period YYYY-MM rewrites a period's analytics files)`,
  );

/** Rows with a conversion missing make the national figures wrong: refused, with the fix. */
function refuseUnconverted(rows: Record<string, string | null>[], scope: ReportScope): void {
  const missing = rows.reduce((n, r) => n + int(r.unconverted), 0);
  if (missing > 0)
    throw new ReportQueryError(
      `${missing} VAT lines in ${scope.label} have no amount in the national currency (no ECB rate for their date of supply): add the rates to reference/ecb-rates.json, then invoicer report rebuild --period YYYY-MM for each month`,
    );
}

/** The one national currency of the rows (the seller's); none: the seller is outside the EU. */
function nationalCurrency(rows: Record<string, string | null>[], report: string): string {
  const currencies = [...new Set(rows.map((r) => r.national_currency))];
  if (currencies.length !== 1 || currencies[0] === null || currencies[0] === undefined)
    throw new ReportQueryError(
      `report ${report} needs a seller in an EU member state, with one national currency (found: ${currencies.map(String).join(', ')})`,
    );
  return currencies[0];
}

export async function revenueReport(
  target: QueryTarget,
  scope: ReportScope,
  by: readonly RevenueDimension[],
): Promise<ReportDocument> {
  const { rows, notes } = await run(target, 'revenue', ['invoices'], scope.months, {
    periods: scope.months,
    by_country: by.includes('country'),
    by_plan: by.includes('plan'),
    by_customer: by.includes('customer'),
  });
  if (rows.length === 0) throw noData('invoice or credit note', scope);
  return documentOf('revenue', scope, target, {
    rows: rows.map((r) => {
      const currency = r.currency!;
      const amount = (minor: number) => decimalAmount(minor, currency);
      const net = int(r.net_minor);
      const tax = int(r.tax_minor);
      const total = int(r.total_minor);
      return {
        currency,
        ...(by.includes('country') ? { country: r.country ?? null } : {}),
        ...(by.includes('plan') ? { plan: r.plan_id ?? null } : {}),
        ...(by.includes('customer') ? { customer: r.customer_id ?? null } : {}),
        invoices: int(r.invoices),
        creditNotes: int(r.credit_notes),
        netMinor: net,
        net: amount(net),
        taxMinor: tax,
        tax: amount(tax),
        totalMinor: total,
        total: amount(total),
      };
    }),
    notes,
  });
}

export async function vatReport(target: QueryTarget, scope: ReportScope): Promise<ReportDocument> {
  const { rows, notes } = await run(target, 'vat', ['vat'], scope.months, { periods: scope.months });
  if (rows.length === 0) throw noData('VAT line', scope);
  refuseUnconverted(rows, scope);
  const currency = nationalCurrency(rows, 'vat');
  const amount = (minor: number) => decimalAmount(minor, currency);
  // Keyed by scheme, a value read back from the files: no prototype to reach.
  const totals = Object.create(null) as Record<string, Cell>;
  const shaped = rows.map((r) => {
    const taxable = int(r.taxable_minor);
    const tax = int(r.tax_minor);
    const scheme = r.scheme!;
    totals[`${scheme}TaxableMinor`] = Number(totals[`${scheme}TaxableMinor`] ?? 0) + taxable;
    totals[`${scheme}TaxMinor`] = Number(totals[`${scheme}TaxMinor`] ?? 0) + tax;
    return {
      scheme,
      category: r.category ?? null,
      rate: r.rate ?? null,
      taxCountry: r.tax_country ?? null,
      documents: int(r.documents),
      taxableMinor: taxable,
      taxable: amount(taxable),
      taxMinor: tax,
      tax: amount(tax),
    };
  });
  for (const key of Object.keys(totals)) totals[key.replace(/Minor$/, '')] = amount(Number(totals[key]));
  return documentOf('vat', scope, target, { currency, rows: shaped, totals, notes });
}

/** How far after the quarter's last day the ECB rate may be (it publishes on TARGET days). */
const OSS_RATE_DAYS_AFTER = 7;

/**
 * The OSS conversion rate: the ECB's of the quarter's last day, or of the next day it published
 * one (VAT Directive Art. 369h(2); Implementing Regulation 282/2011 Art. 61).
 */
function ossRate(
  rates: EcbRates | undefined,
  lastDay: string,
  currency: string,
): { perEur: Record<string, string>; day: string } {
  for (let after = 0; after <= OSS_RATE_DAYS_AFTER; after++) {
    const day = addDays(lastDay, after);
    const table = rates?.rates[day];
    if (table?.[currency] !== undefined) return { perEur: table, day };
  }
  throw new ReportQueryError(
    `no ECB rate for ${currency} on ${lastDay} or the ${OSS_RATE_DAYS_AFTER} days after (the OSS return converts at the rate of the quarter's last day, Art. 369h(2)): add it to reference/ecb-rates.json`,
  );
}

export async function ossReport(
  target: QueryTarget,
  scope: ReportScope,
  rates: EcbRates | undefined,
): Promise<ReportDocument> {
  const { rows, notes } = await run(target, 'oss', ['vat'], scope.months, { periods: scope.months });
  if (rows.length === 0) throw noData('sale under the One-Stop-Shop', scope);
  const lines = new Map<
    string,
    { memberState: string; rate: string; documents: number; taxableMinor: number; taxMinor: number }
  >();
  for (const r of rows) {
    const currency = r.currency!;
    const toEur = (minor: number): number => {
      if (currency === 'EUR') return minor;
      const { perEur, day } = ossRate(rates, scope.lastDay, currency);
      const note = `${currency} at ${perEur[currency]} per EUR (ECB, ${day})`;
      if (!notes.includes(note)) notes.push(note);
      return convertMinor(minor, currency, 'EUR', perEur, day, `OSS ${r.member_state} ${currency}`);
    };
    const key = `${r.member_state}|${r.rate}`;
    const line = lines.get(key) ?? {
      memberState: r.member_state!,
      rate: r.rate!,
      documents: 0,
      taxableMinor: 0,
      taxMinor: 0,
    };
    line.documents += int(r.documents);
    line.taxableMinor += toEur(int(r.taxable_minor));
    line.taxMinor += toEur(int(r.tax_minor));
    lines.set(key, line);
  }
  const eur = (minor: number) => decimalAmount(minor, 'EUR');
  const shaped = [...lines.values()].map((l) => ({
    memberState: l.memberState,
    rate: l.rate,
    documents: l.documents,
    taxableMinor: l.taxableMinor,
    taxable: eur(l.taxableMinor),
    taxMinor: l.taxMinor,
    tax: eur(l.taxMinor),
  }));
  const totalTax = shaped.reduce((n, l) => n + l.taxMinor, 0);
  return documentOf('oss', scope, target, {
    currency: 'EUR',
    rows: shaped,
    totals: { taxMinor: totalTax, tax: eur(totalTax) },
    notes,
  });
}

export async function ecSalesListReport(target: QueryTarget, scope: ReportScope): Promise<ReportDocument> {
  const { rows, notes } = await run(target, 'ec-sales-list', ['vat'], scope.months, {
    periods: scope.months,
  });
  if (rows.length === 0) throw noData('reverse-charge supply', scope);
  refuseUnconverted(rows, scope);
  const currency = nationalCurrency(rows, 'ec-sales-list');
  const amount = (minor: number) => decimalAmount(minor, currency);
  const shaped = rows.map((r) => {
    const vatId = r.buyer_vat_id ?? '';
    const value = int(r.taxable_minor);
    return {
      // The statement's country code is the VAT id's prefix (EL for Greece), then the number.
      countryCode: vatId.slice(0, 2),
      vatNumber: vatId.slice(2),
      buyerCountry: r.buyer_country ?? null,
      documents: int(r.documents),
      amountMinor: value,
      amount: amount(value),
      // Whole units, as the German ZM and most statements take them (rounded half away from zero).
      amountWhole: divideToMinor(
        BigInt(value),
        10n ** BigInt(currencyOf(currency).exponent),
        'EC Sales List whole units',
      ),
    };
  });
  const total = shaped.reduce((n, r) => n + r.amountMinor, 0);
  return documentOf('ec-sales-list', scope, target, {
    currency,
    rows: shaped,
    totals: { amountMinor: total, amount: amount(total) },
    notes,
  });
}

export async function runsReport(
  target: QueryTarget,
  scope: ReportScope | undefined,
): Promise<ReportDocument> {
  const { rows, notes } = await run(target, 'runs', ['runs'], scope?.months, {
    all_periods: scope === undefined,
    periods: scope?.months ?? [],
  });
  if (rows.length === 0)
    throw new ReportNoDataError(
      `no finished run${scope ? ` of ${scope.label}` : ''} (a run's row is written when it finishes: invoicer runs list)`,
    );
  return documentOf('runs', scope, target, {
    rows: rows.map((r) => {
      const customers = int(r.customers);
      const issued = int(r.issued);
      return {
        runId: r.run_id ?? null,
        period: r.billing_period ?? null,
        status: r.status ?? null,
        startedAt: r.started_at ?? null,
        finishedAt: r.finished_at ?? null,
        durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : int(r.duration_ms),
        customers,
        issued,
        skipped: int(r.skipped),
        failed: int(r.failed),
        notProcessed: int(r.not_processed),
        costEstimateUsd: runCostUsd({ customers, issued }).toFixed(4),
      };
    }),
    notes,
  });
}
