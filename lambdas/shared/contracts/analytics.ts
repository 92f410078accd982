/**
 * The analytics tables: what the run writes for SQL (Athena on AWS, DuckDB locally), defined once.
 * The writer (store/analytics-files.ts), the Glue tables (infra/constructs/analytics.ts) and the
 * local views (scripts/reports/duckdb-target.ts) all read their columns from here.
 *
 * Files are Parquet under `analytics/<table>/period=YYYY-MM/`, where `period` is the month a
 * document counts in: an invoice's date of supply, a credit note's issue date (its amounts
 * negative). Money is integer minor units of `currency` (with its `exponent`); dates are ISO
 * `YYYY-MM-DD` strings, which sort as dates in both engines.
 */

export type AnalyticsColumnType = 'string' | 'bigint' | 'int';

export interface AnalyticsColumn {
  name: string;
  type: AnalyticsColumnType;
  /** What the column holds (the Glue column comment, and docs/reports.md). */
  comment: string;
  nullable?: boolean;
}

const col = (
  name: string,
  type: AnalyticsColumnType,
  comment: string,
  nullable = false,
): AnalyticsColumn => ({
  name,
  type,
  comment,
  ...(nullable ? { nullable } : {}),
});

const documentColumns = [
  col('document_number', 'string', 'invoice or credit note number'),
  col('document_type', 'string', 'invoice | credit_note'),
  col('customer_id', 'string', 'the buyer'),
  col('currency', 'string', 'ISO 4217 code of the document'),
  col('exponent', 'int', 'minor units of the currency (EUR 2, JPY 0, KWD 3)'),
  col('issue_date', 'string', 'YYYY-MM-DD'),
  col('supply_date', 'string', 'date of supply, YYYY-MM-DD (a credit note: that of the invoice it corrects)'),
  col('billing_period', 'string', 'the billing period YYYY-MM the document belongs to'),
];

const buyerColumns = [
  col('buyer_country', 'string', 'ISO 3166 country of the billing address'),
  col('buyer_vat_id', 'string', 'the buyer VAT id, if any', true),
];
const planColumn = col('plan_id', 'string', 'price plan');

/** The `status` an invoice's row has once it was credited in full and set aside for a new one. */
export const ANALYTICS_STATUS_REPLACED = 'REPLACED';

export const ANALYTICS_TABLES = {
  invoices: [
    ...documentColumns,
    col('corrects', 'string', 'a credit note: the invoice number it corrects', true),
    ...buyerColumns,
    planColumn,
    col('net_minor', 'bigint', 'taxable amount after discounts, signed (credit notes negative)'),
    col('tax_minor', 'bigint', 'VAT, signed'),
    col('total_minor', 'bigint', 'gross total, signed'),
    col('run_id', 'string', 'the run that issued it (credit notes: none)', true),
    col('status', 'string', 'index status when written: ISSUED | NOTIFIED | REPLACED'),
  ],
  lines: [
    ...documentColumns,
    col('line_id', 'string', 'line id within the document'),
    col('kind', 'string', 'base_fee | usage | discount | credit'),
    col('metric', 'string', 'usage metric', true),
    col('description', 'string', 'line text as printed'),
    col('quantity', 'string', 'billed quantity, decimal string'),
    col('unit', 'string', 'unit of the quantity', true),
    planColumn,
    col('amount_minor', 'bigint', 'line amount, signed (discounts and credit notes negative)'),
  ],
  vat: [
    ...documentColumns,
    ...buyerColumns,
    col('category', 'string', 'EN 16931 VAT category (BT-118): S, AE, O, E, Z'),
    col('rate', 'string', 'VAT rate in percent, decimal string'),
    col('tax_country', 'string', 'the country whose VAT is charged (category S)', true),
    col('scheme', 'string', 'domestic | oss | reverse_charge | foreign_vat | outside_scope | exempt'),
    col('taxable_minor', 'bigint', 'taxable base in the document currency, signed'),
    col('tax_minor', 'bigint', 'VAT in the document currency, signed'),
    col('national_currency', 'string', "the seller's national currency (its VAT returns')", true),
    col('national_taxable_minor', 'bigint', 'taxable base in the national currency, signed', true),
    col(
      'national_tax_minor',
      'bigint',
      'VAT in the national currency, signed (as printed under Art. 230)',
      true,
    ),
    col('national_rate_date', 'string', 'the ECB rate date of the conversion (none: same currency)', true),
  ],
  runs: [
    col('run_id', 'string', 'run id'),
    col('billing_period', 'string', 'the billing period YYYY-MM'),
    col('status', 'string', 'SUCCEEDED | COMPLETED_WITH_FAILURES | FAILED'),
    col('started_at', 'string', 'ISO 8601 instant', true),
    col('finished_at', 'string', 'ISO 8601 instant'),
    col('duration_ms', 'bigint', 'finished_at - started_at', true),
    col('customers', 'bigint', 'customers in the manifest'),
    col('issued', 'bigint', 'invoices issued'),
    col('skipped', 'bigint', 'customers skipped (already issued)'),
    col('failed', 'bigint', 'customers failed'),
    col('not_processed', 'bigint', 'customers the map never reached'),
  ],
} as const satisfies Record<string, readonly AnalyticsColumn[]>;

export type AnalyticsTable = keyof typeof ANALYTICS_TABLES;
export const ANALYTICS_TABLE_NAMES = Object.keys(ANALYTICS_TABLES) as AnalyticsTable[];

/** The partition column every table has (not stored in the files: it is the folder). */
export const ANALYTICS_PARTITION = 'period';

/** Where VAT lines go in the seller's returns (derived per line: domain/analytics-rows.ts). */
export const VAT_SCHEMES = [
  'domestic',
  'oss',
  'reverse_charge',
  'foreign_vat',
  'outside_scope',
  'exempt',
] as const;
export type VatScheme = (typeof VAT_SCHEMES)[number];

/** A row of a table: column name -> value (bigint columns as bigint, int as number). */
export type AnalyticsRow = Record<string, string | number | bigint | null>;
