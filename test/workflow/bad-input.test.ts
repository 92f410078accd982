/**
 * Bad input in one billing run on the local stack: malformed customers, plans and usage, each
 * on its own customer. Every one must come back as a per-customer InvalidInputError whose cause
 * names the record and field, never a crash of the run, while the good customers of the same run
 * are issued. A malformed plan fails every customer on it, and only them.
 */
import { demoCustomers, demoPlans } from '../../workflows/local/demo/demo-data.js';
import { putAll, seedDemoData } from '../../workflows/local/demo/seed.js';
import { usageKey } from '../../lambdas/shared/contracts/keys.js';
import {
  runLocalBilling,
  RunFailedError,
  type LocalBillingResult,
} from '../../workflows/local/harness/billing-run.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
const DEMO = 12;
const activeDemo = demoCustomers(DEMO).filter((c) => c.status === 'active');

type Item = Record<string, unknown>;

/** A valid customer on growth-eur; each case breaks exactly one thing. */
const validCustomer = (customerId: string): Item => ({
  customerId,
  legalName: 'Fehlerhaft Daten GmbH',
  email: `billing+${customerId.replace(/[^A-Za-z0-9_]/g, '_')}@example.com`,
  billingAddress: { line1: 'Teststraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  vatId: 'DE123456788',
  currency: 'EUR',
  locale: 'de-DE',
  planId: 'growth-eur',
  status: 'active',
});

const usageRow = (customerId: string, recordId: string, metric: string, quantity: unknown): Item => ({
  customerId,
  period: PERIOD,
  metric,
  quantity,
  recordId,
  usageKey: usageKey(PERIOD, metric, recordId),
});

/** Valid usage of a growth plan: some calls and some storage. */
const validUsage = (customerId: string): Item[] => [
  usageRow(customerId, 'u1', 'api_calls', '150000'),
  usageRow(customerId, 's1', 'storage_gb', '12.5'),
];

const growthEur = (): Item =>
  structuredClone(demoPlans().find((p) => p.planId === 'growth-eur')!) as unknown as Item;
const components = (p: Item) => p.components as Item[];
const tiersOf = (p: Item) => components(p)[0]!.tiers as Item[];

interface BadCase {
  id: string;
  description: string;
  /** Breaks the customer record (the default is validCustomer). */
  customer?: (c: Item) => Item;
  /** Breaks a copy of growth-eur stored as this case's own plan `plan_<id>` (two customers use it). */
  plan?: (p: Item) => Item;
  /** Breaks the customer's usage rows of the period (the default is validUsage). */
  usage?: (rows: Item[]) => Item[];
  expectedError: 'InvalidInputError';
  /** The record, field and message the cause must carry. */
  causeContains: string;
}

const customerCase = (
  id: string,
  description: string,
  customer: (c: Item) => Item,
  causeContains: string,
): BadCase => ({ id, description, customer, expectedError: 'InvalidInputError', causeContains });
const planCase = (
  id: string,
  description: string,
  plan: (p: Item) => Item,
  causeContains: string,
): BadCase => ({ id, description, plan, expectedError: 'InvalidInputError', causeContains });
const usageCase = (
  id: string,
  description: string,
  usage: (rows: Item[]) => Item[],
  causeContains: string,
): BadCase => ({ id, description, usage, expectedError: 'InvalidInputError', causeContains });

const without = (item: Item, key: string): Item => {
  const copy = { ...item };
  delete copy[key];
  return copy;
};
const withQuantity = (quantity: unknown) => (rows: Item[]) => [{ ...rows[0]!, quantity }, rows[1]!];

const CASES: BadCase[] = [
  // Customers
  customerCase(
    'bad_missing_currency',
    'missing currency',
    (c) => without(c, 'currency'),
    'customer bad_missing_currency.currency: is required',
  ),
  customerCase(
    'bad_unknown_currency',
    'unknown currency',
    (c) => ({ ...c, currency: 'XYZ' }),
    'customer bad_unknown_currency.currency: unknown or unsupported currency "XYZ"',
  ),
  customerCase(
    'bad_lowercase_currency',
    'lower-case currency code',
    (c) => ({ ...c, currency: 'eur' }),
    'customer bad_lowercase_currency.currency: must be an ISO 4217 code such as "EUR"',
  ),
  customerCase(
    'bad_currency_not_plan',
    'currency differs from the plan',
    (c) => ({ ...c, currency: 'USD' }),
    'customer bad_currency_not_plan.currency: USD does not match the currency of plan growth-eur (EUR)',
  ),
  customerCase(
    'bad_unknown_plan',
    'unknown plan id',
    (c) => ({ ...c, planId: 'platinum-eur' }),
    'customer bad_unknown_plan.planId: plan "platinum-eur" does not exist',
  ),
  customerCase(
    'bad_empty_plan',
    'empty plan id',
    (c) => ({ ...c, planId: '' }),
    'customer bad_empty_plan.planId: must not be empty',
  ),
  customerCase(
    'bad_missing_legal_name',
    'missing legal name',
    (c) => without(c, 'legalName'),
    'customer bad_missing_legal_name.legalName: is required',
  ),
  customerCase(
    'bad_blank_legal_name',
    'legal name of spaces only',
    (c) => ({ ...c, legalName: '   ' }),
    'customer bad_blank_legal_name.legalName: must not be blank',
  ),
  customerCase(
    'bad_overlong_legal_name',
    'legal name over 200 characters',
    (c) => ({ ...c, legalName: 'Ü'.repeat(201) }),
    'customer bad_overlong_legal_name.legalName: longer than 200 characters (201)',
  ),
  customerCase(
    'bad_email',
    'e-mail without @',
    (c) => ({ ...c, email: 'billing at example.com' }),
    'customer bad_email.email: not an email address',
  ),
  customerCase(
    'bad_missing_address',
    'missing billing address',
    (c) => without(c, 'billingAddress'),
    'customer bad_missing_address.billingAddress: is required',
  ),
  customerCase(
    'bad_lowercase_country',
    'lower-case country code',
    (c) => ({ ...c, billingAddress: { ...(c.billingAddress as Item), country: 'de' } }),
    'customer bad_lowercase_country.billingAddress.country: must be an ISO 3166 alpha-2 code such as "DE"',
  ),
  customerCase(
    'bad_unknown_country',
    'unknown country code',
    (c) => ({ ...c, billingAddress: { ...(c.billingAddress as Item), country: 'ZZ' } }),
    'customer bad_unknown_country.billingAddress.country: "ZZ" is not an ISO 3166 country code',
  ),
  customerCase(
    'bad_vat_format',
    'VAT id broken for its country',
    (c) => ({ ...c, vatId: 'DE12345' }),
    'customer bad_vat_format.vatId: "DE12345" is not a valid VAT id for DE: it does not match the DE format',
  ),
  customerCase(
    'bad_vat_wrong_country',
    'VAT id of another country',
    (c) => ({ ...c, vatId: 'FR05987654321' }),
    'customer bad_vat_wrong_country.vatId: "FR05987654321" is not a valid VAT id for DE: it must start with the country prefix DE',
  ),
  customerCase(
    'bad_locale',
    'locale that is no language tag',
    (c) => ({ ...c, locale: 'not a locale' }),
    'customer bad_locale.locale: "not a locale" is not a BCP 47 language tag',
  ),
  customerCase(
    'bad_control_chars',
    'legal name with control and bidirectional-override characters',
    (c) => ({ ...c, legalName: 'Ctrl\u0000\u0007 GmbH\u202e' }),
    'customer bad_control_chars.legalName: must be printable text',
  ),
  customerCase(
    'bad_status',
    'status not a known value',
    (c) => ({ ...c, status: 'paused' }),
    'customer bad_status.status: must be one of "active", "inactive"',
  ),
  customerCase(
    'bad_discount_percent',
    'percentage discount over 100',
    (c) => ({ ...c, discounts: [{ kind: 'percentage', description: 'Too kind', percent: '150' }] }),
    'customer bad_discount_percent.discounts[0].percent: must be above 0 and at most 100, got 150',
  ),
  customerCase(
    'bad_discount_negative_fixed',
    'negative fixed discount',
    (c) => ({ ...c, discounts: [{ kind: 'fixed', description: 'Surcharge', amountMinor: -500 }] }),
    'customer bad_discount_negative_fixed.discounts[0].amountMinor: must be >= 0',
  ),
  customerCase(
    'bad_discount_kind',
    'discount of an unknown kind',
    (c) => ({ ...c, discounts: [{ kind: 'bogo', description: 'Buy one get one' }] }),
    'customer bad_discount_kind.discounts[0].kind: unknown value "bogo"',
  ),
  // The stored customerId is the table's key, so it cannot differ from the id the run asks for;
  // an id the domain refuses (here with the invoice key separator #) is the reachable mismatch.
  customerCase(
    'bad_id#hash',
    'customer id with the key separator #',
    (c) => c,
    'customer bad_id#hash.customerId: must be an id of letters, digits and _ . : @ -',
  ),
  // Plans (each on its own plan id, used by two customers)
  planCase(
    'bad_plan_missing_base_fee',
    'plan without base fee',
    (p) => without(p, 'baseFeeMinor'),
    'plan plan_bad_plan_missing_base_fee.baseFeeMinor: is required',
  ),
  planCase(
    'bad_plan_negative_base_fee',
    'negative base fee',
    (p) => ({ ...p, baseFeeMinor: -9900 }),
    'plan plan_bad_plan_negative_base_fee.baseFeeMinor: must be >= 0',
  ),
  planCase(
    'bad_plan_fractional_base_fee',
    'base fee not a whole number of minor units',
    (p) => ({ ...p, baseFeeMinor: 99.5 }),
    'plan plan_bad_plan_fractional_base_fee.baseFeeMinor: must be an integer',
  ),
  planCase(
    'bad_plan_tiers_descending',
    'tiers not ascending',
    (p) => {
      tiersOf(p)[1]!.upTo = '50000';
      return p;
    },
    'plan plan_bad_plan_tiers_descending.components[0].tiers[1].upTo: tiers must ascend: 50000 is not above the previous 100000',
  ),
  planCase(
    'bad_plan_last_tier_bounded',
    'last tier has an upper bound',
    (p) => {
      tiersOf(p)[2]!.upTo = '5000000';
      return p;
    },
    'plan plan_bad_plan_last_tier_bounded.components[0].tiers[2].upTo: the last tier must be open-ended (no upTo)',
  ),
  planCase(
    'bad_plan_package_size_zero',
    'package size 0',
    (p) => {
      components(p)[1]!.packageSize = '0';
      return p;
    },
    'plan plan_bad_plan_package_size_zero.components[1].packageSize: must be greater than 0',
  ),
  planCase(
    'bad_plan_unknown_model',
    'unknown pricing model',
    (p) => {
      components(p)[0]!.model = 'stairstep';
      return p;
    },
    'plan plan_bad_plan_unknown_model.components[0].model: unknown value "stairstep"',
  ),
  planCase(
    'bad_plan_unit_price_text',
    'unit price not a number',
    (p) => {
      tiersOf(p)[1]!.unitPrice = 'cheap';
      return p;
    },
    'plan plan_bad_plan_unit_price_text.components[0].tiers[1].unitPrice: is not a decimal number',
  ),
  planCase(
    'bad_plan_unit_price_number',
    'unit price stored as a number, not a decimal string',
    (p) => {
      tiersOf(p)[1]!.unitPrice = 0.0015;
      return p;
    },
    'plan plan_bad_plan_unit_price_number.components[0].tiers[1].unitPrice: must be a string',
  ),
  planCase(
    'bad_plan_components_not_array',
    'components not an array',
    (p) => ({ ...p, components: { api_calls: 'per_unit' } }),
    'plan plan_bad_plan_components_not_array.components: must be a',
  ),
  planCase(
    'bad_plan_metric_twice',
    'one metric priced twice',
    (p) => {
      components(p)[1]!.metric = 'api_calls';
      return p;
    },
    'plan plan_bad_plan_metric_twice.components[1].metric: metric "api_calls" is priced twice',
  ),
  // Usage
  usageCase(
    'bad_usage_negative',
    'negative quantity',
    withQuantity('-5'),
    'usage u1.quantity: must not be negative: "-5"',
  ),
  usageCase(
    'bad_usage_text',
    'non-numeric quantity',
    withQuantity('lots'),
    'usage u1.quantity: is not a decimal number',
  ),
  usageCase(
    'bad_usage_exponent',
    'exponent notation',
    withQuantity('1e5'),
    'usage u1.quantity: exponent notation is not allowed: "1e5"',
  ),
  usageCase(
    'bad_usage_empty',
    'empty quantity',
    withQuantity(''),
    'usage u1.quantity: is not a decimal number',
  ),
  usageCase(
    'bad_usage_spaces',
    'quantity with spaces',
    withQuantity(' 5 '),
    'usage u1.quantity: is not a decimal number',
  ),
  usageCase(
    'bad_usage_number',
    'quantity stored as a number',
    withQuantity(5),
    'usage u1.quantity: must be a decimal string such as "12.5", got the number 5',
  ),
  usageCase(
    'bad_usage_missing_quantity',
    'usage row without quantity',
    (rows) => [without(rows[0]!, 'quantity'), rows[1]!],
    'usage u1.quantity: is required',
  ),
  usageCase(
    'bad_usage_20_decimals',
    'quantity with 20 fraction digits',
    withQuantity('1.12345678901234567890'),
    'usage u1.quantity: too many decimals (at most 12): 1.12345678901234567890',
  ),
  usageCase(
    'bad_usage_16_digits',
    'quantity with 16 integer digits',
    withQuantity('1234567890123456'),
    'usage u1.quantity: too many digits before the point (at most 15): 1234567890123456',
  ),
  usageCase(
    'bad_usage_metric',
    'metric not in the plan',
    (rows) => [usageRow(String(rows[0]!.customerId), 'g1', 'gpu_hours', '3'), ...rows],
    'usage g1.metric: metric "gpu_hours" is not priced by plan growth-eur (it prices: api_calls, storage_gb)',
  ),
  usageCase(
    'bad_usage_other_period',
    'usage of another period stored under this one',
    (rows) => [{ ...rows[0]!, period: '2026-09' }, rows[1]!],
    'usage u1.period: is "2026-09", not the billed period "2026-10"',
  ),
  usageCase(
    'bad_usage_duplicate_record',
    'one record id stored twice (would be billed twice)',
    (rows) => [rows[0]!, { ...rows[0]!, usageKey: `${String(rows[0]!.usageKey)}-copy` }, rows[1]!],
    'usage u1.recordId: appears twice (it would be billed twice)',
  ),
];

const BIG_USAGE = 'big_usage_2000_lines';

/** The error message of a failure: a Lambda task's Cause is `{ errorType, errorMessage, trace }` as JSON. */
function messageOf(failure: { cause: string } | undefined): string {
  const cause = failure?.cause ?? '';
  try {
    return String((JSON.parse(cause) as { errorMessage?: unknown }).errorMessage);
  } catch {
    return cause;
  }
}

/** Customers whose ids are the words the table's bookkeeping keys start with. */
const KEY_WORD_IDS = ['SERIES', 'NUMBER', 'VOID', 'REPLACED', 'CREDIT', 'LINK', 'EMAIL', 'LOCK'];
/** The good customers besides the demo's: the big one and the key words. */
const EXTRA_GOOD = 1 + KEY_WORD_IDS.length;

let f: BillingFixture;
let first: LocalBillingResult;
let again: LocalBillingResult;
let issuedInFirst: { customerId: string; invoiceNumber: string }[];
let failuresOfFirst: { customerId: string; error: string }[];
const expectedFailures: { customerId: string; causeContains: string }[] = [];

beforeAll(async () => {
  f = await openBillingFixture('bad-input');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, DEMO, PERIOD);

  const customers: Item[] = [];
  const plans: Item[] = [];
  const usage: Item[] = [];
  for (const c of CASES) {
    if (c.plan) {
      const planId = `plan_${c.id}`;
      plans.push(c.plan({ ...growthEur(), planId }));
      for (const customerId of [c.id, `${c.id}_2`]) {
        customers.push({ ...validCustomer(customerId), planId });
        usage.push(...validUsage(customerId));
        expectedFailures.push({ customerId, causeContains: c.causeContains });
      }
      continue;
    }
    customers.push((c.customer ?? ((x) => x))(validCustomer(c.id)));
    usage.push(...(c.usage ?? ((x) => x))(validUsage(c.id)));
    expectedFailures.push({ customerId: c.id, causeContains: c.causeContains });
  }
  // Customer ids that are the Invoices table's key prefixes are valid ids like any other.
  for (const customerId of KEY_WORD_IDS) {
    customers.push(validCustomer(customerId));
    usage.push(...validUsage(customerId));
  }
  // 2,000 usage rows for one customer are big, not bad: the invoice sums them per metric.
  customers.push(validCustomer(BIG_USAGE));
  for (let i = 0; i < 2000; i++)
    usage.push(usageRow(BIG_USAGE, `r${String(i).padStart(4, '0')}`, 'api_calls', `${100 + i}.25`));
  await putAll(f.session.clients.dynamodb, f.session.storage.tables.plans, plans);
  await putAll(f.session.clients.dynamodb, f.session.storage.tables.customers, customers);
  await putAll(f.session.clients.dynamodb, f.session.storage.tables.usage, usage);

  // Tolerate every failure: this run is about each bad customer's report, not the threshold.
  first = await runLocalBilling(f.session, {
    period: PERIOD,
    retryIntervalMs: 1,
    toleratedFailurePercentage: 100,
  });
  issuedInFirst = await f.runList(first.runId, 'issued');
  failuresOfFirst = await f.runList(first.runId, 'failures');
  again = await runLocalBilling(f.session, {
    period: PERIOD,
    retryIntervalMs: 1,
    toleratedFailurePercentage: 100,
  });
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

describe('bad input in a billing run', () => {
  it('has at least 30 malformed inputs across customers, plans and usage', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(CASES.filter((c) => c.customer).length).toBeGreaterThanOrEqual(10);
    expect(CASES.filter((c) => c.plan).length).toBeGreaterThanOrEqual(8);
    expect(CASES.filter((c) => c.usage).length).toBeGreaterThanOrEqual(8);
  });

  it('completes the run with every bad customer failed and everyone else issued', () => {
    expect(first).toMatchObject({
      period: PERIOD,
      executionStatus: 'SUCCEEDED',
      status: 'COMPLETED_WITH_FAILURES',
      issued: activeDemo.length + EXTRA_GOOD,
      skipped: 0,
      failed: expectedFailures.length,
      notProcessed: 0,
    });
    expect(first.failures.map((x) => x.customerId).sort()).toEqual(
      expectedFailures.map((x) => x.customerId).sort(),
    );
    // The run's failures list (JSON Lines parts) has the same customers and errors as the summary.
    expect(failuresOfFirst.map((x) => [x.customerId, x.error]).sort()).toEqual(
      first.failures.map((x) => [x.customerId, x.error]).sort(),
    );
  });

  it.each(CASES)('$id ($description): $expectedError naming the record and field', (c) => {
    const failure = first.failures.find((x) => x.customerId === c.id);
    expect(failure).toMatchObject({ customerId: c.id, error: c.expectedError });
    // The message starts with where the problem is: record and field, then what is wrong.
    expect(messageOf(failure).slice(0, c.causeContains.length)).toBe(c.causeContains);
  });

  it('fails every customer on a malformed plan, and only them', () => {
    for (const c of CASES.filter((x) => x.plan)) {
      const onPlan = first.failures.filter((x) => x.customerId === c.id || x.customerId === `${c.id}_2`);
      expect(onPlan).toHaveLength(2);
      for (const failure of onPlan) expect(messageOf(failure)).toContain(c.causeContains);
    }
    // The good customers on growth-eur (the plan every bad plan was copied from) are issued.
    const issued = new Set(issuedInFirst.map((i) => i.customerId));
    const onGrowthEur = [
      ...activeDemo.filter((c) => c.planId === 'growth-eur').map((c) => c.customerId),
      BIG_USAGE,
    ];
    for (const id of onGrowthEur) expect(issued.has(id)).toBe(true);
  });

  it('issues every good demo customer and the one with 2,000 usage lines', async () => {
    const issued = issuedInFirst.map((i) => i.customerId).sort();
    expect(issued).toEqual([...activeDemo.map((c) => c.customerId), BIG_USAGE, ...KEY_WORD_IDS].sort());
    const [big] = await f.invoices(PERIOD).then((rows) => rows.filter((r) => r.customerId === BIG_USAGE));
    expect(big).toMatchObject({ status: 'NOTIFIED', currency: 'EUR' });
    expect(big!.totalMinor).toBeGreaterThan(0);
  });

  it('keeps the invariants: gapless numbers, no orphan or missing documents', async () => {
    const rows = await f.invoices(PERIOD);
    expect(rows.filter((r) => r.status !== 'VOID')).toHaveLength(activeDemo.length + EXTRA_GOOD);
    // Bad input fails before a number is reserved: nothing to void.
    expect(rows.filter((r) => r.status === 'VOID')).toEqual([]);
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
  });

  it('lists the invoices of customers whose ids are key prefixes, and the numbering checks see no gap', async () => {
    const listed = await f.session.listInvoices({});
    for (const customerId of KEY_WORD_IDS)
      expect(listed.filter((r) => r.customerId === customerId && r.period === PERIOD)).toEqual([
        expect.objectContaining({ status: 'NOTIFIED', invoiceKey: `${customerId}#${PERIOD}` }),
      ]);
    const byCustomer = await f.session.listInvoices({ customerId: 'SERIES' });
    expect(byCustomer.map((r) => r.customerId)).toEqual(['SERIES']);
  });

  it('a re-run reports the same failures and issues nothing new', async () => {
    expect(again).toMatchObject({
      issued: 0,
      skipped: activeDemo.length + EXTRA_GOOD,
      failed: expectedFailures.length,
    });
    const reported = (r: LocalBillingResult) =>
      r.failures.map((x) => ({ customerId: x.customerId, error: x.error, message: messageOf(x) }));
    expect(reported(again)).toEqual(reported(first));
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
  });

  it('refuses a run request with an invalid period and changes nothing', async () => {
    const before = (await f.invoices()).length;
    const runsBefore = (await f.session.listRuns()).length;
    const refused = await runLocalBilling(f.session, { period: '2026-13', retryIntervalMs: 1 }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RunFailedError);
    expect(refused).toMatchObject({ errorName: 'InvalidRunRequestError' });
    expect((refused as RunFailedError).errorCause).toContain('run input period');
    expect((await f.invoices()).length).toBe(before);
    expect((await f.session.listRuns()).length).toBe(runsBefore);
  });
});
