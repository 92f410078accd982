/**
 * One issued document as analytics rows (domain/analytics-rows.ts), over every golden case and its
 * credit notes: the rows add up to the document, credit notes count negative in the month of
 * their issue, national amounts are the document's own where it states them; and the Parquet files
 * read back (DuckDB) to exactly the rows written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ANALYTICS_TABLES, type AnalyticsRow } from '../../../lambdas/shared/contracts/analytics.js';
import { analyticsRowsOf, vatSchemeOf } from '../../../lambdas/shared/domain/analytics-rows.js';
import type { EcbRates } from '../../../lambdas/shared/domain/exchange.js';
import type { InvoiceDetail, TaxLine } from '../../../lambdas/shared/domain/types.js';
import { encodeParquet } from '../../../lambdas/shared/store/analytics-files.js';
import { computeGoldenDraft, goldenCases, goldenCreditNotes, issueGolden } from '../../support/golden.js';

const documents: InvoiceDetail[] = goldenCases.flatMap(([, c]) => {
  if (c.expectedError !== undefined) return [];
  const invoice = issueGolden(computeGoldenDraft(c));
  return [invoice, ...goldenCreditNotes(c, invoice)];
});
const RATES: EcbRates = {
  source: 'test',
  rates: Object.fromEntries(
    [
      '2026-01-30',
      '2026-02-27',
      '2026-03-31',
      '2026-04-30',
      '2026-05-29',
      '2026-06-30',
      '2026-09-30',
      '2026-10-30',
      '2026-11-30',
    ].map((d) => [
      d,
      {
        USD: '1.0850',
        GBP: '0.8550',
        CHF: '0.9500',
        JPY: '160.50',
        KWD: '0.3330',
        PLN: '4.3000',
        SEK: '11.2000',
        DKK: '7.4600',
        NOK: '11.6000',
      },
    ]),
  ),
};
const rowsOf = (d: InvoiceDetail) => analyticsRowsOf(d, { status: 'NOTIFIED', runId: 'run-1', rates: RATES });
const sum = (values: (string | number | bigint | null | undefined)[]) =>
  values.reduce<bigint>((n, v) => n + BigInt(v ?? 0), 0n);

describe('analytics rows of a document', () => {
  it('covers invoices and credit notes of many currencies', () => {
    expect(documents.filter((d) => d.documentType === 'credit_note').length).toBeGreaterThan(2);
    expect(new Set(documents.map((d) => d.currency)).size).toBeGreaterThan(3);
  });

  it.each(documents.map((d) => [d.invoiceNumber + ' ' + d.customerId, d] as const))(
    '%s: the rows add up to the document, signed, in the month it counts in',
    (_name, d) => {
      const rows = rowsOf(d);
      const sign = d.documentType === 'credit_note' ? -1n : 1n;
      expect(rows.period).toBe((d.documentType === 'credit_note' ? d.issueDate : d.period.end).slice(0, 7));
      expect(rows.invoices).toHaveLength(1);
      expect(rows.invoices[0]).toMatchObject({
        document_number: d.invoiceNumber,
        net_minor: sign * BigInt(d.taxableMinor),
        tax_minor: sign * BigInt(d.taxTotalMinor),
        total_minor: sign * BigInt(d.totalMinor),
        run_id: d.documentType === 'credit_note' ? null : 'run-1',
      });
      expect(sum(rows.lines.map((l) => l.amount_minor))).toBe(sign * sum(d.lines.map((l) => l.amountMinor)));
      expect(sum(rows.vat.map((v) => v.taxable_minor))).toBe(sign * sum(d.taxes.map((t) => t.taxableMinor)));
      expect(sum(rows.vat.map((v) => v.tax_minor))).toBe(sign * BigInt(d.taxTotalMinor));
      d.taxes.forEach((t, i) => {
        const vat = rows.vat[i]!;
        if (t.national?.currency === vat.national_currency)
          expect(vat.national_tax_minor).toBe(sign * BigInt(t.national!.taxMinor));
        if (d.currency === vat.national_currency)
          expect(vat.national_taxable_minor).toBe(sign * BigInt(t.taxableMinor));
      });
    },
  );

  it('leaves the national amounts empty, never guessed, without a rate for the date of supply', () => {
    const usd = documents.find(
      (d) => d.currency === 'USD' && d.seller.address.country === 'DE' && !d.taxes[0]?.national,
    )!;
    expect(usd).toBeDefined();
    const [vat] = analyticsRowsOf(usd, { status: 'ISSUED', rates: { source: 'none', rates: {} } }).vat;
    expect(vat).toMatchObject({
      national_currency: 'EUR',
      national_taxable_minor: null,
      national_tax_minor: null,
    });
  });

  it('places each VAT line in the return it belongs to', () => {
    const line = (category: TaxLine['category'], country?: string): TaxLine => ({
      category,
      rate: '0',
      label: '',
      taxableMinor: 1,
      taxMinor: 0,
      ...(country ? { country } : {}),
    });
    expect(vatSchemeOf(line('S', 'DE'), 'DE')).toBe('domestic');
    expect(vatSchemeOf(line('S', 'FR'), 'DE')).toBe('oss');
    expect(vatSchemeOf(line('S', 'GB'), 'DE')).toBe('foreign_vat');
    expect(vatSchemeOf(line('S', 'FR'), 'GB')).toBe('foreign_vat');
    expect(vatSchemeOf(line('AE'), 'DE')).toBe('reverse_charge');
    expect(vatSchemeOf(line('O'), 'DE')).toBe('outside_scope');
    expect(vatSchemeOf(line('E'), 'DE')).toBe('exempt');
  });
});

describe('Parquet files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invoicer-parquet-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['invoices', 'lines', 'vat'] as const)(
    '%s: read back by DuckDB exactly as written',
    async (table) => {
      const rows: AnalyticsRow[] = documents.flatMap((d) => rowsOf(d)[table]);
      const file = join(dir, `${table}.parquet`);
      writeFileSync(file, encodeParquet(table, rows));
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const result = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
      expect(result.columnNames()).toEqual(ANALYTICS_TABLES[table].map((c) => c.name));
      const read = result.getRowObjects();
      expect(read).toHaveLength(rows.length);
      read.forEach((row, i) => {
        for (const column of ANALYTICS_TABLES[table]) {
          const written = rows[i]![column.name] ?? null;
          expect([column.name, row[column.name] ?? null]).toEqual([column.name, written]);
        }
      });
      connection.closeSync();
      instance.closeSync();
    },
  );

  it('refuses a row without a required column, naming it', () => {
    expect(() => encodeParquet('runs', [{ run_id: 'r' }])).toThrow('runs.billing_period is missing');
  });
});
