/**
 * The two event functions with their parts replaced (the mapper fuzzed with stream records of
 * any shape, prototype-named attributes included) (real ones run in test/workflow/
 * domain-events.test.ts): the mapper stops a batch at a record it cannot map and names it,
 * archiving and publishing what came before; the webhook delivery fans out to the endpoints that
 * take the event, schedules a failed endpoint's retry alone, dead-letters the last attempt, never
 * waits on a slow endpoint to post to the others, and dead-letters what is no webhook message.
 */
import { createServer } from 'node:http';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createHandler as deliverWebhooks } from '../../../lambdas/deliver-webhooks/handler.js';
import {
  createHandler as publishEvents,
  type StreamRecord,
} from '../../../lambdas/publish-events/handler.js';
import type { DomainEvent } from '../../../lambdas/shared/contracts/domain-events.js';
import type { Observability } from '../../../lambdas/shared/handler.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../../lambdas/shared/store/webhooks.js';
import { AWS_ADDRESS_POLICY } from '../../../lambdas/shared/webhooks/address-policy.js';
import type { WebhookAttempt } from '../../../lambdas/shared/webhooks/messages.js';
import { httpWebhookPoster, type PostOutcome } from '../../../lambdas/shared/webhooks/post.js';

const observability = (): Observability => ({
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  metrics: { count: () => undefined, flush: () => undefined },
});

const STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/invoices-table/stream/2026-11-01T00:00:00.000';
const record = (
  sequence: string,
  key: string,
  oldImage: object | undefined,
  newImage: object,
): StreamRecord => ({
  eventSourceARN: STREAM,
  dynamodb: {
    SequenceNumber: sequence,
    ApproximateCreationDateTime: 1_793_000_000,
    Keys: marshall({ invoiceKey: key }),
    NewImage: marshall(newImage),
    ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
  },
});
const row = (n: number, status: string, version: number) => ({
  invoiceKey: `cus_${n}#2026-10`,
  customerId: `cus_${n}`,
  period: '2026-10',
  invoiceNumber: `INV-2026-${String(n).padStart(6, '0')}`,
  status,
  totalMinor: 100,
  currency: 'EUR',
  issueDate: '2026-11-01',
  version,
});

describe('PublishEvents', () => {
  it('archives then publishes the events before a record it cannot map, and names that record', async () => {
    const order: string[] = [];
    const handler = publishEvents({
      observability: observability(),
      tables: { invoices: 'invoices-table', runs: 'runs-table' },
      archive: {
        write: async (events) => (order.push(`archive ${events.map((e) => e.type).join(',')}`), []),
        read: async () => [],
      },
      publish: async (events) => void order.push(`publish ${events.length}`),
    });
    const response = await handler({
      Records: [
        record('1', 'cus_1#2026-10', row(1, 'PENDING', 1), row(1, 'ISSUED', 2)),
        record('2', 'cus_2#2026-10', row(2, 'PENDING', 1), { invoiceKey: 'cus_2#2026-10', status: 'ISSUED' }),
        record('3', 'cus_3#2026-10', row(3, 'PENDING', 1), row(3, 'ISSUED', 2)),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(order).toEqual(['archive invoice.issued', 'publish 1']);
  });

  it('takes any stream record: events, or the record named as failed; never a throw or a polluted prototype', async () => {
    const handler = publishEvents({
      observability: observability(),
      tables: { invoices: 'invoices-table', runs: 'runs-table' },
      archive: { write: async () => [], read: async () => [] },
      publish: async () => undefined,
    });
    const attribute = fc.oneof(
      fc.string().map((S) => ({ S })),
      fc.integer().map((n) => ({ N: String(n) })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: true }),
      fc
        .dictionary(
          fc.constantFrom('__proto__', 'x'),
          fc.string().map((S) => ({ S })),
        )
        .map((M) => ({ M })),
    );
    const image = fc.dictionary(
      fc.oneof(
        fc.constantFrom('invoiceKey', 'status', 'invoiceNumber', 'version', '__proto__', 'constructor'),
        fc.string(),
      ),
      attribute,
    );
    const streamRecord = fc.record(
      {
        eventSourceARN: fc.oneof(fc.constant(STREAM), fc.string()),
        dynamodb: fc.record(
          {
            SequenceNumber: fc.constant('1'),
            ApproximateCreationDateTime: fc.oneof(fc.constant(1_793_000_000), fc.double()),
            Keys: fc.oneof(fc.constant({ invoiceKey: { S: 'cus_1#2026-10' } }), image),
            NewImage: image,
            OldImage: image,
          },
          { requiredKeys: ['SequenceNumber'] },
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(streamRecord, async (record) => {
        const response = await handler({ Records: [record as StreamRecord] });
        expect(response.batchItemFailures.length).toBeLessThanOrEqual(1);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
    );
  });

  it('fails the whole batch when publishing fails (retried with the same ids)', async () => {
    const handler = publishEvents({
      observability: observability(),
      tables: { invoices: 'invoices-table', runs: 'runs-table' },
      archive: { write: async () => [], read: async () => [] },
      publish: async () => {
        throw new Error('SNS is down');
      },
    });
    await expect(
      handler({ Records: [record('1', 'cus_1#2026-10', row(1, 'PENDING', 1), row(1, 'ISSUED', 2))] }),
    ).rejects.toThrow('SNS is down');
  });
});

const EVENT: DomainEvent = {
  id: 'evt_0123456789abcdef0123456789abcdef',
  type: 'invoice.issued',
  schemaVersion: 1,
  timestamp: '2026-11-01T10:00:00.000Z',
  subject: { kind: 'invoice', id: 'INV-2026-000042' },
  sequence: 2,
  data: {
    invoiceNumber: 'INV-2026-000042',
    customerId: 'c',
    period: '2026-10',
    status: 'ISSUED',
    totalMinor: 1,
    currency: 'EUR',
    issueDate: '2026-11-01',
  },
};
const endpoint = (id: string, extra: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id,
  url: `https://${id}.example.com/hook`,
  eventTypes: [],
  enabled: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'test',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  ...extra,
});

function delivery(options: {
  endpoints: WebhookEndpoint[];
  post: (url: string) => Promise<PostOutcome>;
  delays?: number[];
}) {
  const sent: { attempt: WebhookAttempt; delay: number }[] = [];
  const dead: unknown[] = [];
  const log: WebhookDelivery[] = [];
  const handler = deliverWebhooks({
    observability: observability(),
    endpoints: {
      list: async () => options.endpoints,
      get: async (id) => options.endpoints.find((e) => e.id === id),
      logDelivery: async (d) => void log.push(d),
    },
    post: (url) => options.post(url),
    queue: {
      send: async (attempt, delay) => void sent.push({ attempt, delay }),
      deadLetter: async (attempt) => void dead.push(attempt),
      deadLetterRaw: async (body) => void dead.push(body),
    },
    now: () => new Date('2026-11-01T10:00:00.000Z'),
    ...(options.delays ? { retryDelaysSeconds: options.delays } : {}),
  });
  return { handler, sent, dead, log };
}

describe('DeliverWebhooks', () => {
  it('posts to the endpoints that take the event, and schedules only the failed one again', async () => {
    const posted: string[] = [];
    const d = delivery({
      endpoints: [
        endpoint('ok'),
        endpoint('down'),
        endpoint('filtered', { eventTypes: ['run.finished'] }),
        endpoint('off', { enabled: false }),
      ],
      post: async (url) => (posted.push(url), { status: url.includes('down') ? 500 : 200, durationMs: 1 }),
    });
    expect(await d.handler({ Records: [{ messageId: 'm1', body: JSON.stringify(EVENT) }] })).toEqual({
      batchItemFailures: [],
    });
    expect(posted.sort()).toEqual(['https://down.example.com/hook', 'https://ok.example.com/hook']);
    expect(d.sent).toEqual([
      {
        attempt: expect.objectContaining({
          endpointId: 'down',
          attempt: 2,
          dueAt: '2026-11-01T10:00:05.000Z',
        }),
        delay: 5,
      },
    ]);
    expect(d.log.map((l) => [l.endpointId, l.ok, l.status])).toEqual(
      expect.arrayContaining([
        ['ok', true, 200],
        ['down', false, 500],
      ]),
    );
  });

  it('waits out a long delay in steps of 15 minutes, and dead-letters the last attempt', async () => {
    const d = delivery({
      endpoints: [endpoint('down')],
      post: async () => ({ error: 'refused', durationMs: 1 }),
      delays: [3_600],
    });
    const first = { kind: 'webhook.attempt', endpointId: 'down', attempt: 1, event: EVENT };
    await d.handler({ Records: [{ messageId: 'm1', body: JSON.stringify(first) }] });
    expect(d.sent[0]).toMatchObject({
      delay: 900,
      attempt: { attempt: 2, dueAt: '2026-11-01T11:00:00.000Z' },
    });
    // Not due yet: sent on, not posted.
    await d.handler({ Records: [{ messageId: 'm2', body: JSON.stringify(d.sent[0]!.attempt) }] });
    expect(d.sent[1]).toMatchObject({ delay: 900, attempt: { attempt: 2 } });
    expect(d.log).toHaveLength(1);
    const due = { ...d.sent[0]!.attempt, dueAt: '2026-11-01T09:00:00.000Z' };
    await d.handler({ Records: [{ messageId: 'm3', body: JSON.stringify(due) }] });
    expect(d.dead).toEqual([expect.objectContaining({ endpointId: 'down', attempt: 2 })]);
    expect(d.log.at(-1)).toMatchObject({ ok: false, deadLettered: true, error: 'refused' });
  });

  it('posts to the others while a slow endpoint has not answered', async () => {
    let answerSlow: (o: PostOutcome) => void = () => undefined;
    const posted: string[] = [];
    const d = delivery({
      endpoints: [endpoint('slow'), endpoint('fast')],
      post: (url) => {
        posted.push(url);
        return url.includes('slow')
          ? new Promise<PostOutcome>((resolve) => (answerSlow = resolve))
          : Promise.resolve({ status: 204, durationMs: 1 });
      },
    });
    const handled = d.handler({ Records: [{ messageId: 'm1', body: JSON.stringify(EVENT) }] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(d.log.map((l) => l.endpointId)).toEqual(['fast']);
    answerSlow({ status: 200, durationMs: 10_000 });
    await handled;
    expect(d.log.map((l) => l.endpointId).sort()).toEqual(['fast', 'slow']);
  });

  it('dead-letters a message that is no webhook message instead of failing it', async () => {
    const d = delivery({ endpoints: [endpoint('ok')], post: async () => ({ status: 200, durationMs: 1 }) });
    expect(await d.handler({ Records: [{ messageId: 'm1', body: '{"__proto__":{}}' }] })).toEqual({
      batchItemFailures: [],
    });
    expect(d.dead).toEqual(['{"__proto__":{}}']);
  });
});

describe('the webhook POST on AWS', () => {
  it('refuses a host that resolves to a loopback address, before connecting', async () => {
    let connections = 0;
    const server = createServer((_req, res) => (connections++, res.end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const outcome = await httpWebhookPoster(AWS_ADDRESS_POLICY, 2_000)(
        `http://localhost:${port}/`,
        {},
        '{}',
      );
      expect(outcome.error).toMatch(/non-public address/);
      expect(connections).toBe(0);
      const local = await httpWebhookPoster({ allowPrivate: true }, 2_000)(
        `http://localhost:${port}/`,
        {},
        '{}',
      );
      expect(local.status).toBe(200);
    } finally {
      server.close();
    }
  });
});
