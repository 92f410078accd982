/**
 * The local stack as a service: DynamoDB Local, fauxqs and SES (../stack.ts), the local Step
 * Functions endpoint running the billing state machine (../stepfunctions/), and the e-mail
 * subscriber polling its queue, as on AWS where it runs whenever messages arrive, and the daily
 * reminder job on its schedule.
 * `invoicer local up` runs this in a background process and leaves `local-stack.json` in the data
 * dir (./service-file.ts); a command with no running stack runs the same thing in-process.
 */
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import { DEFAULT_BILLING_TIME_ZONE } from '../../../lambdas/shared/config.js';
import { dailyReminders } from '../daily-reminders.js';
import { openLocalSession, type LocalSession } from '../harness/session.js';
import type { LocalEventPipelineOptions } from '../harness/session-events.js';
import { localBillingMachine, type LocalBillingMachine } from '../stepfunctions/billing-state-machine.js';
import { startStepFunctionsServer, type StepFunctionsServer } from '../stepfunctions/server.js';
import { removeServiceInfo, writeServiceInfo, type LocalServiceInfo } from './service-file.js';

export interface LocalServiceOptions {
  dataDir: string;
  seller?: SellerConfig;
  workerThreads?: number;
  /** Poll the e-mail queue this often (ms); 0: only when asked (`deliver-emails`). Default 0. */
  emailPollMs?: number;
  /** The change stream and webhook delivery (a short retry schedule in tests). */
  events?: LocalEventPipelineOptions;
  /** Run the daily reminder job on its schedule (../daily-reminders.ts). Default false. */
  dailyReminders?: boolean;
  /** Leave local-stack.json for other commands to connect (the background service). */
  announce?: boolean;
  /** Where unexpected errors of requests and polls go. */
  reportError?: (error: unknown) => void;
  /** A client asked the service to stop (`invoicer local down`): stop it gracefully. */
  onShutdownRequest?: () => void;
}

export interface LocalService {
  info: LocalServiceInfo;
  session: LocalSession;
  machine: LocalBillingMachine;
  server: StepFunctionsServer;
  /** Stops executions still running (ABORTED, redrivable), then the servers and the stack. */
  stop(): Promise<void>;
}

export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const session = await openLocalSession({
    dataDir: options.dataDir,
    ...(options.events ? { events: options.events } : {}),
  });
  const { stack } = session;
  const reportError = options.reportError ?? (() => undefined);
  const machine = localBillingMachine(session, {
    ...(options.seller ? { seller: options.seller } : {}),
    ...(options.workerThreads ? { workerThreads: options.workerThreads } : {}),
  });
  // One delivery round at a time: the poller and a command asking for one share it.
  let delivering: ReturnType<LocalSession['deliverEmails']> | undefined;
  const deliverEmails = (): ReturnType<LocalSession['deliverEmails']> => {
    delivering ??= session.deliverEmails().finally(() => (delivering = undefined));
    return delivering;
  };
  const startedAt = new Date().toISOString();
  let server: StepFunctionsServer;
  try {
    server = await startStepFunctionsServer(machine.service, {
      reportError,
      localRoutes: {
        ...machine.routes,
        health: () => ({ pid: process.pid, startedAt }),
        inbox: (_body, query) => (query.get('topic') === 'ops' ? stack.opsInbox() : stack.customerInbox()),
        'deliver-emails': () => deliverEmails(),
        'deliver-events': () => session.events!.deliverEvents!(),
        shutdown: () => {
          if (!options.onShutdownRequest) return { stopping: false };
          // After this answer: the service stops its executions, then its servers.
          setImmediate(options.onShutdownRequest);
          return { stopping: true };
        },
      },
    });
  } catch (error) {
    await session.close();
    throw error;
  }
  const poller =
    options.emailPollMs && options.emailPollMs > 0
      ? setInterval(() => void deliverEmails().catch(reportError), options.emailPollMs)
      : undefined;
  const reminders = options.dailyReminders
    ? dailyReminders({
        dataDir: stack.dataDir,
        timeZone: DEFAULT_BILLING_TIME_ZONE,
        run: async (date) => {
          const result = await session.runReminders({ date });
          await deliverEmails();
          return result;
        },
        reportError,
      })
    : undefined;
  const info: LocalServiceInfo = {
    pid: process.pid,
    startedAt,
    dataDir: stack.dataDir,
    region: stack.region,
    endpoints: { ...stack.endpoints, stepfunctions: server.url },
    stateMachineArn: machine.service.stateMachineArn,
    names: stack.names,
    resources: stack.resources,
    emailQueue: stack.emailQueue,
    webhookQueue: stack.webhookQueue,
    mailDir: stack.mailDir,
  };
  if (options.announce) writeServiceInfo(info);
  let stopped: Promise<void> | undefined;
  return {
    info,
    session,
    machine,
    server,
    stop() {
      stopped ??= (async () => {
        if (poller) clearInterval(poller);
        await reminders?.stop();
        if (options.announce) removeServiceInfo(stack.dataDir, process.pid);
        await machine.service.stopAll();
        await delivering?.catch(() => undefined);
        await server.close();
        await session.close();
      })();
      return stopped;
    },
  };
}
