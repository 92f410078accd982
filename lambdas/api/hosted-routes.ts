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
import type { DocumentStore } from '../shared/store/documents.js';
import type { DocumentUrl } from '../shared/store/document-links.js';
import type { HostedLinkStore } from '../shared/store/hosted-links.js';
import type { InvoiceIndex, InvoiceRow } from '../shared/store/invoice-index.js';
import { HOSTED_PAGE_HEADERS, hostedInvoicePage, linkNotFoundPage } from './hosted-page.js';
import { localeOfAcceptLanguage } from './page-labels.js';

export interface HostedRouteDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  documents: Pick<DocumentStore, 'getBytes'>;
  links: Pick<HostedLinkStore, 'get'>;
  documentUrl: DocumentUrl;
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

  app.get(`${HOSTED_PREFIX}/:token`, async (c) => {
    const token = c.req.param('token');
    const row = await documentOf(token);
    if (row === undefined) return notFound(c);
    const detail = JSON.parse((await deps.documents.getBytes(row.jsonKey)).toString('utf8')) as InvoiceDetail;
    // Relative to /i/<token>, so the page works under any base path.
    const html = hostedInvoicePage(detail, { pdf: `./${token}/pdf`, json: `./${token}/json` });
    return c.body(html, 200, { ...HOSTED_PAGE_HEADERS });
  });

  app.get(`${HOSTED_PREFIX}/:token/:kind{pdf|json}`, async (c) => {
    const row = await documentOf(c.req.param('token'));
    if (row === undefined) return notFound(c);
    const kind = c.req.param('kind') as 'pdf' | 'json';
    const key = kind === 'pdf' ? row.pdfKey : row.jsonKey;
    const url = await deps.documentUrl(key, `${row.invoiceNumber}.${kind}`, 'attachment');
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'private, no-store');
    return c.redirect(url, 302);
  });
}
