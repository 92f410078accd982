/**
 * `invoicer local up | down | status`: the local stack as a background process of its own
 * (`invoicer local serve --data-dir DIR`, detached, its output in <dataDir>/local-stack.log),
 * found by the other commands through <dataDir>/local-stack.json.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { processAlive } from '../liveness.js';
import { askLocalStack } from './ask.js';
import {
  liveService,
  readServiceInfo,
  removeServiceInfo,
  SERVICE_LOG,
  type LocalServiceInfo,
} from './service-file.js';

const BIN = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
  'scripts',
  'bin',
  'invoicer.mjs',
);

export interface LocalStatus {
  running: boolean;
  dataDir: string;
  /** Present while running. */
  pid?: number;
  startedAt?: string;
  endpoints?: LocalServiceInfo['endpoints'];
  log: string;
}

const logTail = (file: string): string =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n') : '';

/** Waits until `check` gives a value, polling; undefined after `timeoutMs`. */
async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await delay(100);
  }
}

/** Starts the background stack unless one runs; resolves when it answers. */
export async function localUp(
  dataDir: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ started: boolean; info: LocalServiceInfo }> {
  const running = liveService(dataDir);
  if (running) return { started: false, info: running };
  const logFile = join(dataDir, SERVICE_LOG);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [BIN, 'local', 'serve', '--data-dir', dataDir], {
    detached: true,
    stdio: ['ignore', log, log],
    // It outlives the command that started it (scripts/bin/invoicer.mjs watches its parent otherwise).
    env: { ...(options.env ?? process.env), INVOICER_DETACHED: '1' },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const info = await waitFor(async () => {
    if (exited !== undefined) return undefined;
    const found = readServiceInfo(dataDir);
    if (!found || found.pid !== child.pid) return undefined;
    return (await askLocalStack(found, 'health').then(
      () => true,
      () => false,
    ))
      ? found
      : undefined;
  }, options.timeoutMs ?? 120_000);
  if (!info) {
    if (exited === undefined && child.pid) process.kill(child.pid, 'SIGTERM');
    throw new Error(
      `the local stack of ${dataDir} did not start${exited !== undefined ? ` (exit code ${exited})` : ''}; ${logFile} ends with:\n${logTail(logFile)}`,
    );
  }
  return { started: true, info };
}

/** Stops the background stack (running executions end ABORTED, redrivable); false if none ran. */
export async function localDown(dataDir: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
  const info = readServiceInfo(dataDir);
  if (!info) return false;
  if (!processAlive(info.pid)) {
    removeServiceInfo(dataDir, info.pid);
    return false;
  }
  // Asked first: the service lets running customers finish before DynamoDB Local stops.
  const asked = await askLocalStack<{ stopping: boolean }>(info, 'shutdown', {}).then(
    (answer) => answer.stopping,
    () => false,
  );
  if (!asked) process.kill(info.pid, 'SIGTERM');
  const gone = await waitFor(() => (processAlive(info.pid) ? undefined : true), options.timeoutMs ?? 30_000);
  if (!gone) {
    process.kill(info.pid, 'SIGKILL');
    await waitFor(() => (processAlive(info.pid) ? undefined : true), 5000);
  }
  removeServiceInfo(dataDir, info.pid);
  return true;
}

export function localStatus(dataDir: string): LocalStatus {
  const info = liveService(dataDir);
  const log = join(dataDir, SERVICE_LOG);
  return info
    ? { running: true, dataDir, pid: info.pid, startedAt: info.startedAt, endpoints: info.endpoints, log }
    : { running: false, dataDir, log };
}
