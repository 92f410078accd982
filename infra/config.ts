/**
 * Deployment configuration: read once from CDK context in app.ts (`-c key=value` or cdk.json
 * "context"), validated, and passed on as typed props. Every problem is reported at once, by key.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DEFAULT_BILLING_TIME_ZONE,
  BATCH_SIZE_RANGE,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_SELLER,
  DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  MAX_CONCURRENCY_RANGE,
  parsePublicBaseUrl,
  TOLERATED_FAILURE_RANGE,
} from '../lambdas/shared/config.js';
import type { SellerConfig } from '../lambdas/shared/domain/types.js';
import { isEmailAddress } from '../lambdas/shared/domain/email-address.js';
import { readSeller } from './seller-config.js';

export interface BillingConfig {
  /** Names the stack (`Invoicer-<stage>`) and its named resources. Lowercase letters, digits, dashes. */
  readonly stage: string;
  /** IANA time zone of the schedule and of the billing period boundaries. */
  readonly scheduleTimeZone: string;
  /** EventBridge Scheduler cron expression, `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly scheduleCron: string;
  /** Set false to deploy with the monthly schedule disabled (runs started by hand only). */
  readonly scheduleEnabled: boolean;
  /** The run fails when more than this percentage of customers failed (Distributed Map threshold). */
  readonly toleratedFailurePercentage: number;
  /** Customers processed in parallel by the Distributed Map. */
  readonly maxConcurrency: number;
  /** Customers per map child (ItemBatcher). */
  readonly batchSize: number;
  /** Days an overwritten or deleted document version is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Object Lock (compliance) retention of new documents in days; 0 = Object Lock off. */
  readonly objectLockRetentionDays: number;
  /** Retention of the Lambda and state machine log groups. */
  readonly logRetentionDays: RetentionDays;
  /** Athena stops a report query that would scan more than this (MB, at least 10). */
  readonly analyticsBytesScannedCutoffMb: number;
  /** Athena query results are deleted after this many days. */
  readonly athenaResultsRetentionDays: number;
  /** Optional e-mail subscription on the ops topic (run summaries and alarms). */
  readonly opsEmail?: string;
  /** The seller printed on every invoice. */
  readonly seller: SellerConfig;
  /**
   * Where customers open their hosted invoice pages (a custom domain mapped to the read API);
   * absent: the read API's own URL.
   */
  readonly publicBaseUrl?: string;
  /** From address of invoice e-mails; absent: no e-mail subscriber is deployed. */
  readonly emailFrom?: string;
  /** The verified SES identity `emailFrom` sends as (a domain or the address); default: its domain. */
  readonly sesIdentity?: string;
}

export const DEFAULT_CONFIG: BillingConfig = {
  stage: 'dev',
  scheduleTimeZone: DEFAULT_BILLING_TIME_ZONE,
  scheduleCron: 'cron(0 2 1 * ? *)',
  scheduleEnabled: true,
  toleratedFailurePercentage: DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  maxConcurrency: DEFAULT_MAX_CONCURRENCY,
  batchSize: DEFAULT_BATCH_SIZE,
  noncurrentVersionRetentionDays: 7,
  objectLockRetentionDays: 0,
  logRetentionDays: RetentionDays.ONE_MONTH,
  analyticsBytesScannedCutoffMb: 1024,
  athenaResultsRetentionDays: 7,
  seller: DEFAULT_SELLER,
};

/** The context keys app.ts reads, in the order they are documented. */
export const CONFIG_KEYS = [
  'stage',
  'scheduleTimeZone',
  'scheduleCron',
  'scheduleEnabled',
  'toleratedFailurePercentage',
  'maxConcurrency',
  'batchSize',
  'noncurrentVersionRetentionDays',
  'objectLockRetentionDays',
  'logRetentionDays',
  'analyticsBytesScannedCutoffMb',
  'athenaResultsRetentionDays',
  'opsEmail',
  'seller',
  'publicBaseUrl',
  'emailFrom',
  'sesIdentity',
] as const satisfies readonly (keyof BillingConfig)[];

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

const LOG_RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0),
);

/**
 * Builds the configuration from context values (strings from `-c`, or JSON values from cdk.json).
 * `get` returns undefined for a key that is not set; the default applies then.
 */
export function readConfig(get: (key: string) => unknown): BillingConfig {
  const problems: string[] = [];
  const where = (key: string, raw: unknown) => `context ${key}=${JSON.stringify(raw)}`;

  const str = (
    key: keyof BillingConfig,
    fallback: string,
    check: (v: string) => string | undefined,
  ): string => {
    const raw = get(key);
    if (raw === undefined || raw === '') return fallback;
    const value = String(raw).trim();
    const problem = typeof raw === 'string' || typeof raw === 'number' ? check(value) : 'must be a string';
    if (problem) problems.push(`${where(key, raw)}: ${problem}`);
    return value;
  };
  const int = (key: keyof BillingConfig, fallback: number, min: number, max: number): number => {
    const raw = get(key);
    if (raw === undefined || raw === '') return fallback;
    const value =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
          ? Number(raw)
          : NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${where(key, raw)}: must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (key: keyof BillingConfig, fallback: boolean): boolean => {
    const raw = get(key);
    if (raw === undefined || raw === '') return fallback;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    problems.push(`${where(key, raw)}: must be true or false`);
    return fallback;
  };

  const stage = str('stage', DEFAULT_CONFIG.stage, (v) =>
    /^[a-z][a-z0-9-]{0,19}$/.test(v)
      ? undefined
      : 'must be 1-20 lowercase letters, digits or dashes, starting with a letter',
  );
  const scheduleTimeZone = str('scheduleTimeZone', DEFAULT_CONFIG.scheduleTimeZone, (v) =>
    isTimeZone(v) ? undefined : 'is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)',
  );
  const scheduleCron = str('scheduleCron', DEFAULT_CONFIG.scheduleCron, (v) => cronProblem(v));
  const scheduleEnabled = bool('scheduleEnabled', DEFAULT_CONFIG.scheduleEnabled);
  const toleratedFailurePercentage = int(
    'toleratedFailurePercentage',
    DEFAULT_CONFIG.toleratedFailurePercentage,
    ...TOLERATED_FAILURE_RANGE,
  );
  const maxConcurrency = int('maxConcurrency', DEFAULT_CONFIG.maxConcurrency, ...MAX_CONCURRENCY_RANGE);
  const batchSize = int('batchSize', DEFAULT_CONFIG.batchSize, ...BATCH_SIZE_RANGE);
  const noncurrentVersionRetentionDays = int(
    'noncurrentVersionRetentionDays',
    DEFAULT_CONFIG.noncurrentVersionRetentionDays,
    1,
    36500,
  );
  const objectLockRetentionDays = int(
    'objectLockRetentionDays',
    DEFAULT_CONFIG.objectLockRetentionDays,
    0,
    36500,
  );
  const logRetentionDays = int('logRetentionDays', DEFAULT_CONFIG.logRetentionDays, 1, 3653);
  if (!LOG_RETENTION_VALUES.has(logRetentionDays)) {
    problems.push(
      `${where('logRetentionDays', get('logRetentionDays'))}: must be one of ${[...LOG_RETENTION_VALUES].sort((a, b) => a - b).join(', ')}`,
    );
  }
  const analyticsBytesScannedCutoffMb = int(
    'analyticsBytesScannedCutoffMb',
    DEFAULT_CONFIG.analyticsBytesScannedCutoffMb,
    10,
    1_048_576,
  );
  const athenaResultsRetentionDays = int(
    'athenaResultsRetentionDays',
    DEFAULT_CONFIG.athenaResultsRetentionDays,
    1,
    3650,
  );
  /** An optional e-mail address setting: undefined when unset. */
  const email = (key: 'opsEmail' | 'emailFrom'): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === '') return undefined;
    return str(key, '', (v) => (isEmailAddress(v) ? undefined : 'is not an e-mail address'));
  };
  const opsEmail = email('opsEmail');
  const seller = readSeller(get('seller'), problems);
  const publicBaseUrlRaw = get('publicBaseUrl');
  let publicBaseUrl: string | undefined;
  if (publicBaseUrlRaw !== undefined && publicBaseUrlRaw !== '') {
    try {
      publicBaseUrl = parsePublicBaseUrl(String(publicBaseUrlRaw), 'publicBaseUrl');
      if (!publicBaseUrl.startsWith('https://')) problems.push('publicBaseUrl: must be an https URL');
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  const emailFrom = email('emailFrom');
  const identityRaw = get('sesIdentity');
  const sesIdentity =
    identityRaw === undefined || identityRaw === ''
      ? emailFrom?.split('@')[1]
      : str('sesIdentity', '', (v) =>
          emailFrom === undefined
            ? 'needs emailFrom'
            : v === emailFrom || emailFrom.endsWith(`@${v}`)
              ? undefined
              : `must be emailFrom's domain or emailFrom itself`,
        );

  if (problems.length > 0) {
    throw new ConfigurationError(
      `invalid invoicer configuration (set with -c key=value or in cdk.json "context"):\n  - ${problems.join('\n  - ')}`,
    );
  }
  return {
    stage,
    scheduleTimeZone,
    scheduleCron,
    scheduleEnabled,
    toleratedFailurePercentage,
    maxConcurrency,
    batchSize,
    noncurrentVersionRetentionDays,
    objectLockRetentionDays,
    logRetentionDays: logRetentionDays as RetentionDays,
    analyticsBytesScannedCutoffMb,
    athenaResultsRetentionDays,
    ...(opsEmail ? { opsEmail } : {}),
    seller,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(emailFrom ? { emailFrom, ...(sesIdentity ? { sesIdentity } : {}) } : {}),
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** EventBridge Scheduler cron: six fields; exactly one of day-of-month / day-of-week is `?`. */
function cronProblem(expression: string): string | undefined {
  const match = /^cron\((.*)\)$/.exec(expression);
  const fields = match?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6)
    return 'must be cron(minutes hours day-of-month month day-of-week year), six fields';
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?"';
  }
  if (fields.some((f) => !/^[0-9A-Za-z*?,/\-#L]+$/.test(f)))
    return 'has a field with characters cron does not allow';
  return undefined;
}
