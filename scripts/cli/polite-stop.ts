/**
 * A signalled `run` (SIGINT, SIGTERM, SIGHUP) stops as `local down` does: no new customer is
 * started, the customers in flight finish (publish and record alike, so a notification is never
 * sent without being recorded), then the command exits 128 + the signal's number. Bounded: after
 * GRACE_MS, or at a second signal, it exits at once; only that (or a hard kill) can leave a
 * customer between publish and record.
 */
import { constants } from 'node:os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];
const GRACE_MS = 60_000;

export interface PoliteStop {
  /** The signal that asked the command to stop, if one did. */
  readonly signal: StopSignal | undefined;
  /** The exit code for that signal (130, 143, 129). */
  readonly exitCode: number | undefined;
  dispose(): void;
}

export function politeStop(stop: () => Promise<void>, graceMs = GRACE_MS): PoliteStop {
  let received: StopSignal | undefined;
  const exitCodeOf = (signal: StopSignal) => 128 + constants.signals[signal];
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = (): void => {
      if (received !== undefined) process.exit(exitCodeOf(received));
      received = signal;
      if (process.stderr.isTTY)
        process.stderr.write(
          `\ninvoicer: ${signal}: letting the customers in flight finish (again to stop at once)\n`,
        );
      setTimeout(() => process.exit(exitCodeOf(signal)), graceMs).unref();
      void stop().catch(() => process.exit(exitCodeOf(signal)));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    get signal() {
      return received;
    },
    get exitCode() {
      return received === undefined ? undefined : exitCodeOf(received);
    },
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
