/**
 * The change stream's event source mapping, one owner for both places: CDK configures the
 * DynamoDB event source with these (infra/constructs/domain-events.ts) and the local stack's
 * stream reader applies the same (workflows/local/stream-mapping.ts).
 */
export const CHANGE_STREAM_MAPPING = {
  /** Records per invocation. */
  batchSize: 100,
  /** Retries of a failing batch (a bisected half counts its own), then the on-failure destination. */
  retryAttempts: 4,
  /** Records older than this go to the on-failure destination unprocessed (Streams keep 24 h). */
  maxRecordAgeSeconds: 6 * 3600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
} as const;
