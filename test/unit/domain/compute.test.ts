import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { computeInvoice, finalizeInvoice } from '../../../lambdas/shared/domain/compute.js';
import { parseInvoiceInputs } from '../../../lambdas/shared/domain/records.js';
import type { Customer, PricePlan, SellerConfig, UsageRecord } from '../../../lambdas/shared/domain/types.js';

const seller: SellerConfig = {
  name: 'Invoicer GmbH',
  address: { line1: 'A 1', city: 'Berlin', country: 'DE' },
  vatId: 'DE123456788',
};
const customer: Customer = {
  customerId: 'cus_1',
  legalName: 'Acme SAS',
  email: 'ap@acme.example',
  billingAddress: { line1: '1 rue', city: 'Paris', country: 'FR' },
  vatId: 'FR32123456789',
  currency: 'EUR',
  locale: 'fr-FR',
  planId: 'pro',
  status: 'active',
};
const plan: PricePlan = {
  planId: 'pro',
  name: 'Pro',
  currency: 'EUR',
  baseFeeMinor: 4900,
  components: [
    { metric: 'storage', description: 'Storage', model: 'per_unit', unitPrice: '0.02', unit: 'GB' },
    { metric: 'api', description: 'API calls', model: 'per_unit', unitPrice: '0.001' },
  ],
};
const usage = (rows: [string, string][]): UsageRecord[] =>
  rows.map(([metric, quantity], i) => ({
    recordId: `u${i}`,
    customerId: 'cus_1',
    period: '2026-03',
    metric,
    quantity,
  }));

describe('computeInvoice', () => {
  it('builds lines in a fixed order with deterministic ids', () => {
    const draft = computeInvoice({
      customer,
      plan,
      usage: usage([
        ['api', '1000'],
        ['storage', '10'],
      ]),
      period: '2026-03',
      seller,
    });
    expect(draft.lines.map((l) => [l.lineId, l.kind, l.amountMinor])).toEqual([
      ['base', 'base_fee', 4900],
      ['usage:storage', 'usage', 20],
      ['usage:api', 'usage', 100],
    ]);
    expect(draft.lines[1]).toMatchObject({
      unit: 'GB',
      unitPrice: '0.02',
      quantity: '10',
      metric: 'storage',
    });
    expect(draft.period).toEqual({ id: '2026-03', start: '2026-03-01', end: '2026-03-31' });
    expect(draft.buyer).toEqual({
      customerId: 'cus_1',
      name: 'Acme SAS',
      address: customer.billingAddress,
      vatId: 'FR32123456789',
      email: 'ap@acme.example',
    });
    expect([draft.reverseCharge, draft.notes, draft.totalMinor, draft.exponent]).toEqual([
      true,
      // The customer reads French (fr-FR): the legal note is in French, as the invoice prints it.
      [
        'Autoliquidation : la TVA est due par le preneur (article 196 de la directive 2006/112/CE du Conseil).',
      ],
      5020,
      2,
    ]);
  });

  it('is independent of usage row order and repeatable', () => {
    const a = computeInvoice({
      customer,
      plan,
      usage: usage([
        ['api', '0.5'],
        ['storage', '1'],
        ['api', '2'],
      ]),
      period: '2026-03',
      seller,
    });
    const b = computeInvoice({
      customer,
      plan,
      usage: usage([
        ['storage', '1'],
        ['api', '2'],
        ['api', '0.5'],
      ]),
      period: '2026-03',
      seller,
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('sums 2,000 usage rows exactly', () => {
    const rows = Array.from({ length: 2000 }, (): [string, string] => ['api', '0.7']);
    const draft = computeInvoice({ customer, plan, usage: usage(rows), period: '2026-03', seller });
    expect(draft.lines.find((l) => l.lineId === 'usage:api')).toMatchObject({
      quantity: '1400',
      amountMinor: 140,
    });
  });

  it('omits a zero base fee, never produces -0, and defaults payment terms to 14 days', () => {
    const free = { ...plan, baseFeeMinor: 0 };
    const draft = computeInvoice({
      customer: { ...customer, discounts: [{ kind: 'percentage', description: '10 %', percent: '10' }] },
      plan: free,
      usage: [],
      period: '2026-03',
      seller,
    });
    expect(draft.lines.map((l) => l.lineId)).toEqual(['usage:storage', 'usage:api', 'discount:0']);
    expect(Object.is(draft.lines[2]?.amountMinor, 0)).toBe(true);
    expect(Object.is(draft.discountMinor, 0)).toBe(true);
    expect(draft.paymentTermsDays).toBe(14);
  });

  it('gets only inputs that belong together: parsing rejects the rest before computing', () => {
    // computeInvoice trusts parsed inputs; the one way in from raw records is parseInvoiceInputs.
    const run = (over: Partial<{ customer: Customer; usage: UsageRecord[]; period: string }>) => () => {
      const raw = { customer, usage: [] as UsageRecord[], period: '2026-03', ...over };
      const inputs = parseInvoiceInputs({
        customerRecord: raw.customer,
        planRecord: plan,
        usageRecords: raw.usage,
        period: raw.period,
      });
      return computeInvoice({ ...inputs, seller });
    };
    expect(run({ usage: usage([['sms', '1']]) })).toThrow('usage u0.metric');
    expect(run({ usage: usage([['api', '-1']]) })).toThrow('usage u0.quantity');
    expect(run({ customer: { ...customer, currency: 'USD' } })).toThrow('customer cus_1.currency');
    expect(run({ customer: { ...customer, vatId: 'FR1' } })).toThrow(InvalidInputError);
    expect(run({ period: '2026-02', usage: usage([['api', '1']]) })).toThrow('usage u0.period');
  });
});

describe('finalizeInvoice', () => {
  const draft = computeInvoice({
    customer,
    plan: { ...plan, paymentTermsDays: 30 },
    usage: [],
    period: '2026-03',
    seller,
  });

  it('adds number, series, issue and due dates', () => {
    const detail = finalizeInvoice(draft, {
      invoiceNumber: 'INV-2026-000042',
      series: 'INV-2026',
      issueDate: '2026-04-01',
    });
    expect(detail).toMatchObject({
      invoiceNumber: 'INV-2026-000042',
      series: 'INV-2026',
      issueDate: '2026-04-01',
      dueDate: '2026-05-01',
    });
    expect(detail.lines).toBe(draft.lines);
  });

  it('refuses numbers outside the series or the year of the issue date', () => {
    expect(() =>
      finalizeInvoice(draft, {
        invoiceNumber: 'INV-2025-000001',
        series: 'INV-2026',
        issueDate: '2026-04-01',
      }),
    ).toThrow('not in series');
    expect(() =>
      finalizeInvoice(draft, {
        invoiceNumber: 'INV-2025-000001',
        series: 'INV-2025',
        issueDate: '2026-04-01',
      }),
    ).toThrow('year');
    expect(() =>
      finalizeInvoice(draft, { invoiceNumber: 'INV-2026-42', series: 'INV-2026', issueDate: '2026-04-01' }),
    ).toThrow(InvalidInputError);
    expect(() =>
      finalizeInvoice(draft, {
        invoiceNumber: 'INV-2026-000001',
        series: 'INV-2026',
        issueDate: '2026-04-31',
      }),
    ).toThrow(InvalidInputError);
  });
});
