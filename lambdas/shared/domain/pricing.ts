/**
 * Pricing one metered component for one period's quantity.
 *
 * Semantics (all quantities exact decimals, all prices in major units):
 * - `includedQuantity` is deducted first; only the rest ("billable") is priced.
 * - per_unit:   billable x unitPrice.
 * - graduated:  each unit priced by the tier it falls in; tier i covers (upTo[i-1], upTo[i]]
 *               (upper bounds inclusive). A tier's flatFee is charged once if the tier is entered.
 * - volume:     ALL billable units priced by the tier the billable quantity falls in (the first
 *               tier with billable <= upTo), plus that tier's flatFee.
 * - package:    ceil(billable / packageSize) started packages x packagePrice.
 * - Zero billable quantity costs nothing: no tier is entered, no flat fee, no package.
 * Rounding (see money.ts): each tier row is rounded, and a tiered line is the sum of its rows.
 */
import { InvalidInputError } from '../errors.js';
import {
  ZERO,
  addDecimal,
  ceilDivide,
  compareDecimal,
  decimalFromInt,
  exactMajor,
  formatDecimal,
  isZeroDecimal,
  maxDecimal,
  minDecimal,
  parseDecimal,
  priceTimesQuantity,
  roundToMinor,
  subtractDecimal,
  sumMinor,
  type Currency,
  type Decimal,
} from './money.js';
import { add } from 'dinero.js/bigint';
import type { PriceComponent, PricePlan, Tier } from './types.js';

/** Digits allowed after the point in prices (sub-cent unit prices such as 0.000125 are common). */
const PRICE_DECIMALS = 10;

export interface TierRow {
  description: string;
  quantity: string;
  unitPrice: string;
  amountMinor: number;
}

export interface PricedComponent {
  /** Quantity used in the period (sum of usage). */
  usedQuantity: string;
  /** Included units actually consumed (min(used, included)). */
  includedQuantity: string;
  /** Quantity on the invoice line (billable units; packages for package pricing). */
  quantity: string;
  /** Unit label for `quantity` (the package wording for package pricing). */
  unit?: string;
  /** Price per `quantity` unit in major units; for tiered lines the blended price (informational). */
  unitPrice: string;
  amountMinor: number;
  tiers?: TierRow[];
}

const parsePrice = (text: unknown, where: string): Decimal =>
  parseDecimal(text, where, { maxFractionDigits: PRICE_DECIMALS });

/** Validate a price plan's structure beyond its JSON shape: amounts, tiers, metrics. */
export function validatePlan(plan: PricePlan, where = `plan ${plan.planId}`): void {
  if (!Number.isSafeInteger(plan.baseFeeMinor) || plan.baseFeeMinor < 0) {
    throw new InvalidInputError(
      `must be a whole number of minor units >= 0, got ${plan.baseFeeMinor}`,
      `${where}.baseFeeMinor`,
    );
  }
  if (plan.paymentTermsDays !== undefined) {
    const days = plan.paymentTermsDays;
    if (!Number.isSafeInteger(days) || days < 0 || days > 365) {
      throw new InvalidInputError(
        `must be a whole number of days 0-365, got ${days}`,
        `${where}.paymentTermsDays`,
      );
    }
  }
  const metrics = new Set<string>();
  plan.components.forEach((component, index) => {
    const at = `${where}.components[${index}]`;
    if (metrics.has(component.metric)) {
      throw new InvalidInputError(`metric "${component.metric}" is priced twice`, `${at}.metric`);
    }
    metrics.add(component.metric);
    validateComponent(component, at);
  });
}

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

function validateComponent(component: PriceComponent, at: string): void {
  if (component.includedQuantity !== undefined)
    parseDecimal(component.includedQuantity, `${at}.includedQuantity`);
  switch (component.model) {
    case 'per_unit':
      parsePrice(component.unitPrice, `${at}.unitPrice`);
      return;
    case 'graduated':
    case 'volume':
      validateTiers(component.tiers, at);
      return;
    case 'package': {
      const size = parseDecimal(component.packageSize, `${at}.packageSize`);
      if (isZeroDecimal(size)) throw new InvalidInputError('must be greater than 0', `${at}.packageSize`);
      parsePrice(component.packagePrice, `${at}.packagePrice`);
      return;
    }
    default:
      throw new InvalidInputError(
        `unknown pricing model ${JSON.stringify((component as { model: unknown }).model)}`,
        `${at}.model`,
      );
  }
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

function tierLabel(from: Decimal, upTo: Decimal | undefined): string {
  if (upTo === undefined) return `over ${formatDecimal(from)}`;
  if (isZeroDecimal(from)) return `up to ${formatDecimal(upTo)}`;
  return `${formatDecimal(from)} to ${formatDecimal(upTo)}`;
}

/**
 * Price one component for the quantity used in the period. `where` names the component in
 * errors (e.g. "plan pro.components[1]").
 */
export function priceComponent(
  component: PriceComponent,
  used: Decimal,
  currency: Currency,
  where = `component ${component.metric}`,
): PricedComponent {
  validateComponent(component, where);
  const included =
    component.includedQuantity === undefined
      ? ZERO
      : parseDecimal(component.includedQuantity, `${where}.includedQuantity`);
  const billable = maxDecimal(ZERO, subtractDecimal(used, included));
  const base = {
    usedQuantity: formatDecimal(used),
    includedQuantity: formatDecimal(minDecimal(used, included)),
    ...(component.unit === undefined ? {} : { unit: component.unit }),
  };

  switch (component.model) {
    case 'per_unit': {
      const price = parsePrice(component.unitPrice, `${where}.unitPrice`);
      const amountMinor = roundToMinor(priceTimesQuantity(price, billable, currency), `${where}.amount`);
      return { ...base, quantity: formatDecimal(billable), unitPrice: formatDecimal(price), amountMinor };
    }
    case 'package': {
      const size = parseDecimal(component.packageSize, `${where}.packageSize`);
      const price = parsePrice(component.packagePrice, `${where}.packagePrice`);
      const packages = ceilDivide(billable, size);
      const amountMinor = roundToMinor(
        priceTimesQuantity(price, decimalFromInt(packages), currency),
        `${where}.amount`,
      );
      const unit = `package of ${formatDecimal(size)}${component.unit === undefined ? '' : ` ${component.unit}`}`;
      return { ...base, unit, quantity: packages.toString(), unitPrice: formatDecimal(price), amountMinor };
    }
    case 'graduated':
    case 'volume': {
      const rows = component.model === 'graduated' ? graduatedRows : volumeRows;
      const tiers = rows(component.tiers, billable, currency, where);
      const amountMinor = sumMinor(
        tiers.map((t) => t.amountMinor),
        `${where}.amount`,
      );
      return {
        ...base,
        quantity: formatDecimal(billable),
        unitPrice: blendedUnitPrice(amountMinor, billable, currency),
        amountMinor,
        tiers,
      };
    }
  }
}

function tierAmount(tier: Tier, units: Decimal, currency: Currency, at: string): number {
  let exact = priceTimesQuantity(parsePrice(tier.unitPrice, `${at}.unitPrice`), units, currency);
  if (tier.flatFee !== undefined)
    exact = add(exact, exactMajor(parsePrice(tier.flatFee, `${at}.flatFee`), currency));
  return roundToMinor(exact, `${at}.amount`);
}

function rowFor(tier: Tier, from: Decimal, units: Decimal, currency: Currency, at: string): TierRow {
  const upTo = tier.upTo === undefined ? undefined : parseDecimal(tier.upTo, `${at}.upTo`);
  const fee =
    tier.flatFee === undefined ? '' : ` + ${formatDecimal(parsePrice(tier.flatFee, `${at}.flatFee`))} flat`;
  return {
    description: `${tierLabel(from, upTo)}${fee}`,
    quantity: formatDecimal(units),
    unitPrice: formatDecimal(parsePrice(tier.unitPrice, `${at}.unitPrice`)),
    amountMinor: tierAmount(tier, units, currency, at),
  };
}

function graduatedRows(tiers: Tier[], billable: Decimal, currency: Currency, where: string): TierRow[] {
  const rows: TierRow[] = [];
  let from = ZERO;
  for (const [i, tier] of tiers.entries()) {
    if (compareDecimal(billable, from) <= 0) break; // tier not entered
    const upTo = tier.upTo === undefined ? undefined : parseDecimal(tier.upTo, `${where}.tiers[${i}].upTo`);
    const top = upTo === undefined ? billable : minDecimal(billable, upTo);
    rows.push(rowFor(tier, from, subtractDecimal(top, from), currency, `${where}.tiers[${i}]`));
    if (upTo === undefined) break;
    from = upTo;
  }
  return rows;
}

function volumeRows(tiers: Tier[], billable: Decimal, currency: Currency, where: string): TierRow[] {
  if (isZeroDecimal(billable)) return [];
  let from = ZERO;
  for (const [i, tier] of tiers.entries()) {
    const upTo = tier.upTo === undefined ? undefined : parseDecimal(tier.upTo, `${where}.tiers[${i}].upTo`);
    if (upTo === undefined || compareDecimal(billable, upTo) <= 0) {
      return [rowFor(tier, from, billable, currency, `${where}.tiers[${i}]`)];
    }
    from = upTo;
  }
  // validateTiers guarantees an open-ended last tier.
  throw new InvalidInputError('no tier covers the quantity', `${where}.tiers`);
}

/** Sum usage quantities exactly (decimal strings, each validated). */
export function sumQuantities(quantities: readonly Decimal[]): Decimal {
  return quantities.reduce(addDecimal, ZERO);
}
