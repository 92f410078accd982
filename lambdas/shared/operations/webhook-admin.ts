/**
 * Support staff's work on webhooks and events, the same on both targets (the CLI and the console
 * call it): endpoints added with a secret shown once, disabled, their secret rotated; the event
 * archive listed; and a replay, which puts the archived events of a time range back on the
 * webhook queue as attempts for the endpoints that take them, with the same ids as the first time.
 */
import { randomBytes } from 'node:crypto';
import {
  DOMAIN_EVENT_TYPES,
  WEBHOOK_SECRET_OVERLAP_HOURS,
  isDomainEventType,
  type DomainEvent,
  type DomainEventType,
} from '../contracts/domain-events.js';
import { InvalidInputError } from '../errors.js';
import { mapLimited } from '../map-limited.js';
import type { EventArchive } from '../store/event-archive.js';
import { endpointView, type WebhookEndpointView, type WebhookStore } from '../store/webhooks.js';
import { checkWebhookUrl, type AddressPolicy } from '../webhooks/address-policy.js';
import { endpointTakes } from '../webhooks/endpoint-rules.js';
import { ATTEMPT_KIND } from '../webhooks/messages.js';
import type { WebhookQueue } from '../webhooks/queue.js';
import { newWebhookSecret } from '../webhooks/signing.js';

export interface WebhookAdminDeps {
  webhooks: WebhookStore;
  archive: EventArchive;
  queue: WebhookQueue;
  addressPolicy: AddressPolicy;
  now: () => Date;
}

const MAX_DESCRIPTION = 200;

/** `--events a,b`: each a known event type; empty or absent: all of them. */
export function parseEventTypes(raw: string | undefined, where: string): DomainEventType[] {
  if (raw === undefined || raw.trim() === '') return [];
  const types = [
    ...new Set(
      raw
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ];
  const unknown = types.filter((t) => !isDomainEventType(t));
  if (unknown.length > 0)
    throw new InvalidInputError(
      `unknown event type ${unknown.join(', ')} (one of: ${DOMAIN_EVENT_TYPES.join(', ')})`,
      where,
    );
  return types as DomainEventType[];
}

export const ENDPOINT_ID_PATTERN = /^ep_[0-9a-f]{16}$/;

export function checkEndpointId(id: string): string {
  if (!ENDPOINT_ID_PATTERN.test(id))
    throw new InvalidInputError(
      `${JSON.stringify(id.slice(0, 40))} is not an endpoint id (ep_ and 16 hex digits)`,
      'endpoint',
    );
  return id;
}

export async function addEndpoint(
  deps: WebhookAdminDeps,
  request: { url: string; eventTypes: DomainEventType[]; description?: string; by: string },
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const url = checkWebhookUrl(request.url, deps.addressPolicy);
  if (request.description !== undefined && request.description.length > MAX_DESCRIPTION)
    throw new InvalidInputError(`longer than ${MAX_DESCRIPTION} characters`, 'description');
  const secret = newWebhookSecret();
  const endpoint = {
    id: `ep_${randomBytes(8).toString('hex')}`,
    url: url.href,
    eventTypes: request.eventTypes,
    enabled: true,
    createdAt: deps.now().toISOString(),
    createdBy: request.by,
    secret,
    ...(request.description ? { description: request.description } : {}),
  };
  await deps.webhooks.add(endpoint);
  return { endpoint: endpointView(endpoint), secret };
}

async function existing(deps: WebhookAdminDeps, id: string) {
  const endpoint = await deps.webhooks.get(checkEndpointId(id));
  if (endpoint === undefined)
    throw new InvalidInputError(`no webhook endpoint ${id} (see: invoicer webhooks list)`, 'endpoint');
  return endpoint;
}

export async function disableEndpoint(deps: WebhookAdminDeps, id: string): Promise<WebhookEndpointView> {
  const endpoint = await existing(deps, id);
  const at = deps.now().toISOString();
  await deps.webhooks.disable(endpoint.id, at);
  return endpointView({ ...endpoint, enabled: false, disabledAt: at });
}

/** A new secret, shown once; the old one keeps signing for WEBHOOK_SECRET_OVERLAP_HOURS. */
export async function rotateEndpointSecret(
  deps: WebhookAdminDeps,
  id: string,
): Promise<{ endpoint: WebhookEndpointView; secret: string; previousValidUntil: string }> {
  const endpoint = await existing(deps, id);
  const secret = newWebhookSecret();
  const until = new Date(deps.now().getTime() + WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000).toISOString();
  await deps.webhooks.rotateSecret(endpoint.id, secret, until);
  return {
    endpoint: endpointView({ ...endpoint, previousSecretUntil: until }),
    secret,
    previousValidUntil: until,
  };
}

export interface EventFilter {
  from: Date;
  to: Date;
  invoiceNumber?: string;
  types?: readonly DomainEventType[];
}

export const eventMatches = (event: DomainEvent, filter: EventFilter): boolean =>
  (filter.types === undefined || filter.types.length === 0 || filter.types.includes(event.type)) &&
  (filter.invoiceNumber === undefined ||
    event.subject.id === filter.invoiceNumber ||
    (event.data as { corrects?: string }).corrects === filter.invoiceNumber);

export async function listEvents(
  deps: Pick<WebhookAdminDeps, 'archive'>,
  filter: EventFilter,
): Promise<DomainEvent[]> {
  if (filter.from.getTime() >= filter.to.getTime())
    throw new InvalidInputError('--from must be before --to', 'time range');
  return (await deps.archive.read({ from: filter.from, to: filter.to })).filter((e) =>
    eventMatches(e, filter),
  );
}

export interface ReplayResult {
  events: number;
  /** Attempts put on the webhook queue (an event times the endpoints taking it). */
  attempts: number;
  endpoints: string[];
}

export async function replayEvents(
  deps: WebhookAdminDeps,
  request: EventFilter & { endpointId?: string },
): Promise<ReplayResult> {
  const endpoints =
    request.endpointId === undefined
      ? (await deps.webhooks.list()).filter((e) => e.enabled)
      : [await existing(deps, request.endpointId)];
  if (request.endpointId !== undefined && !endpoints[0]?.enabled)
    throw new InvalidInputError(`endpoint ${request.endpointId} is disabled`, 'endpoint');
  const events = await listEvents(deps, request);
  const attempts = events.flatMap((event) =>
    endpoints
      .filter((endpoint) => endpointTakes(endpoint, event.type))
      .map((endpoint) => ({ event, endpoint })),
  );
  await mapLimited(attempts, 16, ({ event, endpoint }) =>
    deps.queue.send({ kind: ATTEMPT_KIND, endpointId: endpoint.id, attempt: 1, event, replay: true }, 0),
  );
  return { events: events.length, attempts: attempts.length, endpoints: endpoints.map((e) => e.id) };
}
