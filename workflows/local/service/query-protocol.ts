/**
 * How a command asks the running local stack (`invoicer local up`) to answer a query for it, so
 * that `invoicer runs list` does not load the AWS SDK and ~120 modules first (docs/cli.md,
 * "Installing the command"). The stack's process listens on a Unix socket in its data dir (only
 * its user can reach it: no browser, no other account); a command sends one request line and
 * keeps its side open until it has read the one answer line, then the socket closes (a caller
 * that closes first has hung up: its command is stopped). Either side parses what it reads as
 * input from outside: strict UTF-8, null-prototype objects, every field checked.
 */
import { join } from 'node:path';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import { isForbiddenKey, parseJsonBytes } from '../../../lambdas/shared/edge/safe-json.js';

export const QUERY_SOCKET = 'local-query.sock';
/** A request is argv, environment and working directory: far below this. */
export const MAX_QUERY_REQUEST_BYTES = 1024 * 1024;
/** An answer carries a command's whole output (a long `invoices list --json`). */
export const MAX_QUERY_ANSWER_BYTES = 512 * 1024 * 1024;
/** Linux's limit on a socket path (sun_path, 108 bytes with its NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** The socket of a data dir's running stack; undefined when the path is too long for a socket. */
export function querySocketPath(dataDir: string): string | undefined {
  const path = join(dataDir, QUERY_SOCKET);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES ? path : undefined;
}

export interface QueryRequest {
  /** The command line after `invoicer`. */
  argv: string[];
  /** The caller's environment (INVOICER_DATA_DIR, INVOICER_TARGET, ...): the command sees it. */
  env: Record<string, string>;
  /** The caller's working directory (relative paths are the caller's). */
  cwd: string;
}

export type QueryAnswer =
  /** Not a query the stack answers (or not its data dir): the caller runs the command itself. */
  | { served: false; reason: string }
  /** The command ran in the stack's process: its exit code and output (base64). */
  | { served: true; code: number; stdout: string; stderr: string };

/**
 * What a query worker tells the stack's process: `ready` once it has loaded what queries need,
 * then one `answer` for each request it is given (it takes one at a time).
 */
export type QueryWorkerMessage = { kind: 'ready' } | { kind: 'answer'; answer: QueryAnswer };

const record = (value: unknown, what: string): Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new EdgeInputError('is not a JSON object', what);
  return value as Record<string, unknown>;
};

const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new EdgeInputError('is not a string', what);
  return value;
};

/** One request line (without its newline) -> the request; EdgeInputError naming what is wrong. */
export function parseQueryRequest(bytes: Uint8Array): QueryRequest {
  const body = record(
    parseJsonBytes(bytes, 'the query request', { maxBytes: MAX_QUERY_REQUEST_BYTES }),
    'the query request',
  );
  if (!Array.isArray(body.argv)) throw new EdgeInputError('is not an array', 'the query request argv');
  const argv = body.argv.map((arg, i) => text(arg, `the query request argv[${i}]`));
  const env = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(record(body.env, 'the query request env'))) {
    if (isForbiddenKey(name) || name === '' || name.includes('='))
      throw new EdgeInputError(`has an environment variable named "${name}"`, 'the query request');
    env[name] = text(value, `the query request env ${name}`);
  }
  const cwd = text(body.cwd, 'the query request cwd');
  if (!cwd.startsWith('/')) throw new EdgeInputError('is not an absolute path', 'the query request cwd');
  return { argv, env, cwd };
}

/** The stack's answer -> a QueryAnswer; EdgeInputError naming what is wrong. */
export function parseQueryAnswer(bytes: Uint8Array): QueryAnswer {
  const what = 'the local stack query answer';
  const body = record(parseJsonBytes(bytes, what, { maxBytes: MAX_QUERY_ANSWER_BYTES }), what);
  if (body.served === false) return { served: false, reason: text(body.reason, `${what} reason`) };
  if (body.served !== true) throw new EdgeInputError('has no served flag', what);
  const code = body.code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255)
    throw new EdgeInputError('has no exit code 0-255', what);
  return {
    served: true,
    code,
    stdout: text(body.stdout, `${what} stdout`),
    stderr: text(body.stderr, `${what} stderr`),
  };
}
