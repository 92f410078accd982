/**
 * `invoicer console [--port N]`: the support console (lambdas/api/console/) served with the read
 * API by the same Hono app, on 127.0.0.1, over the data dir's local stack. Its actions go through
 * the same operations as the CLI's (./operations.ts): Step Functions for re-runs and redrives,
 * the stores for resends, each recorded in the operator log.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { consoleConflict, type ConsoleDeps } from '../../lambdas/api/console/console-routes.js';
import { ISSUED_STATUSES, RUN_STATUS } from '../../lambdas/shared/contracts/statuses.js';
import type { RunRecord } from '../../lambdas/shared/store/runs.js';
import { presignedDocumentLinks } from '../../lambdas/shared/store/document-links.js';
import { serveSessionApi } from '../../workflows/local/api-server.js';
import { dataDirOption, debugRequested } from './common.js';
import { executionArnOf, redriveRun, resendWithLog, startRerun } from './operations.js';
import { print } from './output.js';
import { failedCustomersOf } from './runs.js';
import { portOption } from './serve.js';
import { withTarget, type Target } from './target.js';

export const CONSOLE_PORT = 8788;

/** An action's own failure (not redrivable, not NOTIFIED ...) as the console's 409 page. */
async function asConflict<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw consoleConflict((error as Error).message);
  }
}

export function consoleDeps(target: Target): ConsoleDeps {
  const { session } = target;
  const documentUrl = presignedDocumentLinks(session.clients.s3, session.storage.documentsBucket);
  const redrivable = async (runId: string): Promise<boolean> => {
    try {
      const d = await target.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(target, runId) }),
      );
      return d.redriveStatus === 'REDRIVABLE';
    } catch {
      return false; // not an execution of this state machine (e.g. started elsewhere)
    }
  };
  /** An execution whose run is not recorded yet (PlanRun has not run): shown as starting. */
  const startingRun = async (runId: string): Promise<RunRecord | undefined> => {
    try {
      const d = await target.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(target, runId) }),
      );
      if (d.status !== 'RUNNING') return undefined;
      const input = JSON.parse(d.input ?? '{}') as { period?: string };
      return {
        runId,
        period: input.period ?? '',
        status: RUN_STATUS.running,
        execution: d.executionArn ?? '',
        startedAt: d.startDate?.toISOString() ?? '',
        customerCount: 0,
        manifestKey: '',
        resultsPrefix: '',
      };
    } catch {
      return undefined;
    }
  };
  return {
    csrfToken: randomBytes(24).toString('base64url'),
    listRuns: async () => (await session.listRuns()).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    async runView(runId) {
      const record = (await session.listRuns()).find((r) => r.runId === runId) ?? (await startingRun(runId));
      if (!record) return undefined;
      const operatorLog = await session.operatorLog.entries({ kind: 'run', runId });
      if (record.summaryKey === undefined) {
        const progress = record.manifestKey ? await session.getRunProgress(runId) : { issuedSoFar: 0 };
        return {
          record,
          failures: [],
          failed: 0,
          notices: [],
          issuedSoFar: progress.issuedSoFar,
          redrivable: await redrivable(runId),
          operatorLog,
        };
      }
      const summary = await session.getRunSummary(runId);
      return {
        record,
        failures: summary.failures,
        failed: summary.failed,
        notices: summary.notices,
        redrivable: await redrivable(runId),
        operatorLog,
      };
    },
    rerunFailed: (runId, reason) =>
      asConflict(async () => {
        const summary = await session.getRunSummary(runId);
        const customers = await failedCustomersOf(session, runId);
        if (customers.length === 0) throw new Error(`run ${runId} has no failed customers`);
        return startRerun(target, {
          period: summary.period,
          customers,
          failedOf: runId,
          ...(reason ? { reason } : {}),
        });
      }),
    redrive: (runId) => asConflict(() => redriveRun(target, runId)),
    async customerView(customerId) {
      const invoices = await session.listInvoices({ customerId });
      const messages = (await session.readInbox(customerId)).map((m) => ({
        ...(m.invoiceNumber ? { invoiceNumber: m.invoiceNumber } : {}),
        eventType: m.eventType,
        ...(m.receivedAt ? { receivedAt: m.receivedAt } : {}),
        resend: typeof m.event.resendOf === 'string',
      }));
      const emails = (await session.readMail(customerId)).map((e) => ({
        subject: e.subject,
        sentAt: e.sentAt,
        to: e.to,
      }));
      return { customerId, invoices, messages, emails };
    },
    resend: (number, reason) => asConflict(async () => void (await resendWithLog(session, number, reason))),
    async pdfUrl(number) {
      const row = (await session.stores.invoices.query({ invoiceNumber: number })).find((r) =>
        ISSUED_STATUSES.includes(r.status),
      );
      return row ? documentUrl(row.pdfKey, `${number}.pdf`, 'inline') : undefined;
    },
  };
}

export function consoleCommand(): Command {
  return new Command('console')
    .description(
      'serve the support console (runs, failures, re-run, redrive, customers, resend) on 127.0.0.1 until Ctrl-C',
    )
    .option(
      '--port <n>',
      `port to listen on (0: a free one; default ${CONSOLE_PORT})`,
      portOption(),
      CONSOLE_PORT,
    )
    .addOption(dataDirOption())
    .option('--json', 'print the address as one JSON object: {url}')
    .option('--verbose', 'print unexpected request errors to stderr')
    .action(async (opts) => {
      const verbose = Boolean(opts.verbose) || debugRequested();
      // A stack started for the console delivers e-mails as they are queued, like `local up`'s.
      await withTarget(opts.dataDir, { emailPollMs: 1000 }, async (target) => {
        const server = await serveSessionApi(target.session, {
          port: opts.port,
          console: consoleDeps(target),
          reportError: (error) => {
            if (verbose) process.stderr.write(`invoicer console: ${(error as Error).stack}\n`);
          },
        }).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EADDRINUSE'
            ? new Error(`port ${opts.port} is in use; choose one with --port`)
            : error;
        });
        const url = `${server.url}/console`;
        print(opts.json, { url }, () => `support console on ${url} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      });
    });
}
