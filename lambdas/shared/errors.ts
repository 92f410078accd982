/**
 * Every error name the state machine matches in Retry and Catch lives here (one source of
 * truth: the ASL lists the same names and test/workflow asserts they agree).
 *
 * A thrown error's `name` is what Step Functions sees as the error of a Lambda task, so each
 * class sets `name` explicitly (minifiers would otherwise rename it).
 */

/** Bad input data for one customer: bad customer record, missing plan, malformed usage. Not retried. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    /** Where the problem is: "customer cus_1.email", "plan pro.components[2].tiers", "usage u_17.quantity". */
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
  }
}

/** The run request itself is wrong (bad period, bad flag). Not retried. */
export class InvalidRunRequestError extends Error {
  override readonly name = 'InvalidRunRequestError';
}

/** Another run of the same period holds the run lock. Not retried; the second run changes nothing. */
export class RunAlreadyInProgressError extends Error {
  override readonly name = 'RunAlreadyInProgressError';
}

/** The optimistic update of a number series lost a race; retried with backoff. */
export class NumberSeriesContentionError extends Error {
  override readonly name = 'NumberSeriesContentionError';
}

/** The invoice row is not in the state this step expects (e.g. VOID while committing). Not retried. */
export class InvoiceStateConflictError extends Error {
  override readonly name = 'InvoiceStateConflictError';
}

/** A dependency failed in a way worth retrying (used by fault injection and wrappers). */
export class TransientDependencyError extends Error {
  override readonly name = 'TransientDependencyError';
}

/**
 * Errors retried with backoff and jitter, as Step Functions names them for Lambda tasks
 * (Lambda service errors, and AWS SDK errors thrown inside a handler keep their SDK name).
 */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'SlowDown',
  'TransientDependencyError',
] as const;

/** Transient errors of the optimized DynamoDB integrations (Step Functions prefixes `DynamoDB.`). */
export const TRANSIENT_DYNAMODB_INTEGRATION_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.InternalServerError',
] as const;

/** Transient errors of the optimized SNS publish integration. */
export const TRANSIENT_SNS_INTEGRATION_ERRORS = [
  'SNS.ThrottledException',
  'SNS.InternalErrorException',
  'SNS.KMSThrottlingException',
] as const;

/** Domain errors that end a customer's attempt at once (caught, never retried). */
export const PERMANENT_ERRORS = [
  'InvalidInputError',
  'InvoiceStateConflictError',
  'InvalidRunRequestError',
  'RunAlreadyInProgressError',
] as const;
