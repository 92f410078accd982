/**
 * What a command works on. Locally: the running local stack of the data dir (`invoicer local up`),
 * reached through its endpoints with no Java started; else the same stack started in this process
 * for the command. On AWS (`--target aws --stack NAME`): the deployed stack, through its
 * CloudFormation outputs and the usual credential chain. Either way, runs go through the Step
 * Functions API (`@aws-sdk/client-sfn`).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import type { SellerConfig } from '../../lambdas/shared/domain/types.js';
import type { OperatorSession } from '../../workflows/operator/session-types.js';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { LOCAL_CREDENTIALS } from '../../workflows/local/local-credentials.js';
import { askLocalStack } from '../../workflows/local/service/ask.js';
import { liveService, type LocalServiceInfo } from '../../workflows/local/service/service-file.js';
import type { LocalService } from '../../workflows/local/service/local-service.js';
import type { LocalExecutionSettings } from '../../workflows/local/stepfunctions/billing-state-machine.js';
import { usableDataDir } from './data-dir.js';
import { usageError } from './options.js';

export const TARGET_ENV = 'INVOICER_TARGET';
export const STACK_ENV = 'INVOICER_STACK';
export const TARGET_KINDS = ['local', 'aws'] as const;

/** What the target options of a command said (`--data-dir`, `--target`, `--stack`). */
export interface TargetSelection {
  dataDir: string;
  target?: (typeof TARGET_KINDS)[number];
  stack?: string;
}

export interface Target {
  /** `connected`: a running local stack; `embedded`: started for this command; `aws`: a deployed stack. */
  kind: 'connected' | 'embedded' | 'aws';
  session: OperatorSession;
  /** The same session with the local stack's extras; undefined on AWS. */
  localSession: LocalSession | undefined;
  sfn: SFNClient;
  stateMachineArn: string;
  /** How often a followed execution is described (the local API is cheap to ask; AWS is not). */
  pollMs: number;
  /** Local-only settings of an execution about to start (faults, workers, handler logs). */
  setExecutionSettings(name: string, settings: LocalExecutionSettings): Promise<void>;
  /** A deployed stack's Glue database and Athena workgroup (reports); undefined locally. */
  analytics?: { database: string; workGroup: string };
  /** The seller the target invoices as (a preview prints it on its documents). */
  seller(): Promise<SellerConfig>;
  /** The local execution's metrics (timings, AWS calls), once it ended; {} if unknown. */
  executionMetrics(name: string): Promise<Record<string, unknown>>;
  /**
   * Embedded only: stops this process's executions as `local down` does, letting the customers in
   * flight finish (a signalled `run` asks it before the stack goes).
   */
  stopExecutions?(): Promise<void>;
  close(): Promise<void>;
}

export interface TargetOptions {
  seller?: SellerConfig;
  workerThreads?: number;
  /** A stack started for the command delivers queued e-mails this often (long-running commands). */
  emailPollMs?: number;
  /** A stack started for a long-running command runs the daily reminder job on its schedule. */
  dailyReminders?: boolean;
}

/** The stack a selection names on AWS, or undefined for the local stack; a bad pair is a usage error. */
export function awsStackOf(selection: TargetSelection): string | undefined {
  const target = selection.target ?? (selection.stack ? 'aws' : 'local');
  if (target === 'local') {
    if (selection.stack)
      throw usageError(`--stack ${selection.stack} names a deployed stack: it goes with --target aws`);
    return undefined;
  }
  if (!selection.stack) throw usageError(`--target aws needs --stack NAME (or ${STACK_ENV})`);
  return selection.stack;
}

/** A target over a running local stack's info: its session, an SFN client, its local routes. */
function targetOn(
  kind: 'connected' | 'embedded',
  info: LocalServiceInfo,
  session: LocalSession,
  stop: () => Promise<void>,
  seller: SellerConfig = DEFAULT_SELLER,
): Target {
  const sfn = new SFNClient({
    region: info.region,
    endpoint: info.endpoints.stepfunctions,
    credentials: { ...LOCAL_CREDENTIALS },
  });
  return {
    kind,
    session,
    localSession: session,
    sfn,
    stateMachineArn: info.stateMachineArn,
    pollMs: 250,
    seller: async () => seller,
    setExecutionSettings: async (name, settings) =>
      void (await askLocalStack(info, 'execution-settings', { name, settings })),
    executionMetrics: (name) => askLocalStack(info, `execution-metrics?name=${encodeURIComponent(name)}`),
    async close() {
      sfn.destroy();
      await stop();
    },
  };
}

async function awsTarget(stackName: string): Promise<Target> {
  const { openAwsSession } = await import('../../workflows/operator/aws-session.js');
  const { session, stateMachineArn, region, outputs } = await openAwsSession(stackName);
  return {
    kind: 'aws',
    session,
    localSession: undefined,
    sfn: session.clients.sfn,
    stateMachineArn,
    pollMs: 2000,
    ...(outputs.AnalyticsDatabaseName && outputs.AnalyticsWorkGroupName
      ? { analytics: { database: outputs.AnalyticsDatabaseName, workGroup: outputs.AnalyticsWorkGroupName } }
      : {}),
    seller: async () =>
      (await import('../../workflows/operator/deployed-seller.js')).deployedSeller(region, outputs),
    async setExecutionSettings(name, settings) {
      if (settings.faults)
        throw usageError(
          `fault injection is for the local stack only; ${name} was not started on ${stackName}`,
        );
    },
    executionMetrics: async () => ({}),
    close: () => session.close(),
  };
}

export async function openTarget(selection: TargetSelection, options: TargetOptions = {}): Promise<Target> {
  const stackName = awsStackOf(selection);
  if (stackName !== undefined) return awsTarget(stackName);
  const dir = usableDataDir(selection.dataDir);
  const running = liveService(dir);
  if (running) {
    const { connectLocalSession } = await import('../../workflows/local/service/connect.js');
    const session = await connectLocalSession(running);
    return targetOn('connected', running, session, () => session.close(), options.seller);
  }
  // Loaded only when this command starts the stack itself (handlers, renderer, emulators).
  const { startLocalService } = await import('../../workflows/local/service/local-service.js');
  return embeddedTarget(await startLocalService({ dataDir: dir, ...options }), options.seller);
}

/** A target on a local stack this process runs (a command without `local up`, the tests). */
export function embeddedTarget(service: LocalService, seller?: SellerConfig): Target {
  return {
    ...targetOn('embedded', service.info, service.session, () => service.stop(), seller),
    stopExecutions: () => service.machine.service.stopAll(),
  };
}

export async function withTarget<T>(
  selection: TargetSelection,
  options: TargetOptions,
  fn: (target: Target) => Promise<T>,
): Promise<T> {
  const target = await openTarget(selection, options);
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

/** The local session of a target, for what exists only locally (`what`: the feature, for the error). */
export function localSessionOf(target: Target, what: string): LocalSession {
  if (!target.localSession) throw usageError(`${what} is for the local stack only (not --target aws)`);
  return target.localSession;
}

/** A command that only needs the session (stores, links, the operator log). */
export function withSession<T>(
  selection: TargetSelection,
  fn: (session: OperatorSession) => Promise<T>,
): Promise<T> {
  return withTarget(selection, {}, (target) => fn(target.session));
}
