/**
 * The retries a failure record is shown with (workflows/operator/retry-policy.ts): Step Functions'
 * Retrier matching on the ASL's own rules.
 */
import {
  billingRunRetries,
  retriesBefore,
  withFailureRetries,
} from '../../../workflows/operator/retry-policy.js';

describe('retry policy', () => {
  it('takes the first Retrier naming the error, or a wildcard; none retries nothing', () => {
    const rules = [
      { ErrorEquals: ['Contention'], MaxAttempts: 10 },
      { ErrorEquals: ['Throttled', 'Contention'], MaxAttempts: 4 },
      { ErrorEquals: ['States.TaskFailed'] },
    ];
    expect(retriesBefore(rules, 'Contention')).toBe(10);
    expect(retriesBefore(rules, 'Throttled')).toBe(4);
    // States.TaskFailed takes any error but a timeout; a Retrier without MaxAttempts makes 3.
    expect(retriesBefore(rules, 'AccessDenied')).toBe(3);
    expect(retriesBefore(rules, 'States.Timeout')).toBe(0);
    expect(retriesBefore([{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], 'States.Timeout')).toBe(2);
    expect(retriesBefore(undefined, 'Throttled')).toBe(0);
  });

  it("reads the billing run's rules from the deployed ASL, nested states included", () => {
    expect(billingRunRetries('RenderDocuments', 'SlowDown')).toBe(4);
    expect(billingRunRetries('RenderDocuments', 'AccessDenied')).toBe(0);
    expect(billingRunRetries('ReserveNumber', 'NumberSeriesContentionError')).toBe(10);
    expect(billingRunRetries('Compensate', 'Lambda.ServiceException')).toBe(6);
    expect(billingRunRetries('NotifyCustomer', 'SNS.ThrottledException')).toBe(4);
    expect(billingRunRetries('NoSuchState', 'SlowDown')).toBeUndefined();
    expect(billingRunRetries(undefined, 'SlowDown')).toBeUndefined();
  });

  it("adds retries to a summary's failures whose step is known", () => {
    const summary = withFailureRetries({
      failures: [
        { customerId: 'a', step: 'CommitInvoice', error: 'DynamoDB.ThrottlingException', cause: '' },
        { customerId: 'b', error: 'Lambda.ServiceException', cause: 'a whole batch' },
      ],
    });
    expect(summary.failures).toEqual([
      {
        customerId: 'a',
        step: 'CommitInvoice',
        error: 'DynamoDB.ThrottlingException',
        cause: '',
        retries: 4,
      },
      { customerId: 'b', error: 'Lambda.ServiceException', cause: 'a whole batch' },
    ]);
  });
});
