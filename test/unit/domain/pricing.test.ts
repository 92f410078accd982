import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { currencyOf, parseDecimal } from '../../../lambdas/shared/domain/money.js';
import { priceComponent, validatePlan } from '../../../lambdas/shared/domain/pricing.js';
import type { PriceComponent, PricePlan } from '../../../lambdas/shared/domain/types.js';

const EUR = currencyOf('EUR');
const q = (text: string) => parseDecimal(text, 'q');
const price = (c: PriceComponent, used: string) => priceComponent(c, q(used), EUR, 'c');

const graduated: PriceComponent = {
  metric: 'api',
  description: 'API',
  model: 'graduated',
  tiers: [
    { upTo: '100', unitPrice: '0.10' },
    { upTo: '200', unitPrice: '0.05' },
    { unitPrice: '0.01', flatFee: '1.00' },
  ],
};

describe('priceComponent', () => {
  it('per unit with included quantity', () => {
    const c: PriceComponent = {
      metric: 'm',
      description: 'M',
      model: 'per_unit',
      unitPrice: '0.25',
      includedQuantity: '10',
    };
    expect(price(c, '14')).toEqual({
      usedQuantity: '14',
      includedQuantity: '10',
      quantity: '4',
      unitPrice: '0.25',
      amountMinor: 100,
    });
    expect(price(c, '3')).toMatchObject({ includedQuantity: '3', quantity: '0', amountMinor: 0 });
  });

  it('graduated: each unit by its tier, with a breakdown', () => {
    const priced = price(graduated, '250');
    expect(priced.amountMinor).toBe(1000 + 500 + 50 + 100);
    expect(priced.tiers).toEqual([
      { description: 'up to 100', quantity: '100', unitPrice: '0.1', amountMinor: 1000 },
      { description: '100 to 200', quantity: '100', unitPrice: '0.05', amountMinor: 500 },
      { description: 'over 200', quantity: '50', unitPrice: '0.01', amountMinor: 50 },
      // The flat fee is a row of its own, so that every row multiplies out.
      { description: 'Flat fee, over 200', quantity: '1', unitPrice: '1', amountMinor: 100 },
    ]);
    expect(priced.unitPrice).toBe('0.066'); // 16.50 / 250
  });

  it('graduated at a boundary does not enter the next tier (no flat fee)', () => {
    expect(price(graduated, '200').tiers).toHaveLength(2);
    expect(price(graduated, '200').amountMinor).toBe(1500);
    expect(price(graduated, '200.001').amountMinor).toBe(1500 + 100); // 0.00001 -> 0.00 + 1.00 flat
  });

  it('volume: all units at the tier of the total', () => {
    const volume: PriceComponent = { ...graduated, model: 'volume' } as PriceComponent;
    expect(price(volume, '100').amountMinor).toBe(1000);
    expect(price(volume, '150').amountMinor).toBe(750);
    expect(price(volume, '250').amountMinor).toBe(250 + 100);
    expect(price(volume, '0')).toMatchObject({ amountMinor: 0, tiers: [], unitPrice: '0' });
  });

  it('package: started packages, printed as packages', () => {
    const c: PriceComponent = {
      metric: 'gb',
      description: 'GB',
      model: 'package',
      packageSize: '10',
      packagePrice: '2.50',
      unit: 'GB',
    };
    expect(price(c, '0.5')).toMatchObject({
      quantity: '1',
      unit: 'package of 10 GB',
      unitPrice: '2.5',
      amountMinor: 250,
    });
    expect(price(c, '30')).toMatchObject({ quantity: '3', amountMinor: 750 });
    expect(price(c, '0')).toMatchObject({ quantity: '0', amountMinor: 0 });
  });

  it('prices in 0- and 3-decimal currencies', () => {
    const c: PriceComponent = { metric: 'm', description: 'M', model: 'per_unit', unitPrice: '0.3333' };
    expect(priceComponent(c, q('3'), currencyOf('JPY'), 'c').amountMinor).toBe(1); // 0.9999 -> 1
    expect(priceComponent(c, q('3'), currencyOf('KWD'), 'c').amountMinor).toBe(1000); // 0.9999 -> 1.000
  });
});

describe('validatePlan', () => {
  const plan = (components: PriceComponent[], extra: Partial<PricePlan> = {}): PricePlan => ({
    planId: 'pro',
    name: 'Pro',
    currency: 'EUR',
    baseFeeMinor: 0,
    components,
    ...extra,
  });
  const whereOf = (p: PricePlan): string => {
    try {
      validatePlan(p);
    } catch (error) {
      if (error instanceof InvalidInputError) return error.where;
      throw error;
    }
    return 'valid';
  };

  it('accepts a sound plan', () => {
    expect(whereOf(plan([graduated]))).toBe('valid');
  });

  it.each([
    [[{ ...graduated, tiers: [] }], 'plan pro.components[0].tiers'],
    [[{ ...graduated, tiers: [{ upTo: '10', unitPrice: '1' }] }], 'plan pro.components[0].tiers[0].upTo'],
    [
      [{ ...graduated, tiers: [{ unitPrice: '1' }, { unitPrice: '1' }] }],
      'plan pro.components[0].tiers[0].upTo',
    ],
    [
      [
        {
          ...graduated,
          tiers: [{ upTo: '10', unitPrice: '1' }, { upTo: '10', unitPrice: '1' }, { unitPrice: '1' }],
        },
      ],
      'plan pro.components[0].tiers[1].upTo',
    ],
    [
      [{ ...graduated, tiers: [{ upTo: '0', unitPrice: '1' }, { unitPrice: '1' }] }],
      'plan pro.components[0].tiers[0].upTo',
    ],
    [
      [{ ...graduated, tiers: [{ upTo: '1', unitPrice: '-1' }, { unitPrice: '1' }] }],
      'plan pro.components[0].tiers[0].unitPrice',
    ],
    [
      [{ metric: 'g', description: 'G', model: 'package', packageSize: '0', packagePrice: '1' }],
      'plan pro.components[0].packageSize',
    ],
    [
      [{ metric: 'g', description: 'G', model: 'per_unit', unitPrice: '1', includedQuantity: 'x' }],
      'plan pro.components[0].includedQuantity',
    ],
    [[graduated, graduated], 'plan pro.components[1].metric'],
  ] as [PriceComponent[], string][])('rejects a broken plan at %#', (components, where) => {
    expect(whereOf(plan(components))).toBe(where);
  });

  it('checks the base fee and payment terms', () => {
    expect(whereOf(plan([], { baseFeeMinor: 1.5 }))).toBe('plan pro.baseFeeMinor');
    expect(whereOf(plan([], { baseFeeMinor: -1 }))).toBe('plan pro.baseFeeMinor');
    expect(whereOf(plan([], { paymentTermsDays: 400 }))).toBe('plan pro.paymentTermsDays');
  });
});
