/** Which events an endpoint takes and which secrets sign its deliveries: one rule each. */
import type { WebhookEndpoint } from '../store/webhooks.js';

/** Enabled, and its filter empty or naming the type. */
export const endpointTakes = (endpoint: WebhookEndpoint, type: string): boolean =>
  endpoint.enabled && (endpoint.eventTypes.length === 0 || (endpoint.eventTypes as string[]).includes(type));

/** The secrets that sign now: the current one, and a rotated one during its overlap. */
export const signingSecrets = (endpoint: WebhookEndpoint, now: Date): string[] =>
  endpoint.previousSecret !== undefined &&
  endpoint.previousSecretUntil !== undefined &&
  Date.parse(endpoint.previousSecretUntil) > now.getTime()
    ? [endpoint.secret, endpoint.previousSecret]
    : [endpoint.secret];
