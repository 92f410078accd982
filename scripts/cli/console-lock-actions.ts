/**
 * The console's action on a period's stuck run lock (lambdas/shared/operations/run-locks.ts):
 * release it, offered unless its run is known to be RUNNING on AWS; where its holder cannot be
 * checked from here the operator must say they know it is gone, as `--force` does on the CLI.
 */
import { releaseRefusal, type HeldLock } from '../../lambdas/shared/operations/run-locks.js';
import type { ActionDef } from './console-action-kit.js';
import { releaseLockWithLog } from './desk-operations.js';
import type { Target } from './target.js';

const FORCE = 'force';

export function lockActions(target: Target): ActionDef<HeldLock>[] {
  const s = target.session;
  return [
    {
      id: 'release-lock',
      label: 'Release the lock',
      weighty: true,
      fields: (lock) =>
        releaseRefusal(lock, true) !== undefined
          ? undefined
          : releaseRefusal(lock, false) === undefined
            ? []
            : [
                {
                  name: FORCE,
                  label: 'I know its run is gone (it cannot be checked from here)',
                  kind: 'checkbox',
                  hint: releaseRefusal(lock, false)!,
                },
              ],
      async preview(lock, v) {
        const refusal = releaseRefusal(lock, v[FORCE] === 'yes');
        if (refusal !== undefined) throw new Error(`the lock of ${lock.period} is kept: ${refusal}`);
        return {
          title: `Release the lock of ${lock.period}`,
          lines: [
            `Held by run ${lock.holderRunId} (${lock.holderExecution}) since ${lock.acquiredAt}, ${lock.ageHours} h ago; its holder: ${lock.holder}.`,
            `The next run of ${lock.period} can start; what the old run issued stays issued (a new run skips it).`,
          ],
          confirmLabel: 'Release the lock',
        };
      },
      async execute(lock, v) {
        const released = await releaseLockWithLog(s, {
          period: lock.period,
          reason: v.reason!,
          force: v[FORCE] === 'yes',
          via: 'console',
        });
        return {
          lines: [`Released the lock of ${released.period} (run ${released.holderRunId}).`],
          next: { href: '/console', label: 'Back to the runs' },
        };
      },
    },
  ];
}
