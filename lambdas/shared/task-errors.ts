/**
 * What a failed Step Functions task says, made readable: a Lambda task's Cause is the JSON
 * `{ errorType, errorMessage, trace }`; people (a VOID reason, a run summary) get the message, and
 * the stack trace stays in the execution history.
 */

/** The message of a task's Cause (the Cause itself when it is not Lambda's error JSON). */
export function causeMessage(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    const message = (parsed as { errorMessage?: unknown } | null)?.errorMessage;
    return typeof message === 'string' ? message : cause;
  } catch {
    return cause;
  }
}

/** One readable sentence of a task failure: `Error: message`, on one line. */
export function failureSentence(error: string, cause: string | undefined): string {
  const message = causeMessage(cause ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return message === '' ? error : `${error}: ${message}`;
}
