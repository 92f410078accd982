/**
 * The support console: operator routes added to the read API's Hono app under /console. Pages:
 * runs and run locks, a run with its failed customers, the search box's results, a customer, a
 * document, unmatched bank credits, file import. Forms re-run a run's failed customers, redrive a
 * stopped run and assign a credit here; every other action goes through ./action-routes.ts
 * (review, then confirm) and files through ./upload-routes.ts. What each action does is the deps'
 * business (the CLI builds them over a session: scripts/cli/console-deps.ts); every POST must
 * carry the console's CSRF token and a role that may act, and an error is a page that says what
 * went wrong.
 */
import { ID_PATTERN } from '../../shared/contracts/keys.js';
import { EdgeInputError } from '../../shared/edge/edge-error.js';
import { FORM_MEDIA_TYPE, MAX_FORM_BYTES, parseFormBody } from '../../shared/edge/form-body.js';
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { escapeHtml } from '../../shared/html.js';
import type { RunRecord } from '../../shared/store/runs.js';
import type { UnmatchedCredit } from '../../shared/store/receivables.js';
import { InvalidInputError } from '../../shared/errors.js';
import type { SearchResults } from '../../shared/operations/search.js';
import { UNMATCHED_PATH, unmatchedPage } from './payment-pages.js';
import { CONSOLE_PAGE_HEADERS, consolePage, SEARCH_PATH, type PageFrame } from './console-layout.js';
import { runPage, runsPage, type LockView, type RunView } from './console-pages.js';
import { customerPage, type CustomerView } from './customer-page.js';
import { documentPage, type DocumentView } from './document-page.js';
import { searchPage } from './search-page.js';
import { addActionRoutes, type ConsoleActions } from './action-routes.js';
import { addUploadRoutes, type ConsoleUploads } from './upload-routes.js';

export interface ConsoleDeps {
  listRuns(): Promise<RunRecord[]>;
  /** The periods' run locks held now, each with the actions it allows. */
  runLocks(): Promise<LockView[]>;
  runView(runId: string): Promise<RunView | undefined>;
  /** Starts a run of the run's period for the customers it failed; resolves to the new run's id. */
  rerunFailed(runId: string, reason: string | undefined): Promise<string>;
  redrive(runId: string): Promise<void>;
  customerView(customerId: string): Promise<CustomerView>;
  /** One document's page; undefined when no document has this number. */
  documentView(invoiceNumber: string): Promise<DocumentView | undefined>;
  /** The search box (lambdas/shared/operations/search.ts). */
  search(text: string): Promise<SearchResults>;
  /** The operator actions on documents and customers (./action-routes.ts). */
  actions: ConsoleActions;
  /** Files support uploads: records and bank statements, previewed, then written (./upload-routes.ts). */
  uploads: ConsoleUploads;
  unmatchedCredits(): Promise<UnmatchedCredit[]>;
  /** Applies an unmatched credit to an invoice (store/receivables.ts), in the operator log. */
  assignCredit(entryId: string, invoiceNumber: string, reason: string): Promise<void>;
  /** A short-lived URL showing the document's PDF, or undefined when it has none. */
  pdfUrl(invoiceNumber: string): Promise<string | undefined>;
  /** The token every form carries (one per console process). */
  csrfToken: string;
  /** Where the console works, shown on every page: a data dir, or `stack NAME (region)`. */
  place: string;
  /** The caller's role on AWS; absent: an operator (the local stack). */
  role?: { name: string; mayAct: boolean };
}

export class ConsoleError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const html = (c: Context, body: string, status: 200 | 400 | 403 | 404 | 409 | 500 = 200) =>
  c.body(body, status, { ...CONSOLE_PAGE_HEADERS });

const param = (c: Context, name: string): string => {
  const value = c.req.param(name) ?? '';
  if (!ID_PATTERN.test(value)) throw new ConsoleError(400, `"${value}" is not a valid ${name}`);
  return value;
};

/** What the console's routes share: the page frame, the checked form, errors as pages. */
export interface ConsoleRouteKit {
  frame: PageFrame;
  postedForm(c: Context): Promise<Record<string, string>>;
  /** Refuses (403) a form token that is not this console's, or a role that may not act. */
  checkToken(value: unknown): void;
  guarded(handler: (c: Context) => Promise<Response>): (c: Context) => Promise<Response>;
  html(c: Context, body: string, status?: 200 | 400 | 403 | 404 | 409 | 500): Response;
  param(c: Context, name: string): string;
}

export function addConsoleRoutes(app: Hono, deps: ConsoleDeps): void {
  const expected = Buffer.from(deps.csrfToken);
  const frame: PageFrame = {
    csrf: deps.csrfToken,
    place: deps.place,
    ...(deps.role ? { mayAct: deps.role.mayAct, role: deps.role.name } : {}),
  };
  /** A form's CSRF token, and the caller's role: a 403 unless both allow the action. */
  function checkToken(value: unknown): void {
    const token = Buffer.from(typeof value === 'string' ? value : '');
    if (token.length !== expected.length || !timingSafeEqual(token, expected))
      throw new ConsoleError(
        403,
        'the form is stale or not from this console: reload the page and try again',
      );
    if (frame.mayAct === false)
      throw new ConsoleError(403, `your role (${frame.role ?? 'read-only'}) may not act; ask an operator`);
  }
  /** The posted form, once its CSRF token is checked. */
  async function postedForm(c: Context): Promise<Record<string, string>> {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== FORM_MEDIA_TYPE)
      throw new ConsoleError(400, `the console's forms are sent as ${FORM_MEDIA_TYPE}, not "${type}"`);
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > MAX_FORM_BYTES)
      throw new ConsoleError(400, `the form is larger than ${MAX_FORM_BYTES} bytes`);
    let body: Record<string, string>;
    try {
      body = parseFormBody(new Uint8Array(await c.req.arrayBuffer()));
    } catch (error) {
      if (error instanceof EdgeInputError) throw new ConsoleError(400, error.message);
      throw error;
    }
    checkToken(body.csrf);
    const trimmed = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(body)) trimmed[k] = v.trim();
    return trimmed;
  }
  const guarded =
    (handler: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await handler(c);
      } catch (caught) {
        const error =
          caught instanceof InvalidInputError || caught instanceof EdgeInputError
            ? new ConsoleError(400, caught.message)
            : caught;
        if (!(error instanceof ConsoleError)) throw error;
        return html(
          c,
          consolePage(
            'Error',
            `<h1>Could not do that</h1><p role="alert">${escapeHtml(error.message)}</p><p><a href="/console">Back to the runs</a></p>`,
            { place: deps.place, ...(frame.role ? { role: frame.role } : {}) },
          ),
          error.status,
        );
      }
    };

  app.get(
    '/console',
    guarded(async (c) => html(c, runsPage(await deps.listRuns(), frame, await deps.runLocks()))),
  );
  app.get(
    '/console/runs/:runId',
    guarded(async (c) => {
      const runId = param(c, 'runId');
      const view = await deps.runView(runId);
      if (!view) throw new ConsoleError(404, `no run ${runId}`);
      return html(c, runPage(view, frame));
    }),
  );
  app.post(
    '/console/runs/:runId/rerun',
    guarded(async (c) => {
      const runId = param(c, 'runId');
      const form = await postedForm(c);
      const started = await deps.rerunFailed(runId, form.reason || undefined);
      return c.redirect(`/console/runs/${encodeURIComponent(started)}`, 303);
    }),
  );
  app.post(
    '/console/runs/:runId/redrive',
    guarded(async (c) => {
      const runId = param(c, 'runId');
      await postedForm(c);
      await deps.redrive(runId);
      return c.redirect(`/console/runs/${encodeURIComponent(runId)}`, 303);
    }),
  );
  app.get(
    '/console/customers/:customerId',
    guarded(async (c) => html(c, customerPage(await deps.customerView(param(c, 'customerId')), frame))),
  );
  app.get(
    '/console/documents/:number',
    guarded(async (c) => {
      const number = param(c, 'number');
      const view = await deps.documentView(number);
      if (!view) throw new ConsoleError(404, `no invoice or credit note ${number}`);
      return html(c, documentPage(view, frame));
    }),
  );
  app.get(
    SEARCH_PATH,
    guarded(async (c) => {
      // The query string read like a form: strict UTF-8, null-prototype, no field twice.
      const q = parseFormBody(Buffer.from(new URL(c.req.url).search.slice(1), 'latin1')).q ?? '';
      if (q.trim() === '')
        return html(
          c,
          consolePage(
            'Search',
            '<h1>Search</h1><p>Type a name or e-mail fragment, a customer id, an invoice number or a payment reference in the box above.</p>',
            {
              place: deps.place,
            },
          ),
        );
      return html(c, searchPage(await deps.search(q), frame));
    }),
  );
  app.get(
    '/console/invoices/:number/pdf',
    guarded(async (c) => {
      const number = param(c, 'number');
      const url = await deps.pdfUrl(number);
      if (!url) throw new ConsoleError(404, `${number} has no PDF`);
      return c.redirect(url, 302);
    }),
  );
  app.get(
    UNMATCHED_PATH,
    guarded(async (c) => {
      const assigned = c.req.query('assigned');
      const notice = assigned && ID_PATTERN.test(assigned) ? `Assigned to ${assigned}.` : undefined;
      return html(c, unmatchedPage(await deps.unmatchedCredits(), frame, notice));
    }),
  );
  app.post(
    `${UNMATCHED_PATH}/:entryId/assign`,
    guarded(async (c) => {
      const entryId = param(c, 'entryId');
      const form = await postedForm(c);
      const invoiceNumber = form.invoiceNumber ?? '';
      if (!ID_PATTERN.test(invoiceNumber))
        throw new ConsoleError(400, `"${invoiceNumber}" is not an invoice number`);
      if (!form.reason)
        throw new ConsoleError(400, 'say why this invoice (the reason is kept in the operator log)');
      await deps.assignCredit(entryId, invoiceNumber, form.reason);
      return c.redirect(`${UNMATCHED_PATH}?assigned=${encodeURIComponent(invoiceNumber)}`, 303);
    }),
  );
  const kit = { frame, postedForm, checkToken, guarded, html, param };
  addActionRoutes(app, deps.actions, kit);
  addUploadRoutes(app, deps.uploads, kit);
}

/** An action's own error (a run that cannot be redriven, a document that cannot be resent) as a 409 page. */
export const consoleConflict = (message: string): Error => new ConsoleError(409, message);
