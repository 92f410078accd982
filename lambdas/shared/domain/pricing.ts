/**
 * Pricing one metered component for one period's quantity, and the plan checks that make pricing
 * safe. `validatePlan` runs once, when a plan record is parsed (records.ts); `priceComponent`
 * trusts a parsed plan. The models themselves (schema, checks, pricing) are in ./pricing-models.ts.
 * `includedQuantity` is deducted first, whatever the model; only the rest ("billable") is priced.
 */
import { InvalidInputError } from '../errors.js';
import {
  ZERO,
  addDecimal,
  formatDecimal,
  maxDecimal,
  minDecimal,
  parseDecimal,
  subtractDecimal,
  type Currency,
  type Decimal,
} from './money.js';
import type { LineTexts } from './line-texts.js';
import { pricingModel, type ModelPrice } from './pricing-models.js';
import type { PriceComponent, PricePlan } from './types.js';

export type { TierRow } from './pricing-models.js';

export interface PricedComponent extends ModelPrice {
  /** Quantity used in the period (sum of usage). */
  usedQuantity: string;
  /** Included units actually consumed (min(used, included)). */
  includedQuantity: string;
}

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
    if (component.includedQuantity !== undefined)
      parseDecimal(component.includedQuantity, `${at}.includedQuantity`);
    pricingModel(component.model, at).validate(component, at);
  });
}

/**
 * Price one component of a validated plan for the quantity used in the period. `where` names
 * the component in errors (e.g. "plan pro.components[1]").
 */
export function priceComponent(
  component: PriceComponent,
  used: Decimal,
  currency: Currency,
  where = `component ${component.metric}`,
  texts?: LineTexts,
): PricedComponent {
  const included =
    component.includedQuantity === undefined
      ? ZERO
      : parseDecimal(component.includedQuantity, `${where}.includedQuantity`);
  const billable = maxDecimal(ZERO, subtractDecimal(used, included));
  const priced = pricingModel(component.model, where).price(component, billable, currency, {
    where,
    ...(component.unit === undefined ? {} : { unit: component.unit }),
    ...(texts === undefined ? {} : { texts }),
  });
  return {
    usedQuantity: formatDecimal(used),
    includedQuantity: formatDecimal(minDecimal(used, included)),
    ...(component.unit === undefined ? {} : { unit: component.unit }),
    ...priced,
  };
}

/** Sum usage quantities exactly (decimal strings, each validated). */
export function sumQuantities(quantities: readonly Decimal[]): Decimal {
  return quantities.reduce(addDecimal, ZERO);
}
