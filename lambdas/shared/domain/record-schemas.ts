/**
 * The JSON Schemas of the raw records (customer, price plan, usage row), compiled once with ajv.
 * They check shape; ./records.ts checks meaning. Plan components take their variants from the
 * pricing-model registry. Each is compiled on its first use.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { PRICING_MODELS } from './pricing-models.js';

export const MAX_NAME_LENGTH = 200;
/** Usage rows per customer and period that one invoice accepts (rows are summed per metric). */
export const MAX_USAGE_RECORDS = 100_000;

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
    cancelledAt: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'the last day of service, YYYY-MM-DD',
    },
    buyerReference: text(200),
    eInvoiceSyntax: { enum: ['UBL', 'CII'] },
    facturX: { type: 'boolean' },
    eInvoiceProfile: { enum: ['XRECHNUNG'] },
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

/** A plan's own translations: catalogue language -> text (records.ts checks the languages). */
const translations = (maxLength: number) => ({
  type: 'object',
  maxProperties: 40,
  propertyNames: { pattern: '^[a-z]{2,3}(-[A-Z][a-z]{3})?$' },
  additionalProperties: text(maxLength),
});

const common = {
  metric: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_.:-]+$',
    description: 'a metric name',
  },
  description: text(MAX_NAME_LENGTH),
  descriptions: translations(MAX_NAME_LENGTH),
  includedQuantity: decimal,
  unit: text(50),
  units: translations(50),
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
    names: translations(MAX_NAME_LENGTH),
    language: {
      type: 'string',
      pattern: '^[a-z]{2,3}$',
      description: 'the language of name, descriptions and units',
    },
    showZeroAmountLines: { type: 'boolean' },
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
        // One variant per pricing model, from the model registry.
        oneOf: Object.entries(PRICING_MODELS).map(([model, definition]) =>
          componentVariant(model, definition.schemaFields),
        ),
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
    // A metric is part of the usage key (`period#metric#recordId`): no `#`, as in a plan.
    metric: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$' },
  },
};

// ajv-formats is CommonJS: Node's ESM default import is module.exports, which carries `.default` too.
const addFormats = addFormatsImport.default;
let ajv: Ajv | undefined;
/** Compiled on first use: a command that validates no record (a query) does not pay for it. */
const compiled = new Map<object, ValidateFunction>();
function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    if (ajv === undefined) {
      ajv = new Ajv({
        allErrors: false,
        verbose: true,
        discriminator: true,
        strict: true,
        strictRequired: false,
      });
      addFormats(ajv, ['email']);
    }
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export const recordValidators = {
  get customer(): ValidateFunction {
    return validatorOf(customerSchema);
  },
  get plan(): ValidateFunction {
    return validatorOf(planSchema);
  },
  get usage(): ValidateFunction {
    return validatorOf(usageSchema);
  },
};
