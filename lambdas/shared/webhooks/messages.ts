/**
 * What the webhook queue carries: a domain event as the events topic delivers it (raw), or one
 * endpoint's next attempt at an event (a retry the delivery function scheduled, or a replay).
 * Parsed at the edge into null-prototype values; anything else is refused with its place.
 */
import { isDomainEventType, type DomainEvent } from '../contracts/domain-events.js';
import { parseJsonText } from '../edge/safe-json.js';
import { InvalidInputError } from '../errors.js';

export const ATTEMPT_KIND = 'webhook.attempt';

export interface WebhookAttempt {
  kind: typeof ATTEMPT_KIND;
  endpointId: string;
  /** 1 for the first try. */
  attempt: number;
  event: DomainEvent;
  /** Not before this time (a wait longer than SQS's 15-minute delay is re-sent until due). */
  dueAt?: string;
  replay?: boolean;
}

export type WebhookMessage = { kind: 'event'; event: DomainEvent } | WebhookAttempt;

const MAX_MESSAGE_BYTES = 256 * 1024;

export function asDomainEvent(value: unknown, where: string): DomainEvent {
  const v = value as Record<string, unknown> | null;
  const subject = v?.subject as Record<string, unknown> | null | undefined;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    typeof v.id === 'string' &&
    /^evt_[0-9a-f]{32}$/.test(v.id) &&
    typeof v.type === 'string' &&
    isDomainEventType(v.type) &&
    typeof v.timestamp === 'string' &&
    Number.isSafeInteger(v.sequence) &&
    typeof subject === 'object' &&
    subject !== null &&
    typeof subject.id === 'string' &&
    typeof subject.kind === 'string' &&
    typeof v.data === 'object' &&
    v.data !== null;
  if (!ok) throw new InvalidInputError('not a domain event', where);
  return v as unknown as DomainEvent;
}

export function parseWebhookMessage(body: string, where: string): WebhookMessage {
  const value = parseJsonText(body, where, { maxBytes: MAX_MESSAGE_BYTES }) as Record<string, unknown> | null;
  if (value !== null && typeof value === 'object' && value.kind === ATTEMPT_KIND) {
    const ok =
      typeof value.endpointId === 'string' &&
      Number.isSafeInteger(value.attempt) &&
      (value.attempt as number) >= 1 &&
      (value.dueAt === undefined ||
        (typeof value.dueAt === 'string' && !Number.isNaN(Date.parse(value.dueAt)))) &&
      (value.replay === undefined || typeof value.replay === 'boolean');
    if (!ok)
      throw new InvalidInputError('a webhook attempt without a valid endpointId, attempt or dueAt', where);
    return { ...(value as unknown as WebhookAttempt), event: asDomainEvent(value.event, `${where} event`) };
  }
  return { kind: 'event', event: asDomainEvent(value, where) };
}
