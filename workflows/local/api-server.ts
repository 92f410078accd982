/**
 * The read API on the local stack: the same Hono app as on Lambda, served by @hono/node-server on
 * loopback only (no authentication here; on AWS the routes need IAM-signed requests).
 */
import { serve, type ServerType } from '@hono/node-server';
import { createApiApp, type ApiDeps } from '../../lambdas/api/app.js';
import type { Stores } from '../../lambdas/shared/store/index.js';
import { presignedDocumentLinks } from '../../lambdas/shared/store/document-links.js';
import type { AwsClients } from '../../lambdas/shared/aws/clients.js';

export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export function localApiDeps(
  stores: Pick<Stores, 'invoices' | 'documents'>,
  clients: Pick<AwsClients, 's3'>,
  reportError: (error: unknown) => void,
): ApiDeps {
  return {
    invoices: stores.invoices,
    documents: stores.documents,
    documentUrl: presignedDocumentLinks(clients.s3, stores.documents.bucket),
    reportError,
  };
}

/** Serves the API on 127.0.0.1:`port` (0: a free port). */
export async function startApiServer(deps: ApiDeps, port = 0): Promise<ApiServer> {
  const app = createApiApp(deps);
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
