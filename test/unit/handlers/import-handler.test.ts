/**
 * The import routes' Lambda app (lambdas/api/import-handler.ts) with fakes for the tables and the
 * operator log: the caller is the IAM principal API Gateway put in the request context, and a
 * request without one is refused before anything is read or written.
 */
import { createImportApp, iamCallerOf } from '../../../lambdas/api/import-handler.js';
import type { OperatorLogEntry } from '../../../lambdas/shared/store/operator-log.js';
import type { RecordWriter } from '../../../lambdas/shared/store/record-writer.js';
import { demoPlans } from '../../../workflows/local/demo/demo-data.js';

const CALLER = 'arn:aws:iam::123456789012:user/billing-sync';

function fakes() {
  const written: Record<string, unknown>[] = [];
  const logged: OperatorLogEntry[] = [];
  const writer: RecordWriter = {
    existing: async () => [],
    write: async (_table, items) => void written.push(...items),
    remove: async () => undefined,
  };
  const app = createImportApp({
    writer,
    tables: { customers: 'Customers', plans: 'Plans', usage: 'Usage', search: 'Search' },
    operatorLog: { record: async (entry) => void logged.push(entry) },
    callerOf: iamCallerOf,
    now: () => new Date('2026-11-30T12:00:00Z'),
    reportError: (error) => {
      throw error;
    },
  });
  return { app, written, logged };
}

const lambdaEnv = (userArn?: string) => ({
  event: {},
  requestContext: { authorizer: userArn ? { iam: { userArn } } : {} },
});

describe('import routes on Lambda', () => {
  const body = demoPlans()
    .slice(0, 2)
    .map((p) => JSON.stringify(p))
    .join('\n');
  const request = { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } };

  it('writes the rows and logs the import as the IAM caller', async () => {
    const { app, written, logged } = fakes();
    const res = await app.request('/v1/imports/plans', request, lambdaEnv(CALLER));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'plans', rows: 2, written: 2, rejected: 0 });
    expect(written).toHaveLength(2);
    expect(logged).toEqual([
      {
        at: '2026-11-30T12:00:00.000Z',
        by: CALLER,
        action: 'import',
        subject: { kind: 'records', table: 'plans' },
        details: { via: 'api', rows: 2, written: 2, unchanged: 0, rejected: 0 },
      },
    ]);
  });

  it('refuses a request that carries no IAM principal, writing nothing', async () => {
    const { app, written, logged } = fakes();
    const res = await app.request('/v1/imports/plans', request, lambdaEnv());
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: 'an import needs an IAM-signed request' },
    });
    expect([written, logged]).toEqual([[], []]);
  });

  it('serves no read route: those belong to the read API function', async () => {
    const { app } = fakes();
    const res = await app.request('/v1/invoices?period=2026-10', {}, lambdaEnv(CALLER));
    expect(res.status).toBe(404);
  });
});
