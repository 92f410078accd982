/**
 * The payment routes over real HTTP (@hono/node-server, the routes' own parsing under test; the
 * stores are fakes that record what was written): a valid payment is written once and answered
 * 201; a body that is not JSON, not UTF-8, with an unknown or prototype key, a number where a
 * string belongs, a bad amount, and a statement that is not camt or CSV are each a 4xx naming
 * what was wrong, writing nothing; generated bodies, types and paths never get a 500.
 */
import { serve, type ServerType } from '@hono/node-server';
import fc from 'fast-check';
import { Hono } from 'hono';
import { withErrorResponses } from '../../../lambdas/api/app.js';
import { addPaymentRoutes } from '../../../lambdas/api/payment-routes.js';
import { creditorReference } from '../../../lambdas/shared/documents/payment.js';
import type { InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';
import type { ReceivablesStore } from '../../../lambdas/shared/store/receivables.js';

const ROW = {
  invoiceKey: 'cus_1#2026-10',
  customerId: 'cus_1',
  period: '2026-10',
  invoiceNumber: 'INV-2026-000001',
  status: 'NOTIFIED',
  totalMinor: 11_900,
  currency: 'EUR',
  issueDate: '2026-11-01',
  dueDate: '2026-11-15',
} as InvoiceRow;
const written: string[] = [];
const errors: unknown[] = [];
let server: ServerType;
let url: string;

const receivables: ReceivablesStore = {
  recordPayment: async (_invoice, payment) => {
    written.push(`payment ${payment.amountMinor}`);
    return 'recorded';
  },
  recordCredits: async (writes) =>
    writes.map((w) => {
      written.push(`credit ${w.kind}`);
      return 'recorded' as const;
    }),
  recordUnmatched: async () => 'recorded',
  assign: async () => 'recorded',
  payments: async () => [],
  unmatched: async () => [],
  seenEntries: async () => new Set(),
  writeOff: async () => {
    written.push('write-off');
    return true;
  },
};

beforeAll(async () => {
  const app = new Hono();
  addPaymentRoutes(app, {
    invoices: {
      query: async (q) => (q.invoiceNumber === ROW.invoiceNumber ? [ROW] : []),
      scan: async () => [ROW],
    },
    records: { listCustomerNames: async () => new Map([['cus_1', 'Acme GmbH']]) },
    receivables,
    operatorLog: { record: async () => undefined },
    callerOf: () => 'arn:aws:iam::123456789012:user/erp',
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
  withErrorResponses(app, (error) => errors.push(error));
  url = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string, body: string | Buffer, type = 'application/json') =>
  fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': type } });
const valid = { invoiceNumber: ROW.invoiceNumber, amount: '50.00', date: '2026-11-30', reason: 'wire' };

describe('payment routes', () => {
  it('records a payment and answers what it did', async () => {
    written.length = 0;
    const response = await post('/v1/payments', JSON.stringify(valid));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      outcome: 'recorded',
      paymentStatus: 'partially_paid',
      openMinor: 6900,
    });
    expect(written).toEqual(['payment 5000']);
  });

  it.each([
    ['not JSON', '{"amount":'],
    ['not UTF-8', Buffer.concat([Buffer.from('{"reason":"'), Buffer.from([0xff]), Buffer.from('"}')])],
    ['an unknown field', JSON.stringify({ ...valid, amout: '1' })],
    ['a prototype key', `{"__proto__":{"x":1},${JSON.stringify(valid).slice(1)}`],
    ['a number for a string', JSON.stringify({ ...valid, amount: 50 })],
    ['a missing field', JSON.stringify({ ...valid, reason: undefined })],
    ['a negative amount', JSON.stringify({ ...valid, amount: '-5' })],
    ['zero', JSON.stringify({ ...valid, amount: '0' })],
    ['an unknown currency', JSON.stringify({ ...valid, currency: 'XYZ' })],
    ['an unknown invoice', JSON.stringify({ ...valid, invoiceNumber: 'INV-1999-000001' })],
    ['an array', '[]'],
  ])('refuses %s with a 400 naming it, writing nothing', async (_what, body) => {
    written.length = 0;
    const response = await post('/v1/payments', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).not.toBe('');
    expect(written).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('imports a CSV statement, and refuses a body that is neither camt nor CSV', async () => {
    written.length = 0;
    const csv = `booking_date,amount,currency,reference\n2026-11-30,119.00,EUR,${creditorReference(ROW.invoiceNumber)}\n`;
    const ok = await post('/v1/imports/statements', csv, 'text/csv');
    expect(ok.status).toBe(200);
    expect(written).toEqual(['credit payment']);
    expect((await post('/v1/imports/statements', '<x/>', 'application/xml')).status).toBe(400);
    expect((await post('/v1/imports/statements', 'a,b', 'text/plain')).status).toBe(415);
  });

  it('answers generated bodies, types and paths with a 2xx-4xx, never a 500', async () => {
    const path = fc.constantFrom(
      '/v1/payments',
      '/v1/payments/write-offs',
      '/v1/payments/pay_1/reversal',
      '/v1/payments/unmatched/bc_1/assignment',
      '/v1/imports/statements',
    );
    const type = fc.constantFrom('application/json', 'text/csv', 'application/xml', 'text/plain', '');
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.json(),
      fc
        .dictionary(
          fc.constantFrom('invoiceNumber', 'amount', 'date', 'reason', 'currency', 'x'),
          fc.oneof(fc.string(), fc.integer()),
        )
        .map((d) => JSON.stringify(d)),
    );
    await fc.assert(
      fc.asyncProperty(path, type, body, async (p, t, b) => {
        const response = await fetch(`${url}${p}`, {
          method: 'POST',
          body: b,
          headers: t ? { 'content-type': t } : {},
        });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(errors).toEqual([]);
  });
});
