/**
 * Deterministic demo data: customers across countries, currencies, locales and plans (some
 * with non-Latin names, VAT ids for EU B2B, discounts), their plans, and a month of usage.
 * The same (count, period) always gives the same records, so demo runs are reproducible.
 */
import type { Customer, Discount, PricePlan, UsageRecord } from '../../../lambdas/shared/domain/types.js';
import { validateVatId } from '../../../lambdas/shared/domain/vat-ids.js';

interface Market {
  country: string;
  currency: string;
  locale: string;
  city: string;
  postalCode: string;
  /**
   * The i-th candidate VAT id of business n in this country (absent: consumers only); the first
   * candidate whose check digits hold is used (vatIdOf).
   */
  vatId?: (n: number, i: number) => string;
}

const digits = (n: number, length: number) => String(n).padStart(length, '0').slice(-length);

/** The first of business n's candidate VAT ids whose check digits hold (none: a consumer). */
function vatIdOf(market: Market, n: number): { vatId?: string } {
  for (let i = 0; market.vatId !== undefined && i < 100; i++) {
    const candidate = market.vatId(n, i);
    try {
      validateVatId(candidate, market.country, 'demo');
      return { vatId: candidate };
    } catch {
      // wrong check digits for this candidate: try the next
    }
  }
  return {};
}

/** Markets the demo bills in; VAT id formats follow VIES (and GB/CH/NO national formats). */
const MARKETS: Market[] = [
  {
    country: 'DE',
    currency: 'EUR',
    locale: 'de-DE',
    city: 'München',
    postalCode: '80331',
    vatId: (n, i) => `DE${digits(10000000 + n, 8)}${i}`,
  },
  {
    country: 'FR',
    currency: 'EUR',
    locale: 'fr-FR',
    city: 'Lyon',
    postalCode: '69002',
    vatId: (n, i) => `FR${digits(i, 2)}${digits(300000000 + n, 9)}`,
  },
  {
    country: 'ES',
    currency: 'EUR',
    locale: 'es-ES',
    city: 'Sevilla',
    postalCode: '41001',
    vatId: (n, i) => `ESB${digits(10000000 + n, 7)}${i}`,
  },
  {
    country: 'IT',
    currency: 'EUR',
    locale: 'en-IE',
    city: 'Milano',
    postalCode: '20121',
    vatId: (n, i) => `IT${digits(1000000 + n, 7)}001${i}`,
  },
  {
    country: 'NL',
    currency: 'EUR',
    locale: 'en-GB',
    city: 'Utrecht',
    postalCode: '3511',
    vatId: (n, i) => `NL${digits(80000000 + n, 8)}${i}B01`,
  },
  {
    country: 'PL',
    currency: 'PLN',
    locale: 'en-GB',
    city: 'Łódź',
    postalCode: '90-001',
    vatId: (n, i) => `PL${digits(500000000 + n * 10 + Math.floor(i / 10), 9)}${i % 10}`,
  },
  {
    country: 'AT',
    currency: 'EUR',
    locale: 'de-AT',
    city: 'Wien',
    postalCode: '1010',
    vatId: (n, i) => `ATU${digits(1000000 + n, 7)}${i}`,
  },
  {
    country: 'SE',
    currency: 'SEK',
    locale: 'en-GB',
    city: 'Göteborg',
    postalCode: '411 01',
    vatId: (n, i) => `SE${digits(556000000 + n, 9)}${i}01`,
  },
  {
    country: 'DK',
    currency: 'DKK',
    locale: 'en-GB',
    city: 'Aarhus',
    postalCode: '8000',
    vatId: (n, i) => `DK${digits(1000000 + n * 10 + Math.floor(i / 10), 7)}${i % 10}`,
  },
  {
    country: 'GB',
    currency: 'GBP',
    locale: 'en-GB',
    city: 'Manchester',
    postalCode: 'M1 1AE',
    vatId: (n, i) => `GB${digits(1000000 + n, 7)}${digits(i, 2)}`,
  },
  { country: 'CH', currency: 'CHF', locale: 'de-CH', city: 'Zürich', postalCode: '8001' },
  { country: 'NO', currency: 'NOK', locale: 'en-GB', city: 'Bergen', postalCode: '5003' },
  { country: 'US', currency: 'USD', locale: 'en-US', city: 'Austin', postalCode: '78701' },
  { country: 'JP', currency: 'JPY', locale: 'ja-JP', city: '大阪市', postalCode: '530-0001' },
  { country: 'KW', currency: 'KWD', locale: 'en-US', city: 'Kuwait City', postalCode: '13001' },
];

const NAMES = [
  'Müller & Søn GmbH',
  'Łódź Logistics Sp. z o.o.',
  '株式会社サンプル',
  'Brasserie Élodie SARL',
  'Niño Digital S.L.',
  'Fjord Analytics AS',
  'Åkerlund & Öberg AB',
  'Acme Widgets Inc.',
  'Zürcher Präzision AG',
  'Kuwait Cloud Services W.L.L.',
  'Dvořák Consulting',
  'Ōkami Robotics 合同会社',
];

/** Price table in micro-units of the currency (1 EUR = 1,000,000); derived per currency. */
const CURRENCY_RATE: Record<string, { num: bigint; den: bigint; exponent: number }> = {
  EUR: { num: 1n, den: 1n, exponent: 2 },
  USD: { num: 11n, den: 10n, exponent: 2 },
  GBP: { num: 85n, den: 100n, exponent: 2 },
  CHF: { num: 95n, den: 100n, exponent: 2 },
  SEK: { num: 11n, den: 1n, exponent: 2 },
  NOK: { num: 115n, den: 10n, exponent: 2 },
  DKK: { num: 75n, den: 10n, exponent: 2 },
  PLN: { num: 43n, den: 10n, exponent: 2 },
  JPY: { num: 160n, den: 1n, exponent: 0 },
  KWD: { num: 33n, den: 100n, exponent: 3 },
};

function convertMicros(eurMicros: bigint, currency: string): bigint {
  const rate = CURRENCY_RATE[currency];
  if (!rate) throw new Error(`demo data has no rate for ${currency}`);
  return (eurMicros * rate.num) / rate.den;
}

/** Micro-units to a decimal string in major units ("0.0022", "3"). */
function microsToDecimal(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** Micro-units to whole minor units (base fees are round amounts). */
function microsToMinor(micros: bigint, currency: string): number {
  const exponent = CURRENCY_RATE[currency]!.exponent;
  return Number(micros / 10n ** BigInt(6 - exponent));
}

const price = (eurMicros: number, currency: string) =>
  microsToDecimal(convertMicros(BigInt(eurMicros), currency));

/** The demo plans' words in the languages its customers read (plans carry their own translations). */
const API_CALLS = {
  description: 'API calls',
  descriptions: { de: 'API-Aufrufe', fr: 'Appels API', es: 'Llamadas a la API', ja: 'API呼び出し' },
  unit: 'calls',
  units: { de: 'Aufrufe', fr: 'appels', es: 'llamadas', ja: '回' },
};
const STORAGE = {
  description: 'Storage',
  descriptions: { de: 'Speicher', fr: 'Stockage', es: 'Almacenamiento', ja: 'ストレージ' },
  unit: 'GB-month',
  units: { de: 'GB-Monat', fr: 'Go-mois', es: 'GB-mes', ja: 'GB月' },
};
const SEATS = {
  description: 'Seats',
  descriptions: { de: 'Arbeitsplätze', fr: 'Postes', es: 'Puestos', ja: 'シート' },
  unit: 'seats',
  units: { de: 'Plätze', fr: 'postes', es: 'puestos', ja: '席' },
};

/** A discount's description in the customer's language (a customer's own record is written in it). */
const DISCOUNT_TEXTS: Record<string, { partner: string; credit: string }> = {
  de: { partner: 'Partnerrabatt 10 %', credit: 'Gutschrift für Serviceausfall' },
  fr: { partner: 'Remise partenaire 10 %', credit: 'Avoir de service' },
  es: { partner: 'Descuento de socio 10 %', credit: 'Crédito de servicio' },
  ja: { partner: 'パートナー割引 10%', credit: 'サービスクレジット' },
  en: { partner: 'Partner discount 10 %', credit: 'Service credit' },
};
const discountTexts = (locale: string) => DISCOUNT_TEXTS[locale.slice(0, 2)] ?? DISCOUNT_TEXTS.en!;

export function demoPlans(): PricePlan[] {
  const plans: PricePlan[] = [];
  for (const currency of Object.keys(CURRENCY_RATE)) {
    const c = currency.toLowerCase();
    plans.push({
      planId: `starter-${c}`,
      name: 'Starter',
      currency,
      baseFeeMinor: microsToMinor(convertMicros(19_000_000n, currency), currency),
      components: [
        {
          metric: 'api_calls',
          ...API_CALLS,
          includedQuantity: '10000',
          model: 'per_unit',
          unitPrice: price(2_000, currency),
        },
      ],
    });
    plans.push({
      planId: `growth-${c}`,
      name: 'Growth',
      currency,
      baseFeeMinor: microsToMinor(convertMicros(99_000_000n, currency), currency),
      paymentTermsDays: 30,
      components: [
        {
          metric: 'api_calls',
          ...API_CALLS,
          model: 'graduated',
          tiers: [
            { upTo: '100000', unitPrice: '0' },
            { upTo: '1000000', unitPrice: price(1_500, currency) },
            { unitPrice: price(800, currency) },
          ],
        },
        {
          metric: 'storage_gb',
          ...STORAGE,
          model: 'package',
          packageSize: '100',
          packagePrice: price(5_000_000, currency),
        },
      ],
    });
    plans.push({
      planId: `scale-${c}`,
      name: 'Scale',
      currency,
      baseFeeMinor: microsToMinor(convertMicros(499_000_000n, currency), currency),
      paymentTermsDays: 30,
      components: [
        {
          metric: 'api_calls',
          ...API_CALLS,
          model: 'volume',
          tiers: [
            { upTo: '1000000', unitPrice: price(1_000, currency) },
            { upTo: '10000000', unitPrice: price(700, currency) },
            { unitPrice: price(400, currency), flatFee: price(50_000_000, currency) },
          ],
        },
        {
          metric: 'storage_gb',
          ...STORAGE,
          model: 'per_unit',
          unitPrice: price(21_000, currency),
          includedQuantity: '500',
        },
        {
          metric: 'seats',
          ...SEATS,
          model: 'per_unit',
          unitPrice: price(12_000_000, currency),
          includedQuantity: '5',
        },
      ],
    });
  }
  return plans;
}

/** A small seeded PRNG (mulberry32): demo data must not depend on Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const demoCustomerId = (i: number): string => `cus_${String(i + 1).padStart(5, '0')}`;

/**
 * `count` active customers, plus one cancelled (inactive) customer for every 20, which the run
 * must leave out: `--demo-customers 200` bills exactly 200.
 */
export function demoCustomers(count: number): Customer[] {
  const customers: Customer[] = [];
  const total = count + Math.floor(count / 20);
  for (let i = 0; i < total; i++) {
    const random = prng(1000 + i);
    const market = MARKETS[i % MARKETS.length]!;
    const business = market.vatId !== undefined && random() < 0.6;
    const tier = ['starter', 'growth', 'scale'][Math.floor(random() * 3)]!;
    const discounts: Discount[] = [];
    if (i % 17 === 3)
      discounts.push({
        kind: 'percentage',
        description: discountTexts(market.locale).partner,
        percent: '10',
      });
    if (i % 29 === 7) {
      discounts.push({
        kind: 'fixed',
        description: discountTexts(market.locale).credit,
        amountMinor: microsToMinor(convertMicros(25_000_000n, market.currency), market.currency),
      });
    }
    const name = NAMES[i % NAMES.length]!;
    customers.push({
      customerId: demoCustomerId(i),
      legalName: i < NAMES.length ? name : `${name} #${i + 1}`,
      email: `billing+${demoCustomerId(i)}@example.com`,
      billingAddress: {
        line1: `${10 + (i % 90)} Demo Street`,
        city: market.city,
        postalCode: market.postalCode,
        country: market.country,
      },
      ...(business ? vatIdOf(market, i) : {}),
      currency: market.currency,
      locale: market.locale,
      planId: `${tier}-${market.currency.toLowerCase()}`,
      status: i < count ? 'active' : 'inactive',
      ...(discounts.length > 0 ? { discounts } : {}),
      // Some business customers take their e-invoice in CII, with their purchase order as reference.
      ...(business && i % 3 === 0
        ? { eInvoiceSyntax: 'CII' as const, buyerReference: `PO-${4500 + i}` }
        : {}),
    });
  }
  return customers;
}

/** One month of usage for each customer's plan metrics; a few records per metric, some decimal. */
export function demoUsage(customers: Customer[], plans: PricePlan[], period: string): UsageRecord[] {
  const planById = new Map(plans.map((p) => [p.planId, p]));
  const records: UsageRecord[] = [];
  for (const customer of customers) {
    const plan = planById.get(customer.planId);
    if (!plan) continue;
    const random = prng(
      Number(period.replace('-', '')) * 7919 + Number(customer.customerId.replace(/\D/g, '')),
    );
    for (const component of plan.components) {
      const days = 1 + Math.floor(random() * 4);
      for (let d = 0; d < days; d++) {
        const quantity =
          component.metric === 'api_calls'
            ? String(Math.floor(random() * (plan.planId.startsWith('scale') ? 4_000_000 : 400_000)))
            : component.metric === 'storage_gb'
              ? `${Math.floor(random() * 400)}.${Math.floor(random() * 100)
                  .toString()
                  .padStart(2, '0')}`
              : String(1 + Math.floor(random() * 8));
        records.push({
          customerId: customer.customerId,
          period,
          metric: component.metric,
          quantity,
          recordId: `${component.metric}-${d + 1}`,
        });
      }
    }
  }
  return records;
}
