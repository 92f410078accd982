/**
 * `npm run bench:events -- [--customers N] [--concurrency N] [--json FILE]`: the change stream and
 * the webhooks under a billing run, on fresh local stacks:
 *   1. the run alone (nothing reads the streams while it runs): its invoices per second;
 *   2. the same run with a loopback webhook endpoint and the event pipeline polling every second
 *      alongside (as `invoicer local up` does; on AWS the mapper and delivery Lambdas run beside
 *      the run): its invoices per second, then how long after the run's end every event was
 *      archived and every one delivered, the events per type, and the delivery latency (the
 *      endpoint's receipt minus the write's time) p50 / p95;
 *   3. a replay of the last hour to that endpoint: events, time to queue and deliver them.
 * Prints one table; `--json FILE` also writes every figure as one JSON document.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { MAX_CONCURRENCY_RANGE } from '../lambdas/shared/config.js';
import type { DomainEvent } from '../lambdas/shared/contracts/domain-events.js';
import { parseStoredJson } from '../lambdas/shared/edge/safe-json.js';
import { addEndpoint, replayEvents } from '../lambdas/shared/operations/webhook-admin.js';
import { runLocalBilling } from '../workflows/local/harness/billing-run.js';
import { defaultWorkerThreads } from '../workflows/local/harness/lambda-pool.js';
import type { LocalSession } from '../workflows/local/harness/session.js';
import { withFreshSession } from './bench/fresh-session.js';
import { table } from './cli/format.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';

const opts = new Command('bench-events')
  .option('--customers <n>', 'demo customers of the billing run', integerOption(1, 100_000), 1000)
  .option('--concurrency <n>', 'customers in flight', integerOption(...MAX_CONCURRENCY_RANGE), 40)
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{ customers: number; concurrency: number; json?: string }>();

const PERIOD = '2026-10';
const POLL_MS = 1_000;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

const withSession = <T>(work: (session: LocalSession) => Promise<T>): Promise<T> =>
  withFreshSession('bench-events', work);

const bill = (session: LocalSession) =>
  runLocalBilling(session, {
    period: PERIOD,
    demoCustomers: opts.customers,
    maxConcurrency: opts.concurrency,
    workerThreads: defaultWorkerThreads(),
  });

/** A loopback endpoint noting when each event id first arrived. */
async function loopbackEndpoint() {
  const firstSeen = new Map<string, { at: number; event: DomainEvent }>();
  let posts = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts += 1;
      const event = parseStoredJson(Buffer.concat(chunks), 'webhook body') as DomainEvent;
      if (!firstSeen.has(event.id)) firstSeen.set(event.id, { at: Date.now(), event });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    firstSeen,
    posts: () => posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const alone = await withSession(bill);

const withEvents = await withSession(async (session) => {
  const events = session.events!;
  const endpoint = await loopbackEndpoint();
  await addEndpoint(events, { url: endpoint.url, eventTypes: [], by: 'bench' });
  // The pipeline beside the run, as the local service's poller runs it.
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await events.deliverEvents!();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const run = await bill(session);
  const runEnded = Date.now();
  polling = false;
  await poller;
  // Drained: one more turn reads the streams to their end.
  await events.deliverEvents!();
  const archivedAfterMs = Date.now() - runEnded;
  const range = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };
  const archived = await events.archive.read(range);
  while (endpoint.firstSeen.size < archived.length) await events.deliverEvents!();
  const deliveredAfterMs = Date.now() - runEnded;
  const perType: Record<string, number> = {};
  for (const e of archived) perType[e.type] = (perType[e.type] ?? 0) + 1;
  const latencies = [...endpoint.firstSeen.values()].map(({ at, event }) => at - Date.parse(event.timestamp));

  // The replay of the last hour: queued as attempts, delivered by the same function.
  const postsBefore = endpoint.posts();
  const replayStarted = Date.now();
  const replayed = await replayEvents(events, range);
  const queuedMs = Date.now() - replayStarted;
  while (endpoint.posts() - postsBefore < replayed.attempts) await events.deliverEvents!();
  const replayMs = Date.now() - replayStarted;
  await endpoint.close();
  return {
    run,
    events: archived.length,
    perType,
    archivedAfterMs,
    deliveredAfterMs,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: percentile(latencies, 100),
    },
    replay: { events: replayed.events, attempts: replayed.attempts, queuedMs, deliveredMs: replayMs },
  };
});

const report = {
  settings: { customers: opts.customers, concurrency: opts.concurrency, pollMs: POLL_MS },
  runAlone: { issued: alone.issued, invoicesPerSecond: Number(alone.invoicesPerSecond.toFixed(1)) },
  runWithEvents: {
    issued: withEvents.run.issued,
    invoicesPerSecond: Number(withEvents.run.invoicesPerSecond.toFixed(1)),
    events: withEvents.events,
    perType: withEvents.perType,
    allArchivedSecondsAfterRun: withEvents.archivedAfterMs / 1000,
    allDeliveredSecondsAfterRun: withEvents.deliveredAfterMs / 1000,
    deliveryLatencyMs: withEvents.latencyMs,
  },
  replayOfOneHour: withEvents.replay,
};
if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
const rows: string[][] = [
  ['run alone', `${report.runAlone.issued} invoices, ${report.runAlone.invoicesPerSecond} invoices/s`],
  [
    'run with events',
    `${report.runWithEvents.issued} invoices, ${report.runWithEvents.invoicesPerSecond} invoices/s`,
  ],
  [
    '  events',
    `${report.runWithEvents.events}: ${Object.entries(report.runWithEvents.perType)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  ],
  ['  all archived', `${report.runWithEvents.allArchivedSecondsAfterRun.toFixed(1)} s after the run`],
  ['  all delivered', `${report.runWithEvents.allDeliveredSecondsAfterRun.toFixed(1)} s after the run`],
  [
    '  latency',
    `p50 ${withEvents.latencyMs.p50} ms, p95 ${withEvents.latencyMs.p95} ms, max ${withEvents.latencyMs.max} ms`,
  ],
  [
    'replay 1 hour',
    `${withEvents.replay.events} events, ${withEvents.replay.attempts} deliveries: queued in ${(withEvents.replay.queuedMs / 1000).toFixed(1)} s, delivered in ${(withEvents.replay.deliveredMs / 1000).toFixed(1)} s`,
  ],
];
print(false, report, () => table(['figure', 'value'], rows));
