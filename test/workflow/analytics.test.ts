/**
 * The analytics files and the reports on the real local stack: a month of invoices in every demo
 * market (reverse charge, OSS, outside the scope, KWD with 3 decimals), a customer whose document
 * compensation voided and a re-run issued, a USD invoice to a German consumer (its VAT stated in
 * EUR, Art. 230), credit notes and a replaced invoice. Every report is held against the same
 * figures recomputed here, independently, from the JSON details themselves; re-runs and rebuilds
 * leave no double row and rewrite the same bytes.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import type { InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { rebuildPeriodAnalytics } from '../../lambdas/shared/operations/rebuild-analytics.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { parseFaultSpec } from '../../workflows/local/faults.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { duckdbTarget } from '../../scripts/reports/duckdb-target.js';
import { rowObjects, type QueryTarget } from '../../scripts/reports/query-target.js';
import {
  ecSalesListReport,
  ossReport,
  revenueReport,
  runsReport,
  vatReport,
} from '../../scripts/reports/reports.js';
import { monthScope, quarterScope } from '../../scripts/reports/scope.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
const QUARTER = quarterScope('2026-Q4');
const EU = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);
let f: BillingFixture;
let query: QueryTarget;
let details: InvoiceDetail[];
let rates: Record<string, Record<string, string>>;

/** Half away from zero, on exact integers: `numerator / denominator`. */
const roundDiv = (numerator: bigint, denominator: bigint): number => {
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const q = (2n * n + d) / (2n * d);
  return Number(negative ? -q : q);
};

/** `minor` of `currency` in EUR cents at `perEur` (units of the currency per 1 EUR). */
function toEurCents(minor: number, exponent: number, perEur: string): number {
  const [whole, fraction = ''] = perEur.split('.');
  const units = BigInt(`${whole}${fraction}`);
  return roundDiv(BigInt(minor) * 100n * 10n ** BigInt(fraction.length), units * 10n ** BigInt(exponent));
}

const signOf = (d: InvoiceDetail) => (d.documentType === 'credit_note' ? -1 : 1);
const monthOf = (d: InvoiceDetail) =>
  (d.documentType === 'credit_note' ? d.issueDate : d.period.end).slice(0, 7);

/** The seller's (DE) amount in EUR of a VAT line, as the return needs it. */
function eurOf(
  d: InvoiceDetail,
  t: InvoiceDetail['taxes'][number],
  field: 'taxableMinor' | 'taxMinor',
): number {
  if (d.currency === 'EUR') return t[field];
  if (field === 'taxMinor' && t.national?.currency === 'EUR') return t.national.taxMinor;
  // The rate of the date of supply, or the latest published in the week before it.
  const day =
    t.national?.rateDate ??
    [...Array(8).keys()]
      .map((back) =>
        new Date(Date.parse(`${d.period.end}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10),
      )
      .find((date) => rates[date]?.[d.currency] !== undefined)!;
  return toEurCents(t[field], d.exponent, rates[day]![d.currency]!);
}

function schemeOf(t: InvoiceDetail['taxes'][number]): string {
  if (t.category === 'AE') return 'reverse_charge';
  if (t.category === 'O') return 'outside_scope';
  if (t.category !== 'S') return 'exempt';
  if (t.country === 'DE') return 'domestic';
  return EU.has(t.country!) ? 'oss' : 'foreign_vat';
}

beforeAll(async () => {
  f = await openBillingFixture('analytics');
  const { clients, storage } = f.session;
  // Every demo market once; one customer's documents fail for good, so Compensate voids its number.
  const demo = demoCustomers(15);
  const victim = demo.find((c) => c.billingAddress.country === 'FR')!.customerId;
  await runLocalBilling(f.session, {
    period: PERIOD,
    demoCustomers: 15,
    retryIntervalMs: 1,
    faults: { rules: parseFaultSpec(`render:permanent:customer=${victim}`), seed: 1 },
  });
  // A German consumer billed in USD: the VAT is also stated in EUR (Art. 230).
  const us = demo.find((c) => c.currency === 'USD')!;
  await clients.dynamodb.send(
    new PutCommand({
      TableName: storage.tables.customers,
      Item: {
        ...us,
        customerId: 'cus_de_usd',
        legalName: 'Dollar Kunde',
        billingAddress: { line1: 'Hauptstraße 1', city: 'Köln', postalCode: '50667', country: 'DE' },
        locale: 'de-DE',
      },
    }),
  );
  // The re-run issues the voided customer and the new one; the rest are skipped.
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  const rows = await f.invoices(PERIOD);
  const byCountry = (country: string, currency?: string) =>
    rows.find((r) => {
      const customer = [...demo, { ...us, customerId: 'cus_de_usd', billingAddress: { country: 'DE' } }].find(
        (c) => c.customerId === r.customerId,
      );
      return (
        customer?.billingAddress.country === country && (currency === undefined || r.currency === currency)
      );
    })!;
  const by = 'test@analytics';
  await f.session.creditInvoice({
    invoiceNumber: byCountry('KW').invoiceNumber,
    reason: 'Outage',
    amount: '12.345',
    by,
  });
  await f.session.creditInvoice({
    invoiceNumber: byCountry('DE', 'USD').invoiceNumber,
    reason: 'Goodwill',
    amount: '5.00',
    by,
  });
  await f.session.replaceInvoice({ invoiceNumber: byCountry('NL').invoiceNumber, reason: 'Wrong plan', by });
  // The replacement is issued by the next run of the period, whose FinalizeRun rebuilds it.
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });

  const issued = (await f.invoices()).filter((r) => r.status === 'ISSUED' || r.status === 'NOTIFIED');
  details = await Promise.all(
    issued.map(async (r) =>
      JSON.parse((await f.session.stores.documents.getBytes(r.jsonKey)).toString('utf8')),
    ),
  );
  rates = (await f.session.stores.exchangeRates.load())!.rates;
  query = await duckdbTarget(f.session.stores.documents);
}, 300_000);

afterAll(async () => {
  await query?.close();
  await f?.cleanup();
});

describe('the month the fixture covers', () => {
  it('has every case the reports must get right', () => {
    expect(details.some((d) => d.documentType === 'credit_note' && d.currency === 'KWD')).toBe(true);
    expect(details.some((d) => d.taxes.some((t) => t.national?.currency === 'EUR'))).toBe(true);
    expect(details.some((d) => d.taxes.some((t) => t.category === 'AE'))).toBe(true);
    expect(details.some((d) => d.taxes.some((t) => t.category === 'O'))).toBe(true);
    // The replaced invoice and its replacement: two invoices of one customer and period.
    const invoicesOf = new Map<string, number>();
    for (const d of details.filter((x) => x.documentType !== 'credit_note'))
      invoicesOf.set(d.customerId, (invoicesOf.get(d.customerId) ?? 0) + 1);
    expect([...invoicesOf.values()]).toContain(2);
  });

  it('keeps the run invariants, a replaced invoice and its replacement included', async () => {
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
    const rows = await f.invoices(PERIOD);
    expect(rows.some((r) => r.replacedAt !== undefined)).toBe(true);
    expect(rows.some((r) => r.status === 'VOID')).toBe(true);
  });
});

describe('analytics files', () => {
  it('hold each issued document once, in the month it counts in, and nothing voided', async () => {
    const result = rowObjects(
      await query.query({
        sql: 'SELECT document_number, period, COUNT(*) AS n FROM invoices GROUP BY document_number, period ORDER BY 1',
        tables: ['invoices'],
        months: undefined,
      }),
    );
    expect(result.map((r) => [r.document_number, r.period, r.n])).toEqual(
      details
        .map((d) => [d.invoiceNumber, monthOf(d), '1'])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('are rewritten byte for byte by a rebuild', async () => {
    const keys = (await f.session.stores.documents.list(s3Keys.analyticsPrefix)).sort();
    const before = await Promise.all(keys.map((k) => f.session.stores.documents.getBytes(k)));
    const rebuilt = await rebuildPeriodAnalytics(f.session.stores, PERIOD);
    expect(rebuilt.invoices).toBe(details.filter((d) => d.documentType !== 'credit_note').length);
    expect((await f.session.stores.documents.list(s3Keys.analyticsPrefix)).sort()).toEqual(keys);
    const after = await Promise.all(keys.map((k) => f.session.stores.documents.getBytes(k)));
    after.forEach((bytes, i) => expect(bytes.equals(before[i]!)).toBe(true));
  });
});

describe('reports equal the figures recomputed from the JSON details', () => {
  const inQuarter = () => details.filter((d) => QUARTER.months.includes(monthOf(d)));

  it('revenue per currency and country', async () => {
    const report = await revenueReport(query, QUARTER, ['currency', 'country']);
    const expected = new Map<string, { net: number; invoices: number; creditNotes: number }>();
    for (const d of inQuarter()) {
      const key = `${d.currency}|${d.buyer.address.country}`;
      const e = expected.get(key) ?? { net: 0, invoices: 0, creditNotes: 0 };
      e.net += signOf(d) * d.taxableMinor;
      if (d.documentType === 'credit_note') e.creditNotes++;
      else e.invoices++;
      expected.set(key, e);
    }
    expect(
      new Map(
        report.rows.map((r) => [
          `${r.currency}|${r.country}`,
          { net: r.netMinor, invoices: r.invoices, creditNotes: r.creditNotes },
        ]),
      ),
    ).toEqual(expected);
    expect(report.rows.find((r) => r.currency === 'KWD')?.net).toMatch(/^-?\d+\.\d{3}$/);
  });

  it('the VAT return: base and VAT in EUR per scheme, rate and country', async () => {
    const report = await vatReport(query, QUARTER);
    const expected = new Map<string, { taxable: number; tax: number }>();
    for (const d of inQuarter())
      for (const t of d.taxes) {
        const key = `${schemeOf(t)}|${t.rate}|${t.country ?? '-'}`;
        const e = expected.get(key) ?? { taxable: 0, tax: 0 };
        e.taxable += signOf(d) * eurOf(d, t, 'taxableMinor');
        e.tax += signOf(d) * eurOf(d, t, 'taxMinor');
        expected.set(key, e);
      }
    expect(report.currency).toBe('EUR');
    expect(
      new Map(
        report.rows.map((r) => [
          `${r.scheme}|${r.rate}|${r.taxCountry ?? '-'}`,
          { taxable: r.taxableMinor, tax: r.taxMinor },
        ]),
      ),
    ).toEqual(expected);
  });

  it('the OSS return: per member state and rate, in EUR at the rate of the quarter-end', async () => {
    const report = await ossReport(query, QUARTER, await f.session.stores.exchangeRates.load());
    const byCurrency = new Map<
      string,
      { state: string; rate: string; currency: string; exponent: number; taxable: number; tax: number }
    >();
    for (const d of inQuarter())
      for (const t of d.taxes.filter((x) => schemeOf(x) === 'oss')) {
        const key = `${t.country}|${t.rate}|${d.currency}`;
        const e = byCurrency.get(key) ?? {
          state: t.country!,
          rate: t.rate,
          currency: d.currency,
          exponent: d.exponent,
          taxable: 0,
          tax: 0,
        };
        e.taxable += signOf(d) * t.taxableMinor;
        e.tax += signOf(d) * t.taxMinor;
        byCurrency.set(key, e);
      }
    const expected = new Map<string, { taxable: number; tax: number }>();
    for (const e of byCurrency.values()) {
      const eur = (minor: number) =>
        e.currency === 'EUR' ? minor : toEurCents(minor, e.exponent, rates[QUARTER.lastDay]![e.currency]!);
      const line = expected.get(`${e.state}|${e.rate}`) ?? { taxable: 0, tax: 0 };
      line.taxable += eur(e.taxable);
      line.tax += eur(e.tax);
      expected.set(`${e.state}|${e.rate}`, line);
    }
    expect(expected.size).toBeGreaterThan(1);
    expect(
      new Map(
        report.rows.map((r) => [`${r.memberState}|${r.rate}`, { taxable: r.taxableMinor, tax: r.taxMinor }]),
      ),
    ).toEqual(expected);
  });

  it('the EC Sales List: reverse-charged services per buyer VAT id, in EUR', async () => {
    const report = await ecSalesListReport(query, QUARTER);
    const expected = new Map<string, number>();
    for (const d of inQuarter())
      for (const t of d.taxes.filter((x) => x.category === 'AE'))
        expected.set(
          d.buyer.vatId!,
          (expected.get(d.buyer.vatId!) ?? 0) + signOf(d) * eurOf(d, t, 'taxableMinor'),
        );
    expect(expected.size).toBeGreaterThan(0);
    expect(new Map(report.rows.map((r) => [`${r.countryCode}${r.vatNumber}`, r.amountMinor]))).toEqual(
      expected,
    );
  });

  it('runs: one row per finished run, with what each issued', async () => {
    const report = await runsReport(query, monthScope(PERIOD));
    const runs = await f.session.listRuns();
    expect(report.rows.map((r) => [r.runId, r.issued, r.failed])).toEqual(
      expect.arrayContaining(
        runs.filter((r) => r.period === PERIOD).map((r) => [r.runId, r.issued, r.failed]),
      ),
    );
    expect(report.rows).toHaveLength(3);
    expect(report.rows.reduce((n, r) => n + Number(r.issued), 0)).toBe(
      details.filter((d) => d.documentType !== 'credit_note').length,
    );
  });

  it('a month without documents is "no data", not an empty report', async () => {
    await expect(vatReport(query, monthScope('2026-08'))).rejects.toThrow(/no VAT line counts in 2026-08/);
  });
});
