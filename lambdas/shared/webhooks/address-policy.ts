/**
 * Where a webhook may point. On AWS: HTTPS only, and never at a private, loopback, link-local or
 * otherwise non-public address (the delivery function must not become a way into the VPC or the
 * instance metadata service), checked on the URL when it is added and on every address its host
 * resolves to when a delivery connects (a DNS answer may change). Locally: loopback HTTP is
 * allowed, so that the owner's test endpoint on this machine receives events.
 */
import { BlockList, isIP } from 'node:net';
import { InvalidInputError } from '../errors.js';

export interface AddressPolicy {
  /** Local stack only: http:// and loopback or private addresses. */
  allowPrivate: boolean;
}

export const AWS_ADDRESS_POLICY: AddressPolicy = { allowPrivate: false };

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address (v4 or v6, IPv4-mapped v6 included) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const MAX_URL_LENGTH = 2048;

/** The URL, checked against the policy; an InvalidInputError naming what is wrong otherwise. */
export function checkWebhookUrl(raw: string, policy: AddressPolicy): URL {
  const where = 'webhook URL';
  if (raw.length > MAX_URL_LENGTH)
    throw new InvalidInputError(`longer than ${MAX_URL_LENGTH} characters`, where);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInputError(`${JSON.stringify(raw.slice(0, 100))} is not an absolute URL`, where);
  }
  if (url.username !== '' || url.password !== '')
    throw new InvalidInputError('must not carry a user name or password', where);
  if (url.hash !== '') throw new InvalidInputError('must not have a #fragment', where);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:'))
    throw new InvalidInputError(`must use https (not ${url.protocol.replace(':', '')})`, where);
  if (!policy.allowPrivate) {
    if (isIP(host) !== 0 && !isPublicAddress(host))
      throw new InvalidInputError(`${host} is a private, loopback or link-local address`, where);
    if (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host.endsWith('.internal') ||
      !host.includes('.')
    )
      throw new InvalidInputError(`${host} is not a public host name`, where);
  }
  return url;
}
