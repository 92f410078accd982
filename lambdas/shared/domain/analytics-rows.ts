/**
 * One issued document as rows of the analytics tables (contracts/analytics.ts), pure: the invoice
 * row, one row per line, one per VAT breakdown entry (EN 16931 BG-23).
 *
 * Which month a document counts in: an invoice by its date of supply (the billing period's last
 * day, or the last day of service), a credit note by its issue date, with negative amounts (VAT
 * Directive Art. 63 and 66 for the supply, Art. 90 for the reduction: § 13 (1) and § 17 (1) UStG).
 *
 * The national amounts are in the seller's national currency, the currency of its VAT returns:
 * the VAT exactly as the document states it under Art. 230 where it does, else converted at the
 * ECB rate of the date of supply (the latest published on or before it), like Art. 230's.
 */
import type { AnalyticsRow, VatScheme } from '../contracts/analytics.js';
import { convertMinor, nationalCurrencyOf, ratesOn, type EcbRates } from './exchange.js';
import { isEuMemberState } from './tax-rates.js';
import type { InvoiceDetail, TaxLine } from './types.js';

export interface DocumentRows {
  /** The partition: the month (YYYY-MM) the document counts in. */
  period: string;
  invoices: AnalyticsRow[];
  lines: AnalyticsRow[];
  vat: AnalyticsRow[];
}

export interface RowContext {
  /** The index row's status when written (ISSUED, NOTIFIED, REPLACED). */
  status: string;
  /** The run that issued an invoice; none for a credit note. */
  runId?: string;
  /** The operator's ECB rates, for national amounts the document does not state. */
  rates: EcbRates | undefined;
}

/** Where a VAT line goes in the seller's returns. */
export function vatSchemeOf(tax: TaxLine, sellerCountry: string): VatScheme {
  switch (tax.category) {
    case 'AE':
      return 'reverse_charge';
    case 'O':
      return 'outside_scope';
    case 'S':
    case undefined: {
      const country = tax.country ?? sellerCountry;
      if (country === sellerCountry) return 'domestic';
      return isEuMemberState(country) && isEuMemberState(sellerCountry) ? 'oss' : 'foreign_vat';
    }
    default:
      return 'exempt';
  }
}

export const isCreditNote = (detail: InvoiceDetail): boolean => detail.documentType === 'credit_note';

/** The month a document counts in (see the file comment). */
export const reportingPeriodOf = (detail: InvoiceDetail): string =>
  (isCreditNote(detail) ? detail.issueDate : detail.period.end).slice(0, 7);

interface National {
  currency: string | null;
  taxableMinor: number | null;
  taxMinor: number | null;
  rateDate: string | null;
}

const NO_NATIONAL: National = { currency: null, taxableMinor: null, taxMinor: null, rateDate: null };

function nationalOf(detail: InvoiceDetail, tax: TaxLine, rates: EcbRates | undefined): National {
  const supplyDate = detail.period.end;
  const national = nationalCurrencyOf(detail.seller.address.country, supplyDate);
  if (national === undefined) return NO_NATIONAL;
  if (national === detail.currency)
    return { currency: national, taxableMinor: tax.taxableMinor, taxMinor: tax.taxMinor, rateDate: null };
  const label = `${detail.invoiceNumber} national amounts`;
  const stated = tax.national?.currency === national ? tax.national : undefined;
  if (stated !== undefined) {
    const perEur = Object.fromEntries(stated.rates.map((r) => [r.currency, r.perEur]));
    return {
      currency: national,
      taxableMinor: convertMinor(tax.taxableMinor, detail.currency, national, perEur, stated.rateDate, label),
      taxMinor: stated.taxMinor,
      rateDate: stated.rateDate,
    };
  }
  if (rates === undefined) return { ...NO_NATIONAL, currency: national };
  let found: { rateDate: string; perEur: Record<string, string> };
  try {
    found = ratesOn(rates, supplyDate, [detail.currency, national]);
  } catch {
    // No rate: the row says so (null amounts) and the reports refuse to add it up.
    return { ...NO_NATIONAL, currency: national };
  }
  const convert = (minor: number) =>
    convertMinor(minor, detail.currency, national, found.perEur, found.rateDate, label);
  return {
    currency: national,
    taxableMinor: convert(tax.taxableMinor),
    taxMinor: convert(tax.taxMinor),
    rateDate: found.rateDate,
  };
}

const negateOr = (value: number | null, sign: number): number | null =>
  value === null ? null : value * sign;

const big = (value: number | null): bigint | null => (value === null ? null : BigInt(value));

/** The rows of one issued document. */
export function analyticsRowsOf(detail: InvoiceDetail, context: RowContext): DocumentRows {
  const creditNote = isCreditNote(detail);
  const sign = creditNote ? -1 : 1;
  const common: AnalyticsRow = {
    document_number: detail.invoiceNumber,
    document_type: creditNote ? 'credit_note' : 'invoice',
    customer_id: detail.customerId,
    currency: detail.currency,
    exponent: detail.exponent,
    issue_date: detail.issueDate,
    supply_date: detail.period.end,
    billing_period: detail.period.id,
  };
  const buyerVatId = detail.buyer.vatId ?? null;
  const invoice: AnalyticsRow = {
    ...common,
    corrects: detail.corrects?.invoiceNumber ?? null,
    buyer_country: detail.buyer.address.country,
    buyer_vat_id: buyerVatId,
    plan_id: detail.plan.planId,
    net_minor: BigInt(sign * detail.taxableMinor),
    tax_minor: BigInt(sign * detail.taxTotalMinor),
    total_minor: BigInt(sign * detail.totalMinor),
    run_id: creditNote ? null : (context.runId ?? null),
    status: context.status,
  };
  const lines = detail.lines.map((line): AnalyticsRow => ({
    ...common,
    line_id: line.lineId,
    kind: line.kind,
    metric: line.metric ?? null,
    description: line.description,
    quantity: line.quantity,
    unit: line.unit ?? null,
    plan_id: detail.plan.planId,
    amount_minor: BigInt(sign * line.amountMinor),
  }));
  const vat = detail.taxes.map((tax): AnalyticsRow => {
    const national = nationalOf(detail, tax, context.rates);
    return {
      ...common,
      buyer_country: detail.buyer.address.country,
      buyer_vat_id: buyerVatId,
      category: tax.category ?? 'S',
      rate: tax.rate,
      tax_country: tax.country ?? null,
      scheme: vatSchemeOf(tax, detail.seller.address.country),
      taxable_minor: BigInt(sign * tax.taxableMinor),
      tax_minor: BigInt(sign * tax.taxMinor),
      national_currency: national.currency,
      national_taxable_minor: big(negateOr(national.taxableMinor, sign)),
      national_tax_minor: big(negateOr(national.taxMinor, sign)),
      national_rate_date: national.rateDate,
    };
  });
  return { period: reportingPeriodOf(detail), invoices: [invoice], lines, vat };
}
