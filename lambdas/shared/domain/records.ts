/**
 * Raw records (unknown shape, from DynamoDB or JSON files) -> typed Customer / PricePlan /
 * UsageRecord[], once, at the edge: the JSON Schemas (./record-schemas.ts) check the shape,
 * the checks here the meaning (currency known, country ISO 3166, VAT-id format, plan currency =
 * customer currency, usage period and metric, the plan's tiers). Every error is an
 * InvalidInputError whose `where` names the record and field: `customer cus_7.email: not an email
 * address`. The domain (compute, pricing) trusts what comes out of here and does not check again.
 *
 * The typed results are rebuilt field by field, so storage attributes (keys, timestamps) never
 * leak into the invoice snapshot. Inactive customers parse fine: skipping them is the caller's job.
 */
import { checkPrintable } from '../documents/glyph-coverage.js';
import { InvalidInputError } from '../errors.js';
import { catalogueLanguageOf, LANGUAGES } from '../i18n/languages.js';
import { isCountryCode } from './countries.js';
import { currencyOf, parseDecimal } from './money.js';
import { parseIsoDate, parsePeriod } from './periods.js';
import { validatePlan } from './pricing.js';
import { pricingModel } from './pricing-models.js';
import { checkShape } from './record-errors.js';
import { MAX_USAGE_RECORDS, recordValidators as validators } from './record-schemas.js';
import { validateVatId } from './vat-ids.js';
import type {
  Address,
  Customer,
  Discount,
  EInvoiceSyntax,
  InvoicePeriod,
  PriceComponent,
  PricePlan,
  Translations,
  UsageRecord,
} from './types.js';

const labelId = (raw: unknown, field: string, fallback: string): string => {
  const value = (raw as Record<string, unknown> | null)?.[field];
  return typeof value === 'string' && value !== '' ? value : fallback;
};

/** `string | undefined` fields copied only when present, so snapshots have no `undefined` keys. */
function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Validate a raw customer record into a Customer (VAT id in canonical form). */
export function parseCustomer(raw: unknown, expectedId?: string): Customer {
  const label = `customer ${labelId(raw, 'customerId', expectedId ?? '(no id)')}`;
  checkShape(validators.customer, raw, label);
  const r = raw as Customer;
  if (expectedId !== undefined && r.customerId !== expectedId) {
    throw new InvalidInputError(`is "${r.customerId}", expected "${expectedId}"`, `${label}.customerId`);
  }
  if (r.legalName.trim() === '') throw new InvalidInputError('must not be blank', `${label}.legalName`);
  if (!isCountryCode(r.billingAddress.country)) {
    throw new InvalidInputError(
      `"${r.billingAddress.country}" is not an ISO 3166 country code`,
      `${label}.billingAddress.country`,
    );
  }
  currencyOf(r.currency, `${label}.currency`);
  try {
    if (Intl.getCanonicalLocales(r.locale).length !== 1) throw new RangeError('not one locale');
  } catch {
    throw new InvalidInputError(`"${r.locale}" is not a BCP 47 language tag`, `${label}.locale`);
  }
  // Invoices are written in the customer's language: one without a catalogue would get foreign words.
  if (catalogueLanguageOf(r.locale) === undefined) {
    throw new InvalidInputError(
      `"${r.locale}": invoices are not written in this language (they are in ${LANGUAGES.join(', ')})`,
      `${label}.locale`,
    );
  }
  const vatId =
    r.vatId === undefined || r.vatId.trim() === ''
      ? undefined
      : validateVatId(r.vatId, r.billingAddress.country, `${label}.vatId`).normalized;
  const discounts = r.discounts?.map((d, i): Discount => {
    if (d.kind === 'fixed') return { kind: 'fixed', description: d.description, amountMinor: d.amountMinor };
    const at = `${label}.discounts[${i}].percent`;
    const percent = parseDecimal(d.percent, at, { maxFractionDigits: 4 });
    if (percent.units === 0n || percent.units > 100n * 10n ** BigInt(percent.scale)) {
      throw new InvalidInputError(`must be above 0 and at most 100, got ${d.percent}`, at);
    }
    return { kind: 'percentage', description: d.description, percent: d.percent };
  });
  if (r.cancelledAt !== undefined) parseIsoDate(r.cancelledAt, `${label}.cancelledAt`);
  const a: Address = r.billingAddress;
  // What the invoice prints must be printable: a name in boxes is no name (Art. 226(5)).
  checkPrintable(r.legalName, `${label}.legalName`);
  for (const field of ['line1', 'line2', 'city', 'postalCode', 'region'] as const) {
    const value = a[field];
    if (value !== undefined) checkPrintable(value, `${label}.billingAddress.${field}`);
  }
  r.discounts?.forEach((d, i) => checkPrintable(d.description, `${label}.discounts[${i}].description`));
  const address: Address = {
    line1: a.line1,
    ...optional('line2', a.line2),
    city: a.city,
    ...optional('postalCode', a.postalCode),
    ...optional('region', a.region),
    country: a.country,
  };
  return {
    customerId: r.customerId,
    legalName: r.legalName,
    email: r.email,
    billingAddress: address,
    ...optional('vatId', vatId),
    currency: r.currency,
    locale: r.locale,
    planId: r.planId,
    status: r.status,
    ...optional('cancelledAt', r.cancelledAt),
    ...(discounts === undefined ? {} : { discounts }),
    ...optional('buyerReference', r.buyerReference),
    // The schema admits only the enum's values.
    ...(r.eInvoiceSyntax === undefined ? {} : { eInvoiceSyntax: r.eInvoiceSyntax as EInvoiceSyntax }),
    ...(r.facturX === true ? { facturX: true } : {}),
    ...(r.eInvoiceProfile === 'XRECHNUNG' ? { eInvoiceProfile: 'XRECHNUNG' as const } : {}),
  };
}

/** Validate a raw price plan record into a PricePlan. */
export function parsePricePlan(raw: unknown, expectedId?: string): PricePlan {
  const label = `plan ${labelId(raw, 'planId', expectedId ?? '(no id)')}`;
  checkShape(validators.plan, raw, label);
  const r = raw as PricePlan;
  currencyOf(r.currency, `${label}.currency`);
  checkPrintable(r.name, `${label}.name`);
  if (r.language !== undefined && !isLanguage(r.language)) {
    throw new InvalidInputError(
      `"${r.language}" is not a language invoices are written in`,
      `${label}.language`,
    );
  }
  const names = parseTranslations(r.names, `${label}.names`);
  const components = r.components.map((c, index): PriceComponent => {
    const at = `${label}.components[${index}]`;
    checkPrintable(c.description, `${at}.description`);
    if (c.unit !== undefined) checkPrintable(c.unit, `${at}.unit`);
    const descriptions = parseTranslations(c.descriptions, `${at}.descriptions`);
    const units = parseTranslations(c.units, `${at}.units`);
    return {
      metric: c.metric,
      description: c.description,
      ...(descriptions === undefined ? {} : { descriptions }),
      ...pricingModel(c.model, at).pick(c),
      ...optional('includedQuantity', c.includedQuantity),
      ...optional('unit', c.unit),
      ...(units === undefined ? {} : { units }),
    };
  });
  const plan: PricePlan = {
    planId: r.planId,
    name: r.name,
    ...(names === undefined ? {} : { names }),
    ...optional('language', r.language),
    ...(r.showZeroAmountLines === true ? { showZeroAmountLines: true } : {}),
    currency: r.currency,
    baseFeeMinor: r.baseFeeMinor,
    components,
    ...(r.paymentTermsDays === undefined ? {} : { paymentTermsDays: r.paymentTermsDays }),
  };
  validatePlan(plan, label);
  return plan;
}

const isLanguage = (value: string): boolean => (LANGUAGES as readonly string[]).includes(value);

/** A plan's translations: catalogue languages only, printable texts, rebuilt without a prototype. */
function parseTranslations(raw: Translations | undefined, where: string): Translations | undefined {
  if (raw === undefined) return undefined;
  const parsed: Translations = Object.create(null) as Translations;
  for (const language of Object.keys(raw).sort()) {
    if (!isLanguage(language)) {
      throw new InvalidInputError(
        `"${language}" is not a language invoices are written in (${LANGUAGES.join(', ')})`,
        where,
      );
    }
    const value = raw[language] as string;
    checkPrintable(value, `${where}.${language}`);
    parsed[language] = value;
  }
  return parsed;
}

/** The plan must be the customer's plan, in the customer's currency. */
export function checkCustomerPlan(customer: Customer, plan: PricePlan): void {
  const label = `customer ${customer.customerId}`;
  if (customer.planId !== plan.planId) {
    throw new InvalidInputError(
      `is "${customer.planId}" but plan "${plan.planId}" was given`,
      `${label}.planId`,
    );
  }
  if (customer.currency !== plan.currency) {
    throw new InvalidInputError(
      `${customer.currency} does not match the currency of plan ${plan.planId} (${plan.currency})`,
      `${label}.currency`,
    );
  }
}

/**
 * Validate raw usage rows for one customer and period. Each row's quantity must be a
 * non-negative decimal string, its metric priced by the plan; record ids must be unique
 * (a repeated row would be billed twice).
 */
export function parseUsageRecords(
  raw: unknown,
  context: { customerId: string; period: string; plan: PricePlan },
): UsageRecord[] {
  if (!Array.isArray(raw))
    throw new InvalidInputError('must be an array of usage records', `usage of ${context.customerId}`);
  if (raw.length > MAX_USAGE_RECORDS) {
    throw new InvalidInputError(
      `${raw.length} records, at most ${MAX_USAGE_RECORDS} per customer and period`,
      `usage of ${context.customerId}`,
    );
  }
  const metrics = new Set(context.plan.components.map((c) => c.metric));
  const seen = new Set<string>();
  return raw.map((row: unknown, index): UsageRecord => {
    const label = `usage ${labelId(row, 'recordId', `#${index}`)}`;
    checkShape(validators.usage, row, label);
    const r = row as UsageRecord;
    if (seen.has(r.recordId))
      throw new InvalidInputError('appears twice (it would be billed twice)', `${label}.recordId`);
    seen.add(r.recordId);
    if (r.customerId !== context.customerId) {
      throw new InvalidInputError(
        `belongs to "${r.customerId}", not "${context.customerId}"`,
        `${label}.customerId`,
      );
    }
    if (r.period !== context.period) {
      throw new InvalidInputError(
        `is "${r.period}", not the billed period "${context.period}"`,
        `${label}.period`,
      );
    }
    if (!metrics.has(r.metric)) {
      throw new InvalidInputError(
        `metric "${r.metric}" is not priced by plan ${context.plan.planId} (it prices: ${[...metrics].join(', ') || 'nothing'})`,
        `${label}.metric`,
      );
    }
    parseDecimal(r.quantity, `${label}.quantity`);
    return usageFields(r);
  });
}

/** A usage record's own fields, rebuilt (no storage attributes such as `usageKey`). */
const usageFields = (r: UsageRecord): UsageRecord => ({
  customerId: r.customerId,
  period: r.period,
  metric: r.metric,
  quantity: r.quantity,
  recordId: r.recordId,
});

/**
 * One usage row on its own (an import): its shape, period and quantity. Whether its metric is
 * priced is known only with the customer's plan, when the invoice is computed.
 */
export function parseUsageRecord(raw: unknown): UsageRecord {
  const label = `usage ${labelId(raw, 'recordId', '(no id)')}`;
  checkShape(validators.usage, raw, label);
  const r = raw as UsageRecord;
  parsePeriod(r.period, `${label}.period`);
  parseDecimal(r.quantity, `${label}.quantity`);
  return usageFields(r);
}

/** Everything one invoice needs, parsed: what computeInvoice takes (with the seller). */
export interface ParsedInvoiceInputs {
  customer: Customer;
  plan: PricePlan;
  usage: UsageRecord[];
  period: InvoicePeriod;
}

/**
 * Validate everything one invoice needs, raw as read from storage. `planRecord` undefined means
 * the customer's plan was not found.
 */
export function parseInvoiceInputs(input: {
  customerId?: string;
  customerRecord: unknown;
  planRecord: unknown;
  usageRecords: unknown;
  period: string;
}): ParsedInvoiceInputs {
  const period = parsePeriod(input.period);
  const customer = parseCustomer(input.customerRecord, input.customerId);
  if (input.planRecord === undefined || input.planRecord === null) {
    throw new InvalidInputError(
      `plan "${customer.planId}" does not exist`,
      `customer ${customer.customerId}.planId`,
    );
  }
  const plan = parsePricePlan(input.planRecord);
  checkCustomerPlan(customer, plan);
  const usage = parseUsageRecords(input.usageRecords, {
    customerId: customer.customerId,
    period: period.id,
    plan,
  });
  return { customer, plan, usage, period };
}
