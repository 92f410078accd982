/**
 * `invoicer runs locks` and `invoicer runs unlock PERIOD --reason R [--force]`: the periods' run
 * locks held now, and releasing a stuck one (lambdas/shared/operations/run-locks.ts), logged.
 */
import type { Command } from 'commander';
import type { HeldLock } from '../../lambdas/shared/operations/run-locks.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { releaseLockWithLog } from './desk-operations.js';
import { table } from './format.js';
import { periodOption } from './options.js';
import { print } from './output.js';
import { withSession } from './target.js';

export const formatLocks = (locks: HeldLock[]): string =>
  locks.length === 0
    ? 'no run locks held'
    : table(
        ['PERIOD', 'RUN', 'HOLDER', 'STATE', 'TAKEN', 'AGE'],
        locks.map((l) => [
          l.period,
          l.holderRunId,
          l.holderExecution,
          l.holder,
          l.acquiredAt,
          `${l.ageHours} h`,
        ]),
      );

export function addLockCommands(runs: Command): void {
  runs
    .command('locks')
    .description("every period's run lock held now: its run, holder, age, and whether that holder runs")
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON: [{period, holderRunId, holderExecution, acquiredAt, holder, ageHours}]')
    .action(async (opts) => {
      const locks = await withSession(opts, (s) => s.runLocks());
      print(opts.json, locks, () => formatLocks(locks));
    });
  runs
    .command('unlock')
    .description(
      "release a period's stuck run lock: only once its holder is known to be stopped, or with --force when it cannot be checked from here (another host, a reused pid)",
    )
    .argument('<period>', 'the period, YYYY-MM', periodOption)
    .requiredOption('--reason <text>', 'why (kept in the operator log)')
    .option('--force', 'the holder cannot be checked from here, and you know it is gone')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the lock released as JSON')
    .action(async (period: string, opts) => {
      const released = await withSession(opts, (s) =>
        releaseLockWithLog(s, { period, reason: opts.reason, force: Boolean(opts.force), via: 'cli' }),
      );
      print(
        opts.json,
        released,
        () =>
          `released the lock of ${period} (held by run ${released.holderRunId} since ${released.acquiredAt})`,
      );
    });
}
