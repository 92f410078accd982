/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), made by the `standardwebhooks`
 * library, so the owner verifies with the same library in their language: `v1,<base64 HMAC-SHA256
 * of "<webhook-id>.<webhook-timestamp>.<body>">`, one per live secret, space-separated (while a
 * rotated secret overlaps the new one, both sign). Secrets are `whsec_` + 24 random bytes in base64.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_HEADER } from '../contracts/domain-events.js';

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** The three Standard Webhooks headers of one delivery attempt. */
export function signedHeaders(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
  return {
    [WEBHOOK_HEADER.id]: messageId,
    [WEBHOOK_HEADER.timestamp]: String(Math.floor(at.getTime() / 1000)),
    [WEBHOOK_HEADER.signature]: signature,
  };
}
