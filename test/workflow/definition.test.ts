/**
 * The state machine definition itself: valid ASL, and its Retry/Catch policy agrees with the
 * error names the code throws (lambdas/shared/errors.ts is the one list both sides use).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  NumberSeriesContentionError,
  PERMANENT_ERRORS,
  RunAlreadyInProgressError,
  InvalidRunRequestError,
  TRANSIENT_DYNAMODB_INTEGRATION_ERRORS,
  TRANSIENT_LAMBDA_ERRORS,
  TRANSIENT_SNS_INTEGRATION_ERRORS,
} from '../../lambdas/shared/errors.js';
import { BILLING_RUN_ASL_PATH } from '../../workflows/definition.js';

const validate = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: unknown[] };

interface State {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; JitterStrategy?: string; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[] }[];
  ItemProcessor?: { States: Record<string, State> };
}

const definition = JSON.parse(readFileSync(BILLING_RUN_ASL_PATH, 'utf8')) as {
  States: Record<string, State>;
};
/** Every state: the parent's, the map child's (a batch) and its inline Map's (one customer). */
const statesIn = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.ItemProcessor ? statesIn(s.ItemProcessor.States) : []),
  ]);
const allStates = statesIn(definition.States);
const tasks = allStates.filter(([, s]) => s.Type === 'Task');

describe('billing-run.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const result = validate(definition, { checkArn: false });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it.each(tasks.map(([name, state]) => [name, state]))(
    '%s retries exactly its transient errors, with backoff and jitter',
    (_name, state) => {
      const expected =
        state.Resource === 'arn:aws:states:::lambda:invoke'
          ? TRANSIENT_LAMBDA_ERRORS
          : state.Resource?.includes(':dynamodb:')
            ? TRANSIENT_DYNAMODB_INTEGRATION_ERRORS
            : TRANSIENT_SNS_INTEGRATION_ERRORS;
      const transientRetry = state.Retry?.find((r) => r.ErrorEquals.includes(expected[0]));
      expect(transientRetry?.ErrorEquals).toEqual([...expected]);
      for (const retry of state.Retry ?? []) {
        expect(retry.JitterStrategy).toBe('FULL');
        expect(retry.BackoffRate).toBeGreaterThan(1);
        for (const name of retry.ErrorEquals) expect(PERMANENT_ERRORS).not.toContain(name);
        expect(retry.ErrorEquals).not.toContain('States.ALL');
      }
    },
  );

  it('retries a lost number race longer than other errors', () => {
    const reserve = allStates.find(([name]) => name === 'ReserveNumber')![1];
    const race = reserve.Retry!.find((r) => r.ErrorEquals.includes(new NumberSeriesContentionError().name));
    expect(race?.MaxAttempts).toBeGreaterThan(4);
  });

  it('refuses a run on the errors PlanRun throws for a busy period or a bad request', () => {
    const caught = definition.States.PlanRun!.Catch!.flatMap((c) => c.ErrorEquals);
    expect(caught).toEqual([new RunAlreadyInProgressError().name, new InvalidRunRequestError().name]);
  });

  it('keeps States.ALL last in every Catch list', () => {
    for (const [, state] of allStates) {
      const catches = state.Catch ?? [];
      catches.forEach((c, i) => {
        if (c.ErrorEquals.includes('States.ALL'))
          expect([i, c.ErrorEquals]).toEqual([catches.length - 1, ['States.ALL']]);
      });
    }
  });
});
