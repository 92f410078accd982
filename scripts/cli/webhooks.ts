/**
 * `invoicer webhooks add|list|disable|rotate-secret|deliveries`: the owner's endpoints for domain
 * events. A secret is printed once, when made; nothing prints it again.
 */
import { Command } from 'commander';
import { EVENT_TYPE_WIDTH } from '../../lambdas/shared/contracts/domain-events.js';
import {
  addEndpoint,
  checkEndpointId,
  disableEndpoint,
  parseEventTypes,
  rotateEndpointSecret,
} from '../../lambdas/shared/operations/webhook-admin.js';
import type { WebhookDelivery, WebhookEndpointView } from '../../lambdas/shared/store/webhooks.js';
import { endpointView } from '../../lambdas/shared/store/webhooks.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { eventsOf } from './events.js';
import { integerOption } from './options.js';
import { print } from './output.js';
import { withSession } from './target.js';

const sessionOptions = (command: Command): Command =>
  command.addOption(dataDirOption()).addOption(targetOption()).addOption(stackOption());

export const formatEndpoint = (e: WebhookEndpointView): string =>
  `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.url}  ${e.eventTypes.length === 0 ? 'all events' : e.eventTypes.join(',')}${e.description ? `  "${e.description}"` : ''}`;

export const formatDelivery = (d: WebhookDelivery): string =>
  `${d.at}  ${d.endpointId}  ${d.eventType.padEnd(EVENT_TYPE_WIDTH)} ${d.eventId}  attempt ${d.attempt}  ${d.ok ? 'ok' : 'FAILED'} ${d.status ?? d.error ?? ''}  ${d.durationMs} ms${d.replay ? '  replay' : ''}${d.deadLettered ? '  dead-lettered' : ''}`;

export function webhooksCommand(): Command {
  const webhooks = new Command('webhooks').description(
    "the owner's webhook endpoints: add, list, disable, rotate-secret, deliveries",
  );
  sessionOptions(
    webhooks
      .command('add')
      .description(
        'add an endpoint (HTTPS; on the local stack also http://127.0.0.1); prints its secret once',
      )
      .argument('<url>', 'where events are POSTed')
      .option('--events <types>', 'only these event types (comma-separated; default all)')
      .option('--description <text>', 'what it is (shown in lists)')
      .option('--json', 'print one JSON object: {endpoint, secret}'),
  ).action(async (url: string, opts) => {
    const eventTypes = parseEventTypes(opts.events, '--events');
    const added = await withSession(opts, (s) =>
      addEndpoint(eventsOf(s), {
        url,
        eventTypes,
        by: s.operator,
        ...(opts.description ? { description: opts.description } : {}),
      }),
    );
    print(opts.json, added, () =>
      [
        formatEndpoint(added.endpoint),
        `secret: ${added.secret}`,
        '(shown once: keep it where your endpoint verifies signatures)',
      ].join('\n'),
    );
  });
  sessionOptions(
    webhooks
      .command('list')
      .description('the endpoints (never their secrets)')
      .option('--json', 'print one JSON object: {endpoints}'),
  ).action(async (opts) => {
    const endpoints = await withSession(opts, async (s) =>
      (await eventsOf(s).webhooks.list()).map(endpointView),
    );
    print(opts.json, { endpoints }, () =>
      endpoints.length === 0 ? 'no webhook endpoints' : endpoints.map(formatEndpoint).join('\n'),
    );
  });
  sessionOptions(
    webhooks
      .command('disable')
      .description('stop sending to an endpoint')
      .argument('<id>', 'endpoint id (ep_...)')
      .option('--json', 'print one JSON object: {endpoint}'),
  ).action(async (id: string, opts) => {
    const endpoint = await withSession(opts, (s) => disableEndpoint(eventsOf(s), id));
    print(opts.json, { endpoint }, () => formatEndpoint(endpoint));
  });
  sessionOptions(
    webhooks
      .command('rotate-secret')
      .description('give an endpoint a new secret (printed once); the old one also signs for 24 hours')
      .argument('<id>', 'endpoint id (ep_...)')
      .option('--json', 'print one JSON object: {endpoint, secret, previousValidUntil}'),
  ).action(async (id: string, opts) => {
    const rotated = await withSession(opts, (s) => rotateEndpointSecret(eventsOf(s), id));
    print(opts.json, rotated, () =>
      [
        formatEndpoint(rotated.endpoint),
        `secret: ${rotated.secret}`,
        `the old secret signs too until ${rotated.previousValidUntil}`,
      ].join('\n'),
    );
  });
  sessionOptions(
    webhooks
      .command('deliveries')
      .description('the delivery log: each attempt with its response code and time (kept 30 days)')
      .option('--endpoint <id>', 'only this endpoint (default: all)')
      .option('--failed', 'only attempts that failed')
      .option('--limit <n>', 'the newest n attempts per endpoint (default 100)', integerOption(1, 10_000))
      .option('--json', 'print one JSON object: {deliveries}'),
  ).action(async (opts) => {
    const endpointId = opts.endpoint === undefined ? undefined : checkEndpointId(opts.endpoint);
    const deliveries = await withSession(opts, async (s) => {
      const access = eventsOf(s);
      await access.deliverEvents?.();
      const ids = endpointId ? [endpointId] : (await access.webhooks.list()).map((e) => e.id);
      const lists = await Promise.all(
        ids.map((id) =>
          access.webhooks.deliveries(id, { failedOnly: Boolean(opts.failed), limit: opts.limit ?? 100 }),
        ),
      );
      return lists.flat().sort((a, b) => a.at.localeCompare(b.at));
    });
    print(opts.json, { deliveries }, () =>
      deliveries.length === 0 ? 'no deliveries' : deliveries.map(formatDelivery).join('\n'),
    );
  });
  return webhooks;
}
