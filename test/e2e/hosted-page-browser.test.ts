/**
 * The hosted invoice page in a real browser: Debian's headless Chromium driven by playwright-core
 * (installed by scripts/local-stack/chromium.ts when missing), JavaScript off as the page needs
 * none. A customer opens the link from their notification, sees their invoice in their language,
 * clicks "download PDF" and gets the stored bytes; a revoked or forged link shows the 404 page.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { formatMoney } from '../../lambdas/shared/documents/format.js';
import type { InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { launchChromium } from '../support/browser.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let api: ApiServer;
let browser: Browser;
let context: BrowserContext;

interface IssuedEvent {
  invoiceNumber: string;
  locale?: string;
  hostedUrl: string;
}

/** The link as the test's server serves it (the notification names the default local port). */
const served = (hostedUrl: string) => `${api.url}${new URL(hostedUrl).pathname}`;

async function sentEvents(): Promise<IssuedEvent[]> {
  return (await f.session.readInbox())
    .map((m) => m.event as unknown as IssuedEvent)
    .filter((e) => typeof e.hostedUrl === 'string');
}

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true, locale: 'fr-FR' });
  // S3 answers a presigned GET with the Content-Disposition its response-content-disposition
  // parameter asks for; the local S3 emulator ignores the parameter, so the browser is given the
  // header S3 would send.
  await context.route(
    (url) => url.searchParams.has('response-content-disposition'),
    async (route) => {
      const response = await route.fetch();
      const disposition = new URL(route.request().url()).searchParams.get('response-content-disposition')!;
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-disposition': disposition },
      });
    },
  );
  f = await openBillingFixture('hosted-browser');
  await runLocalBilling(f.session, { period: PERIOD, demoCustomers: 6, retryIntervalMs: 1 });
  api = await serveSessionApi(f.session, {
    reportError: (error) => {
      throw error;
    },
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.close();
  await f?.cleanup();
});

describe('the hosted invoice page in Chromium', () => {
  it('shows the invoice in the customer language and downloads the stored PDF', async () => {
    const event = (await sentEvents()).find((e) => e.locale === 'de-DE')!;
    const stored = await f.session.getInvoiceDocuments(event.invoiceNumber);
    const detail = JSON.parse(stored.detail.toString('utf8')) as InvoiceDetail;
    const page = await context.newPage();
    const response = await page.goto(served(event.hostedUrl));
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.locator('#title').textContent()).toBe(`Rechnung ${event.invoiceNumber}`);
    expect(await page.locator('#total').textContent()).toBe(
      formatMoney(detail.totalMinor, detail.currency, detail.exponent, detail.locale),
    );
    expect(await page.locator('table.lines tr.line').count()).toBe(detail.lines.length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pdf')]);
    expect(download.suggestedFilename()).toBe(`${event.invoiceNumber}.pdf`);
    expect((await readFile((await download.path())!)).equals(stored.pdf)).toBe(true);
    await page.close();
  });

  it('shows the not-found page for a forged link and for a revoked one', async () => {
    const event = (await sentEvents())[0]!;
    const page = await context.newPage();
    const forged = await page.goto(`${api.url}/i/${'x'.repeat(22)}`);
    expect(forged?.status()).toBe(404);
    // The browser asks in French; the page answers in French.
    expect(await page.locator('#title').textContent()).toBe('Facture introuvable');

    expect((await page.goto(served(event.hostedUrl)))?.status()).toBe(200);
    await f.session.revokeHostedLink({
      invoiceNumber: event.invoiceNumber,
      reason: 'forwarded to a stranger',
      by: 'browser-test',
      reissue: false,
    });
    const revoked = await page.goto(served(event.hostedUrl));
    expect(revoked?.status()).toBe(404);
    expect(await page.locator('#title').textContent()).toBe('Facture introuvable');
    await page.close();
  });
});
