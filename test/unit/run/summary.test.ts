import {
  FAILURES_LISTED,
  opsMessage,
  RunTally,
  thresholdExceeded,
  type IssuedInvoice,
} from '../../../lambdas/finalize-run/summary.js';
import type { RunFailure } from '../../../lambdas/shared/contracts/payloads.js';

/** A tally whose sinks keep what they were given. */
function tally() {
  const sunk = { issued: [] as IssuedInvoice[], failures: [] as RunFailure[] };
  const t = new RunTally({
    issued: async (i) => void sunk.issued.push(i),
    failure: async (f) => void sunk.failures.push(f),
  });
  return { t, sunk };
}

const issued = (customerId: string, invoiceNumber: string, totalMinor: number, currency: string) => ({
  outcome: 'issued',
  action: 'issue',
  customerId,
  invoice: { invoiceNumber, totalMinor, currency },
});

const summaryArgs = (runId: string, customerCount: number) => ({
  runId,
  period: '2026-10',
  issueDate: '2026-11-02',
  notices: [],
  customerCount,
  documentsPrefix: 's3://b/invoices/2026-10/',
  summaryKey: `s3://b/runs/${runId}/summary.json`,
  issuedInvoicesPrefix: `s3://b/runs/${runId}/issued/`,
  failuresPrefix: `s3://b/runs/${runId}/failures/`,
});

describe('run summary', () => {
  const { t, sunk } = tally();
  beforeAll(async () => {
    // One line per customer, as the map writes them (FLATTEN, JSONL), and one failed batch.
    await t.outcome(issued('cus_1', 'INV-2026-000002', 1999, 'EUR'));
    await t.outcome(issued('cus_2', 'INV-2026-000001', 1, 'EUR'));
    await t.outcome(issued('cus_3', 'INV-2026-000003', 1500, 'JPY'));
    await t.outcome({ outcome: 'skipped', customerId: 'cus_4' });
    await t.outcome({ outcome: 'issued', action: 'renotify', customerId: 'cus_5' });
    await t.outcome({ outcome: 'issued', action: 'notify', customerId: 'cus_9' });
    await t.outcome({
      outcome: 'failed',
      customerId: 'cus_6',
      error: 'InvalidInputError',
      cause: 'customer cus_6.email: bad',
    });
    await t.failedBatch({
      Status: 'FAILED',
      Input: JSON.stringify({ Items: [{ customerId: 'cus_8' }, { customerId: 'cus_7' }], BatchInput: {} }),
      Error: 'Lambda.ServiceException',
      Cause: JSON.stringify({ errorMessage: 'service down', trace: ['at x'] }),
    });
  });

  it('counts issued, skipped, resent, late-notified and failed customers, and those never reached', () => {
    expect(t.summary(summaryArgs('run-1', 10))).toMatchObject({
      issued: 3,
      skipped: 1,
      notificationsResent: 1,
      notificationsCompleted: 1,
      failed: 3,
      notProcessed: 1,
      status: 'COMPLETED_WITH_FAILURES',
      issuedInvoicesPrefix: 's3://b/runs/run-1/issued/',
      failuresPrefix: 's3://b/runs/run-1/failures/',
    });
  });

  it('totals issued invoices per currency with the currency exponent', () => {
    expect(t.summary(summaryArgs('run-1', 9)).totals).toEqual([
      { currency: 'EUR', totalMinor: 2000, total: '20.00', invoices: 2 },
      { currency: 'JPY', totalMinor: 1500, total: '1500', invoices: 1 },
    ]);
  });

  it('lists failures by customer, every customer of a failed batch with its message (no trace)', () => {
    const summary = t.summary(summaryArgs('run-1', 9));
    expect(summary.failures).toEqual([
      { customerId: 'cus_6', error: 'InvalidInputError', cause: 'customer cus_6.email: bad' },
      { customerId: 'cus_7', error: 'Lambda.ServiceException', cause: 'service down' },
      { customerId: 'cus_8', error: 'Lambda.ServiceException', cause: 'service down' },
    ]);
    expect(opsMessage(summary)).toContain('cus_6: InvalidInputError');
  });

  it('hands every issued invoice and every failure to the sinks as it counts them', () => {
    expect(sunk.issued).toEqual([
      { customerId: 'cus_1', invoiceNumber: 'INV-2026-000002', currency: 'EUR', totalMinor: 1999 },
      { customerId: 'cus_2', invoiceNumber: 'INV-2026-000001', currency: 'EUR', totalMinor: 1 },
      { customerId: 'cus_3', invoiceNumber: 'INV-2026-000003', currency: 'JPY', totalMinor: 1500 },
    ]);
    expect(sunk.failures.map((f) => f.customerId)).toEqual(['cus_6', 'cus_8', 'cus_7']);
  });

  it('is FAILED when the map itself failed', () => {
    const summary = t.summary({
      ...summaryArgs('run-1', 9),
      mapError: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many' },
    });
    expect(summary).toMatchObject({
      status: 'FAILED',
      mapError: { Error: 'States.ExceedToleratedFailureThreshold' },
    });
  });

  it('fails the run when more customers failed than tolerated', () => {
    expect(t.summary({ ...summaryArgs('run-1', 9), toleratedFailurePercentage: 34 }).status).toBe(
      'COMPLETED_WITH_FAILURES',
    );
    expect(t.summary({ ...summaryArgs('run-1', 9), toleratedFailurePercentage: 33 }).status).toBe('FAILED');
    expect(thresholdExceeded(3, 6, 49)).toBe(true);
    expect(thresholdExceeded(3, 6, undefined)).toBe(false);
  });
});

describe('run summary of a run with many failures', () => {
  it(`lists the first ${FAILURES_LISTED} by customer id, counts them all and sinks them all`, async () => {
    const { t, sunk } = tally();
    // 1,000 failures arriving in no particular order.
    const ids = Array.from({ length: 1000 }, (_, i) => `cus_${String((i * 7919) % 1000).padStart(4, '0')}`);
    for (const customerId of ids)
      await t.outcome({ outcome: 'failed', customerId, error: 'X', cause: 'y'.repeat(2000) });
    const summary = t.summary(summaryArgs('run-3', 1000));
    expect(summary.failed).toBe(1000);
    expect(summary.failures.map((f) => f.customerId)).toEqual(
      Array.from({ length: FAILURES_LISTED }, (_, i) => `cus_${String(i).padStart(4, '0')}`),
    );
    expect(summary.failures[0]?.cause).toHaveLength(500);
    expect(sunk.failures).toHaveLength(1000);
    expect(sunk.failures[0]?.cause).toHaveLength(2000);
    expect(opsMessage(summary)).toContain('... and 950 more: s3://b/runs/run-3/failures/');
  });
});
