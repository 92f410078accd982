/**
 * The local Step Functions endpoint: the AWS JSON 1.0 protocol over HTTP (POST /, header
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, JSON in and out, errors as `{"__type", "message"}`),
 * so `@aws-sdk/client-sfn` talks to it as to AWS. Requests are not signature-checked (loopback only).
 * `localRoutes` adds the local stack's own JSON routes under /_invoicer/ (not an AWS API).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LocalStepFunctions } from './service.js';
import { SfnApiError } from './service.js';

export type LocalRoute = (
  body: Record<string, unknown>,
  query: URLSearchParams,
) => Promise<unknown> | unknown;

export interface StepFunctionsServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

const OPERATIONS: Record<string, (service: LocalStepFunctions, body: never) => unknown> = {
  StartExecution: (s, b) => s.startExecution(b),
  DescribeExecution: (s, b) => s.describeExecution(b),
  ListExecutions: (s, b) => s.listExecutions(b),
  GetExecutionHistory: (s, b) => s.getExecutionHistory(b),
  StopExecution: (s, b) => s.stopExecution(b),
  RedriveExecution: (s, b) => s.redriveExecution(b),
  ListMapRuns: (s, b) => s.listMapRuns(b),
  DescribeMapRun: (s, b) => s.describeMapRun(b),
};

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SfnApiError('SerializationException', 'the request body is not JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown, contentType: string): void {
  const text = JSON.stringify(body ?? {});
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Serves the API on 127.0.0.1:`port` (0: a free port) until `close()`. */
export async function startStepFunctionsServer(
  service: LocalStepFunctions,
  options: {
    port?: number;
    localRoutes?: Record<string, LocalRoute>;
    reportError?: (error: unknown) => void;
  } = {},
): Promise<StepFunctionsServer> {
  const contentType = 'application/x-amz-json-1.0';
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (url.pathname.startsWith('/_invoicer/')) {
          const route = options.localRoutes?.[url.pathname.slice('/_invoicer/'.length)];
          if (!route)
            return send(response, 404, { message: `no local route ${url.pathname}` }, 'application/json');
          const body = request.method === 'POST' ? await readBody(request) : {};
          return send(response, 200, await route(body, url.searchParams), 'application/json');
        }
        const target = String(request.headers['x-amz-target'] ?? '');
        const operation = OPERATIONS[target.replace(/^AWSStepFunctions\./, '')];
        if (request.method !== 'POST' || !operation)
          throw new SfnApiError('UnknownOperationException', `unsupported operation: ${target || 'none'}`);
        const body = await readBody(request);
        send(response, 200, await operation(service, body as never), contentType);
      } catch (error) {
        if (error instanceof SfnApiError)
          return send(response, error.status, { __type: error.type, message: error.message }, contentType);
        options.reportError?.(error);
        send(response, 500, { __type: 'InternalFailure', message: (error as Error).message }, contentType);
      }
    })();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
