/**
 * The support console in a real browser (Debian's Chromium via playwright-core, JavaScript off:
 * the console needs none). A run with permanent faults for two customers; the console lists the
 * run, shows the two failed customers with the step and error; a click re-runs them; the new
 * run's page refreshes itself until it has issued both; the customer's page shows the invoice
 * issued, opens its PDF, and a resend shows up in its notifications and operator log; an
 * unmatched bank credit is found and assigned to an invoice by keyboard alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runLockKey } from '../../lambdas/shared/contracts/keys.js';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import { addEndpoint } from '../../lambdas/shared/operations/webhook-admin.js';
import { importStatement, readStatement } from '../../lambdas/shared/operations/import-statement.js';
import { consoleDeps } from '../../scripts/cli/console-deps.js';
import { executeRun } from '../../scripts/cli/run.js';
import { embeddedTarget, type Target } from '../../scripts/cli/target.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { parseFaultSpec } from '../../workflows/local/faults.js';
import { launchChromium } from '../support/browser.js';
import { startLocalService, type LocalService } from '../../workflows/local/service/local-service.js';

const PERIOD = '2026-10';
let dataDir: string;
let service: LocalService;
let target: Target;
let api: ApiServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let failedRun: string;
let hooks: Server;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ javaScriptEnabled: false });
  page = await context.newPage();
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-console-'));
  service = await startLocalService({ dataDir, emailPollMs: 200 });
  target = embeddedTarget(service);
  hooks = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  await addEndpoint(service.session.events!, {
    url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`,
    eventTypes: [],
    by: 'console-test',
  });
  await seedDemoData(service.session.clients.dynamodb, service.session.storage.tables, 6, PERIOD);
  const run = await executeRun(target, {
    name: 'run-with-faults',
    input: { period: PERIOD },
    settings: {
      faults: {
        rules: parseFaultSpec('render:permanent:customer=cus_00002,commit:permanent:customer=cus_00004'),
        seed: 1,
      },
      retryIntervalMs: 1,
    },
    quiet: true,
  });
  expect([run.issued, run.failed]).toEqual([4, 2]);
  failedRun = run.runId;
  api = await serveSessionApi(service.session, {
    console: consoleDeps(target),
    reportError: (error) => {
      throw error;
    },
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.close();
  await target?.close();
  hooks?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const cells = async (selector: string): Promise<string[]> =>
  (await page.locator(selector).allInnerTexts()).map((t) => t.trim());

describe('the support console in Chromium', () => {
  it('lists the runs and shows the failed customers of one, with step and error', async () => {
    const response = await page.goto(`${api.url}/console`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("form-action 'self'");
    await page.getByRole('link', { name: failedRun }).click();
    expect(page.url()).toBe(`${api.url}/console/runs/${failedRun}`);
    expect(await page.locator('h1').innerText()).toBe(`Run ${failedRun}`);
    const failed = await cells('#failures tbody tr');
    expect(failed).toHaveLength(2);
    // Customer, step, error, retries (a permanent error is not retried), cause.
    expect(failed[0]).toMatch(/^cus_00002\s+RenderDocuments\s+AccessDenied\s+0\s+injected permanent fault/);
    expect(failed[1]).toMatch(/^cus_00004\s+CommitInvoice\s+/);
  });

  it('re-runs the failed customers with a click, and the new run page shows them issued', async () => {
    await page.getByLabel('Why (optional)').fill('render outage fixed');
    await page.getByRole('button', { name: 'Re-run the 2 failed customers' }).click();
    expect(page.url()).toMatch(new RegExp(`/console/runs/rerun-${PERIOD}-`));
    // The page refreshes itself (meta refresh) while the run goes on.
    await page.locator('.status.SUCCEEDED').first().waitFor({ timeout: 120_000 });
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/Customers 2 · issued 2 · skipped 0 · failed 0/);
    expect(text).toMatch(/rerun\s+rerun-\S+\s+local:\S+\s+render outage fixed/);

    await page.goto(`${api.url}/console/runs/${failedRun}`);
    expect(await page.locator('main').innerText()).toMatch(
      /rerun-failed\s+run-with-faults\s+local:\S+\s+render outage fixed/,
    );
  });

  it("shows a customer's record, documents, the PDF, its events and webhook deliveries", async () => {
    await page.goto(`${api.url}/console/customers/cus_00002`);
    expect(await page.locator('h1').innerText()).toBe('Łódź Logistics Sp. z o.o. · cus_00002');
    expect(await page.locator('dl.facts').innerText()).toMatch(/VAT id\s+FR\w+[\s\S]*Locale\s+fr-FR/);
    const rows = await cells('#documents tbody tr');
    expect(rows.map((r) => r.split(/\s+/)[3])).toEqual(['VOID', 'NOTIFIED']);
    const number = rows[1]!.split(/\s+/)[0]!;

    const pdf = await context.request.get(`${api.url}/console/invoices/${number}/pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // What the owner's systems heard of this customer's documents, and each webhook attempt.
    const events = await cells('#events tbody tr');
    expect(events.map((e) => e.split(/\s+/)[1])).toEqual([
      'invoice.number_voided',
      'invoice.issued',
      'invoice.sent',
    ]);
    const hooked = await cells('#webhooks tbody tr');
    expect(hooked).toHaveLength(3);
    expect(hooked.every((d) => /\bok\b.*\b204\b/.test(d))).toBe(true);
  });

  it('finds a customer by a fragment of its name, credits half an invoice and resends it, by keyboard alone', async () => {
    const [invoice] = (await service.session.listInvoices({ customerId: 'cus_00001' })).filter(
      (r) => r.status === 'NOTIFIED',
    );
    const half = decimalAmount(Math.floor(invoice!.totalMinor / 2), invoice!.currency);
    await page.goto(`${api.url}/console`);
    await page.keyboard.press('Tab'); // the skip link comes first, then shows itself
    expect(await page.getByRole('link', { name: 'Skip to content' }).boundingBox()).toMatchObject({
      x: expect.any(Number),
    });
    expect(
      (await page.getByRole('link', { name: 'Skip to content' }).boundingBox())!.x,
    ).toBeGreaterThanOrEqual(0);
    await page.getByRole('searchbox').focus();
    await page.keyboard.type('MUELL');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/search\?q=MUELL/);
    await page.getByRole('link', { name: 'Müller & Søn GmbH' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.url}/console/customers/cus_00001`);
    await page.getByRole('link', { name: invoice!.invoiceNumber }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.url}/console/documents/${invoice!.invoiceNumber}`);

    // Credit half: the form, then the review page with the amounts, then the confirmation.
    await page.locator('#action-credit summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type(half);
    await page.keyboard.press('Tab');
    await page.keyboard.type('half the month was down');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/actions\/credit\/.*\/review$/);
    const review = await page.locator('main').innerText();
    expect(review).toContain(`A credit note of ${half} ${invoice!.currency}`);
    expect(review).toContain('Reason: half the month was down');
    await page.keyboard.press('Enter'); // the confirmation button has the focus
    await page.waitForURL(/\/confirm$/);
    expect(await page.getByRole('status').innerText()).toMatch(
      new RegExp(`Issued credit note CN-\\d{4}-\\d{6}: ${half.replace('.', '\\.')} ${invoice!.currency}`),
    );

    await page.goto(`${api.url}/console/documents/${invoice!.invoiceNumber}`);
    expect(await page.locator('dl.facts').innerText()).toMatch(
      new RegExp(`Credited\\s+${half.replace('.', '\\.')}`),
    );
    await page.locator('#action-resend summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('customer lost the e-mail');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/actions\/resend\/.*\/review$/);
    expect(await page.locator('main').innerText()).toContain('to billing+cus_00001@example.com (resend 1)');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/confirm$/);
    expect(await page.getByRole('status').innerText()).toMatch(/^Resent \(resend 1, event /);

    await page.goto(`${api.url}/console/customers/cus_00001`);
    const emails = await cells('#emails tbody tr');
    expect(emails.filter((e) => e.includes(invoice!.invoiceNumber))).toHaveLength(2);
    expect(emails.filter((e) => /CN-\d{4}-\d{6}/.test(e))).toHaveLength(1);
    const log = await cells('#operator-log-entries tbody tr');
    expect(log).toEqual([
      expect.stringMatching(
        new RegExp(`credit\\s+${invoice!.invoiceNumber}\\s+local:\\S+\\s+half the month was down`),
      ),
      expect.stringMatching(
        new RegExp(`resend\\s+${invoice!.invoiceNumber}\\s+local:\\S+\\s+customer lost the e-mail`),
      ),
    ]);
  });

  it("revokes a document's hosted link by keyboard, and the customer's page dies", async () => {
    const [invoice] = (await service.session.listInvoices({ customerId: 'cus_00003' })).filter(
      (r) => r.status === 'NOTIFIED',
    );
    await page.goto(`${api.url}/console/documents/${invoice!.invoiceNumber}`);
    const link = await page.getByRole('link', { name: "Open the customer's page" }).getAttribute('href');
    // The link names the public origin; the test's API listens on a port of its own.
    const hosted = `${api.url}${new URL(link!).pathname}`;
    expect((await context.request.get(hosted)).status()).toBe(200);
    await page.locator('#action-revoke-link summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // "a new link at once" stays unticked
    await page.keyboard.press('Tab');
    await page.keyboard.type('sent to the wrong address');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/review$/);
    expect(await page.locator('main').innerText()).toContain('No new link until you reissue one.');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/confirm$/);
    expect(await page.getByRole('status').innerText()).toBe(
      `The link of ${invoice!.invoiceNumber} is revoked.`,
    );
    expect((await context.request.get(hosted)).status()).toBe(404);
    await page.goto(`${api.url}/console/documents/${invoice!.invoiceNumber}`);
    expect(await page.locator('dl.facts').innerText()).toMatch(
      /Hosted link\s+revoked .* sent to the wrong address/,
    );
    expect(await page.locator('#action-reissue-link').count()).toBe(1);
  });

  it('lists an unmatched bank credit and assigns it to an invoice by keyboard alone', async () => {
    const [invoice] = (await service.session.listInvoices({ customerId: 'cus_00001' })).filter(
      (r) => r.status === 'NOTIFIED' && r.documentType === undefined,
    );
    const csv =
      'booking_date,amount,currency,remittance,payer_name\n2026-11-30,12.34,EUR,thanks,Acme Holding\n';
    const imported = await importStatement(
      {
        invoices: service.session.stores.invoices,
        records: service.session.stores.records,
        receivables: service.session.stores.receivables,
        now: () => new Date(),
      },
      readStatement(Buffer.from(csv), 'statement.csv', 'csv'),
      'console-test',
    );
    expect(imported.unmatched).toBe(1);
    await page.goto(`${api.url}/console`);
    await page.getByRole('link', { name: 'Unmatched credits' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.url}/console/payments/unmatched`);
    expect(await cells('#unmatched tbody tr')).toEqual([
      expect.stringMatching(
        /^2026-11-30\s+12\.34 EUR\s+Acme Holding\s+thanks\s+no open invoice has this amount/,
      ),
    ]);
    await page.getByLabel('Invoice').focus();
    await page.keyboard.type(invoice!.invoiceNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type('customer sent the remittance advice');
    await page.keyboard.press('Enter');
    await page.waitForURL(/assigned=/);
    expect(await page.getByRole('status').innerText()).toBe(`Assigned to ${invoice!.invoiceNumber}.`);
    expect(await cells('#unmatched tbody tr')).toEqual(['No unmatched credits.']);
    await page.goto(`${api.url}/console/customers/cus_00001`);
    const payments = await cells('#payments tbody tr');
    expect(payments).toEqual([
      expect.stringMatching(
        new RegExp(`${invoice!.invoiceNumber}\\s+2026-11-30\\s+12\\.34 EUR\\s+bank_transfer\\s+assigned`),
      ),
    ]);
    expect((await cells('#documents tbody tr')).filter((r) => r.includes(invoice!.invoiceNumber))).toEqual([
      expect.stringMatching(/partially_paid · open /),
    ]);
  });

  it('shows a stuck run lock on the runs page and releases it by keyboard, saying it knows the run is gone', async () => {
    await service.session.clients.dynamodb.send(
      new PutCommand({
        TableName: service.session.storage.tables.runs,
        Item: {
          runId: runLockKey('2026-07'),
          holderRunId: 'run-2026-07-old',
          holderExecution: 'local:retired-host:77:run-2026-07-old',
          acquiredAt: '2026-11-01T00:00:00.000Z',
        },
      }),
    );
    await page.goto(`${api.url}/console`);
    expect(await cells('#locks tbody tr')).toEqual([
      expect.stringMatching(
        /^2026-07\s+run-2026-07-old\s+local:retired-host:77:run-2026-07-old\s+cannot be checked from here/,
      ),
    ]);
    await page.locator('#action-release-lock-2026-07 summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // "I know its run is gone"
    await page.keyboard.press('Tab');
    await page.keyboard.type('host retired');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/actions\/release-lock\/2026-07\/review$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/confirm$/);
    expect(await page.getByRole('status').innerText()).toBe(
      'Released the lock of 2026-07 (run run-2026-07-old).',
    );
    expect(await service.session.runLocks()).toEqual([]);
  });

  it('lays every page out within 360 px (tables scroll in their box), with a label on every control', async () => {
    const narrow = await context
      .browser()!
      .newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const small = await narrow.newPage();
    const [invoice] = await service.session.listInvoices({ customerId: 'cus_00005' });
    for (const path of [
      '/console',
      `/console/runs/${failedRun}`,
      '/console/search?q=sample',
      '/console/customers/cus_00005',
      `/console/documents/${invoice!.invoiceNumber}`,
      '/console/payments/unmatched',
      '/console/import',
    ]) {
      expect((await small.goto(`${api.url}${path}`))?.status()).toBe(200);
      const width = Number(await small.evaluate('document.documentElement.scrollWidth'));
      expect([path, width]).toEqual([path, 360]);
      // Every input, select and button is named (a label, or its own text).
      const unnamed = Number(
        await small.evaluate(
          `[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((e) => !e.labels || e.labels.length === 0).length`,
        ),
      );
      expect([path, unnamed]).toEqual([path, 0]);
    }
    await narrow.close();
  });

  it('refuses a form without its token, saying why', async () => {
    const response = await context.request.post(`${api.url}/console/runs/${failedRun}/rerun`, {
      form: { csrf: 'forged' },
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('the form is stale or not from this console');
  });
});
