/**
 * The running local stack answers queries typed in a shell (./query-protocol.ts): a Unix socket
 * in its data dir, and worker threads that have loaded the CLI, the AWS SDK and the session once
 * (scripts/cli/query-worker.ts), so a query costs a process start and the query itself, not
 * loading ~200 modules. A worker runs one command at a time; a second caller at once gets a
 * second worker (up to `maxWorkers`, then it is told to run the command itself). A worker is
 * replaced after `commandsPerWorker` commands, as Lambda replaces its containers.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import {
  MAX_QUERY_REQUEST_BYTES,
  parseQueryRequest,
  querySocketPath,
  type QueryAnswer,
  type QueryRequest,
  type QueryWorkerMessage,
} from './query-protocol.js';

export interface QueryServerOptions {
  dataDir: string;
  /** The worker's module: posts `ready`, then an `answer` for each QueryRequest it is sent. */
  workerUrl: URL;
  /** Workers alive at most; a caller beyond is told to run the command itself. Default 3. */
  maxWorkers?: number;
  /** Commands a worker runs before it is replaced. Default 200. */
  commandsPerWorker?: number;
  reportError?: (error: unknown) => void;
}

export interface QueryServer {
  socketPath: string;
  close(): Promise<void>;
}

interface QueryWorker {
  worker: Worker;
  /** Resolves once it has loaded what a query needs; rejects if it ended first. */
  ready: Promise<void>;
  commands: number;
  /** Runs one request (the worker must be idle). */
  answer(request: QueryRequest): Promise<QueryAnswer>;
}

function startWorker(options: QueryServerOptions): QueryWorker {
  const worker = new Worker(options.workerUrl, { workerData: { dataDir: options.dataDir } });
  let pending: ((answer: QueryAnswer) => void) | undefined;
  const ended = new Promise<never>((_resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the query worker ended (exit code ${code})`)));
  });
  ended.catch(() => pending?.({ served: false, reason: 'the query worker ended before it answered' }));
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: QueryWorkerMessage) => {
      if (message.kind === 'ready') resolve();
      else pending?.(message.answer);
    });
    ended.catch(reject);
  });
  const started: QueryWorker = {
    worker,
    ready,
    commands: 0,
    answer(request) {
      started.commands++;
      return new Promise((resolve) => {
        pending = (answer) => {
          pending = undefined;
          resolve(answer);
        };
        worker.postMessage(request);
      });
    },
  };
  return started;
}

/** Reads the one request line of a connection (at most MAX_QUERY_REQUEST_BYTES). */
function requestLine(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      const end = chunk.indexOf(0x0a);
      chunks.push(end === -1 ? chunk : chunk.subarray(0, end));
      size += end === -1 ? chunk.length : end;
      if (size > MAX_QUERY_REQUEST_BYTES)
        return fail(
          new EdgeInputError(`is larger than ${MAX_QUERY_REQUEST_BYTES} bytes`, 'the query request'),
        );
      if (end !== -1) {
        socket.off('data', onData).off('end', onEnd);
        resolve(Buffer.concat(chunks));
      }
    };
    const onEnd = (): void => fail(new EdgeInputError('ends before its newline', 'the query request'));
    const fail = (error: Error): void => {
      socket.off('data', onData).off('end', onEnd);
      reject(error);
    };
    socket.on('data', onData).once('end', onEnd);
  });
}

/**
 * Starts answering queries on the data dir's socket; undefined when there is none (its path is too
 * long for a socket, or it cannot be made: reported, and commands run in their own process).
 */
export async function startQueryServer(options: QueryServerOptions): Promise<QueryServer | undefined> {
  const socketPath = querySocketPath(options.dataDir);
  if (socketPath === undefined) return undefined;
  const reportError = options.reportError ?? (() => undefined);
  const maxWorkers = options.maxWorkers ?? 3;
  const commandsPerWorker = options.commandsPerWorker ?? 200;
  const all = new Set<QueryWorker>();
  const idle: QueryWorker[] = [];
  let closing = false;

  const spawn = (): QueryWorker => {
    const started = startWorker(options);
    all.add(started);
    started.worker.once('exit', () => {
      all.delete(started);
      const at = idle.indexOf(started);
      if (at !== -1) idle.splice(at, 1);
    });
    started.ready.catch((error: unknown) => {
      if (!closing) reportError(error);
    });
    return started;
  };
  /** An idle worker, else a new one, else undefined: too many busy. */
  const acquire = (): QueryWorker | undefined => idle.pop() ?? (all.size < maxWorkers ? spawn() : undefined);
  const release = (worker: QueryWorker): void => {
    if (!all.has(worker)) return;
    if (worker.commands >= commandsPerWorker || closing) void worker.worker.terminate();
    else idle.push(worker);
  };
  // One worker warms at once, so the first query finds it ready (an idle worker may still be warming).
  idle.push(spawn());

  const serve = async (socket: Socket): Promise<void> => {
    let answer: QueryAnswer;
    try {
      const request = parseQueryRequest(await requestLine(socket));
      const worker = acquire();
      if (worker === undefined) answer = { served: false, reason: 'every query worker is busy' };
      else {
        // A caller that hangs up stops its command: queries only read, nothing is left half done.
        let answered = false;
        const gone = (): void => void (answered || worker.worker.terminate());
        socket.once('end', gone).once('close', gone);
        try {
          await worker.ready;
          answer = await worker.answer(request);
          answered = true;
        } finally {
          release(worker);
        }
      }
    } catch (error) {
      answer = {
        served: false,
        reason: error instanceof EdgeInputError ? error.message : 'the query could not be answered',
      };
      if (!(error instanceof EdgeInputError)) reportError(error);
    }
    if (!socket.destroyed) socket.end(`${JSON.stringify(answer)}\n`);
  };

  // The socket is its user's alone from its first moment (no window where its mode is wider).
  rmSync(socketPath, { force: true });
  // Half-open: a request cut short still gets its refusal (the caller reads until the server ends).
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined); // a caller gone mid-answer is not the server's failure
    void serve(socket);
  });
  const listening = await new Promise<boolean>((resolve) => {
    // The answers are a shortcut: a socket that cannot be made leaves the stack as it was.
    const failed = (error: Error): void => {
      reportError(error);
      resolve(false);
    };
    server.once('error', failed);
    // listen() binds a path at once, so the narrow umask covers the socket's creation only.
    const umask = process.umask(0o077);
    try {
      server.listen(socketPath, () => {
        server.off('error', failed);
        resolve(true);
      });
    } finally {
      process.umask(umask);
    }
  });
  if (!listening) {
    closing = true;
    await Promise.all([...all].map(({ worker }) => worker.terminate()));
    return undefined;
  }
  return {
    socketPath,
    async close() {
      closing = true;
      // Workers first: a query still running ends, its caller is told to run it itself.
      await Promise.all([...all].map(({ worker }) => worker.terminate()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketPath, { force: true });
    },
  };
}
