/**
 * Every handler module, imported directly and built with fakes: the factories take their stores,
 * clock and settings as dependencies, importing a module reads no environment, and the exported
 * `handler` builds itself from the environment on first use, naming a missing variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import * as readApi from '../../../lambdas/api/handler.js';
import * as importApi from '../../../lambdas/api/import-handler.js';
import * as compensate from '../../../lambdas/compensate/handler.js';
import * as computeInvoice from '../../../lambdas/compute-invoice/handler.js';
import * as deliverEmail from '../../../lambdas/deliver-email/handler.js';
import * as emailFeedback from '../../../lambdas/email-feedback/handler.js';
import * as finalizeRun from '../../../lambdas/finalize-run/handler.js';
import * as planRun from '../../../lambdas/plan-run/handler.js';
import * as renderDocuments from '../../../lambdas/render-documents/handler.js';
import * as reserveNumber from '../../../lambdas/reserve-number/handler.js';
import { DEFAULT_SELLER } from '../../../lambdas/shared/config.js';
import { invoiceKey, s3Keys, seriesKey } from '../../../lambdas/shared/contracts/keys.js';
import { METRIC, type MetricName } from '../../../lambdas/shared/contracts/metrics.js';
import type { InvoiceRef } from '../../../lambdas/shared/contracts/payloads.js';
import {
  INVOICE_STATUS,
  RUN_STATUS,
  type InvoiceStatus,
} from '../../../lambdas/shared/contracts/statuses.js';
import type { InvoiceDraft } from '../../../lambdas/shared/domain/types.js';
import { hostedLinkIssuer } from '../../../lambdas/shared/hosted-links/issuer.js';
import { linkTokenHash } from '../../../lambdas/shared/hosted-links/token.js';
import type { HostedLinkStore } from '../../../lambdas/shared/store/hosted-links.js';
import type { Observability } from '../../../lambdas/shared/handler.js';
import type { InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';
import type { Reservation, VoidRequest } from '../../../lambdas/shared/store/number-series.js';
import type { RunLock, RunRecord, RunResult } from '../../../lambdas/shared/store/runs.js';
import { demoCustomers, demoPlans, demoUsage } from '../../../workflows/local/demo/demo-data.js';

const PERIOD = '2026-10';
const NOW = new Date('2026-11-01T02:00:00.000Z');
/** The day the run issues (the run's start in the billing time zone). */
const ISSUE_DATE = '2026-11-01';
const customer = demoCustomers(1)[0]!;
const plan = demoPlans().find((p) => p.planId === customer.planId)!;
const usage = demoUsage([customer], demoPlans(), PERIOD);

function observability(): Observability & { counted: Partial<Record<MetricName, number>> } {
  const counted: Partial<Record<MetricName, number>> = {};
  return {
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    metrics: { count: (name, value) => void (counted[name] = value), flush: () => undefined },
    counted,
  };
}

function row(status: InvoiceStatus, number = 'INV-2026-000007'): InvoiceRow {
  return {
    invoiceKey: invoiceKey(customer.customerId, PERIOD),
    customerId: customer.customerId,
    period: PERIOD,
    periodCustomer: `${PERIOD}#${customer.customerId}`,
    invoiceNumber: number,
    series: 'INV-2026',
    status,
    totalMinor: 1190,
    currency: 'EUR',
    issueDate: '2026-11-01',
    pdfKey: s3Keys.invoicePdf(PERIOD, customer.customerId, number),
    jsonKey: s3Keys.invoiceJson(PERIOD, customer.customerId, number),
    reservedAt: NOW.toISOString(),
    reservedByRun: 'run-1',
  };
}

/** Hosted links as the functions make them, with the link items they write kept here. */
const linkItems: Parameters<HostedLinkStore['create']>[0][] = [];
const hostedLinks = hostedLinkIssuer({
  secret: async () => Buffer.alloc(32, 7),
  publicBaseUrl: 'https://invoices.example',
  links: { create: async (link) => (linkItems.push(link), true) },
  now: () => NOW,
});

const records = {
  getCustomer: async (id: string) => (id === customer.customerId ? customer : undefined),
  getPlan: async (id: string) => (id === plan.planId ? plan : undefined),
  listUsage: async (_customerId: string) => usage,
};

/** Batch reads over the same records; `rows` are the index rows that exist. */
const batchReadsOf = (rows: InvoiceRow[] = [], extraCustomers: Record<string, unknown> = {}) => ({
  rowsAndCustomers: async (ids: string[]) => ({
    rows: new Map(rows.filter((r) => ids.includes(r.customerId)).map((r) => [r.customerId, r])),
    customers: new Map(
      Object.entries({ [customer.customerId]: customer, ...extraCustomers }).filter(([id]) =>
        ids.includes(id),
      ),
    ),
  }),
  plans: async (ids: string[]) => new Map(ids.filter((id) => id === plan.planId).map((id) => [id, plan])),
});

async function draftFor(): Promise<InvoiceDraft> {
  const handler = computeInvoice.createHandler({
    hostedLinks,
    observability: observability(),
    invoices: { get: async () => undefined },
    records,
    batchReads: batchReadsOf(),
    exchangeRates: { load: async () => undefined },
    seller: DEFAULT_SELLER,
  });
  const out = await handler({
    customerId: customer.customerId,
    period: PERIOD,
    issueDate: ISSUE_DATE,
    runId: 'run-1',
  });
  return out.draft!;
}

describe('compute-invoice', () => {
  const build = (existing: InvoiceRow | undefined) =>
    computeInvoice.createHandler({
      hostedLinks,
      observability: observability(),
      invoices: { get: async () => existing },
      records,
      batchReads: batchReadsOf(existing ? [existing] : []),
      exchangeRates: { load: async () => undefined },
      seller: DEFAULT_SELLER,
    });
  const input = { customerId: customer.customerId, period: PERIOD, issueDate: ISSUE_DATE, runId: 'run-1' };

  it('drafts an invoice from the records when none exists', async () => {
    const out = await build(undefined)(input);
    expect(out.action).toBe('issue');
    expect(out.draft?.customerId).toBe(customer.customerId);
    expect(out.draft?.period.id).toBe(PERIOD);
    expect(out.draft?.seller.name).toBe(DEFAULT_SELLER.name);
  });

  it('skips a NOTIFIED invoice and resends the notification of an ISSUED one', async () => {
    expect((await build(row(INVOICE_STATUS.notified))(input)).action).toBe('skip');
    // The run before may have published it (it stopped before MarkNotified): a possible repeat.
    const resend = await build(row(INVOICE_STATUS.issued))(input);
    expect(resend.action).toBe('renotify');
    expect(resend.notification?.message).toContain('INV-2026-000007');
    // Its publish failed for good (recorded on the row): this is its first notification.
    const first = await build({ ...row(INVOICE_STATUS.issued), notifyFailedAt: '2026-11-01T02:00:00Z' })(
      input,
    );
    expect(first.action).toBe('notify');
    expect(first.notification?.message).toBe(resend.notification?.message);
  });

  it('names the missing customer record', async () => {
    await expect(build(undefined)({ ...input, customerId: 'cus_nobody' })).rejects.toThrow(
      'customer cus_nobody: no such customer record',
    );
  });
});

describe('compute-invoice on a batch', () => {
  const other = { ...customer, customerId: 'cus_other' };
  // The same usage, recorded for whichever customer asks.
  const usageOf = async (id: string) => usage.map((u) => ({ ...u, customerId: id }));
  const build = (rows: InvoiceRow[], listUsage: typeof records.listUsage = usageOf) =>
    computeInvoice.createHandler({
      hostedLinks,
      observability: observability(),
      invoices: { get: async () => Promise.reject(new Error('a batch reads rows in one BatchGetItem')) },
      records: { ...records, listUsage },
      batchReads: batchReadsOf(rows, { [other.customerId]: other }),
      exchangeRates: { load: async () => undefined },
      seller: DEFAULT_SELLER,
    });
  const batch = (customerIds: string[]) => ({
    customerIds,
    period: PERIOD,
    issueDate: ISSUE_DATE,
    runId: 'run-1',
  });

  it('decides per customer and gives slots in the number block only to new invoices', async () => {
    const notified = { ...row(INVOICE_STATUS.notified), customerId: 'cus_done' };
    const pending = { ...row(INVOICE_STATUS.pending), customerId: other.customerId };
    const out = await build([notified, pending])(
      batch([customer.customerId, 'cus_done', 'cus_nobody', other.customerId]),
    );
    expect(out.customers.map((c) => [c.customerId, c.action, c.slot])).toEqual([
      [customer.customerId, 'issue', 0],
      ['cus_done', 'skip', null],
      ['cus_nobody', 'failed', null],
      [other.customerId, 'issue', null], // PENDING: resumed with its own number
    ]);
    expect(out.customers[2]!.error).toEqual({
      Error: 'InvalidInputError',
      Cause: 'customer cus_nobody: no such customer record',
    });
    expect(out.block).toEqual({ key: seriesKey('INV-2026'), series: 'INV-2026', size: 1 });
  });

  it('leaves a customer whose reads failed to the per-customer state', async () => {
    const flaky = async (id: string) =>
      id === other.customerId ? Promise.reject(new Error('throttled')) : usageOf(id);
    const out = await build([], flaky)(batch([customer.customerId, other.customerId]));
    expect(out.customers.map((c) => [c.customerId, c.action, c.slot])).toEqual([
      [customer.customerId, 'issue', 0],
      [other.customerId, 'compute', null],
    ]);
    expect(out.block.size).toBe(1);
  });
});

describe('reserve-number', () => {
  it("reserves in the period's series with the document keys of the number", async () => {
    const seen: Reservation[] = [];
    const handler = reserveNumber.createHandler({
      observability: observability(),
      numbers: {
        reserve: async (r) => {
          seen.push(r);
          return {
            row: { ...row(INVOICE_STATUS.pending, r.numberFor(7)), ...r.keysFor(r.numberFor(7)) },
            resumed: false,
          };
        },
      },
      now: () => NOW,
    });
    const draft = await draftFor();
    const out = await handler({
      customerId: customer.customerId,
      period: PERIOD,
      issueDate: ISSUE_DATE,
      runId: 'run-1',
      draft,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(
      expect.objectContaining({
        series: 'INV-2026',
        issueDate: '2026-11-01',
        now: NOW.toISOString(),
        runId: 'run-1',
      }),
    );
    expect(out.invoiceNumber).toBe('INV-2026-000007');
    expect(out.pdfKey).toBe(s3Keys.invoicePdf(PERIOD, customer.customerId, 'INV-2026-000007'));
    expect(out.totalMinor).toBe(draft.totalMinor);
  });
});

describe('render-documents', () => {
  const xmlKey = (invoice: InvoiceRef) =>
    s3Keys.invoiceXml(PERIOD, customer.customerId, invoice.invoiceNumber);
  const summaryKey = (invoice: InvoiceRef) =>
    s3Keys.invoiceSummary(PERIOD, customer.customerId, invoice.invoiceNumber);

  it('writes the JSON detail, the PDF, the summary and the e-invoice under the reserved keys and returns the message', async () => {
    const puts: { key: string; contentType: string; bytes: number }[] = [];
    const watched = observability();
    const handler = renderDocuments.createHandler({
      hostedLinks,
      observability: watched,
      documents: {
        put: async (key, body, contentType) => void puts.push({ key, contentType, bytes: body.length }),
      },
    });
    const draft = await draftFor();
    const invoice: InvoiceRef = { ...row(INVOICE_STATUS.pending), totalMinor: draft.totalMinor };
    const out = await handler({ draft, invoice, runId: 'run-1' });
    expect(puts.map((p) => [p.key, p.contentType])).toEqual([
      [invoice.jsonKey, 'application/json'],
      [invoice.pdfKey, 'application/pdf'],
      [summaryKey(invoice), 'application/json'],
      [xmlKey(invoice), 'application/xml'],
    ]);
    expect(puts[1]!.bytes).toBeGreaterThan(5_000);
    expect(puts[2]!.bytes).toBeLessThan(puts[0]!.bytes);
    expect(puts[3]!.bytes).toBeGreaterThan(2_000);
    expect(watched.counted).toEqual({});
    expect(JSON.parse(out.message).default).toContain(invoice.invoiceNumber);
    // The notification carries the hosted link whose item the function wrote.
    const event = JSON.parse(JSON.parse(out.message).sqs) as { hostedUrl: string };
    const token = event.hostedUrl.replace('https://invoices.example/i/', '');
    expect(JSON.parse(out.message).default).toContain(event.hostedUrl);
    expect(linkItems).toContainEqual(
      expect.objectContaining({ tokenHash: linkTokenHash(token), invoiceNumber: invoice.invoiceNumber }),
    );
  });

  it('fails only when every write has settled, so that Compensate finds what was written', async () => {
    const settled: string[] = [];
    const pendingRow = row(INVOICE_STATUS.pending);
    const handler = renderDocuments.createHandler({
      hostedLinks,
      observability: observability(),
      documents: {
        put: async (key) => {
          if (key === pendingRow.jsonKey) throw new Error('S3 is down');
          await new Promise((resolve) => setImmediate(resolve));
          settled.push(key);
        },
      },
    });
    const draft = await draftFor();
    const invoice: InvoiceRef = { ...pendingRow, totalMinor: draft.totalMinor };
    await expect(handler({ draft, invoice, runId: 'run-1' })).rejects.toThrow('S3 is down');
    expect(settled).toEqual([invoice.pdfKey, summaryKey(invoice), xmlKey(invoice)]);
  });

  it('issues an invoice EN 16931 cannot state (KWD, 3 decimals) without an e-invoice, counting it', async () => {
    const puts: string[] = [];
    const watched = observability();
    const handler = renderDocuments.createHandler({
      hostedLinks,
      observability: watched,
      documents: { put: async (key) => void puts.push(key) },
    });
    const draft = { ...(await draftFor()), currency: 'KWD', exponent: 3 };
    const invoice: InvoiceRef = { ...row(INVOICE_STATUS.pending), totalMinor: draft.totalMinor };
    await handler({ draft, invoice, runId: 'run-1' });
    expect(puts).toEqual([invoice.jsonKey, invoice.pdfKey, summaryKey(invoice)]);
    expect(watched.counted).toEqual({ [METRIC.eInvoicesRefused]: 1 });
  });
});

describe('compensate', () => {
  it("deletes this attempt's documents and voids its PENDING number with the reason", async () => {
    const deleted: string[] = [];
    const voids: VoidRequest[] = [];
    const pending = row(INVOICE_STATUS.pending);
    const handler = compensate.createHandler({
      observability: observability(),
      invoices: { get: async () => pending },
      documents: { delete: async (key) => void deleted.push(key) },
      numbers: {
        voidReservation: async (v) => (voids.push(v), true),
        voidBlockNumber: async () => Promise.reject(new Error('not a failed reservation')),
      },
      now: () => NOW,
    });
    const out = await handler({
      customerId: customer.customerId,
      period: PERIOD,
      issueDate: ISSUE_DATE,
      runId: 'run-1',
      invoice: pending,
      error: { Error: 'States.TaskFailed', Cause: 'boom' },
    });
    expect(out).toEqual({ voided: true });
    expect(deleted).toEqual([
      pending.pdfKey,
      pending.jsonKey,
      s3Keys.invoiceSummary(PERIOD, customer.customerId, pending.invoiceNumber),
      s3Keys.invoiceXml(PERIOD, customer.customerId, pending.invoiceNumber),
    ]);
    expect(voids).toEqual([
      expect.objectContaining({ invoiceNumber: pending.invoiceNumber, reason: 'States.TaskFailed: boom' }),
    ]);
  });

  it('leaves an ISSUED invoice alone', async () => {
    const handler = compensate.createHandler({
      observability: observability(),
      invoices: { get: async () => row(INVOICE_STATUS.issued) },
      documents: { delete: async () => Promise.reject(new Error('must not delete')) },
      numbers: {
        voidReservation: async () => Promise.reject(new Error('must not void')),
        voidBlockNumber: async () => Promise.reject(new Error('must not void')),
      },
      now: () => NOW,
    });
    const invoice = row(INVOICE_STATUS.issued);
    const input = {
      customerId: customer.customerId,
      period: PERIOD,
      issueDate: ISSUE_DATE,
      runId: 'r',
      invoice,
      error: { Error: 'X' },
    };
    expect(await handler(input)).toEqual({ voided: false });
  });

  it("keeps the batch's number of a failed reservation as VOID for that customer", async () => {
    const voids: VoidRequest[] = [];
    const handler = compensate.createHandler({
      observability: observability(),
      invoices: { get: async () => undefined },
      documents: { delete: async () => Promise.reject(new Error('no documents yet')) },
      numbers: {
        voidReservation: async () => Promise.reject(new Error('no reservation')),
        voidBlockNumber: async (v) => (voids.push(v), true),
      },
      now: () => NOW,
    });
    const out = await handler({
      customerId: customer.customerId,
      period: PERIOD,
      issueDate: ISSUE_DATE,
      runId: 'r',
      invoice: null,
      block: { last: 12, size: 5 },
      slot: 2,
      error: { Error: 'AccessDeniedException', Cause: 'denied' },
    });
    expect(out).toEqual({ voided: true });
    expect(voids).toEqual([
      expect.objectContaining({
        customerId: customer.customerId,
        invoiceNumber: 'INV-2026-000010',
        reason: 'AccessDeniedException: denied',
      }),
    ]);
  });
});

describe('plan-run', () => {
  it('takes the lock, writes the manifest of the customers billed for the period and records the run', async () => {
    const locks: RunLock[] = [];
    const recorded: RunRecord[] = [];
    const puts: { key: string; body: string }[] = [];
    const handler = planRun.createHandler({
      observability: observability(),
      records: {
        listCustomerIds: async () => [
          { customerId: 'cus_a', status: 'active' },
          { customerId: 'cus_b', status: 'inactive' },
          // Cancelled in the period: its final invoice. Before it: nothing to bill.
          { customerId: 'cus_c', status: 'inactive', cancelledAt: '2026-10-15' },
          { customerId: 'cus_d', status: 'inactive', cancelledAt: '2026-09-30' },
          // Cancellation scheduled after the period: billed as usual.
          { customerId: 'cus_e', status: 'active', cancelledAt: '2026-11-20' },
          // Not a date: billed, so that its compute step names the field.
          { customerId: 'cus_f', status: 'inactive', cancelledAt: 'soon' },
        ],
      },
      documents: { bucket: 'docs', put: async (key, body) => void puts.push({ key, body: String(body) }) },
      runs: {
        acquireLock: async (lock) => void locks.push(lock),
        putRecord: async (r) => void recorded.push(r),
      },
      runDefaults: {
        timeZone: 'Europe/Berlin',
        maxConcurrency: 50,
        toleratedFailurePercentage: 10,
        batchSize: 20,
      },
      isLockHolderActive: async () => false,
    });
    const out = await handler({
      request: { scheduledTime: '2026-11-01T01:00:00Z' },
      executionName: 'run-1',
      executionId: 'arn:aws:states:eu-central-1:1:execution:sm:run-1',
      startTime: '2026-11-01T01:00:01Z',
    });
    expect(out).toEqual(
      expect.objectContaining({
        runId: 'run-1',
        period: PERIOD,
        issueDate: '2026-11-01',
        customerCount: 4,
        maxConcurrency: 50,
        batchSize: 20,
        mapConcurrency: 3,
      }),
    );
    expect(locks).toEqual([expect.objectContaining({ period: PERIOD, holderRunId: 'run-1' })]);
    expect(out.notices).toEqual([
      '1 inactive customer(s) have no cancelledAt (last day of service) and were not billed; give it to bill their final period',
    ]);
    expect(puts).toEqual([
      {
        key: s3Keys.runManifest('run-1'),
        body: ['cus_a', 'cus_c', 'cus_e', 'cus_f'].map((id) => `{"customerId":"${id}"}\n`).join(''),
      },
    ]);
    expect(recorded[0]?.status).toBe(RUN_STATUS.running);
  });

  const selectionHandler = (locks: RunLock[], puts: { key: string; body: string }[]) =>
    planRun.createHandler({
      observability: observability(),
      records: {
        listCustomerIds: async () => [
          { customerId: 'cus_a', status: 'active' },
          { customerId: 'cus_b', status: 'active' },
          { customerId: 'cus_d', status: 'inactive', cancelledAt: '2026-09-30' },
        ],
      },
      documents: { bucket: 'docs', put: async (key, body) => void puts.push({ key, body: String(body) }) },
      runs: { acquireLock: async (lock) => void locks.push(lock), putRecord: async () => undefined },
      runDefaults: {
        timeZone: 'Europe/Berlin',
        maxConcurrency: 5,
        toleratedFailurePercentage: 10,
        batchSize: 5,
      },
      isLockHolderActive: async () => false,
    });
  const selectionInput = (customers: unknown) => ({
    request: { period: PERIOD, customers } as never,
    executionName: 'rerun-1',
    executionId: 'local:rerun-1',
    startTime: '2026-11-01T01:00:01Z',
  });

  it('bills only the selected customers of a re-run, naming selected ones the period does not bill', async () => {
    const locks: RunLock[] = [];
    const puts: { key: string; body: string }[] = [];
    const out = await selectionHandler(locks, puts)(selectionInput(['cus_b', 'cus_d']));
    expect(out.customerCount).toBe(1);
    expect(puts[0]?.body).toBe('{"customerId":"cus_b"}\n');
    expect(out.notices).toEqual(['1 selected customer(s) are not billed for this period: cus_d']);
  });

  it.each([
    [['cus_a', 'cus_zz'], 'run input customers: no customer record for cus_zz'],
    [[], 'run input customers: expected a list of 1 to 5000 customer ids, got []'],
    [['cus_a', 7], 'run input customers[1]: expected a customer id, got 7'],
    ['cus_a', 'run input customers: expected a list of 1 to 5000 customer ids, got "cus_a"'],
  ])('refuses the selection %j before taking the period lock', async (customers, message) => {
    const locks: RunLock[] = [];
    const puts: { key: string; body: string }[] = [];
    await expect(selectionHandler(locks, puts)(selectionInput(customers))).rejects.toThrow(message);
    expect(locks).toEqual([]);
    expect(puts).toEqual([]);
  });
});

describe('finalize-run', () => {
  it('summarizes the map results, closes the run record and counts the metrics', async () => {
    const obs = observability();
    const files: Record<string, string> = {
      'runs/run-1/results/m1/manifest.json': JSON.stringify({
        ResultFiles: { SUCCEEDED: [{ Key: 'runs/run-1/results/m1/SUCCEEDED_0.json' }], FAILED: [] },
      }),
      // FLATTEN / JSONL: one customer's outcome per line.
      'runs/run-1/results/m1/SUCCEEDED_0.json': `${JSON.stringify({
        outcome: 'issued',
        action: 'issue',
        customerId: 'cus_a',
        invoice: row('ISSUED'),
      })}\n`,
    };
    const finished: RunResult[] = [];
    const handler = finalizeRun.createHandler({
      observability: obs,
      documents: {
        bucket: 'docs',
        list: async (prefix) => Object.keys(files).filter((k) => k.startsWith(prefix)),
        getBytes: async (key) => Buffer.from(files[key] ?? ''),
        lines: async function* (key) {
          yield* (files[key] ?? '').split('\n').filter(Boolean);
        },
        put: async (key, body) => void (files[key] = String(body)),
        find: async (key) => (files[key] === undefined ? undefined : Buffer.from(files[key])),
        delete: async (key) => void delete files[key],
      },
      invoices: {
        query: async () => [{ ...row('ISSUED'), invoiceNumber: 'INV-2026-000001', series: 'INV-2026' }],
      },
      exchangeRates: { load: async () => undefined },
      auditChain: {
        head: async () => undefined,
        advance: async () => true,
      },
      numbers: { voidUnclaimedNumbers: async () => [] },
      runs: {
        finishRecord: async (_id, result) => void finished.push(result),
        getRecord: async () => undefined,
      },
      now: () => NOW,
    });
    const out = await handler({
      run: {
        runId: 'run-1',
        period: PERIOD,
        issueDate: ISSUE_DATE,
        resultsPrefix: 'runs/run-1/results',
        customerCount: 1,
      },
    });
    expect(out.summary.issued).toBe(1);
    expect(out.thresholdExceeded).toBe(false);
    expect(JSON.parse(files[s3Keys.runSummary('run-1')]!).issued).toBe(1);
    // Every issued invoice is listed as JSON Lines, for reports over S3.
    expect(files[s3Keys.jsonlPart(s3Keys.runIssuedPrefix('run-1'), 0)]).toBe(
      `${JSON.stringify({ customerId: 'cus_a', invoiceNumber: 'INV-2026-000007', currency: row('ISSUED').currency, totalMinor: row('ISSUED').totalMinor })}\n`,
    );
    expect(out.summary.issuedInvoicesPrefix).toBe('s3://docs/runs/run-1/issued/');
    // The period's audit manifest, first of its series' chain.
    expect(out.summary.auditManifests).toEqual([`s3://docs/audit/INV-2026/000001-${PERIOD}.json`]);
    expect(finished).toEqual([expect.objectContaining({ status: RUN_STATUS.succeeded, issued: 1 })]);
    // The run's analytics row; the period's invoices could not be read here (no detail in this
    // store), which the summary says with the command that rebuilds them, and the run still ends.
    expect(files[s3Keys.analyticsRun(PERIOD, 'run-1')]).toBeDefined();
    expect(JSON.parse(files[s3Keys.runSummary('run-1')]!).notices).toEqual([
      expect.stringContaining(`invoicer report rebuild --period ${PERIOD}`),
    ]);
    expect(obs.counted).toEqual({
      [METRIC.invoicesIssued]: 1,
      [METRIC.invoicesSkipped]: 0,
      [METRIC.invoicesFailed]: 0,
    });
  });
});

describe('handler modules', () => {
  it.each([
    ['plan-run', planRun.handler],
    ['compute-invoice', computeInvoice.handler],
    ['reserve-number', reserveNumber.handler],
    ['render-documents', renderDocuments.handler],
    ['compensate', compensate.handler],
    ['finalize-run', finalizeRun.handler],
    ['read API', readApi.handler],
    ['API imports', importApi.handler],
    ['deliver-email', deliverEmail.handler],
    ['email-feedback', emailFeedback.handler],
  ])('%s reads its configuration on first use and names what is missing', async (_name, handler) => {
    expect(process.env.INVOICES_TABLE).toBeUndefined();
    await expect((handler as (input: unknown) => Promise<unknown>)({})).rejects.toThrow(
      /environment variable [A-Z_]+ is not set/,
    );
  });
});
