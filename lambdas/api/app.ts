/**
 * The read API: one Hono application, served by Lambda behind API Gateway on AWS (./handler.ts)
 * and by @hono/node-server on the local stack (workflows/local/api-server.ts). Lists come from
 * the DynamoDB index alone (one Query a page, no S3 read); an invoice's detail is fetched from S3
 * only when it is opened: first its summary document, then its lines; its PDF and e-invoice are
 * redirects to short-lived S3 URLs. The hosted invoice pages customers open (`/i/<token>`) are
 * ./hosted-routes.ts.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ID_PATTERN } from '../shared/contracts/keys.js';
import { EdgeInputError } from '../shared/edge/edge-error.js';
import { API_PREFIX } from '../shared/contracts/api-paths.js';
import { s3Keys } from '../shared/contracts/keys.js';
import { INVOICE_STATUS, ISSUED_STATUSES, type InvoiceStatus } from '../shared/contracts/statuses.js';
import { currencyRefusal } from '../shared/documents/en16931/refusal.js';
import { summaryOf, type InvoiceSummaryDocument } from '../shared/documents/schema.js';
import type { InvoiceDetail } from '../shared/domain/types.js';
import type { DocumentUrl } from '../shared/store/document-links.js';
import type { DocumentStore } from '../shared/store/documents.js';
import type { EmailDeliveryStore } from '../shared/store/email-deliveries.js';
import type { HostedLinkStore } from '../shared/store/hosted-links.js';
import { EVENT_TYPE } from '../shared/contracts/events.js';
import { notificationEventId } from '../shared/notification.js';
import type { InvoiceIndex, InvoicePage, InvoiceRow } from '../shared/store/invoice-index.js';
import { parseStoredJson } from '../shared/edge/safe-json.js';
import type { OperatorLog } from '../shared/store/operator-log.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { documentGuard } from './document-guard.js';
import { API_ERROR, ApiError } from './errors.js';
import { addConsoleRoutes, type ConsoleDeps } from './console/console-routes.js';
import { addHostedRoutes } from './hosted-routes.js';
import { addImportRoutes, type ImportDeps } from './import-routes.js';
import { addStatementRoute } from './statement-route.js';
import { invoiceView } from './views.js';
import type { ReceivablesStore } from '../shared/store/receivables.js';

export interface ApiDeps {
  invoices: Pick<InvoiceIndex, 'page' | 'query'>;
  documents: Pick<DocumentStore, 'getBytes' | 'find' | 'storedChecksum'>;
  /** Where a file that is not the one issued is reported (./document-guard.ts), as `operator`. */
  operatorLog: Pick<OperatorLog, 'record'>;
  operator: string;
  links: Pick<HostedLinkStore, 'get'>;
  deliveries: Pick<EmailDeliveryStore, 'get'>;
  /** Payments, for the customer statement (./statement-route.ts). */
  receivables: Pick<ReceivablesStore, 'payments'>;
  /** A URL that downloads a stored document for a few minutes (an S3 presigned GET). */
  documentUrl: DocumentUrl;
  /** The key that signs page cursors (./cursor.ts): Secrets Manager on AWS, a data-dir file locally. */
  cursorKey(): Promise<Buffer>;
  /** Where an unexpected error is reported with its id (the response says only "internal" and the id). */
  reportError(error: unknown, errorId?: string): void;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** What a customer's list shows: issued documents, not reservations or VOID numbers. */
const ISSUED = ISSUED_STATUSES;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const badRequest = (message: string) => new ApiError(API_ERROR.badRequest, message);

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}"`);
  }
  return n;
}

function pageBody(page: InvoicePage, scope: string, cursorKey: Buffer) {
  return {
    invoices: page.rows.map((row) => invoiceView(row)),
    nextCursor: page.next === undefined ? null : encodeCursor(cursorKey, scope, page.next),
  };
}

/**
 * The app; `options.imports` adds the record import routes (on AWS a function of their own serves
 * them, ./import-handler.ts, with write access the read API's function does not have);
 * `options.console` adds the support console's operator routes (`invoicer console` serves them
 * locally; the Lambda serves the API without them).
 */
export function createApiApp(
  deps: ApiDeps,
  options: { console?: ConsoleDeps; imports?: ImportDeps } = {},
): Hono {
  const app = new Hono();
  const guard = documentGuard({ ...deps, by: deps.operator, now: () => new Date() });

  /** The row of an issued document (or a VOID number), 404 when there is none. */
  async function rowOf(number: string): Promise<InvoiceRow> {
    if (!ID_PATTERN.test(number)) throw badRequest(`"${number}" is not an invoice number`);
    const rows = await deps.invoices.query({ invoiceNumber: number });
    const row = rows.find((r) => r.status !== INVOICE_STATUS.void) ?? rows[0];
    if (row === undefined || row.status === INVOICE_STATUS.pending) {
      throw new ApiError(API_ERROR.notFound, `invoice ${number} does not exist`);
    }
    return row;
  }

  async function issuedRowOf(number: string): Promise<InvoiceRow> {
    const row = await rowOf(number);
    if (!ISSUED.includes(row.status)) {
      throw new ApiError(API_ERROR.notFound, `${number} is ${row.status}: it has no documents`);
    }
    return row;
  }

  async function detailOf(row: InvoiceRow): Promise<InvoiceDetail> {
    const bytes = await guard.read(row, row.jsonKey);
    return parseStoredJson(bytes, row.jsonKey) as InvoiceDetail;
  }

  app.get(`${API_PREFIX}/customers/:customerId/invoices`, async (c) => {
    const customerId = c.req.param('customerId');
    if (!ID_PATTERN.test(customerId)) throw badRequest(`"${customerId}" is not a customer id`);
    const scope = `customer:${customerId}`;
    const cursor = c.req.query('cursor');
    const cursorKey = await deps.cursorKey();
    const page = await deps.invoices.page(
      { customerId },
      {
        limit: pageSize(c.req.query('limit')),
        statuses: ISSUED,
        ...(cursor === undefined ? {} : { after: decodeCursor(cursorKey, scope, cursor, { customerId }) }),
      },
    );
    return c.json(pageBody(page, scope, cursorKey));
  });

  app.get(`${API_PREFIX}/invoices`, async (c) => {
    const period = c.req.query('period');
    if (period === undefined || !PERIOD.test(period)) throw badRequest('period=YYYY-MM is required');
    const status = c.req.query('status');
    const statuses = Object.values(INVOICE_STATUS) as string[];
    if (status !== undefined && !statuses.includes(status)) {
      throw badRequest(`status must be one of ${statuses.join(', ')}`);
    }
    const scope = `period:${period}:${status ?? '*'}`;
    const cursor = c.req.query('cursor');
    const cursorKey = await deps.cursorKey();
    const page = await deps.invoices.page(
      { period, ...(status === undefined ? {} : { status: status as InvoiceStatus }) },
      {
        limit: pageSize(c.req.query('limit')),
        ...(status === undefined ? { statuses: ISSUED } : {}),
        ...(cursor === undefined
          ? {}
          : { after: decodeCursor(cursorKey, scope, cursor, status ? { status } : { period }) }),
      },
    );
    return c.json(pageBody(page, scope, cursorKey));
  });

  app.get(`${API_PREFIX}/invoices/:number`, async (c) =>
    c.json(invoiceView(await rowOf(c.req.param('number')))),
  );

  app.get(`${API_PREFIX}/invoices/:number/detail`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    const key = s3Keys.invoiceSummary(row.period, row.customerId, row.invoiceNumber);
    // Invoices issued before summaries were written: the summary of the (verified) full detail.
    const stored = await guard.find(row, key);
    const summary: InvoiceSummaryDocument =
      stored === undefined
        ? summaryOf(await detailOf(row))
        : (parseStoredJson(stored, key) as InvoiceSummaryDocument);
    return c.json(summary);
  });

  app.get(`${API_PREFIX}/invoices/:number/detail/lines`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    const { lines } = await detailOf(row);
    return c.json({ number: row.invoiceNumber, lineCount: lines.length, lines });
  });

  app.get(`${API_PREFIX}/invoices/:number/pdf`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    await guard.check(row, row.pdfKey);
    return c.redirect(await deps.documentUrl(row.pdfKey, `${row.invoiceNumber}.pdf`), 302);
  });

  app.get(`${API_PREFIX}/invoices/:number/json`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    await guard.check(row, row.jsonKey);
    return c.redirect(await deps.documentUrl(row.jsonKey, `${row.invoiceNumber}.json`), 302);
  });

  app.get(`${API_PREFIX}/invoices/:number/e-invoice`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    const refused = currencyRefusal(row.currency);
    if (refused !== undefined)
      throw new ApiError(API_ERROR.notFound, `${row.invoiceNumber} has no e-invoice: ${refused}`);
    const key = s3Keys.invoiceXml(row.period, row.customerId, row.invoiceNumber);
    await guard.check(row, key);
    return c.redirect(await deps.documentUrl(key, `${row.invoiceNumber}.xml`), 302);
  });

  // The e-mail of the document's notification: sent, undeliverable, bounced ... (support's question
  // "did the customer get it?"); 404 while none was attempted.
  app.get(`${API_PREFIX}/invoices/:number/email`, async (c) => {
    const row = await issuedRowOf(c.req.param('number'));
    const type = row.documentType === 'credit_note' ? EVENT_TYPE.creditNoteIssued : EVENT_TYPE.invoiceIssued;
    const delivery = await deps.deliveries.get(notificationEventId(type, row.invoiceNumber));
    if (delivery === undefined)
      throw new ApiError(API_ERROR.notFound, `no e-mail was sent for ${row.invoiceNumber} yet`);
    return c.json({
      number: row.invoiceNumber,
      status: delivery.status,
      to: delivery.to ?? null,
      sentAt: delivery.sentAt ?? null,
      attempts: delivery.attempts,
      lastError: delivery.lastError ?? null,
      feedback: delivery.feedback ?? [],
    });
  });

  addStatementRoute(app, deps, (text) => ID_PATTERN.test(text));
  addHostedRoutes(app, { ...deps, guard });
  if (options.imports) addImportRoutes(app, options.imports);
  if (options.console) addConsoleRoutes(app, options.console);
  return withErrorResponses(app, deps.reportError);
}

/**
 * The API's one error mapper: an unknown route is a 404, a refused input (an ApiError, an edge
 * parser's EdgeInputError, a body Hono could not read) its 4xx with what was wrong; anything
 * else a 500 saying only "internal error" and an id, under which the error is reported (logged).
 */
export function withErrorResponses(app: Hono, reportError: (error: unknown, errorId?: string) => void): Hono {
  app.notFound((c) =>
    errorResponse(c, new ApiError(API_ERROR.notFound, `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof EdgeInputError)
      return errorResponse(c, new ApiError(API_ERROR.badRequest, error.message));
    if (error instanceof HTTPException && error.status < 500)
      return errorResponse(c, new ApiError(API_ERROR.badRequest, 'the request could not be read'));
    const errorId = randomBytes(8).toString('hex');
    reportError(error, errorId);
    return c.json({ error: { code: API_ERROR.internal, message: 'internal error', id: errorId } }, 500);
  });
  return app;
}

function errorResponse(c: Context, error: ApiError): Response {
  return c.json(error.toJSON(), error.status);
}
