/**
 * How many times Step Functions retried a customer's failed step before its Catch took the error:
 * read from the state's Retry rules in the one ASL definition (the deployed one). A failure record
 * names the step and the error; the first rule matching that error decides, and its MaxAttempts
 * were all used (a Catch fires only when no retry is left). 0: the error is not retried.
 */
import { readFileSync } from 'node:fs';
import { BILLING_RUN_ASL_PATH } from '../definition.js';

export interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}

interface StateLike {
  Retry?: Retrier[];
  ItemProcessor?: { States: Record<string, StateLike> };
}

/** Step Functions' default MaxAttempts of a Retrier that names none. */
const DEFAULT_MAX_ATTEMPTS = 3;

/** Whether a Retrier's ErrorEquals takes `error` (States.ALL takes any; States.TaskFailed any but a timeout). */
const takes = (names: string[], error: string): boolean =>
  names.includes(error) ||
  names.includes('States.ALL') ||
  (names.includes('States.TaskFailed') && error !== 'States.Timeout');

export function retriesBefore(retry: Retrier[] | undefined, error: string): number {
  const rule = (retry ?? []).find((r) => takes(r.ErrorEquals, error));
  return rule ? (rule.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS) : 0;
}

/** Every state's Retry rules by state name, nested map states included. */
export function retryRulesOf(states: Record<string, StateLike>): Map<string, Retrier[]> {
  const rules = new Map<string, Retrier[]>();
  for (const [name, state] of Object.entries(states)) {
    rules.set(name, state.Retry ?? []);
    if (state.ItemProcessor)
      for (const [inner, retry] of retryRulesOf(state.ItemProcessor.States)) rules.set(inner, retry);
  }
  return rules;
}

let billingRun: Map<string, Retrier[]> | undefined;

/** The retries of the billing run's `step` before `error`; undefined for no step or an unknown one. */
export function billingRunRetries(step: string | undefined, error: string): number | undefined {
  billingRun ??= retryRulesOf(
    (JSON.parse(readFileSync(BILLING_RUN_ASL_PATH, 'utf8')) as { States: Record<string, StateLike> }).States,
  );
  const retry = step === undefined ? undefined : billingRun.get(step);
  return retry === undefined ? undefined : retriesBefore(retry, error);
}

/** A run summary whose listed failures say how often their step was retried. */
export const withFailureRetries = <S extends { failures: { step?: string; error: string }[] }>(
  summary: S,
): S => ({
  ...summary,
  failures: summary.failures.map(withRetries),
});

/** A failure with its retries (when its step is known). */
export const withRetries = <F extends { step?: string; error: string }>(
  failure: F,
): F & { retries?: number } => {
  const retries = billingRunRetries(failure.step, failure.error);
  return retries === undefined ? failure : { ...failure, retries };
};
