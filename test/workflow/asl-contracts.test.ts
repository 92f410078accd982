/**
 * The ASL shares literals with the code: the run-lock key format, invoice statuses, event types,
 * message attribute names, the compute actions and the child outcomes. Each must equal the
 * constant that owns it, or a deployed run would silently write keys and states the code never reads.
 */
import { readFileSync } from 'node:fs';
import { VERSION_ATTRIBUTE } from '../../lambdas/shared/contracts/domain-events.js';
import { EVENT_TYPE, MESSAGE_ATTRIBUTE } from '../../lambdas/shared/contracts/events.js';
import { RUN_LOCK_KEY_FORMAT, runLockKey } from '../../lambdas/shared/contracts/keys.js';
import { CHILD_OUTCOME, COMPUTE_ACTION } from '../../lambdas/shared/contracts/payloads.js';
import { INVOICE_STATUS, INVOICE_STATUSES } from '../../lambdas/shared/contracts/statuses.js';
import { BILLING_RUN_ASL_PATH } from '../../workflows/definition.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type State = Record<string, any>;

const definition = JSON.parse(readFileSync(BILLING_RUN_ASL_PATH, 'utf8')) as {
  States: Record<string, State>;
};

/** Every state, the Distributed Map's children included, by name. */
function allStates(states: Record<string, State>): Record<string, State> {
  const out: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    out[name] = state;
    if (state.ItemProcessor) Object.assign(out, allStates(state.ItemProcessor.States));
  }
  return out;
}

const states = allStates(definition.States);
const state = (name: string): State => {
  const found = states[name];
  if (!found) throw new Error(`the ASL has no state ${name}`);
  return found;
};

/** The literal string values (`{ "S": "..." }`) a DynamoDB task's expression values use. */
const literalValues = (s: State): Record<string, string> =>
  Object.fromEntries(
    Object.entries((s.Parameters?.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>)
      .filter(([, v]) => typeof v.S === 'string')
      .map(([k, v]) => [k, v.S as string]),
  );

describe('ASL literals equal their owners in lambdas/shared/contracts', () => {
  it('releases the lock under the key runLockKey builds', () => {
    const key = state('ReleaseRunLock').Parameters.Key.runId['S.$'] as string;
    expect(key).toBe(`States.Format('${RUN_LOCK_KEY_FORMAT}', $.period)`);
    expect(RUN_LOCK_KEY_FORMAT.replace('{}', '2026-10')).toBe(runLockKey('2026-10'));
  });

  it('moves invoices through the statuses the stores write', () => {
    expect(literalValues(state('CommitInvoice'))).toEqual({
      ':issued': INVOICE_STATUS.issued,
      ':pending': INVOICE_STATUS.pending,
    });
    expect(literalValues(state('MarkNotified'))).toEqual({
      ':issued': INVOICE_STATUS.issued,
      ':notified': INVOICE_STATUS.notified,
    });
    // No other task writes a literal string: every one of them is a status.
    for (const [name, s] of Object.entries(states)) {
      for (const value of Object.values(literalValues(s)))
        expect([name, INVOICE_STATUSES.includes(value as never)]).toEqual([name, true]);
    }
  });

  it("adds one to the version of every invoice row it writes (the domain events' sequence)", () => {
    const rowUpdates = Object.entries(states).filter(
      ([, s]) =>
        s.Resource === 'arn:aws:states:::dynamodb:updateItem' &&
        s.Parameters?.Key?.invoiceKey?.['S.$'] === '$.compute.invoice.invoiceKey',
    );
    expect(rowUpdates.map(([name]) => name).sort()).toEqual(
      ['ClearNotifyFailure', 'CommitInvoice', 'MarkNotified', 'RecordNotifyFailure'].sort(),
    );
    for (const [name, s] of rowUpdates) {
      expect([name, s.Parameters.UpdateExpression]).toEqual([
        name,
        expect.stringMatching(new RegExp(` ADD ${VERSION_ATTRIBUTE} :one$`)),
      ]);
      expect(s.Parameters.ExpressionAttributeValues[':one']).toEqual({ N: '1' });
    }
  });

  it('publishes the event types and attribute names subscribers filter on', () => {
    const notify = state('NotifyCustomer').Parameters.MessageAttributes as Record<string, State>;
    expect(notify.eventType?.StringValue).toBe(EVENT_TYPE.invoiceIssued);
    expect(Object.keys(notify).sort()).toEqual(
      [
        MESSAGE_ATTRIBUTE.customerId,
        MESSAGE_ATTRIBUTE.eventType,
        MESSAGE_ATTRIBUTE.invoiceNumber,
        MESSAGE_ATTRIBUTE.currency,
      ].sort(),
    );
    const ops = state('PublishOpsSummary').Parameters.MessageAttributes as Record<string, State>;
    expect(ops.eventType?.StringValue).toBe(EVENT_TYPE.runFinished);
    expect(Object.keys(ops).sort()).toEqual([MESSAGE_ATTRIBUTE.eventType, MESSAGE_ATTRIBUTE.period].sort());
  });

  it('branches on the actions ComputeInvoice returns and reports the outcomes FinalizeRun counts', () => {
    const choices = Object.values(states)
      .filter((s) => s.Type === 'Choice')
      .flatMap((s) => s.Choices as State[])
      .filter((c) => c.Variable === '$.compute.action')
      .map((c) => c.StringEquals as string);
    // Every action but `issue`, the Default.
    const branched = Object.values(COMPUTE_ACTION).filter((a) => a !== COMPUTE_ACTION.issue);
    expect(choices.sort()).toEqual(branched.sort());
    const outcomes = Object.values(states)
      .map((s) => s.Parameters?.outcome ?? s.Result?.outcome)
      .filter((o): o is string => typeof o === 'string');
    expect([...new Set(outcomes)].sort()).toEqual(Object.values(CHILD_OUTCOME).sort());
  });
});
