/**
 * Fault injection, a user-facing testing feature of the local run (`invoicer run --inject-faults
 * SPEC`). Production code knows nothing of it: the harness attaches it from outside, as an SDK
 * middleware on the handlers' clients (AwsClientOptions.middlewares) and as a hook before the
 * executor's direct service integrations.
 *
 * SPEC is a comma list of `STEP:KIND:RATE` or `STEP:permanent:customer=ID`, STEP one of
 * compute, reserve, render, commit, notify. A fault is raised where the real call would fail,
 * with the error the real service returns: inside Lambda steps at the step's AWS SDK call (the
 * SDK's own exception classes), for the direct service integrations with the Step Functions
 * error name. Decisions are seeded, so a run can be repeated exactly.
 *
 * Transient faults are rolled per attempt (a retry can succeed); permanent faults are decided per
 * customer (every attempt for that customer fails). A `crash` kills the whole process with SIGKILL
 * at that point (for notify: after the message was published, before it is recorded), which is
 * how the tests prove that a killed run loses nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBServiceException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { AwsCall, AwsCallMiddleware } from '../../lambdas/shared/aws/clients.js';

export {
  FAULT_STEPS,
  FaultSpecError,
  parseFaultSpec,
  type FaultKind,
  type FaultPlan,
  type FaultRule,
  type FaultStep,
} from './fault-spec.js';
import type { FaultKind, FaultPlan, FaultStep } from './fault-spec.js';

/** 32-bit FNV-1a plus a finalizer; mixes the seed, step, customer and attempt into one reproducible number. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // MurmurHash3's finalizer: FNV alone leaves inputs that differ in the last character (the
  // attempt number) linearly related, which would correlate a customer's retries.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const unit = (text: string): number => hash(text) / 0x1_0000_0000;

/** The SDK call at which each Lambda step fails: the call that does the step's real work. */
const FAULT_POINT: Partial<Record<FaultStep, { service: string; operations: string[] }>> = {
  compute: { service: 'dynamodb', operations: ['Get', 'GetItem', 'Query', 'QueryCommand'] },
  // The claim: the reservation's first write. The batch took the number already (one counter
  // increment per batch), so a permanent failure here leaves it to Compensate to keep as VOID.
  reserve: { service: 'dynamodb', operations: ['TransactWrite', 'TransactWriteItems'] },
  render: { service: 's3', operations: ['PutObject'] },
};

const metadata = { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 };

/** The `crash` fault: the process dies at once, as if the machine or the Lambda sandbox went away. */
function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: the process was killed');
}

function sdkError(service: string, kind: 'transient' | 'permanent'): Error {
  const message = `injected ${kind} fault`;
  if (service === 'dynamodb') {
    return kind === 'transient'
      ? new ProvisionedThroughputExceededException({ message, $metadata: metadata })
      : new DynamoDBServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: metadata,
          message,
        });
  }
  return new S3ServiceException({
    name: kind === 'transient' ? 'SlowDown' : 'AccessDenied',
    $fault: kind === 'transient' ? 'server' : 'client',
    $metadata: { ...metadata, httpStatusCode: kind === 'transient' ? 503 : 403 },
    message,
  });
}

interface InvocationContext {
  step: FaultStep;
  customerId: string;
  /** Set once this invocation rolled its fault, so one attempt rolls once. */
  rolled: boolean;
}

/** One run's fault plan and what it injected. Without a plan (or with no rules) it injects nothing. */
export class FaultInjector {
  private readonly plan: FaultPlan | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly invocation = new AsyncLocalStorage<InvocationContext>();

  constructor(plan: FaultPlan | undefined) {
    this.plan = plan && plan.rules.length > 0 ? plan : undefined;
  }

  /** Whether this run injects anything at all. */
  get active(): boolean {
    return this.plan !== undefined;
  }

  /** Faults injected so far, keyed `step:kind`. */
  injected(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort());
  }

  /**
   * Decides whether this attempt of `step` for `customerId` fails, and how. Each call is one
   * attempt: transient rolls differ per attempt, permanent decisions stay fixed per customer.
   */
  decide(
    step: FaultStep,
    customerId: string,
    kinds: readonly FaultKind[] = ['transient', 'permanent', 'crash'],
  ): FaultKind | undefined {
    const plan = this.plan;
    if (!plan) return undefined;
    const attemptKey = `${step}|${customerId}`;
    const attempt = (this.attempts.get(attemptKey) ?? 0) + 1;
    this.attempts.set(attemptKey, attempt);
    for (const rule of plan.rules) {
      if (rule.step !== step || !kinds.includes(rule.kind)) continue;
      let hit: boolean;
      if ('customerId' in rule) hit = rule.customerId === customerId;
      else if (rule.kind !== 'transient')
        hit = unit(`${plan.seed}|${step}|${customerId}|${rule.kind}`) < rule.rate;
      else hit = unit(`${plan.seed}|${step}|${customerId}|${attempt}`) < rule.rate;
      if (hit) {
        const key = `${step}:${rule.kind}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        return rule.kind;
      }
    }
    return undefined;
  }

  /** Runs a Lambda step's invocation so that its AWS calls know which step and customer they serve. */
  withInvocation<T>(step: FaultStep, customerId: string, fn: () => T): T {
    return this.invocation.run({ step, customerId, rolled: false }, fn);
  }

  /** The SDK middleware: fails (or kills) the step's fault-point call. */
  readonly middleware: AwsCallMiddleware = {
    name: 'invoicerLocalFaultInjection',
    before: (call: AwsCall) => {
      const ctx = this.invocation.getStore();
      if (!this.plan || !ctx || ctx.rolled) return;
      const point = FAULT_POINT[ctx.step];
      if (!point || point.service !== call.service || !point.operations.includes(call.operation)) return;
      ctx.rolled = true;
      const kind = this.decide(ctx.step, ctx.customerId);
      if (kind === 'crash') crashNow();
      if (kind) throw sdkError(call.service, kind);
    },
  };

  /**
   * The Step Functions error a direct service integration fails with under a fault: commit is a
   * DynamoDB updateItem, notify an SNS publish.
   */
  integrationFault(
    step: 'commit' | 'notify',
    customerId: string,
  ): { error: string; cause: string } | undefined {
    // A notify crash happens after the publish (see crashAfterNotify), not instead of it.
    const kind = this.decide(step, customerId, step === 'notify' ? ['transient', 'permanent'] : undefined);
    if (kind === 'crash') crashNow();
    if (!kind) return undefined;
    const service = step === 'commit' ? 'DynamoDB' : 'SNS';
    const name =
      step === 'commit'
        ? kind === 'transient'
          ? 'ProvisionedThroughputExceededException'
          : 'ResourceNotFoundException'
        : kind === 'transient'
          ? 'ThrottledException'
          : 'AuthorizationErrorException';
    return { error: `${service}.${name}`, cause: `injected ${kind} fault (${service} ${name})` };
  }

  /** The notify crash point: called when the invoice is about to be recorded as NOTIFIED. */
  crashAfterNotify(customerId: string): void {
    if (this.decide('notify', customerId, ['crash']) === 'crash') crashNow();
  }
}
