/** What a local session offers (./session.ts builds it): the operator session and the local extras. */
import type { AwsClientOptions } from '../../../lambdas/shared/aws/clients.js';
import type { Deliveries, OperatorSession } from '../../operator/session-types.js';
import type { LocalLinkSettings } from '../hosted-links.js';
import type { LocalExecutions } from '../liveness.js';
import type { LocalStack } from '../stack.js';

export type { CustomerMessage, RunProgress } from '../../operator/session-types.js';

/** A session on the local stack: the operator session, plus what the harness and the tests use. */
export interface LocalSession extends OperatorSession, Deliveries {
  dataDir: string;
  stack: LocalStack;
  /** Always there locally: the inbox queue and the mail dir (this session itself). */
  deliveries: Deliveries;
  /** How this data dir's hosted links are made (its secret, the address they point at). */
  linkSettings: LocalLinkSettings;
  /** The runs this session is executing: the lock-holder liveness of local runs. */
  executions: LocalExecutions;
  /** Client options of the stack: the harness adds its middlewares for a run's handlers. */
  clientOptions(middlewares?: AwsClientOptions['middlewares']): AwsClientOptions;
}
