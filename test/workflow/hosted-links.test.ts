/**
 * Hosted invoice links over real HTTP on the local stack: the link in a customer's notification
 * opens the invoice's page in their language, its downloads are the stored bytes, and a link that
 * is forged, malformed, revoked or superseded opens the same "not found" page. Links never show in
 * listings; a resend states the same link.
 */
import { linkKey } from '../../lambdas/shared/contracts/keys.js';
import { linkTokenHash } from '../../lambdas/shared/hosted-links/token.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { LOCAL_PUBLIC_BASE_URL } from '../../workflows/local/hosted-links.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let api: ApiServer;
const errors: unknown[] = [];

interface IssuedEvent {
  invoiceNumber: string;
  customerId: string;
  locale?: string;
  hostedUrl: string;
}

/** The invoice.issued events customers received, by invoice number. */
const events = async (): Promise<Map<string, IssuedEvent>> =>
  new Map(
    (await f.session.readInbox())
      .map((m) => m.event as unknown as IssuedEvent)
      .filter((e) => typeof e.hostedUrl === 'string')
      .map((e) => [e.invoiceNumber, e]),
  );

/** The hosted path of a link, requested from the test's server. */
const open = (url: string, init: RequestInit = {}) =>
  fetch(`${api.url}${new URL(url).pathname}`, { redirect: 'manual', ...init });

beforeAll(async () => {
  f = await openBillingFixture('hosted-links');
  await runLocalBilling(f.session, { period: PERIOD, demoCustomers: 8, retryIntervalMs: 1 });
  api = await serveSessionApi(f.session, { reportError: (error) => errors.push(error) });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await f?.cleanup();
});

afterEach(() => expect(errors).toEqual([]));

describe('hosted invoice links', () => {
  it('are in every notification, pointing at the local API, one distinct link per invoice', async () => {
    const issued = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED');
    const sent = await events();
    expect(issued.length).toBeGreaterThan(3);
    for (const row of issued) {
      const event = sent.get(row.invoiceNumber)!;
      expect(event.hostedUrl).toMatch(new RegExp(`^${LOCAL_PUBLIC_BASE_URL}/i/[A-Za-z0-9_-]{22}$`));
    }
    expect(new Set(issued.map((r) => sent.get(r.invoiceNumber)!.hostedUrl)).size).toBe(issued.length);
    const text = (await f.session.readInbox()).find(
      (m) => m.invoiceNumber === issued[0]!.invoiceNumber,
    )!.text;
    expect(text).toContain(sent.get(issued[0]!.invoiceNumber)!.hostedUrl);
  });

  it("open the invoice's page in the customer's language, with totals, lines and safe headers", async () => {
    const sent = [...(await events()).values()];
    const german = sent.find((e) => e.locale === 'de-DE')!;
    const response = await open(german.hostedUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    const detail = JSON.parse(
      (await f.session.getInvoiceDocuments(german.invoiceNumber)).detail.toString('utf8'),
    ) as { lines: { description: string }[]; totalMinor: number };
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`Rechnung ${german.invoiceNumber}`);
    expect(html).toContain('PDF herunterladen');
    expect(html).not.toContain('<script');
    for (const line of detail.lines) expect(html).toContain(line.description.replace(/&/g, '&amp;'));
  });

  it('download the stored PDF and JSON detail byte for byte', async () => {
    const event = [...(await events()).values()][0]!;
    const stored = await f.session.getInvoiceDocuments(event.invoiceNumber);
    for (const [kind, bytes] of [
      ['pdf', stored.pdf],
      ['json', stored.detail],
    ] as const) {
      const redirect = await open(`${event.hostedUrl}/${kind}`);
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get('location')!;
      // S3 answers with this Content-Disposition (the local emulator ignores the override).
      expect(new URL(location).searchParams.get('response-content-disposition')).toBe(
        `attachment; filename="${event.invoiceNumber}.${kind}"`,
      );
      const download = await fetch(location);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it("answer forged and malformed tokens with the same 404 page, in the browser's language", async () => {
    const forged = 'A'.repeat(22);
    for (const path of [`/i/${forged}`, '/i/not-a-token', `/i/${forged}/pdf`, '/i/<script>']) {
      const response = await fetch(`${api.url}${path}`, {
        headers: { 'accept-language': 'fr-CH, en;q=0.5' },
      });
      expect([path, response.status]).toEqual([path, 404]);
      const html = await response.text();
      expect(html).toContain('Facture introuvable');
      expect(html).not.toContain('<script>');
    }
  });

  it('stop working when revoked, and a reissued link works while the old one stays dead', async () => {
    const event = [...(await events()).values()][1]!;
    expect((await open(event.hostedUrl)).status).toBe(200);
    const revoked = await f.session.revokeHostedLink({
      invoiceNumber: event.invoiceNumber,
      reason: 'sent to the wrong address',
      by: 'test',
      reissue: false,
    });
    expect(revoked).toEqual({ invoiceNumber: event.invoiceNumber, revoked: true });
    expect((await open(event.hostedUrl)).status).toBe(404);
    expect((await open(`${event.hostedUrl}/pdf`)).status).toBe(404);
    // Revoking again says so; the revocation is kept on the link item with who and why.
    const again = await f.session.revokeHostedLink({
      invoiceNumber: event.invoiceNumber,
      reason: 'again',
      by: 'test',
      reissue: true,
    });
    expect(again.revoked).toBe(false);
    expect(again.newUrl).toBeDefined();
    expect(again.newUrl).not.toBe(event.hostedUrl);
    expect((await open(again.newUrl!)).status).toBe(200);
    expect((await open(event.hostedUrl)).status).toBe(404);
    expect(await f.session.hostedLink(event.invoiceNumber)).toBe(again.newUrl);
    const token = new URL(event.hostedUrl).pathname.split('/').pop()!;
    const item = await f.session.stores.links.get(linkTokenHash(token));
    expect(item).toMatchObject({ revokedBy: 'test', revokedReason: 'sent to the wrong address' });
  });

  it('keep link items out of every listing, and a re-run sends no new link', async () => {
    const before = await events();
    const rowsBefore = await f.invoices();
    expect(rowsBefore.some((r) => r.invoiceKey.startsWith(linkKey('')))).toBe(false);
    const page = (await (await fetch(`${api.url}/v1/invoices?period=${PERIOD}&limit=100`)).json()) as {
      invoices: unknown[];
    };
    expect(page.invoices).toHaveLength(
      rowsBefore.filter((r) => r.period === PERIOD && r.status !== 'VOID').length,
    );
    await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    const after = await events();
    for (const [number, event] of before) expect(after.get(number)!.hostedUrl).toBe(event.hostedUrl);
  });
});
