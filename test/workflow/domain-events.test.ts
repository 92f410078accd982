/**
 * The change stream and the webhooks on the real local stack: DynamoDB Local's streams read with
 * the event source mapping's semantics, the real mapper, fauxqs's events topic and webhook queue,
 * the real delivery function POSTing over HTTP to endpoints here. Across a run with a Compensate,
 * a re-run, a credit note and a replace, each document's transitions are archived and delivered
 * exactly once by id, in sequence order; a consumer verifies every signature with the Standard
 * Webhooks library. Faults: an endpoint answering 500 then 200, one down for the whole run, a
 * mapper crash mid-batch, a stack killed between batches, a poison record: nothing is lost, and
 * no change ever reaches anyone under two ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { createHandler as publishEvents, type StreamEvent } from '../../lambdas/publish-events/handler.js';
import { snsEventPublisher } from '../../lambdas/shared/aws/events-topic.js';
import {
  DOMAIN_EVENT_TYPE,
  type DomainEvent,
  type DomainEventType,
} from '../../lambdas/shared/contracts/domain-events.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { addEndpoint, replayEvents } from '../../lambdas/shared/operations/webhook-admin.js';
import { s3EventArchive } from '../../lambdas/shared/store/event-archive.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { parseFaultSpec } from '../../workflows/local/faults.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { localObservability } from '../../workflows/local/harness/observability.js';
import type { EventsAccess } from '../../workflows/operator/session-types.js';
import { pollChangeStreams } from '../../workflows/local/stream-mapping.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
const by = 'test@domain-events';
const SOON = () => ({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });

interface Received {
  event: DomainEvent;
  webhookId: string;
}

/** An endpoint on this machine that verifies each signature and answers as `answer` says. */
async function consumer(answer: (event: DomainEvent, seen: number) => number) {
  const received: Received[] = [];
  const failures: string[] = [];
  const seen = new Map<string, number>();
  let secret = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const event = new Webhook(secret).verify(body, req.headers as Record<string, string>) as DomainEvent;
        const count = (seen.get(event.id) ?? 0) + 1;
        seen.set(event.id, count);
        const status = answer(event, count);
        if (status < 300) received.push({ event, webhookId: String(req.headers['webhook-id']) });
        res.writeHead(status).end();
      } catch (error) {
        failures.push((error as Error).message);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    failures,
    setSecret: (s: string) => (secret = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Consumer = Awaited<ReturnType<typeof consumer>>;

let f: BillingFixture;
let events: EventsAccess;
let healthy: Consumer;
let flaky: Consumer;
let late: Consumer;
let lateIsUp = false;
let archived: DomainEvent[];
let victim: string;

/** One turn of the local stream and webhooks, repeated until `done` holds (retries are delayed 1 s). */
async function deliverUntil(done: () => boolean, turns = 40): Promise<void> {
  for (let turn = 0; turn < turns && !done(); turn++) {
    await events.deliverEvents!();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  f = await openBillingFixture('domain-events', {
    events: { webhookRetryDelaysSeconds: [1, 1, 1, 1, 1, 1], webhookTimeoutMs: 2_000 },
  });
  events = f.session.events!;
  healthy = await consumer(() => 204);
  flaky = await consumer((_event, seen) => (seen === 1 ? 500 : 200));
  late = await consumer(() => (lateIsUp ? 200 : 503));
  for (const c of [healthy, flaky, late])
    c.setSecret((await addEndpoint(events, { url: c.url, eventTypes: [], by })).secret);

  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 6, PERIOD);
  victim = demoCustomers(6).find((c) => c.status === 'active')!.customerId;
  await runLocalBilling(f.session, {
    period: PERIOD,
    retryIntervalMs: 1,
    toleratedFailurePercentage: 100,
    faults: { rules: parseFaultSpec(`render:permanent:customer=${victim}`), seed: 1 },
  });
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  const issued = (await f.invoices(PERIOD)).filter(
    (r) => r.status === 'NOTIFIED' && r.documentType !== 'credit_note',
  );
  await f.session.creditInvoice({
    invoiceNumber: issued[0]!.invoiceNumber,
    reason: 'Outage',
    amount: '1.00',
    by,
  });
  await f.session.replaceInvoice({ invoiceNumber: issued[1]!.invoiceNumber, reason: 'Wrong address', by });
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  await f.session.deliverEmails();
  archived = await events.archive.read(SOON());
  // The late endpoint comes up after the run: its retries deliver what it missed.
  lateIsUp = true;
  await deliverUntil(() => new Set(late.received.map((r) => r.event.id)).size >= archived.length);
}, 180_000);

afterAll(async () => {
  await Promise.all([healthy, flaky, late].map((c) => c?.close()));
  await f?.cleanup();
});

const bySubject = (list: DomainEvent[]) => {
  const map = new Map<string, DomainEvent[]>();
  for (const e of list) map.set(e.subject.id, [...(map.get(e.subject.id) ?? []), e]);
  return map;
};

describe('domain events over the local stack', () => {
  it('archives each transition of each document once, in sequence order', async () => {
    const rows = await f.session.listInvoices({ period: PERIOD });
    const invoices = rows.filter((r) => r.documentType !== 'credit_note' && r.status !== 'VOID');
    const voided = rows.filter((r) => r.status === 'VOID');
    const notes = rows.filter((r) => r.documentType === 'credit_note' && r.status === 'NOTIFIED');
    const replaced = invoices.filter((r) => r.replacedAt !== undefined);
    expect([voided.length, notes.length, replaced.length]).toEqual([1, 2, 1]);
    const subjects = bySubject(archived);
    for (const row of invoices) {
      const expected: DomainEventType[] = [DOMAIN_EVENT_TYPE.invoiceIssued, DOMAIN_EVENT_TYPE.invoiceSent];
      // Credited in full: nothing is open any more (its payment status moved), then set aside.
      if (row.replacedAt !== undefined)
        expected.push(DOMAIN_EVENT_TYPE.invoicePaymentStatusChanged, DOMAIN_EVENT_TYPE.invoiceReplaced);
      const got = subjects.get(row.invoiceNumber) ?? [];
      expect(got.map((e) => e.type)).toEqual(expected);
      const sequences = got.map((e) => e.sequence);
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
      expect(new Set(sequences).size).toBe(sequences.length);
    }
    for (const row of voided)
      expect(subjects.get(row.invoiceNumber)?.map((e) => e.type)).toEqual([
        DOMAIN_EVENT_TYPE.invoiceNumberVoided,
      ]);
    for (const row of notes)
      expect(subjects.get(row.invoiceNumber)?.map((e) => e.type)).toEqual([
        DOMAIN_EVENT_TYPE.creditNoteIssued,
        DOMAIN_EVENT_TYPE.creditNoteSent,
      ]);
    const runs = archived.filter((e) => e.subject.kind === 'run');
    expect(runs.filter((e) => e.type === DOMAIN_EVENT_TYPE.runStarted)).toHaveLength(3);
    expect(runs.filter((e) => e.type === DOMAIN_EVENT_TYPE.runFinished)).toHaveLength(3);
    // Nothing else: every archived event is one of those.
    const documents = new Set([...invoices, ...voided, ...notes].map((r) => r.invoiceNumber));
    expect(archived.filter((e) => e.subject.kind !== 'run' && !documents.has(e.subject.id))).toEqual([]);
  });

  it('delivers every archived event to each endpoint under its own id, signatures verified', () => {
    const ids = new Set(archived.map((e) => e.id));
    for (const c of [healthy, flaky, late]) {
      expect(c.failures).toEqual([]);
      for (const r of c.received) expect(r.webhookId).toBe(r.event.id);
      expect(new Set(c.received.map((r) => r.event.id))).toEqual(ids);
      // At least once, never under two ids: one id per (subject, type, sequence).
      const keys = new Map<string, string>();
      for (const { event } of c.received) {
        const key = `${event.subject.id}|${event.type}|${event.sequence}`;
        expect(keys.get(key) ?? event.id).toBe(event.id);
        keys.set(key, event.id);
      }
    }
    // The healthy endpoint got each once; the flaky one after a 500; the late one by retries.
    expect(healthy.received).toHaveLength(archived.length);
  });

  it('logs every attempt per endpoint, failed ones with their answer', async () => {
    const endpoints = await events.webhooks.list();
    const flakyEndpoint = endpoints.find((e) => e.url === flaky.url)!;
    const failed = await events.webhooks.deliveries(flakyEndpoint.id, { failedOnly: true, limit: 1000 });
    expect(failed.length).toBe(archived.length);
    expect(failed.every((d) => d.status === 500 && d.attempt === 1)).toBe(true);
    const ok = (
      await events.webhooks.deliveries(flakyEndpoint.id, { failedOnly: false, limit: 1000 })
    ).filter((d) => d.ok);
    expect(ok.every((d) => d.attempt === 2 && d.status === 200)).toBe(true);
  });

  it('replays a time range to one endpoint with the same ids', async () => {
    const endpoint = (await events.webhooks.list()).find((e) => e.url === healthy.url)!;
    const before = healthy.received.length;
    const result = await replayEvents(events, {
      ...SOON(),
      endpointId: endpoint.id,
      types: [DOMAIN_EVENT_TYPE.invoiceIssued],
    });
    await events.deliverEvents!();
    const issued = archived.filter((e) => e.type === DOMAIN_EVENT_TYPE.invoiceIssued);
    expect(result).toMatchObject({
      events: issued.length,
      attempts: issued.length,
      endpoints: [endpoint.id],
    });
    expect(
      healthy.received
        .slice(before)
        .map((r) => r.event.id)
        .sort(),
    ).toEqual(issued.map((e) => e.id).sort());
  });

  it('loses nothing to a mapper crash mid-batch or a stack killed between batches', async () => {
    const { stack } = f.session;
    const dir = mkdtempSync(join(tmpdir(), 'domain-events-stream-'));
    const streams = new DynamoDBStreamsClient(stack.clientConfig.dynamodb);
    const documents = f.session.stores.documents;
    // A second archive of the same stream, from the start, under its own prefix-free check: the
    // mapper writes the same ids, so the archive (read by id) must come out the same.
    const mapper = publishEvents({
      observability: localObservability(),
      tables: { invoices: stack.resources.tables.Invoices, runs: stack.resources.tables.Runs },
      archive: s3EventArchive(documents),
      publish: snsEventPublisher(stack.clients.sns, stack.resources.topics.domainEvents),
    });
    let calls = 0;
    const crashing = async (event: StreamEvent) => {
      calls += 1;
      // The first invocation of every fourth batch crashes (bisected and retried by the mapping).
      if (calls % 4 === 1 && event.Records.length > 1) throw new Error('mapper crashed');
      return mapper(event);
    };
    class Killed extends Error {}
    const options = {
      dynamodb: stack.clients.dynamodb,
      streams,
      tables: [stack.resources.tables.Invoices, stack.resources.tables.Runs],
      checkpointFile: join(dir, 'checkpoints.json'),
      batchSize: 7,
      onFailure: async () => {
        throw new Killed('the stack was killed');
      },
    };
    try {
      let batches = 0;
      // Killed after the third batch: what was checkpointed stays done, the rest is read again.
      await expect(
        pollChangeStreams({
          ...options,
          retryAttempts: 0,
          invoke: async (event) => {
            batches += 1;
            if (batches >= 4) throw new Error('power cut');
            return mapper(event);
          },
        }),
      ).rejects.toBeInstanceOf(Killed);
      const resumed = await pollChangeStreams({ ...options, invoke: crashing });
      expect(resumed.failedRecords).toBe(0);
      expect(resumed.invocations).toBeGreaterThan(Math.ceil(resumed.records / 7));
      const after = await events.archive.read(SOON());
      expect(new Set(after.map((e) => e.id))).toEqual(new Set([...archived, ...after].map((e) => e.id)));
      for (const e of archived) expect(after.some((a) => a.id === e.id)).toBe(true);
    } finally {
      streams.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a poison record whole for support and goes on with the rest', async () => {
    const table = f.session.stack.resources.tables.Invoices;
    // A row shaped like an invoice but not one (no number, no totals): the mapper cannot map it.
    await f.session.clients.dynamodb.send(
      new PutCommand({
        TableName: table,
        Item: { invoiceKey: 'poison#2026-09', status: 'ISSUED', version: 1 },
      }),
    );
    await f.session.replaceInvoice({
      invoiceNumber: (await f.invoices(PERIOD)).find(
        (r) => r.status === 'NOTIFIED' && r.documentType !== 'credit_note' && r.replacedAt === undefined,
      )!.invoiceNumber,
      reason: 'After the poison',
      by,
    });
    const round = await events.deliverEvents!();
    expect(round.stream.failedRecords).toBe(1);
    const kept = await f.session.stores.documents.list(s3Keys.eventFailuresPrefix);
    expect(kept).toHaveLength(1);
    expect((await f.session.stores.documents.getBytes(kept[0]!)).toString()).toContain('poison#2026-09');
    const now = await events.archive.read(SOON());
    expect(now.filter((e) => e.type === DOMAIN_EVENT_TYPE.invoiceReplaced)).toHaveLength(2);
  });
});
