/**
 * The CLI's one error mapper: what a failed command prints on stderr. Errors of invoicer's own
 * (bad input, refused actions, a busy data dir) print their message; an AWS or emulator error
 * prints what happened in a sentence, never its internals (DynamoDB Local's messages carry Java
 * stack traces); anything unexpected prints "internal error" with an id, and its details go to the
 * error log (and to stderr with --debug). Everything printed is made safe for a terminal.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printable } from './terminal-text.js';

/** Where unexpected errors' details go: INVOICER_ERROR_LOG, else invoicer-errors.log in the temp dir. */
export const errorLogPath = (): string =>
  process.env.INVOICER_ERROR_LOG ?? join(tmpdir(), 'invoicer-errors.log');

export interface CliFailure {
  /** The line printed after `invoicer: error: `. */
  message: string;
  /** Set for unexpected errors: the id under which the details were logged. */
  errorId?: string;
}

/** SDK errors carry `$metadata` (the HTTP exchange); their messages are the service's, not ours. */
const isSdkError = (error: unknown): error is Error & { $metadata: { httpStatusCode?: number } } =>
  error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object';

const CONFLICTS = new Set([
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'TransactionConflictException',
]);

/** A message that is ours to show: a single readable line, no stack frames of any language. */
const looksInternal = (message: string): boolean =>
  /\n\s+at |\bat [\w$.]+\(|com\.almworks|java\.|Exception in thread|node_modules|@aws-sdk|Deserialization error/.test(
    message,
  );

/** Appends an error's details to the error log under an id (a new one unless given); returns the id. */
export function logDetails(error: unknown, errorId?: string): string {
  const id = errorId ?? randomBytes(4).toString('hex');
  const entry = {
    at: new Date().toISOString(),
    id,
    argv: process.argv.slice(2),
    name: (error as Error | undefined)?.name,
    message: (error as Error | undefined)?.message ?? String(error),
    stack: (error as Error | undefined)?.stack,
    cause: String((error as { cause?: unknown } | undefined)?.cause ?? ''),
  };
  try {
    appendFileSync(errorLogPath(), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  } catch {
    // Nowhere to log: the id still tells --debug runs apart.
  }
  return id;
}

export function describeCliFailure(error: unknown): CliFailure {
  if (isSdkError(error)) {
    const status = error.$metadata.httpStatusCode;
    if (CONFLICTS.has(error.name))
      return {
        message: `another change to the same record came first (${error.name}); nothing was half-done: run the command again`,
      };
    if (status !== undefined && status >= 400 && status < 500 && !looksInternal(error.message))
      return { message: printable(`${error.name}: ${error.message.split('\n')[0]!.slice(0, 300)}`) };
    const errorId = logDetails(error);
    return {
      message: `a storage or AWS call failed (${printable(error.name)}${status ? `, HTTP ${status}` : ''}); run the command again. Details: error ${errorId} in ${errorLogPath()}`,
      errorId,
    };
  }
  if (
    error instanceof Error &&
    !looksInternal(error.message) &&
    error.name !== 'TypeError' &&
    error.name !== 'RangeError' &&
    error.name !== 'ReferenceError'
  )
    return { message: printable(error.message) };
  const errorId = logDetails(error);
  return {
    message: `internal error ${errorId}; its details are in ${errorLogPath()} (or run again with --debug)`,
    errorId,
  };
}
