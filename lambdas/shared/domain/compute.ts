/**
 * customer + plan + a period's usage -> the invoice draft; draft + number -> the invoice detail.
 *
 * Lines, in this order, with deterministic ids:
 *   `base`            the plan's base fee (omitted when 0)
 *   `usage:<metric>`  one per plan component in plan order, usage summed per metric; a line that
 *                     comes to 0 only where the plan says `showZeroAmountLines` (or every line
 *                     would be 0: an invoice has at least one line)
 *   `discount:<n>`    one per customer discount in order; percentages are of the subtotal (not
 *                     compounded), fixed amounts as given; together they never exceed the
 *                     subtotal (the discount that would overshoot is capped), so totals are >= 0.
 * Totals: subtotal (base + usage) - discount = taxable; tax per rate on the taxable sum, rounded
 * once (money.ts); total = taxable + tax. `discountMinor` is the positive amount deducted.
 *
 * Texts are written in the customer's language (i18n/): the plan's translated names, the
 * catalogue's product texts with numbers in the customer's format, and the legal notes.
 */
import { InvalidInputError } from '../errors.js';
import {
  currencyOf,
  minorToDecimalString,
  parseDecimal,
  percentOfMinor,
  prorateMinor,
  sumMinor,
  type Currency,
  type Decimal,
} from './money.js';
import { daysServed } from './billing-scope.js';
import { nationalVatOf, type EcbRates } from './exchange.js';
import { parseInvoiceNumber, seriesForIssueDate } from './numbering.js';
import { addDays, parseIsoDate, parsePeriod } from './periods.js';
import { priceComponent, sumQuantities } from './pricing.js';
import { lineTextsFor, productTextsFor, taxNoteFor } from '../i18n/line-texts.js';
import { languageOf } from '../i18n/languages.js';
import { formatDate, formatQuantity } from '../documents/format.js';
import { paymentCodeOf, sellerOnInvoice } from './seller-on-invoice.js';
import { taxTreatment } from './tax-treatment.js';
import type {
  Customer,
  InvoiceDetail,
  InvoiceDraft,
  InvoiceLine,
  InvoicePeriod,
  PricePlan,
  SellerConfig,
  TaxLine,
  UsageRecord,
} from './types.js';

export const DEFAULT_PAYMENT_TERMS_DAYS = 14;

export interface ComputeInvoiceInput {
  customer: Customer;
  plan: PricePlan;
  usage: readonly UsageRecord[];
  period: string | InvoicePeriod;
  seller: SellerConfig;
  /** ECB reference rates, for the VAT in the national currency (Art. 230) when it is needed. */
  exchangeRates?: EcbRates;
}

/** The note on the last invoice of a subscription (its last day of service is in the period). */
function finalInvoiceNotes(period: InvoicePeriod, cancelledAt: string | undefined, locale: string): string[] {
  return cancelledAt !== undefined && cancelledAt <= period.end
    ? [productTextsFor(locale).finalInvoice(formatDate(cancelledAt, locale))]
    : [];
}

/** A plan text in the customer's language: its translation, else the plan's own (fallback) text. */
const translated = (
  own: string,
  translations: Partial<Record<string, string>> | undefined,
  locale: string,
) => {
  const language = languageOf(locale);
  return translations !== undefined && Object.hasOwn(translations, language)
    ? (translations[language] ?? own)
    : own;
};

/** A negative amount without producing -0 (which JSON hides but deep equality does not). */
const negate = (n: number): number => (n === 0 ? 0 : -n);

function discountLines(customer: Customer, subtotalMinor: number, currency: Currency): InvoiceLine[] {
  let remaining = subtotalMinor;
  return (customer.discounts ?? []).map((discount, index): InvoiceLine => {
    const where = `customer ${customer.customerId}.discounts[${index}]`;
    let wanted: number;
    if (discount.kind === 'percentage') {
      const percent = parseDecimal(discount.percent, `${where}.percent`, { maxFractionDigits: 4 });
      wanted = percentOfMinor(subtotalMinor, percent, currency, `${where}.percent`);
    } else {
      if (!Number.isSafeInteger(discount.amountMinor) || discount.amountMinor < 0) {
        throw new InvalidInputError(`must be a whole number of minor units >= 0`, `${where}.amountMinor`);
      }
      wanted = discount.amountMinor;
    }
    const applied = Math.min(wanted, remaining);
    remaining -= applied;
    const amountMinor = negate(applied);
    return {
      lineId: `discount:${index}`,
      kind: 'discount',
      description: discount.description,
      quantity: '1',
      unitPrice: minorToDecimalString(amountMinor, currency),
      amountMinor,
    };
  });
}

/**
 * Compute the draft invoice of one customer for one period. Pure and deterministic. The inputs are
 * parsed records (parseInvoiceInputs): the plan is the customer's, in the customer's currency, and
 * every usage row is the customer's, of the period, with a metric the plan prices.
 */
export function computeInvoice({
  customer,
  plan,
  usage,
  period,
  seller,
  exchangeRates,
}: ComputeInvoiceInput): InvoiceDraft {
  const label = `customer ${customer.customerId}`;
  const billed = typeof period === 'string' ? parsePeriod(period) : period;
  const currency = currencyOf(customer.currency, `${label}.currency`);

  // Sum usage per metric (exact decimals).
  const perMetric = new Map<string, Decimal[]>(plan.components.map((c) => [c.metric, []]));
  for (const record of usage) {
    perMetric.get(record.metric)?.push(parseDecimal(record.quantity, `usage ${record.recordId}.quantity`));
  }

  const { locale } = customer;
  const products = productTextsFor(locale);
  const lineTexts = lineTextsFor(locale);
  const planName = translated(plan.name, plan.names, locale);
  const lines: InvoiceLine[] = [];
  // A subscription that ended inside the period pays the base fee for the days it was served.
  const { served, days } = daysServed(billed, customer.cancelledAt);
  const baseFeeMinor =
    served === days ? plan.baseFeeMinor : prorateMinor(plan.baseFeeMinor, served, days, `${label} base fee`);
  if (baseFeeMinor > 0) {
    lines.push({
      lineId: 'base',
      kind: 'base_fee',
      description:
        served === days
          ? products.baseFee(planName)
          : products.baseFeeProrated(
              planName,
              formatQuantity(String(served), locale),
              formatQuantity(String(days), locale),
            ),
      quantity: '1',
      unitPrice: minorToDecimalString(baseFeeMinor, currency),
      amountMinor: baseFeeMinor,
    });
  }
  const usageLines: InvoiceLine[] = plan.components.map((component, index) => {
    const used = sumQuantities(perMetric.get(component.metric) ?? []);
    const translatedComponent =
      component.unit === undefined
        ? component
        : { ...component, unit: translated(component.unit, component.units, locale) };
    const priced = priceComponent(
      translatedComponent,
      used,
      currency,
      `plan ${plan.planId}.components[${index}]`,
      lineTexts,
    );
    return {
      lineId: `usage:${component.metric}`,
      kind: 'usage',
      description: translated(component.description, component.descriptions, locale),
      metric: component.metric,
      quantity: priced.quantity,
      ...(priced.unit === undefined ? {} : { unit: priced.unit }),
      unitPrice: priced.unitPrice,
      amountMinor: priced.amountMinor,
      ...(priced.tiers === undefined ? {} : { tiers: priced.tiers }),
    };
  });
  const shown =
    plan.showZeroAmountLines === true ? usageLines : usageLines.filter((line) => line.amountMinor !== 0);
  // An invoice has at least one line (EN 16931 BG-25): an all-zero invoice shows its zero lines.
  lines.push(...(lines.length + shown.length === 0 ? usageLines : shown));

  const subtotalMinor = sumMinor(
    lines.map((l) => l.amountMinor),
    `${label} subtotal`,
  );
  const discounts = discountLines(customer, subtotalMinor, currency);
  lines.push(...discounts);
  const discountMinor = negate(
    sumMinor(
      discounts.map((l) => l.amountMinor),
      `${label} discount`,
    ),
  );
  const taxableMinor = subtotalMinor - discountMinor;

  // The date of supply of a monthly service is the period's last day: its rates apply.
  const treatment = taxTreatment({
    seller: { address: seller.address, vatId: seller.vatId, registrations: seller.registrations },
    buyerAddress: customer.billingAddress,
    buyerVatId: customer.vatId,
    supplyDate: billed.end,
    vatIdWhere: `${label}.vatId`,
  });
  const taxNote = taxNoteFor(treatment, locale);
  // One rate per invoice today; the tax is computed on the rate's taxable sum and rounded once.
  const taxMinor = percentOfMinor(
    taxableMinor,
    parseDecimal(treatment.rate, 'tax rate'),
    currency,
    `${label} tax`,
  );
  const national = nationalVatOf({
    taxMinor,
    invoiceCurrency: currency.code,
    taxCountry: treatment.taxCountry,
    supplyDate: billed.end,
    rates: exchangeRates,
  });
  const taxes: TaxLine[] = [
    {
      category: treatment.category,
      rate: treatment.rate,
      ...(treatment.taxCountry === undefined ? {} : { country: treatment.taxCountry }),
      label: treatment.label,
      taxableMinor,
      taxMinor,
      // The reason in the customer's language (BT-120), the same sentence the invoice prints.
      ...(treatment.exemptionReasonCode === undefined
        ? {}
        : { exemptionReasonCode: treatment.exemptionReasonCode, exemptionReason: taxNote ?? '' }),
      ...(national === undefined ? {} : { national }),
    },
  ];
  const taxTotalMinor = sumMinor(
    taxes.map((t) => t.taxMinor),
    `${label} tax`,
  );
  const totalMinor = sumMinor([taxableMinor, taxTotalMinor], `${label} total`);

  return {
    schemaVersion: '1.0',
    customerId: customer.customerId,
    period: billed,
    currency: currency.code,
    exponent: currency.exponent,
    locale: customer.locale,
    seller: sellerOnInvoice(seller, currency.code, treatment.registration),
    ...paymentCodeOf(seller, currency.code),
    buyer: {
      customerId: customer.customerId,
      name: customer.legalName,
      address: customer.billingAddress,
      ...(treatment.buyerVatId === undefined ? {} : { vatId: treatment.buyerVatId }),
      email: customer.email,
      ...(customer.buyerReference === undefined ? {} : { reference: customer.buyerReference }),
      ...(customer.eInvoiceSyntax === undefined ? {} : { eInvoiceSyntax: customer.eInvoiceSyntax }),
      ...(customer.facturX === true ? { facturX: true } : {}),
      ...(customer.eInvoiceProfile === undefined ? {} : { eInvoiceProfile: customer.eInvoiceProfile }),
    },
    plan: { planId: plan.planId, name: planName },
    lines,
    subtotalMinor,
    discountMinor,
    taxableMinor,
    taxes,
    taxTotalMinor,
    totalMinor,
    reverseCharge: treatment.reverseCharge,
    notes: [
      ...(taxNote === undefined ? [] : [taxNote]),
      ...finalInvoiceNotes(billed, customer.cancelledAt, locale),
    ],
    paymentTermsDays: plan.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS,
  };
}

export interface InvoiceNumbering {
  invoiceNumber: string;
  series: string;
  issueDate: string;
}

/**
 * Give a draft its number and dates. The number must belong to the series, and the series to
 * the issue date's year; dueDate = issueDate + paymentTermsDays.
 */
export function finalizeInvoice(
  draft: InvoiceDraft,
  { invoiceNumber, series, issueDate }: InvoiceNumbering,
): InvoiceDetail {
  const where = `invoice of ${draft.customerId} for ${draft.period.id}`;
  parseIsoDate(issueDate, `${where}.issueDate`);
  const parsed = parseInvoiceNumber(invoiceNumber, `${where}.invoiceNumber`);
  if (parsed.series !== series) {
    throw new InvalidInputError(`${invoiceNumber} is not in series ${series}`, `${where}.invoiceNumber`);
  }
  const prefix = parsed.prefix;
  if (seriesForIssueDate(issueDate, prefix) !== series) {
    throw new InvalidInputError(
      `series ${series} does not belong to the year of ${issueDate}`,
      `${where}.series`,
    );
  }
  return {
    ...draft,
    invoiceNumber,
    series,
    issueDate,
    dueDate: addDays(issueDate, draft.paymentTermsDays),
  };
}
