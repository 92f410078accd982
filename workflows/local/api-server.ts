/**
 * The read API on the local stack: the same Hono app as on Lambda, served by @hono/node-server on
 * loopback only (no authentication here; on AWS the routes need IAM-signed requests).
 */
import { randomBytes } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { createApiApp, type ApiDeps } from '../../lambdas/api/app.js';
import type { ConsoleDeps } from '../../lambdas/api/console/console-routes.js';
import type { ImportDeps } from '../../lambdas/api/import-routes.js';
import { s3OperatorLog } from '../../lambdas/shared/store/operator-log.js';
import { dynamoRecordWriter } from '../../lambdas/shared/store/record-writer.js';
import { createAwsClients, type AwsCallMiddleware } from '../../lambdas/shared/aws/clients.js';
import { presignedDocumentLinks } from '../../lambdas/shared/store/document-links.js';
import { createStores } from '../../lambdas/shared/store/index.js';
import type { OperatorSession } from '../operator/session-types.js';
import type { LocalSession } from './harness/session.js';
import { localCursorKey } from './hosted-links.js';

export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export interface SessionApiOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Added to the API's own SDK clients (call recording in tests). */
  middlewares?: readonly AwsCallMiddleware[];
  /** Where unexpected request errors go (the response says only "internal"). */
  reportError(error: unknown, errorId?: string): void;
  /** Adds the support console's routes (`invoicer console`). */
  console?: ConsoleDeps;
  /**
   * Adds the record import routes, every import recorded as by this caller (loopback has no
   * credentials to tell callers apart; on AWS the caller is the request's IAM principal).
   */
  importsBy?: string;
}

/** The read API over a session's storage (the local stack's, or a deployed stack's), until `close()`. */
export async function serveSessionApi(
  session: Pick<OperatorSession, 'clients' | 'storage'> &
    Partial<Pick<LocalSession, 'clientOptions' | 'dataDir'>>,
  options: SessionApiOptions,
): Promise<ApiServer> {
  // Locally the API gets clients of its own (tests count their calls); on AWS it uses the session's.
  const own = session.clientOptions && createAwsClients(session.clientOptions(options.middlewares ?? []));
  const clients = own ?? session.clients;
  const { invoices, documents, links, deliveries, receivables, records } = createStores(
    clients,
    session.storage,
  );
  const importsBy = options.importsBy;
  const cursorKey = session.dataDir === undefined ? randomBytes(32) : localCursorKey(session.dataDir);
  const imports: ImportDeps | undefined = importsBy
    ? {
        writer: dynamoRecordWriter(clients.dynamodb),
        tables: session.storage.tables,
        operatorLog: s3OperatorLog(documents),
        callerOf: () => importsBy,
        payments: { invoices, records, receivables },
        now: () => new Date(),
      }
    : undefined;
  const server = await startApiServer(
    {
      invoices,
      documents,
      links,
      deliveries,
      receivables,
      operatorLog: s3OperatorLog(documents),
      operator: options.importsBy ?? 'local:read-api',
      documentUrl: presignedDocumentLinks(clients.s3, documents.bucket),
      // Locally the data dir's key; a console on a deployed stack signs its own pages' cursors
      // with a key of its process (they are never handed to the deployed API).
      cursorKey: () => Promise.resolve(cursorKey),
      reportError: options.reportError,
    },
    options.port ?? 0,
    { ...(options.console ? { console: options.console } : {}), ...(imports ? { imports } : {}) },
  );
  return {
    url: server.url,
    async close() {
      await server.close();
      own?.destroy();
    },
  };
}

/** Serves the API on 127.0.0.1:`port` (0: a free port). */
async function startApiServer(
  deps: ApiDeps,
  port: number,
  routes: Parameters<typeof createApiApp>[1],
): Promise<ApiServer> {
  const app = createApiApp(deps, routes);
  let server: ServerType | undefined;
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => resolve(info));
    server.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server?.close((error) => (error ? reject(error) : resolve()))),
  };
}
