/**
 * Hosted-invoice link tokens. A token is the HMAC-SHA256 of the document number and the link's
 * generation under the deployment's link secret, cut to 128 bits: unguessable without the secret,
 * yet the same every time it is computed, so a resent notification states the same link without
 * the token ever being stored. DynamoDB keeps only its SHA-256 (keys.ts linkKey): a leaked table
 * opens no invoice. Revoking a link marks its item; reissuing bumps the generation (a new token).
 */
import { createHash, createHmac } from 'node:crypto';

/** Bytes of the HMAC kept in a token (22 base64url characters). */
const TOKEN_BYTES = 16;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}$/;
/** Bytes of a new link secret. */
export const LINK_SECRET_BYTES = 32;
/** The generation of an invoice's first link (rows without `linkGeneration`). */
export const FIRST_LINK_GENERATION = 1;

export function mintLinkToken(secret: Buffer, invoiceNumber: string, generation: number): string {
  return createHmac('sha256', secret)
    .update(`hosted-invoice|${invoiceNumber}|${generation}`)
    .digest()
    .subarray(0, TOKEN_BYTES)
    .toString('base64url');
}

/** What DynamoDB stores of a token. */
export const linkTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether `token` can be a token at all (anything else is a 404 without a read). */
export const isLinkTokenFormat = (token: string): boolean => TOKEN_FORMAT.test(token);

/** A link secret from its stored text (hex or base64, at least 32 bytes); names `where` when bad. */
export function parseLinkSecret(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]+$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length < LINK_SECRET_BYTES) {
    throw new Error(
      `${where}: the link secret must hold at least ${LINK_SECRET_BYTES} bytes (hex or base64)`,
    );
  }
  return bytes;
}
