/**
 * The `invoicer` bin's first step: a query (./query-commands.ts) on a data dir whose stack runs
 * (`invoicer local up`) is sent to that stack's process, which runs it in a warm worker and sends
 * back its output and exit code (workflows/local/service/query-server.ts). Anything else — no
 * stack, not a query, another target, a stack that says no or does not answer — runs here as
 * before. Queries only read, so a query the stack could not finish is simply run here.
 */
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import {
  parseQueryAnswer,
  querySocketPath,
  type QueryAnswer,
  type QueryRequest,
} from '../../workflows/local/service/query-protocol.js';
import { DATA_DIR_ENV, defaultDataDir } from './data-dir.js';
import { mayBeQuery } from './query-commands.js';

/** Set (to anything but empty): every command runs in its own process, never sent to the stack. */
export const IN_PROCESS_ENV = 'INVOICER_IN_PROCESS';

/** The data dir argv names (`--data-dir DIR`, `--data-dir=DIR`), else the default of `env`. */
export function dataDirHint(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('--data-dir=')) return resolve(cwd, arg.slice('--data-dir='.length));
    if (arg === '--data-dir' && argv[i + 1] !== undefined) return resolve(cwd, argv[i + 1]!);
  }
  return defaultDataDir(env);
}

/** Sends the request, reads the answer; undefined when no stack listens or its answer is unusable. */
function ask(socketPath: string, request: QueryRequest): Promise<QueryAnswer | undefined> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    const socket = createConnection(socketPath);
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => done(undefined));
    socket.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const end = bytes.indexOf(0x0a);
      try {
        done(parseQueryAnswer(end === -1 ? bytes : bytes.subarray(0, end)));
      } catch {
        done(undefined);
      }
    });
  });
}

/** The answer of the data dir's running stack to argv when it is a query it answers, else undefined. */
export async function answerOnLocalStack(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<Extract<QueryAnswer, { served: true }> | undefined> {
  if (env[IN_PROCESS_ENV] || !mayBeQuery(argv)) return undefined;
  const sent = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  // A relative INVOICER_DATA_DIR made absolute here, where it is the caller's directory it means.
  const dataDir = sent[DATA_DIR_ENV];
  if (dataDir !== undefined && dataDir.trim() !== '') sent[DATA_DIR_ENV] = resolve(cwd, dataDir);
  const socketPath = querySocketPath(dataDirHint(argv, sent, cwd));
  if (socketPath === undefined) return undefined;
  const answer = await ask(socketPath, { argv: [...argv], env: sent, cwd });
  return answer?.served ? answer : undefined;
}

/**
 * Runs argv on the data dir's running stack when it is a query it answers: prints what the
 * command printed, sets the exit code and returns true. False: nothing was printed; run it here.
 */
export async function runOnLocalStack(argv: readonly string[]): Promise<boolean> {
  const answer = await answerOnLocalStack(argv, process.env, process.cwd());
  if (answer === undefined) return false;
  process.stdout.write(Buffer.from(answer.stdout, 'base64'));
  process.stderr.write(Buffer.from(answer.stderr, 'base64'));
  process.exitCode = answer.code;
  return true;
}
