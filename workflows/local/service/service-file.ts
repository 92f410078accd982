/**
 * The small file a running local stack leaves in its data dir (`local-stack.json`): its process,
 * endpoints and resource names, so that every other command connects instead of starting Java.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../liveness.js';
import type { LocalEndpoints, LocalStack } from '../stack.js';

export const SERVICE_FILE = 'local-stack.json';
export const SERVICE_LOG = 'local-stack.log';

export interface LocalServiceInfo {
  pid: number;
  startedAt: string;
  dataDir: string;
  region: string;
  endpoints: LocalEndpoints & { stepfunctions: string };
  stateMachineArn: string;
  names: LocalStack['names'];
  resources: LocalStack['resources'];
  emailQueue: LocalStack['emailQueue'];
  webhookQueue: LocalStack['webhookQueue'];
  mailDir: string;
}

export const serviceFilePath = (dataDir: string): string => join(dataDir, SERVICE_FILE);

export function writeServiceInfo(info: LocalServiceInfo): void {
  writeFileSync(serviceFilePath(info.dataDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** The file's content, whether or not its process still runs; undefined when there is none. */
export function readServiceInfo(dataDir: string): LocalServiceInfo | undefined {
  const file = serviceFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalServiceInfo;
  } catch {
    return undefined;
  }
}

/** The running local stack of a data dir, or undefined (no file, or its process is gone). */
export function liveService(dataDir: string): LocalServiceInfo | undefined {
  const info = readServiceInfo(dataDir);
  return info && processAlive(info.pid) ? info : undefined;
}

/** Removes the file if it still names `pid` (a newer service's file stays). */
export function removeServiceInfo(dataDir: string, pid: number): void {
  if (readServiceInfo(dataDir)?.pid === pid) rmSync(serviceFilePath(dataDir), { force: true });
}
