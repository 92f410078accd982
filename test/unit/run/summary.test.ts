import { opsMessage, summarizeRun, thresholdExceeded } from '../../../lambdas/finalize-run/summary.js';

const succeeded = (
  customerId: string,
  outcome: string,
  invoiceNumber: string,
  totalMinor: number,
  currency: string,
) => ({
  Status: 'SUCCEEDED',
  Input: JSON.stringify({ customerId }),
  Output: JSON.stringify({ outcome, customerId, invoice: { invoiceNumber, totalMinor, currency } }),
});

describe('run summary', () => {
  const summary = summarizeRun({
    runId: 'run-1',
    period: '2026-10',
    customerCount: 5,
    succeeded: [
      succeeded('cus_1', 'issued', 'INV-2026-000002', 1999, 'EUR'),
      succeeded('cus_2', 'issued', 'INV-2026-000001', 1, 'EUR'),
      succeeded('cus_3', 'issued', 'INV-2026-000003', 1500, 'JPY'),
      succeeded('cus_4', 'skipped', 'INV-2026-000000', 100, 'EUR'),
    ],
    failed: [
      {
        Status: 'FAILED',
        Input: JSON.stringify({ customerId: 'cus_5' }),
        Error: 'InvalidInputError',
        Cause: 'usage u1.quantity: not a number',
      },
    ],
    documentsPrefix: 's3://b/invoices/2026-10/',
    summaryKey: 's3://b/runs/run-1/summary.json',
  });

  it('counts issued, skipped and failed customers', () => {
    expect(summary).toMatchObject({
      issued: 3,
      skipped: 1,
      failed: 1,
      notProcessed: 0,
      status: 'COMPLETED_WITH_FAILURES',
    });
  });

  it('totals issued invoices per currency with the currency exponent', () => {
    expect(summary.totals).toEqual([
      { currency: 'EUR', totalMinor: 2000, total: '20.00', invoices: 2 },
      { currency: 'JPY', totalMinor: 1500, total: '1500', invoices: 1 },
    ]);
  });

  it('lists failed customers with the error Step Functions reported', () => {
    expect(summary.failures).toEqual([
      { customerId: 'cus_5', error: 'InvalidInputError', cause: 'usage u1.quantity: not a number' },
    ]);
    expect(opsMessage(summary)).toContain('cus_5: InvalidInputError');
  });

  it('is FAILED when the map itself failed, and counts customers never reached', () => {
    const failed = summarizeRun({
      runId: 'r',
      period: '2026-10',
      customerCount: 10,
      succeeded: [],
      failed: [{ Input: JSON.stringify({ customerId: 'c' }), Error: 'X', Cause: '' }],
      mapError: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many' },
      documentsPrefix: '',
      summaryKey: '',
    });
    expect(failed).toMatchObject({ status: 'FAILED', failed: 1, notProcessed: 9 });
  });
});

describe('run summary of batches', () => {
  const outcome = (customerId: string, invoiceNumber: string) => ({
    outcome: 'issued',
    action: 'issue',
    customerId,
    invoice: { invoiceNumber, totalMinor: 100, currency: 'EUR' },
  });
  const args = {
    runId: 'run-2',
    period: '2026-10',
    customerCount: 6,
    succeeded: [
      {
        Status: 'SUCCEEDED',
        Input: JSON.stringify({ Items: [{ customerId: 'a' }, { customerId: 'b' }, { customerId: 'c' }] }),
        Output: JSON.stringify([
          outcome('a', 'INV-2026-000001'),
          { outcome: 'failed', customerId: 'b', error: 'InvalidInputError', cause: 'customer b.email: bad' },
          outcome('c', 'INV-2026-000002'),
        ]),
      },
    ],
    failed: [
      {
        Status: 'FAILED',
        Input: JSON.stringify({ Items: [{ customerId: 'd' }, { customerId: 'e' }], BatchInput: {} }),
        Error: 'Lambda.ServiceException',
        Cause: JSON.stringify({ errorMessage: 'service down' }),
      },
    ],
    documentsPrefix: 's3://b/invoices/2026-10/',
    summaryKey: 's3://b/runs/run-2/summary.json',
  };

  it('counts each customer of a batch, and every customer of a failed batch as failed', () => {
    const summary = summarizeRun(args);
    expect(summary).toMatchObject({
      issued: 2,
      failed: 3,
      notProcessed: 1,
      status: 'COMPLETED_WITH_FAILURES',
    });
    expect(summary.failures).toEqual([
      { customerId: 'b', error: 'InvalidInputError', cause: 'customer b.email: bad' },
      { customerId: 'd', error: 'Lambda.ServiceException', cause: 'service down' },
      { customerId: 'e', error: 'Lambda.ServiceException', cause: 'service down' },
    ]);
  });

  it('fails the run when more customers failed than tolerated', () => {
    expect(summarizeRun({ ...args, toleratedFailurePercentage: 50 }).status).toBe('COMPLETED_WITH_FAILURES');
    expect(summarizeRun({ ...args, toleratedFailurePercentage: 49 }).status).toBe('FAILED');
    expect(thresholdExceeded(3, 6, 49)).toBe(true);
    expect(thresholdExceeded(3, 6, undefined)).toBe(false);
  });
});
