/**
 * The pricing models, each in one entry of one registry: its record schema (the fields a plan
 * component of that model carries), how the fields are copied from a schema-checked record, what
 * else must hold of them, and how a billable quantity is priced. A new model is a new entry here
 * (plus its variant of `PricingModel` in types.ts); the record schema, plan parsing, plan checks
 * and pricing all read this registry.
 *
 * Semantics (all quantities exact decimals, all prices in major units):
 * - per_unit:   billable x unitPrice.
 * - graduated:  each unit priced by the tier it falls in; tier i covers (upTo[i-1], upTo[i]]
 *               (upper bounds inclusive). A tier's flatFee is charged once if the tier is entered.
 * - volume:     ALL billable units priced by the tier the billable quantity falls in (the first
 *               tier with billable <= upTo), plus that tier's flatFee.
 * - package:    ceil(billable / packageSize) started packages x packagePrice.
 * - Zero billable quantity costs nothing: no tier is entered, no flat fee, no package.
 * Rounding (see money.ts): each tier row is rounded, and a tiered line is the sum of its rows. A
 * tier's flat fee is a row of its own (1 x the fee), so that every printed row multiplies out:
 * quantity x unit price = amount, to the minor unit.
 */
import { InvalidInputError } from '../errors.js';
import { PLAIN_LINE_TEXTS, type LineTexts } from './line-texts.js';
import {
  ZERO,
  ceilDivide,
  compareDecimal,
  decimalFromInt,
  exactMajor,
  formatDecimal,
  isZeroDecimal,
  minDecimal,
  parseDecimal,
  priceTimesQuantity,
  roundToMinor,
  subtractDecimal,
  sumMinor,
  type Currency,
  type Decimal,
} from './money.js';
import type { PricingModel, Tier } from './types.js';

/** Digits allowed after the point in prices (sub-cent unit prices such as 0.000125 are common). */
const PRICE_DECIMALS = 10;

export const parsePrice = (text: unknown, where: string): Decimal =>
  parseDecimal(text, where, { maxFractionDigits: PRICE_DECIMALS });

export interface TierRow {
  description: string;
  quantity: string;
  unitPrice: string;
  amountMinor: number;
}

/** A priced quantity: what the invoice line shows. */
export interface ModelPrice {
  /** Quantity on the invoice line (billable units; packages for package pricing). */
  quantity: string;
  /** Unit label replacing the component's own (package pricing). */
  unit?: string;
  /** Price per `quantity` unit in major units; for tiered lines the blended price (informational). */
  unitPrice: string;
  amountMinor: number;
  tiers?: TierRow[];
}

/** Where a priced component is (for errors), its own unit label, and the words of its rows. */
export interface PriceAt {
  where: string;
  unit?: string;
  texts?: LineTexts;
}

type ModelOf<M extends PricingModel['model']> = Extract<PricingModel, { model: M }>;

export interface PricingModelDefinition<M extends PricingModel['model']> {
  /** JSON Schema of the model's own fields in a plan record (besides metric, description ...). */
  schemaFields: Record<string, unknown>;
  /** The model's fields, copied from a schema-checked record (nothing else leaks into the plan). */
  pick(record: ModelOf<M>): ModelOf<M>;
  /** What the schema cannot say: decimals parse, tiers ascend, sizes are positive. */
  validate(component: ModelOf<M>, at: string): void;
  /** Prices a billable quantity of a validated component; `where` names it in errors. */
  price(component: ModelOf<M>, billable: Decimal, currency: Currency, at: PriceAt): ModelPrice;
}

const decimalField = { type: 'string', description: 'a decimal string such as "12.5"' };
const tierSchema = {
  type: 'object',
  required: ['unitPrice'],
  properties: { upTo: decimalField, unitPrice: decimalField, flatFee: decimalField },
  additionalProperties: false,
};
const tiersField = { type: 'array', minItems: 1, maxItems: 50, items: tierSchema };

const copyTiers = (tiers: Tier[]): Tier[] =>
  tiers.map((t) => ({
    ...(t.upTo === undefined ? {} : { upTo: t.upTo }),
    unitPrice: t.unitPrice,
    ...(t.flatFee === undefined ? {} : { flatFee: t.flatFee }),
  }));

function validateTiers(tiers: Tier[], at: string): void {
  if (tiers.length === 0) throw new InvalidInputError('needs at least one tier', `${at}.tiers`);
  let previous: Decimal | undefined;
  tiers.forEach((tier, i) => {
    const tierAt = `${at}.tiers[${i}]`;
    parsePrice(tier.unitPrice, `${tierAt}.unitPrice`);
    if (tier.flatFee !== undefined) parsePrice(tier.flatFee, `${tierAt}.flatFee`);
    const last = i === tiers.length - 1;
    if (tier.upTo === undefined) {
      if (!last)
        throw new InvalidInputError('only the last tier may be open-ended (no upTo)', `${tierAt}.upTo`);
      return;
    }
    if (last) throw new InvalidInputError('the last tier must be open-ended (no upTo)', `${tierAt}.upTo`);
    const upTo = parseDecimal(tier.upTo, `${tierAt}.upTo`);
    if (isZeroDecimal(upTo)) throw new InvalidInputError('must be greater than 0', `${tierAt}.upTo`);
    if (previous !== undefined && compareDecimal(upTo, previous) <= 0) {
      throw new InvalidInputError(
        `tiers must ascend: ${formatDecimal(upTo)} is not above the previous ${formatDecimal(previous)}`,
        `${tierAt}.upTo`,
      );
    }
    previous = upTo;
  });
}

/** Blended unit price (amount / quantity) for display, rounded half away from zero to 6 decimals. */
function blendedUnitPrice(amountMinor: number, quantity: Decimal, currency: Currency): string {
  if (isZeroDecimal(quantity)) return '0';
  const places = 6;
  // amount (major) / quantity = amountMinor * 10^(q.scale) / (q.units * 10^exponent)
  const numerator = BigInt(amountMinor) * 10n ** BigInt(quantity.scale + places);
  const denominator = quantity.units * 10n ** BigInt(currency.exponent);
  const scaled = (2n * numerator + denominator) / (2n * denominator);
  return formatDecimal({ units: scaled, scale: places });
}

function tierRange(from: Decimal, upTo: Decimal | undefined, texts: LineTexts): string {
  if (upTo === undefined) return texts.tierOver(texts.number(formatDecimal(from)));
  if (isZeroDecimal(from)) return texts.tierUpTo(texts.number(formatDecimal(upTo)));
  return texts.tierBetween(texts.number(formatDecimal(from)), texts.number(formatDecimal(upTo)));
}

const upToOf = (tier: Tier): Decimal | undefined =>
  tier.upTo === undefined ? undefined : parseDecimal(tier.upTo, 'upTo');

/** The rows of one entered tier: its units, and its flat fee as a row of its own. */
function tierRows(
  tier: Tier,
  from: Decimal,
  units: Decimal,
  currency: Currency,
  at: string,
  texts: LineTexts,
): TierRow[] {
  const unitPrice = parsePrice(tier.unitPrice, `${at}.unitPrice`);
  const range = tierRange(from, upToOf(tier), texts);
  const rows: TierRow[] = [
    {
      description: range,
      quantity: formatDecimal(units),
      unitPrice: formatDecimal(unitPrice),
      amountMinor: roundToMinor(priceTimesQuantity(unitPrice, units, currency), `${at}.amount`),
    },
  ];
  if (tier.flatFee !== undefined) {
    const flatFee = parsePrice(tier.flatFee, `${at}.flatFee`);
    rows.push({
      description: texts.tierFlatFee(range),
      quantity: '1',
      unitPrice: formatDecimal(flatFee),
      amountMinor: roundToMinor(exactMajor(flatFee, currency), `${at}.flatFee`),
    });
  }
  return rows;
}

type TierRowsOf = (
  tiers: Tier[],
  billable: Decimal,
  currency: Currency,
  where: string,
  texts: LineTexts,
) => TierRow[];

const graduatedRows: TierRowsOf = (tiers, billable, currency, where, texts) => {
  const rows: TierRow[] = [];
  let from = ZERO;
  for (const [i, tier] of tiers.entries()) {
    if (compareDecimal(billable, from) <= 0) break; // tier not entered
    const upTo = upToOf(tier);
    const top = upTo === undefined ? billable : minDecimal(billable, upTo);
    rows.push(...tierRows(tier, from, subtractDecimal(top, from), currency, `${where}.tiers[${i}]`, texts));
    if (upTo === undefined) break;
    from = upTo;
  }
  return rows;
};

const volumeRows: TierRowsOf = (tiers, billable, currency, where, texts) => {
  if (isZeroDecimal(billable)) return [];
  let from = ZERO;
  for (const [i, tier] of tiers.entries()) {
    const upTo = upToOf(tier);
    if (upTo === undefined || compareDecimal(billable, upTo) <= 0)
      return tierRows(tier, from, billable, currency, `${where}.tiers[${i}]`, texts);
    from = upTo;
  }
  // validateTiers guarantees an open-ended last tier.
  throw new InvalidInputError('no tier covers the quantity', `${where}.tiers`);
};

function tiered(rows: TierRowsOf): PricingModelDefinition<'graduated' | 'volume'>['price'] {
  return (component, billable, currency, { where, texts = PLAIN_LINE_TEXTS }) => {
    const tiers = rows(component.tiers, billable, currency, where, texts);
    const amountMinor = sumMinor(
      tiers.map((t) => t.amountMinor),
      `${where}.amount`,
    );
    return {
      quantity: formatDecimal(billable),
      unitPrice: blendedUnitPrice(amountMinor, billable, currency),
      amountMinor,
      tiers,
    };
  };
}

export const PRICING_MODELS: { [M in PricingModel['model']]: PricingModelDefinition<M> } = {
  per_unit: {
    schemaFields: { unitPrice: decimalField },
    pick: (c) => ({ model: 'per_unit', unitPrice: c.unitPrice }),
    validate: (c, at) => void parsePrice(c.unitPrice, `${at}.unitPrice`),
    price: (c, billable, currency, { where }) => {
      const unitPrice = parsePrice(c.unitPrice, `${where}.unitPrice`);
      const amountMinor = roundToMinor(priceTimesQuantity(unitPrice, billable, currency), `${where}.amount`);
      return { quantity: formatDecimal(billable), unitPrice: formatDecimal(unitPrice), amountMinor };
    },
  },
  graduated: {
    schemaFields: { tiers: tiersField },
    pick: (c) => ({ model: 'graduated', tiers: copyTiers(c.tiers) }),
    validate: (c, at) => validateTiers(c.tiers, at),
    price: tiered(graduatedRows),
  },
  volume: {
    schemaFields: { tiers: tiersField },
    pick: (c) => ({ model: 'volume', tiers: copyTiers(c.tiers) }),
    validate: (c, at) => validateTiers(c.tiers, at),
    price: tiered(volumeRows),
  },
  package: {
    schemaFields: { packageSize: decimalField, packagePrice: decimalField },
    pick: (c) => ({ model: 'package', packageSize: c.packageSize, packagePrice: c.packagePrice }),
    validate: (c, at) => {
      const size = parseDecimal(c.packageSize, `${at}.packageSize`);
      if (isZeroDecimal(size)) throw new InvalidInputError('must be greater than 0', `${at}.packageSize`);
      parsePrice(c.packagePrice, `${at}.packagePrice`);
    },
    price: (c, billable, currency, { where, unit, texts = PLAIN_LINE_TEXTS }) => {
      const size = parseDecimal(c.packageSize, `${where}.packageSize`);
      const unitPrice = parsePrice(c.packagePrice, `${where}.packagePrice`);
      const packages = ceilDivide(billable, size);
      const amountMinor = roundToMinor(
        priceTimesQuantity(unitPrice, decimalFromInt(packages), currency),
        `${where}.amount`,
      );
      return {
        unit: texts.packageUnit(Number(packages), texts.number(formatDecimal(size)), unit ?? ''),
        quantity: packages.toString(),
        unitPrice: formatDecimal(unitPrice),
        amountMinor,
      };
    },
  },
};

/** A registry entry as code that handles any component sees it (the model is matched at run time). */
export interface AnyPricingModel {
  schemaFields: Record<string, unknown>;
  pick(record: PricingModel): PricingModel;
  validate(component: PricingModel, at: string): void;
  price(component: PricingModel, billable: Decimal, currency: Currency, at: PriceAt): ModelPrice;
}

/** The registry entry of a model; an unknown model is a data error naming where. */
export function pricingModel(model: string, at: string): AnyPricingModel {
  const definition = (PRICING_MODELS as unknown as Record<string, AnyPricingModel | undefined>)[model];
  if (!definition)
    throw new InvalidInputError(`unknown pricing model ${JSON.stringify(model)}`, `${at}.model`);
  return definition;
}
