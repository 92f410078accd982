/**
 * What a command works on: the running local stack of the data dir (`invoicer local up`), reached
 * through its endpoints with no Java started; else the same stack started in this process for the
 * command. Either way, runs go through the Step Functions API (`@aws-sdk/client-sfn`).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SellerConfig } from '../../lambdas/shared/domain/types.js';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { LOCAL_CREDENTIALS } from '../../workflows/local/local-credentials.js';
import { askLocalStack } from '../../workflows/local/service/ask.js';
import { liveService, type LocalServiceInfo } from '../../workflows/local/service/service-file.js';
import type { LocalService } from '../../workflows/local/service/local-service.js';
import type { LocalExecutionSettings } from '../../workflows/local/stepfunctions/billing-state-machine.js';
import { usableDataDir } from './data-dir.js';

export interface Target {
  /** `connected`: a running local stack; `embedded`: started for this command. */
  kind: 'connected' | 'embedded';
  session: LocalSession;
  sfn: SFNClient;
  stateMachineArn: string;
  /** Local-only settings of an execution about to start (faults, workers, handler logs). */
  setExecutionSettings(name: string, settings: LocalExecutionSettings): Promise<void>;
  /** The local execution's metrics (timings, AWS calls), once it ended; {} if unknown. */
  executionMetrics(name: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TargetOptions {
  seller?: SellerConfig;
  workerThreads?: number;
  /** A stack started for the command delivers queued e-mails this often (long-running commands). */
  emailPollMs?: number;
}

/** A target over a running stack's info: its session, an SFN client, its local routes. */
function targetOn(
  kind: Target['kind'],
  info: LocalServiceInfo,
  session: LocalSession,
  stop: () => Promise<void>,
): Target {
  const sfn = new SFNClient({
    region: info.region,
    endpoint: info.endpoints.stepfunctions,
    credentials: { ...LOCAL_CREDENTIALS },
  });
  return {
    kind,
    session,
    sfn,
    stateMachineArn: info.stateMachineArn,
    setExecutionSettings: async (name, settings) =>
      void (await askLocalStack(info, 'execution-settings', { name, settings })),
    executionMetrics: (name) => askLocalStack(info, `execution-metrics?name=${encodeURIComponent(name)}`),
    async close() {
      sfn.destroy();
      await stop();
    },
  };
}

export async function openTarget(dataDir: string, options: TargetOptions = {}): Promise<Target> {
  const dir = usableDataDir(dataDir);
  const running = liveService(dir);
  if (running) {
    const { connectLocalSession } = await import('../../workflows/local/service/connect.js');
    const session = await connectLocalSession(running);
    return targetOn('connected', running, session, () => session.close());
  }
  // Loaded only when this command starts the stack itself (handlers, renderer, emulators).
  const { startLocalService } = await import('../../workflows/local/service/local-service.js');
  return embeddedTarget(await startLocalService({ dataDir: dir, ...options }));
}

/** A target on a local stack this process runs (a command without `local up`, the tests). */
export function embeddedTarget(service: LocalService): Target {
  return targetOn('embedded', service.info, service.session, () => service.stop());
}

export async function withTarget<T>(
  dataDir: string,
  options: TargetOptions,
  fn: (target: Target) => Promise<T>,
): Promise<T> {
  const target = await openTarget(dataDir, options);
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

/** A command that only needs the session (stores, inbox, links). */
export function withSession<T>(dataDir: string, fn: (session: LocalSession) => Promise<T>): Promise<T> {
  return withTarget(dataDir, {}, (target) => fn(target.session));
}
