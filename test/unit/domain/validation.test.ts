import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { isCountryCode } from '../../../lambdas/shared/domain/countries.js';
import {
  parseCustomer,
  parsePricePlan,
  parseUsageRecords,
  parseInvoiceInputs,
} from '../../../lambdas/shared/domain/records.js';

const customer = (over: Record<string, unknown> = {}) => ({
  pk: 'CUSTOMER#cus_7',
  customerId: 'cus_7',
  legalName: 'Müller & Søn GmbH',
  email: 'billing@mueller.example',
  billingAddress: { line1: 'Hauptstr. 1', city: 'Łódź', postalCode: '90-001', country: 'PL' },
  currency: 'EUR',
  locale: 'de-DE',
  planId: 'pro',
  status: 'active',
  ...over,
});
const plan = (over: Record<string, unknown> = {}) => ({
  planId: 'pro',
  name: 'Pro',
  currency: 'EUR',
  baseFeeMinor: 4900,
  components: [{ metric: 'api', description: 'API calls', model: 'per_unit', unitPrice: '0.001' }],
  updatedAt: '2026-01-01',
  ...over,
});
const row = (i: number, over: Record<string, unknown> = {}) => ({
  recordId: `u_${i}`,
  customerId: 'cus_7',
  period: '2026-01',
  metric: 'api',
  quantity: '1.5',
  ...over,
});

function failure(fn: () => unknown): { where: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return { where: error.where, message: error.message };
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('parseCustomer', () => {
  it('keeps the known fields only (storage keys do not leak)', () => {
    const parsed = parseCustomer(customer({ vatId: 'pl 123 456 7890' }));
    expect(parsed).toEqual({
      customerId: 'cus_7',
      legalName: 'Müller & Søn GmbH',
      email: 'billing@mueller.example',
      billingAddress: { line1: 'Hauptstr. 1', city: 'Łódź', postalCode: '90-001', country: 'PL' },
      vatId: 'PL1234567890',
      currency: 'EUR',
      locale: 'de-DE',
      planId: 'pro',
      status: 'active',
    });
  });

  it('accepts inactive customers (skipping them is the caller’s decision)', () => {
    expect(parseCustomer(customer({ status: 'inactive' })).status).toBe('inactive');
  });

  it.each([
    [{ email: 'not-an-email' }, 'customer cus_7.email', 'not an email address'],
    [{ legalName: 'x'.repeat(201) }, 'customer cus_7.legalName', 'longer than 200 characters'],
    [{ legalName: '   ' }, 'customer cus_7.legalName', 'must not be blank'],
    [{ currency: 'EURO' }, 'customer cus_7.currency', 'ISO 4217'],
    [{ currency: 'ABC' }, 'customer cus_7.currency', 'unknown or unsupported currency'],
    [{ currency: undefined }, 'customer cus_7.currency', 'is required'],
    [
      { billingAddress: { line1: 'a', city: 'b', country: 'de' } },
      'customer cus_7.billingAddress.country',
      'ISO 3166',
    ],
    [
      { billingAddress: { line1: 'a', city: 'b', country: 'XX' } },
      'customer cus_7.billingAddress.country',
      'not an ISO 3166',
    ],
    [
      { billingAddress: { line1: 'a', city: 'b', country: 'DE', street: 'x' } },
      'customer cus_7.billingAddress.street',
      'not a known field',
    ],
    [{ status: 'paused' }, 'customer cus_7.status', 'must be one of'],
    [{ locale: 'not a locale' }, 'customer cus_7.locale', 'BCP 47'],
    [{ vatId: 'PL123' }, 'customer cus_7.vatId', 'not a valid VAT id for PL'],
    [
      { discounts: [{ kind: 'coupon', description: 'x' }] },
      'customer cus_7.discounts[0].kind',
      'unknown value',
    ],
    [
      { discounts: [{ kind: 'percentage', description: 'x', percent: '120' }] },
      'customer cus_7.discounts[0].percent',
      'at most 100',
    ],
    [
      { discounts: [{ kind: 'fixed', description: 'x', amountMinor: -5 }] },
      'customer cus_7.discounts[0].amountMinor',
      '>= 0',
    ],
  ])('rejects %j', (over, where, message) => {
    const error = failure(() => parseCustomer(customer(over)));
    expect(error.where).toBe(where);
    expect(error.message).toContain(message);
  });

  it('names records without an id by position', () => {
    expect(failure(() => parseCustomer({})).where).toBe('customer (no id).customerId');
    expect(failure(() => parseCustomer('x')).message).toContain('must be an object');
  });

  it('checks the expected id', () => {
    expect(failure(() => parseCustomer(customer(), 'cus_8')).where).toBe('customer cus_7.customerId');
  });
});

describe('parsePricePlan', () => {
  it('rebuilds the plan field by field', () => {
    expect(parsePricePlan(plan())).toEqual({
      planId: 'pro',
      name: 'Pro',
      currency: 'EUR',
      baseFeeMinor: 4900,
      components: [{ metric: 'api', description: 'API calls', model: 'per_unit', unitPrice: '0.001' }],
    });
  });

  it.each([
    [{ baseFeeMinor: 49.5 }, 'plan pro.baseFeeMinor', 'must be an integer'],
    [
      { components: [{ metric: 'api', description: 'x', model: 'tiered' }] },
      'plan pro.components[0].model',
      'unknown value',
    ],
    [
      { components: [{ metric: 'api', description: 'x', model: 'per_unit' }] },
      'plan pro.components[0].unitPrice',
      'is required',
    ],
    [
      { components: [{ metric: 'api', description: 'x', model: 'per_unit', unitPrice: '1e-3' }] },
      'plan pro.components[0].unitPrice',
      'exponent',
    ],
    [{ currency: 'XAU' }, 'plan pro.currency', 'unsupported currency'],
  ])('rejects %j', (over, where, message) => {
    const error = failure(() => parsePricePlan(plan(over)));
    expect(error.where).toBe(where);
    expect(error.message).toContain(message);
  });
});

describe('parseUsageRecords', () => {
  const context = { customerId: 'cus_7', period: '2026-01', plan: parsePricePlan(plan()) };

  it('accepts 2,000 rows', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(i));
    expect(parseUsageRecords(rows, context)).toHaveLength(2000);
  });

  it.each([
    [row(1, { quantity: '-1' }), 'usage u_1.quantity', 'negative'],
    [row(1, { quantity: 'lots' }), 'usage u_1.quantity', 'not a decimal number'],
    [row(1, { quantity: 3 }), 'usage u_1.quantity', 'decimal string'],
    [row(1, { metric: 'sms' }), 'usage u_1.metric', 'not priced by plan pro'],
    [row(1, { period: '2025-12' }), 'usage u_1.period', 'not the billed period'],
    [row(1, { customerId: 'cus_8' }), 'usage u_1.customerId', 'belongs to'],
    [{ ...row(1), recordId: undefined }, 'usage #0.recordId', 'is required'],
  ])('rejects %j', (bad, where, message) => {
    const error = failure(() => parseUsageRecords([bad], context));
    expect(error.where).toBe(where);
    expect(error.message).toContain(message);
  });

  it('rejects duplicates and non-arrays', () => {
    expect(failure(() => parseUsageRecords([row(1), row(1)], context)).where).toBe('usage u_1.recordId');
    expect(failure(() => parseUsageRecords({}, context)).where).toBe('usage of cus_7');
  });
});

describe('parseInvoiceInputs', () => {
  it('validates the whole set', () => {
    const inputs = parseInvoiceInputs({
      customerId: 'cus_7',
      customerRecord: customer(),
      planRecord: plan(),
      usageRecords: [row(1)],
      period: '2026-01',
    });
    expect(inputs.usage).toHaveLength(1);
    expect(inputs.plan.planId).toBe('pro');
  });

  it('reports a missing plan and a currency mismatch on the customer', () => {
    const base = { customerRecord: customer(), usageRecords: [], period: '2026-01' };
    expect(failure(() => parseInvoiceInputs({ ...base, planRecord: undefined })).where).toBe(
      'customer cus_7.planId',
    );
    expect(failure(() => parseInvoiceInputs({ ...base, planRecord: plan({ currency: 'USD' }) })).where).toBe(
      'customer cus_7.currency',
    );
    expect(failure(() => parseInvoiceInputs({ ...base, planRecord: plan({ planId: 'basic' }) })).where).toBe(
      'customer cus_7.planId',
    );
    expect(failure(() => parseInvoiceInputs({ ...base, planRecord: plan(), period: '2026-13' })).where).toBe(
      'period',
    );
  });

  it('knows ISO countries', () => {
    expect(['DE', 'GB', 'XK', 'JP'].every(isCountryCode)).toBe(true);
    expect(['UK', 'EU', 'ZZ', 'de'].some(isCountryCode)).toBe(false);
  });
});
