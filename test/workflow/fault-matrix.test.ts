/**
 * The fault matrix: every step x {transient faults on 30 % of attempts, a permanent fault for one
 * customer}, plus a duplicate concurrent start, on the real local stack with the production ASL.
 * Each case asserts the run's invariants: every customer is issued or reported failed, numbers are
 * gapless counting VOIDs, no document without its row and no row without its documents, one
 * notification per invoice; and a re-run without faults completes the period.
 * (The killed-process cases run the CLI as a child process: test/e2e/crash.test.ts.)
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { seriesKey } from '../../lambdas/shared/contracts/keys.js';
import { DEFAULT_BILLING_TIME_ZONE } from '../../lambdas/shared/config.js';
import { billingSeriesOf, localDateOf } from '../../lambdas/shared/domain/index.js';
import { parseFaultSpec, FAULT_STEPS, type FaultStep } from '../../workflows/local/faults.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import {
  RunFailedError,
  runLocalBilling,
  type LocalBillingResult,
} from '../../workflows/local/harness/billing-run.js';
import { withRetries } from '../../workflows/operator/retry-policy.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const DEMO = 16;
const active = demoCustomers(DEMO).filter((c) => c.status === 'active');
const VICTIM = active[3]!.customerId;

/**
 * The Step Functions state that runs each step, what a permanent fault there reports, and whether
 * it leaves a VOID number. A reservation fails at its claim, after its batch took the number (one
 * counter increment per batch): Compensate keeps that number as VOID for the customer.
 */
const STEP_STATE: Record<FaultStep, { state: string; permanentError: string; voids: boolean }> = {
  compute: { state: 'ComputeInvoice', permanentError: 'AccessDeniedException', voids: false },
  reserve: { state: 'ReserveNumber', permanentError: 'AccessDeniedException', voids: true },
  render: { state: 'RenderDocuments', permanentError: 'AccessDenied', voids: true },
  commit: { state: 'CommitInvoice', permanentError: 'DynamoDB.ResourceNotFoundException', voids: true },
  notify: { state: 'NotifyCustomer', permanentError: 'SNS.AuthorizationErrorException', voids: false },
};

let f: BillingFixture;
let periodIndex = 0;
/** Each case bills its own period, so cases cannot see each other's invoices. */
const nextPeriod = () => {
  const index = periodIndex++;
  return `${2025 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

const run = (period: string, spec?: string, seed = 7): Promise<LocalBillingResult> =>
  runLocalBilling(f.session, {
    period,
    retryIntervalMs: 1,
    maxConcurrency: 8,
    toleratedFailurePercentage: 100,
    ...(spec ? { faults: { rules: parseFaultSpec(spec), seed } } : {}),
  });

async function notificationsPerCustomer(period: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await f.session.readInbox()) {
    if (m.event.period === period) counts.set(m.customerId, (counts.get(m.customerId) ?? 0) + 1);
  }
  return counts;
}

/** The invariants of one period after a run (and whether every customer is issued by now). */
async function assertInvariants(period: string, result: LocalBillingResult): Promise<void> {
  expect(
    result.issued +
      result.skipped +
      result.notificationsResent +
      result.notificationsCompleted +
      result.failed,
  ).toBe(active.length);
  expect(await invariantViolations(f, period)).toEqual([]);
  const rows = (await f.invoices(period)).filter((r) => r.status !== 'VOID');
  const notified = await notificationsPerCustomer(period);
  for (const row of rows) {
    if (row.status === 'NOTIFIED')
      expect([row.customerId, notified.get(row.customerId)]).toEqual([row.customerId, 1]);
  }
  for (const [customerId, count] of notified) expect([customerId, count]).toEqual([customerId, 1]);
}

beforeAll(async () => {
  f = await openBillingFixture('fault-matrix');
  await runLocalBilling(f.session, { period: '2024-12', demoCustomers: DEMO, retryIntervalMs: 1 });
});

afterAll(async () => {
  await f?.cleanup();
});

describe.each(FAULT_STEPS)('faults at %s', (step) => {
  const { state, permanentError, voids } = STEP_STATE[step];

  it('retries transient faults on 30 % of attempts and keeps every invariant', async () => {
    const period = nextPeriod();
    const faulty = await run(period, `${step}:transient:0.3`);
    expect(faulty.faultsInjected[`${step}:transient`]).toBeGreaterThan(0);
    expect(faulty.metrics.retries[state]).toBeGreaterThan(0);
    await assertInvariants(period, faulty);
    // Customers whose retries ran out fail visibly; a clean re-run completes the period.
    for (const failure of faulty.failures)
      expect(failure.error).toMatch(/Exception|SlowDown|TransientDependencyError/);
    const rerun = await run(period);
    expect(rerun.failed).toBe(0);
    expect(rerun.issued + rerun.notificationsCompleted).toBe(faulty.failed);
    // Every earlier publish failed and was recorded: nothing went out twice, none counts as resent.
    expect(rerun.notificationsResent).toBe(0);
    expect(rerun.skipped).toBe(faulty.issued + faulty.skipped);
    await assertInvariants(period, rerun);
  });

  it('fails one customer alone on a permanent fault, then a re-run issues it', async () => {
    const period = nextPeriod();
    const faulty = await run(period, `${step}:permanent:customer=${VICTIM}`);
    expect(faulty.failures).toEqual([
      expect.objectContaining({ customerId: VICTIM, step: state, error: permanentError }),
    ]);
    expect(faulty.issued).toBe(active.length - 1);
    await assertInvariants(period, faulty);
    const voided = (await f.invoices(period)).filter((r) => r.status === 'VOID');
    expect(voided.map((r) => r.customerId)).toEqual(voids ? [VICTIM] : []);
    // One readable sentence naming the step: no JSON, no stack trace.
    if (voids)
      expect(voided[0]!.voidReason).toMatch(
        new RegExp(`^${state} failed: ${permanentError}: injected permanent fault[^\\n{]*$`),
      );

    const rerun = await run(period);
    // After a notify failure the invoice was issued already: the re-run sends its first notification
    // (the failed publish was recorded), which is no repeat.
    expect(rerun).toMatchObject({
      failed: 0,
      issued: step === 'notify' ? 0 : 1,
      notificationsCompleted: step === 'notify' ? 1 : 0,
      notificationsResent: 0,
      skipped: active.length - 1,
    });
    await assertInvariants(period, rerun);
    const victimRows = (await f.invoices(period)).filter((r) => r.customerId === VICTIM);
    expect(victimRows.filter((r) => r.status === 'NOTIFIED')).toHaveLength(1);
    // A VOID number is never reused: the re-issued invoice has a new one.
    if (voids) expect(new Set(victimRows.map((r) => r.invoiceNumber)).size).toBe(2);
  });
});

describe('a step that fails transiently on every attempt', () => {
  it("is retried as its Retry rule says, and each failure record's retries agree with the executor", async () => {
    const period = nextPeriod();
    const faulty = await run(period, 'render:transient:1');
    expect(faulty.failed).toBe(active.length);
    const failures = faulty.failures.map(withRetries);
    // What the CLI and the console print (read from the ASL) is what the executor did.
    expect(new Set(failures.map((x) => [x.step, x.retries].join(' ')))).toEqual(
      new Set(['RenderDocuments 4']),
    );
    expect(faulty.metrics.retries.RenderDocuments).toBe(4 * failures.length);
    await assertInvariants(period, faulty);
  });
});

describe('a reservation interrupted between taking a number and claiming it', () => {
  it('leaves no silent gap: the end of the next run keeps those numbers as VOID', async () => {
    const period = nextPeriod();
    // The run issues today, in the series of today's year (a run across midnight of 31 December
    // would number in the next one).
    const { series } = billingSeriesOf(localDateOf(new Date().toISOString(), DEFAULT_BILLING_TIME_ZONE));
    // Two reservations die after the counter moved: numbers taken, never claimed.
    for (let i = 0; i < 2; i++) {
      await f.session.clients.dynamodb.send(
        new UpdateCommand({
          TableName: f.session.storage.tables.invoices,
          Key: { invoiceKey: seriesKey(series) },
          UpdateExpression: 'ADD lastSequence :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    }
    const result = await run(period);
    expect(result.voidedUnclaimedNumbers).toHaveLength(2);
    const voids = (await f.invoices()).filter((r) => result.voidedUnclaimedNumbers.includes(r.invoiceNumber));
    expect(voids.map((r) => r.status)).toEqual(['VOID', 'VOID']);
    expect(voids[0]!.voidReason).toContain('never claimed');
    await assertInvariants(period, result);
    expect((await run(period)).voidedUnclaimedNumbers).toEqual([]);
  });
});

describe('a duplicate concurrent start of the same period', () => {
  it('is refused, changes nothing, and the first run completes', async () => {
    const period = nextPeriod();
    const [a, b] = await Promise.allSettled([
      runLocalBilling(f.session, { period, retryIntervalMs: 1, executionName: `first-${period}` }),
      runLocalBilling(f.session, { period, retryIntervalMs: 1, executionName: `second-${period}` }),
    ]);
    const outcomes = [a, b];
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(RunFailedError);
    expect((rejected[0]!.reason as RunFailedError).errorName).toBe('RunAlreadyInProgressError');
    const winner = (fulfilled[0] as PromiseFulfilledResult<LocalBillingResult>).value;
    expect(winner).toMatchObject({ issued: active.length, failed: 0 });
    await assertInvariants(period, winner);
    const runs = await f.session.listRuns();
    expect(runs.filter((r) => r.period === period)).toHaveLength(1);
  });
});
