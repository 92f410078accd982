/**
 * The hosted invoice pages: `GET /i/{token}` and its downloads `/i/{token}/pdf|json`, open to
 * anyone who holds the link (no credentials: the token is the key). A token opens a document only
 * while its link item exists unrevoked, is of the document's current link generation, and the
 * document is issued; anything else is the same 404 page, so a probe learns nothing.
 */
import type { Context, Hono } from 'hono';
import { HOSTED_PREFIX } from '../shared/contracts/api-paths.js';
import { ISSUED_STATUSES } from '../shared/contracts/statuses.js';
import type { InvoiceDetail } from '../shared/domain/types.js';
import { FIRST_LINK_GENERATION, isLinkTokenFormat, linkTokenHash } from '../shared/hosted-links/token.js';
import { parseStoredJson } from '../shared/edge/safe-json.js';
import type { DocumentUrl } from '../shared/store/document-links.js';
import type { HostedLinkStore } from '../shared/store/hosted-links.js';
import type { InvoiceIndex, InvoiceRow } from '../shared/store/invoice-index.js';
import type { DocumentGuard } from './document-guard.js';
import { API_ERROR, ApiError } from './errors.js';
import {
  documentUnavailablePage,
  HOSTED_PAGE_HEADERS,
  hostedInvoicePage,
  linkNotFoundPage,
} from './hosted-page.js';
import { localeOfAcceptLanguage } from './page-labels.js';
import { isIssuedInvoice } from '../shared/domain/receivables.js';
import { paymentView } from './views.js';

export interface HostedRouteDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  links: Pick<HostedLinkStore, 'get'>;
  documentUrl: DocumentUrl;
  /** Serves only the files issued (./document-guard.ts). */
  guard: DocumentGuard;
}

export function addHostedRoutes(app: Hono, deps: HostedRouteDeps): void {
  /** The issued document a token opens, or undefined. */
  async function documentOf(token: string): Promise<InvoiceRow | undefined> {
    if (!isLinkTokenFormat(token)) return undefined;
    const link = await deps.links.get(linkTokenHash(token));
    if (link === undefined || link.revokedAt !== undefined) return undefined;
    const rows = await deps.invoices.query({ invoiceNumber: link.invoiceNumber });
    return rows.find(
      (row) =>
        ISSUED_STATUSES.includes(row.status) &&
        row.customerId === link.customerId &&
        (row.linkGeneration ?? FIRST_LINK_GENERATION) === link.generation,
    );
  }

  const notFound = (c: Context) =>
    c.body(linkNotFoundPage(localeOfAcceptLanguage(c.req.header('accept-language'))), 404, {
      ...HOSTED_PAGE_HEADERS,
    });

  /** The file issued, or the unavailable page when the stored one is not it. */
  const unavailable = (c: Context, error: unknown) => {
    if (!(error instanceof ApiError) || error.code !== API_ERROR.documentAltered) throw error;
    return c.body(documentUnavailablePage(localeOfAcceptLanguage(c.req.header('accept-language'))), 409, {
      ...HOSTED_PAGE_HEADERS,
    });
  };

  app.get(`${HOSTED_PREFIX}/:token`, async (c) => {
    const token = c.req.param('token');
    const row = await documentOf(token);
    if (row === undefined) return notFound(c);
    let bytes: Buffer;
    try {
      bytes = await deps.guard.read(row, row.jsonKey);
    } catch (error) {
      return unavailable(c, error);
    }
    const detail = parseStoredJson(bytes, row.jsonKey) as InvoiceDetail;
    // Relative to /i/<token>, so the page works under any base path.
    const html = hostedInvoicePage(
      detail,
      { pdf: `./${token}/pdf`, json: `./${token}/json` },
      isIssuedInvoice(row) ? paymentView(row) : undefined,
    );
    return c.body(html, 200, { ...HOSTED_PAGE_HEADERS });
  });

  app.get(`${HOSTED_PREFIX}/:token/:kind{pdf|json}`, async (c) => {
    const row = await documentOf(c.req.param('token'));
    if (row === undefined) return notFound(c);
    const kind = c.req.param('kind') as 'pdf' | 'json';
    const key = kind === 'pdf' ? row.pdfKey : row.jsonKey;
    try {
      await deps.guard.check(row, key);
    } catch (error) {
      return unavailable(c, error);
    }
    const url = await deps.documentUrl(key, `${row.invoiceNumber}.${kind}`, 'attachment');
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'private, no-store');
    return c.redirect(url, 302);
  });
}
