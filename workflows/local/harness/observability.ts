/**
 * Logging and metrics for handlers running locally. The handlers' Powertools logs are diagnostics,
 * so here they go to stderr (on Lambda, to CloudWatch), at ERROR unless asked for more; metrics
 * are not emitted (EMF lines are a CloudWatch Logs protocol).
 */
import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type { Observability } from '../../../lambdas/shared/handler.js';

export type LocalLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A Powertools logger whose every line goes to stderr. */
class StderrLogger extends Logger {
  constructor(options?: ConstructorOptions) {
    super(options);
    // Powertools prints info/debug to stdout; stdout is the CLI's result channel.
    (this as unknown as { console: Console }).console = new Console({
      stdout: process.stderr,
      stderr: process.stderr,
    });
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    return new StderrLogger(options);
  }
}

export function localObservability(logLevel: LocalLogLevel = 'ERROR'): Observability {
  return {
    logger: new StderrLogger({ serviceName: 'invoicer', logLevel }),
    metrics: { count: () => undefined, flush: () => undefined },
  };
}
