/**
 * The monthly billing run end to end on the embedded local stack: the production ASL, the real
 * handlers, DynamoDB Local and fauxqs. A happy run, a re-run that issues nothing new, a
 * customer with bad data that fails alone, and a run of an older period with a customer cancelled
 * in it (a final invoice) and one whose service ended before it (nothing).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { s3Keys, usageKey } from '../../lambdas/shared/contracts/keys.js';
import { runLocalBilling, type LocalBillingResult } from '../../workflows/local/harness/billing-run.js';
import { demoCustomers, demoPlans } from '../../workflows/local/demo/demo-data.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';
import { fatalRules, validateEn16931 } from '../support/en16931.js';
import { DEFAULT_E_INVOICE_SYNTAX } from '../../lambdas/shared/documents/en16931/render.js';
import { NOTIFICATION_SCHEMA_VERSION } from '../../lambdas/shared/contracts/events.js';
import { notificationEventId } from '../../lambdas/shared/notification.js';

const PERIOD = '2026-10';
const DEMO = 24;
const activeDemo = demoCustomers(DEMO).filter((c) => c.status === 'active').length;

let f: BillingFixture;
let first: LocalBillingResult;

beforeAll(async () => {
  f = await openBillingFixture('billing-run');
  // Seed the demo customers, then add one whose usage is malformed.
  await runLocalBilling(f.session, { period: '2026-01', demoCustomers: DEMO, retryIntervalMs: 1 });
  const bad = { ...demoCustomers(1)[0]!, customerId: 'cus_bad_usage', legalName: 'Broken Usage Ltd' };
  await f.session.clients.dynamodb.send(
    new PutCommand({ TableName: f.session.storage.tables.customers, Item: bad }),
  );
  await f.session.clients.dynamodb.send(
    new PutCommand({
      TableName: f.session.storage.tables.usage,
      Item: {
        customerId: 'cus_bad_usage',
        period: PERIOD,
        metric: 'api_calls',
        quantity: 'lots',
        recordId: 'u1',
        usageKey: usageKey(PERIOD, 'api_calls', 'u1'),
      },
    }),
  );
  first = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
});

afterAll(async () => {
  await f?.cleanup();
});

describe('a monthly billing run', () => {
  it('issues one invoice per active customer and reports the broken one as failed', () => {
    expect(first).toMatchObject({
      period: PERIOD,
      issued: activeDemo,
      skipped: 0,
      failed: 1,
      status: 'COMPLETED_WITH_FAILURES',
    });
    expect(first.failures).toEqual([
      expect.objectContaining({ customerId: 'cus_bad_usage', error: 'InvalidInputError' }),
    ]);
    expect(first.failures[0]!.cause).toContain('quantity');
  });

  it('leaves every issued invoice NOTIFIED with its PDF and JSON detail in S3, numbers gapless', async () => {
    const rows = (await f.invoices(PERIOD)).filter((r) => r.status !== 'VOID');
    expect(rows).toHaveLength(activeDemo);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['NOTIFIED']));
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
    const detail = JSON.parse((await f.session.stores.documents.getBytes(rows[0]!.jsonKey)).toString('utf8'));
    expect(detail).toMatchObject({ invoiceNumber: rows[0]!.invoiceNumber, totalMinor: rows[0]!.totalMinor });
    const pdf = await f.session.stores.documents.getBytes(rows[0]!.pdfKey);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("stores each e-invoice in its customer's syntax, breaking no EN 16931 rule; none for KWD", async () => {
    const rows = (await f.invoices(PERIOD)).filter((r) => r.status !== 'VOID');
    const customers = new Map(demoCustomers(DEMO).map((c) => [c.customerId, c]));
    const syntaxes = new Set<string>();
    for (const row of rows) {
      const key = s3Keys.invoiceXml(PERIOD, row.customerId, row.invoiceNumber);
      if (row.currency === 'KWD') {
        await expect(f.session.stores.documents.getBytes(key)).rejects.toThrow();
        continue;
      }
      const syntax = customers.get(row.customerId)?.eInvoiceSyntax ?? DEFAULT_E_INVOICE_SYNTAX;
      syntaxes.add(syntax);
      const xml = (await f.session.stores.documents.getBytes(key)).toString('utf8');
      expect(xml).toContain(`>${row.invoiceNumber}<`);
      expect(fatalRules(validateEn16931(xml, syntax))).toEqual([]);
    }
    expect(syntaxes).toEqual(new Set(['UBL', 'CII']));
  });

  it('sends each customer one notification with filterable attributes', async () => {
    const inbox = (await f.session.readInbox()).filter((m) => m.event.period === PERIOD);
    expect(inbox).toHaveLength(activeDemo);
    expect(new Set(inbox.map((m) => m.customerId)).size).toBe(activeDemo);
    expect(inbox[0]).toMatchObject({ eventType: 'invoice.issued' });
    for (const message of inbox) {
      expect(message.currency).toBe(message.event.currency);
      expect(message.event).toMatchObject({
        schemaVersion: NOTIFICATION_SCHEMA_VERSION,
        eventId: notificationEventId('invoice.issued', message.invoiceNumber!),
        dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        locale: expect.any(String),
        links: { pdf: `/v1/invoices/${message.invoiceNumber}/pdf` },
      });
    }
  });

  it('records per-step timings and the AWS calls it made', () => {
    expect(first.metrics.states.ReserveNumber?.count).toBe(activeDemo);
    expect(
      first.metrics.awsCalls['dynamodb:TransactWriteItems'] ??
        first.metrics.awsCalls['dynamodb:TransactWrite'],
    ).toBeGreaterThanOrEqual(activeDemo);
    expect(first.metrics.lambdaInvocations['render-documents']).toBe(activeDemo);
  });

  it('re-running the period issues nothing new and notifies nobody again', async () => {
    const inboxBefore = (await f.session.readInbox()).length;
    const again = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    expect(again).toMatchObject({ issued: 0, skipped: activeDemo, failed: 1 });
    expect((await f.session.readInbox()).length).toBe(inboxBefore);
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
  });
});

describe('a run of an older period with a customer cancelled in it', () => {
  const OLDER = '2026-09';
  let older: LocalBillingResult;
  const plan = demoPlans().find((p) => p.planId === 'growth-eur')!;

  beforeAll(async () => {
    const cancelled = {
      ...demoCustomers(1)[0]!,
      customerId: 'cus_cancelled',
      legalName: 'Leaving Soon GmbH',
      billingAddress: { line1: 'Hauptstr. 1', city: 'Köln', postalCode: '50667', country: 'DE' },
      currency: 'EUR',
      planId: plan.planId,
      status: 'inactive',
      cancelledAt: '2026-09-15',
    };
    delete (cancelled as { vatId?: string }).vatId;
    delete (cancelled as { discounts?: unknown }).discounts;
    await f.session.clients.dynamodb.send(
      new PutCommand({ TableName: f.session.storage.tables.customers, Item: cancelled }),
    );
    const gone = { ...cancelled, customerId: 'cus_gone_long_ago', cancelledAt: '2026-08-31' };
    await f.session.clients.dynamodb.send(
      new PutCommand({ TableName: f.session.storage.tables.customers, Item: gone }),
    );
    older = await runLocalBilling(f.session, { period: OLDER, retryIntervalMs: 1 });
  });

  it('runs, issued today, and says the period is older than the last ended one', () => {
    expect(older.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(older.issueDate > '2026-09-30').toBe(true);
    expect(
      older.notices.some((n) => n.startsWith(`period ${OLDER} is older than the last ended period`)),
    ).toBe(true);
  });

  it('gives the customer cancelled on 15 September a final invoice with the base fee for 15 of 30 days', async () => {
    const [row] = (await f.invoices(OLDER)).filter((r) => r.customerId === 'cus_cancelled');
    expect(row?.status).toBe('NOTIFIED');
    const detail = JSON.parse((await f.session.stores.documents.getBytes(row!.jsonKey)).toString('utf8'));
    const base = detail.lines.find((l: { lineId: string }) => l.lineId === 'base');
    expect(base.amountMinor).toBe(Math.round((plan.baseFeeMinor * 15) / 30));
    // The customer reads German: the texts are written in German, the day in German format.
    expect(base.description).toContain('Grundgebühr, 15 von 30 Tagen');
    expect(detail.notes).toContain('Schlussrechnung: Das Abonnement endete am 15. September 2026.');
    expect(detail.issueDate).toBe(older.issueDate);
  });

  it('bills nobody whose service ended before the period', async () => {
    expect((await f.invoices(OLDER)).filter((r) => r.customerId === 'cus_gone_long_ago')).toEqual([]);
    expect(await invariantViolations(f, OLDER)).toEqual([]);
  });
});
