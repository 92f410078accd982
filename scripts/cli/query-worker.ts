/**
 * A worker thread of the running local stack (`invoicer local up`) that answers queries typed in
 * a shell (workflows/local/service/query-server.ts). It loads the CLI, the AWS SDK and the
 * session modules once, then runs each command it is given exactly as `invoicer` would — same
 * parser, same code, the caller's environment — one at a time, and sends back what it printed and
 * its exit code. Like a warm Lambda it keeps only caches between commands (each command opens and
 * closes its own session). Only the queries of ./query-commands.ts on this stack's data dir are
 * run; anything else is refused before it runs, and the caller runs it itself.
 */
import { isAbsolute, resolve } from 'node:path';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Command } from 'commander';
import type {
  QueryAnswer,
  QueryRequest,
  QueryWorkerMessage,
} from '../../workflows/local/service/query-protocol.js';
import { liveService } from '../../workflows/local/service/service-file.js';
import { DATA_DIR_ENV } from './data-dir.js';
import { buildProgram, CommandNotRun, main } from './main.js';
import { QUERY_COMMANDS } from './query-commands.js';

type Options = Record<string, unknown>;

/** `runs list` for the command object of `list` under `runs`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Why this stack does not answer the command, or undefined when it does: a command not in
 * QUERY_COMMANDS, another target, or another data dir. A relative data dir (`--data-dir` or
 * INVOICER_DATA_DIR) is answered only from the stack's own working directory, where it means the
 * same: this thread resolves paths against the stack's directory, not the caller's.
 */
export function queryRefusal(
  command: Command,
  request: Pick<QueryRequest, 'cwd' | 'env'>,
  stack: { dataDir: string; cwd: string },
): string | undefined {
  const path = commandPath(command);
  const opts = command.optsWithGlobals<Options>();
  if (!QUERY_COMMANDS.get(path)?.(opts)) return `${path || 'invoicer'} is not a query the stack answers`;
  if (opts.target === 'aws' || opts.stack !== undefined) return 'the command names a deployed stack';
  const dataDir = opts.dataDir;
  if (typeof dataDir !== 'string') return 'the command has no data dir';
  const envDataDir = request.env[DATA_DIR_ENV]?.trim() ?? '';
  const relative = !isAbsolute(dataDir) || (envDataDir !== '' && !isAbsolute(envDataDir));
  if (relative && request.cwd !== stack.cwd) return 'a relative data dir from another directory';
  if (resolve(request.cwd, dataDir) !== stack.dataDir) return 'another data dir';
  return undefined;
}

/**
 * The caller's environment in place of the last one. Commander reads option defaults from
 * process.env (`.env()`), so the command sees its caller's settings only there. A worker
 * thread's process.env is its own copy, so this changes nothing outside the thread; on the main
 * thread it would change the stack's own settings, so it refuses there.
 */
function adoptEnvironment(request: QueryRequest): void {
  if (isMainThread) throw new Error("a caller's environment is adopted only in a query worker thread");
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, request.env);
}

/** Where process.stdout and process.stderr write while a command runs (else: the stack's log). */
let sinks: { stdout: Buffer[]; stderr: Buffer[] } | undefined;

function captureWrites(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: Uint8Array | string, ...rest: unknown[]): boolean => {
    if (sinks === undefined) return write(chunk, ...rest);
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
    sinks[name].push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (done) queueMicrotask(done);
    return true;
  }) as NodeJS.WriteStream['write'];
}

/** Runs one request as `invoicer` would; refused (nothing run, nothing printed) unless a query here. */
export async function answer(
  request: QueryRequest,
  stack: { dataDir: string; cwd: string },
): Promise<QueryAnswer> {
  // Only while this process's stack is up: the command must connect to it, never start its own.
  if (liveService(stack.dataDir)?.pid !== process.pid)
    return { served: false, reason: 'the local stack is starting or stopping' };
  adoptEnvironment(request);
  process.exitCode = undefined;
  const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  sinks = output;
  try {
    const code = await main(request.argv, {
      beforeAction: (command) => {
        const refusal = queryRefusal(command, request, stack);
        if (refusal !== undefined) throw new CommandNotRun(refusal);
      },
    });
    return {
      served: true,
      code,
      stdout: Buffer.concat(output.stdout).toString('base64'),
      stderr: Buffer.concat(output.stderr).toString('base64'),
    };
  } catch (error) {
    if (error instanceof CommandNotRun) return { served: false, reason: error.message };
    throw error;
  } finally {
    sinks = undefined;
    process.exitCode = undefined;
  }
}

async function serve(port: MessagePort, stack: { dataDir: string; cwd: string }): Promise<void> {
  captureWrites(process.stdout, 'stdout');
  captureWrites(process.stderr, 'stderr');
  // What every query loads, loaded now: the commands, then the session on a running stack.
  await buildProgram();
  await import('../../workflows/local/service/connect.js');
  // One request at a time: the server sends the next only after this one's answer.
  port.on('message', (request: QueryRequest) => {
    void answer(request, stack)
      .catch((): QueryAnswer => ({ served: false, reason: 'the query worker failed' }))
      .then((result) => port.postMessage({ kind: 'answer', answer: result } satisfies QueryWorkerMessage));
  });
  port.postMessage({ kind: 'ready' } satisfies QueryWorkerMessage);
}

if (parentPort)
  await serve(parentPort, { dataDir: (workerData as { dataDir: string }).dataDir, cwd: process.cwd() });
