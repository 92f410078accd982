/**
 * One webhook POST over node:http(s): a hard timeout for the whole exchange, the response body
 * read and dropped (at most 64 KiB), no redirects followed, and, unless the address policy allows
 * private addresses, every address the host resolves to checked before connecting.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isPublicAddress, type AddressPolicy } from './address-policy.js';

export interface PostOutcome {
  /** The HTTP status, when one came back. */
  status?: number;
  /** Why there was none (timeout, refused, a private address). */
  error?: string;
  durationMs: number;
}

export type WebhookPoster = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<PostOutcome>;

const MAX_RESPONSE_BYTES = 64 * 1024;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A DNS lookup that refuses hosts resolving to a non-public address. */
function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => !isPublicAddress(a.address));
    if (refused) {
      const denied = Object.assign(
        new Error(`${hostname} resolves to a non-public address ${refused.address}`),
        {
          code: 'EWEBHOOKADDRESS',
        },
      );
      return callback(denied, []);
    }
    const all = (options as { all?: boolean }).all === true;
    const first = list[0] as LookupAddress;
    return all ? callback(null, list) : callback(null, first.address, first.family);
  });
}

export function httpWebhookPoster(policy: AddressPolicy, timeoutMs: number): WebhookPoster {
  return (target, headers, body) =>
    new Promise((resolve) => {
      const started = performance.now();
      let settled = false;
      const done = (outcome: Omit<PostOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...outcome, durationMs: Math.round(performance.now() - started) });
      };
      const url = new URL(target);
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'invoicer-webhooks/1',
          },
          ...(policy.allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
          timeout: timeoutMs,
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          response.on('close', () => done({ status: response.statusCode ?? 0 }));
          response.on('error', () => undefined);
        },
      );
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.on('close', () => clearTimeout(timer));
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        done({ error: error.code === 'EWEBHOOKADDRESS' ? error.message : error.message.slice(0, 300) });
      });
      request.end(body);
    });
}
