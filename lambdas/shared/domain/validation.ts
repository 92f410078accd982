/**
 * Raw records (unknown shape, from DynamoDB or JSON files) -> typed Customer / PricePlan /
 * UsageRecord[]. JSON Schema (ajv) checks the shape; hand-written checks cover the meaning
 * (currency known, country ISO 3166, VAT-id format, plan currency = customer currency, usage
 * period and metric). Every error is an InvalidInputError whose `where` names the record and
 * field: `customer cus_7.email: not an email address`.
 *
 * The typed results are rebuilt field by field, so storage attributes (keys, timestamps) never
 * leak into the invoice snapshot. Inactive customers validate fine: skipping them is the caller's job.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { InvalidInputError } from '../errors.js';
import { currencyOf, parseDecimal } from './money.js';
import { parsePeriod } from './periods.js';
import { validatePlan } from './pricing.js';
import { validateVatId } from './tax.js';
import type {
  Address,
  Customer,
  Discount,
  InvoicePeriod,
  PriceComponent,
  PricePlan,
  Tier,
  UsageRecord,
} from './types.js';

/** ISO 3166-1 alpha-2 codes in use, plus XK (Kosovo, user-assigned but used by the EU and banks). */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

export function isCountryCode(code: unknown): code is string {
  return typeof code === 'string' && COUNTRY_CODES.has(code);
}

export const MAX_NAME_LENGTH = 200;
/** Usage rows per customer and period that one invoice accepts (rows are summed per metric). */
export const MAX_USAGE_RECORDS = 100_000;

// ---------------------------------------------------------------------------------------------
// Shapes

/**
 * Printable text: no control characters (C0, DEL, C1) and no bidirectional overrides or isolates,
 * which would print as nothing or reorder what an invoice shows.
 */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$';
const text = (maxLength: number, minLength = 1) => ({
  type: 'string',
  minLength,
  maxLength,
  pattern: PRINTABLE,
  description: 'printable text (no control or bidirectional-override characters)',
});
const id = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]*$',
  description: 'an id of letters, digits and _ . : @ -',
};
const decimal = { type: 'string', description: 'a decimal string such as "12.5"' };

const addressSchema = {
  type: 'object',
  required: ['line1', 'city', 'country'],
  properties: {
    line1: text(MAX_NAME_LENGTH),
    line2: text(MAX_NAME_LENGTH, 0),
    city: text(100),
    postalCode: text(20, 0),
    region: text(100, 0),
    country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'an ISO 3166 alpha-2 code such as "DE"' },
  },
  additionalProperties: false,
};

const customerSchema = {
  type: 'object',
  required: ['customerId', 'legalName', 'email', 'billingAddress', 'currency', 'locale', 'planId', 'status'],
  properties: {
    customerId: id,
    legalName: text(MAX_NAME_LENGTH),
    email: { type: 'string', maxLength: 254, format: 'email' },
    billingAddress: addressSchema,
    vatId: text(40, 0),
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'an ISO 4217 code such as "EUR"' },
    locale: text(35, 2),
    planId: id,
    status: { enum: ['active', 'inactive'] },
    discounts: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [
          {
            properties: {
              kind: { const: 'percentage' },
              description: text(MAX_NAME_LENGTH),
              percent: decimal,
            },
            required: ['kind', 'description', 'percent'],
            additionalProperties: false,
          },
          {
            properties: {
              kind: { const: 'fixed' },
              description: text(MAX_NAME_LENGTH),
              amountMinor: { type: 'integer', minimum: 0 },
            },
            required: ['kind', 'description', 'amountMinor'],
            additionalProperties: false,
          },
        ],
      },
    },
  },
};

const tierSchema = {
  type: 'object',
  required: ['unitPrice'],
  properties: { upTo: decimal, unitPrice: decimal, flatFee: decimal },
  additionalProperties: false,
};
const common = {
  metric: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_.:-]+$',
    description: 'a metric name',
  },
  description: text(MAX_NAME_LENGTH),
  includedQuantity: decimal,
  unit: text(50),
};
const componentVariant = (model: string, fields: Record<string, unknown>) => ({
  properties: { ...common, model: { const: model }, ...fields },
  required: ['metric', 'description', 'model', ...Object.keys(fields)],
  additionalProperties: false,
});

const planSchema = {
  type: 'object',
  required: ['planId', 'name', 'currency', 'baseFeeMinor', 'components'],
  properties: {
    planId: id,
    name: text(MAX_NAME_LENGTH),
    currency: customerSchema.properties.currency,
    baseFeeMinor: { type: 'integer', minimum: 0 },
    paymentTermsDays: { type: 'integer', minimum: 0, maximum: 365 },
    components: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['model'],
        discriminator: { propertyName: 'model' },
        oneOf: [
          componentVariant('per_unit', { unitPrice: decimal }),
          componentVariant('graduated', {
            tiers: { type: 'array', minItems: 1, maxItems: 50, items: tierSchema },
          }),
          componentVariant('volume', {
            tiers: { type: 'array', minItems: 1, maxItems: 50, items: tierSchema },
          }),
          componentVariant('package', { packageSize: decimal, packagePrice: decimal }),
        ],
      },
    },
  },
};

const usageSchema = {
  type: 'object',
  // quantity's type is checked by parseDecimal, which explains what a decimal string is.
  required: ['recordId', 'customerId', 'period', 'metric', 'quantity'],
  properties: {
    recordId: id,
    customerId: id,
    period: { type: 'string' },
    metric: { type: 'string', minLength: 1 },
  },
};

// ajv-formats is CommonJS: Node's ESM default import is module.exports, which carries `.default` too.
const addFormats = addFormatsImport.default;
const ajv = new Ajv({
  allErrors: false,
  verbose: true,
  discriminator: true,
  strict: true,
  strictRequired: false,
});
addFormats(ajv, ['email']);

const validators = {
  customer: ajv.compile(customerSchema),
  plan: ajv.compile(planSchema),
  usage: ajv.compile(usageSchema),
};

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) =>
      /^\d+$/.test(segment) ? `[${segment}]` : `.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`,
    )
    .join('');
}

function describe(error: ErrorObject): { path: string; message: string } {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}.${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${path}.${String(params.additionalProperty)}`, message: 'is not a known field' };
    case 'type':
      return {
        path,
        message: `must be ${['integer', 'array', 'object'].includes(String(params.type)) ? 'an' : 'a'} ${String(params.type)}`,
      };
    case 'format':
      return {
        path,
        message: params.format === 'email' ? 'not an email address' : `not a valid ${String(params.format)}`,
      };
    case 'maxLength':
      return {
        path,
        message: `longer than ${String(params.limit)} characters (${String((error.data as string).length)})`,
      };
    case 'minLength':
      return {
        path,
        message: params.limit === 1 ? 'must not be empty' : `shorter than ${String(params.limit)} characters`,
      };
    case 'pattern':
      return { path, message: `must be ${schema?.description ?? `text matching ${String(params.pattern)}`}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator':
      return {
        path: `${path}.${String(params.tag)}`,
        message: `unknown value ${JSON.stringify(params.tagValue)}`,
      };
    case 'maxItems':
      return { path, message: `at most ${String(params.limit)} entries allowed` };
    case 'minItems':
      return { path, message: `needs at least ${String(params.limit)} entries` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

function checkShape(validate: ValidateFunction, raw: unknown, label: string): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidInputError(`must be an object, got ${raw === null ? 'null' : typeof raw}`, label);
  }
  if (!validate(raw)) {
    const { path, message } = describe((validate.errors ?? [])[0] as ErrorObject);
    throw new InvalidInputError(message, `${label}${path}`);
  }
}

const labelId = (raw: unknown, field: string, fallback: string): string => {
  const value = (raw as Record<string, unknown> | null)?.[field];
  return typeof value === 'string' && value !== '' ? value : fallback;
};

/** `string | undefined` fields copied only when present, so snapshots have no `undefined` keys. */
function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

// ---------------------------------------------------------------------------------------------
// Records

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
  const a: Address = r.billingAddress;
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
    ...(discounts === undefined ? {} : { discounts }),
  };
}

/** Validate a raw price plan record into a PricePlan. */
export function parsePricePlan(raw: unknown, expectedId?: string): PricePlan {
  const label = `plan ${labelId(raw, 'planId', expectedId ?? '(no id)')}`;
  checkShape(validators.plan, raw, label);
  const r = raw as PricePlan;
  currencyOf(r.currency, `${label}.currency`);
  const components = r.components.map((c): PriceComponent => {
    const head = { metric: c.metric, description: c.description };
    const tail = { ...optional('includedQuantity', c.includedQuantity), ...optional('unit', c.unit) };
    const tiers = (ts: Tier[]): Tier[] =>
      ts.map((t) => ({
        ...optional('upTo', t.upTo),
        unitPrice: t.unitPrice,
        ...optional('flatFee', t.flatFee),
      }));
    switch (c.model) {
      case 'per_unit':
        return { ...head, model: 'per_unit', unitPrice: c.unitPrice, ...tail };
      case 'graduated':
        return { ...head, model: 'graduated', tiers: tiers(c.tiers), ...tail };
      case 'volume':
        return { ...head, model: 'volume', tiers: tiers(c.tiers), ...tail };
      case 'package':
        return {
          ...head,
          model: 'package',
          packageSize: c.packageSize,
          packagePrice: c.packagePrice,
          ...tail,
        };
    }
  });
  const plan: PricePlan = {
    planId: r.planId,
    name: r.name,
    currency: r.currency,
    baseFeeMinor: r.baseFeeMinor,
    components,
    ...(r.paymentTermsDays === undefined ? {} : { paymentTermsDays: r.paymentTermsDays }),
  };
  validatePlan(plan, label);
  return plan;
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
    return {
      customerId: r.customerId,
      period: r.period,
      metric: r.metric,
      quantity: r.quantity,
      recordId: r.recordId,
    };
  });
}

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
