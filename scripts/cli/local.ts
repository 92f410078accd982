/**
 * `invoicer local up | down | status | serve`: the local stack as a long-lived background service
 * of a data dir; every other command connects to it while it runs (no Java start per command).
 */
import { Command } from 'commander';
import { localDown, localStatus, localUp } from '../../workflows/local/service/control.js';
import { dataDirOption, debugRequested, localSeller } from './common.js';
import { usableDataDir } from './data-dir.js';
import { integerOption } from './options.js';
import { print } from './output.js';

const statusText = (s: ReturnType<typeof localStatus>): string =>
  s.running
    ? [
        `local stack of ${s.dataDir}: running (pid ${s.pid}, since ${s.startedAt})`,
        ...Object.entries(s.endpoints ?? {}).map(([name, url]) => `  ${name.padEnd(13)} ${url}`),
        `  log           ${s.log}`,
      ].join('\n')
    : `local stack of ${s.dataDir}: not running (start it with: invoicer local up)`;

export function localCommand(): Command {
  const local = new Command('local').description('the local stack as a background service: up, down, status');
  local
    .command('up')
    .description('start the local stack in the background (DynamoDB Local, S3/SNS/SQS, SES, Step Functions)')
    .addOption(dataDirOption())
    .option('--json', 'print the status as JSON')
    .action(async (opts) => {
      const dataDir = usableDataDir(opts.dataDir);
      await localUp(dataDir);
      const status = localStatus(dataDir);
      print(opts.json, status, () => statusText(status));
    });
  local
    .command('down')
    .description('stop it (runs still going end ABORTED; continue them later with: invoicer redrive RUN)')
    .addOption(dataDirOption())
    .option('--json', 'print {"stopped": true|false}')
    .action(async (opts) => {
      const stopped = await localDown(usableDataDir(opts.dataDir));
      print(opts.json, { stopped }, () => (stopped ? 'local stack stopped' : 'local stack was not running'));
    });
  local
    .command('status')
    .description('whether it runs, its pid and endpoints (exit code 3 when it does not run)')
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action((opts) => {
      const status = localStatus(usableDataDir(opts.dataDir));
      print(opts.json, status, () => statusText(status));
      if (!status.running) process.exitCode = 3;
    });
  local
    .command('serve')
    .description(
      'run the local stack in the foreground until Ctrl-C (what `local up` runs in the background)',
    )
    .addOption(dataDirOption())
    .option(
      '--email-poll-ms <n>',
      'deliver queued e-mails and domain events this often',
      integerOption(0, 3_600_000),
      1000,
    )
    .action(async (opts) => {
      const seller = localSeller();
      const { startLocalService } = await import('../../workflows/local/service/local-service.js');
      const { defaultWorkerThreads } = await import('../../workflows/local/harness/lambda-pool.js');
      const reportError = (error: unknown): void => {
        if (debugRequested()) process.stderr.write(`invoicer local: ${(error as Error).stack}\n`);
      };
      let requestStop = (): void => undefined;
      const stopRequested = new Promise<void>((resolve) => {
        requestStop = resolve;
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      // Queries typed in a shell are answered here by warm workers (docs/cli.md, "Installing the
      // command"); listening before the stack announces itself, so its first query finds them.
      const dataDir = usableDataDir(opts.dataDir);
      const { startQueryServer } = await import('../../workflows/local/service/query-server.js');
      const queries = await startQueryServer({
        dataDir,
        workerUrl: new URL('../bin/query-worker.mjs', import.meta.url),
        reportError,
      });
      const service = await startLocalService({
        onShutdownRequest: () => requestStop(),
        dataDir,
        announce: true,
        emailPollMs: opts.emailPollMs,
        dailyReminders: true,
        workerThreads: defaultWorkerThreads(),
        ...(seller ? { seller } : {}),
        reportError,
      }).catch(async (error: unknown) => {
        await queries?.close();
        throw error;
      });
      process.stdout.write(`local stack of ${service.info.dataDir} running, pid ${process.pid}\n`);
      await stopRequested;
      await queries?.close();
      await service.stop();
    });
  return local;
}
