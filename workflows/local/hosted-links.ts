/**
 * Hosted-invoice links on the local stack: the link secret (and the read API's cursor key) is a
 * file in the data dir (made on first use, readable by its owner only), standing in for the
 * Secrets Manager secret on AWS, and
 * links point at the local API's default address (`invoicer serve`, `npm start`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostedLinkIssuer, type HostedLinkIssuer } from '../../lambdas/shared/hosted-links/issuer.js';
import { LINK_SECRET_BYTES, parseLinkSecret } from '../../lambdas/shared/hosted-links/token.js';
import type { HostedLinkStore } from '../../lambdas/shared/store/hosted-links.js';

/** The local API's port when none is asked for: the port hosted links name. */
export const LOCAL_API_PORT = 8787;
export const LOCAL_PUBLIC_BASE_URL = `http://127.0.0.1:${LOCAL_API_PORT}`;
const LINK_SECRET_FILE = 'link-secret';
/** The read API's cursor key (the CursorKey secret on AWS). */
const CURSOR_KEY_FILE = 'cursor-key';

/** What a local run's functions need to make links (plain data: it crosses into worker threads). */
export interface LocalLinkSettings {
  /** The link secret, hex. */
  secretHex: string;
  publicBaseUrl: string;
}

/** The data dir's link secret, created on first use. */
export const localLinkSecret = (dataDir: string): Buffer => localSecretFile(dataDir, LINK_SECRET_FILE);

/** The data dir's cursor key, created on first use: cursors stay valid across restarts. */
export const localCursorKey = (dataDir: string): Buffer => localSecretFile(dataDir, CURSOR_KEY_FILE);

function localSecretFile(dataDir: string, file: string): Buffer {
  const path = join(dataDir, file);
  try {
    return parseLinkSecret(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(LINK_SECRET_BYTES);
  // 'wx': two processes starting at once keep whichever secret was written first.
  try {
    writeFileSync(path, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseLinkSecret(readFileSync(path, 'utf8'), path);
  }
}

export function localHostedLinks(
  links: Pick<HostedLinkStore, 'create'>,
  settings: LocalLinkSettings,
  now: () => Date = () => new Date(),
): HostedLinkIssuer {
  const secret = Buffer.from(settings.secretHex, 'hex');
  return hostedLinkIssuer({
    secret: () => Promise.resolve(secret),
    publicBaseUrl: settings.publicBaseUrl,
    links,
    now,
  });
}
